/* Bilinear sampling of the interior of an affine warp (ocrprep.geometry.rotate). */
#ifndef OCRPREP_WARP_H
#define OCRPREP_WARP_H

#include <stddef.h>
#include <stdint.h>

/* For x in [xa, xb): sx = xm0[x] + rx, sy = xm3[x] + ry (float32), every tap
 * of (sx, sy) inside the gray source (0 <= sx < w - 1, 0 <= sy < h - 1);
 * d[x] = round(bilinear(src, sx, sy)).  Same float operations, in the same
 * order, as the scalar loop in _geometry.pyx, so results are bit-identical
 * with or without AVX2.  src_bytes is h * srow (used to pick a path). */
void ocrprep_warp_gray_span(const uint8_t *src, ptrdiff_t srow, size_t src_bytes,
                            const float *xm0, const float *xm3, float rx, float ry,
                            ptrdiff_t xa, ptrdiff_t xb, uint8_t *d);

#endif

/* The same for an interleaved image of nc channels (any nc >= 1; 3 and 4
 * are specialised); srow = w * nc. */
void ocrprep_warp_color_span(const uint8_t *src, ptrdiff_t srow, ptrdiff_t nc,
                             const float *xm0, const float *xm3, float rx, float ry,
                             ptrdiff_t xa, ptrdiff_t xb, uint8_t *d);

/* Two-tap horizontal resampling of one gray row: for x in [0, dw),
 * o[x] = b0 + f[x] * (b1 - b0) with b0 = s[start[x]], b1 = s[start[x] + 1]
 * (float32, same operations with or without AVX2).  Requires
 * 0 <= start[x] and start[x] + 1 < n. */
void ocrprep_hpass2_gray(const uint8_t *s, ptrdiff_t n, const int32_t *start, const float *f,
                         ptrdiff_t dw, float *o);
