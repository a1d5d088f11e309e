# distutils: sources = csrc/color.c
# Loops of ocrprep.color: luma of RGB(A) pixels and grey-level inversion.
# The packed RGB / RGBA rows go to csrc/color.c (16-bit lanes, AVX2 dispatch).
from libc.stdint cimport uint8_t, uint32_t, int32_t, int64_t


cdef extern from "color.h" nogil:
    void ocrprep_luma_rgb(const uint8_t *s, uint8_t *d, Py_ssize_t n)
    void ocrprep_luma_rgbx(const uint8_t *s, uint8_t *d, Py_ssize_t n)
    int ocrprep_luma_rgb_vectorised()
    void ocrprep_ink_rgb(const uint8_t *s, Py_ssize_t ps, uint8_t *d, Py_ssize_t n, int32_t ka, int32_t kc,
                         int32_t kw)

cdef bint rgb_vectorised = ocrprep_luma_rgb_vectorised() != 0
#: Whether packed 3-byte rows use the C loop (vectorised on this CPU).
RGB_VECTORISED = bool(rgb_vectorised)


cdef inline uint8_t luma(uint32_t r, uint32_t g, uint32_t b) noexcept nogil:
    # ITU-R 601-2 weights 0.299, 0.587, 0.114 in 16-bit fixed point (they sum
    # to 65536 exactly), rounded half up: the arithmetic of Pillow's "L".
    return <uint8_t>((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)


cdef void gray_rows(const uint8_t[:, :, :] src, uint8_t[:, ::1] dst,
                    Py_ssize_t y0, Py_ssize_t y1, bint use_c) noexcept nogil:
    cdef Py_ssize_t y, x, w = src.shape[1]
    cdef Py_ssize_t ps = src.strides[1], cs = src.strides[2]
    cdef const uint8_t* s
    cdef uint8_t* d
    for y in range(y0, y1):
        s = &src[y, 0, 0]
        d = &dst[y, 0]
        if use_c and cs == 1 and ps == 4:
            ocrprep_luma_rgbx(s, d, w)
        elif use_c and cs == 1 and ps == 3 and rgb_vectorised:
            ocrprep_luma_rgb(s, d, w)
        elif cs == 1 and ps == 3:
            for x in range(w):
                d[x] = luma(s[3 * x], s[3 * x + 1], s[3 * x + 2])
        elif cs == 1 and ps == 4:
            for x in range(w):
                d[x] = luma(s[4 * x], s[4 * x + 1], s[4 * x + 2])
        else:
            for x in range(w):
                d[x] = luma(s[x * ps], s[x * ps + cs], s[x * ps + 2 * cs])


def gray_band(const uint8_t[:, :, :] src, uint8_t[:, ::1] dst, Py_ssize_t y0, Py_ssize_t y1,
              bint use_c=True):
    """Rows [y0, y1) of dst = luma of the first three channels of src (any strides).

    ``use_c=False`` forces the plain Cython loops (the fallback on CPUs
    without fast byte shuffles; tests compare both).
    """
    if src.shape[2] < 3 or src.shape[0] != dst.shape[0] or src.shape[1] != dst.shape[1]:
        raise ValueError("gray_band: src must be (H, W, >=3) and dst (H, W)")
    if not (0 <= y0 <= y1 <= src.shape[0]):
        raise ValueError("gray_band: bad row range")
    with nogil:
        gray_rows(src, dst, y0, y1, use_c)


cdef void invert_rows(const uint8_t[:, :] src, uint8_t[:, ::1] dst,
                      Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    cdef Py_ssize_t y, x, w = src.shape[1], sx = src.strides[1]
    cdef const uint8_t* s
    cdef uint8_t* d
    for y in range(y0, y1):
        s = &src[y, 0]
        d = &dst[y, 0]
        if sx == 1:
            for x in range(w):
                d[x] = 255 - s[x]
        else:
            for x in range(w):
                d[x] = 255 - s[x * sx]


def invert_band(const uint8_t[:, :] src, uint8_t[:, ::1] dst, Py_ssize_t y0, Py_ssize_t y1):
    """Rows [y0, y1) of dst = 255 - src (src any strides)."""
    if src.shape[0] != dst.shape[0] or src.shape[1] != dst.shape[1]:
        raise ValueError("invert_band: shapes differ")
    if not (0 <= y0 <= y1 <= src.shape[0]):
        raise ValueError("invert_band: bad row range")
    with nogil:
        invert_rows(src, dst, y0, y1)


def ink_band(const uint8_t[:, :, :] src, uint8_t[:, ::1] dst, Py_ssize_t y0, Py_ssize_t y1,
             int32_t ka, int32_t kc, int32_t kw=128):
    """Rows [y0, y1) of dst = the ink channel of the RGB(A) rows of src
    (luma less kw / 256 of the chroma distance from the paper's, see
    color.h: ka = round(512 a0 / L0), kc = round(512 c0 / L0), 0 <= kw <= 256);
    ``src`` needs unit channel stride and 3- or 4-byte pixels."""
    cdef Py_ssize_t y, w = src.shape[1], ps = src.strides[1]
    if src.shape[2] < 3 or src.shape[0] != dst.shape[0] or src.shape[1] != dst.shape[1]:
        raise ValueError("ink_band: src must be (H, W, >=3) and dst (H, W)")
    if src.strides[2] != 1 or ps not in (3, 4):
        raise ValueError("ink_band: src needs packed 3- or 4-byte pixels")
    if not (0 <= y0 <= y1 <= src.shape[0]):
        raise ValueError("ink_band: bad row range")
    if not (-(1 << 15) < ka < (1 << 15)) or not (-(1 << 15) < kc < (1 << 15)):
        raise ValueError("ink_band: paper chroma out of range")
    if not 0 <= kw <= 256:
        raise ValueError("ink_band: chroma weight out of range")
    with nogil:
        for y in range(y0, y1):
            ocrprep_ink_rgb(&src[y, 0, 0], ps, &dst[y, 0], w, ka, kc, kw)


def paper_sample(const uint8_t[:, :, :] src, Py_ssize_t step, const uint8_t[:, ::1] skip=None,
                 Py_ssize_t cell=1):
    """Statistics of every ``step``-th pixel of every ``step``-th row of the
    RGB(A) page ``src`` for its paper colour: ``(hist, sums, coloured)`` -
    the histogram of their luma (256,), the sums of their R, G, B per luma
    value (256, 3) and whether one of them has R != G or G != B.  Pixels
    whose ``cell`` x ``cell`` cell is set in ``skip`` (a backdrop) are left
    out.  One pass, no copy of the sample."""
    import numpy as np
    if src.shape[2] < 3:
        raise ValueError("paper_sample: src must be (H, W, >=3)")
    if step < 1 or cell < 1:
        raise ValueError("paper_sample: step and cell must be positive")
    hist_arr = np.zeros(256, np.int64)
    sums_arr = np.zeros((256, 3), np.int64)
    cdef int64_t[::1] hist = hist_arr
    cdef int64_t[:, ::1] sums = sums_arr
    cdef Py_ssize_t y, x, h = src.shape[0], w = src.shape[1], ps = src.strides[1], cs = src.strides[2]
    cdef Py_ssize_t sh = 0, sw = 0
    cdef bint use_skip = skip is not None
    cdef const uint8_t *row
    cdef uint32_t r, g, b
    cdef uint8_t l
    cdef bint coloured = False
    if use_skip:
        sh = skip.shape[0]
        sw = skip.shape[1]
    with nogil:
        y = 0
        while y < h:
            row = &src[y, 0, 0]
            x = -step
            while x + step < w:
                x += step
                if use_skip and skip[min(y // cell, sh - 1), min(x // cell, sw - 1)]:
                    continue
                r = row[x * ps]
                g = row[x * ps + cs]
                b = row[x * ps + 2 * cs]
                if r != g or g != b:
                    coloured = True
                l = luma(r, g, b)
                hist[l] += 1
                sums[l, 0] += r
                sums[l, 1] += g
                sums[l, 2] += b
            y += step
    return hist_arr, sums_arr, bool(coloured)
