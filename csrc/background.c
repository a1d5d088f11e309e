/* Row loops of ocrprep.background (see background.h).
 *
 * The background surface is estimated on a grid of b x b block means
 * (src/ocrprep/_background.pyx); only two passes touch every pixel:
 * block sums (one read) and the flat-field normalisation (one read, one
 * write), both plain loops the compiler vectorises, compiled for baseline
 * and AVX2 (OCRPREP_CLONES).
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "background.h"

#if defined(__GNUC__)
#define BG_RESTRICT __restrict__
#else
#define BG_RESTRICT
#endif

/* Sum of the 8 bytes of v. */
static inline uint32_t sum8(uint64_t v)
{
    v = (v & 0x00FF00FF00FF00FFull) + ((v >> 8) & 0x00FF00FF00FF00FFull);
    v = (v & 0x0000FFFF0000FFFFull) + ((v >> 16) & 0x0000FFFF0000FFFFull);
    v = (v & 0x00000000FFFFFFFFull) + (v >> 32);
    return (uint32_t)v;
}

OCRPREP_CLONES
static void min_row(const uint8_t *BG_RESTRICT p, ptrdiff_t w, uint8_t *BG_RESTRICT mn)
{
    for (ptrdiff_t x = 0; x < w; x++)
        mn[x] = p[x] < mn[x] ? p[x] : mn[x];
}

/* Column minima of rows [y0, y1) (one block row, or its part) reduced to
 * the blocks: mins[(y0 / b) * cw + x / b] = min(itself, ...). */
static void block_mins(const uint8_t *src, ptrdiff_t stride, ptrdiff_t w, ptrdiff_t y0,
                       ptrdiff_t y1, ptrdiff_t b, uint8_t *col, uint8_t *mins, ptrdiff_t cw)
{
    memset(col, 255, (size_t)w);
    for (ptrdiff_t y = y0; y < y1; y++)
        min_row(src + y * stride, w, col);
    uint8_t *m = mins + (y0 / b) * cw;
    for (ptrdiff_t i = 0; i < cw; i++) {
        ptrdiff_t x1 = (i + 1) * b < w ? (i + 1) * b : w;
        uint8_t v = m[i];
        for (ptrdiff_t x = i * b; x < x1; x++)
            v = col[x] < v ? col[x] : v;
        m[i] = v;
    }
}

int ocrprep_bg_block_sums_mins(const uint8_t *src, ptrdiff_t stride, ptrdiff_t w, ptrdiff_t y0,
                               ptrdiff_t y1, ptrdiff_t b, uint32_t *acc, uint8_t *mins,
                               ptrdiff_t cw)
{
    ocrprep_bg_block_sums(src, stride, w, y0, y1, b, acc, cw);
    uint8_t *col = malloc((size_t)w);
    if (!col)
        return -1;
    for (ptrdiff_t y = y0; y < y1;) {
        ptrdiff_t end = (y / b + 1) * b < y1 ? (y / b + 1) * b : y1;
        block_mins(src, stride, w, y, end, b, col, mins, cw);
        y = end;
    }
    free(col);
    return 0;
}

void ocrprep_bg_block_sums(const uint8_t *src, ptrdiff_t stride, ptrdiff_t w, ptrdiff_t y0,
                           ptrdiff_t y1, ptrdiff_t b, uint32_t *acc, ptrdiff_t cw)
{
    for (ptrdiff_t y = y0; y < y1; y++) {
        const uint8_t *p = src + y * stride;
        uint32_t *a = acc + (y / b) * cw;
        ptrdiff_t full = w / b, x = 0;
        if (b == 8) {
            for (ptrdiff_t i = 0; i < full; i++) {
                uint64_t v;
                memcpy(&v, p + 8 * i, 8);
                a[i] += sum8(v);
            }
            x = full * 8;
        } else {
            for (ptrdiff_t i = 0; i < full; i++) {
                uint32_t s = 0;
                for (ptrdiff_t j = 0; j < b; j++)
                    s += p[i * b + j];
                a[i] += s;
            }
            x = full * b;
        }
        if (x < w) {
            uint32_t s = 0;
            for (; x < w; x++)
                s += p[x];
            a[full] += s;
        }
    }
}

/* One row of a block row: per column, add the pixels at or above their
 * block's mean (thr[x] = ceil(block mean)) and count them; track the maximum. */
OCRPREP_CLONES
static void upper_row(const uint8_t *BG_RESTRICT p, const uint8_t *BG_RESTRICT thr, ptrdiff_t w,
                      uint16_t *BG_RESTRICT us, uint8_t *BG_RESTRICT un, uint8_t *BG_RESTRICT mx)
{
    for (ptrdiff_t x = 0; x < w; x++) {
        uint8_t v = p[x], up = v >= thr[x];
        us[x] = (uint16_t)(us[x] + (up ? v : 0));
        un[x] = (uint8_t)(un[x] + up);
        mx[x] = v > mx[x] ? v : mx[x];
    }
}

