# distutils: sources = csrc/morph.c
# Loops of ocrprep.morphology: grey-level dilation / erosion (separable
# max / min filters; the row loops are C in csrc/morph.c for AVX2 dispatch).
from libc.stdint cimport uint8_t


cdef extern from "morph.h" nogil:
    int ocrprep_morph_band(const uint8_t *src, Py_ssize_t sstride, uint8_t *dst,
                           Py_ssize_t dstride, Py_ssize_t h, Py_ssize_t w, Py_ssize_t ry,
                           Py_ssize_t rx, int is_max, Py_ssize_t y0, Py_ssize_t y1)


def morph_band(const uint8_t[:, :] src, uint8_t[:, :] dst, Py_ssize_t kh, Py_ssize_t kw,
               bint is_max, Py_ssize_t y0, Py_ssize_t y1):
    """Rows [y0, y1) of dst = max (``is_max``) or min of src over a kh x kw rectangle.

    ``src`` and ``dst`` must have unit column stride and not overlap; kh, kw
    are odd.  Edges are replicated.
    """
    cdef int rc
    if src.strides[1] != 1 or dst.strides[1] != 1:
        raise ValueError("morph_band needs unit column strides")
    if src.shape[0] != dst.shape[0] or src.shape[1] != dst.shape[1]:
        raise ValueError("morph_band: src and dst shapes differ")
    if kh < 1 or kw < 1 or kh % 2 == 0 or kw % 2 == 0:
        raise ValueError("morph_band: window sides must be odd and positive")
    if not (0 <= y0 <= y1 <= src.shape[0]):
        raise ValueError("morph_band: bad row range")
    if y0 == y1:
        return
    with nogil:
        rc = ocrprep_morph_band(&src[0, 0], src.strides[0], &dst[0, 0], dst.strides[0],
                                src.shape[0], src.shape[1], kh // 2, kw // 2, is_max, y0, y1)
    if rc != 0:
        raise MemoryError("ocrprep morphology: cannot allocate scratch rows")
