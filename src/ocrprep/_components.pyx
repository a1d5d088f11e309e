# distutils: sources = csrc/components.c
# Loops of ocrprep.components: connected components of ink (8-connected) and
# paper (4-connected) on horizontal runs, with union-find over the runs.
#
# A page is mostly long paper runs: the row scan looks at 32 pixels at a time
# (8 without SSE2; their "ink" bits packed into a word) and only stops at
# class changes, and the labelling work is proportional to the number of
# runs, not of pixels.
# Runs alternate between ink and paper along a row, so a run's class is
# known from the class of its row's first run and its parity.
from libc.stdint cimport uint8_t, uint16_t, int32_t, int64_t, uint64_t
from libc.stdlib cimport malloc, realloc, free
from libc.string cimport memcpy, memset

cdef extern from *:
    """
    #if defined(_MSC_VER)
    #include <intrin.h>
    static __inline int ocrprep_ctz32(unsigned int v) { unsigned long i; _BitScanForward(&i, v); return (int)i; }
    #else
    static inline int ocrprep_ctz32(unsigned int v) { return __builtin_ctz(v); }
    #endif
    #if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
    #include <emmintrin.h>
    #define OCRPREP_SCAN_SSE2 1
    #endif
    #include <string.h>
    #include <stdint.h>

    /* One run ends at each set bit of `trans` (bit i: pixel x + i differs
     * from the one before it); appended to ra / rb from index n. */
    static inline Py_ssize_t ocrprep_emit_runs(unsigned int trans, Py_ssize_t x, int32_t *ra,
                                               int32_t *rb, Py_ssize_t n, Py_ssize_t *start)
    {
        while (trans) {
            Py_ssize_t at = x + ocrprep_ctz32(trans);
            ra[n] = (int32_t)*start;
            rb[n] = (int32_t)at;
            n++;
            *start = at;
            trans &= trans - 1;
        }
        return n;
    }

    /* The runs of one row (ink = byte < 128) appended to ra / rb from index
     * n; returns the new count.  The "ink" bits of 32 (SSE2: the top bit of
     * each byte, inverted) or 8 bytes (a multiply gathers them) at a time,
     * so a stretch of paper costs a few instructions per 32 pixels; runs
     * end where a bit differs from the one before it. */
    static Py_ssize_t ocrprep_scan_row(const uint8_t *row, Py_ssize_t w, int32_t *ra, int32_t *rb,
                                       Py_ssize_t n)
    {
        unsigned int cur = row[0] < 128, bits, trans;
        Py_ssize_t x = 0, start = 0;
    #ifdef OCRPREP_SCAN_SSE2
        for (; x + 32 <= w; x += 32) {
            unsigned int m0 = (unsigned int)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(row + x)));
            unsigned int m1 = (unsigned int)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(row + x + 16)));
            bits = ~(m0 | (m1 << 16));
            trans = bits ^ ((bits << 1) | cur);
            n = ocrprep_emit_runs(trans, x, ra, rb, n, &start);
            cur = bits >> 31;
        }
    #endif
        for (; x + 8 <= w; x += 8) {
            uint64_t v;
            memcpy(&v, row + x, 8);
            /* bit i of `bits` = byte i is ink (its top bit is clear) */
            bits = (unsigned int)((((~v) & 0x8080808080808080ULL) >> 7) * 0x0102040810204080ULL >> 56);
            trans = (bits ^ ((bits << 1) | cur)) & 0xFF;
            n = ocrprep_emit_runs(trans, x, ra, rb, n, &start);
            cur = (bits >> 7) & 1;
        }
        for (; x < w; x++) {
            if ((unsigned int)(row[x] < 128) != cur) {
                ra[n] = (int32_t)start;
                rb[n] = (int32_t)x;
                n++;
                start = x;
                cur ^= 1;
            }
        }
        ra[n] = (int32_t)start;
        rb[n] = (int32_t)w;
        return n + 1;
    }

    """
    int ocrprep_ctz32(unsigned int v) nogil
    Py_ssize_t ocrprep_scan_row(const uint8_t *row, Py_ssize_t w, int32_t *ra, int32_t *rb,
                                Py_ssize_t n) nogil


cdef extern from "components.h" nogil:
    void ocrprep_cc_shape_row(const uint8_t *n0, const uint8_t *n1, const uint8_t *n2,
                              const uint8_t *up, const uint8_t *dn, Py_ssize_t w, Py_ssize_t x0,
                              Py_ssize_t x1, uint16_t *s9, uint16_t *g, uint8_t *bd)