int ocrprep_bg_block_upper(const uint8_t *src, ptrdiff_t stride, ptrdiff_t h, ptrdiff_t w,
                           ptrdiff_t y0, ptrdiff_t y1, ptrdiff_t b, const uint32_t *acc,
                           float *upper, uint8_t *maxs, ptrdiff_t cw)
{
    /* column-wise accumulation over the block's rows (vectorised), then per
     * block: O(w) scratch, b <= 64 keeps the 16-bit column sums exact */
    if (b > 64)
        return -2;
    /* the 16-bit sums first: malloc's alignment (after 3w bytes they were misaligned for odd w) */
    uint16_t *us = malloc((size_t)w * sizeof(uint16_t) + (size_t)w * 3);
    if (!us)
        return -1;
    uint8_t *thr = (uint8_t *)(us + w), *un = thr + w, *mx = un + w;
    for (ptrdiff_t by = y0 / b; by * b < y1; by++) {
        ptrdiff_t r0 = by * b, r1 = r0 + b < h ? r0 + b : h;
        for (ptrdiff_t bx = 0; bx < cw; bx++) {
            ptrdiff_t c0 = bx * b, c1 = c0 + b < w ? c0 + b : w;
            uint32_t n = (uint32_t)((r1 - r0) * (c1 - c0)), sum = acc[by * cw + bx];
            /* v * n >= sum  <=>  v >= ceil(sum / n) (integers) */
            uint8_t t = (uint8_t)((sum + n - 1) / n);
            memset(thr + c0, t, (size_t)(c1 - c0));
        }
        memset(un, 0, (size_t)w);
        memset(mx, 0, (size_t)w);
        memset(us, 0, (size_t)w * sizeof(uint16_t));
        for (ptrdiff_t y = r0; y < r1; y++)
            upper_row(src + y * stride, thr, w, us, un, mx);
        for (ptrdiff_t bx = 0; bx < cw; bx++) {
            ptrdiff_t c0 = bx * b, c1 = c0 + b < w ? c0 + b : w;
            uint32_t s = 0, k = 0;
            uint8_t hi = 0;
            for (ptrdiff_t x = c0; x < c1; x++) {
                s += us[x];
                k += un[x];
                hi = mx[x] > hi ? mx[x] : hi;
            }
            upper[by * cw + bx] = k ? (float)s / (float)k : 0.0f;
            maxs[by * cw + bx] = hi;
        }
    }
    free(us);
    return 0;
}

OCRPREP_CLONES
static void minmax_rows(const uint8_t *BG_RESTRICT p, ptrdiff_t w, uint8_t *BG_RESTRICT mn,
                        uint8_t *BG_RESTRICT mx, uint16_t *BG_RESTRICT sm)
{
    for (ptrdiff_t x = 0; x < w; x++) {
        uint8_t v = p[x];
        mn[x] = v < mn[x] ? v : mn[x];
        mx[x] = v > mx[x] ? v : mx[x];
        sm[x] = (uint16_t)(sm[x] + v);
    }
}

int ocrprep_bg_block_skew(const uint8_t *src, ptrdiff_t stride, ptrdiff_t h, ptrdiff_t w,
                          ptrdiff_t b, ptrdiff_t step, float *d, float *l)
{
    /* column-wise min / max / sum over the block's rows, then per block */
    /* the 16-bit sums first, at malloc's alignment (after 2w bytes: misaligned for odd w) */
    uint16_t *sm = malloc((size_t)w * sizeof(uint16_t) + (size_t)w * 2);
    if (!sm)
        return -1;
    uint8_t *mn = (uint8_t *)(sm + w), *mx = mn + w;
    if (b > 64)
        b = 64; /* keeps the 16-bit column sums exact */
    ptrdiff_t nby = h / b, nbx = w / b, i = 0; /* whole blocks only */
    for (ptrdiff_t by = 0; by < nby; by += step) {
        memset(mn, 255, (size_t)w);
        memset(mx, 0, (size_t)w);
        memset(sm, 0, (size_t)w * sizeof(uint16_t));
        for (ptrdiff_t y = by * b; y < by * b + b; y++)
            minmax_rows(src + y * stride, w, mn, mx, sm);
        for (ptrdiff_t bx = 0; bx < nbx; bx++) {
            uint8_t lo = 255, hi = 0;
            uint32_t s = 0;
            for (ptrdiff_t x = bx * b; x < bx * b + b; x++) {
                lo = mn[x] < lo ? mn[x] : lo;
                hi = mx[x] > hi ? mx[x] : hi;
                s += sm[x];
            }
            float mean = (float)s / (float)(b * b);
            d[i] = mean - lo;
            l[i] = hi - mean;
            i++;
        }
    }
    free(sm);
    return 0;
}

/* d = round(s * gain), the gain row interpolated between the grid rows a
 * and c with weight f on the way (a + f * (c - a), not stored). */
