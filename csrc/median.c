/* Median filter loops of ocrprep.median (called from src/ocrprep/_median.pyx).
 *
 * Exact medians, bit-identical to OpenCV's medianBlur (edges replicated),
 * by two algorithms:
 *
 * - sizes 3 and 5: min/max networks over whole rows.  Every min/max is a plain
 *   C expression on uint8 inside a loop over the columns, which GCC turns into
 *   one pminub/pmaxub per 16/32/64 pixels; NET_CLONES compiles the loops for
 *   AVX-512, AVX2 and the baseline and the loader picks one.  The networks
 *   sort each row's horizontal neighbours first and merge sorted rows, so
 *   that work is shared between neighbouring output rows:
 *     3x3 sorts the triples of six input rows and combines them into four
 *         output rows (median of: the largest minimum, the median of the
 *         medians, the smallest maximum) -- 19 min/max per pixel;
 *     5x5 keeps the sorted 5-tuples of the last rows in a ring and merges
 *         them with pruned Batcher merges -- 116 min/max per pixel, generated
 *         and checked by median_gen.py (median_net5.h);
 *   where OpenCV's networks use 38 and 198.
 *
 * - any size: sliding two-level histograms (S. Perreault and P. Hebert,
 *   "Median filtering in constant time", IEEE TIP 16(9), 2007).  Each image
 *   column keeps a histogram of the `size` pixels around the current row
 *   (moving down a row adds one pixel and removes one); the window's
 *   histogram is the sum of `size` column histograms and moves right by
 *   adding one column and subtracting another.  A coarse level (16 bins of 16
 *   grey levels) finds the 16 grey levels holding the median; only that
 *   fine segment of the window's histogram is brought up to date, lazily,
 *   from the column where it was last used.  Our variant keeps every 16-bin
 *   block *cumulative* (bin b counts the values <= b), so the median's place
 *   in a block is a compare-and-count of 16 lanes rather than a running sum,
 *   and adding a pixel is one 16-lane add of a row of CUM_MASK8.  Column
 *   counters are uint8 (a column holds `size` <= 255 pixels), the window's
 *   uint16 (size^2 <= 65025): a block is one SSE register, or one AVX2
 *   register once widened.  The loops are written once (median_hist.h) and
 *   instantiated for AVX2 (chosen at run time), SSE2 and plain C.
 *
 * Every function fills output rows [y0, y1) reading whatever input rows it
 * needs, so bands of rows can run on different threads.  Scratch memory is
 * O(min(width, 4096) * size) for the networks and O(min(width, 1024 + size) * 256)
 * for the histograms, never O(image).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "median.h"

#if defined(_MSC_VER)
#include <intrin.h> /* _BitScanForward */
#endif

/* OCRPREP_MEDIAN_GENERIC builds only the portable loops (to check them on x86). */
#if (defined(__x86_64__) || defined(_M_X64)) && !defined(OCRPREP_MEDIAN_GENERIC)
#define MEDIAN_X86 1
#include <emmintrin.h>
#else
#define MEDIAN_X86 0
#endif

/* An AVX2 copy of the histogram loops, picked at run time (GCC and clang). */
#if MEDIAN_X86 && (defined(__GNUC__) || defined(__clang__)) && !defined(OCRPREP_NO_CLONES)
#define MEDIAN_AVX2 1
#include <immintrin.h>
#if defined(__clang__)
#define MEDIAN_AVX2_BEGIN _Pragma("clang attribute push (__attribute__((target(\"avx2\"))), apply_to = function)")
#define MEDIAN_AVX2_END _Pragma("clang attribute pop")
#else
#define MEDIAN_AVX2_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2\")")
#define MEDIAN_AVX2_END _Pragma("GCC pop_options")
#endif
#else
#define MEDIAN_AVX2 0
#endif

enum { MEDIAN_ISA_BEST = 0, MEDIAN_ISA_SSE2 = 1, MEDIAN_ISA_PLAIN = 2 };

