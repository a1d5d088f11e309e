"""Generate csrc/median_net5.h: the min/max network of the 5x5 median.

    python csrc/median_gen.py        # rewrites csrc/median_net5.h

The 5x5 median is computed row-first (median.c drives it):

1. R[y]: each input row's five horizontal neighbours sorted (a 9-comparator
   sorting network), computed once per input row and kept in a ring for the
   five output rows whose window contains that row;
2. output row y merges R[y-2] with R[y-1] and R[y+1] with R[y+2] (Batcher's
   odd-even merge, ten sorted values each), merges those two keeping only
   ranks 7..12 of the twenty (with five values still unknown, no other rank
   can be the median of 25), and takes rank 12 of those six and the five of
   R[y] by the selection formula C[r] = min over i of max(A[i-1], B[r-i]).

Every min/max whose result is unused is pruned, and comparators against the
+inf padding of Batcher's merge are folded away: 116 min/max per pixel, where
a sorting network over the 25 values (OpenCV's) has 198.  The network is
checked here on every 0-1 input (the 0-1 principle holds for min/max
networks) and on random inputs before the C is written.
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

NEG, POS = "-inf", "+inf"


class Net:
    """Straight-line min/max code in SSA form."""

    def __init__(self):
        self.ops = []  # (kind, dst, a, b), kind "min" or "max"
        self.count = 0

    def _op(self, kind, a, b):
        self.count += 1
        dst = f"t{self.count}"
        self.ops.append((kind, dst, a, b))
        return dst

    def cmp(self, a, b):
        """Compare-exchange: (min, max), folding the +-inf sentinels."""
        if a == NEG or b == POS:
            return a, b
        if a == POS or b == NEG:
            return b, a
        return self._op("min", a, b), self._op("max", a, b)

    def min(self, a, b):
        return self.cmp(a, b)[0]

    def max(self, a, b):
        return self.cmp(a, b)[1]


def sort_network(net, values, pairs):
    v = list(values)
    for i, j in pairs:
        v[i], v[j] = net.cmp(v[i], v[j])
    return v


# optimal 5-sorter (9 comparators, depth 5)
SORT5 = [(0, 1), (3, 4), (2, 4), (2, 3), (0, 3), (0, 2), (1, 4), (1, 3), (1, 2)]


def merge(net, a, b):
    """Batcher's odd-even merge of two sorted lists (padded with +inf to a power of 2)."""
    n = 1
    while n < max(len(a), len(b)):
        n *= 2
    out = _oddeven(net, list(a) + [POS] * (n - len(a)) + list(b) + [POS] * (n - len(b)))
    return out[: len(a) + len(b)]


