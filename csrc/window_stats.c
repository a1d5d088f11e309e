/* Windowed mean / standard-deviation thresholds: see window_stats.h.
 *
 * One output row at a time, with O(width) scratch:
 *   1. column sums c1[x] = sum v, c2[x] = sum v^2 over the window's rows,
 *      updated by adding the row entering the window and removing the row
 *      leaving it (exact integers; edge rows replicated or mirrored);
 *   2. a prefix sum along the row (edge columns replicated or mirrored by
 *      padding the column sums), whose differences are the window sums S1, S2;
 *   3. a branch-free, vectorisable pass comparing both sides of the
 *      threshold rule squared (no square root).
 * The prefix sums are kept modulo 2^32: differences of wrapped sums are
 * exact while the true window sum fits in 32 bits (S1 always; S2 when
 * window <= 257, else a 64-bit prefix is used).
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "window_stats.h"

#if defined(_MSC_VER) && !defined(__clang__)
#define restrict __restrict /* MSVC's C mode has no C99 `restrict` */
#endif

#define SMALL_WINDOW 257 /* 65025 * 257^2 < 2^32 */

/* The hot loops also get an AVX-512 (x86-64-v4) clone where the compiler
 * can dispatch on it (GCC >= 12): the decision pass runs ~1.6x faster with
 * 8 double lanes and unsigned conversions.  Elsewhere: dispatch.h's clones. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__) && \
    !defined(OCRPREP_NO_CLONES) && __GNUC__ >= 12
#define WSTATS_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define WSTATS_CLONES OCRPREP_CLONES
#endif

typedef struct {
    int w, r, win;
    int reflect;       /* mirror rows/columns beyond the edges instead of repeating them */
    uint32_t *c1, *c2; /* column sums, w + 2r (real column x at index x + r) */
    uint32_t *p1, *p2; /* prefix sums of c1 / c2, w + 2r + 1 */
    uint64_t *q2;      /* 64-bit prefix of c2 for large windows */
} wstate;

static void state_free(wstate *st)
{
    free(st->c1);
    free(st->c2);
    free(st->p1);
    free(st->p2);
    free(st->q2);
}

