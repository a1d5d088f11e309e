# Loops of ocrprep.histogram: counts of each grey level.
from libc.stdint cimport uint8_t, uint16_t, uint64_t, int64_t
from libc.string cimport memset, memcpy

# Eight interleaved tables of 16-bit counters: consecutive equal pixels
# would otherwise serialise on one counter's load-increment-store chain, and
# 16-bit counters keep all eight tables (4 KiB) in L1.  A table gets at most
# one increment per 8 pixels, so flushing into the int64 histogram before
# 65535 such groups keeps the counters from overflowing.  (8 x uint16
# measured ~12 % faster than 4 x uint32 on the A4 page.)
cdef enum:
    NTAB = 8
    MAX_GROUPS = 65535


cdef inline void _flush(uint16_t (*tab)[256], int64_t* hist) noexcept nogil:
    cdef int i, t
    cdef int64_t s
    for i in range(256):
        s = 0
        for t in range(NTAB):
            s += tab[t][i]
        hist[i] += s
    memset(tab, 0, sizeof(uint16_t) * NTAB * 256)


cdef void count_run(const uint8_t* p, Py_ssize_t n, Py_ssize_t sx, uint16_t (*tab)[256]) noexcept nogil:
    """Count n pixels p[0], p[sx], ... (n <= 8 * MAX_GROUPS): at most
    ceil(n / 8) increments per table."""
    cdef Py_ssize_t x = 0
    cdef uint64_t v
    if sx == 1:
        while x + 8 <= n:
            memcpy(&v, p + x, 8)
            tab[0][v & 0xFF] += 1
            tab[1][(v >> 8) & 0xFF] += 1
            tab[2][(v >> 16) & 0xFF] += 1
            tab[3][(v >> 24) & 0xFF] += 1
            tab[4][(v >> 32) & 0xFF] += 1
            tab[5][(v >> 40) & 0xFF] += 1
            tab[6][(v >> 48) & 0xFF] += 1
            tab[7][v >> 56] += 1
            x += 8
        while x < n:
            tab[x & 7][p[x]] += 1
            x += 1
    else:
        for x in range(n):
            tab[x & 7][p[x * sx]] += 1


cdef void count_rows(const uint8_t[:, :] img, Py_ssize_t y0, Py_ssize_t y1,
                     int64_t* hist) noexcept nogil:
    cdef uint16_t tab[NTAB][256]
    cdef Py_ssize_t y, x, n, w = img.shape[1], sx = img.strides[1]
    cdef Py_ssize_t chunk = 8 * <Py_ssize_t>MAX_GROUPS
    cdef Py_ssize_t pending = 0, groups
    memset(tab, 0, sizeof(tab))
    for y in range(y0, y1):
        x = 0
        while x < w:
            n = min(w - x, chunk)
            groups = (n + 7) // 8
            if pending + groups > MAX_GROUPS:
                _flush(tab, hist)
                pending = 0
            count_run(&img[y, x], n, sx, tab)
            pending += groups
            x += n
    _flush(tab, hist)


def histogram_band(const uint8_t[:, :] img, int64_t[::1] hist, Py_ssize_t y0, Py_ssize_t y1):
    """Add the counts of rows [y0, y1) of ``img`` to ``hist`` (256 int64)."""
    with nogil:
        count_rows(img, y0, y1, &hist[0])
