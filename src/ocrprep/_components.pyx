# Loops of ocrprep.components: connected components of ink (8-connected) and
# paper (4-connected) on horizontal runs, with union-find over the runs.
#
# A page is mostly long paper runs, so the row scan skips 8 pixels at a time
# while they all have the current class (a pixel is ink when < 128), and the
# labelling work is proportional to the number of runs, not of pixels.
from libc.stdint cimport uint8_t, int32_t, int64_t, uint64_t
from libc.stdlib cimport malloc, realloc, free
from libc.string cimport memcpy, memset


cdef struct RunSet:
    int32_t *a        # first column of each run
    int32_t *b        # one past its last column
    int32_t *row      # row of each run
    uint8_t *ink      # 1 for an ink run
    Py_ssize_t n
    Py_ssize_t cap


cdef int runs_push(RunSet *rs, int32_t y, int32_t a, int32_t b, uint8_t ink) noexcept nogil:
    cdef Py_ssize_t cap
    cdef void *p
    if rs.n == rs.cap:
        cap = rs.cap * 2 if rs.cap else 1024
        p = realloc(rs.a, cap * sizeof(int32_t))
        if p == NULL:
            return -1
        rs.a = <int32_t *>p
        p = realloc(rs.b, cap * sizeof(int32_t))
        if p == NULL:
            return -1
        rs.b = <int32_t *>p
        p = realloc(rs.row, cap * sizeof(int32_t))
        if p == NULL:
            return -1
        rs.row = <int32_t *>p
        p = realloc(rs.ink, cap)
        if p == NULL:
            return -1
        rs.ink = <uint8_t *>p
        rs.cap = cap
    rs.a[rs.n] = a
    rs.b[rs.n] = b
    rs.row[rs.n] = y
    rs.ink[rs.n] = ink
    rs.n += 1
    return 0


cdef void runs_free(RunSet *rs) noexcept nogil:
    free(rs.a)
    free(rs.b)
    free(rs.row)
    free(rs.ink)


cdef int scan_row(const uint8_t *p, Py_ssize_t w, int32_t y, RunSet *rs) noexcept nogil:
    """Append the runs of one row (ink = pixel < 128)."""
    cdef Py_ssize_t x = 0, start = 0
    cdef int cur = p[0] < 128
    cdef uint64_t v, hb, uniform
    while x < w:
        if x + 8 <= w:
            memcpy(&v, p + x, 8)
            hb = v & 0x8080808080808080ULL
            uniform = 0 if cur else 0x8080808080808080ULL
            if hb == uniform:
                x += 8
                continue
        if (p[x] < 128) != cur:
            if runs_push(rs, y, <int32_t>start, <int32_t>x, <uint8_t>cur) < 0:
                return -1
            start = x
            cur = not cur
        x += 1
    return runs_push(rs, y, <int32_t>start, <int32_t>w, <uint8_t>cur)


cdef inline int32_t find(int32_t *parent, int32_t i) noexcept nogil:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


cdef inline void unite(int32_t *parent, int32_t i, int32_t j) noexcept nogil:
    i = find(parent, i)
    j = find(parent, j)
    if i < j:
        parent[j] = i
    elif j < i:
        parent[i] = j


cdef int label_runs(const uint8_t *img, Py_ssize_t stride, Py_ssize_t h, Py_ssize_t w,
                    RunSet *rs, int32_t **parent_out, int32_t **rowstart_out) noexcept nogil:
    cdef Py_ssize_t y, i, j, k, p0, p1, c0, c1
    cdef int32_t *parent
    cdef int32_t *rowstart = <int32_t *>malloc((h + 1) * sizeof(int32_t))
    if rowstart == NULL:
        return -1
    for y in range(h):
        rowstart[y] = <int32_t>rs.n
        if scan_row(img + y * stride, w, <int32_t>y, rs) < 0:
            free(rowstart)
            return -1
    rowstart[h] = <int32_t>rs.n
    parent = <int32_t *>malloc((rs.n + 1) * sizeof(int32_t))
    if parent == NULL:
        free(rowstart)
        return -1
    for i in range(rs.n):
        parent[i] = <int32_t>i
    for y in range(1, h):
        p0 = rowstart[y - 1]
        p1 = rowstart[y]
        c0 = rowstart[y]
        c1 = rowstart[y + 1]
        i = p0
        for j in range(c0, c1):
            # skip the runs above that end before this one can touch them (even diagonally)
            while i < p1 and rs.b[i] < rs.a[j]:
                i += 1
            k = i
            while k < p1 and rs.a[k] <= rs.b[j]:
                if rs.ink[k] == rs.ink[j]:
                    if rs.ink[j]:
                        unite(parent, <int32_t>k, <int32_t>j)        # 8-connected
                    elif rs.a[k] < rs.b[j] and rs.a[j] < rs.b[k]:
                        unite(parent, <int32_t>k, <int32_t>j)        # 4-connected
                k += 1
    for i in range(rs.n):
        parent[i] = find(parent, <int32_t>i)
    parent_out[0] = parent
    rowstart_out[0] = rowstart
    return 0