static int state_init(wstate *st, int w, int window, int reflect)
{
    size_t padded = (size_t)w + (size_t)(window - 1);
    memset(st, 0, sizeof(*st));
    st->reflect = reflect;
    st->w = w;
    st->win = window;
    st->r = window / 2;
    st->c1 = malloc(padded * sizeof(uint32_t));
    st->c2 = malloc(padded * sizeof(uint32_t));
    st->p1 = malloc((padded + 1) * sizeof(uint32_t));
    if (window <= SMALL_WINDOW)
        st->p2 = malloc((padded + 1) * sizeof(uint32_t));
    else
        st->q2 = malloc((padded + 1) * sizeof(uint64_t));
    if (!st->c1 || !st->c2 || !st->p1 || !(st->p2 || st->q2)) {
        state_free(st);
        return -1;
    }
    return 0;
}

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* The real index [0, n) that stands for index i beyond an edge: the edge
 * itself (replicate), or the mirror image about it without repeating the edge
 * (numpy's "reflect"), which is periodic with period 2(n - 1) once a window
 * is wider than the image. */
static inline int edge_index(int i, int n, int reflect)
{
    int period;
    if (i >= 0 && i < n)
        return i;
    if (!reflect || n == 1)
        return clampi(i, 0, n - 1);
    period = 2 * (n - 1);
    i %= period;
    if (i < 0)
        i += period;
    return i < n ? i : period - i;
}

/* Column sums of the window centred on row y (rows beyond the edges per st->reflect). */
static void columns_init(wstate *st, const uint8_t *img, ptrdiff_t stride, int h, int y)
{
    uint32_t *c1 = st->c1 + st->r, *c2 = st->c2 + st->r;
    int x, j, w = st->w;
    memset(c1, 0, (size_t)w * sizeof(uint32_t));
    memset(c2, 0, (size_t)w * sizeof(uint32_t));
    for (j = y - st->r; j <= y + st->r; j++) {
        const uint8_t *row = img + (ptrdiff_t)edge_index(j, h, st->reflect) * stride;
        for (x = 0; x < w; x++) {
            uint32_t v = row[x];
            c1[x] += v;
            c2[x] += v * v;
        }
    }
}

/* Slide the column sums from the window of row y-1 to that of row y. */
WSTATS_CLONES
static void columns_step(wstate *st, const uint8_t *img, ptrdiff_t stride, int h, int y)
{
    const uint8_t *add = img + (ptrdiff_t)edge_index(y + st->r, h, st->reflect) * stride;
    const uint8_t *sub = img + (ptrdiff_t)edge_index(y - st->r - 1, h, st->reflect) * stride;
    uint32_t *restrict c1 = st->c1 + st->r, *restrict c2 = st->c2 + st->r;
    int x, w = st->w;
    if (add == sub)
        return;
    for (x = 0; x < w; x++) {
        int32_t a = add[x], b = sub[x];
        c1[x] += (uint32_t)(a - b);
        c2[x] += (uint32_t)((a - b) * (a + b));
    }
}

/* Fill the padding with the column sums of the columns beyond the edges stand for. */
static void pad_columns(wstate *st)
{
    int x, r = st->r, w = st->w;
    uint32_t *c1 = st->c1, *c2 = st->c2;
    for (x = 0; x < r; x++) {
        int left = edge_index(x - r, w, st->reflect), right = edge_index(w + x, w, st->reflect);
        c1[x] = c1[r + left];
        c2[x] = c2[r + left];
        c1[r + w + x] = c1[r + right];
        c2[r + w + x] = c2[r + right];
    }
}

/* The vectorised scan uses GCC/clang vector extensions: __builtin_shufflevector
 * (clang, GCC >= 12) or GCC's __builtin_shuffle.  Other compilers (MSVC) get
 * the scalar scan. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define WSTATS_SHUFFLEVECTOR 1
#endif
#endif
#if !defined(OCRPREP_SCALAR_PREFIX) && \
    (defined(WSTATS_SHUFFLEVECTOR) || (defined(__GNUC__) && !defined(__clang__)))
typedef uint32_t v8u __attribute__((vector_size(32)));

#if defined(WSTATS_SHUFFLEVECTOR) && !defined(OCRPREP_GCC_SHUFFLE)
#define SHIFT1(a) __builtin_shufflevector(a, zero, 8, 0, 1, 2, 3, 4, 5, 6)
#define SHIFT2(a) __builtin_shufflevector(a, zero, 8, 8, 0, 1, 2, 3, 4, 5)
#define SHIFT4(a) __builtin_shufflevector(a, zero, 8, 8, 8, 8, 0, 1, 2, 3)
#define LAST(a) __builtin_shufflevector(a, a, 7, 7, 7, 7, 7, 7, 7, 7)
#else
#define SHIFT1(a) __builtin_shuffle(a, zero, sh1)
#define SHIFT2(a) __builtin_shuffle(a, zero, sh2)
#define SHIFT4(a) __builtin_shuffle(a, zero, sh4)
#define LAST(a) __builtin_shuffle(a, last)
#endif

/* p[0] = 0, p[i + 1] = p[i] + c[i] (mod 2^32) for both arrays: an in-vector
 * log-step scan of 8 lanes plus the running carry. */
WSTATS_CLONES
static void prefix2(const uint32_t *restrict c1, const uint32_t *restrict c2,
                    uint32_t *restrict p1, uint32_t *restrict p2, size_t n)
{
    const v8u zero = {0, 0, 0, 0, 0, 0, 0, 0};
#if !(defined(WSTATS_SHUFFLEVECTOR) && !defined(OCRPREP_GCC_SHUFFLE))
    const v8u sh1 = {8, 0, 1, 2, 3, 4, 5, 6}, sh2 = {8, 8, 0, 1, 2, 3, 4, 5};
    const v8u sh4 = {8, 8, 8, 8, 0, 1, 2, 3}, last = {7, 7, 7, 7, 7, 7, 7, 7};
#endif
    v8u k1 = zero, k2 = zero, a, b;
    uint32_t s1, s2;
    size_t i = 0;
    p1[0] = p2[0] = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&a, c1 + i, sizeof a);
        memcpy(&b, c2 + i, sizeof b);
        a += SHIFT1(a);
        b += SHIFT1(b);
        a += SHIFT2(a);
        b += SHIFT2(b);
        a += SHIFT4(a);
        b += SHIFT4(b);
        a += k1;
        b += k2;
        memcpy(p1 + i + 1, &a, sizeof a);
        memcpy(p2 + i + 1, &b, sizeof b);
        k1 = LAST(a);
        k2 = LAST(b);
    }
    s1 = p1[i];
    s2 = p2[i];
    for (; i < n; i++) {
        s1 += c1[i];
        s2 += c2[i];
        p1[i + 1] = s1;
        p2[i + 1] = s2;
    }
}
#else
static void prefix2(const uint32_t *restrict c1, const uint32_t *restrict c2,
                    uint32_t *restrict p1, uint32_t *restrict p2, size_t n)
{
    uint32_t s1 = 0, s2 = 0;
    size_t i;
    p1[0] = p2[0] = 0;
    for (i = 0; i < n; i++) {
        s1 += c1[i];
        s2 += c2[i];
        p1[i + 1] = s1;
        p2[i + 1] = s2;
    }
}
#endif

