/* Median filter loops of ocrprep (see median.c). */
#ifndef OCRPREP_MEDIAN_H
#define OCRPREP_MEDIAN_H

#include <stddef.h>
#include <stdint.h>

/* Which algorithm fills the rows. */
enum {
    OCRPREP_MEDIAN_AUTO = 0,      /* the fastest one for the size */
    OCRPREP_MEDIAN_NETWORK = 1,   /* min/max sorting networks: sizes 3 and 5 only */
    OCRPREP_MEDIAN_HISTOGRAM = 2, /* sliding two-level histograms: any odd size */
    /* the histogram loops forced onto one instruction set (for tests) */
    OCRPREP_MEDIAN_HISTOGRAM_SSE2 = 3,  /* x86 only; elsewhere the plain C loops */
    OCRPREP_MEDIAN_HISTOGRAM_PLAIN = 4
};

/* Median over a size x size square (edges replicated) of the height x width
 * image at `src` (row stride `sstride` bytes, unit column stride), written to
 * rows [y0, y1) of `dst` (row stride `dstride`).  `size` is odd, 1..255.
 * Returns 0, or -1 if scratch memory could not be allocated (nothing useful
 * has then been written) or the arguments are out of range. */
int ocrprep_median_rows(const uint8_t *src, ptrdiff_t sstride,
                        uint8_t *dst, ptrdiff_t dstride,
                        int height, int width, int size,
                        int y0, int y1, int method);

#endif