cdef struct RunSet:
    int32_t *a        # first column of each run
    int32_t *b        # one past its last column
    int32_t *rowstart # index of the first run of each row (h + 1 entries)
    uint8_t *first    # class (1 = ink) of each row's first run
    Py_ssize_t n
    Py_ssize_t cap


cdef int scan_rows(const uint8_t *img, Py_ssize_t stride, Py_ssize_t h, Py_ssize_t w,
                   RunSet *rs) noexcept nogil:
    """Runs of every row (ink = pixel < 128) into rs; locals only in the loop
    (struct fields would be reloaded after every store)."""
    # room for a text page's runs from the start (about one per 36 pixels
    # on an A4 page): growing by copies costs more than untouched capacity
    cdef Py_ssize_t cap = max(1024, 8 * h, (h * w) // 32), n = 0, y, need
    cdef int32_t *ra = <int32_t *>malloc(cap * sizeof(int32_t))
    cdef int32_t *rb = <int32_t *>malloc(cap * sizeof(int32_t))
    cdef void *p
    cdef const uint8_t *row
    cdef unsigned int cur
    rs.a = ra
    rs.b = rb
    if ra == NULL or rb == NULL:
        return -1
    for y in range(h):
        rs.rowstart[y] = <int32_t>n
        row = img + y * stride
        cur = row[0] < 128
        rs.first[y] = <uint8_t>cur
        # worst case for this row: w runs (+ slack), grow before scanning
        need = n + w + 1
        if need > cap:
            while cap < need:
                cap *= 2
            p = realloc(ra, cap * sizeof(int32_t))
            if p == NULL:
                return -1
            ra = <int32_t *>p
            rs.a = ra
            p = realloc(rb, cap * sizeof(int32_t))
            if p == NULL:
                return -1
            rb = <int32_t *>p
            rs.b = rb
        n = ocrprep_scan_row(row, w, ra, rb, n)
    rs.rowstart[h] = <int32_t>n
    rs.n = n
    rs.cap = cap
    return 0


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
                    RunSet *rs, int32_t **comp_out, Py_ssize_t *ncomp) noexcept nogil:
    """Scan the runs into ``rs`` and give each run its component id (0..ncomp-1),
    ids numbered in order of each component's first run."""
    cdef Py_ssize_t y, i, j, k, p0, p1, c0, c1, n, nc
    cdef int32_t *parent
    cdef const int32_t *ra
    cdef const int32_t *rb
    cdef unsigned int inkj, fprev, fcur
    cdef int32_t aj, bj
    rs.rowstart = <int32_t *>malloc((h + 1) * sizeof(int32_t))
    rs.first = <uint8_t *>malloc(h)
    if rs.rowstart == NULL or rs.first == NULL:
        return -1
    if scan_rows(img, stride, h, w, rs) < 0:
        return -1
    n = rs.n
    ra = rs.a
    rb = rs.b
    parent = <int32_t *>malloc((n + 1) * sizeof(int32_t))
    if parent == NULL:
        return -1
    for i in range(n):
        parent[i] = <int32_t>i
    for y in range(1, h):
        p0 = rs.rowstart[y - 1]
        p1 = rs.rowstart[y]
        c0 = p1
        c1 = rs.rowstart[y + 1]
        fprev = rs.first[y - 1]
        fcur = rs.first[y]
        i = p0
        for j in range(c0, c1):
            inkj = fcur ^ <unsigned int>((j - c0) & 1)
            aj = ra[j]
            bj = rb[j]
            # skip the runs above that end before this one can touch them (even diagonally)
            while i < p1 and rb[i] < aj:
                i += 1
            k = i
            while k < p1 and ra[k] <= bj:
                if (fprev ^ <unsigned int>((k - p0) & 1)) == inkj:
                    if inkj or (ra[k] < bj and aj < rb[k]):   # ink 8-, paper 4-connected
                        unite(parent, <int32_t>k, <int32_t>j)
                k += 1
    for i in range(n):
        parent[i] = find(parent, <int32_t>i)
    # a root is the smallest index of its set: number the roots in index order
    # (a run's root precedes it, so it already holds its id when read)
    nc = 0
    for i in range(n):
        if parent[i] == i:
            parent[i] = <int32_t>nc
            nc += 1
        else:
            parent[i] = parent[parent[i]]
    ncomp[0] = nc
    comp_out[0] = parent
    return 0


cdef void free_runs(RunSet *rs) noexcept nogil:
    free(rs.a)
    free(rs.b)
    free(rs.rowstart)
    free(rs.first)


