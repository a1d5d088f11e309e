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
