# distutils: sources = csrc/median.c
# Loops of ocrprep.median: the C in csrc/median.c does the work (sorting
# networks for sizes 3 and 5, sliding cumulative histograms for the rest).
from libc.stdint cimport uint8_t


cdef extern from "median.h" nogil:
    int OCRPREP_MEDIAN_AUTO
    int OCRPREP_MEDIAN_NETWORK
    int OCRPREP_MEDIAN_HISTOGRAM
    int OCRPREP_MEDIAN_HISTOGRAM_SSE2
    int OCRPREP_MEDIAN_HISTOGRAM_PLAIN
    int ocrprep_median_rows(const uint8_t *src, Py_ssize_t sstride,
                            uint8_t *dst, Py_ssize_t dstride,
                            int height, int width, int size,
                            int y0, int y1, int method)

AUTO = OCRPREP_MEDIAN_AUTO
NETWORK = OCRPREP_MEDIAN_NETWORK
HISTOGRAM = OCRPREP_MEDIAN_HISTOGRAM
HISTOGRAM_SSE2 = OCRPREP_MEDIAN_HISTOGRAM_SSE2
HISTOGRAM_PLAIN = OCRPREP_MEDIAN_HISTOGRAM_PLAIN


def median_band(const uint8_t[:, :] src, uint8_t[:, ::1] dst, int size,
                Py_ssize_t y0, Py_ssize_t y1, int method=OCRPREP_MEDIAN_AUTO):
    """Rows [y0, y1) of the size x size median of ``src`` into ``dst``.

    ``src`` needs a unit column stride (any row stride, also negative).
    """
    cdef int rc
    cdef Py_ssize_t h = src.shape[0], w = src.shape[1]
    if src.strides[1] != 1:
        raise ValueError("median_band needs a unit column stride")
    if dst.shape[0] != h or dst.shape[1] != w:
        raise ValueError("median_band: src and dst shapes differ")
    if h > 0x7fffffff or w > 0x7fffffff:
        raise ValueError("median_band: image too large")
    with nogil:
        rc = ocrprep_median_rows(&src[0, 0], src.strides[0], &dst[0, 0], dst.strides[0],
                                 <int>h, <int>w, size, <int>y0, <int>y1, method)
    if rc != 0:
        if method == OCRPREP_MEDIAN_NETWORK and size not in (1, 3, 5):
            raise ValueError(f"no sorting network for size {size}")
        raise MemoryError(f"median: cannot allocate scratch memory for a {h}x{w} image, size {size}")