def _oddeven(net, v):
    n = len(v)
    if n == 2:
        return list(net.cmp(v[0], v[1]))
    a, b = v[: n // 2], v[n // 2:]
    even = _oddeven(net, a[0::2] + b[0::2])
    odd = _oddeven(net, a[1::2] + b[1::2])
    out = [even[0]]
    for i in range(1, n // 2):
        out += list(net.cmp(odd[i - 1], even[i]))
    out.append(odd[-1])
    return out


def select_rank(net, a, a_first, a_len, b, r):
    """Rank r (0-based) of the union of sorted A and B.

    Only ranks a_first .. a_first + len(a) - 1 of A (size a_len) are known, in
    ``a``; the caller guarantees that the others are not needed.
    C[r] = min over i of max(A[i-1], B[r-i]) with A[-1] = B[-1] = -inf and
    A[len] = B[len] = +inf.
    """
    def A(j):
        if j < 0:
            return NEG
        if j >= a_len:
            return POS
        assert a_first <= j < a_first + len(a), j
        return a[j - a_first]

    def B(j):
        return NEG if j < 0 else POS if j >= len(b) else b[j]

    best = None
    for i in range(0, r + 2):
        y = B(r - i)
        if y == POS:
            continue
        x = A(i - 1)
        if x == POS:
            continue
        term = y if x == NEG else x if y == NEG else net.max(x, y)
        best = term if best is None else net.min(best, term)
    return best


def prune(ops, outputs):
    live, kept = set(outputs), []
    for op in reversed(ops):
        if op[1] in live:
            kept.append(op)
            live.discard(op[1])
            live.update(op[2:])
    return kept[::-1]


def run(ops, env):
    env = dict(env)
    for kind, dst, a, b in ops:
        env[dst] = min(env[a], env[b]) if kind == "min" else max(env[a], env[b])
    return env


# --- the networks ------------------------------------------------------------------------

def stage_sort_row():
    """R of one row: its five horizontal neighbours w0..w4, sorted."""
    net = Net()
    ins = [f"w{i}" for i in range(5)]
    outs = sort_network(net, ins, SORT5)
    return net, ins, outs


def stage_row():
    """One output row.  Inputs: the new row's window w0..w4 (row y+2) and the
    sorted R of rows y-2 (u), y-1 (v), y (c), y+1 (d).  Outputs: R of row y+2
    (kept for the next four output rows) and the median."""
    net = Net()
    w = [f"w{i}" for i in range(5)]
    u, v, c, d = ([f"{p}{i}" for i in range(5)] for p in "uvcd")
    new = sort_network(net, w, SORT5)
    top = merge(net, u, v)         # rows y-2, y-1: ten sorted values
    bottom = merge(net, d, new)    # rows y+1, y+2
    twenty = merge(net, top, bottom)
    # five values (row y) are still unknown: rank 12 of 25 is rank 7..12 of these 20
    med = select_rank(net, twenty[7:13], 7, 20, c, 12)
    ops = prune(net.ops, new + [med])
    return ops, w + u + v + c + d, new, med


def verify():
    import random

    ops, ins, new, med = stage_row()
    s_net, s_in, s_out = stage_sort_row()

    def check(window, rows):
        env = run(ops, dict(zip(ins, list(window) + sum(rows, []))))
        assert [env[o] for o in new] == sorted(window), window
        every = list(window) + sum(rows, [])
        assert env[med] == sorted(every)[12], (window, rows)
        env = run(s_net.ops, dict(zip(s_in, window)))
        assert [env[o] for o in s_out] == sorted(window), window

    # every 0-1 input (0-1 principle): any window, four sorted rows
    for window in itertools.product((0, 1), repeat=5):
        for ones in itertools.product(range(6), repeat=4):
            check(window, [[0] * (5 - k) + [1] * k for k in ones])
    rng = random.Random(5)
    for _ in range(20000):
        check([rng.randrange(5) for _ in range(5)],
              [sorted(rng.randrange(5) for _ in range(5)) for _ in range(4)])


# --- C emission ------------------------------------------------------------------------------

def c_body(ops, indent="        "):
    lines = []
    for kind, dst, a, b in ops:
        fn = "MN" if kind == "min" else "MX"
        lines.append(f"{indent}const u8 {dst} = {fn}({a}, {b});")
    return "\n".join(lines)


def emit():
    ops, ins, new, med = stage_row()
    s_net, s_in, s_out = stage_sort_row()
    n_min = sum(1 for o in ops if o[0] == "min")

    def params(prefix, const=True):
        q = "const u8 *RESTRICT" if const else "u8 *RESTRICT"
        return ", ".join(f"{q} {prefix}{i}_" for i in range(5))

    def aligned(prefix, const=True):
        q = "const u8 *RESTRICT" if const else "u8 *RESTRICT"
        c = "const u8 *" if const else "u8 *"
        return "\n".join(f"    {q} {prefix}{i}p = ({c})ASSUME_ALIGNED({prefix}{i}_);" for i in range(5))

    def loads(prefix):
        return "\n".join(f"        const u8 {prefix}{i} = {prefix}{i}p[x];" for i in range(5))

    def stores(values, prefix):
        return "\n".join(f"        {prefix}{i}p[x] = {v};" for i, v in enumerate(values))

    window = "\n".join(f"        const u8 w{i} = in[x + {i}];" for i in range(5))
    return f"""/* GENERATED by csrc/median_gen.py -- do not edit; run `python csrc/median_gen.py`.
 *
 * The 5x5 median, row-first (see median_gen.py): per output pixel
 * {len(ops)} min/max ({n_min} min, {len(ops) - n_min} max), checked on every 0-1 input.
 * Included by median.c, which defines u8, MN, MX, RESTRICT, ASSUME_ALIGNED,
 * NET_BLOCK and NET_CLONES.
 *
 * Loops run over whole blocks of NET_BLOCK columns and every plane of sorted
 * values (r*, u*, v*, c*, d*) is NET_BLOCK-aligned scratch, so the compiler
 * needs neither a scalar prologue to align nor a scalar tail.
 */

/* r*[x] = the sorted in[x .. x+4] (in[x + 2] is column x). */
NET_CLONES
static void net5_sort_row(const u8 *RESTRICT in, {params("r", False)}, size_t blocks)
{{
{aligned("r", False)}
    const size_t n = blocks * NET_BLOCK;
    for (size_t x = 0; x < n; x++) {{
{window}
{c_body(s_net.ops)}
{stores(s_out, "r")}
    }}
}}

/* Output row y: in = input row y+2 (in[x + 2] is column x); u, v, c, d = R of
 * rows y-2 .. y+1.  Writes R of row y+2 to r* and the medians to out. */
NET_CLONES
static void net5_row(const u8 *RESTRICT in, {params("u")},
                     {params("v")},
                     {params("c")},
                     {params("d")},
                     {params("r", False)}, u8 *RESTRICT out, size_t blocks)
{{
{aligned("u")}
{aligned("v")}
{aligned("c")}
{aligned("d")}
{aligned("r", False)}
    const size_t n = blocks * NET_BLOCK;
    for (size_t x = 0; x < n; x++) {{
{window}
{loads("u")}
{loads("v")}
{loads("c")}
{loads("d")}
{c_body(ops)}
{stores(new, "r")}
        out[x] = {med};
    }}
}}
""", len(ops)


def main():
    verify()
    text, nops = emit()
    path = Path(__file__).with_name("median_net5.h")
    path.write_text(text)
    print(f"verified; wrote {path} ({nops} min/max per pixel)")


if __name__ == "__main__":
    sys.exit(main())
