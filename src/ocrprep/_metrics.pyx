# Loops of ocrprep.metrics: nearest-seed propagation for the DIBCO 2013
# pseudo-recall / pseudo-precision weights (distance maps, skeleton
# territories, nearest ground-truth component).
from libc.stdint cimport uint8_t, int32_t, int64_t
from libc.stdlib cimport malloc, free

import numpy as np


cdef int propagate(const uint8_t *domain, const int32_t *labels, int32_t *src, int32_t *dist,
                   Py_ssize_t h, Py_ssize_t w, int32_t max_dist) noexcept nogil:
    """Breadth-first propagation from the pixels with dist == 0 (src set to
    themselves) over the 8-connected ``domain``, layer by layer: a pixel of
    layer d + 1 takes, among its neighbours of layer d, the source nearest
    to it in the Euclidean sense (first in queue order on ties).  With
    ``labels``, propagation never crosses between different labels."""
    cdef Py_ssize_t n = h * w, head = 0, tail = 0, i
    cdef int32_t *queue = <int32_t *>malloc(n * sizeof(int32_t))
    cdef int32_t q, p, s, cur, d
    cdef Py_ssize_t qy, qx, py, px, sy, sx, cy, cx
    cdef int dy, dx
    cdef int64_t dnew, dold
    if queue == NULL:
        return -1
    for i in range(n):
        if dist[i] == 0:
            queue[tail] = <int32_t>i
            tail += 1
    while head < tail:
        q = queue[head]
        head += 1
        d = dist[q]
        if d >= max_dist:
            continue
        qy = q // w
        qx = q - qy * w
        s = src[q]
        sy = s // w
        sx = s - sy * w
        for dy in range(-1, 2):
            py = qy + dy
            if py < 0 or py >= h:
                continue
            for dx in range(-1, 2):
                if dy == 0 and dx == 0:
                    continue
                px = qx + dx
                if px < 0 or px >= w:
                    continue
                p = <int32_t>(py * w + px)
                if not domain[p]:
                    continue
                if labels != NULL and labels[p] != labels[q]:
                    continue
                if dist[p] < 0:
                    dist[p] = d + 1
                    src[p] = s
                    queue[tail] = p
                    tail += 1
                elif dist[p] == d + 1:
                    cur = src[p]
                    cy = cur // w
                    cx = cur - cy * w
                    dnew = (py - sy) * (py - sy) + (px - sx) * (px - sx)
                    dold = (py - cy) * (py - cy) + (px - cx) * (px - cx)
                    if dnew < dold:
                        src[p] = s
    free(queue)
    return 0


def nearest_seed(domain, seeds, labels=None, int max_dist=2147483647):
    """Nearest seed of every pixel reachable from the seeds.

    Parameters
    ----------
    domain : (H, W) bool/uint8 array
        Pixels the propagation may enter (seeds are sources wherever they lie).
    seeds : (H, W) bool array
    labels : (H, W) int32 array, optional
        When given, a pixel is only reached from neighbours with its label.
    max_dist : int
        Layers beyond this chessboard distance are not reached.

    Returns
    -------
    src : (H, W) int32
        Linear index (y * W + x) of the nearest seed, -1 where unreached.
    dist : (H, W) int32
        Chessboard (8-connected, geodesic within ``domain``) distance to the
        seed layer, 0 on seeds, -1 where unreached.
    """
    dom = np.ascontiguousarray(domain, dtype=np.uint8)
    sd = np.ascontiguousarray(seeds, dtype=bool)
    if dom.ndim != 2 or sd.shape != dom.shape:
        raise ValueError("nearest_seed: domain and seeds must be 2-D arrays of one shape")
    cdef Py_ssize_t h = dom.shape[0], w = dom.shape[1]
    if h * w >= 2147483647:
        raise ValueError("nearest_seed: image too large")
    src = np.full((h, w), -1, np.int32)
    dist = np.full((h, w), -1, np.int32)
    flat = np.flatnonzero(sd).astype(np.int32)
    src.ravel()[flat] = flat
    dist.ravel()[flat] = 0
    cdef const uint8_t[:, ::1] dv = dom
    cdef int32_t[:, ::1] sv = src
    cdef int32_t[:, ::1] tv = dist
    cdef const int32_t[:, ::1] lv
    cdef const int32_t *lp = NULL
    cdef int rc
    if labels is not None:
        lab = np.ascontiguousarray(labels, dtype=np.int32)
        if lab.shape != dom.shape:
            raise ValueError("nearest_seed: labels must have the image's shape")
        lv = lab
        if h * w:
            lp = &lv[0, 0]
    if h * w == 0:
        return src, dist
    with nogil:
        rc = propagate(&dv[0, 0], lp, &sv[0, 0], &tv[0, 0], h, w, max_dist)
    if rc != 0:
        raise MemoryError("nearest_seed: out of memory")
    return src, dist