def clean(uint8_t[:, ::1] img, int64_t min_ink_area=0, bint need_strong=False,
          int64_t max_hole_area=0, double hole_dark_frac=0.0, norm=None, decide=None,
          blocks=None, Py_ssize_t bsize=8, bint keep_faint=False):
    """Rewrite ``img`` in place as 0 (ink) / 255 (paper) after removing and filling components.

    Pixels < 128 are ink (8-connected components), the others paper
    (4-connected).  An ink component becomes paper when its area is below
    ``min_ink_area``, or when ``need_strong`` and none of its pixels is 0
    (the "strong ink" code).  A paper component that does not touch the
    image border becomes ink when its area is at most ``max_hole_area``
    (``< 0``: any area; ``0``: never) and at least ``hole_dark_frac`` of its
    pixels are below 224 (the "dark paper" code).

    With ``norm``, the ink components left are then measured on it and
    ``decide`` may repaint some of them, as :func:`ink_shapes` does (one
    labelling for both); with ``keep_faint`` too, a component ``need_strong``
    would remove for want of a 0 pixel but which holds a 32 (the "faint
    ink" code) is kept for ``decide`` to judge (``faint`` is 1 in its
    statistics).  ``blocks`` (with ``norm``): a uint8 grid of ``bsize`` x
    ``bsize`` blocks, set to 1 where a block holds ink of a component that
    is kept and not faint (``faint`` as ``decide`` leaves it: it may flag
    more components, whose blocks are then not marked).

    Returns ``(removed, filled)``: numbers of components changed.
    """
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], i, y, x, ncomp = 0, r0, r1
    cdef Py_ssize_t stride = img.strides[0]
    cdef RunSet rs
    cdef int32_t *comp = NULL
    cdef int64_t *area = NULL
    cdef int64_t *count = NULL
    cdef uint8_t *flag = NULL      # bit 0: ink, 1: touches the border, 2: change it
    cdef int rc = 0
    cdef int32_t c
    cdef uint8_t *p
    cdef uint8_t val
    cdef Py_ssize_t removed = 0, filled = 0
    cdef bint judge_faint = keep_faint and norm is not None
    if h == 0 or w == 0:
        return (0, 0)
    memset(&rs, 0, sizeof(RunSet))
    with nogil:
        rc = label_runs(&img[0, 0], stride, h, w, &rs, &comp, &ncomp)
        if rc == 0:
            area = <int64_t *>malloc((ncomp + 1) * sizeof(int64_t))
            count = <int64_t *>malloc((ncomp + 1) * sizeof(int64_t))
            flag = <uint8_t *>malloc(ncomp + 1)
            if area == NULL or count == NULL or flag == NULL:
                rc = -1
        if rc == 0:
            memset(area, 0, ncomp * sizeof(int64_t))
            memset(count, 0, ncomp * sizeof(int64_t))
            memset(flag, 0, ncomp)
            for y in range(h):
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                for i in range(r0, r1):
                    c = comp[i]
                    area[c] += rs.b[i] - rs.a[i]
                    flag[c] |= rs.first[y] ^ ((i - r0) & 1)
                    if y == 0 or y == h - 1 or rs.a[i] == 0 or rs.b[i] == w:
                        flag[c] |= 2
            # count strong ink / dark paper only where it can decide something
            for y in range(h):
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                p = &img[0, 0] + y * stride
                for i in range(r0, r1):
                    c = comp[i]
                    if flag[c] & 1:
                        if need_strong and area[c] >= min_ink_area and count[c] != 1:
                            for x in range(rs.a[i], rs.b[i]):
                                if p[x] == 0:
                                    count[c] = 1
                                    break
                                if p[x] == 32:
                                    count[c] = 2
                    elif (hole_dark_frac > 0 and max_hole_area != 0 and not (flag[c] & 2)
                          and (max_hole_area < 0 or area[c] <= max_hole_area)):
                        for x in range(rs.a[i], rs.b[i]):
                            count[c] += p[x] < 224
            for c in range(ncomp):
                if flag[c] & 1:
                    if area[c] < min_ink_area or (need_strong and count[c] != 1):
                        if judge_faint and count[c] == 2 and area[c] >= min_ink_area:
                            flag[c] |= 8      # faint: judged by decide
                        else:
                            flag[c] |= 4
                            removed += 1
                elif (max_hole_area != 0 and not (flag[c] & 2)
                      and (max_hole_area < 0 or area[c] <= max_hole_area)
                      and count[c] >= hole_dark_frac * area[c]):
                    flag[c] |= 4
                    filled += 1
            # every pixel to 0 / 255, then the changed components flipped
            for y in range(h):
                p = &img[0, 0] + y * stride
                for x in range(w):
                    p[x] = 255 if p[x] >= 128 else 0
            if removed or filled:
                for y in range(h):
                    r0 = rs.rowstart[y]
                    r1 = rs.rowstart[y + 1]
                    p = &img[0, 0] + y * stride
                    for i in range(r0, r1):
                        c = comp[i]
                        if flag[c] & 4:
                            val = 255 if (flag[c] & 1) else 0
                            memset(p + rs.a[i], val, rs.b[i] - rs.a[i])
    if rc == 0 and norm is not None:
        try:
            _shapes_of_runs(img, norm, &rs, comp, ncomp, flag, decide, blocks, bsize)
        except BaseException:
            free(area); free(count); free(flag); free(comp); free_runs(&rs)
            raise
    free(area)
    free(count)
    free(flag)
    free(comp)
    free_runs(&rs)
    if rc != 0:
        raise MemoryError("components: out of memory")
    return (removed, filled)


