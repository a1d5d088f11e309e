# Loops of ocrprep.contrast: a 256-entry look-up table applied to every pixel.
from libc.stdint cimport uint8_t


cdef void lut_rows(const uint8_t[:, :] src, uint8_t[:, ::1] dst, const uint8_t* lut,
                   Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    cdef Py_ssize_t y, x, w = src.shape[1], sx = src.strides[1]
    cdef const uint8_t* s
    cdef uint8_t* d
    cdef uint8_t t[256]
    for x in range(256):  # a local copy: the compiler knows it cannot alias dst
        t[x] = lut[x]
    for y in range(y0, y1):
        s = &src[y, 0]
        d = &dst[y, 0]
        if sx == 1:
            x = 0
            while x + 4 <= w:  # four independent loads per step
                d[x] = t[s[x]]
                d[x + 1] = t[s[x + 1]]
                d[x + 2] = t[s[x + 2]]
                d[x + 3] = t[s[x + 3]]
                x += 4
            while x < w:
                d[x] = t[s[x]]
                x += 1
        else:
            for x in range(w):
                d[x] = t[s[x * sx]]


def lut_band(const uint8_t[:, :] src, uint8_t[:, ::1] dst, const uint8_t[::1] lut,
             Py_ssize_t y0, Py_ssize_t y1):
    """Rows [y0, y1) of dst = lut[src] (src any strides, lut 256 entries)."""
    if lut.shape[0] != 256:
        raise ValueError("lut_band: the table must have 256 entries")
    if src.shape[0] != dst.shape[0] or src.shape[1] != dst.shape[1]:
        raise ValueError("lut_band: shapes differ")
    if not (0 <= y0 <= y1 <= src.shape[0]):
        raise ValueError("lut_band: bad row range")
    with nogil:
        lut_rows(src, dst, &lut[0], y0, y1)
