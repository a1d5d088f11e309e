# Loops of ocrprep.tinted: the brighter half of each block of a colour page,
# the tints near each block, and the ink channel measured against them.
# Coordinates are those of the ink kernel (csrc/color.c): the 8-bit luma,
# a = R - G and c / 2 with c = R + G - 2B; a chroma constant k stands for
# the chroma k * L / 512 at luma L.
from libc.stdint cimport uint8_t, int32_t, int64_t
from libc.math cimport fabs, sqrt

DEF MAX_TINTS = 4


def tint_stats(const uint8_t[:, :, :] src, const uint8_t[:, ::1] cand, Py_ssize_t block,
               Py_ssize_t step=1):
    """For each ``block`` x ``block`` block of the RGB(A) page set in ``cand``:
    the mean luma and opponent differences a = R - G, c = R + G - 2B of its
    brighter half (the pixels at or above the block's mean luma) and its
    darkest luma, from every ``step``-th pixel of every ``step``-th row.
    Returns four float32 grids the shape of ``cand`` (0 where not
    computed)."""
    import numpy as np
    cdef Py_ssize_t h = src.shape[0], w = src.shape[1], ps = src.strides[1], cs = src.strides[2]
    cdef Py_ssize_t gh = cand.shape[0], gw = cand.shape[1], by, bx, y, x, y1, x1, n, k
    if src.shape[2] < 3:
        raise ValueError("tint_stats: src must be (H, W, >=3)")
    if block < 1 or gh * block < h or gw * block < w:
        raise ValueError("tint_stats: the block grid does not cover the page")
    if not 1 <= step <= block:
        raise ValueError("tint_stats: step must be between 1 and the block size")
    l_arr = np.zeros((gh, gw), np.float32)
    a_arr = np.zeros((gh, gw), np.float32)
    c_arr = np.zeros((gh, gw), np.float32)
    d_arr = np.zeros((gh, gw), np.float32)
    cdef float[:, ::1] do = d_arr
    cdef float[:, ::1] lo = l_arr
    cdef float[:, ::1] ao = a_arr
    cdef float[:, ::1] co = c_arr
    cdef const uint8_t *p
    cdef int64_t sl, sa, sc, total, l, r, g, b, darkest
    with nogil:
        for by in range(gh):
            if by * block >= h:
                break
            y1 = min(h, (by + 1) * block)
            for bx in range(gw):
                if not cand[by, bx] or bx * block >= w:
                    continue
                x1 = min(w, (bx + 1) * block)
                total = 0
                n = 0
                darkest = 255
                y = by * block
                while y < y1:
                    p = &src[y, 0, 0]
                    x = bx * block
                    while x < x1:
                        l = (77 * p[x * ps] + 150 * p[x * ps + cs] + 29 * p[x * ps + 2 * cs] + 128) >> 8
                        total += l
                        if l < darkest:
                            darkest = l
                        n += 1
                        x += step
                    y += step
                sl = sa = sc = 0
                k = 0
                y = by * block
                while y < y1:
                    p = &src[y, 0, 0]
                    x = bx * block
                    while x < x1:
                        r = p[x * ps]
                        g = p[x * ps + cs]
                        b = p[x * ps + 2 * cs]
                        l = (77 * r + 150 * g + 29 * b + 128) >> 8
                        if l * n >= total:
                            sl += l
                            sa += r - g
                            sc += r + g - 2 * b
                            k += 1
                        x += step
                    y += step
                lo[by, bx] = <float>sl / k
                ao[by, bx] = <float>sa / k
                co[by, bx] = <float>sc / k
                do[by, bx] = <float>darkest
    return l_arr, a_arr, c_arr, d_arr


