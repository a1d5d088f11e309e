# distutils: sources = csrc/auto.c
# distutils: extra_compile_args = -fno-math-errno -fno-trapping-math
# Loops of ocrprep.auto_binarize: statistics of the normalised page (Sobel
# magnitudes, provisional ink area and boundary) and the fused stroke-edge
# threshold pass (C in csrc/auto.c for AVX2 dispatch).
from libc.stdint cimport uint8_t, uint16_t, int64_t
from libc.stdlib cimport malloc, free


cdef extern from "auto.h" nogil:
    int OCRPREP_GRAD_BINS
    ctypedef struct ocrprep_auto_params:
        const uint16_t *te_grid
        int te
        int k
        int nmin
        double kstd
        int tg
        const uint8_t *floor_grid
        const uint8_t *strong_grid
        const uint8_t *faint_grid
        Py_ssize_t gb
        Py_ssize_t gch
        Py_ssize_t gcw
        uint8_t *dst
        Py_ssize_t dst_stride
    int ocrprep_auto_stats_band(const uint8_t *n, Py_ssize_t stride, Py_ssize_t h, Py_ssize_t w,
                                Py_ssize_t y0, Py_ssize_t y1, Py_ssize_t step, int tg,
                                int64_t *ghist, int64_t *area, uint16_t *gmax, Py_ssize_t gb)
    int ocrprep_auto_fused_band(uint8_t *const *rows, Py_ssize_t ybase, Py_ssize_t yend,
                                Py_ssize_t h, Py_ssize_t w, Py_ssize_t y0, Py_ssize_t y1,
                                const ocrprep_auto_params *prm)


GRAD_BINS = OCRPREP_GRAD_BINS


def stats_band(const uint8_t[:, ::1] n, Py_ssize_t y0, Py_ssize_t y1, Py_ssize_t step, int tg,
               int64_t[::1] ghist, int64_t[::1] area, uint16_t[:, ::1] gmax, Py_ssize_t gb):
    """Sobel-magnitude histogram, provisional-ink area/boundary and the
    largest magnitude of each gb x gb block (raised in ``gmax``) of rows y in
    [y0, y1) with y % step == 0 (see auto.h)."""
    cdef int rc
    if ghist.shape[0] != OCRPREP_GRAD_BINS or area.shape[0] != 2:
        raise ValueError("stats_band: bad accumulator sizes")
    if gb < 1 or gmax.shape[0] != (n.shape[0] + gb - 1) // gb or gmax.shape[1] != (n.shape[1] + gb - 1) // gb:
        raise ValueError("stats_band: gradient grid does not match the image")
    if not (0 <= y0 <= y1 <= n.shape[0]) or step < 1:
        raise ValueError("stats_band: bad row range")
    if y0 == y1:
        return
    with nogil:
        rc = ocrprep_auto_stats_band(&n[0, 0], n.strides[0], n.shape[0], n.shape[1], y0, y1,
                                     step, tg, &ghist[0], &area[0], &gmax[0, 0], gb)
    if rc != 0:
        raise MemoryError("stats_band: out of memory")


