/* Bilinear sampling of the interior of an affine warp; see warp.h.
 *
 * Rotation: the scalar loop gathers four bytes per pixel.  The AVX2 loop does eight
 * pixels per step with two 32-bit gathers: one at the top-left tap (its low
 * two bytes are the top pair) and one two bytes before the bottom-left tap
 * (its high two bytes are the bottom pair), so no load ever leaves the image
 * (top pairs never start on the last row; bottom pairs never start before the
 * second row).  AVX2 is picked at run time; the arithmetic is the same float
 * sequence without FMA, so both paths give identical bytes.
 */
#include "warp.h"
#include "dispatch.h"

#include <limits.h>

static void warp_gray_scalar(const uint8_t *src, ptrdiff_t srow, const float *xm0,
                             const float *xm3, float rx, float ry, ptrdiff_t xa,
                             ptrdiff_t xb, uint8_t *d)
{
    for (ptrdiff_t x = xa; x < xb; x++) {
        float sx = xm0[x] + rx, sy = xm3[x] + ry;
        int ix = (int)sx, iy = (int)sy; /* truncation == floor: both > 0 */
        float fx = sx - (float)ix, fy = sy - (float)iy;
        const uint8_t *p = src + (ptrdiff_t)iy * srow + ix;
        float top = (float)p[0] + fx * ((float)p[1] - (float)p[0]);
        float bot = (float)p[srow] + fx * ((float)p[srow + 1] - (float)p[srow]);
        d[x] = (uint8_t)(int)(top + fy * (bot - top) + 0.5f);
    }
}

static void hpass2_scalar(const uint8_t *s, const int32_t *start, const float *f, ptrdiff_t x0,
                          ptrdiff_t x1, float *o)
{
    for (ptrdiff_t x = x0; x < x1; x++) {
        float b0 = (float)s[start[x]], b1 = (float)s[start[x] + 1];
        o[x] = b0 + f[x] * (b1 - b0);
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(OCRPREP_NO_CLONES)
#define WARP_AVX2 1
#include <immintrin.h>

__attribute__((target("avx2"))) static ptrdiff_t warp_gray_avx2(
    const uint8_t *src, ptrdiff_t srow, const float *xm0, const float *xm3, float rx, float ry,
    ptrdiff_t xa, ptrdiff_t xb, uint8_t *d)
{
    const __m256 vrx = _mm256_set1_ps(rx), vry = _mm256_set1_ps(ry), half = _mm256_set1_ps(0.5f);
    const __m256i vrow = _mm256_set1_epi32((int)srow), lo8 = _mm256_set1_epi32(0xFF);
    const int *top_base = (const int *)(const void *)src;
    const int *bot_base = (const int *)(const void *)(src + srow - 2);
    ptrdiff_t x = xa;
    for (; x + 8 <= xb; x += 8) {
        __m256 sx = _mm256_add_ps(_mm256_loadu_ps(xm0 + x), vrx);
        __m256 sy = _mm256_add_ps(_mm256_loadu_ps(xm3 + x), vry);
        __m256i ix = _mm256_cvttps_epi32(sx), iy = _mm256_cvttps_epi32(sy);
        __m256 fx = _mm256_sub_ps(sx, _mm256_cvtepi32_ps(ix));
        __m256 fy = _mm256_sub_ps(sy, _mm256_cvtepi32_ps(iy));
        __m256i off = _mm256_add_epi32(_mm256_mullo_epi32(iy, vrow), ix);
        __m256i t = _mm256_i32gather_epi32(top_base, off, 1);
        __m256i b = _mm256_i32gather_epi32(bot_base, off, 1);
        __m256 p00 = _mm256_cvtepi32_ps(_mm256_and_si256(t, lo8));
        __m256 p01 = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(t, 8), lo8));
        __m256 p10 = _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(b, 16), lo8));
        __m256 p11 = _mm256_cvtepi32_ps(_mm256_srli_epi32(b, 24));
        __m256 top = _mm256_add_ps(p00, _mm256_mul_ps(fx, _mm256_sub_ps(p01, p00)));
        __m256 bot = _mm256_add_ps(p10, _mm256_mul_ps(fx, _mm256_sub_ps(p11, p10)));
        __m256 v = _mm256_add_ps(_mm256_add_ps(top, _mm256_mul_ps(fy, _mm256_sub_ps(bot, top))), half);
        __m256i vi = _mm256_cvttps_epi32(v);                       /* 0..255 in 32-bit lanes */
        __m256i w16 = _mm256_packus_epi32(vi, vi);                 /* per 128-bit lane */
        __m256i w8 = _mm256_packus_epi16(w16, w16);
        uint32_t lo = (uint32_t)_mm256_extract_epi32(w8, 0), hi = (uint32_t)_mm256_extract_epi32(w8, 4);
        __builtin_memcpy(d + x, &lo, 4);
        __builtin_memcpy(d + x + 4, &hi, 4);
    }
    return x;
}

