/* Row loops of ocrprep.auto_binarize.
 *
 * The fused pass streams down a band of the background-normalised image:
 *   Sobel magnitude of each row -> stroke-edge test -> per 2 x 2 cell sums
 *   of (count, value, value^2) of the edge pixels -> running sums over k
 *   cell rows (a ring of k rows) -> window sums along the cell row ->
 *   a per-cell limit -> the two pixel rows of the cell are classified.
 * Everything per pixel is a plain loop the compiler vectorises, compiled
 * for baseline and AVX2 (OCRPREP_CLONES), the integer ones for AVX-512 too
 * (AU_INT_CLONES); per-cell work is 1/4 of that.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "auto.h"

#if defined(__GNUC__)
#define AU_RESTRICT __restrict__
#else
#define AU_RESTRICT
#endif

/* The integer pixel loops get an x86-64-v4 (AVX-512) clone too where GCC
 * knows the level (11+): twice the lanes.  Not the float loops: that level
 * has FMA, and a contracted multiply-add would round differently from the
 * baseline and AVX2 copies (results must not depend on the CPU). */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && defined(__x86_64__) && \
    defined(__GLIBC__) && !defined(OCRPREP_NO_CLONES)
#define AU_INT_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define AU_INT_CLONES OCRPREP_CLONES
#endif

/* |gx| + |gy| of the 3x3 Sobel operator on row r1 (r0 above, r2 below);
 * columns outside the row replicate the edge pixels. */
