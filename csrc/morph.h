/* Grey-level dilation / erosion over a rectangle, edges replicated. */
#ifndef OCRPREP_MORPH_H
#define OCRPREP_MORPH_H

#include <stddef.h>
#include <stdint.h>

/* Fill rows [y0, y1) of dst with the maximum (is_max != 0: dilation) or the
 * minimum (erosion) of src over a (2*ry+1) x (2*rx+1) rectangle centred on
 * each pixel; pixels outside the image are replaced by the nearest edge
 * pixel.  Rows of src/dst are `w` contiguous bytes, `sstride`/`dstride`
 * bytes apart (any sign).  dst must not overlap src.  Reads only src rows
 * [y0 - ry, y1 + ry) (clamped); scratch memory is O(w * (ry + rx)) per call.
 *
 * Returns 0, or -1 if scratch memory could not be allocated. */
int ocrprep_morph_band(const uint8_t *src, ptrdiff_t sstride, uint8_t *dst, ptrdiff_t dstride,
                       ptrdiff_t h, ptrdiff_t w, ptrdiff_t ry, ptrdiff_t rx, int is_max,
                       ptrdiff_t y0, ptrdiff_t y1);

#endif
