# Loops of ocrprep.threshold: global thresholding and Otsu's criterion.
from libc.stdint cimport uint8_t, int64_t
from libc.float cimport FLT_EPSILON


cdef void threshold_rows(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int t,
                         Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    cdef Py_ssize_t y, x, w = src.shape[1]
    cdef const uint8_t* s
    cdef uint8_t* d
    cdef uint8_t tt = <uint8_t>t
    for y in range(y0, y1):
        s = &src[y, 0]
        d = &dst[y, 0]
        for x in range(w):  # branch-free so the compiler vectorises it
            d[x] = <uint8_t>(-(<int>(s[x] > tt))) & 255
    

def threshold_band(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, int t,
                   Py_ssize_t y0, Py_ssize_t y1):
    """dst = 255 where src > t else 0, for rows [y0, y1)."""
    with nogil:
        threshold_rows(src, dst, t, y0, y1)


def otsu_from_histogram(const int64_t[::1] hist):
    """Otsu's threshold of a 256-bin histogram.

    The arithmetic follows OpenCV's ``THRESH_OTSU`` step for step (same
    double-precision operations in the same order, first maximum wins), so
    the value is identical to ``cv2.threshold(..., THRESH_OTSU)``.
    """
    cdef int t
    with nogil:
        t = otsu_threshold_c(&hist[0])
    return t


cdef int otsu_threshold_c(const int64_t* hist) noexcept nogil:
    cdef int i, max_val = 0
    cdef int64_t total = 0
    cdef double mu = 0, scale, mu1 = 0, q1 = 0, max_sigma = 0, p_i, q2, mu2, sigma
    for i in range(256):
        total += hist[i]
    if total == 0:
        return 0
    scale = 1.0 / <double>total
    for i in range(256):
        mu += i * <double>hist[i]
    mu *= scale
    for i in range(256):
        p_i = hist[i] * scale
        mu1 *= q1
        q1 += p_i
        q2 = 1.0 - q1
        if min(q1, q2) < FLT_EPSILON or max(q1, q2) > 1.0 - FLT_EPSILON:
            continue
        mu1 = (mu1 + i * p_i) / q1
        mu2 = (mu - q1 * mu1) / q2
        sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2)
        if sigma > max_sigma:
            max_sigma = sigma
            max_val = i
    return max_val