cdef inline void run_shape(const uint16_t *s9, const uint16_t *g, const uint8_t *bd,
                           Py_ssize_t a, Py_ssize_t b, Py_ssize_t w, int32_t *min9, double *gsum,
                           int64_t *gcount) noexcept nogil:
    """One ink run [a, b) of a row whose 3 x 3 sums, Sobel magnitudes and
    paper-above-or-below flags are s9, g and bd (ocrprep_cc_shape_row):
    lower ``min9`` to its smallest 3 x 3 sum, add the Sobel magnitudes of
    its boundary pixels (a 4-neighbour of paper inside the image) to
    ``gsum`` and their number to ``gcount``.  Local accumulators, so the
    loop keeps them in registers."""
    cdef Py_ssize_t x
    cdef int m = min9[0]
    cdef int64_t gs = 0, gc = 0
    for x in range(a, b):
        if s9[x] < m:
            m = s9[x]
        if bd[x]:
            gs += g[x]
            gc += 1
    # the run's ends touch the paper beside it (inside the image)
    if a > 0 and not bd[a]:
        gs += g[a]
        gc += 1
    if b < w and not bd[b - 1] and not (b - 1 == a and a > 0):
        gs += g[b - 1]
        gc += 1
    min9[0] = m
    gsum[0] += <double>gs
    gcount[0] += gc


