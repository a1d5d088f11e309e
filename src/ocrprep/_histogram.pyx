# Loops of ocrprep.histogram: counts of each grey level.
from libc.stdint cimport uint8_t, uint32_t, uint64_t, int64_t
from libc.string cimport memset, memcpy

# Four interleaved tables: consecutive equal pixels would otherwise serialise
# on one counter's load-increment-store chain.
cdef enum:
    NTAB = 4
    FLUSH_EVERY = 1 << 30  # uint32 counters cannot overflow before a flush


cdef inline void _flush(uint32_t (*tab)[256], int64_t* hist) noexcept nogil:
    cdef int i, t
    for t in range(NTAB):
        for i in range(256):
            hist[i] += tab[t][i]
    memset(tab, 0, sizeof(uint32_t) * NTAB * 256)


cdef void count_rows(const uint8_t[:, :] img, Py_ssize_t y0, Py_ssize_t y1,
                     int64_t* hist) noexcept nogil:
    cdef uint32_t tab[NTAB][256]
    cdef Py_ssize_t y, x, w = img.shape[1], sx = img.strides[1]
    cdef Py_ssize_t pending = 0
    cdef const uint8_t* p
    cdef uint64_t v
    memset(tab, 0, sizeof(tab))
    for y in range(y0, y1):
        p = &img[y, 0]
        if sx == 1:
            x = 0
            while x + 8 <= w:
                memcpy(&v, p + x, 8)
                tab[0][v & 0xFF] += 1
                tab[1][(v >> 8) & 0xFF] += 1
                tab[2][(v >> 16) & 0xFF] += 1
                tab[3][(v >> 24) & 0xFF] += 1
                tab[0][(v >> 32) & 0xFF] += 1
                tab[1][(v >> 40) & 0xFF] += 1
                tab[2][(v >> 48) & 0xFF] += 1
                tab[3][v >> 56] += 1
                x += 8
            while x < w:
                tab[0][p[x]] += 1
                x += 1
        else:
            for x in range(w):
                tab[x & 3][p[x * sx]] += 1
        pending += w
        if pending >= FLUSH_EVERY:
            _flush(tab, hist)
            pending = 0
    _flush(tab, hist)


def histogram_band(const uint8_t[:, :] img, int64_t[::1] hist, Py_ssize_t y0, Py_ssize_t y1):
    """Add the counts of rows [y0, y1) of ``img`` to ``hist`` (256 int64)."""
    with nogil:
        count_rows(img, y0, y1, &hist[0])