/* The sorting networks are plain C loops of uint8 min/max that GCC turns into
 * pminub/pmaxub over whole vectors; wider vectors help them directly, so
 * besides OCRPREP_CLONES' AVX2 copy they get an AVX-512 (x86-64-v4) copy,
 * under the same conditions (GCC, glibc, x86-64) and where GCC knows the
 * x86-64-vN levels (GCC 11 added them; older GCC rejects the attribute). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__) && \
    !defined(OCRPREP_NO_CLONES) && __GNUC__ >= 12
#define NET_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define NET_CLONES OCRPREP_CLONES
#endif
#define MN(a, b) ((a) < (b) ? (a) : (b))
#define MX(a, b) ((a) > (b) ? (a) : (b))

typedef uint8_t u8;
typedef uint16_t u16;

#if defined(_MSC_VER)
#define RESTRICT __restrict
#else
#define RESTRICT __restrict__
#endif

static inline const u8 *row_at(const u8 *src, ptrdiff_t stride, int y, int h)
{
    if (y < 0)
        y = 0;
    else if (y >= h)
        y = h - 1;
    return src + (ptrdiff_t)y * stride;
}

/* 64-byte aligned scratch; free(*base) releases it. */
static void *scratch(size_t bytes, void **base)
{
    *base = malloc(bytes + 64);
    if (*base == NULL)
        return NULL;
    return (void *)(((uintptr_t)*base + 63) & ~(uintptr_t)63);
}

/* ------------------------------------------------------------------------ */
/* Sizes 3 and 5: min/max networks, row-first.  Each input row's `size`     */
/* horizontal neighbours are sorted first (per pixel), then the sorted rows */
/* of a window are combined.  3x3 re-sorts the few rows it reads; 5x5 keeps */
/* the sorted rows in a ring shared by the five output rows that use them.  */
/* Loops run over blocks of NET_BLOCK columns of NET_BLOCK-aligned scratch. */
/* ------------------------------------------------------------------------ */

#define NET_BLOCK 64 /* columns per loop step: the widest vector (AVX-512) */
#if defined(__GNUC__) || defined(__clang__)
#define ASSUME_ALIGNED(p) __builtin_assume_aligned((p), NET_BLOCK)
#else
#define ASSUME_ALIGNED(p) (p)
#endif

#include "median_net5.h"

/* 3x3.  With the rows of the window sorted into (lo, mid, hi), the median of
 * the nine is the median of (the largest lo, the median of the mids, the
 * smallest hi).  Sorting a row's triple costs as little as reloading it, so
 * 3x3 keeps no ring: it sorts the rows it reads, four output rows at a time
 * from six input rows (pairs of output rows share two input rows, and the
 * max/min/sort of those two).  Measured on the A4 page: four rows at a time
 * is ~20% faster than two, eight is slower again (register spills). */
