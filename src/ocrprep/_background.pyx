# distutils: sources = csrc/background.c
# Loops of ocrprep.background: block means, the paper surface on the block
# grid (normalised convolution over the blocks that look like paper), and the
# full-resolution flat-field pass (C in csrc/background.c for AVX2 dispatch).
from libc.stdint cimport uint8_t, uint32_t, int32_t, int64_t
from libc.stdlib cimport malloc, free
from libc.math cimport fabs

import numpy as np


cdef extern from "background.h" nogil:
    void ocrprep_bg_block_sums(const uint8_t *src, Py_ssize_t stride, Py_ssize_t w,
                               Py_ssize_t y0, Py_ssize_t y1, Py_ssize_t b, uint32_t *acc,
                               Py_ssize_t cw)
    int ocrprep_bg_block_sums_mins(const uint8_t *src, Py_ssize_t stride, Py_ssize_t w,
                                   Py_ssize_t y0, Py_ssize_t y1, Py_ssize_t b, uint32_t *acc,
                                   uint8_t *mins, Py_ssize_t cw)
    int ocrprep_bg_block_upper(const uint8_t *src, Py_ssize_t stride, Py_ssize_t h, Py_ssize_t w,
                                Py_ssize_t y0, Py_ssize_t y1, Py_ssize_t b, const uint32_t *acc,
                                float *upper, uint8_t *maxs, Py_ssize_t cw)
    int ocrprep_bg_block_skew(const uint8_t *src, Py_ssize_t stride, Py_ssize_t h, Py_ssize_t w,
                              Py_ssize_t b, Py_ssize_t step, float *d, float *l)
    int ocrprep_bg_normalize_band(const uint8_t *src, Py_ssize_t sstride, uint8_t *dst,
                                  Py_ssize_t dstride, Py_ssize_t h, Py_ssize_t w,
                                  const float *gain, Py_ssize_t ch, Py_ssize_t cw,
                                  Py_ssize_t b, Py_ssize_t y0, Py_ssize_t y1, int64_t *hist,
                                  Py_ssize_t step)


def block_sums_band(const uint8_t[:, ::1] img, uint32_t[:, ::1] acc, Py_ssize_t b,
                    Py_ssize_t y0, Py_ssize_t y1, uint8_t[:, ::1] mins=None):
    """acc[y // b, x // b] += img[y, x] for rows [y0, y1) (y0, y1 multiples of b or h);
    with ``mins`` (same shape as acc, filled with 255), also the block minima."""
    cdef int rc = 0
    if acc.shape[0] < (img.shape[0] + b - 1) // b or acc.shape[1] < (img.shape[1] + b - 1) // b:
        raise ValueError("block_sums_band: accumulator too small")
    if mins is not None and (mins.shape[0] != acc.shape[0] or mins.shape[1] != acc.shape[1]):
        raise ValueError("block_sums_band: mins must have the accumulator's shape")
    if not (0 <= y0 <= y1 <= img.shape[0]):
        raise ValueError("block_sums_band: bad row range")
    if y0 == y1:
        return
    if mins is None:
        with nogil:
            ocrprep_bg_block_sums(&img[0, 0], img.strides[0], img.shape[1], y0, y1, b,
                                  &acc[0, 0], acc.shape[1])
    else:
        with nogil:
            rc = ocrprep_bg_block_sums_mins(&img[0, 0], img.strides[0], img.shape[1], y0, y1,
                                            b, &acc[0, 0], &mins[0, 0], acc.shape[1])
    if rc != 0:
        raise MemoryError("block_sums_band: out of memory")


