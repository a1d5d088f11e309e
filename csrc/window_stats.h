/* Windowed mean / standard-deviation thresholds (Sauvola, Niblack, Wolf, NICK).
 *
 * Every method of the family decides "paper" (255) for a pixel v when
 *
 *     n*v - a1*S1 - a0  >  (b1*S1 + b0) * sqrt(D)
 *
 * where n = window^2, S1 and S2 are the exact integer sums of v and v^2 over
 * the window, and D = n*S2 - S1^2 (= n^2 * variance), or
 * D = n*S2 for NICK's root-mean-square term.  Both sides are the method's
 * threshold multiplied by n; comparing squares avoids the square root.  The
 * sign of (b1*S1 + b0) is the sign of the method's k for every pixel, which
 * the caller states in `negative`.
 */
#ifndef OCRPREP_WINDOW_STATS_H
#define OCRPREP_WINDOW_STATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    double a1, a0, b1, b0;
    int rms;      /* D = n*S2 (NICK) instead of n*S2 - S1^2 */
    int negative; /* b1*S1 + b0 <= 0 for every window */
} ocr_wstats_rule;

/* Largest window the kernels accept. */
#define OCR_WSTATS_MAX_WINDOW 2047 /* S1 <= 255 * 2047^2 fits in int32 */

/* Pixels beyond the image edges repeat the edge pixel, or with `reflect`
 * non-zero mirror about it without repeating it (numpy's "reflect",
 * OpenCV's BORDER_REFLECT_101, scikit-image's thresholds). */

/* Threshold output rows [y0, y1) of an h x w image (rows `stride` bytes
 * apart, unit column stride) into `out` (rows `ostride` bytes apart).
 * Returns 0, or -1 when scratch memory cannot be allocated. */
int ocr_wstats_threshold_rows(const uint8_t *img, ptrdiff_t stride, int h, int w, int window,
                              const ocr_wstats_rule *rule, uint8_t *out, ptrdiff_t ostride,
                              int y0, int y1, int reflect);

/* Largest D = n*S2 - S1^2 over the windows centred on rows [y0, y1) (Wolf's R
 * is sqrt(max D) / n).  Returns 0, or -1 when memory cannot be allocated. */
int ocr_wstats_max_variance_rows(const uint8_t *img, ptrdiff_t stride, int h, int w, int window,
                                 int y0, int y1, int reflect, double *max_d);

/* The window sums themselves (S1 as int64 and S2 as double for rows
 * [y0, y1)), for tests and for callers that need the statistics. */
int ocr_wstats_sums_rows(const uint8_t *img, ptrdiff_t stride, int h, int w, int window,
                         int64_t *s1, ptrdiff_t s1_stride, double *s2, ptrdiff_t s2_stride,
                         int y0, int y1, int reflect);

#endif