#define SORT3(p, q, s, lo, mi, hi)                 \
    const u8 lo##_a = MN(p, q), hi##_a = MX(p, q); \
    const u8 lo = MN(lo##_a, s);                   \
    const u8 hi = MX(hi##_a, s);                   \
    const u8 mi = MX(lo##_a, MN(hi##_a, s))
#define MED3(a, b, c) MX(MN(a, b), MN(MX(a, b), c))

/* out_i = the median of rows in_i .. in_(i+2) (in*[x + 1] is column x) */
NET_CLONES
static void net3_quad(const u8 *RESTRICT in0, const u8 *RESTRICT in1, const u8 *RESTRICT in2,
                      const u8 *RESTRICT in3, const u8 *RESTRICT in4, const u8 *RESTRICT in5,
                      u8 *RESTRICT out0, u8 *RESTRICT out1, u8 *RESTRICT out2, u8 *RESTRICT out3,
                      size_t blocks)
{
    const size_t n = blocks * NET_BLOCK;
    for (size_t x = 0; x < n; x++) {
        SORT3(in0[x], in0[x + 1], in0[x + 2], l0, m0, h0);
        SORT3(in1[x], in1[x + 1], in1[x + 2], l1, m1, h1);
        SORT3(in2[x], in2[x + 1], in2[x + 2], l2, m2, h2);
        SORT3(in3[x], in3[x + 1], in3[x + 2], l3, m3, h3);
        SORT3(in4[x], in4[x + 1], in4[x + 2], l4, m4, h4);
        SORT3(in5[x], in5[x + 1], in5[x + 2], l5, m5, h5);
        const u8 l12 = MX(l1, l2), h12 = MN(h1, h2), l34 = MX(l3, l4), h34 = MN(h3, h4);
        const u8 mlo12 = MN(m1, m2), mhi12 = MX(m1, m2), mlo34 = MN(m3, m4), mhi34 = MX(m3, m4);
        const u8 a0 = MX(l0, l12), c0 = MN(h0, h12), b0 = MX(mlo12, MN(mhi12, m0));
        const u8 a1 = MX(l3, l12), c1 = MN(h3, h12), b1 = MX(mlo12, MN(mhi12, m3));
        const u8 a2 = MX(l2, l34), c2 = MN(h2, h34), b2 = MX(mlo34, MN(mhi34, m2));
        const u8 a3 = MX(l5, l34), c3 = MN(h5, h34), b3 = MX(mlo34, MN(mhi34, m5));
        out0[x] = MED3(a0, b0, c0);
        out1[x] = MED3(a1, b1, c1);
        out2[x] = MED3(a2, b2, c2);
        out3[x] = MED3(a3, b3, c3);
    }
}

/* out = the median of rows in0 .. in2: the rows left over at a band's end */
NET_CLONES
static void net3_single(const u8 *RESTRICT in0, const u8 *RESTRICT in1, const u8 *RESTRICT in2,
                        u8 *RESTRICT out, size_t blocks)
{
    const size_t n = blocks * NET_BLOCK;
    for (size_t x = 0; x < n; x++) {
        SORT3(in0[x], in0[x + 1], in0[x + 2], l0, m0, h0);
        SORT3(in1[x], in1[x + 1], in1[x + 2], l1, m1, h1);
        SORT3(in2[x], in2[x + 1], in2[x + 2], l2, m2, h2);
        const u8 a = MX(MX(l0, l1), l2), c = MN(MN(h0, h1), h2), b = MED3(m0, m1, m2);
        out[x] = MED3(a, b, c);
    }
}

#define NET_STRIP 4096 /* columns per strip of the 5x5 ring, a multiple of NET_BLOCK */

/* pad[0 .. n + 2r) = row[x0 - r .. x0 + n + r), edges replicated */
static void pad_segment(const u8 *row, ptrdiff_t w, ptrdiff_t x0, ptrdiff_t n, ptrdiff_t r, u8 *pad)
{
    ptrdiff_t lo = x0 - r, hi = x0 + n + r;
    ptrdiff_t a = lo < 0 ? 0 : lo > w ? w : lo, b = hi > w ? w : hi < a ? a : hi;
    ptrdiff_t i = 0;
    for (; lo + i < a; i++)
        pad[i] = row[0];
    memcpy(pad + i, row + a, (size_t)(b - a));
    i += b - a;
    for (; lo + i < hi; i++)
        pad[i] = row[w - 1];
}

/* Blocks of columns [bx, bx + NET_BLOCK) are read in place from the input
 * row when their neighbourhoods (r each side) lie inside it; the others (at
 * most one per edge) through an edge-replicating copy, which is read right
 * after it is written and so costs a store-forwarding stall: keep it to the
 * edges.  Columns past the row's end get replicated values no output uses. */
static inline int net_in_place(ptrdiff_t bx, ptrdiff_t w, ptrdiff_t r)
{
    return bx >= r && bx + NET_BLOCK + r <= w;
}

/* The runs of blocks of columns [x0, end) of `row`: calls fn(in, offset, blocks). */
#define FOR_BLOCK_RUNS(row, w, r, x0, end, pad, BODY)                                \
    for (ptrdiff_t bx = x0; bx < end;) {                                            \
        const size_t o = (size_t)(bx - x0);                                         \
        ptrdiff_t ex = bx + NET_BLOCK;                                              \
        const u8 *in;                                                               \
        if (net_in_place(bx, w, r)) {                                               \
            while (ex < end && net_in_place(ex, w, r))                              \
                ex += NET_BLOCK;                                                    \
            in = row + bx - r;                                                      \
        } else {                                                                    \
            pad_segment(row, w, bx, NET_BLOCK, r, pad);                             \
            in = pad;                                                               \
        }                                                                           \
        const size_t blocks = (size_t)((ex - bx) / NET_BLOCK);                      \
        BODY                                                                        \
        bx = ex;                                                                    \
    }

/* Ask for the next input row while this one is being filtered: the ring of
 * sorted rows is many streams, and the hardware prefetchers lose track of
 * the one stream that comes from memory. */
static inline void net_prefetch(const u8 *p, size_t n)
{
#if defined(__GNUC__) || defined(__clang__)
    for (size_t i = 0; i < n; i += 64)
        __builtin_prefetch(p + i, 0, 3);
#else
    (void)p;
    (void)n;
#endif
}

/* 3x3 over rows [y0, y1): four output rows per pass over six input rows. */
static int net3_rows(const u8 *src, ptrdiff_t sstride, u8 *dst, ptrdiff_t dstride,
                     int h, int w, int y0, int y1)
{
    const ptrdiff_t B = NET_BLOCK;
    void *base;
    u8 *mem = (u8 *)scratch(10 * (size_t)(B + 64), &base);
    if (mem == NULL)
        return -1;
    u8 *pads[6], *oblk[4];
    for (int i = 0; i < 6; i++)
        pads[i] = mem + (size_t)i * (B + 64);
    for (int i = 0; i < 4; i++)
        oblk[i] = mem + (size_t)(6 + i) * (B + 64);
    const ptrdiff_t end = ((ptrdiff_t)w + B - 1) / B * B;
    for (int y = y0; y < y1;) {
        const int nout = y1 - y >= 4 ? 4 : 1;
        const u8 *rows[6];
        for (int i = 0; i < 6; i++)
            rows[i] = row_at(src, sstride, y - 1 + i, h);

        u8 *outs[4];
        for (int i = 0; i < 4; i++)
            outs[i] = dst + (ptrdiff_t)(y + i) * dstride;
        for (ptrdiff_t bx = 0; bx < end;) {
            ptrdiff_t ex = bx + B;
            const u8 *in[6];
            if (net_in_place(bx, w, 1)) {
                while (ex < end && net_in_place(ex, w, 1))
                    ex += B;
                for (int i = 0; i < 6; i++)
                    in[i] = rows[i] + bx - 1;
            } else {
                for (int i = 0; i < 6; i++) {
                    pad_segment(rows[i], w, bx, B, 1, pads[i]);
                    in[i] = pads[i];
                }
            }
            const size_t blocks = (size_t)((ex - bx) / B);
            u8 *o[4];
            for (int i = 0; i < 4; i++)
                o[i] = ex <= w ? outs[i] + bx : oblk[i];
            if (nout == 4)
                net3_quad(in[0], in[1], in[2], in[3], in[4], in[5], o[0], o[1], o[2], o[3], blocks);
            else
                net3_single(in[0], in[1], in[2], o[0], blocks);
            if (ex > w)
                for (int i = 0; i < nout; i++)
                    memcpy(outs[i] + bx, oblk[i], (size_t)(w - bx));
            bx = ex;
        }
        y += nout;
    }
    free(base);
    return 0;
}

/* 5x5 over rows [y0, y1): R rows in a ring, see median_gen.py. */
static int net5_rows(const u8 *src, ptrdiff_t sstride, u8 *dst, ptrdiff_t dstride,
                     int h, int w, int y0, int y1)
{
    const int size = 5;
    const ptrdiff_t B = NET_BLOCK, r = 2;
    const size_t S = (size_t)w < NET_STRIP ? ((size_t)w + B - 1) / B * B : NET_STRIP;
    /* Planes are S + 64 bytes apart, not S: with a power-of-two stride, loads
     * of one plane and stores to another would sit at the same address
     * modulo 4096 and the CPU would wait on false store->load dependencies. */
    const size_t PS = S + 64;
    void *base;
    /* ring of 8 R rows (`size` planes each), an output block, a padded input block */
    u8 *mem = (u8 *)scratch((size_t)(8 * size) * PS + 2 * (NET_BLOCK + 64), &base);
    if (mem == NULL)
        return -1;
    u8 *oblock = mem + (size_t)(8 * size) * PS;
    u8 *pad = oblock + NET_BLOCK + 64;
    u8 *ring[8][5];
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < size; i++)
            ring[j][i] = mem + (size_t)(size * j + i) * PS;
#define R(y) ring[((y) + 16) & 7]
    for (ptrdiff_t x0 = 0; x0 < w; x0 += (ptrdiff_t)S) {
        const size_t n = (size_t)(w - x0) < S ? (size_t)(w - x0) : S;
        const ptrdiff_t end = x0 + (ptrdiff_t)((n + B - 1) / B * B);
        for (int y = y0 - (int)r; y < y0 + (int)r; y++) {
            const u8 *row = row_at(src, sstride, y, h);
            u8 *const *q = R(y);
            FOR_BLOCK_RUNS(row, w, r, x0, end, pad,
                           net5_sort_row(in, q[0] + o, q[1] + o, q[2] + o, q[3] + o, q[4] + o, blocks);)
        }
        for (int y = y0; y < y1; y++) {
            const u8 *row = row_at(src, sstride, y + (int)r, h);
            u8 *out = dst + (ptrdiff_t)y * dstride;
            net_prefetch(row_at(src, sstride, y + (int)r + 1, h) + x0, n);
            /* a block reaching past the row's end is written to oblock, then copied */
#define OUT (ex <= w ? out + bx : oblock)
#define FLUSH if (ex > w) memcpy(out + bx, oblock, (size_t)(w - bx));
            {
                u8 *const *u = R(y - 2), *const *v = R(y - 1), *const *c = R(y), *const *d = R(y + 1);
                u8 *const *q = R(y + 2);
                FOR_BLOCK_RUNS(row, w, r, x0, end, pad,
                               net5_row(in, u[0] + o, u[1] + o, u[2] + o, u[3] + o, u[4] + o,
                                        v[0] + o, v[1] + o, v[2] + o, v[3] + o, v[4] + o,
                                        c[0] + o, c[1] + o, c[2] + o, c[3] + o, c[4] + o,
                                        d[0] + o, d[1] + o, d[2] + o, d[3] + o, d[4] + o,
                                        q[0] + o, q[1] + o, q[2] + o, q[3] + o, q[4] + o,
                                        OUT, blocks);
                               FLUSH)
            }
#undef OUT
#undef FLUSH
        }
    }
#undef R
    free(base);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Any size: sliding two-level cumulative histograms.                       */
/* ------------------------------------------------------------------------ */

/* CUM_MASK8[c][b] = (b >= c): adding a value of bin c to a cumulative block. */
static const u8 CUM_MASK8[16][16] = {
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
};

static inline size_t clampi(ptrdiff_t v, ptrdiff_t hi)
{
    return (size_t)(v < 0 ? 0 : v > hi ? hi : v);
}
static inline size_t upto(ptrdiff_t v, ptrdiff_t hi) /* v >= 0 */
{
    return (size_t)(v > hi ? hi : v);
}
static inline size_t atleast0(ptrdiff_t v) /* v <= the last column */
{
    return (size_t)(v < 0 ? 0 : v);
}

static inline unsigned ctz32(uint32_t v) /* v != 0 */
{
#if defined(_MSC_VER) && !defined(__clang__)
    unsigned long i;
    _BitScanForward(&i, v);
    return (unsigned)i;
#else
    return (unsigned)__builtin_ctz(v);
#endif
}

/* -- plain C instance (any CPU) -- */
typedef struct { u16 v[16]; } v16_plain;
static inline v16_plain plain_load(const u16 *p) { v16_plain r; memcpy(r.v, p, sizeof(r.v)); return r; }
static inline void plain_store(u16 *p, v16_plain a) { memcpy(p, a.v, sizeof(a.v)); }
static inline v16_plain plain_add(v16_plain a, v16_plain b)
{
    for (int i = 0; i < 16; i++) a.v[i] = (u16)(a.v[i] + b.v[i]);
    return a;
}
static inline v16_plain plain_sub(v16_plain a, v16_plain b)
{
    for (int i = 0; i < 16; i++) a.v[i] = (u16)(a.v[i] - b.v[i]);
    return a;
}
static inline v16_plain plain_set1(u16 x)
{
    v16_plain r;
    for (int i = 0; i < 16; i++) r.v[i] = x;
    return r;
}
static inline unsigned plain_count_le(v16_plain a, v16_plain t)
{
    unsigned n = 0;
    for (int i = 0; i < 16; i++) n += a.v[i] <= t.v[i];
    return n;
}
static inline v16_plain plain_load8(const u8 *p)
{
    v16_plain r;
    for (int i = 0; i < 16; i++) r.v[i] = p[i];
    return r;
}
typedef struct { u8 v[16]; } b16_plain;
static inline b16_plain plainb_load(const u8 *p) { b16_plain r; memcpy(r.v, p, 16); return r; }
static inline void plainb_store(u8 *p, b16_plain a) { memcpy(p, a.v, 16); }
static inline b16_plain plainb_add(b16_plain a, b16_plain b)
{
    for (int i = 0; i < 16; i++) a.v[i] = (u8)(a.v[i] + b.v[i]);
    return a;
}
static inline b16_plain plainb_sub(b16_plain a, b16_plain b)
{
    for (int i = 0; i < 16; i++) a.v[i] = (u8)(a.v[i] - b.v[i]);
    return a;
}
#define HFN(name) name##_plain
#define V v16_plain
#define V_LOAD(p) plain_load(p)
#define V_STORE(p, a) plain_store((p), (a))
#define V_ADD plain_add
#define V_SUB plain_sub
#define V_ZERO() plain_set1(0)
#define V_SET1(x) plain_set1(x)
#define V_COUNT_LE plain_count_le
#define V_LOAD8 plain_load8
#define B b16_plain
#define B_LOAD plainb_load
#define B_STORE plainb_store
#define B_ADD plainb_add
#define B_SUB plainb_sub
#include "median_hist.h"
#undef HFN
#undef V
#undef V_LOAD
#undef V_STORE
#undef V_ADD
#undef V_SUB
#undef V_ZERO
#undef V_SET1
#undef V_COUNT_LE
#undef V_LOAD8
#undef B
#undef B_LOAD
#undef B_STORE
#undef B_ADD
#undef B_SUB

#if MEDIAN_X86
/* -- SSE2 instance (every x86-64 CPU): a block is two 8-lane registers -- */
typedef struct { __m128i lo, hi; } v16_sse2;
static inline v16_sse2 sse2_load(const u16 *p)
{
    v16_sse2 r;
    r.lo = _mm_loadu_si128((const __m128i *)(const void *)p);
    r.hi = _mm_loadu_si128((const __m128i *)(const void *)(p + 8));
    return r;
}
static inline void sse2_store(u16 *p, v16_sse2 a)
{
    _mm_storeu_si128((__m128i *)(void *)p, a.lo);
    _mm_storeu_si128((__m128i *)(void *)(p + 8), a.hi);
}
static inline v16_sse2 sse2_add(v16_sse2 a, v16_sse2 b)
{
    a.lo = _mm_add_epi16(a.lo, b.lo);
    a.hi = _mm_add_epi16(a.hi, b.hi);
    return a;
}
static inline v16_sse2 sse2_sub(v16_sse2 a, v16_sse2 b)
{
    a.lo = _mm_sub_epi16(a.lo, b.lo);
    a.hi = _mm_sub_epi16(a.hi, b.hi);
    return a;
}
static inline v16_sse2 sse2_set1(u16 x)
{
    v16_sse2 r;
    r.lo = r.hi = _mm_set1_epi16((short)x);
    return r;
}
static inline unsigned sse2_count_le(v16_sse2 a, v16_sse2 t)
{
    /* unsigned a <= t  <=>  saturating a - t == 0; lanes are non-decreasing,
     * so the lanes <= t are a prefix and the count is the first zero bit */
    const __m128i z = _mm_setzero_si128();
    uint32_t bits = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_subs_epu16(a.lo, t.lo), z)) |
                    ((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_subs_epu16(a.hi, t.hi), z)) << 16);
    return ctz32(~bits) >> 1;
}
static inline v16_sse2 sse2_load8(const u8 *p)
{
    const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)p), z = _mm_setzero_si128();
    v16_sse2 r;
    r.lo = _mm_unpacklo_epi8(b, z);
    r.hi = _mm_unpackhi_epi8(b, z);
    return r;
}
#define HFN(name) name##_sse2
#define V v16_sse2
#define V_LOAD(p) sse2_load(p)
#define V_STORE(p, a) sse2_store((p), (a))
#define V_ADD sse2_add
#define V_SUB sse2_sub
#define V_ZERO() sse2_set1(0)
#define V_SET1(x) sse2_set1(x)
#define V_COUNT_LE sse2_count_le
#define V_LOAD8 sse2_load8
#define B __m128i
#define B_LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define B_STORE(p, b) _mm_storeu_si128((__m128i *)(void *)(p), (b))
#define B_ADD _mm_add_epi8
#define B_SUB _mm_sub_epi8
#include "median_hist.h"
#undef HFN
#undef V
#undef V_LOAD
#undef V_STORE
#undef V_ADD
#undef V_SUB
#undef V_ZERO
#undef V_SET1
#undef V_COUNT_LE
#undef V_LOAD8
#undef B
#undef B_LOAD
#undef B_STORE
#undef B_ADD
#undef B_SUB
#endif