AU_INT_CLONES
static void sobel_row(const uint8_t *AU_RESTRICT r0, const uint8_t *AU_RESTRICT r1,
                      const uint8_t *AU_RESTRICT r2, ptrdiff_t w, uint16_t *AU_RESTRICT g)
{
    if (w == 1) {
        int gy = 4 * ((int)r2[0] - (int)r0[0]);
        g[0] = (uint16_t)(gy < 0 ? -gy : gy);
        return;
    }
    for (ptrdiff_t x = 1; x < w - 1; x++) {
        int a = r0[x - 1], b = r0[x], c = r0[x + 1];
        int d = r1[x - 1], f = r1[x + 1];
        int p = r2[x - 1], q = r2[x], r = r2[x + 1];
        int gx = (c - a) + 2 * (f - d) + (r - p);
        int gy = (p + 2 * q + r) - (a + 2 * b + c);
        g[x] = (uint16_t)((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
    }
    for (int side = 0; side < 2; side++) {
        ptrdiff_t x = side ? w - 1 : 0;
        ptrdiff_t xl = x > 0 ? x - 1 : 0, xr = x + 1 < w ? x + 1 : w - 1;
        int gx = ((int)r0[xr] - r0[xl]) + 2 * ((int)r1[xr] - r1[xl]) + ((int)r2[xr] - r2[xl]);
        int gy = ((int)r2[xl] + 2 * r2[x] + r2[xr]) - ((int)r0[xl] + 2 * r0[x] + r0[xr]);
        g[x] = (uint16_t)((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
    }
}

static inline const uint8_t *clamp_row(uint8_t *const *rows, ptrdiff_t ybase, ptrdiff_t h,
                                       ptrdiff_t y)
{
    if (y < 0)
        y = 0;
    if (y >= h)
        y = h - 1;
    return rows[y - ybase];
}

/* Count the values of g (< OCRPREP_GRAD_BINS) into 4 interleaved tables so
 * runs of equal values do not serialise on one counter. */
static void count_grad(const uint16_t *g, ptrdiff_t w, uint32_t (*tab)[OCRPREP_GRAD_BINS])
{
    ptrdiff_t x = 0;
    for (; x + 4 <= w; x += 4) {
        tab[0][g[x]]++;
        tab[1][g[x + 1]]++;
        tab[2][g[x + 2]]++;
        tab[3][g[x + 3]]++;
    }
    for (; x < w; x++)
        tab[0][g[x]]++;
}

/* m[x] = max of the 3 x 3 neighbourhood of (x, row 1), columns replicated. */
AU_INT_CLONES
static void max3x3_row(const uint8_t *AU_RESTRICT r0, const uint8_t *AU_RESTRICT r1,
                       const uint8_t *AU_RESTRICT r2, ptrdiff_t w, uint8_t *AU_RESTRICT v,
                       uint8_t *AU_RESTRICT m)
{
    for (ptrdiff_t x = 0; x < w; x++) {
        uint8_t a = r0[x] > r1[x] ? r0[x] : r1[x];
        v[x] = a > r2[x] ? a : r2[x];
    }
    m[0] = v[0] > v[w > 1 ? 1 : 0] ? v[0] : v[w > 1 ? 1 : 0];
    for (ptrdiff_t x = 1; x < w - 1; x++) {
        uint8_t a = v[x - 1] > v[x] ? v[x - 1] : v[x];
        m[x] = a > v[x + 1] ? a : v[x + 1];
    }
    if (w > 1)
        m[w - 1] = v[w - 1] > v[w - 2] ? v[w - 1] : v[w - 2];
}

AU_INT_CLONES
static void count_ink(const uint8_t *AU_RESTRICT p, const uint8_t *AU_RESTRICT m, ptrdiff_t w,
                      int tg, int64_t *area)
{
    int64_t a = 0, b = 0;
    for (ptrdiff_t x = 0; x < w; x++) {
        int ink = p[x] <= tg;
        a += ink;
        b += ink & (m[x] > tg);
    }
    area[0] += a;
    area[1] += b;
}

/* gmax[x / gb] = max(gmax[x / gb], g[x]) over the row. */
static void block_max_row(const uint16_t *g, ptrdiff_t w, ptrdiff_t gb, uint16_t *gmax)
{
    for (ptrdiff_t x0 = 0, c = 0; x0 < w; x0 += gb, c++) {
        ptrdiff_t x1 = x0 + gb < w ? x0 + gb : w;
        uint16_t m = gmax[c];
        for (ptrdiff_t x = x0; x < x1; x++)
            m = g[x] > m ? g[x] : m;
        gmax[c] = m;
    }
}

int ocrprep_auto_stats_band(const uint8_t *n, ptrdiff_t stride, ptrdiff_t h, ptrdiff_t w,
                            ptrdiff_t y0, ptrdiff_t y1, ptrdiff_t step, int tg, int64_t *ghist,
                            int64_t *area, uint16_t *gmax, ptrdiff_t gb)
{
    const ptrdiff_t gcw = (w + gb - 1) / gb;
    uint16_t *g = malloc((size_t)w * sizeof(uint16_t));
    uint8_t *vmax = malloc((size_t)w * 2);
    uint32_t (*tab)[OCRPREP_GRAD_BINS] = calloc(4, sizeof(*tab));
    if (!g || !vmax || !tab) {
        free(g);
        free(vmax);
        free(tab);
        return -1;
    }
    ptrdiff_t y = y0 + (step - y0 % step) % step;
    for (; y < y1; y += step) {
        const uint8_t *r0 = n + (y > 0 ? y - 1 : 0) * stride;
        const uint8_t *r1 = n + y * stride;
        const uint8_t *r2 = n + (y + 1 < h ? y + 1 : h - 1) * stride;
        sobel_row(r0, r1, r2, w, g);
        count_grad(g, w, tab);
        if (gmax)
            block_max_row(g, w, gb, gmax + (y / gb) * gcw);
        max3x3_row(r0, r1, r2, w, vmax, vmax + w);
        count_ink(r1, vmax + w, w, tg, area);
    }
    for (int t = 0; t < 4; t++)
        for (int i = 0; i < OCRPREP_GRAD_BINS; i++)
            ghist[i] += tab[t][i];
    free(g);
    free(vmax);
    free(tab);
    return 0;
}

/* Sobel magnitude of row r1 and its stroke-edge statistics, stored
 * (first row of a cell) or added (second row) into the column accumulators:
 * e = |gx| + |gy| > t[x], pe (+)= e, pv (+)= e * v, pq (+)= e * v * v.
 * Interior columns only; the caller does the two edge columns. */
AU_INT_CLONES
static void sobel_edges(const uint8_t *AU_RESTRICT r0, const uint8_t *AU_RESTRICT r1,
                        const uint8_t *AU_RESTRICT r2, ptrdiff_t w, const int16_t *AU_RESTRICT t,
                        int add, uint16_t *AU_RESTRICT pe, uint16_t *AU_RESTRICT pv,
                        uint32_t *AU_RESTRICT pq)
{
    if (add) {
        for (ptrdiff_t x = 1; x < w - 1; x++) {
            int16_t gx = (int16_t)((r0[x + 1] - r0[x - 1]) + 2 * (r1[x + 1] - r1[x - 1]) + (r2[x + 1] - r2[x - 1]));
            int16_t gy = (int16_t)((r2[x - 1] + 2 * r2[x] + r2[x + 1]) - (r0[x - 1] + 2 * r0[x] + r0[x + 1]));
            int16_t g = (int16_t)((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
            uint16_t m = (uint16_t)-(int16_t)(g > t[x]);
            uint16_t val = (uint16_t)(r1[x] & m);
            pe[x] += (uint16_t)(m & 1u);
            pv[x] += val;
            pq[x] += (uint32_t)val * val;
        }
    } else {
        for (ptrdiff_t x = 1; x < w - 1; x++) {
            int16_t gx = (int16_t)((r0[x + 1] - r0[x - 1]) + 2 * (r1[x + 1] - r1[x - 1]) + (r2[x + 1] - r2[x - 1]));
            int16_t gy = (int16_t)((r2[x - 1] + 2 * r2[x] + r2[x + 1]) - (r0[x - 1] + 2 * r0[x] + r0[x + 1]));
            int16_t g = (int16_t)((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
            uint16_t m = (uint16_t)-(int16_t)(g > t[x]);
            uint16_t val = (uint16_t)(r1[x] & m);
            pe[x] = (uint16_t)(m & 1u);
            pv[x] = val;
            pq[x] = (uint32_t)val * val;
        }
    }
}

/* Both edge columns of sobel_edges (columns replicated). */
static void sobel_edges_ends(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2, ptrdiff_t w,
                             const int16_t *t, int add, uint16_t *pe, uint16_t *pv, uint32_t *pq)
{
    for (int side = 0; side < 2 && side < w; side++) {
        ptrdiff_t x = side ? w - 1 : 0;
        ptrdiff_t xl = x > 0 ? x - 1 : 0, xr = x + 1 < w ? x + 1 : w - 1;
        int gx = ((int)r0[xr] - r0[xl]) + 2 * ((int)r1[xr] - r1[xl]) + ((int)r2[xr] - r2[xl]);
        int gy = ((int)r2[xl] + 2 * r2[x] + r2[xr]) - ((int)r0[xl] + 2 * r0[x] + r0[xr]);
        int g = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
        int e = g > t[x];
        uint16_t val = (uint16_t)(e ? r1[x] : 0);
        if (!add)
            pe[x] = pv[x] = 0, pq[x] = 0;
        pe[x] += (uint16_t)e;
        pv[x] += val;
        pq[x] += (uint32_t)val * val;
        if (w == 1)
            break;
    }
}

/* out[x] = the edge threshold of the block holding column x (grid row of
 * gcw blocks of gb columns). */
static void expand_te_row(const uint16_t *grow, ptrdiff_t gcw, ptrdiff_t gb, ptrdiff_t w,
                          int16_t *out)
{
    ptrdiff_t x = 0;
    for (ptrdiff_t g = 0; g < gcw && x < w; g++) {
        ptrdiff_t end = g == gcw - 1 ? w : (g + 1) * gb;
        if (end > w)
            end = w;
        int16_t v = (int16_t)(grow[g] < 32767 ? grow[g] : 32767);
        for (; x < end; x++)
            out[x] = v;
    }
}

/* Cell row (pairs of columns) from the column accumulators. */
AU_INT_CLONES
static void pair_sums(const uint16_t *AU_RESTRICT pe, const uint16_t *AU_RESTRICT pv,
                      const uint32_t *AU_RESTRICT pq, ptrdiff_t w, int32_t *AU_RESTRICT cc,
                      int32_t *AU_RESTRICT c1, int32_t *AU_RESTRICT c2)
{
    ptrdiff_t half = w / 2;
    for (ptrdiff_t c = 0; c < half; c++) {
        cc[c] = pe[2 * c] + pe[2 * c + 1];
        c1[c] = pv[2 * c] + pv[2 * c + 1];
        c2[c] = (int32_t)(pq[2 * c] + pq[2 * c + 1]);
    }
    if (w & 1) {
        cc[half] = pe[w - 1];
        c1[half] = pv[w - 1];
        c2[half] = (int32_t)pq[w - 1];
    }
}

AU_INT_CLONES
static void add_row(int32_t *AU_RESTRICT acc, const int32_t *AU_RESTRICT row, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++)
        acc[i] += row[i];
}

AU_INT_CLONES
static void sub_row(int32_t *AU_RESTRICT acc, const int32_t *AU_RESTRICT row, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++)
        acc[i] -= row[i];
}

/* Duplicate each cell limit over its two pixel columns. */
AU_INT_CLONES
static void expand_pairs(const uint8_t *AU_RESTRICT lim, ptrdiff_t cw, uint16_t *AU_RESTRICT out)
{
    for (ptrdiff_t c = 0; c < cw; c++)
        out[c] = (uint16_t)(lim[c] * 257u);
}

AU_INT_CLONES
static void code_row(uint8_t *v, const uint8_t *AU_RESTRICT lim2,
                     const uint8_t *AU_RESTRICT strong, const uint8_t *AU_RESTRICT faint,
                     ptrdiff_t w, int tg)
{
    for (ptrdiff_t x = 0; x < w; x++) {
        int p = v[x];
        int ink = p < lim2[x];
        /* branch-free (vectorises): strong <= faint, so the ink code is
         * 0, 32 or 64 as the pixel is below neither, one or both levels */
        int ink_code = 32 * (p >= strong[x]) + 32 * (p >= faint[x]);
        int paper_code = OCRPREP_PAPER_DARK + (OCRPREP_PAPER - OCRPREP_PAPER_DARK) * (p > tg);
        v[x] = (uint8_t)(paper_code + ink * (ink_code - paper_code));
    }
}

/* code_row into another buffer (the normalised row is kept). */
AU_INT_CLONES
static void code_row_to(const uint8_t *AU_RESTRICT v, uint8_t *AU_RESTRICT d,
                        const uint8_t *AU_RESTRICT lim2, const uint8_t *AU_RESTRICT strong,
                        const uint8_t *AU_RESTRICT faint, ptrdiff_t w, int tg)
{
    for (ptrdiff_t x = 0; x < w; x++) {
        int p = v[x];
        int ink = p < lim2[x];
        /* branch-free (vectorises): strong <= faint, so the ink code is
         * 0, 32 or 64 as the pixel is below neither, one or both levels */
        int ink_code = 32 * (p >= strong[x]) + 32 * (p >= faint[x]);
        int paper_code = OCRPREP_PAPER_DARK + (OCRPREP_PAPER - OCRPREP_PAPER_DARK) * (p > tg);
        d[x] = (uint8_t)(paper_code + ink * (ink_code - paper_code));
    }
}

/* Limit of one cell from its window sums: ink iff value < limit.  Float is
 * ample: values are 8-bit, so m and var are known to ~1e-3 levels.  Written
 * without branches (masks) so the loop vectorises. */
static inline int32_t cell_limit(float n, float s1, float s2, float nmin, float kstd,
                                 int32_t floorlim)
{
    float inv = 1.0f / (n + (float)(n < 0.5f));
    float m = s1 * inv;
    float var = s2 * inv - m * m;
    var = var * (float)(var > 0.0f);
    int32_t l = (int32_t)(m + kstd * sqrtf(var)) + 1; /* values >= 0: truncation = floor */
    l = l < floorlim ? l : floorlim;
    return l & -(int32_t)(n >= nmin);
}

/* Limits of the cells [c0, c1) whose windows [c - r, c + r] lie inside the
 * row, from prefix sums (P[c] = sum of the first c cells, modulo 2^32: the
 * differences are exact because every window sum is below 2^31). */
OCRPREP_CLONES
static void limits_inner(const uint32_t *AU_RESTRICT p0, const uint32_t *AU_RESTRICT p1,
                         const uint32_t *AU_RESTRICT p2, ptrdiff_t c0, ptrdiff_t c1, int r,
                         float nmin, float kstd, const uint8_t *AU_RESTRICT fl,
                         uint8_t *AU_RESTRICT lim)
{
    for (ptrdiff_t c = c0; c < c1; c++) {
        float n = (float)(int32_t)(p0[c + r + 1] - p0[c - r]);
        float s1 = (float)(int32_t)(p1[c + r + 1] - p1[c - r]);
        float s2 = (float)(int32_t)(p2[c + r + 1] - p2[c - r]);
        lim[c] = (uint8_t)cell_limit(n, s1, s2, nmin, kstd, fl[c]);
    }
}

/* out[c] = v[c - r] + ... + v[c + r] for c in [0, cw): v is padded with r
 * zero cells either side, so the clipped windows need no special case
 * (2r + 1 vectorised passes: cheaper than a prefix sum, a chain of
 * dependent additions, while the window is small). */
AU_INT_CLONES
static void window_row(const int32_t *AU_RESTRICT vpad, ptrdiff_t cw, int r, int32_t *AU_RESTRICT out)
{
    for (ptrdiff_t c = 0; c < cw; c++)
        out[c] = vpad[c];
    for (int j = 1; j <= 2 * r; j++)
        for (ptrdiff_t c = 0; c < cw; c++)
            out[c] += vpad[c + j];
}

/* Limits of the cells [0, cw) from their window sums. */
OCRPREP_CLONES
static void limits_sums(const int32_t *AU_RESTRICT sn, const int32_t *AU_RESTRICT s1,
                        const int32_t *AU_RESTRICT s2, ptrdiff_t cw, float nmin, float kstd,
                        const uint8_t *AU_RESTRICT fl, uint8_t *AU_RESTRICT lim)
{
    for (ptrdiff_t c = 0; c < cw; c++)
        lim[c] = (uint8_t)cell_limit((float)sn[c], (float)s1[c], (float)s2[c], nmin, kstd, fl[c]);
}

/* Windows up to this radius (in cells) are summed directly (window_row). */
#define AU_DIRECT_RADIUS 16

/* Limits of a cell row from the window sums over cell rows (vc, v1, v2,
 * each padded with r zero cells either side; pre: scratch of
 * 3 * (cw + 1) values). */
static void cell_limits(const int32_t *vc, const int32_t *v1, const int32_t *v2, ptrdiff_t cw,
                        const ocrprep_auto_params *prm, const uint8_t *fl, uint32_t *pre,
                        uint8_t *lim)
{
    const int r = prm->k / 2;
    float nmin = (float)prm->nmin, kstd = (float)prm->kstd;
    if (r <= AU_DIRECT_RADIUS) {
        int32_t *sn = (int32_t *)pre, *s1 = sn + cw + 1, *s2 = s1 + cw + 1;
        window_row(vc - r, cw, r, sn);
        window_row(v1 - r, cw, r, s1);
        window_row(v2 - r, cw, r, s2);
        limits_sums(sn, s1, s2, cw, nmin, kstd, fl, lim);
        return;
    }
    uint32_t *p0 = pre, *p1 = pre + cw + 1, *p2 = pre + 2 * (cw + 1);
    uint32_t a0 = 0, a1 = 0, a2 = 0;
    p0[0] = p1[0] = p2[0] = 0;
    for (ptrdiff_t c = 0; c < cw; c++) {
        a0 += (uint32_t)vc[c];
        a1 += (uint32_t)v1[c];
        a2 += (uint32_t)v2[c];
        p0[c + 1] = a0;
        p1[c + 1] = a1;
        p2[c + 1] = a2;
    }
    ptrdiff_t in0 = r < cw ? r : cw, in1 = cw - r > in0 ? cw - r : in0;
    for (ptrdiff_t c = 0; c < in0; c++) {
        ptrdiff_t lo = c - r < 0 ? 0 : c - r, hi = c + r + 1 < cw ? c + r + 1 : cw;
        lim[c] = (uint8_t)cell_limit((float)(int32_t)(p0[hi] - p0[lo]),
                                          (float)(int32_t)(p1[hi] - p1[lo]),
                                          (float)(int32_t)(p2[hi] - p2[lo]), nmin, kstd, fl[c]);
    }
    limits_inner(p0, p1, p2, in0, in1, r, nmin, kstd, fl, lim);
    for (ptrdiff_t c = in1; c < cw; c++) {
        ptrdiff_t lo = c - r < 0 ? 0 : c - r, hi = c + r + 1 < cw ? c + r + 1 : cw;
        lim[c] = (uint8_t)cell_limit((float)(int32_t)(p0[hi] - p0[lo]),
                                          (float)(int32_t)(p1[hi] - p1[lo]),
                                          (float)(int32_t)(p2[hi] - p2[lo]), nmin, kstd, fl[c]);
    }
}

/* out[i] = grid row value of the block holding position i * step (the last
 * block for positions past the grid): runs of equal values, no division. */
static void expand_grid_row(const uint8_t *grow, ptrdiff_t gcw, ptrdiff_t gb, ptrdiff_t step,
                            ptrdiff_t n, uint8_t *out)
{
    ptrdiff_t i = 0;
    for (ptrdiff_t g = 0; g < gcw && i < n; g++) {
        /* i * step / gb == g  <=>  g * gb <= i * step < (g + 1) * gb */
        ptrdiff_t end = g == gcw - 1 ? n : ((g + 1) * gb + step - 1) / step;
        if (end > n)
            end = n;
        if (end > i) {
            memset(out + i, grow[g], (size_t)(end - i));
            i = end;
        }
    }
}

int ocrprep_auto_fused_band(uint8_t *const *rows, ptrdiff_t ybase, ptrdiff_t yend, ptrdiff_t h,
                            ptrdiff_t w, ptrdiff_t y0, ptrdiff_t y1,
                            const ocrprep_auto_params *prm)
{
    (void)yend;
    if (y0 >= y1)
        return 0;
    const int k = prm->k, r = k / 2;
    const ptrdiff_t cw = (w + 1) / 2, ch = (h + 1) / 2;
    const ptrdiff_t ring = k + 1;
    /* row pitch, room for the expanded limits; even, so lim2 = lim + cwp is 2-aligned (uint16_t pairs) */
    const ptrdiff_t cwp = (cw + 9) & ~(ptrdiff_t)1;
    size_t bytes = sizeof(uint32_t) * 3 * (size_t)(cw + 1 + 1)  /* prefix sums */
                   + sizeof(int32_t) * (size_t)cwp * 3 * (ring + 1) /* ring + window sums */
                   + sizeof(int32_t) * (size_t)r * 6              /* their zero pads */
                   + sizeof(uint32_t) * (size_t)w                 /* pq */
                   + sizeof(uint16_t) * (size_t)w * 3             /* g, pe, pv */
                   + (size_t)cwp * 4 + (size_t)w + 64              /* lim, lim2, floors, strong */
                   + sizeof(int16_t) * (size_t)w + 64              /* edge thresholds */
                   + (size_t)w + 64;                               /* faint levels */
    char *mem = malloc(bytes);
    if (!mem)
        return -1;
    uint32_t *pre = (uint32_t *)mem;
    /* window sums over cell rows, each with r zero cells either side */
    int32_t *vc = (int32_t *)(pre + 3 * (cw + 1) + 3) + r;
    int32_t *v1 = vc + cwp + 2 * r;
    int32_t *v2 = v1 + cwp + 2 * r;
    int32_t *rc = v2 + cwp + r; /* ring of cell rows: cnt | sum | sum of squares */
    uint32_t *pq = (uint32_t *)(rc + 3 * ring * cwp);
    uint16_t *g = (uint16_t *)(pq + w);
    uint16_t *pe = g + w;
    uint16_t *pv = pe + w;
    uint8_t *lim = (uint8_t *)(pv + w);
    uint8_t *lim2 = lim + cwp;
    uint8_t *fl = lim2 + 2 * cwp;
    uint8_t *st = fl + cwp;
    int16_t *tr = (int16_t *)(((uintptr_t)(st + w) + 63) & ~(uintptr_t)63);
    ptrdiff_t te_row = -1;
    if (!prm->te_grid) /* one threshold: the row of thresholds never changes */
        for (ptrdiff_t x = 0; x < w; x++)
            tr[x] = (int16_t)(prm->te < 32767 ? prm->te : 32767);
    uint8_t *fa = (uint8_t *)(tr + w);
    ptrdiff_t level_row = -1;
    memset(vc - r, 0, sizeof(int32_t) * 3 * (size_t)(cwp + 2 * r));

    const ptrdiff_t j0 = y0 / 2, j1 = (y1 + 1) / 2; /* cell rows to emit: [j0, j1) */
    ptrdiff_t lo = j0 - r < 0 ? 0 : j0 - r;        /* window rows currently summed: [lo, hi) */
    ptrdiff_t hi = lo;
    for (ptrdiff_t j = j0; j < j1; j++) {
        ptrdiff_t want_hi = j + r + 1 < ch ? j + r + 1 : ch;
        ptrdiff_t want_lo = j - r < 0 ? 0 : j - r;
        while (hi < want_hi) { /* compute and add cell row hi */
            int32_t *cc = rc + (hi % ring) * 3 * cwp;
            for (ptrdiff_t y = 2 * hi; y < 2 * hi + 2 && y < h; y++) {
                const uint8_t *q0 = clamp_row(rows, ybase, h, y - 1);
                const uint8_t *q1 = clamp_row(rows, ybase, h, y);
                const uint8_t *q2 = clamp_row(rows, ybase, h, y + 1);
                int add = y > 2 * hi;
                ptrdiff_t ty = y / prm->gb < prm->gch ? y / prm->gb : prm->gch - 1;
                if (prm->te_grid && ty != te_row) {
                    expand_te_row(prm->te_grid + ty * prm->gcw, prm->gcw, prm->gb, w, tr);
                    te_row = ty;
                }
                sobel_edges(q0, q1, q2, w, tr, add, pe, pv, pq);
                sobel_edges_ends(q0, q1, q2, w, tr, add, pe, pv, pq);
            }
            pair_sums(pe, pv, pq, w, cc, cc + cwp, cc + 2 * cwp);
            add_row(vc, cc, cw);
            add_row(v1, cc + cwp, cw);
            add_row(v2, cc + 2 * cwp, cw);
            hi++;
        }
        while (lo < want_lo) { /* drop cell row lo */
            const int32_t *cc = rc + (lo % ring) * 3 * cwp;
            sub_row(vc, cc, cw);
            sub_row(v1, cc + cwp, cw);
            sub_row(v2, cc + 2 * cwp, cw);
            lo++;
        }
        ptrdiff_t gy = 2 * j / prm->gb < prm->gch ? 2 * j / prm->gb : prm->gch - 1;
        expand_grid_row(prm->floor_grid + gy * prm->gcw, prm->gcw, prm->gb, 2, cw, fl);
        cell_limits(vc, v1, v2, cw, prm, fl, pre, lim);
        expand_pairs(lim, cw, (uint16_t *)lim2);
        /* Rows 2j, 2j+1 are no longer needed by any Sobel (cell row j + 1,
         * the last reader of row 2j + 1, is summed because k >= 3). */
        for (ptrdiff_t y = 2 * j; y < 2 * j + 2 && y < h; y++)
            if (y >= y0 && y < y1) {
                ptrdiff_t sy = y / prm->gb < prm->gch ? y / prm->gb : prm->gch - 1;
                if (sy != level_row) { /* the levels change once per block row */
                    expand_grid_row(prm->strong_grid + sy * prm->gcw, prm->gcw, prm->gb, 1, w, st);
                    expand_grid_row((prm->faint_grid ? prm->faint_grid : prm->strong_grid) + sy * prm->gcw,
                                    prm->gcw, prm->gb, 1, w, fa);
                    level_row = sy;
                }
                if (prm->dst)
                    code_row_to(rows[y - ybase], prm->dst + y * prm->dst_stride, lim2, st, fa, w, prm->tg);
                else
                    code_row(rows[y - ybase], lim2, st, fa, w, prm->tg);
            }
    }
    free(mem);
    return 0;
}
