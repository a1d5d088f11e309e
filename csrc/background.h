/* Row loops of ocrprep.background: block sums and flat-field normalisation. */
#ifndef OCRPREP_BACKGROUND_H
#define OCRPREP_BACKGROUND_H

#include <stddef.h>
#include <stdint.h>

/* Add the pixels of rows [y0, y1) of src (w contiguous bytes a row, rows
 * `stride` bytes apart) into acc[(y / b) * cw + x / b], cw = ceil(w / b).
 * Callers split work on multiples of b rows so no two threads share an
 * accumulator row. */
void ocrprep_bg_block_sums(const uint8_t *src, ptrdiff_t stride, ptrdiff_t w, ptrdiff_t y0,
                           ptrdiff_t y1, ptrdiff_t b, uint32_t *acc, ptrdiff_t cw);

/* ocrprep_bg_block_sums, and the minimum of every block into
 * mins[(y / b) * cw + x / b] (which must start at 255).  Scratch O(w).
 * Returns 0 or -1 (memory). */
int ocrprep_bg_block_sums_mins(const uint8_t *src, ptrdiff_t stride, ptrdiff_t w, ptrdiff_t y0,
                               ptrdiff_t y1, ptrdiff_t b, uint32_t *acc, uint8_t *mins,
                               ptrdiff_t cw);

/* Paper statistics robust to ink, for the block rows of [y0, y1) (whole
 * block rows; acc already holds their complete sums): upper[i] = mean of
 * the pixels of block i at or above the block's mean, maxs[i] = its
 * maximum.  Ink only darkens, so on any block that is not wholly ink the
 * upper mean is the paper's level (plus ~0.8 noise deviations) however
 * densely the text is set, and max - upper is ~1.55 noise deviations
 * (64 samples).  h is the image height (the last block row may be short).
 * Scratch O(w).  Returns 0, -1 (memory) or -2 (b > 64). */
int ocrprep_bg_block_upper(const uint8_t *src, ptrdiff_t stride, ptrdiff_t h, ptrdiff_t w,
                            ptrdiff_t y0, ptrdiff_t y1, ptrdiff_t b, const uint32_t *acc,
                            float *upper, uint8_t *maxs, ptrdiff_t cw);

/* Polarity evidence: for the b x b blocks (whole blocks only) of every
 * `step`-th block row, d[i] = mean - min and l[i] = max - mean, blocks
 * numbered row by row (nbx = w / b per row).  Thin dark strokes on light
 * paper pull the minimum of a block far below its mean and leave the maximum
 * near it; light text on dark paper does the opposite; noise and shading
 * affect both sides alike.  Scratch O(w).  Returns 0 or -1 (memory). */
int ocrprep_bg_block_skew(const uint8_t *src, ptrdiff_t stride, ptrdiff_t h, ptrdiff_t w,
                          ptrdiff_t b, ptrdiff_t step, float *d, float *l);

/* Flat-field rows [y0, y1): dst = min(255, round(src * g)), where g is the
 * bilinear interpolation at the pixel of `gain` (ch x cw values, one at the
 * centre of each b x b block; the image borders clamp to the nearest
 * centre).  When hist != NULL, the output values of the rows y with
 * y % step == 0 are counted into hist[256].  src and dst may be the same
 * rows.  Scratch O(w).  Returns 0, or -1 when memory is short. */
int ocrprep_bg_normalize_band(const uint8_t *src, ptrdiff_t sstride, uint8_t *dst,
                              ptrdiff_t dstride, ptrdiff_t h, ptrdiff_t w, const float *gain,
                              ptrdiff_t ch, ptrdiff_t cw, ptrdiff_t b, ptrdiff_t y0,
                              ptrdiff_t y1, int64_t *hist, ptrdiff_t step);

#endif