#if MEDIAN_AVX2
/* -- AVX2 instance, chosen at run time: a block is one register -- */
MEDIAN_AVX2_BEGIN
static inline unsigned avx2_count_le(__m256i a, __m256i t)
{
    __m256i le = _mm256_cmpeq_epi16(_mm256_subs_epu16(a, t), _mm256_setzero_si256());
    return ctz32(~(uint32_t)_mm256_movemask_epi8(le)) >> 1;
}
#define HFN(name) name##_avx2
#define V __m256i
#define V_LOAD(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define V_STORE(p, a) _mm256_storeu_si256((__m256i *)(void *)(p), (a))
#define V_ADD _mm256_add_epi16
#define V_SUB _mm256_sub_epi16
#define V_ZERO _mm256_setzero_si256
#define V_SET1(x) _mm256_set1_epi16((short)(x))
#define V_COUNT_LE avx2_count_le
#define V_LOAD8(p) _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define B __m128i
#define B_LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define B_STORE(p, b) _mm_storeu_si128((__m128i *)(void *)(p), (b))
#define B_ADD _mm_add_epi8
#define B_SUB _mm_sub_epi8
#include "median_hist.h"
#undef HFN
#undef V
#undef V_LOAD
#undef V_STORE
#undef V_ADD
#undef V_SUB
#undef V_ZERO
#undef V_SET1
#undef V_COUNT_LE
#undef V_LOAD8
#undef B
#undef B_LOAD
#undef B_STORE
#undef B_ADD
#undef B_SUB
MEDIAN_AVX2_END

