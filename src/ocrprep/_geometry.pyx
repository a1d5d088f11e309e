# distutils: sources = csrc/warp.c
# Loops of ocrprep.geometry: affine warp (rotation) and separable resampling.
#
# Both kernels fill output rows [y0, y1) of an (H, W, C) uint8 image with the
# GIL released, reading whatever input rows they need; their scratch memory
# is O(width).
from libc.stdint cimport uint8_t, int32_t, uint32_t
from libc.stdlib cimport malloc, free
from libc.math cimport floorf, floor, ceil


cdef extern from "warp.h" nogil:
    void ocrprep_warp_gray_span(const uint8_t* src, Py_ssize_t srow, size_t src_bytes,
                                const float* xm0, const float* xm3, float rx, float ry,
                                Py_ssize_t xa, Py_ssize_t xb, uint8_t* d)
    void ocrprep_warp_color_span(const uint8_t* src, Py_ssize_t srow, Py_ssize_t nc,
                                 const float* xm0, const float* xm3, float rx, float ry,
                                 Py_ssize_t xa, Py_ssize_t xb, uint8_t* d)
    void ocrprep_hpass2_gray(const uint8_t* s, Py_ssize_t n, const int32_t* start, const float* f,
                             Py_ssize_t dw, float* o)


cdef inline uint8_t _round_u8(float v) noexcept nogil:
    # Every value here is a convex combination of uint8 values (non-negative
    # weights summing to 1 up to float rounding), so v + 0.5 lies in
    # [0.5, 255.5 + 1e-4) and truncation rounds to nearest without clamping
    # (branch-free, so the compiler vectorises the row loops).
    return <uint8_t>(<int>(v + 0.5))


cdef inline void _span(double a, double b, double lo, double hi, Py_ssize_t n,
                       Py_ssize_t* xa, Py_ssize_t* xb) noexcept nogil:
    # Narrow [xa, xb) to the x in [0, n) with lo <= a * x + b <= hi.
    cdef double t0, t1
    if a == 0.0:
        if b < lo or b > hi:
            xb[0] = xa[0]
        return
    t0 = (lo - b) / a
    t1 = (hi - b) / a
    if a < 0.0:
        t0, t1 = t1, t0
    # ceil(t0) .. floor(t1), computed on clamped doubles (no overflow).
    t0 = min(max(t0, -1.0), <double>n)
    t1 = min(max(t1, -1.0), <double>n)
    if t0 > <double>xa[0]:
        xa[0] = <Py_ssize_t>ceil(t0)
    if t1 + 1.0 < <double>xb[0]:
        xb[0] = <Py_ssize_t>floor(t1) + 1
    if xb[0] < xa[0]:
        xb[0] = xa[0]


cdef void warp_edge(const uint8_t* base, Py_ssize_t sh, Py_ssize_t sw, Py_ssize_t nc,
                    float sx, float sy, const uint8_t* fill, uint8_t* d) noexcept nogil:
    """One destination pixel whose taps may leave the source: missing taps take the fill."""
    cdef Py_ssize_t srow = sw * nc, ix, iy, o, c
    cdef float fx = floorf(sx), fy = floorf(sy), top, bot, p00, p01, p10, p11
    cdef bint in_x0, in_x1, in_y0, in_y1
    if fx < -1.0 or fy < -1.0 or fx >= <float>sw or fy >= <float>sh:
        for c in range(nc):
            d[c] = fill[c]
        return
    ix = <Py_ssize_t>fx
    iy = <Py_ssize_t>fy
    fx = sx - fx
    fy = sy - fy
    in_x0 = ix >= 0
    in_x1 = ix + 1 < sw
    in_y0 = iy >= 0
    in_y1 = iy + 1 < sh
    o = iy * srow + ix * nc  # may be negative: only in-range taps are read
    for c in range(nc):
        p00 = base[o + c] if (in_x0 and in_y0) else fill[c]
        p01 = base[o + nc + c] if (in_x1 and in_y0) else fill[c]
        p10 = base[o + srow + c] if (in_x0 and in_y1) else fill[c]
        p11 = base[o + srow + nc + c] if (in_x1 and in_y1) else fill[c]
        top = p00 + fx * (p01 - p00)
        bot = p10 + fx * (p11 - p10)
        d[c] = _round_u8(top + fy * (bot - top))