cdef _shapes_of_runs(uint8_t[:, ::1] img, const uint8_t[:, ::1] norm, RunSet *rs, int32_t *comp,
                     Py_ssize_t ncomp, uint8_t *flag, decide, blocks, Py_ssize_t bsize):
    """The statistics of :func:`ink_shapes` for the ink components of a
    labelled page (``flag`` bit 0: ink, bit 2: already removed), then the
    repainting ``decide`` asks for (with 255) and the block marks (of the
    components kept that are not faint)."""
    import numpy as np
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], i, y, x, r0, r1, xl, xr, bx, by
    cdef int32_t nlab = 0, lab
    cdef int gx, gy, s9, a, b, c, d, f, p, q, r, cl, cc, cr
    cdef const uint8_t *n0
    cdef const uint8_t *n1
    cdef const uint8_t *n2
    cdef const uint8_t *up
    cdef const uint8_t *dn
    cdef uint8_t *prow
    if norm.shape[0] != h or norm.shape[1] != w:
        raise ValueError("clean: norm must have the shape of img")
    ids_arr = np.zeros(ncomp + 1, np.int32)
    cdef int32_t[::1] ids = ids_arr
    faint_list = []
    for i in range(ncomp):
        if (flag[i] & 1) and not (flag[i] & 4):
            nlab += 1
            ids[i] = nlab
            if flag[i] & 8:
                faint_list.append(nlab)
    area = np.zeros(nlab + 1, np.int64)
    gsum = np.zeros(nlab + 1, np.float64)
    gcount = np.zeros(nlab + 1, np.int64)
    min9 = np.full(nlab + 1, 9 * 255, np.int32)
    overlap = np.zeros(nlab + 1, np.int64)
    y0a = np.full(nlab + 1, h, np.int32)
    y1a = np.full(nlab + 1, -1, np.int32)
    x0a = np.full(nlab + 1, w, np.int32)
    x1a = np.full(nlab + 1, -1, np.int32)
    cdef int64_t[::1] av = area
    cdef double[::1] gs = gsum
    cdef int64_t[::1] gc = gcount
    cdef int32_t[::1] mv = min9
    cdef int32_t[::1] vy0 = y0a
    cdef int32_t[::1] vy1 = y1a
    cdef int32_t[::1] vx0 = x0a
    cdef int32_t[::1] vx1 = x1a
    cdef uint16_t *s9row = <uint16_t *>malloc(w * (2 * sizeof(uint16_t) + 1))
    cdef uint16_t *grow
    cdef uint8_t *bdrow
    cdef Py_ssize_t xa, xb
    if s9row == NULL:
        raise MemoryError("clean: out of memory")
    grow = s9row + w
    bdrow = <uint8_t *>(grow + w)
    with nogil:
        for y in range(h):
            r0 = rs.rowstart[y]
            r1 = rs.rowstart[y + 1]
            # the stretch of the row holding ink that is measured
            xa = w
            xb = 0
            for i in range(r0, r1):
                if ids[comp[i]] > 0:
                    if xa == w:
                        xa = rs.a[i]
                    xb = rs.b[i]
            if xa >= xb:
                continue
            ocrprep_cc_shape_row(&norm[y - 1 if y > 0 else 0, 0], &norm[y, 0],
                                 &norm[y + 1 if y + 1 < h else h - 1, 0],
                                 &img[y - 1 if y > 0 else 0, 0], &img[y + 1 if y + 1 < h else h - 1, 0],
                                 w, xa, xb, s9row, grow, bdrow)
            for i in range(r0, r1):
                lab = ids[comp[i]]
                if lab <= 0:
                    continue
                av[lab] += rs.b[i] - rs.a[i]
                if y < vy0[lab]:
                    vy0[lab] = <int32_t>y
                if y > vy1[lab]:
                    vy1[lab] = <int32_t>y
                if rs.a[i] < vx0[lab]:
                    vx0[lab] = rs.a[i]
                if rs.b[i] - 1 > vx1[lab]:
                    vx1[lab] = rs.b[i] - 1
                run_shape(s9row, grow, bdrow, rs.a[i], rs.b[i], w, &mv[lab], &gs[lab], &gc[lab])
    free(s9row)
    faint = np.zeros(nlab + 1, np.uint8)
    if faint_list:
        faint[np.asarray(faint_list, np.int64)] = 1
    stats = {"area": area, "gsum": gsum, "gcount": gcount, "min9": min9, "overlap": overlap,
             "y0": y0a, "y1": y1a, "x0": x0a, "x1": x1a, "faint": faint}
    sel = decide(stats) if decide is not None else None
    pick_arr = np.zeros(nlab + 1, np.uint8) if sel is None else np.ascontiguousarray(sel, dtype=np.uint8)
    if pick_arr.shape[0] != nlab + 1:
        raise ValueError("clean: decide must return one flag per component")
    cdef const uint8_t[::1] pick = pick_arr
    cdef const uint8_t[::1] is_faint = faint
    cdef uint8_t[:, ::1] bl
    cdef bint has_blocks = blocks is not None
    if has_blocks:
        bl = blocks
        if bsize < 1 or bl.shape[0] != (h + bsize - 1) // bsize or bl.shape[1] != (w + bsize - 1) // bsize:
            raise ValueError("clean: blocks do not match the image")
    with nogil:
        for y in range(h):
            r0 = rs.rowstart[y]
            r1 = rs.rowstart[y + 1]
            prow = &img[y, 0]
            by = y // bsize
            for i in range(r0, r1):
                lab = ids[comp[i]]
                if lab <= 0:
                    continue
                if pick[lab]:
                    memset(prow + rs.a[i], 255, rs.b[i] - rs.a[i])
                elif has_blocks and not is_faint[lab]:
                    for bx in range(rs.a[i] // bsize, (rs.b[i] - 1) // bsize + 1):
                        bl[by, bx] = 1
    return stats


def label(const uint8_t[:, ::1] img, int32_t[:, ::1] labels):
    """Label ink components (8-connected) 1..n in ``labels`` (0 = paper); returns n
    and the (n + 1,) int64 array of their areas (``areas[0]`` = paper pixels)."""
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], i, x, y, ncomp = 0, r0, r1
    cdef RunSet rs
    cdef int32_t *comp = NULL
    cdef int32_t *ids = NULL
    cdef int32_t nlab = 0, lab
    cdef int rc = 0
    import numpy as np
    memset(&rs, 0, sizeof(RunSet))
    with nogil:
        rc = label_runs(&img[0, 0], img.strides[0], h, w, &rs, &comp, &ncomp)
        if rc == 0:
            ids = <int32_t *>malloc((ncomp + 1) * sizeof(int32_t))
            if ids == NULL:
                rc = -1
        if rc == 0:
            for i in range(ncomp):
                ids[i] = -1
            for y in range(h):   # ink components numbered 1.. in scan order
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                for i in range(r0, r1):
                    if rs.first[y] ^ ((i - r0) & 1):
                        if ids[comp[i]] < 0:
                            nlab += 1
                            ids[comp[i]] = nlab
                    else:
                        ids[comp[i]] = 0
    if rc != 0:
        free(comp); free(ids); free_runs(&rs)
        raise MemoryError("components: out of memory")
    areas = np.zeros(nlab + 1, np.int64)
    cdef int64_t[::1] av = areas
    with nogil:
        for y in range(h):
            r0 = rs.rowstart[y]
            r1 = rs.rowstart[y + 1]
            for i in range(r0, r1):
                lab = ids[comp[i]]
                av[lab] += rs.b[i] - rs.a[i]
                for x in range(rs.a[i], rs.b[i]):
                    labels[y, x] = lab
    free(comp)
    free(ids)
    free_runs(&rs)
    return nlab, areas