def fused_band(uint8_t[:, ::1] n, Py_ssize_t y0, Py_ssize_t y1, top, bottom,
               te_grid, int k, int nmin, double kstd, int tg,
               const uint8_t[:, ::1] floor_grid, const uint8_t[:, ::1] strong_grid,
               Py_ssize_t gb, dest=None, faint_grid=None):
    """Classify rows [y0, y1) of ``n`` in place (codes of auto.h).

    ``top`` / ``bottom`` are copies of the rows just above ``y0`` / from
    ``y1`` on (other threads overwrite the originals), each a C-contiguous
    (rows, w) uint8 array, possibly with 0 rows.  ``floor_grid`` and
    ``strong_grid`` hold the noise floor and strong-ink levels of each
    ``gb`` x ``gb`` block, ``te_grid`` its stroke-edge threshold.  With
    ``dest`` (same shape as ``n``), the codes go there and ``n`` is only
    read.
    """
    cdef Py_ssize_t h = n.shape[0], w = n.shape[1], i, ybase, yend, nt, nb
    cdef const uint8_t[:, ::1] tv
    cdef const uint8_t[:, ::1] bv
    cdef uint8_t **rows
    cdef ocrprep_auto_params prm
    cdef int rc
    cdef uint8_t[:, ::1] dv
    cdef const uint8_t[:, ::1] fv
    cdef const uint16_t[:, ::1] tgv
    if k < 3 or k % 2 == 0:
        raise ValueError("fused_band: k must be odd and >= 3")
    prm.dst = NULL
    prm.dst_stride = 0
    if dest is not None:
        dv = dest
        if dv.shape[0] != n.shape[0] or dv.shape[1] != n.shape[1]:
            raise ValueError("fused_band: dest must have the shape of n")
        prm.dst = &dv[0, 0]
        prm.dst_stride = dv.strides[0]
    if gb < 1 or floor_grid.shape[0] != (n.shape[0] + gb - 1) // gb or \
            floor_grid.shape[1] != (n.shape[1] + gb - 1) // gb or \
            strong_grid.shape[0] != floor_grid.shape[0] or strong_grid.shape[1] != floor_grid.shape[1] or \
            False:
        raise ValueError("fused_band: level grids do not match the image")
    if not (0 <= y0 <= y1 <= h) or y0 % 2:
        raise ValueError("fused_band: bad row range")
    if y0 == y1:
        return
    tv = top
    bv = bottom
    nt = tv.shape[0]
    nb = bv.shape[0]
    if (nt and tv.shape[1] != w) or (nb and bv.shape[1] != w):
        raise ValueError("fused_band: halo rows have the wrong width")
    ybase = y0 - nt
    yend = y1 + nb
    if ybase < 0 or yend > h:
        raise ValueError("fused_band: halo outside the image")
    if (ybase > 0 and ybase > y0 - 2 * k - 4) or (yend < h and yend < y1 + 2 * k + 4):
        raise ValueError("fused_band: halo too small")
    if isinstance(te_grid, int):   # one threshold for the page
        prm.te_grid = NULL
        prm.te = te_grid
    else:
        tgv = te_grid
        if tgv.shape[0] != floor_grid.shape[0] or tgv.shape[1] != floor_grid.shape[1]:
            raise ValueError("fused_band: edge threshold grid does not match the image")
        prm.te_grid = &tgv[0, 0]
        prm.te = 0
    prm.k = k
    prm.nmin = nmin
    prm.kstd = kstd
    prm.tg = tg
    prm.floor_grid = &floor_grid[0, 0]
    prm.strong_grid = &strong_grid[0, 0]
    prm.faint_grid = NULL
    if faint_grid is not None:
        fv = faint_grid
        if fv.shape[0] != strong_grid.shape[0] or fv.shape[1] != strong_grid.shape[1]:
            raise ValueError("fused_band: faint grid does not match")
        prm.faint_grid = &fv[0, 0]
    prm.gb = gb
    prm.gch = floor_grid.shape[0]
    prm.gcw = floor_grid.shape[1]
    rows = <uint8_t **>malloc((yend - ybase) * sizeof(uint8_t *))
    if rows == NULL:
        raise MemoryError("fused_band: out of memory")
    for i in range(nt):
        rows[i] = <uint8_t *>&tv[i, 0]
    for i in range(y0, y1):
        rows[i - ybase] = &n[i, 0]
    for i in range(nb):
        rows[y1 - ybase + i] = <uint8_t *>&bv[i, 0]
    with nogil:
        rc = ocrprep_auto_fused_band(rows, ybase, yend, h, w, y0, y1, &prm)
    free(rows)
    if rc != 0:
        raise MemoryError("fused_band: out of memory")
