/* Luma of RGB(A) pixels, exactly as Pillow's RGB -> L conversion:
 *
 *     L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16
 *
 * The weights are 0.299, 0.587, 0.114 in 16-bit fixed point (summing to
 * 65536).  Written that way the sums need 32-bit lanes.  Splitting each
 * weight into 256 * high + low byte (76|139, 150|70, 29|47) keeps every
 * intermediate in 16 bits, twice as many lanes per vector:
 *
 *     hi = 76 R + 150 G + 29 B + 128      (<= 65153)
 *     lo = 139 R + 70 G + 47 B            (<= 65280)
 *     L  = (hi + (lo >> 8)) >> 8          (hi + (lo >> 8) <= 65408)
 *
 * which equals the 32-bit formula for all 2^24 colours: with A = hi and
 * B = lo, floor((256 A + B) / 65536) = floor((A + floor(B / 256)) / 256).
 *
 * The 3-byte layout needs byte shuffles to de-interleave; on bare SSE2 the
 * compiler's de-interleaving is slower than scalar code, so
 * ocrprep_luma_rgb_vectorised() tells the caller whether to use this loop.
 */
#include "dispatch.h"
#include "color.h"

#if defined(__GNUC__)
#define COLOR_RESTRICT __restrict__
#elif defined(_MSC_VER)
#define COLOR_RESTRICT __restrict
#else
#define COLOR_RESTRICT
#endif

#define LUMA16(r, g, b)                                                         \
    ((uint8_t)((uint16_t)((uint16_t)(76 * (r) + 150 * (g) + 29 * (b) + 128) +    \
                          ((uint16_t)(139 * (r) + 70 * (g) + 47 * (b)) >> 8)) >> \
               8))

OCRPREP_CLONES
void ocrprep_luma_rgb(const uint8_t *s, uint8_t *COLOR_RESTRICT d, ptrdiff_t n)
{
    ptrdiff_t x;
    for (x = 0; x < n; x++) {
        uint16_t r = s[3 * x], g = s[3 * x + 1], b = s[3 * x + 2];
        d[x] = LUMA16(r, g, b);
    }
}

OCRPREP_CLONES
void ocrprep_luma_rgbx(const uint8_t *s, uint8_t *COLOR_RESTRICT d, ptrdiff_t n)
{
    ptrdiff_t x;
    for (x = 0; x < n; x++) {
        uint16_t r = s[4 * x], g = s[4 * x + 1], b = s[4 * x + 2];
        d[x] = LUMA16(r, g, b);
    }
}

/* "" when dispatch.h compiles no AVX2 clone on this platform. */
#define COLOR_STR2(...) #__VA_ARGS__
#define COLOR_STR(...) COLOR_STR2(__VA_ARGS__)

int ocrprep_luma_rgb_vectorised(void)
{
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#if defined(__AVX2__) || defined(__SSSE3__)
    return 1; /* the whole build targets a CPU with byte shuffles */
#elif defined(__GNUC__)
    static const char clones[] = COLOR_STR(OCRPREP_CLONES);
    if (sizeof(clones) <= 1)
        return 0; /* no AVX2 clone was compiled */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
#else
    return 1; /* NEON and friends de-interleave in one instruction */
#endif
}

/* The ink channel of a colour page (ocrprep.auto): the luma darkened by
 * kw / 256 of the pixel's chroma distance from the paper's chroma at its
 * brightness.  With a = R - G and c = R + G - 2B (twice the blue-yellow
 * opponent), the paper's (a0, c0) at luma L0 scaled to the pixel's luma L
 * are (ka * 128 L) >> 16 and (kc * 128 L) >> 16 (ka = round(512 a0 / L0),
 * kc = round(512 c0 / L0), |ka|, |kc| < 2^15); the distance
 * sqrt(da^2 + (dc / 2)^2) is approximated by max + 3/8 min of the two
 * magnitudes (within 7 %):
 *
 *     d[x] = max(0, L - ((min(dist, 65280 / kw) * kw + 128) >> 8))
 *
 * (the clamp changes nothing: from there on the result is 0 anyway).
 * Every intermediate fits 16 bits - the paper's chroma at L is a
 * multiply-high of 16-bit lanes - so a vector holds 16 pixels (AVX2).  A grey pixel on grey paper
 * (ka = kc = 0, R = G = B) keeps its luma exactly. */