def clear_border_structures(uint8_t[:, ::1] img, Py_ssize_t long_rows, Py_ssize_t long_cols,
                            Py_ssize_t thin, bint runs=False):
    """Turn into paper (255) the ink components (< 128, 8-connected) that
    touch the image border and are no text: long (spanning ``long_rows``
    rows or ``long_cols`` columns) and either thin across (at most ``thin``
    pixels: an edge line) or long both ways (a band, a shadow).

    Returns the number of components removed; with ``runs``, also the
    runs of ink removed as an int32 (n, 3) array of (row, first column,
    end column) - what the page held there, without a copy of the page.
    """
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], i, y, ncomp = 0, r0, r1, removed = 0, k, nruns = 0
    cdef Py_ssize_t stride = img.strides[0]
    cdef RunSet rs
    cdef int32_t *comp = NULL
    cdef int32_t *y0 = NULL
    cdef int32_t *y1 = NULL
    cdef int32_t *x0 = NULL
    cdef int32_t *x1 = NULL
    cdef uint8_t *flag = NULL      # bit 0: ink, 1: touches the border, 2: remove
    cdef int rc = 0
    cdef int32_t c, hh, ww
    cdef uint8_t *p
    import numpy as np
    cdef int32_t[:, ::1] out
    runs_arr = np.zeros((0, 3), np.int32)
    if h == 0 or w == 0:
        return (0, runs_arr) if runs else 0
    memset(&rs, 0, sizeof(RunSet))
    with nogil:
        rc = label_runs(&img[0, 0], stride, h, w, &rs, &comp, &ncomp)
        if rc == 0:
            y0 = <int32_t *>malloc((ncomp + 1) * sizeof(int32_t))
            y1 = <int32_t *>malloc((ncomp + 1) * sizeof(int32_t))
            x0 = <int32_t *>malloc((ncomp + 1) * sizeof(int32_t))
            x1 = <int32_t *>malloc((ncomp + 1) * sizeof(int32_t))
            flag = <uint8_t *>malloc(ncomp + 1)
            if y0 == NULL or y1 == NULL or x0 == NULL or x1 == NULL or flag == NULL:
                rc = -1
        if rc == 0:
            memset(flag, 0, ncomp)
            for c in range(ncomp):
                y0[c] = <int32_t>h
                y1[c] = -1
                x0[c] = <int32_t>w
                x1[c] = -1
            for y in range(h):
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                for i in range(r0, r1):
                    if not (rs.first[y] ^ ((i - r0) & 1)):
                        continue
                    c = comp[i]
                    flag[c] |= 1
                    if y < y0[c]:
                        y0[c] = <int32_t>y
                    if y > y1[c]:
                        y1[c] = <int32_t>y
                    if rs.a[i] < x0[c]:
                        x0[c] = rs.a[i]
                    if rs.b[i] - 1 > x1[c]:
                        x1[c] = rs.b[i] - 1
                    if y == 0 or y == h - 1 or rs.a[i] == 0 or rs.b[i] == w:
                        flag[c] |= 2
            for c in range(ncomp):
                if (flag[c] & 3) != 3:
                    continue
                hh = y1[c] - y0[c] + 1
                ww = x1[c] - x0[c] + 1
                if (hh >= long_rows and (ww <= thin or ww >= long_cols)) or \
                        (ww >= long_cols and (hh <= thin or hh >= long_rows)):
                    flag[c] |= 4
                    removed += 1
            if removed:
                for y in range(h):
                    r0 = rs.rowstart[y]
                    r1 = rs.rowstart[y + 1]
                    p = &img[0, 0] + y * stride
                    for i in range(r0, r1):
                        if flag[comp[i]] & 4:
                            memset(p + rs.a[i], 255, rs.b[i] - rs.a[i])
    if rc == 0 and runs and removed:
        for y in range(h):
            for i in range(rs.rowstart[y], rs.rowstart[y + 1]):
                if (rs.first[y] ^ ((i - rs.rowstart[y]) & 1)) and flag[comp[i]] & 4:
                    nruns += 1
        runs_arr = np.empty((nruns, 3), np.int32)
        out = runs_arr
        k = 0
        for y in range(h):
            for i in range(rs.rowstart[y], rs.rowstart[y + 1]):
                if (rs.first[y] ^ ((i - rs.rowstart[y]) & 1)) and flag[comp[i]] & 4:
                    out[k, 0] = <int32_t>y
                    out[k, 1] = rs.a[i]
                    out[k, 2] = rs.b[i]
                    k += 1
    free(y0)
    free(y1)
    free(x0)
    free(x1)
    free(flag)
    free(comp)
    free_runs(&rs)
    if rc != 0:
        raise MemoryError("components: out of memory")
    return (removed, runs_arr) if runs else removed


