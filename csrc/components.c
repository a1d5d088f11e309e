/* Row loops of ocrprep.components' shape statistics.
 *
 * The ink runs of a row are short and scattered; measuring them pixel by
 * pixel where they lie reads the grey rows a few bytes at a time.  Instead
 * the 3 x 3 sums, the Sobel magnitudes and the paper-above-or-below flags
 * of the stretch of the row holding ink are computed in one vectorised
 * pass (baseline and AVX2, OCRPREP_CLONES), and each run then only takes
 * a minimum and a masked sum of them (src/ocrprep/_components.pyx).
 */
#include "dispatch.h"
#include "components.h"

#if defined(__GNUC__)
#define CC_RESTRICT __restrict__
#else
#define CC_RESTRICT
#endif

static inline int cc_col(const uint8_t *n0, const uint8_t *n1, const uint8_t *n2, ptrdiff_t x)
{
    return n0[x] + n1[x] + n2[x];
}

/* One pixel with the columns clamped to [0, w). */
static void cc_pixel(const uint8_t *n0, const uint8_t *n1, const uint8_t *n2, const uint8_t *up,
                     const uint8_t *dn, ptrdiff_t w, ptrdiff_t x, uint16_t *s9, uint16_t *g,
                     uint8_t *bd)
{
    ptrdiff_t xl = x > 0 ? x - 1 : 0, xr = x + 1 < w ? x + 1 : w - 1;
    s9[x] = (uint16_t)(cc_col(n0, n1, n2, xl) + cc_col(n0, n1, n2, x) + cc_col(n0, n1, n2, xr));
    int gx = ((int)n0[xr] - n0[xl]) + 2 * ((int)n1[xr] - n1[xl]) + ((int)n2[xr] - n2[xl]);
    int gy = ((int)n2[xl] + 2 * n2[x] + n2[xr]) - ((int)n0[xl] + 2 * n0[x] + n0[xr]);
    g[x] = (uint16_t)((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
    bd[x] = (uint8_t)((up[x] | dn[x]) >> 7);
}

/* Interior columns [x0, x1), 1 <= x0, x1 <= w - 1: no clamping. */
OCRPREP_CLONES
static void cc_inner(const uint8_t *CC_RESTRICT n0, const uint8_t *CC_RESTRICT n1,
                     const uint8_t *CC_RESTRICT n2, const uint8_t *CC_RESTRICT up,
                     const uint8_t *CC_RESTRICT dn, ptrdiff_t x0, ptrdiff_t x1,
                     uint16_t *CC_RESTRICT s9, uint16_t *CC_RESTRICT g, uint8_t *CC_RESTRICT bd)
{
    for (ptrdiff_t x = x0; x < x1; x++) {
        uint16_t a = n0[x - 1], b = n0[x], c = n0[x + 1];
        uint16_t d = n1[x - 1], e = n1[x], f = n1[x + 1];
        uint16_t p = n2[x - 1], q = n2[x], r = n2[x + 1];
        s9[x] = (uint16_t)(a + b + c + d + e + f + p + q + r);
        int16_t gx = (int16_t)((c - a) + 2 * (f - d) + (r - p));
        int16_t gy = (int16_t)((p + 2 * q + r) - (a + 2 * b + c));
        g[x] = (uint16_t)((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
        bd[x] = (uint8_t)((up[x] | dn[x]) >> 7);
    }
}

void ocrprep_cc_shape_row(const uint8_t *n0, const uint8_t *n1, const uint8_t *n2,
                          const uint8_t *up, const uint8_t *dn, ptrdiff_t w, ptrdiff_t x0,
                          ptrdiff_t x1, uint16_t *s9, uint16_t *g, uint8_t *bd)
{
    ptrdiff_t i0 = x0 > 1 ? x0 : 1, i1 = x1 < w - 1 ? x1 : w - 1;
    if (i0 < i1)
        cc_inner(n0, n1, n2, up, dn, i0, i1, s9, g, bd);
    else
        i0 = i1 = x1; /* no interior column: every column below is an edge one */
    for (ptrdiff_t x = x0; x < i0; x++)
        cc_pixel(n0, n1, n2, up, dn, w, x, s9, g, bd);
    for (ptrdiff_t x = i1 > x0 ? i1 : x0; x < x1; x++)
        cc_pixel(n0, n1, n2, up, dn, w, x, s9, g, bd);
}