/* Eight outputs per step without gathers: their taps lie in one 16-byte
 * window starting at the first left tap (when the row is not shrunk by more
 * than about 2x), so one unaligned load and two byte shuffles fetch the left
 * and right taps.  Groups whose taps span more than 16 bytes, or whose window
 * would pass the end of the row, take the scalar loop. */
__attribute__((target("avx2"))) static void hpass2_avx2(const uint8_t *s, ptrdiff_t n,
                                                         const int32_t *start, const float *f,
                                                         ptrdiff_t dw, float *o)
{
    const __m128i one = _mm_set1_epi8(1);
    ptrdiff_t x = 0;
    for (; x + 8 <= dw; x += 8) {
        int32_t b = start[x];
        if (start[x + 7] + 1 - b > 15 || (ptrdiff_t)b + 16 > n) {
            hpass2_scalar(s, start, f, x, x + 8, o);
            continue;
        }
        __m128i win = _mm_loadu_si128((const __m128i *)(const void *)(s + b));
        __m256i rel = _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(const void *)(start + x)),
                                       _mm256_set1_epi32(b));
        __m128i r16 = _mm_packus_epi32(_mm256_castsi256_si128(rel), _mm256_extracti128_si256(rel, 1));
        __m128i r8 = _mm_packus_epi16(r16, r16);
        __m256 b0 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_shuffle_epi8(win, r8)));
        __m256 b1 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_shuffle_epi8(win, _mm_add_epi8(r8, one))));
        __m256 v = _mm256_add_ps(b0, _mm256_mul_ps(_mm256_loadu_ps(f + x), _mm256_sub_ps(b1, b0)));
        _mm256_storeu_ps(o + x, v);
    }
    hpass2_scalar(s, start, f, x, dw, o);
}

#else
#define WARP_AVX2 0
#endif

void ocrprep_warp_gray_span(const uint8_t *src, ptrdiff_t srow, size_t src_bytes,
                            const float *xm0, const float *xm3, float rx, float ry,
                            ptrdiff_t xa, ptrdiff_t xb, uint8_t *d)
{
#if WARP_AVX2
    /* 32-bit gather offsets: images below 2 GiB. */
    if (src_bytes < (size_t)INT_MAX && srow >= 2 && ocrprep_cpu_has_avx2())
        xa = warp_gray_avx2(src, srow, xm0, xm3, rx, ry, xa, xb, d);
#else
    (void)src_bytes;
#endif
    warp_gray_scalar(src, srow, xm0, xm3, rx, ry, xa, xb, d);
}

void ocrprep_hpass2_gray(const uint8_t *s, ptrdiff_t n, const int32_t *start, const float *f,
                         ptrdiff_t dw, float *o)
{
#if WARP_AVX2
    if (ocrprep_cpu_has_avx2()) {
        hpass2_avx2(s, n, start, f, dw, o);
        return;
    }
#endif
    (void)n;
    hpass2_scalar(s, start, f, 0, dw, o);
}

/* NC is a constant in each instantiation, so the channel loop unrolls,
 * provided the function is inlined into each. */
#if defined(_MSC_VER) && !defined(__clang__)
#define WARP_INLINE static __forceinline
#else
#define WARP_INLINE static inline __attribute__((always_inline))
#endif
WARP_INLINE void warp_color(const uint8_t *src, ptrdiff_t srow, const ptrdiff_t NC,
                            const float *xm0, const float *xm3, float rx, float ry, ptrdiff_t xa,
                            ptrdiff_t xb, uint8_t *d)
{
    for (ptrdiff_t x = xa; x < xb; x++) {
        float sx = xm0[x] + rx, sy = xm3[x] + ry;
        int ix = (int)sx, iy = (int)sy;
        float fx = sx - (float)ix, fy = sy - (float)iy;
        const uint8_t *p = src + (ptrdiff_t)iy * srow + (ptrdiff_t)ix * NC;
        const uint8_t *q = p + srow;
        for (ptrdiff_t c = 0; c < NC; c++) {
            float top = (float)p[c] + fx * ((float)p[c + NC] - (float)p[c]);
            float bot = (float)q[c] + fx * ((float)q[c + NC] - (float)q[c]);
            d[x * NC + c] = (uint8_t)(int)(top + fy * (bot - top) + 0.5f);
        }
    }
}

void ocrprep_warp_color_span(const uint8_t *src, ptrdiff_t srow, ptrdiff_t nc,
                             const float *xm0, const float *xm3, float rx, float ry,
                             ptrdiff_t xa, ptrdiff_t xb, uint8_t *d)
{
    if (nc == 3)
        warp_color(src, srow, 3, xm0, xm3, rx, ry, xa, xb, d);
    else if (nc == 4)
        warp_color(src, srow, 4, xm0, xm3, rx, ry, xa, xb, d);
    else
        warp_color(src, srow, nc, xm0, xm3, rx, ry, xa, xb, d);
}