/* Prefix sums of the padded column sums of the current row (64-bit for the
 * squares when the window is large). */
static void row_prefix(wstate *st)
{
    size_t padded = (size_t)st->w + (size_t)(st->win - 1), i;
    pad_columns(st);
    if (st->p2) {
        prefix2(st->c1, st->c2, st->p1, st->p2, padded);
    } else {
        uint32_t a1 = 0;
        uint64_t a2 = 0;
        st->p1[0] = 0;
        st->q2[0] = 0;
        for (i = 0; i < padded; i++) {
            a1 += st->c1[i];
            a2 += st->c2[i];
            st->p1[i + 1] = a1;
            st->q2[i + 1] = a2;
        }
    }
}

/* The decision, shared by the loops below (white = 255, ink = 0). */
#define DECIDE(S1, S2, V)                                                        \
    do {                                                                         \
        double q_ = (S1) * (S1);                                                 \
        double d_ = n * (S2) - cvar * q_;                                        \
        double A_ = n * (V) - a1 * (S1) - a0;                                    \
        double B_ = b1 * (S1) + b0;                                              \
        int white_ = negative ? ((A_ > 0.0) | (A_ * A_ < B_ * B_ * d_))           \
                              : ((A_ > 0.0) & (A_ * A_ > B_ * B_ * d_));          \
        out[x] = (uint8_t)(-white_);                                             \
    } while (0)

/* out[x] = 255 where n*v - a1*S1 - a0 > (b1*S1 + b0) * sqrt(D), else 0, with
 * the window sums read off 32-bit prefix sums (window <= 257). */
WSTATS_CLONES
static void decide_row(const uint8_t *restrict v, const uint32_t *restrict p1,
                       const uint32_t *restrict p2, size_t w, size_t win, double n,
                       const ocr_wstats_rule *rule, uint8_t *restrict out)
{
    const double a1 = rule->a1, a0 = rule->a0, b1 = rule->b1, b0 = rule->b0;
    const double cvar = rule->rms ? 0.0 : 1.0;
    const uint32_t *restrict e1 = p1 + win, *restrict e2 = p2 + win;
    size_t x;
    if (!rule->negative) {
        const int negative = 0;
        for (x = 0; x < w; x++) {
            double S1 = (double)(int32_t)(e1[x] - p1[x]);
            double S2 = (double)(int32_t)((e2[x] - p2[x]) ^ 0x80000000u) + 2147483648.0;
            DECIDE(S1, S2, (double)v[x]);
        }
    } else {
        const int negative = 1;
        for (x = 0; x < w; x++) {
            double S1 = (double)(int32_t)(e1[x] - p1[x]);
            double S2 = (double)(int32_t)((e2[x] - p2[x]) ^ 0x80000000u) + 2147483648.0;
            DECIDE(S1, S2, (double)v[x]);
        }
    }
}

/* The same for large windows (64-bit prefix of the squares). */
static void decide_row_large(const uint8_t *restrict v, const uint32_t *restrict p1,
                             const uint64_t *restrict q2, size_t w, size_t win, double n,
                             const ocr_wstats_rule *rule, uint8_t *restrict out)
{
    const double a1 = rule->a1, a0 = rule->a0, b1 = rule->b1, b0 = rule->b0;
    const double cvar = rule->rms ? 0.0 : 1.0;
    const int negative = rule->negative;
    size_t x;
    for (x = 0; x < w; x++) {
        double S1 = (double)(int32_t)(p1[x + win] - p1[x]);
        double S2 = (double)(q2[x + win] - q2[x]);
        DECIDE(S1, S2, (double)v[x]);
    }
}

