# distutils: sources = csrc/window_stats.c
# Loops of ocrprep.sauvola and the mean/std methods of ocrprep.local
# (Niblack, Wolf, NICK): exact running window sums, then a squared comparison
# per pixel.  The C in csrc/window_stats.c holds the row pipeline, compiled
# for baseline x86-64 and AVX2 (runtime dispatch); see csrc/window_stats.h.
from libc.stdint cimport uint8_t, int64_t


cdef extern from "window_stats.h" nogil:
    ctypedef struct ocr_wstats_rule:
        double a1, a0, b1, b0
        int rms
        int negative
    int OCR_WSTATS_MAX_WINDOW
    int ocr_wstats_threshold_rows(const uint8_t *img, Py_ssize_t stride, int h, int w, int window,
                                  const ocr_wstats_rule *rule, uint8_t *out, Py_ssize_t ostride,
                                  int y0, int y1, int reflect)
    int ocr_wstats_max_variance_rows(const uint8_t *img, Py_ssize_t stride, int h, int w, int window,
                                     int y0, int y1, int reflect, double *max_d)
    int ocr_wstats_sums_rows(const uint8_t *img, Py_ssize_t stride, int h, int w, int window,
                             int64_t *s1, Py_ssize_t s1_stride, double *s2, Py_ssize_t s2_stride,
                             int y0, int y1, int reflect)

MAX_WINDOW = OCR_WSTATS_MAX_WINDOW


def threshold_band(const uint8_t[:, :] img, uint8_t[:, ::1] out, int window,
                   double a1, double a0, double b1, double b0, bint rms, bint negative,
                   int y0, int y1, bint reflect=False):
    """Write rows [y0, y1) of ``out``: 255 where
    ``n*v - a1*S1 - a0 > (b1*S1 + b0) * sqrt(D)``, else 0.

    ``img`` must have unit column stride (any row stride); ``reflect``
    mirrors the border instead of replicating it.
    """
    cdef ocr_wstats_rule rule
    cdef int rc
    rule.a1 = a1
    rule.a0 = a0
    rule.b1 = b1
    rule.b0 = b0
    rule.rms = rms
    rule.negative = negative
    if img.strides[1] != 1:
        raise ValueError("img must have unit column stride")
    with nogil:
        rc = ocr_wstats_threshold_rows(&img[0, 0], img.strides[0], <int>img.shape[0],
                                       <int>img.shape[1], window, &rule,
                                       &out[0, 0], out.strides[0], y0, y1, reflect)
    if rc:
        raise MemoryError("ocrprep: cannot allocate the window-sum scratch rows")


def max_variance_band(const uint8_t[:, :] img, int window, int y0, int y1, bint reflect=False):
    """Largest ``n*S2 - S1**2`` (``n**2`` times the variance) over the
    windows centred on rows [y0, y1)."""
    cdef double best = 0
    cdef int rc
    if img.strides[1] != 1:
        raise ValueError("img must have unit column stride")
    with nogil:
        rc = ocr_wstats_max_variance_rows(&img[0, 0], img.strides[0], <int>img.shape[0],
                                          <int>img.shape[1], window, y0, y1, reflect, &best)
    if rc:
        raise MemoryError("ocrprep: cannot allocate the window-sum scratch rows")
    return best


def sums_band(const uint8_t[:, :] img, int window, int64_t[:, ::1] s1, double[:, ::1] s2,
              int y0, int y1, bint reflect=False):
    """Window sums of ``v`` (exact) and ``v**2`` (exact up to 2**53) for rows [y0, y1)."""
    cdef int rc
    if img.strides[1] != 1:
        raise ValueError("img must have unit column stride")
    with nogil:
        rc = ocr_wstats_sums_rows(&img[0, 0], img.strides[0], <int>img.shape[0],
                                  <int>img.shape[1], window, &s1[0, 0], s1.strides[0],
                                  &s2[0, 0], s2.strides[0], y0, y1, reflect)
    if rc:
        raise MemoryError("ocrprep: cannot allocate the window-sum scratch rows")
