/* Grey-level dilation / erosion: max / min over a rectangle, edges replicated.
 *
 * The rectangle is separable: a vertical pass (max over kh rows) gives one
 * row V, a horizontal pass (max over kw neighbours of V) gives the output
 * row.  Both passes are built from one kernel, combine(), which takes the
 * element-wise max (or min) of up to 8 byte rows in a single sweep; rows
 * offset by one byte are just as good an input, so the horizontal pass uses
 * it too.  combine() is a plain loop the compiler vectorises (pmaxub/pminub),
 * compiled for baseline and AVX2 (OCRPREP_CLONES).  What costs is the number
 * of loads per pixel (unaligned ones, in the horizontal pass, count about
 * 1.5), so both passes aim at few loads rather than few sweeps.
 *
 * Vertical pass
 *   kh <= 5:  V = combine of the kh rows directly (one sweep, kh loads).
 *   kh >= 7:  van Herk / Gil-Werman: output rows are taken in blocks of kh;
 *             a window then straddles one block's suffix and the next
 *             block's prefix, so V = max(suffix, prefix): 5 loads a pixel
 *             whatever kh is.  Scratch: kh + 2 rows.
 * Horizontal pass (on V padded with rx copies of its end pixels)
 *   kw <= 5:  one sweep over kw shifted copies of V.
 *   larger:   split the window into t segments of length q (the last one
 *             overlapping, as max is idempotent), compute the length-q
 *             window max M first (recursively, same scheme), then combine
 *             t shifted copies of M.  kw = 15 costs 4 + 4 loads a pixel
 *             instead of 15; kw = 4095 costs 5 levels of <= 8.
 * The horizontal pass of a row runs one row after its vertical pass (two
 * line buffers), so its loads never wait on the stores that just filled V.
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "morph.h"

#if defined(_MSC_VER)
#define MORPH_RESTRICT __restrict
#define MORPH_INLINE static __forceinline
#elif defined(__GNUC__)
#define MORPH_RESTRICT __restrict__
#define MORPH_INLINE static inline __attribute__((always_inline))
#else
#define MORPH_RESTRICT
#define MORPH_INLINE static inline
#endif

enum {
    MAX_TERMS = 8,   /* rows combined per sweep */
    MAX_LEVELS = 8,  /* horizontal recursion depth (5 suffice for kw < 2^13) */
    VDIRECT_MAX = 5, /* largest kh done by direct combination */
    HDIRECT_MAX = 5  /* largest kw done by direct combination */
};

MORPH_INLINE uint8_t op(uint8_t a, uint8_t b, const int is_max)
{
    if (is_max)
        return a > b ? a : b;
    return a < b ? a : b;
}

/* d[x] = op(p[0][x], ..., p[m-1][x]) for 0 <= x < n; m and is_max are
 * compile-time constants after inlining, so the unused terms vanish. */
MORPH_INLINE void combine_k(uint8_t *MORPH_RESTRICT d, const uint8_t *const *p, const int m,
                            ptrdiff_t n, const int is_max)
{
    const uint8_t *p0 = p[0];
    const uint8_t *p1 = p[m > 1 ? 1 : 0], *p2 = p[m > 2 ? 2 : 0], *p3 = p[m > 3 ? 3 : 0];
    const uint8_t *p4 = p[m > 4 ? 4 : 0], *p5 = p[m > 5 ? 5 : 0], *p6 = p[m > 6 ? 6 : 0];
    const uint8_t *p7 = p[m > 7 ? 7 : 0];
    ptrdiff_t x;
    for (x = 0; x < n; x++) {
        uint8_t v = p0[x];
        if (m > 1) v = op(v, p1[x], is_max);
        if (m > 2) v = op(v, p2[x], is_max);
        if (m > 3) v = op(v, p3[x], is_max);
        if (m > 4) v = op(v, p4[x], is_max);
        if (m > 5) v = op(v, p5[x], is_max);
        if (m > 6) v = op(v, p6[x], is_max);
        if (m > 7) v = op(v, p7[x], is_max);
        d[x] = v;
    }
}

/* d = element-wise max (is_max) or min of the m <= 8 rows p[0..m), n bytes.
 * d must not overlap any input row. */
OCRPREP_CLONES
static void combine(uint8_t *MORPH_RESTRICT d, const uint8_t *const *p, int m, ptrdiff_t n,
                    int is_max)
{
#define MORPH_CASE(M)                      \
    case M:                                \
        if (is_max)                        \
            combine_k(d, p, M, n, 1);      \
        else                               \
            combine_k(d, p, M, n, 0);      \
        break;
    switch (m) {
        MORPH_CASE(1)
        MORPH_CASE(2)
        MORPH_CASE(3)
        MORPH_CASE(4)
        MORPH_CASE(5)
        MORPH_CASE(6)
        MORPH_CASE(7)
        MORPH_CASE(8)
        default:
            break;
    }
#undef MORPH_CASE
}