def tint_candidates(const uint8_t[:, ::1] core, const float[:, ::1] ka, const float[:, ::1] kc,
                    Py_ssize_t reach, double tolerance):
    """The tints near each block: the chroma constants ``ka``, ``kc`` of the
    ``core`` blocks within ``reach`` blocks (nearest first), those within
    ``tolerance`` (in constant units, ``|da| + |dc| / 2``) of a tint already
    taken merged into it (mean), at most MAX_TINTS.  Returns ``(tints,
    count)``: int32 (H, W, MAX_TINTS, 2) and uint8 (H, W)."""
    import numpy as np
    cdef Py_ssize_t gh = core.shape[0], gw = core.shape[1], y, x, dy, dx, yy, xx, i, j, n, r
    if ka.shape[0] != gh or ka.shape[1] != gw or kc.shape[0] != gh or kc.shape[1] != gw:
        raise ValueError("tint_candidates: grids of different shapes")
    if reach < 0:
        raise ValueError("tint_candidates: reach must be >= 0")
    tints_arr = np.zeros((gh, gw, MAX_TINTS, 2), np.int32)
    count_arr = np.zeros((gh, gw), np.uint8)
    cdef int32_t[:, :, :, ::1] tints = tints_arr
    cdef uint8_t[:, ::1] count = count_arr
    cdef double sa[MAX_TINTS]
    cdef double sc[MAX_TINTS]
    cdef int m[MAX_TINTS]
    cdef double a, c
    with nogil:
        for y in range(gh):
            for x in range(gw):
                n = 0
                # rings of growing radius: the nearest core blocks first
                for r in range(reach + 1):
                    for dy in range(-r, r + 1):
                        for dx in range(-r, r + 1):
                            if (dy if dy >= 0 else -dy) != r and (dx if dx >= 0 else -dx) != r:
                                continue
                            yy = y + dy
                            xx = x + dx
                            if yy < 0 or yy >= gh or xx < 0 or xx >= gw or not core[yy, xx]:
                                continue
                            a = ka[yy, xx]
                            c = kc[yy, xx]
                            j = -1
                            for i in range(n):
                                if fabs(a - sa[i] / m[i]) + 0.5 * fabs(c - sc[i] / m[i]) <= tolerance:
                                    j = i
                                    break
                            if j >= 0:
                                sa[j] += a
                                sc[j] += c
                                m[j] += 1
                            elif n < MAX_TINTS:
                                sa[n] = a
                                sc[n] = c
                                m[n] = 1
                                n += 1
                for i in range(n):
                    tints[y, x, i, 0] = <int32_t>(sa[i] / m[i] + (0.5 if sa[i] >= 0 else -0.5))
                    tints[y, x, i, 1] = <int32_t>(sc[i] / m[i] + (0.5 if sc[i] >= 0 else -0.5))
                count[y, x] = <uint8_t>n
    return tints_arr, count_arr


