/* Sliding two-level cumulative histograms (the median of any size), written
 * once over a 16-lane uint16 vector type and instantiated by median.c for
 * each instruction set (AVX2, SSE2, plain C).  No include guard on purpose.
 *
 * Before including, define:
 *   HFN(name)      the instance's function name for `name`
 *   V              the vector type (16 x uint16)
 *   V_LOAD(p)      load 16 lanes from p (any alignment)
 *   V_STORE(p, v)  store 16 lanes to p (any alignment)
 *   V_ADD, V_SUB   lane-wise wrapping add / subtract
 *   V_ZERO()       all lanes 0
 *   V_SET1(x)      all lanes x
 *   V_COUNT_LE(v, t1)  number of lanes with v <= t, where t1 = V_SET1(t);
 *                  the lanes of v are non-decreasing and lane 15 > t
 *   V_LOAD8(p)     load 16 uint8 from p, widened to 16 x uint16
 *   B, B_LOAD(p), B_STORE(p, b), B_ADD, B_SUB   the same for 16 x uint8
 *
 * Layout (w = image width): column x's coarse block is cc[16x .. 16x + 16);
 * its fine segment s (grey levels 16s .. 16s + 15) is fc[16 (s w + x) ..],
 * so one segment of all the columns is contiguous, which is what the
 * horizontal sweep walks.  Blocks are cumulative: lane b counts the values
 * whose (coarse or fine) digit is <= b.  A column holds `size` <= 255
 * pixels, so its counters are uint8 (half the memory of uint16: 272 bytes a
 * column, which keeps a page's columns in L2); the window's are uint16.
 */

static void HFN(hist_add_row)(u8 *cc, u8 *fc, size_t w, const u8 *row)
{
    for (size_t x = 0; x < w; x++) {
        unsigned v = row[x];
        u8 *c = cc + 16 * x;
        u8 *f = fc + 16 * ((v >> 4) * w + x);
        B_STORE(c, B_ADD(B_LOAD(c), B_LOAD(CUM_MASK8[v >> 4])));
        B_STORE(f, B_ADD(B_LOAD(f), B_LOAD(CUM_MASK8[v & 15])));
    }
}

/* Move every column histogram down one row: add row `add`, remove `sub`. */
static void HFN(hist_slide_rows)(u8 *cc, u8 *fc, size_t w, const u8 *add, const u8 *sub)
{
    for (size_t x = 0; x < w; x++) {
        unsigned a = add[x], s = sub[x];
        u8 *c = cc + 16 * x;
        B_STORE(c, B_ADD(B_LOAD(c), B_SUB(B_LOAD(CUM_MASK8[a >> 4]), B_LOAD(CUM_MASK8[s >> 4]))));
        /* the two fine blocks may be the same one: update one after the other */
        u8 *fa = fc + 16 * ((a >> 4) * w + x);
        B_STORE(fa, B_ADD(B_LOAD(fa), B_LOAD(CUM_MASK8[a & 15])));
        u8 *fs = fc + 16 * ((s >> 4) * w + x);
        B_STORE(fs, B_SUB(B_LOAD(fs), B_LOAD(CUM_MASK8[s & 15])));
    }
}

/* Output row from the column histograms: the window histogram slides right
 * one column at a time (add the entering column, subtract the leaving one);
 * its coarse block finds the segment of the median, and only that fine
 * segment is brought up to date (from the column where it was last used).
 * `t` is the rank of the median, size * size / 2. */
static void HFN(hist_sweep)(const u8 *cc, const u8 *fc, size_t w, ptrdiff_t r, unsigned t,
                            u8 *out, ptrdiff_t xb, ptrdiff_t xe)
{
    V kf[16];             /* the window's fine segments; segment s is valid at column luc[s] */
    ptrdiff_t luc[16];
    u16 spill[16];
    const ptrdiff_t last_col = (ptrdiff_t)w - 1;
    const size_t seg_stride = 16 * w;
    const V tv = V_SET1((u16)t);

    V kc = V_ZERO();
    for (ptrdiff_t d = xb - r; d <= xb + r; d++)
        kc = V_ADD(kc, V_LOAD8(cc + 16 * clampi(d, last_col)));
    for (int s = 0; s < 16; s++) {
        luc[s] = PTRDIFF_MIN / 2;
        kf[s] = V_ZERO();
    }
    /* The segment in use stays in a register (f, segment cur) while the
     * median stays in it, which on documents is most of the time: no trip
     * through memory (and store forwarding) from one pixel to the next. */
    unsigned cur = 16;
    V f = V_ZERO();

    for (ptrdiff_t x = xb; x < xe; x++) {
        if (x > xb)
            kc = V_ADD(kc, V_SUB(V_LOAD8(cc + 16 * upto(x + r, last_col)),
                                 V_LOAD8(cc + 16 * atleast0(x - r - 1))));
        /* segment of the median: how many cumulative coarse counts are <= t */
        unsigned seg = V_COUNT_LE(kc, tv);
        V_STORE(spill, kc);
        unsigned below = seg ? spill[seg - 1] : 0;
        const u8 *col = fc + seg * seg_stride;
        if (seg == cur) {
            f = V_ADD(f, V_SUB(V_LOAD8(col + 16 * upto(x + r, last_col)),
                               V_LOAD8(col + 16 * atleast0(x - r - 1))));
        } else {
            if (cur < 16) {
                kf[cur] = f;
                luc[cur] = x - 1;
            }
            cur = seg;
            ptrdiff_t last = luc[seg];
            if (x - last > r) {  /* cheaper to sum the 2r + 1 columns afresh */
                f = V_ZERO();
                for (ptrdiff_t d = x - r; d <= x + r; d++)
                    f = V_ADD(f, V_LOAD8(col + 16 * clampi(d, last_col)));
            } else {
                f = kf[seg];
                for (ptrdiff_t s = last + 1; s <= x; s++)
                    f = V_ADD(f, V_SUB(V_LOAD8(col + 16 * upto(s + r, last_col)),
                                       V_LOAD8(col + 16 * atleast0(s - r - 1))));
            }
        }
        out[x] = (u8)(seg * 16 + V_COUNT_LE(f, V_SET1((u16)(t - below))));
    }
}

/* Rows [y0, y1), columns [xb, xe) of the output, for an image of width w
 * (src and dst point at its column 0; cc and fc are zeroed scratch). */
static void HFN(hist_rows)(const u8 *src, ptrdiff_t sstride, u8 *dst, ptrdiff_t dstride,
                           int h, size_t w, int size, int y0, int y1, u8 *cc, u8 *fc,
                           ptrdiff_t xb, ptrdiff_t xe)
{
    const int r = size / 2;
    const unsigned t = (unsigned)(size * size) / 2;
    for (int d = -r; d <= r; d++)
        HFN(hist_add_row)(cc, fc, w, row_at(src, sstride, y0 + d, h));
    for (int y = y0; y < y1; y++) {
        if (y > y0) {
            const u8 *sub = row_at(src, sstride, y - r - 1, h);
            const u8 *add = row_at(src, sstride, y + r, h);
            if (sub != add)
                HFN(hist_slide_rows)(cc, fc, w, add, sub);
        }
        HFN(hist_sweep)(cc, fc, w, r, t, dst + (ptrdiff_t)y * dstride, xb, xe);
    }
}
