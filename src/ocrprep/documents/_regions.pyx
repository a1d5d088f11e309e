# Loops of ocrprep.documents.regions: per-component bounding boxes and pixel moments.
from libc.stdint cimport int32_t, int64_t


def component_stats(const int32_t[:, ::1] labels, Py_ssize_t n, int64_t[:, ::1] boxes, double[:, ::1] moments):
    """Fill ``boxes[k] = (x0, y0, x1, y1)`` (inclusive-exclusive) and ``moments[k] = (n, sx, sy, sxx, syy, sxy)``
    for labels 1..n (row 0 is unused)."""
    cdef Py_ssize_t h = labels.shape[0], w = labels.shape[1], x, y
    cdef int32_t k
    cdef double fx, fy
    with nogil:
        for k in range(n + 1):
            boxes[k, 0] = w
            boxes[k, 1] = h
            boxes[k, 2] = 0
            boxes[k, 3] = 0
            moments[k, 0] = 0; moments[k, 1] = 0; moments[k, 2] = 0
            moments[k, 3] = 0; moments[k, 4] = 0; moments[k, 5] = 0
        for y in range(h):
            fy = y
            for x in range(w):
                k = labels[y, x]
                if k <= 0 or k > n:
                    continue
                if x < boxes[k, 0]:
                    boxes[k, 0] = x
                if x >= boxes[k, 2]:
                    boxes[k, 2] = x + 1
                if y < boxes[k, 1]:
                    boxes[k, 1] = y
                if y >= boxes[k, 3]:
                    boxes[k, 3] = y + 1
                fx = x
                moments[k, 0] += 1
                moments[k, 1] += fx
                moments[k, 2] += fy
                moments[k, 3] += fx * fx
                moments[k, 4] += fy * fy
                moments[k, 5] += fx * fy