def clean(uint8_t[:, ::1] img, int64_t min_ink_area=0, bint need_strong=False,
          int64_t max_hole_area=0, double hole_dark_frac=0.0):
    """Rewrite ``img`` in place as 0 (ink) / 255 (paper) after removing and filling components.

    Pixels < 128 are ink (8-connected components), the others paper
    (4-connected).  An ink component becomes paper when its area is below
    ``min_ink_area``, or when ``need_strong`` and none of its pixels is 0
    (the "strong ink" code).  A paper component that does not touch the
    image border becomes ink when its area is at most ``max_hole_area``
    (``< 0``: any area; ``0``: never) and at least ``hole_dark_frac`` of its
    pixels are below 224 (the "dark paper" code).

    Returns ``(removed, filled)``: numbers of components changed.
    """
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], i, y, x
    cdef Py_ssize_t stride = img.strides[0]
    cdef RunSet rs
    cdef int32_t *parent = NULL
    cdef int32_t *rowstart = NULL
    cdef int64_t *area = NULL
    cdef int64_t *count = NULL
    cdef uint8_t *flag = NULL      # bit 0: touches border, bit 1: change it
    cdef int rc = 0
    cdef int32_t root
    cdef const uint8_t *p
    cdef uint8_t val
    cdef Py_ssize_t removed = 0, filled = 0
    if h == 0 or w == 0:
        return (0, 0)
    memset(&rs, 0, sizeof(RunSet))
    with nogil:
        rc = label_runs(&img[0, 0], stride, h, w, &rs, &parent, &rowstart)
        if rc == 0:
            area = <int64_t *>malloc(rs.n * sizeof(int64_t))
            count = <int64_t *>malloc(rs.n * sizeof(int64_t))
            flag = <uint8_t *>malloc(rs.n)
            if area == NULL or count == NULL or flag == NULL:
                rc = -1
        if rc == 0:
            memset(area, 0, rs.n * sizeof(int64_t))
            memset(count, 0, rs.n * sizeof(int64_t))
            memset(flag, 0, rs.n)
            for i in range(rs.n):
                root = parent[i]
                area[root] += rs.b[i] - rs.a[i]
                if rs.row[i] == 0 or rs.row[i] == h - 1 or rs.a[i] == 0 or rs.b[i] == w:
                    flag[root] |= 1
            # count strong ink / dark paper only where it can matter
            for i in range(rs.n):
                root = parent[i]
                p = &img[0, 0] + rs.row[i] * stride
                if rs.ink[i]:
                    if need_strong and area[root] >= min_ink_area and count[root] == 0:
                        for x in range(rs.a[i], rs.b[i]):
                            if p[x] == 0:
                                count[root] = 1
                                break
                elif (max_hole_area != 0 and not (flag[root] & 1)
                      and (max_hole_area < 0 or area[root] <= max_hole_area)):
                    if hole_dark_frac > 0:
                        for x in range(rs.a[i], rs.b[i]):
                            count[root] += p[x] < 224
            for i in range(rs.n):
                if parent[i] != i:
                    continue
                if rs.ink[i]:
                    if area[i] < min_ink_area or (need_strong and count[i] == 0):
                        flag[i] |= 2
                        removed += 1
                elif (max_hole_area != 0 and not (flag[i] & 1)
                      and (max_hole_area < 0 or area[i] <= max_hole_area)
                      and count[i] >= hole_dark_frac * area[i]):
                    flag[i] |= 2
                    filled += 1
            for i in range(rs.n):
                root = parent[i]
                val = 0 if rs.ink[i] else 255
                if flag[root] & 2:
                    val = 255 - val
                memset(&img[0, 0] + rs.row[i] * stride + rs.a[i], val, rs.b[i] - rs.a[i])
    free(area)
    free(count)
    free(flag)
    free(parent)
    free(rowstart)
    runs_free(&rs)
    if rc != 0:
        raise MemoryError("components: out of memory")
    return (removed, filled)


def label(const uint8_t[:, ::1] img, int32_t[:, ::1] labels):
    """Label ink components (8-connected) 1..n in ``labels`` (0 = paper); returns n
    and the (n + 1,) int64 array of their areas (``areas[0]`` = paper pixels)."""
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], i, x
    cdef RunSet rs
    cdef int32_t *parent = NULL
    cdef int32_t *rowstart = NULL
    cdef int32_t *ids = NULL
    cdef int32_t nlab = 0, lab
    cdef int rc = 0
    import numpy as np
    memset(&rs, 0, sizeof(RunSet))
    with nogil:
        rc = label_runs(&img[0, 0], img.strides[0], h, w, &rs, &parent, &rowstart)
        if rc == 0:
            ids = <int32_t *>malloc((rs.n + 1) * sizeof(int32_t))
            if ids == NULL:
                rc = -1
        if rc == 0:
            for i in range(rs.n):
                ids[i] = 0
            for i in range(rs.n):   # roots have the smallest index: number them in scan order
                if rs.ink[i] and parent[i] == i:
                    nlab += 1
                    ids[i] = nlab
    if rc != 0:
        free(parent); free(rowstart); free(ids); runs_free(&rs)
        raise MemoryError("components: out of memory")
    areas = np.zeros(nlab + 1, np.int64)
    cdef int64_t[::1] av = areas
    with nogil:
        for i in range(rs.n):
            lab = ids[parent[i]] if rs.ink[i] else 0
            av[lab] += rs.b[i] - rs.a[i]
            for x in range(rs.a[i], rs.b[i]):
                labels[rs.row[i], x] = lab
    free(parent)
    free(rowstart)
    free(ids)
    runs_free(&rs)
    return nlab, areas
