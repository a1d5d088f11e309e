# Loops of ocrprep.skew: ink cleanup, baseline points and projection profiles.
from libc.stdint cimport uint8_t, int32_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset
from libc.math cimport floor, sin, cos, M_PI
import numpy as np


cdef Py_ssize_t drop_components(uint8_t* m, Py_ssize_t h, Py_ssize_t w,
                                Py_ssize_t max_w, Py_ssize_t max_h, int32_t* queue) noexcept nogil:
    """Delete the 8-connected ink components (m == 1) that touch the image
    border or whose bounding box is wider than max_w or taller than max_h;
    mark the others 2.  Returns the number of ink pixels kept."""
    cdef Py_ssize_t start, head, tail, i, p, y, x, yy, xx, kept = 0
    cdef Py_ssize_t x0, x1, y0, y1
    cdef int dy, dx
    cdef bint drop
    cdef uint8_t mark
    for start in range(h * w):
        if m[start] != 1:
            continue
        # Breadth-first flood fill; the component's pixels end up in queue[0:tail].
        m[start] = 3
        queue[0] = <int32_t>start
        head = 0
        tail = 1
        y0 = y1 = start // w
        x0 = x1 = start % w
        while head < tail:
            p = queue[head]
            head += 1
            y = p // w
            x = p - y * w
            if y < y0: y0 = y
            if y > y1: y1 = y
            if x < x0: x0 = x
            if x > x1: x1 = x
            for dy in range(-1, 2):
                yy = y + dy
                if yy < 0 or yy >= h:
                    continue
                for dx in range(-1, 2):
                    xx = x + dx
                    if xx < 0 or xx >= w:
                        continue
                    i = yy * w + xx
                    if m[i] == 1:
                        m[i] = 3
                        queue[tail] = <int32_t>i
                        tail += 1
        drop = (y0 == 0 or x0 == 0 or y1 == h - 1 or x1 == w - 1
                or x1 - x0 + 1 > max_w or y1 - y0 + 1 > max_h)
        mark = 0 if drop else 2
        for i in range(tail):
            m[queue[i]] = mark
        if not drop:
            kept += tail
    return kept


def clean_ink(uint8_t[:, ::1] mask, Py_ssize_t max_w, Py_ssize_t max_h):
    """In place: keep (as 2) the ink components of ``mask`` (1 = ink) that do
    not touch the border and fit in max_w x max_h; zero the rest.  Returns
    the number of ink pixels kept."""
    cdef Py_ssize_t h = mask.shape[0], w = mask.shape[1], kept
    cdef int32_t* queue = <int32_t*>malloc(h * w * sizeof(int32_t))
    if queue == NULL:
        raise MemoryError("cannot allocate the flood-fill queue")
    with nogil:
        kept = drop_components(&mask[0, 0], h, w, max_w, max_h, queue)
    free(queue)
    return kept


def baseline_points(const uint8_t[:, ::1] mask):
    """Coordinates of the bottom edge of the kept ink (mask == 2 with no kept
    ink below), relative to the image centre, as two float64 arrays.

    Each y is dithered by a fixed offset in [-0.5, 0.5) (the golden-ratio
    sequence over the point index): every point then stands for its pixel's
    extent rather than the pixel lattice, which otherwise favours 0 degrees
    exactly, where all points of a row fall into one bin.
    """
    cdef Py_ssize_t h = mask.shape[0], w = mask.shape[1], y, x, n = 0, k
    cdef double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, u
    with nogil:
        for y in range(h):
            for x in range(w):
                if mask[y, x] == 2 and (y == h - 1 or mask[y + 1, x] != 2):
                    n += 1
    xs_arr = np.empty(n, np.float64)
    ys_arr = np.empty(n, np.float64)
    cdef double[::1] xs = xs_arr
    cdef double[::1] ys = ys_arr
    k = 0
    with nogil:
        for y in range(h):
            for x in range(w):
                if mask[y, x] == 2 and (y == h - 1 or mask[y + 1, x] != 2):
                    u = k * 0.6180339887498949
                    u = u - floor(u) - 0.5
                    xs[k] = x - cx
                    ys[k] = y - cy + u
                    k += 1
    return xs_arr, ys_arr


cdef double profile_energy(const double* xs, const double* ys, Py_ssize_t n, Py_ssize_t stride,
                           double theta, double* prof, Py_ssize_t nbins) noexcept nogil:
    """Sum of squares of the projection profile of the points along the
    direction rotated by ``theta`` degrees (r = x sin + y cos).

    Each point spreads into four bins with cubic B-spline weights: unlike
    nearest or linear binning, the energy then hardly depends on where
    points fall between bin centres, so it varies smoothly with the angle.
    """
    cdef double s = sin(theta * M_PI / 180.0), c = cos(theta * M_PI / 180.0)
    cdef double off = nbins / 2.0, r, f, f2, f3, g, total = 0.0
    cdef Py_ssize_t i, b
    memset(prof, 0, nbins * sizeof(double))
    i = 0
    while i < n:
        r = xs[i] * s + ys[i] * c + off
        b = <Py_ssize_t>r  # r > 2 by construction of nbins
        f = r - b
        f2 = f * f
        f3 = f2 * f
        g = 1.0 - f
        prof[b - 1] += g * g * g * (1.0 / 6.0)
        prof[b] += (3.0 * f3 - 6.0 * f2 + 4.0) * (1.0 / 6.0)
        prof[b + 1] += (-3.0 * f3 + 3.0 * f2 + 3.0 * f + 1.0) * (1.0 / 6.0)
        prof[b + 2] += f3 * (1.0 / 6.0)
        i += stride
    for b in range(nbins):
        total += prof[b] * prof[b]
    return total


def profile_energies(const double[::1] xs, const double[::1] ys, const double[::1] angles,
                     double[::1] out, Py_ssize_t stride, Py_ssize_t i0, Py_ssize_t i1):
    """out[i] = profile energy of every ``stride``-th point at angles[i], for i in [i0, i1)."""
    cdef Py_ssize_t n = xs.shape[0], i, nbins
    cdef double rmax = 0.0, r
    cdef double* prof
    if n == 0:
        for i in range(i0, i1):
            out[i] = 0.0
        return
    with nogil:
        for i in range(n):
            r = xs[i] * xs[i] + ys[i] * ys[i]
            if r > rmax:
                rmax = r
    nbins = 2 * (<Py_ssize_t>(rmax ** 0.5) + 4)
    prof = <double*>malloc(nbins * sizeof(double))
    if prof == NULL:
        raise MemoryError("cannot allocate the projection profile")
    with nogil:
        for i in range(i0, i1):
            out[i] = profile_energy(&xs[0], &ys[0], n, max(1, stride), angles[i], prof, nbins)
    free(prof)