/* One loop; the luma is kept as uint16 and the multiply-high operand cast
 * through uint16, so the compiler keeps 16-bit lanes (it widens to 32 bits
 * when the operand comes straight from an 8-bit value).  The luma here is
 * the 8-bit-weight one, (77 R + 150 G + 29 B + 128) >> 8 (within one level
 * of Pillow's; exact on grey, R = G = B), half the multiplies.  KW256: the
 * default weight kw = 256, where the product is the distance itself. */
#define INK_BODY(PS, KW256)                                                         \
    for (ptrdiff_t x = 0; x < n; x++) {                                             \
        uint16_t r = s[PS * x], g = s[PS * x + 1], b = s[PS * x + 2];               \
        uint16_t lu = (uint16_t)((uint16_t)(77 * r + 150 * g + 29 * b + 128) >> 8); \
        int16_t l7 = (int16_t)(uint16_t)(lu << 7);                                  \
        int16_t ea = (int16_t)(((int32_t)l7 * ka) >> 16);   /* multiply-high */    \
        int16_t ec = (int16_t)(((int32_t)l7 * kc) >> 16);                           \
        int16_t da = (int16_t)((int16_t)(r - g) - ea);                              \
        int16_t dc = (int16_t)((int16_t)((int16_t)(r + g - 2 * b) - ec) >> 1);      \
        da = da < 0 ? (int16_t)-da : da;                                            \
        dc = dc < 0 ? (int16_t)-dc : dc;                                            \
        int16_t hi = da > dc ? da : dc, lo = da > dc ? dc : da;                     \
        int16_t dist = (int16_t)(hi + ((3 * lo) >> 3));                             \
        dist = dist > dmax ? dmax : dist;                                           \
        uint16_t sub = KW256 ? (uint16_t)dist                                       \
                             : (uint16_t)(((uint16_t)dist * (uint16_t)kw + 128) >> 8); \
        int16_t v = (int16_t)(lu - sub);                                            \
        d[x] = (uint8_t)(v < 0 ? 0 : v);                                            \
    }

/* An x86-64-v4 (AVX-512) clone too where the build makes clones and GCC
 * knows the level (11+): 32 pixels a vector and a shorter 3-byte
 * de-interleave - 2.0 against 3.3 ms for an A4 page on an AVX-512 CPU. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && defined(__x86_64__) && \
    defined(__GLIBC__) && !defined(OCRPREP_NO_CLONES)
#define INK_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define INK_CLONES OCRPREP_CLONES
#endif

#define INK_FN(NAME, PS, KW256)                                                     \
    INK_CLONES                                                                      \
    static void NAME(const uint8_t *COLOR_RESTRICT s, uint8_t *COLOR_RESTRICT d,    \
                     ptrdiff_t n, int16_t ka, int16_t kc, uint16_t kw, int16_t dmax) \
    {                                                                               \
        (void)kw;                                                                   \
        INK_BODY(PS, KW256)                                                         \
    }

INK_FN(ink_rgb3, 3, 0)
INK_FN(ink_rgb4, 4, 0)
INK_FN(ink_rgb3_w256, 3, 1)
INK_FN(ink_rgb4_w256, 4, 1)

void ocrprep_ink_rgb(const uint8_t *s, ptrdiff_t ps, uint8_t *d, ptrdiff_t n, int32_t ka, int32_t kc,
                     int32_t kw)
{
    /* kw <= 256 (checked by the caller); dist * kw <= 65280 fits 16 bits */
    int16_t dmax = (int16_t)(kw > 0 ? 65280 / kw : 32767);
    if (dmax > 16383)
        dmax = 16383;
    if (kw == 256)
        (ps == 4 ? ink_rgb4_w256 : ink_rgb3_w256)(s, d, n, (int16_t)ka, (int16_t)kc, 256, dmax);
    else
        (ps == 4 ? ink_rgb4 : ink_rgb3)(s, d, n, (int16_t)ka, (int16_t)kc, (uint16_t)kw, dmax);
}