/* One step of the van Herk / Gil-Werman column pass, fused into one sweep:
 * prefix = op(prev, row) and v = op(suffix, prefix). */
MORPH_INLINE void vhgw_step_k(uint8_t *MORPH_RESTRICT v, uint8_t *MORPH_RESTRICT prefix,
                              const uint8_t *suffix, const uint8_t *prev, const uint8_t *row,
                              ptrdiff_t n, const int is_max)
{
    ptrdiff_t x;
    for (x = 0; x < n; x++) {
        uint8_t p = op(prev[x], row[x], is_max);
        prefix[x] = p;
        v[x] = op(suffix[x], p, is_max);
    }
}

OCRPREP_CLONES
static void vhgw_step(uint8_t *MORPH_RESTRICT v, uint8_t *MORPH_RESTRICT prefix,
                      const uint8_t *suffix, const uint8_t *prev, const uint8_t *row, ptrdiff_t n,
                      int is_max)
{
    if (is_max)
        vhgw_step_k(v, prefix, suffix, prev, row, n, 1);
    else
        vhgw_step_k(v, prefix, suffix, prev, row, n, 0);
}

/* Segment length q for a window of k > MAX_TERMS: the smallest q whose
 * t = ceil(k / q) segments are at most MAX_TERMS and, while q itself is
 * small, at most q (balances the q-window and the t-way combination). */
static ptrdiff_t segment_length(ptrdiff_t k)
{
    ptrdiff_t q;
    for (q = 2;; q++) {
        ptrdiff_t t = (k + q - 1) / q;
        if (t <= MAX_TERMS && (q > MAX_TERMS || t <= q))
            return q;
    }
}

typedef struct {
    int nlev;
    ptrdiff_t k[MAX_LEVELS + 1]; /* window at each level; k[nlev] <= MAX_TERMS */
} hplan;

static void plan_horizontal(hplan *pl, ptrdiff_t kw)
{
    ptrdiff_t k = kw;
    pl->nlev = 0;
    pl->k[0] = k;
    while (k > HDIRECT_MAX && pl->nlev < MAX_LEVELS) {
        k = segment_length(k);
        pl->k[++pl->nlev] = k;
    }
}

/* d[x] = op(s[x], ..., s[x + k - 1]) for 0 <= x < n, k = pl->k[lev].
 * bufs[lev..] are scratch lines of at least n + k bytes. */
static void window_line(uint8_t *d, const uint8_t *s, ptrdiff_t n, const hplan *pl, int lev,
                        uint8_t **bufs, int is_max)
{
    const uint8_t *p[MAX_TERMS];
    ptrdiff_t k = pl->k[lev], q, t, j;
    if (lev == pl->nlev) {
        for (j = 0; j < k; j++)
            p[j] = s + j;
        combine(d, p, (int)k, n, is_max);
        return;
    }
    q = pl->k[lev + 1];
    t = (k + q - 1) / q;
    window_line(bufs[lev], s, n + k - q, pl, lev + 1, bufs, is_max);
    for (j = 0; j + 1 < t; j++)
        p[j] = bufs[lev] + j * q;
    p[t - 1] = bufs[lev] + (k - q);
    combine(d, p, (int)t, n, is_max);
}

typedef struct {
    const uint8_t *src;
    ptrdiff_t sstride, h, w, ry, rx;
    uint8_t *dst;
    ptrdiff_t dstride;
    int is_max;
    ptrdiff_t y0;
    /* V padded by rx on both sides (only when rx > 0); two of them, used
     * alternately, so that the horizontal pass of a row runs one row after
     * its vertical pass: reading a line just written with unaligned loads
     * would stall on store-to-load forwarding. */
    uint8_t *line[2];
    uint8_t *lbufs[MAX_LEVELS];
    hplan plan;
} morph_ctx;

static const uint8_t *src_row(const morph_ctx *c, ptrdiff_t r)
{
    if (r < 0)
        r = 0;
    else if (r >= c->h)
        r = c->h - 1;
    return c->src + r * c->sstride;
}

/* Where the vertical pass of output row y must write V. */
static uint8_t *v_target(const morph_ctx *c, ptrdiff_t y)
{
    return c->rx ? c->line[y & 1] + c->rx : c->dst + y * c->dstride;
}