#endif

typedef void (*hist_rows_fn)(const u8 *, ptrdiff_t, u8 *, ptrdiff_t, int, size_t, int, int, int,
                             u8 *, u8 *, ptrdiff_t, ptrdiff_t);

/* Output columns per strip.  The histograms of a strip's columns (and of r
 * more on each side) take 272 bytes a column: strips bound the scratch
 * memory for wide images and keep it in L2. */
#define HIST_STRIP 1024

static int hist_rows(const u8 *src, ptrdiff_t sstride, u8 *dst, ptrdiff_t dstride,
                     int h, int w, int size, int y0, int y1, int isa)
{
    hist_rows_fn fn = hist_rows_plain;
    (void)isa;
#if MEDIAN_X86
    if (isa != MEDIAN_ISA_PLAIN)
        fn = hist_rows_sse2;
#endif
#if MEDIAN_AVX2
    if (isa == MEDIAN_ISA_BEST && ocrprep_cpu_has_avx2())
        fn = hist_rows_avx2;
#endif
    const ptrdiff_t r = size / 2;
    /* the widest strip: HIST_STRIP columns and r on each side, within the image */
    ptrdiff_t cols = HIST_STRIP + 2 * r;
    if (cols > w)
        cols = w;
    const size_t ncc = 16 * (size_t)cols, nfc = 256 * (size_t)cols;
    void *base;
    u8 *cc = (u8 *)scratch(ncc + nfc + 64, &base);
    if (cc == NULL)
        return -1;
    u8 *fc = cc + ((ncc + 63) & ~(size_t)63);
    for (ptrdiff_t x0 = 0; x0 < w; x0 += HIST_STRIP) {
        const ptrdiff_t x1 = x0 + HIST_STRIP < w ? x0 + HIST_STRIP : w;
        /* columns [c0, c1) feed outputs [x0, x1): inside the image no window
         * of those outputs reaches past them, so clamping at c0 and c1 only
         * ever happens where they are the image's edges */
        const ptrdiff_t c0 = x0 - r > 0 ? x0 - r : 0, c1 = x1 + r < w ? x1 + r : w;
        memset(cc, 0, 16 * (size_t)(c1 - c0));
        memset(fc, 0, 256 * (size_t)(c1 - c0));
        fn(src + c0, sstride, dst + c0, dstride, h, (size_t)(c1 - c0), size, y0, y1, cc, fc,
           x0 - c0, x1 - c0);
    }
    free(base);
    return 0;
}