def ink_shapes(uint8_t[:, ::1] bw, const uint8_t[:, ::1] norm, other=None, decide=None,
               target=None, int value=255, blocks=None, Py_ssize_t bsize=8):
    """Shape statistics of the ink components of ``bw`` (< 128, 8-connected),
    measured on the grey page ``norm``; optionally repaint some of them.

    Components are numbered 1..n in the order of their first run (as
    :func:`label` does).  Returns a dict of (n + 1,) arrays (index 0
    unused): ``area``; bounding box ``y0``, ``y1``, ``x0``, ``x1``
    (inclusive); ``gsum`` / ``gcount``: sum and number of the Sobel
    magnitudes |gx| + |gy| of ``norm`` on the component's boundary pixels
    (those with a 4-neighbour of paper inside the image); ``min9``: the
    smallest 3 x 3 sum of ``norm`` around one of its pixels (nine times a
    noise-robust minimum); ``overlap``: its pixels where ``other`` (same
    shape) is ink.  When ``decide`` is given, it is called with that dict
    and returns a (n + 1,) bool array (or None): the components it selects
    are painted with ``value`` in ``target`` (default ``bw`` itself).
    ``blocks``: a uint8 grid of ``bsize`` x ``bsize`` blocks, set to 1 where
    a block holds ink of a component that was not repainted.
    """
    cdef Py_ssize_t h = bw.shape[0], w = bw.shape[1], i, y, x, ncomp = 0, r0, r1, yy, xx, xl, xr
    cdef RunSet rs
    cdef int32_t *comp = NULL
    cdef int32_t *ids = NULL
    cdef int32_t nlab = 0, lab
    cdef int rc = 0
    cdef const uint8_t[:, ::1] ov
    cdef bint has_other = other is not None
    cdef int gx, gy, s9, a, b, c, d, f, p, q, r
    cdef const uint8_t *n0
    cdef const uint8_t *n1
    cdef const uint8_t *n2
    cdef const uint8_t *brow
    import numpy as np
    if norm.shape[0] != h or norm.shape[1] != w:
        raise ValueError("ink_shapes: norm must have the shape of bw")
    if has_other:
        ov = other
        if ov.shape[0] != h or ov.shape[1] != w:
            raise ValueError("ink_shapes: other must have the shape of bw")
    if h == 0 or w == 0:
        return None
    memset(&rs, 0, sizeof(RunSet))
    with nogil:
        rc = label_runs(&bw[0, 0], bw.strides[0], h, w, &rs, &comp, &ncomp)
        if rc == 0:
            ids = <int32_t *>malloc((ncomp + 1) * sizeof(int32_t))
            if ids == NULL:
                rc = -1
        if rc == 0:
            for i in range(ncomp):
                ids[i] = -1
            for y in range(h):
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                for i in range(r0, r1):
                    if rs.first[y] ^ ((i - r0) & 1):
                        if ids[comp[i]] < 0:
                            nlab += 1
                            ids[comp[i]] = nlab
                    else:
                        ids[comp[i]] = 0
    if rc != 0:
        free(comp); free(ids); free_runs(&rs)
        raise MemoryError("components: out of memory")
    area = np.zeros(nlab + 1, np.int64)
    gsum = np.zeros(nlab + 1, np.float64)
    gcount = np.zeros(nlab + 1, np.int64)
    min9 = np.full(nlab + 1, 9 * 255, np.int32)
    overlap = np.zeros(nlab + 1, np.int64)
    y0a = np.full(nlab + 1, h, np.int32)
    y1a = np.full(nlab + 1, -1, np.int32)
    x0a = np.full(nlab + 1, w, np.int32)
    x1a = np.full(nlab + 1, -1, np.int32)
    cdef int64_t[::1] av = area
    cdef double[::1] gs = gsum
    cdef int64_t[::1] gc = gcount
    cdef int32_t[::1] mv = min9
    cdef int64_t[::1] ovl = overlap
    cdef int32_t[::1] vy0 = y0a
    cdef int32_t[::1] vy1 = y1a
    cdef int32_t[::1] vx0 = x0a
    cdef int32_t[::1] vx1 = x1a
    with nogil:
        for y in range(h):
            r0 = rs.rowstart[y]
            r1 = rs.rowstart[y + 1]
            n0 = &norm[y - 1 if y > 0 else 0, 0]
            n1 = &norm[y, 0]
            n2 = &norm[y + 1 if y + 1 < h else h - 1, 0]
            for i in range(r0, r1):
                lab = ids[comp[i]]
                if lab <= 0:
                    continue
                av[lab] += rs.b[i] - rs.a[i]
                if y < vy0[lab]:
                    vy0[lab] = <int32_t>y
                if y > vy1[lab]:
                    vy1[lab] = <int32_t>y
                if rs.a[i] < vx0[lab]:
                    vx0[lab] = rs.a[i]
                if rs.b[i] - 1 > vx1[lab]:
                    vx1[lab] = rs.b[i] - 1
                for x in range(rs.a[i], rs.b[i]):
                    xl = x - 1 if x > 0 else 0
                    xr = x + 1 if x + 1 < w else w - 1
                    s9 = (n0[xl] + n0[x] + n0[xr] + n1[xl] + n1[x] + n1[xr]
                          + n2[xl] + n2[x] + n2[xr])
                    if s9 < mv[lab]:
                        mv[lab] = s9
                    if has_other and ov[y, x] < 128:
                        ovl[lab] += 1
                    if ((x == rs.a[i] and x > 0) or (x == rs.b[i] - 1 and x + 1 < w)
                            or (y > 0 and bw[y - 1, x] >= 128) or (y + 1 < h and bw[y + 1, x] >= 128)):
                        a = n0[xl]; b = n0[x]; c = n0[xr]
                        d = n1[xl]; f = n1[xr]
                        p = n2[xl]; q = n2[x]; r = n2[xr]
                        gx = (c - a) + 2 * (f - d) + (r - p)
                        gy = (p + 2 * q + r) - (a + 2 * b + c)
                        gs[lab] += (gx if gx >= 0 else -gx) + (gy if gy >= 0 else -gy)
                        gc[lab] += 1
    stats = {"area": area, "gsum": gsum, "gcount": gcount, "min9": min9, "overlap": overlap,
             "y0": y0a, "y1": y1a, "x0": x0a, "x1": x1a}
    sel = None
    if decide is not None:
        sel = decide(stats)
    cdef uint8_t[:, ::1] dst
    cdef const uint8_t[::1] pick
    cdef uint8_t val = <uint8_t>value
    cdef uint8_t *prow
    cdef uint8_t[:, ::1] bl
    cdef bint has_blocks = blocks is not None
    cdef Py_ssize_t bx, by
    if has_blocks:
        bl = blocks
        if bsize < 1 or bl.shape[0] != (h + bsize - 1) // bsize or bl.shape[1] != (w + bsize - 1) // bsize:
            free(comp); free(ids); free_runs(&rs)
            raise ValueError("ink_shapes: blocks do not match the image")
    if has_blocks:
        if sel is not None:
            pick = np.ascontiguousarray(sel, dtype=np.uint8)
        else:
            pick = np.zeros(nlab + 1, np.uint8)
        with nogil:
            for y in range(h):
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                by = y // bsize
                for i in range(r0, r1):
                    lab = ids[comp[i]]
                    if lab > 0 and not pick[lab]:
                        for bx in range(rs.a[i] // bsize, (rs.b[i] - 1) // bsize + 1):
                            bl[by, bx] = 1
    if sel is not None:
        pick = np.ascontiguousarray(sel, dtype=np.uint8)
        if pick.shape[0] != nlab + 1:
            free(comp); free(ids); free_runs(&rs)
            raise ValueError("ink_shapes: decide must return one flag per component")
        dst = bw if target is None else target
        if dst.shape[0] != h or dst.shape[1] != w:
            free(comp); free(ids); free_runs(&rs)
            raise ValueError("ink_shapes: target must have the shape of bw")
        with nogil:
            for y in range(h):
                r0 = rs.rowstart[y]
                r1 = rs.rowstart[y + 1]
                prow = &dst[y, 0]
                for i in range(r0, r1):
                    lab = ids[comp[i]]
                    if lab > 0 and pick[lab]:
                        memset(prow + rs.a[i], val, rs.b[i] - rs.a[i])
    free(comp)
    free(ids)
    free_runs(&rs)
    return stats
