# Loops of ocrprep.local.bernsen: the minimum and maximum over a square
# window (edges replicated, which for min/max is the same as clipping the
# window to the image), then Bernsen's mid-range decision.
#
# Vertical: a plain min/max over the window's rows (vectorised across the
# row).  Horizontal: log2(window) doubling passes (vectorised).  Scratch: four
# rows of width + window bytes.
from libc.stdint cimport uint8_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy


cdef inline uint8_t umin(uint8_t a, uint8_t b) noexcept nogil:
    return a if a < b else b


cdef inline uint8_t umax(uint8_t a, uint8_t b) noexcept nogil:
    return a if a > b else b


cdef void column_minmax(const uint8_t* img, Py_ssize_t stride, int h, int w, int y, int r,
                        uint8_t* mn, uint8_t* mx) noexcept nogil:
    """mn/mx[x] = min/max of img[j, x] over rows j in [y-r, y+r] clipped to [0, h)."""
    cdef int j, j0 = y - r, j1 = y + r
    cdef Py_ssize_t x
    cdef const uint8_t* p
    if j0 < 0:
        j0 = 0
    if j1 > h - 1:
        j1 = h - 1
    p = img + <Py_ssize_t>j0 * stride
    memcpy(mn, p, w)
    memcpy(mx, p, w)
    for j in range(j0 + 1, j1 + 1):
        p = img + <Py_ssize_t>j * stride
        for x in range(w):
            mn[x] = umin(mn[x], p[x])
            mx[x] = umax(mx[x], p[x])


cdef uint8_t* window_minmax_row(const uint8_t* img, Py_ssize_t stride, int h, int w, int window,
                                int y, uint8_t* buf) noexcept nogil:
    """Window minimum / maximum of row ``y``; returns ``p`` with the minima in
    ``p[:w]`` and the maxima in ``p[n:n + w]`` (``buf`` holds 4 * n bytes,
    n = w + window - 1; ``p`` is ``buf`` or ``buf + 2 * n``).

    Horizontally by doubling: after the pass of span s, a[x] is the extreme of
    a[x:x + 2s]; with p the largest power of two <= window, the extreme of
    a[x:x + window] is op(a[x], a[x + window - p]).  log2(window) passes, each
    a plain vectorisable loop between two buffers (van Herk / Gil-Werman
    needs fewer operations but its running chains do not vectorise).
    """
    cdef int r = window // 2
    cdef Py_ssize_t n = w + 2 * r
    cdef Py_ssize_t i, x, m, span, rest  # 64-bit indexes: affine, so the loops vectorise
    cdef uint8_t* src = buf
    cdef uint8_t* dst = buf + 2 * n
    cdef uint8_t* t
    column_minmax(img, stride, h, w, y, r, src + r, src + n + r)
    for i in range(r):  # replicate the edge columns
        src[i] = src[r]
        src[n + i] = src[n + r]
        src[r + w + i] = src[r + w - 1]
        src[n + r + w + i] = src[n + r + w - 1]
    span = 1
    m = n
    while 2 * span <= window:
        m -= span
        for x in range(m):
            dst[x] = umin(src[x], src[x + span])
        for x in range(m):
            dst[n + x] = umax(src[n + x], src[n + x + span])
        t = src
        src = dst
        dst = t
        span *= 2
    rest = window - span
    if rest == 0:
        return src
    for x in range(w):
        dst[x] = umin(src[x], src[x + rest])
    for x in range(w):
        dst[n + x] = umax(src[n + x], src[n + x + rest])
    return dst


cdef int bernsen_rows(const uint8_t* img, Py_ssize_t stride, int h, int w, int window,
                      int contrast_limit, int low_threshold,
                      uint8_t* out, Py_ssize_t ostride, int y0, int y1) noexcept nogil:
    cdef Py_ssize_t n = w + 2 * (window // 2)
    cdef Py_ssize_t x
    cdef int y, lo, hi, high
    cdef const uint8_t* v
    cdef uint8_t* o
    cdef uint8_t* buf = <uint8_t*>malloc(4 * <size_t>n)
    cdef uint8_t* ext
    if buf == NULL:
        return -1
    for y in range(y0, y1):
        ext = window_minmax_row(img, stride, h, w, window, y, buf)
        v = img + <Py_ssize_t>y * stride
        o = out + <Py_ssize_t>y * ostride
        for x in range(w):  # branch-free, so that it vectorises
            lo = ext[x]
            hi = ext[n + x]
            high = (hi - lo) >= contrast_limit
            o[x] = <uint8_t>(-((high & (2 * <int>v[x] > lo + hi)) | ((1 - high) & (<int>v[x] > low_threshold))))
    free(buf)
    return 0


def bernsen_band(const uint8_t[:, :] img, uint8_t[:, ::1] out, int window, int contrast_limit,
                 int low_threshold, int y0, int y1):
    """Bernsen's decision for rows [y0, y1); ``img`` must have unit column stride."""
    cdef int rc
    if img.strides[1] != 1:
        raise ValueError("img must have unit column stride")
    with nogil:
        rc = bernsen_rows(&img[0, 0], img.strides[0], <int>img.shape[0], <int>img.shape[1],
                          window, contrast_limit, low_threshold, &out[0, 0], out.strides[0], y0, y1)
    if rc:
        raise MemoryError("ocrprep: cannot allocate Bernsen's scratch rows")