static void horizontal(morph_ctx *c, ptrdiff_t y)
{
    window_line(c->dst + y * c->dstride, c->line[y & 1], c->w, &c->plan, 0, c->lbufs, c->is_max);
}

/* V of output row y is in v_target(y): pad it, and run the horizontal pass
 * of the row before. */
static void finish_row(morph_ctx *c, ptrdiff_t y)
{
    ptrdiff_t rx = c->rx, w = c->w;
    uint8_t *line = c->line[y & 1];
    if (!rx)
        return;
    memset(line, line[rx], (size_t)rx);
    memset(line + rx + w, line[rx + w - 1], (size_t)rx);
    if (y > c->y0)
        horizontal(c, y - 1);
}

int ocrprep_morph_band(const uint8_t *src, ptrdiff_t sstride, uint8_t *dst, ptrdiff_t dstride,
                       ptrdiff_t h, ptrdiff_t w, ptrdiff_t ry, ptrdiff_t rx, int is_max,
                       ptrdiff_t y0, ptrdiff_t y1)
{
    morph_ctx c;
    const uint8_t *p[MAX_TERMS];
    ptrdiff_t kh, y, j, lw;
    size_t total;
    int vhgw, lev;
    uint8_t *mem, *cur, *S = NULL, *P[2] = {NULL, NULL};

    if (h <= 0 || w <= 0 || y0 >= y1)
        return 0;
    /* A window reaching past both edges sees the whole column / row. */
    if (ry > h - 1)
        ry = h - 1;
    if (rx > w - 1)
        rx = w - 1;
    kh = 2 * ry + 1;

    c.src = src;
    c.sstride = sstride;
    c.h = h;
    c.w = w;
    c.ry = ry;
    c.rx = rx;
    c.dst = dst;
    c.dstride = dstride;
    c.is_max = is_max;
    plan_horizontal(&c.plan, 2 * rx + 1);
    vhgw = kh > VDIRECT_MAX;

    lw = w + 2 * rx;
    total = 0;
    if (rx)
        total += (size_t)lw * (size_t)(2 + c.plan.nlev);
    if (vhgw)
        total += (size_t)w * (size_t)(kh + 2);
    mem = total ? (uint8_t *)malloc(total) : NULL;
    if (total && !mem)
        return -1;
    cur = mem;
    c.y0 = y0;
    c.line[0] = c.line[1] = NULL;
    if (rx) {
        c.line[0] = cur;
        c.line[1] = cur + lw;
        cur += 2 * lw;
        for (lev = 0; lev < c.plan.nlev; lev++) {
            c.lbufs[lev] = cur;
            cur += lw;
        }
    }
    if (vhgw) {
        S = cur;
        P[0] = S + (size_t)kh * (size_t)w;
        P[1] = P[0] + w;
    }

    if (!vhgw) {
        for (y = y0; y < y1; y++) {
            for (j = 0; j < kh; j++)
                p[j] = src_row(&c, y - ry + j);
            combine(v_target(&c, y), p, (int)kh, w, is_max);
            finish_row(&c, y);
        }
    } else {
        ptrdiff_t yb;
        for (yb = y0; yb < y1; yb += kh) {
            /* Outputs yb .. yb+cnt-1 start their windows in block [s, s + kh). */
            ptrdiff_t s = yb - ry, cnt = y1 - yb < kh ? y1 - yb : kh, i;
            const uint8_t *prefix = NULL;
            memcpy(S + (kh - 1) * w, src_row(&c, s + kh - 1), (size_t)w);
            for (i = kh - 2; i >= 0; i--) {
                p[0] = src_row(&c, s + i);
                p[1] = S + (i + 1) * w;
                combine(S + i * w, p, 2, w, is_max);
            }
            for (i = 0; i < cnt; i++) {
                uint8_t *v = v_target(&c, yb + i);
                if (i == 0) {
                    memcpy(v, S, (size_t)w);
                } else {
                    /* prefix = op of rows s+kh .. s+kh+i-1 of the next block */
                    if (i == 1) {
                        prefix = src_row(&c, s + kh);
                        p[0] = S + i * w;
                        p[1] = prefix;
                        combine(v, p, 2, w, is_max);
                    } else {
                        uint8_t *np = P[i & 1];
                        vhgw_step(v, np, S + i * w, prefix, src_row(&c, s + kh + i - 1), w,
                                  is_max);
                        prefix = np;
                    }
                }
                finish_row(&c, yb + i);
            }
        }
    }
    if (rx)
        horizontal(&c, y1 - 1);
    free(mem);
    return 0;
}