cdef void warp_rows(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst,
                    const double* m, const uint8_t* fill, int binary,
                    const float* xm0, const float* xm3,
                    Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    """dst(x, y) = bilinear src(m0 x + m1 y + m2, m3 x + m4 y + m5).

    Coordinates are computed in float32 as ``xm0[x] + (m1 y + m2)``.  On
    each row the columns whose four taps are all inside the source form one
    interval (the map is affine); it runs without bounds checks, the rest
    goes through warp_edge.  ``binary`` re-thresholds every result at 128.
    """
    cdef Py_ssize_t sh = src.shape[0], sw = src.shape[1], nc = src.shape[2]
    cdef Py_ssize_t dw = dst.shape[1]
    cdef Py_ssize_t srow = sw * nc
    cdef Py_ssize_t y, x, c, ix, iy, xa, xb
    cdef double rxd, ryd
    cdef float rx, ry, fx, fy, sx, sy, top, bot
    cdef const uint8_t* base = &src[0, 0, 0]
    cdef const uint8_t* p
    cdef uint8_t* d
    # Margin that absorbs float32 rounding of the coordinates (< 1e-3 px
    # for images below 2**20 pixels a side).
    cdef double eps = 1.0 / 64
    for y in range(y0, y1):
        rxd = m[1] * y + m[2]
        ryd = m[4] * y + m[5]
        rx = <float>rxd
        ry = <float>ryd
        d = &dst[y, 0, 0]
        xa = 0
        xb = dw
        _span(m[0], rxd, eps, sw - 1 - eps, dw, &xa, &xb)
        _span(m[3], ryd, eps, sh - 1 - eps, dw, &xa, &xb)
        for x in range(xa):
            warp_edge(base, sh, sw, nc, xm0[x] + rx, xm3[x] + ry, fill, d + x * nc)
        if nc == 1:  # C: an AVX2 loop where the CPU has it
            ocrprep_warp_gray_span(base, srow, sh * srow, xm0, xm3, rx, ry, xa, xb, d)
        else:
            ocrprep_warp_color_span(base, srow, nc, xm0, xm3, rx, ry, xa, xb, d)
        for x in range(xb, dw):
            warp_edge(base, sh, sw, nc, xm0[x] + rx, xm3[x] + ry, fill, d + x * nc)
        if binary:
            for x in range(dw * nc):
                d[x] = 255 if d[x] > 127 else 0


def warp_affine_band(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst,
                     const double[::1] m, const uint8_t[::1] fill, bint binary,
                     const float[::1] xm0, const float[::1] xm3,
                     Py_ssize_t y0, Py_ssize_t y1):
    """Fill rows [y0, y1) of ``dst`` by bilinear sampling through the inverse map ``m``.

    ``m`` holds the 2x3 matrix taking destination (x, y) to source
    coordinates; ``xm0[x] = m0 * x`` and ``xm3[x] = m3 * x`` (float32, one
    per destination column) are shared by every band.
    """
    with nogil:
        warp_rows(src, dst, &m[0], &fill[0], binary, &xm0[0], &xm3[0], y0, y1)


ctypedef fused sample_t:
    uint8_t
    float


cdef inline void hpass(const sample_t* s, float* o, Py_ssize_t dw, Py_ssize_t nc,
                       const int32_t* xstart, const float* xw, int tx) noexcept nogil:
    """o[x, c] = sum_k xw[x, k] * s[xstart[x] + k, c] over one row."""
    cdef Py_ssize_t x, c, k
    cdef const sample_t* b
    cdef const float* w
    cdef float acc
    if nc == 1 and tx == 2:
        # Two taps whose weights sum to 1: b0 + w1 (b1 - b0), the form the C
        # loop (AVX2 where available) also uses.
        for x in range(dw):
            b = s + xstart[x]
            o[x] = b[0] + xw[2 * x + 1] * (<float>b[1] - <float>b[0])
    elif nc == 1:
        for x in range(dw):
            b = s + xstart[x]
            w = xw + x * tx
            acc = 0.0
            for k in range(tx):
                acc = acc + w[k] * b[k]
            o[x] = acc
    else:
        for x in range(dw):
            w = xw + x * tx
            for c in range(nc):
                b = s + xstart[x] * nc + c
                acc = 0.0
                for k in range(tx):
                    acc = acc + w[k] * b[k * nc]
                o[x * nc + c] = acc


cdef inline void round_row(const float* v, uint8_t* d, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        d[i] = _round_u8(v[i])


cdef int resample_rows(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst,
                       const int32_t* ystart, const float* yw, int ty,
                       const int32_t* xstart, const float* xw, int tx,
                       bint hfirst, Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    """Separable resampling of output rows [y0, y1).

    Output row y = sum_k yw[y, k] * source row (ystart[y] + k), each row
    resampled horizontally with the column taps (xstart, xw).  Every axis
    has a fixed number of taps (ty, tx) whose indices all lie inside the
    source.  Two orders, same result up to float rounding:

    * vertical first (``hfirst`` false): blend ty source rows into a float
      row of the source width, then resample it horizontally;
    * horizontal first: resample each source row once into a small cache
      of ty rows of the output width, then blend them (cheaper when the
      image grows vertically, as consecutive output rows share source rows).

    Returns -1 when the scratch rows cannot be allocated.
    """
    cdef Py_ssize_t sw = src.shape[1], nc = src.shape[2], dw = dst.shape[1]
    cdef Py_ssize_t ns = sw * nc, nd = dw * nc
    cdef Py_ssize_t y, i, k, r, slot
    cdef float wk
    cdef const uint8_t* s
    cdef const float* wrow
    cdef float* c0
    cdef float* c1
    cdef float* rows
    cdef Py_ssize_t* cached
    cdef float* buf
    cdef float* row
    cdef float* f1
    cdef uint8_t* d
    if not hfirst:
        buf = <float*>malloc((ns + nd) * sizeof(float))
        if buf == NULL:
            return -1
        row = buf + ns
        for y in range(y0, y1):
            wrow = yw + y * ty
            s = &src[ystart[y], 0, 0]
            wk = wrow[0]
            for i in range(ns):
                buf[i] = wk * s[i]
            for k in range(1, ty):
                s = &src[ystart[y] + k, 0, 0]
                wk = wrow[k]
                for i in range(ns):
                    buf[i] = buf[i] + wk * s[i]
            hpass(<const float*>buf, row, dw, nc, xstart, xw, tx)
            round_row(row, &dst[y, 0, 0], nd)
        free(buf)
        return 0
    rows = <float*>malloc((ty + 1) * nd * sizeof(float))
    cached = <Py_ssize_t*>malloc(ty * sizeof(Py_ssize_t))
    f1 = NULL
    if nc == 1 and tx == 2:  # the right-hand weights, contiguous, for the C loop
        f1 = <float*>malloc(dw * sizeof(float))
    if rows == NULL or cached == NULL or (nc == 1 and tx == 2 and f1 == NULL):
        free(rows)
        free(cached)
        free(f1)
        return -1
    if f1 != NULL:
        for i in range(dw):
            f1[i] = xw[2 * i + 1]
    for k in range(ty):
        cached[k] = -1
    for y in range(y0, y1):
        # The ty source rows of one output row are consecutive, so r % ty
        # gives each its own cache slot.
        for k in range(ty):
            r = ystart[y] + k
            slot = r % ty
            if cached[slot] != r:
                if nc == 1 and tx == 2 and f1 != NULL:
                    ocrprep_hpass2_gray(&src[r, 0, 0], sw, xstart, f1, dw, rows + slot * nd)
                else:
                    hpass(<const uint8_t*>&src[r, 0, 0], rows + slot * nd, dw, nc, xstart, xw, tx)
                cached[slot] = r
        wrow = yw + y * ty
        d = &dst[y, 0, 0]
        if ty == 2:
            c0 = rows + (ystart[y] % 2) * nd
            c1 = rows + ((ystart[y] + 1) % 2) * nd
            for i in range(nd):
                d[i] = _round_u8(wrow[0] * c0[i] + wrow[1] * c1[i])
        else:
            row = rows + ty * nd  # accumulator after the ty cache rows
            for i in range(nd):
                row[i] = 0.0
            for k in range(ty):
                c0 = rows + ((ystart[y] + k) % ty) * nd
                wk = wrow[k]
                for i in range(nd):
                    row[i] = row[i] + wk * c0[i]
            round_row(row, d, nd)
    free(rows)
    free(cached)
    free(f1)
    return 0


def resample_band(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst,
                  const int32_t[::1] ystart, const float[:, ::1] yw,
                  const int32_t[::1] xstart, const float[:, ::1] xw,
                  bint hfirst, Py_ssize_t y0, Py_ssize_t y1):
    """Fill rows [y0, y1) of ``dst`` from the per-axis tap tables (see resample_rows)."""
    cdef int rc
    with nogil:
        rc = resample_rows(src, dst, &ystart[0], &yw[0, 0], yw.shape[1],
                           &xstart[0], &xw[0, 0], xw.shape[1], hfirst, y0, y1)
    if rc != 0:
        raise MemoryError("cannot allocate the resampling row buffers")


cdef int box_rows(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int ky, int kx,
                  const uint8_t* lut, Py_ssize_t y0, Py_ssize_t y1) noexcept nogil:
    """Integer-factor shrink: dst(y, x) = rounded mean of the ky x kx source block.

    Rows are summed in uint32, blocks of kx sums are added, and ``lut`` maps
    a block sum to round(sum / (kx * ky)) (so no division per pixel).
    Returns -1 when the row buffer cannot be allocated.
    """
    cdef Py_ssize_t nc = src.shape[2], dw = dst.shape[1]
    cdef Py_ssize_t n = dw * kx * nc, y, i, k, x, c, j
    cdef const uint8_t* s
    cdef uint8_t* d
    cdef uint32_t t
    cdef const uint8_t* s1
    if ky == 2 and kx == 2:
        # 2x2 blocks: no buffer; the channel count is a constant in each loop.
        for y in range(y0, y1):
            s = &src[2 * y, 0, 0]
            s1 = &src[2 * y + 1, 0, 0]
            d = &dst[y, 0, 0]
            if nc == 1:
                for x in range(dw):
                    d[x] = <uint8_t>((<unsigned>s[2 * x] + s[2 * x + 1] + s1[2 * x] + s1[2 * x + 1] + 2) >> 2)
            elif nc == 3:
                for x in range(dw):
                    for c in range(3):
                        i = 6 * x + c
                        d[3 * x + c] = <uint8_t>((<unsigned>s[i] + s[i + 3] + s1[i] + s1[i + 3] + 2) >> 2)
            elif nc == 4:
                for x in range(dw):
                    for c in range(4):
                        i = 8 * x + c
                        d[4 * x + c] = <uint8_t>((<unsigned>s[i] + s[i + 4] + s1[i] + s1[i + 4] + 2) >> 2)
            else:
                for x in range(dw):
                    for c in range(nc):
                        i = 2 * x * nc + c
                        d[nc * x + c] = <uint8_t>((<unsigned>s[i] + s[i + nc] + s1[i] + s1[i + nc] + 2) >> 2)
        return 0
    cdef uint32_t* acc = <uint32_t*>malloc(n * sizeof(uint32_t))
    if acc == NULL:
        return -1
    for y in range(y0, y1):
        s = &src[y * ky, 0, 0]
        for i in range(n):
            acc[i] = s[i]
        for k in range(1, ky):
            s = &src[y * ky + k, 0, 0]
            for i in range(n):
                acc[i] += s[i]
        d = &dst[y, 0, 0]
        if nc == 1 and kx == 2:
            for x in range(dw):
                d[x] = lut[acc[2 * x] + acc[2 * x + 1]]
        elif nc == 1:
            for x in range(dw):
                t = 0
                for j in range(kx):
                    t += acc[x * kx + j]
                d[x] = lut[t]
        else:
            for x in range(dw):
                for c in range(nc):
                    t = 0
                    for j in range(kx):
                        t += acc[(x * kx + j) * nc + c]
                    d[x * nc + c] = lut[t]
    free(acc)
    return 0


def box_band(const uint8_t[:, :, ::1] src, uint8_t[:, :, ::1] dst, int ky, int kx,
             const uint8_t[::1] lut, Py_ssize_t y0, Py_ssize_t y1):
    """Fill rows [y0, y1) of ``dst`` with ky x kx block means of ``src`` (see box_rows)."""
    cdef int rc
    with nogil:
        rc = box_rows(src, dst, ky, kx, &lut[0], y0, y1)
    if rc != 0:
        raise MemoryError("cannot allocate the box-filter row buffer")


def is_binary(const uint8_t[:, ::1] img):
    """True when every pixel is 0 or 255; stops at the first row holding another value."""
    cdef Py_ssize_t h = img.shape[0], w = img.shape[1], y, x
    cdef const uint8_t* p
    cdef int bad = 0
    with nogil:
        for y in range(h):
            p = &img[y, 0]
            for x in range(w):  # branch-free OR: vectorised
                bad |= (p[x] != 0) & (p[x] != 255)
            if bad:
                break
    return not bad