/* Largest n*S2 - S1^2 of the current row (32-bit prefix sums), exact in int64. */
WSTATS_CLONES
static int64_t max_d_row(const uint32_t *restrict p1, const uint32_t *restrict p2, size_t w,
                         size_t win, int64_t n)
{
    const uint32_t *restrict e1 = p1 + win, *restrict e2 = p2 + win;
    int64_t best = 0;
    size_t x;
    for (x = 0; x < w; x++) {
        int64_t S1 = (int32_t)(e1[x] - p1[x]);
        int64_t S2 = (uint32_t)(e2[x] - p2[x]);
        int64_t d = n * S2 - S1 * S1;
        best = d > best ? d : best;
    }
    return best;
}

/* Window sums of column x of the current row (after row_prefix). */
static inline void window_sums(const wstate *st, int x, double *s1, double *s2)
{
    *s1 = (double)(int32_t)(st->p1[x + st->win] - st->p1[x]);
    if (st->p2)
        *s2 = (double)(uint32_t)(st->p2[x + st->win] - st->p2[x]);
    else
        *s2 = (double)(st->q2[x + st->win] - st->q2[x]);
}

int ocr_wstats_threshold_rows(const uint8_t *img, ptrdiff_t stride, int h, int w, int window,
                              const ocr_wstats_rule *rule, uint8_t *out, ptrdiff_t ostride,
                              int y0, int y1, int reflect)
{
    wstate st;
    double n = (double)window * (double)window;
    int y;
    if (y0 >= y1)
        return 0;
    if (state_init(&st, w, window, reflect))
        return -1;
    columns_init(&st, img, stride, h, y0);
    for (y = y0; y < y1; y++) {
        if (y > y0)
            columns_step(&st, img, stride, h, y);
        row_prefix(&st);
        if (st.p2)
            decide_row(img + (ptrdiff_t)y * stride, st.p1, st.p2, w, window, n, rule,
                       out + (ptrdiff_t)y * ostride);
        else
            decide_row_large(img + (ptrdiff_t)y * stride, st.p1, st.q2, w, window, n, rule,
                             out + (ptrdiff_t)y * ostride);
    }
    state_free(&st);
    return 0;
}

int ocr_wstats_max_variance_rows(const uint8_t *img, ptrdiff_t stride, int h, int w, int window,
                                 int y0, int y1, int reflect, double *max_d)
{
    wstate st;
    double n = (double)window * (double)window, best = 0.0;
    int x, y;
    if (y0 >= y1) {
        *max_d = 0.0;
        return 0;
    }
    if (state_init(&st, w, window, reflect))
        return -1;
    columns_init(&st, img, stride, h, y0);
    for (y = y0; y < y1; y++) {
        if (y > y0)
            columns_step(&st, img, stride, h, y);
        row_prefix(&st);
        if (st.p2) {
            double d = (double)max_d_row(st.p1, st.p2, (size_t)w, (size_t)window, (int64_t)window * window);
            best = d > best ? d : best;
        } else {
            for (x = 0; x < w; x++) {
                double S1, S2, d;
                window_sums(&st, x, &S1, &S2);
                d = n * S2 - S1 * S1;
                best = d > best ? d : best;
            }
        }
    }
    state_free(&st);
    *max_d = best;
    return 0;
}

int ocr_wstats_sums_rows(const uint8_t *img, ptrdiff_t stride, int h, int w, int window,
                         int64_t *s1, ptrdiff_t s1_stride, double *s2, ptrdiff_t s2_stride,
                         int y0, int y1, int reflect)
{
    wstate st;
    int x, y;
    if (y0 >= y1)
        return 0;
    if (state_init(&st, w, window, reflect))
        return -1;
    columns_init(&st, img, stride, h, y0);
    for (y = y0; y < y1; y++) {
        int64_t *o1 = (int64_t *)((char *)s1 + (ptrdiff_t)y * s1_stride);
        double *o2 = (double *)((char *)s2 + (ptrdiff_t)y * s2_stride);
        if (y > y0)
            columns_step(&st, img, stride, h, y);
        row_prefix(&st);
        for (x = 0; x < w; x++) {
            double S1, S2;
            window_sums(&st, x, &S1, &S2);
            o1[x] = (int64_t)S1;
            o2[x] = S2;
        }
    }
    state_free(&st);
    return 0;
}