def block_upper_band(const uint8_t[:, ::1] img, const uint32_t[:, ::1] acc, Py_ssize_t b,
                     Py_ssize_t y0, Py_ssize_t y1, float[:, ::1] upper, uint8_t[:, ::1] maxs):
    """For the block rows of [y0, y1) (multiples of b, or h), whose sums in
    ``acc`` are complete: ``upper`` = mean of each block's pixels at or above
    its mean, ``maxs`` = its maximum (see background.h)."""
    cdef Py_ssize_t ch = (img.shape[0] + b - 1) // b, cw = (img.shape[1] + b - 1) // b
    if b < 1 or acc.shape[0] != ch or acc.shape[1] != cw:
        raise ValueError("block_upper_band: accumulator shape does not match the image")
    if upper.shape[0] != ch or upper.shape[1] != cw or maxs.shape[0] != ch or maxs.shape[1] != cw:
        raise ValueError("block_upper_band: outputs must have the accumulator's shape")
    if not (0 <= y0 <= y1 <= img.shape[0]) or y0 % b:
        raise ValueError("block_upper_band: bad row range")
    if y0 == y1:
        return
    cdef int rc
    with nogil:
        rc = ocrprep_bg_block_upper(&img[0, 0], img.strides[0], img.shape[0], img.shape[1], y0, y1, b,
                                    &acc[0, 0], &upper[0, 0], &maxs[0, 0], cw)
    if rc == -2:
        raise ValueError("block_upper_band: block side must be at most 64")
    if rc:
        raise MemoryError("block_upper_band: out of memory")