OCRPREP_CLONES
static void lerp_scale_row(const uint8_t *s, const float *BG_RESTRICT a, const float *BG_RESTRICT c,
                           float f, ptrdiff_t w, uint8_t *d)
{
    for (ptrdiff_t x = 0; x < w; x++) {
        float g = a[x] + f * (c[x] - a[x]);
        float v = (float)s[x] * g + 0.5f;
        v = v < 255.0f ? v : 255.0f;
        d[x] = (uint8_t)(int)v;
    }
}

/* One grid row interpolated to full width: out[x] = g[i] + fx[x] * (g[j] -
 * g[i]) with i = x0[x], j = min(i + 1, cw - 1), taken a stretch of equal i
 * (a block) at a time, so the inner loop has no gathers and vectorises. */
static void expand_row(const float *grow, ptrdiff_t cw, const int32_t *x0, const float *fx,
                       ptrdiff_t w, float *out)
{
    ptrdiff_t x = 0;
    while (x < w) {
        int32_t i = x0[x];
        ptrdiff_t end = x + 1;
        while (end < w && x0[end] == i)
            end++;
        int32_t j = i + 1 < cw ? i + 1 : i;
        float a = grow[i], d = grow[j] - grow[i];
        for (; x < end; x++)
            out[x] = a + fx[x] * d;
    }
}

/* Grid cell i0 and weight f of pixel p: value = g[i0] + f * (g[i0 + 1] - g[i0]).
 * Cell centres sit at (i + 0.5) * b - 0.5; beyond the first / last centre
 * (the outer half block) the line through the two outer cells is followed,
 * so a slope does not flatten at the border. */
static void grid_pos(ptrdiff_t p, ptrdiff_t b, ptrdiff_t n, int32_t *i0, float *f)
{
    double pos = ((double)p + 0.5) / (double)b - 0.5;
    if (n < 2) {
        *i0 = 0;
        *f = 0.0f;
        return;
    }
    int32_t i = pos <= 0.0 ? 0 : (int32_t)pos;
    if (i > n - 2)
        i = (int32_t)(n - 2);
    *i0 = i;
    *f = (float)(pos - (double)i);
}

int ocrprep_bg_normalize_band(const uint8_t *src, ptrdiff_t sstride, uint8_t *dst,
                              ptrdiff_t dstride, ptrdiff_t h, ptrdiff_t w, const float *gain,
                              ptrdiff_t ch, ptrdiff_t cw, ptrdiff_t b, ptrdiff_t y0,
                              ptrdiff_t y1, int64_t *hist, ptrdiff_t step)
{
    (void)h;
    if (y0 >= y1)
        return 0;
    char *mem = malloc((size_t)w * (2 * sizeof(float) + sizeof(int32_t) + sizeof(float)));
    if (!mem)
        return -1;
    float *rowa = (float *)mem;
    float *rowc = rowa + w;
    float *fx = rowc + w;
    int32_t *x0 = (int32_t *)(fx + w);
    for (ptrdiff_t x = 0; x < w; x++)
        grid_pos(x, b, cw, &x0[x], &fx[x]);
    uint32_t tab[4][256];
    memset(tab, 0, sizeof(tab));
    int32_t ca = -1, cc = -1;
    for (ptrdiff_t y = y0; y < y1; y++) {
        int32_t c0;
        float fy;
        grid_pos(y, b, ch, &c0, &fy);
        int32_t c1 = c0 + 1 < ch ? c0 + 1 : c0;
        if (c0 != ca) {
            if (c0 == cc) { /* slide down one grid row */
                float *t = rowa;
                rowa = rowc;
                rowc = t;
                cc = -1;
            } else {
                expand_row(gain + (ptrdiff_t)c0 * cw, cw, x0, fx, w, rowa);
            }
            ca = c0;
        }
        if (c1 != cc) {
            expand_row(gain + (ptrdiff_t)c1 * cw, cw, x0, fx, w, rowc);
            cc = c1;
        }
        uint8_t *d = dst + y * dstride;
        lerp_scale_row(src + y * sstride, rowa, rowc, fy, w, d);
        if (hist && y % step == 0) {
            /* 4 interleaved tables: runs of equal values (paper) would
             * otherwise serialise on one counter */
            ptrdiff_t x = 0;
            for (; x + 4 <= w; x += 4) {
                tab[0][d[x]]++;
                tab[1][d[x + 1]]++;
                tab[2][d[x + 2]]++;
                tab[3][d[x + 3]]++;
            }
            for (; x < w; x++)
                tab[0][d[x]]++;
            if (y % (step * 4096) == 0) { /* flush long before a counter can overflow */
                for (int t = 0; t < 4; t++)
                    for (int i = 0; i < 256; i++)
                        hist[i] += tab[t][i];
                memset(tab, 0, sizeof(tab));
            }
        }
    }
    if (hist)
        for (int t = 0; t < 4; t++)
            for (int i = 0; i < 256; i++)
                hist[i] += tab[t][i];
    free(mem);
    return 0;
}