def tint_band(const uint8_t[:, :, :] src, uint8_t[:, ::1] dst, Py_ssize_t y0, Py_ssize_t y1,
              const int32_t[:, :, :, ::1] tints, const uint8_t[:, ::1] count, Py_ssize_t block,
              int32_t ka0, int32_t kc0, int32_t near, int32_t span):
    """Rows [y0, y1) of the ink channel ``dst`` raised, in the blocks with
    tints (``count`` of them in ``tints``, from :func:`tint_candidates`), to
    the luma less the chroma distance from the ground: any mix of the
    paper (``ka0``, ``kc0``) and the tints near the block, two at a time
    (the segments between them) - a marker's soft edge, a marker over a
    tinted box.  A chroma constant k stands for the chroma k L / 512 at
    luma L, so the segments scale with the luma and are measured once per
    block at unit luma.  A pixel whose own distance from the paper's
    chroma (csrc/color.c's integer arithmetic) is ``near`` or less keeps its
    value, one ``span`` beyond it takes the new one, in between a mix (a
    shade fading out leaves no step).  ``src`` needs unit channel stride
    between R, G and B."""
    import numpy as np
    cdef Py_ssize_t h = src.shape[0], w = src.shape[1], ps = src.strides[1], cs = src.strides[2]
    cdef Py_ssize_t y, bx, x, x1, gw = count.shape[1], i, j, k, n, ns, by = -1
    cdef int32_t wt, r, g, b, lu, l7, v, d, pa, pc, qa, qc
    cdef double ya, yc, best, e, ea, ec, t, pt_a[MAX_TINTS + 1], pt_c[MAX_TINTS + 1], inv_l[256]
    cdef const uint8_t *p
    cdef double *sg
    if src.shape[2] < 3 or h != dst.shape[0] or w != dst.shape[1]:
        raise ValueError("tint_band: src must be (H, W, >=3) and dst (H, W)")
    if block < 1 or not (0 <= y0 <= y1 <= h):
        raise ValueError("tint_band: bad block size or row range")
    if count.shape[0] * block < h or gw * block < w or tints.shape[0] != count.shape[0] \
            or tints.shape[1] != gw or tints.shape[2] != MAX_TINTS or tints.shape[3] != 2:
        raise ValueError("tint_band: the block grids do not cover the page")
    if span < 1 or near < 0:
        raise ValueError("tint_band: bad ramp")
    if not (-(1 << 15) < ka0 < (1 << 15)) or not (-(1 << 15) < kc0 < (1 << 15)):
        raise ValueError("tint_band: paper chroma out of range")
    # the segments of each block of the current block row, at unit luma:
    # origin (a, c / 2), direction, 1 / squared length (0: a point)
    seg_arr = np.zeros((gw, (MAX_TINTS + 1) * MAX_TINTS // 2, 5), np.float64)
    nseg_arr = np.zeros(gw, np.intp)
    cdef double[:, :, ::1] seg = seg_arr
    cdef Py_ssize_t[::1] nseg = nseg_arr
    with nogil:
        inv_l[0] = 0.0
        for k in range(1, 256):
            inv_l[k] = 1.0 / k
        for y in range(y0, y1):
            if y // block != by:
                by = y // block
                for bx in range(gw):
                    n = count[by, bx]
                    if n > MAX_TINTS:
                        n = MAX_TINTS
                    nseg[bx] = 0
                    if n == 0:
                        continue
                    pt_a[0] = ka0 / 512.0
                    pt_c[0] = 0.5 * kc0 / 512.0
                    for k in range(n):
                        pt_a[k + 1] = tints[by, bx, k, 0] / 512.0
                        pt_c[k + 1] = 0.5 * tints[by, bx, k, 1] / 512.0
                    ns = 0
                    for i in range(n + 1):
                        for j in range(i + 1, n + 1):
                            sg = &seg[bx, ns, 0]
                            sg[0] = pt_a[i]
                            sg[1] = pt_c[i]
                            sg[2] = pt_a[j] - pt_a[i]
                            sg[3] = pt_c[j] - pt_c[i]
                            e = sg[2] * sg[2] + sg[3] * sg[3]
                            sg[4] = 1.0 / e if e > 0 else 0.0
                            ns += 1
                    nseg[bx] = ns
            p = &src[y, 0, 0]
            for bx in range(gw):
                ns = nseg[bx]
                if ns == 0:
                    continue
                x1 = min(w, (bx + 1) * block)
                for x in range(bx * block, x1):
                    r = p[x * ps]
                    g = p[x * ps + cs]
                    b = p[x * ps + 2 * cs]
                    lu = (77 * r + 150 * g + 29 * b + 128) >> 8
                    if lu == 0:
                        continue
                    l7 = lu << 7
                    # the pixel's distance from the paper (csrc/color.c)
                    pa = (l7 * ka0) >> 16
                    pc = (l7 * kc0) >> 16
                    qa = (r - g) - pa
                    qc = ((r + g - 2 * b) - pc) >> 1
                    if qa < 0:
                        qa = -qa
                    if qc < 0:
                        qc = -qc
                    wt = (qa if qa > qc else qc) + ((3 * (qc if qa > qc else qa)) >> 3) - near
                    if wt <= 0:
                        continue
                    wt = 256 if wt >= span else (wt * 256) // span
                    # ... and from the ground's mixes, at unit luma
                    ya = (r - g) * inv_l[lu]
                    yc = 0.5 * (r + g - 2 * b) * inv_l[lu]
                    best = 1e30
                    for k in range(ns):
                        sg = &seg[bx, k, 0]
                        ea = ya - sg[0]
                        ec = yc - sg[1]
                        t = (ea * sg[2] + ec * sg[3]) * sg[4]
                        if t < 0:
                            t = 0.0
                        elif t > 1:
                            t = 1.0
                        ea = fabs(ea - t * sg[2])
                        ec = fabs(ec - t * sg[3])
                        e = (ea + 0.375 * ec) if ea > ec else (ec + 0.375 * ea)
                        if e < best:
                            best = e
                    v = lu - <int32_t>(best * lu + 0.5)
                    d = dst[y, x]
                    if v > d:
                        dst[y, x] = <uint8_t>(d + (((v - d) * wt + 128) >> 8))
