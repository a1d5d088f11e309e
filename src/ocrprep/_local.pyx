# Loops of ocrprep.local.bernsen: the minimum and maximum over a square
# window (edges replicated, which for min/max is the same as clipping the
# window to the image), then Bernsen's mid-range decision.
#
# Vertical: a plain min/max over the window's rows (vectorised across the
# row).  Horizontal: van Herk / Gil-Werman, 3 comparisons per pixel whatever
# the window.  Scratch: a few rows of width + window bytes.
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
    cdef int j, x, j0 = y - r, j1 = y + r
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


cdef void running_minmax(uint8_t* amn, uint8_t* amx, int n, int win,
                         uint8_t* gmn, uint8_t* gmx, uint8_t* hmn, uint8_t* hmx) noexcept nogil:
    """van Herk / Gil-Werman: block prefix (g) and suffix (h) extrema of
    a[0:n] in blocks of ``win``; the extremum of a[s:s+win] is then
    op(h[s], g[s+win-1])."""
    cdef int b, i, e
    b = 0
    while b < n:
        e = b + win
        if e > n:
            e = n
        gmn[b] = amn[b]
        gmx[b] = amx[b]
        for i in range(b + 1, e):
            gmn[i] = umin(gmn[i - 1], amn[i])
            gmx[i] = umax(gmx[i - 1], amx[i])
        hmn[e - 1] = amn[e - 1]
        hmx[e - 1] = amx[e - 1]
        i = e - 2
        while i >= b:
            hmn[i] = umin(hmn[i + 1], amn[i])
            hmx[i] = umax(hmx[i + 1], amx[i])
            i -= 1
        b = e


cdef void window_minmax_row(const uint8_t* img, Py_ssize_t stride, int h, int w, int window,
                            int y, uint8_t* buf) noexcept nogil:
    """Fill the scratch ``buf`` (6 * (w + window - 1) bytes) for row ``y``:
    the window minimum / maximum at column x is then
    min(buf[4n + x], buf[2n + x + window - 1]) / max(buf[5n + x], buf[3n + x + window - 1])."""
    cdef int r = window // 2
    cdef int n = w + 2 * r
    cdef int i
    cdef uint8_t* amn = buf
    cdef uint8_t* amx = buf + n
    column_minmax(img, stride, h, w, y, r, amn + r, amx + r)
    for i in range(r):  # replicate the edge columns
        amn[i] = amn[r]
        amx[i] = amx[r]
        amn[r + w + i] = amn[r + w - 1]
        amx[r + w + i] = amx[r + w - 1]
    running_minmax(amn, amx, n, window, buf + 2 * n, buf + 3 * n, buf + 4 * n, buf + 5 * n)


cdef int bernsen_rows(const uint8_t* img, Py_ssize_t stride, int h, int w, int window,
                      int contrast_limit, int low_threshold,
                      uint8_t* out, Py_ssize_t ostride, int y0, int y1) noexcept nogil:
    cdef int n = w + 2 * (window // 2)
    cdef int y, x, lo, hi
    cdef const uint8_t* v
    cdef uint8_t* o
    cdef uint8_t* buf = <uint8_t*>malloc(6 * <size_t>n)
    cdef uint8_t* gmn
    cdef uint8_t* gmx
    cdef uint8_t* hmn
    cdef uint8_t* hmx
    if buf == NULL:
        return -1
    gmn = buf + 2 * n + window - 1
    gmx = buf + 3 * n + window - 1
    hmn = buf + 4 * n
    hmx = buf + 5 * n
    for y in range(y0, y1):
        window_minmax_row(img, stride, h, w, window, y, buf)
        v = img + <Py_ssize_t>y * stride
        o = out + <Py_ssize_t>y * ostride
        for x in range(w):
            lo = umin(hmn[x], gmn[x])
            hi = umax(hmx[x], gmx[x])
            if hi - lo >= contrast_limit:
                o[x] = 255 if 2 * <int>v[x] > lo + hi else 0
            else:
                o[x] = 255 if v[x] > low_threshold else 0
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


cdef int minmax_rows(const uint8_t* img, Py_ssize_t stride, int h, int w, int window,
                     uint8_t* mn, uint8_t* mx, Py_ssize_t ostride, int y0, int y1) noexcept nogil:
    cdef int n = w + 2 * (window // 2)
    cdef int y, x
    cdef uint8_t* omn
    cdef uint8_t* omx
    cdef uint8_t* buf = <uint8_t*>malloc(6 * <size_t>n)
    if buf == NULL:
        return -1
    for y in range(y0, y1):
        window_minmax_row(img, stride, h, w, window, y, buf)
        omn = mn + <Py_ssize_t>y * ostride
        omx = mx + <Py_ssize_t>y * ostride
        for x in range(w):
            omn[x] = umin(buf[4 * n + x], buf[2 * n + x + window - 1])
            omx[x] = umax(buf[5 * n + x], buf[3 * n + x + window - 1])
    free(buf)
    return 0


def minmax_band(const uint8_t[:, :] img, int window, uint8_t[:, ::1] mn, uint8_t[:, ::1] mx,
                int y0, int y1):
    """Window minimum and maximum for rows [y0, y1) (for tests, and callers
    that need the local range); ``img`` must have unit column stride."""
    cdef int rc
    if img.strides[1] != 1:
        raise ValueError("img must have unit column stride")
    with nogil:
        rc = minmax_rows(&img[0, 0], img.strides[0], <int>img.shape[0], <int>img.shape[1], window,
                         &mn[0, 0], &mx[0, 0], mn.strides[0], y0, y1)
    if rc:
        raise MemoryError("ocrprep: cannot allocate the min/max scratch rows")