/* ------------------------------------------------------------------------ */

int ocrprep_median_rows(const uint8_t *src, ptrdiff_t sstride,
                        uint8_t *dst, ptrdiff_t dstride,
                        int height, int width, int size,
                        int y0, int y1, int method)
{
    if (height < 1 || width < 1 || size < 1 || size > 255 || size % 2 == 0 ||
        y0 < 0 || y1 > height || y0 > y1)
        return -1;
    if (y0 == y1)
        return 0;
    if (size == 1) {
        for (int y = y0; y < y1; y++)
            memcpy(dst + (ptrdiff_t)y * dstride, src + (ptrdiff_t)y * sstride, (size_t)width);
        return 0;
    }
    if (method == OCRPREP_MEDIAN_AUTO)
        method = size <= 5 ? OCRPREP_MEDIAN_NETWORK : OCRPREP_MEDIAN_HISTOGRAM;
    if (method == OCRPREP_MEDIAN_NETWORK) {
        if (size == 3)
            return net3_rows(src, sstride, dst, dstride, height, width, y0, y1);
        if (size == 5)
            return net5_rows(src, sstride, dst, dstride, height, width, y0, y1);
        return -1;
    }
    int isa = MEDIAN_ISA_BEST;
    if (method == OCRPREP_MEDIAN_HISTOGRAM_SSE2)
        isa = MEDIAN_ISA_SSE2;
    else if (method == OCRPREP_MEDIAN_HISTOGRAM_PLAIN)
        isa = MEDIAN_ISA_PLAIN;
    else if (method != OCRPREP_MEDIAN_HISTOGRAM)
        return -1;
    return hist_rows(src, sstride, dst, dstride, height, width, size, y0, y1, isa);
}