def block_skew(const uint8_t[:, :] img, Py_ssize_t b, Py_ssize_t step):
    """(d, l) float32 arrays: mean - min and max - mean of the b x b blocks of
    every ``step``-th block row (whole blocks only); see background.h."""
    cdef int rc
    cdef Py_ssize_t nby, nbx, n
    if img.strides[1] != 1:
        raise ValueError("block_skew: rows must be contiguous")
    if b < 1 or b > 64 or step < 1:
        raise ValueError("block_skew: need 1 <= b <= 64 and step >= 1")
    nby = img.shape[0] // b
    nbx = img.shape[1] // b
    n = ((nby + step - 1) // step) * nbx
    d = np.zeros(n, np.float32)
    l = np.zeros(n, np.float32)
    cdef float[::1] dv = d
    cdef float[::1] lv = l
    if n == 0:
        return d, l
    with nogil:
        rc = ocrprep_bg_block_skew(&img[0, 0], img.strides[0], img.shape[0], img.shape[1], b,
                                   step, &dv[0], &lv[0])
    if rc != 0:
        raise MemoryError("block_skew: out of memory")
    return d, l


def normalize_band(const uint8_t[:, ::1] src, uint8_t[:, ::1] dst, const float[:, ::1] gain,
                   Py_ssize_t b, Py_ssize_t y0, Py_ssize_t y1, int64_t[::1] hist=None,
                   Py_ssize_t step=1):
    """Rows [y0, y1) of dst = min(255, round(src * bilinear(gain))); see background.h."""
    cdef int rc
    cdef int64_t *hp = NULL
    if src.shape[0] != dst.shape[0] or src.shape[1] != dst.shape[1]:
        raise ValueError("normalize_band: shapes differ")
    if gain.shape[0] != (src.shape[0] + b - 1) // b or gain.shape[1] != (src.shape[1] + b - 1) // b:
        raise ValueError("normalize_band: gain grid does not match the image")
    if not (0 <= y0 <= y1 <= src.shape[0]):
        raise ValueError("normalize_band: bad row range")
    if step < 1:
        raise ValueError("normalize_band: step must be >= 1")
    if hist is not None:
        if hist.shape[0] != 256:
            raise ValueError("normalize_band: hist must have 256 bins")
        hp = &hist[0]
    if y0 == y1:
        return
    with nogil:
        rc = ocrprep_bg_normalize_band(&src[0, 0], src.strides[0], &dst[0, 0], dst.strides[0],
                                       src.shape[0], src.shape[1], &gain[0, 0], gain.shape[0],
                                       gain.shape[1], b, y0, y1, hp, step)
    if rc != 0:
        raise MemoryError("normalize_band: out of memory")


# ---------------------------------------------------------------------------
# the paper surface on the block grid
# ---------------------------------------------------------------------------
cdef inline void row_sums(const double *ar, double *tr, Py_ssize_t w, Py_ssize_t r) noexcept nogil:
    cdef Py_ssize_t x
    cdef double s = 0
    for x in range(min(r, w - 1) + 1):
        s += ar[x]
    for x in range(w):
        tr[x] = s
        if x + r + 1 < w:
            s += ar[x + r + 1]
        if x - r >= 0:
            s -= ar[x - r]


cdef void box_sums(const double *a, double *out, double *tmp, double *col, Py_ssize_t h,
                   Py_ssize_t w, Py_ssize_t r) noexcept nogil:
    """out = sums of a over (2r+1)^2 windows clipped to the grid: running sums
    along each row into tmp, then a running sum of whole rows (col) down the
    grid, so both passes walk memory in order.  The row pass runs four rows
    side by side: each row's sum is a chain of dependent additions, four
    chains keep the adder busy (every row's arithmetic is unchanged)."""
    cdef Py_ssize_t y, x, lo, hi, y4 = h - h % 4
    cdef double s0, s1, s2, s3
    cdef const double *a0
    cdef const double *a1
    cdef const double *a2
    cdef const double *a3
    cdef double *t0
    cdef double *t1
    cdef double *t2
    cdef double *t3
    cdef double *tr
    for y in range(0, y4, 4):
        a0 = a + y * w
        a1 = a0 + w
        a2 = a1 + w
        a3 = a2 + w
        t0 = tmp + y * w
        t1 = t0 + w
        t2 = t1 + w
        t3 = t2 + w
        s0 = s1 = s2 = s3 = 0
        for x in range(min(r, w - 1) + 1):
            s0 += a0[x]
            s1 += a1[x]
            s2 += a2[x]
            s3 += a3[x]
        for x in range(w):
            t0[x] = s0
            t1[x] = s1
            t2[x] = s2
            t3[x] = s3
            hi = x + r + 1
            lo = x - r
            if hi < w:
                s0 += a0[hi]
                s1 += a1[hi]
                s2 += a2[hi]
                s3 += a3[hi]
            if lo >= 0:
                s0 -= a0[lo]
                s1 -= a1[lo]
                s2 -= a2[lo]
                s3 -= a3[lo]
    for y in range(y4, h):
        row_sums(a + y * w, tmp + y * w, w, r)
    for x in range(w):
        col[x] = 0
    for y in range(min(r, h - 1) + 1):
        tr = tmp + y * w
        for x in range(w):
            col[x] += tr[x]
    for y in range(h):
        tr = out + y * w
        for x in range(w):
            tr[x] = col[x]
        hi = y + r + 1
        lo = y - r
        if hi < h:
            tr = tmp + hi * w
            for x in range(w):
                col[x] += tr[x]
        if lo >= 0:
            tr = tmp + lo * w
            for x in range(w):
                col[x] -= tr[x]


cdef void max_filter(const int32_t *a, int32_t *out, int32_t *tmp, Py_ssize_t h, Py_ssize_t w,
                     Py_ssize_t r) noexcept nogil:
    """Max over (2r+1)^2 windows clipped to the grid (integers: the loops
    vectorise; along the rows as maxima with the row shifted by 1..r)."""
    cdef Py_ssize_t y, x, i, d, lo, hi
    cdef const int32_t *ar
    cdef int32_t *o
    cdef int32_t *t
    for y in range(h):
        ar = a + y * w
        t = tmp + y * w
        for x in range(w):
            t[x] = ar[x]
        for d in range(1, min(r, w - 1) + 1):
            for x in range(w - d):
                t[x] = max(t[x], ar[x + d])
            for x in range(d, w):
                t[x] = max(t[x], ar[x - d])
    for y in range(h):
        lo = max(0, y - r)
        hi = min(h - 1, y + r)
        o = out + y * w
        t = tmp + lo * w
        for x in range(w):
            o[x] = t[x]
        for i in range(lo + 1, hi + 1):
            t = tmp + i * w
            for x in range(w):
                o[x] = max(o[x], t[x])


cdef float grid_max(const float *c, Py_ssize_t n) noexcept nogil:
    cdef float m = 0
    cdef Py_ssize_t i
    for i in range(n):
        m = c[i] if c[i] > m else m
    return m


cdef int normconv_fill(const float *c, const uint8_t *valid, float *bg, Py_ssize_t h,
                       Py_ssize_t w, Py_ssize_t r, double min_frac, double *num,
                       uint8_t *todo, Py_ssize_t *last_r=NULL) noexcept nogil:
    """bg = mean of c over the valid cells of each window; windows with too few
    valid cells are widened (r -> 2r + 1) until filled.  Returns -1 when
    memory is short, 1 when no cell is valid (bg untouched), else 0;
    ``last_r``: the window radius of the counts left in num + n."""
    cdef Py_ssize_t n = h * w, i, y, x, rr = r, nvalid = 0, left
    cdef double *den
    cdef double *tmp
    cdef double *a
    cdef double *col
    cdef double cnt
    for i in range(n):
        nvalid += valid[i] != 0
    if nvalid == 0:
        return 1
    den = num + n
    tmp = den + n
    a = tmp + n
    col = a + n
    for i in range(n):
        todo[i] = 1
    left = n
    while left > 0:
        for i in range(n):
            a[i] = c[i] if valid[i] else 0.0
        box_sums(a, num, tmp, col, h, w, rr)
        for i in range(n):
            a[i] = 1.0 if valid[i] else 0.0
        box_sums(a, den, tmp, col, h, w, rr)
        if last_r != NULL:
            last_r[0] = rr
        for y in range(h):
            for x in range(w):
                i = y * w + x
                if todo[i] and den[i] > 0:
                    # cells in the (clipped) window
                    cnt = <double>((min(y + rr, h - 1) - max(y - rr, 0) + 1)
                                   * (min(x + rr, w - 1) - max(x - rr, 0) + 1))
                    if den[i] >= min_frac * cnt or rr >= h + w:
                        bg[i] = <float>(num[i] / den[i])
                        todo[i] = 0
                        left -= 1
        rr = 2 * rr + 1
    return 0


cdef int twice(const float *c, const uint8_t *valid, float *bg, Py_ssize_t h, Py_ssize_t w,
               Py_ssize_t r, double min_frac, double *num, bint den_ready=False) noexcept nogil:
    """One step of Tukey's "twicing": smooth the residual c - bg of the valid
    cells the same way and add it back.  A mean over a window clipped by the
    grid border is biased on a slope (the window is off-centre); the residual
    carries that bias and smoothing it again cancels most of it."""
    cdef Py_ssize_t n = h * w, i, y, x
    cdef double *den
    cdef double *tmp
    cdef double *a
    cdef double *col
    cdef double cnt
    den = num + n
    tmp = den + n
    a = tmp + n
    col = a + n
    for i in range(n):
        a[i] = (c[i] - bg[i]) if valid[i] else 0.0
    box_sums(a, num, tmp, col, h, w, r)
    if not den_ready:
        for i in range(n):
            a[i] = 1.0 if valid[i] else 0.0
        box_sums(a, den, tmp, col, h, w, r)
    for y in range(h):
        for x in range(w):
            i = y * w + x
            cnt = <double>((min(y + r, h - 1) - max(y - r, 0) + 1)
                           * (min(x + r, w - 1) - max(x - r, 0) + 1))
            if den[i] > 0 and den[i] >= min_frac * cnt:
                bg[i] = <float>(bg[i] + num[i] / den[i])
    return 0


cdef double hist_quantile(const int64_t *hist, Py_ssize_t nbins, double q) noexcept nogil:
    cdef int64_t total = 0, acc = 0
    cdef Py_ssize_t i
    for i in range(nbins):
        total += hist[i]
    if total == 0:
        return 0.0
    for i in range(nbins):
        acc += hist[i]
        if acc >= q * total:
            return i + 0.5
    return nbins - 0.5


def paper_surface(float[:, ::1] c, Py_ssize_t r, double delta=0.15, double kmad=3.0,
                  double min_frac=0.02, int twicing=1, Py_ssize_t far_radius=0,
                  double far_delta=0.5):
    """Paper level of every cell of the block-mean grid ``c`` (float32).

    1. cells at least ``delta`` darker than the brightest cell within ``r``
       cells are taken as ink (Gatos et al.'s idea of a background surface
       interpolated from the non-text pixels), and with ``far_radius`` > 0
       also cells ``far_delta`` darker than the brightest cell within
       ``far_radius`` (thick dark ink larger than the window; stains are
       rarely that dark);
    2. the surface is the mean of the other cells over (2r+1)^2 windows
       (normalised convolution), windows with fewer than ``min_frac`` paper
       cells being widened;
    3. once more with the ink cells redefined robustly: a cell is ink when
       its ratio to the first surface is more than ``kmad`` standard
       deviations below the mode of the paper cells' ratios, the deviation
       measured above the mode (where ink cannot be);
    4. ``twicing`` steps of Tukey's twicing (see :c:func:`twice`).
    """
    cdef Py_ssize_t h = c.shape[0], w = c.shape[1], n = h * w, i, b
    cdef float[:, ::1] out = np.empty((h, w), np.float32)
    cdef int32_t[::1] ci = np.empty(max(n, 1), np.int32)
    cdef int32_t[::1] mx = np.empty(max(n, 1), np.int32)
    cdef int32_t[::1] tmp = np.empty(max(n, 1), np.int32)
    cdef double[::1] scratch = np.empty(4 * n + w + 1, np.float64)
    cdef uint8_t[::1] todo = np.empty(max(n, 1), np.uint8)
    cdef uint8_t[::1] valid = np.empty(n, np.uint8)
    cdef int64_t[::1] hist = np.zeros(4096, np.int64)
    cdef int64_t[::1] tmph = np.zeros(256, np.int64)
    cdef int64_t upper_total, acc
    cdef Py_ssize_t mode_bin, mode_lo, last_r = -1
    cdef int rc, rc2 = 0
    cdef double med, dist, rat, cmax = 0, lim
    if n == 0:
        return np.asarray(out)
    with nogil:
        cmax = grid_max(&c[0, 0], n)
        for i in range(n):   # 1/16 level is ample for a 15 % test
            ci[i] = <int32_t>((&c[0, 0])[i] * 16.0 + 0.5)
        max_filter(&ci[0], &mx[0], &tmp[0], h, w, r)
        for i in range(n):
            valid[i] = ci[i] >= (1.0 - delta) * mx[i]
        if far_radius > 0:
            max_filter(&ci[0], &mx[0], &tmp[0], h, w, far_radius)
            for i in range(n):
                valid[i] = valid[i] and ci[i] >= (1.0 - far_delta) * mx[i]
        rc = normconv_fill(&c[0, 0], &valid[0], &out[0, 0], h, w, r, min_frac, &scratch[0],
                           &todo[0])
        if rc == 0:
            # robust ratio statistics of the paper cells: ratios in [0, 2) on 4096 bins
            for i in range(n):
                if valid[i] and (&out[0, 0])[i] > 0:
                    rat = (&c[0, 0])[i] / (&out[0, 0])[i]
                    b = <Py_ssize_t>(rat * 2048.0)
                    hist[min(max(b, 0), 4095)] += 1
            # Ink only darkens a block, so the ratios above their mode are
            # free of it: their median distance to the mode is 0.6745 sigma
            # (a MAD about the median would be inflated when many blocks
            # hold some ink).  Mode: the fullest fine bin (1/2048) within
            # the fullest coarse bin (1/128); bin i covers [i, i+1) / 2048.
            for i in range(4096):
                tmph[i // 16] += hist[i]
            mode_bin = 0
            for i in range(256):
                if tmph[i] > tmph[mode_bin]:
                    mode_bin = i
            for i in range(256):
                tmph[i] = 0
            mode_lo = mode_bin * 16
            for i in range(mode_bin * 16, mode_bin * 16 + 16):
                if hist[i] > hist[mode_lo]:
                    mode_lo = i
            # the upper half of the mode's own bin, then the bins above it
            upper_total = hist[mode_lo]           # counted twice: half a bin
            for i in range(mode_lo + 1, 4096):
                upper_total += 2 * hist[i]
            acc = hist[mode_lo]
            dist = 0.5 / 2048.0
            if acc < upper_total / 2:
                for i in range(mode_lo + 1, 4096):
                    acc += 2 * hist[i]
                    if 2 * acc >= upper_total:
                        dist = (i - mode_lo) / 2048.0
                        break
            med = (mode_lo + 0.5) / 2048.0
            lim = med - kmad * dist / 0.6745
            for i in range(n):
                valid[i] = (&out[0, 0])[i] <= 0 or (&c[0, 0])[i] >= lim * (&out[0, 0])[i]
            rc2 = normconv_fill(&c[0, 0], &valid[0], &out[0, 0], h, w, r, min_frac, &scratch[0],
                                &todo[0], &last_r)
            for i in range(twicing):
                if rc2 == 0:
                    rc2 = twice(&c[0, 0], &valid[0], &out[0, 0], h, w, r, min_frac, &scratch[0],
                                last_r == r)
                    last_r = r
    if rc < 0 or rc2 < 0:
        raise MemoryError("paper_surface: out of memory")
    if rc == 1:  # nothing looked like paper: fall back to the brightest level
        np.asarray(out)[...] = cmax
    return np.asarray(out)
