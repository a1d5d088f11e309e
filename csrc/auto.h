/* Row loops of ocrprep.auto_binarize (see auto.c). */
#ifndef OCRPREP_AUTO_H
#define OCRPREP_AUTO_H

#include <stddef.h>
#include <stdint.h>

/* Output codes of the fused pass (later mapped to 0 / 255):
 * ink whose value is below the `strong` level, ink below the `faint` level
 * (deep enough for ink, not as deep as the ink around it), other ink, paper at least
 * as dark as the global ink/paper threshold, other paper. */
enum { /* (code_row relies on these values) */
    OCRPREP_INK_STRONG = 0,
    OCRPREP_INK_FAINT = 32,
    OCRPREP_INK_WEAK = 64,
    OCRPREP_PAPER_DARK = 192,
    OCRPREP_PAPER = 255
};

/* Largest Sobel magnitude |gx| + |gy| of 8-bit rows, plus one. */
#define OCRPREP_GRAD_BINS 2048

/* Statistics of rows y in [y0, y1) with y % step == 0 of the normalised
 * image n (h x w, rows `stride` bytes apart): histogram of the Sobel
 * magnitude |gx| + |gy| (edges replicated) into ghist[OCRPREP_GRAD_BINS];
 * area[0] += pixels <= tg, area[1] += those of them with an 8-neighbour
 * > tg (the boundary of the provisional ink); when gmax is not NULL, the
 * largest magnitude of each gb x gb block (a grid of ceil(w / gb) columns,
 * rows y / gb) is raised to those of the sampled rows.  Returns 0 or -1
 * (memory). */
int ocrprep_auto_stats_band(const uint8_t *n, ptrdiff_t stride, ptrdiff_t h, ptrdiff_t w,
                            ptrdiff_t y0, ptrdiff_t y1, ptrdiff_t step, int tg, int64_t *ghist,
                            int64_t *area, uint16_t *gmax, ptrdiff_t gb);

/* Parameters of the fused threshold pass. */
typedef struct {
    /* a pixel is a stroke edge when |gx| + |gy| > te_grid of its block
     * (NULL: > te everywhere) */
    const uint16_t *te_grid;
    int te;
    int k;           /* statistics window, in 2 x 2 cells (odd, >= 3) */
    int nmin;        /* edge pixels a window needs to be trusted */
    double kstd;     /* threshold = mean + kstd * std of the edge pixels */
    int tg;          /* paper <= tg is "dark" */
    /* Levels on the background grid (gch x gcw blocks of gb x gb pixels):
     * ink must be < floor_grid of its block (noise floor), and ink
     * < strong_grid is "strong". */
    const uint8_t *floor_grid;
    const uint8_t *strong_grid;
    const uint8_t *faint_grid;   /* NULL: the strong grid; ink < faint_grid is "faint" */
    ptrdiff_t gb, gch, gcw;
    /* When not NULL, the codes of row y go to dst + y * dst_stride and the
     * normalised rows are only read. */
    uint8_t *dst;
    ptrdiff_t dst_stride;
} ocrprep_auto_params;

/* Classify rows [y0, y1) (y0 even) of the normalised image in place.
 *
 * rows[y - ybase] points at row y for every y in [ybase, yend), which must
 * cover [y0 - 2k - 4, y1 + 2k + 4) clipped to [0, h).  Rows inside
 * [y0, y1) are overwritten with the codes above, each after its last
 * use; the others are only read.
 *
 * A pixel is ink when its 2 x 2 cell's window of k x k cells holds at least
 * nmin stroke-edge pixels and the pixel is at most mean + kstd * std of
 * their values (Su, Lu & Tan 2013), and it is below its block's noise floor.
 * Scratch O(w * k).  Returns 0 or -1 (memory). */
int ocrprep_auto_fused_band(uint8_t *const *rows, ptrdiff_t ybase, ptrdiff_t yend, ptrdiff_t h,
                            ptrdiff_t w, ptrdiff_t y0, ptrdiff_t y1,
                            const ocrprep_auto_params *prm);

#endif
