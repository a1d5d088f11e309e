/* Luma (ITU-R 601-2, Pillow's "L" arithmetic) of RGB / RGBX pixel rows. */
#ifndef OCRPREP_COLOR_H
#define OCRPREP_COLOR_H

#include <stddef.h>
#include <stdint.h>

/* d[x] = luma of the 3-byte pixel s[3x .. 3x+2], 0 <= x < n. */
void ocrprep_luma_rgb(const uint8_t *s, uint8_t *d, ptrdiff_t n);
/* d[x] = luma of the first three bytes of the 4-byte pixel s[4x .. 4x+3]. */
void ocrprep_luma_rgbx(const uint8_t *s, uint8_t *d, ptrdiff_t n);
/* Nonzero when ocrprep_luma_rgb runs vectorised on this CPU (AVX2 or SSSE3
 * x86 code, or a non-x86 SIMD target); otherwise a plain 32-bit loop is
 * faster and callers should use one. */
int ocrprep_luma_rgb_vectorised(void);
/* d[x] = the ink channel of the pixel s[ps * x .. ps * x + 2] (ps = 3 or 4):
 * its luma less kw / 256 (0 <= kw <= 256) of its chroma distance from the
 * paper's chroma at that luma, given as ka = round(512 (R0 - G0) / L0) and
 * kc = round(512 (R0 + G0 - 2 B0) / L0), |ka|, |kc| < 32768 (see color.c).
 * Equal to the luma when R = G = B and ka = kc = 0. */
void ocrprep_ink_rgb(const uint8_t *s, ptrdiff_t ps, uint8_t *d, ptrdiff_t n, int32_t ka, int32_t kc,
                     int32_t kw);

#endif
