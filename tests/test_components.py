"""ocrprep.remove_specks / fill_holes / label_components (run-based union-find)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ocrprep
from imagegen import SHAPES


def random_bw(rng, shape, p=None):
    p = rng.uniform(0.1, 0.7) if p is None else p
    return np.where(rng.random(shape) < p, 0, 255).astype(np.uint8)


def _ref_components(ink, connectivity):
    """Tiny flood fill: the oracle needs no optional package."""
    h, w = ink.shape
    lab = np.zeros((h, w), np.int64)
    n = 0
    if connectivity == 8:
        nbrs = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]
    else:
        nbrs = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    for y in range(h):
        for x in range(w):
            if ink[y, x] and not lab[y, x]:
                n += 1
                stack = [(y, x)]
                lab[y, x] = n
                while stack:
                    cy, cx = stack.pop()
                    for dy, dx in nbrs:
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and ink[ny, nx] and not lab[ny, nx]:
                            lab[ny, nx] = n
                            stack.append((ny, nx))
    return n, lab


def _same_partition(a, b):
    pairs = set(zip(a.ravel().tolist(), b.ravel().tolist()))
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


@pytest.mark.parametrize("shape", SHAPES[:-1])
def test_label_matches_flood_fill(rng, shape):
    for _ in range(3):
        bw = random_bw(rng, shape)
        labels, areas = ocrprep.label_components(bw)
        n, ref = _ref_components(bw < 128, 8)
        assert labels.max() == n
        assert _same_partition(labels, ref)
        assert (labels == 0).sum() == areas[0]
        assert areas.sum() == bw.size
        for i in range(1, n + 1):
            assert areas[i] == np.count_nonzero(labels == i)


def test_label_matches_cv2(rng, cv2):
    for shape in [(240, 321), (480, 640), (33, 1000)]:
        bw = random_bw(rng, shape)
        labels, _ = ocrprep.label_components(bw)
        n, ref = cv2.connectedComponents((bw < 128).astype(np.uint8), connectivity=8)
        assert labels.max() == n - 1
        assert _same_partition(labels, ref)


def test_label_numbering_and_connectivity():
    bw = np.full((5, 7), 255, np.uint8)
    bw[0, 0] = bw[1, 1] = 0          # diagonal neighbours: one 8-connected component
    bw[0, 5] = bw[0, 6] = 0          # a horizontal pair, first seen after (0, 0)
    bw[4, 3] = 0
    labels, areas = ocrprep.label_components(bw)
    assert labels[0, 0] == labels[1, 1] == 1
    assert labels[0, 5] == labels[0, 6] == 2
    assert labels[4, 3] == 3
    assert areas.tolist() == [35 - 5, 2, 2, 1]


def test_remove_specks_hand_case():
    bw = np.full((8, 10), 255, np.uint8)
    bw[1, 1] = 0                        # area 1
    bw[5:7, 1:3] = 0                    # area 4
    bw[2:5, 5:9] = 0                    # area 12
    bw[7, 9] = 0                        # area 1 in the corner
    out = ocrprep.remove_specks(bw, max_area=4)
    assert np.count_nonzero(out == 0) == 12 and (out[2:5, 5:9] == 0).all()
    assert np.count_nonzero(ocrprep.remove_specks(bw, max_area=3) == 0) == 16
    np.testing.assert_array_equal(ocrprep.remove_specks(bw, max_area=0), bw)
    assert np.count_nonzero(ocrprep.remove_specks(bw, max_area=12) == 0) == 0


@pytest.mark.parametrize("max_area", [0, 1, 2, 5, 20])
def test_remove_specks_matches_reference(rng, max_area):
    bw = random_bw(rng, (60, 80), 0.2)
    n, ref = _ref_components(bw < 128, 8)
    expected = bw.copy()
    for i in range(1, n + 1):
        if np.count_nonzero(ref == i) <= max_area:
            expected[ref == i] = 255
    np.testing.assert_array_equal(ocrprep.remove_specks(bw, max_area), expected)


def test_fill_holes_hand_case():
    bw = np.full((9, 12), 255, np.uint8)
    bw[1:6, 1:6] = 0
    bw[3, 3] = 255                       # 1-pixel hole
    bw[1:8, 7:12] = 0
    bw[3:6, 8:10] = 255                  # 6-pixel hole
    bw[8, 0] = 255                       # paper touching the border is never a hole
    out = ocrprep.fill_holes(bw)
    assert out[3, 3] == 0 and (out[3:6, 8:10] == 0).all()
    assert out[0, 0] == 255 and out[8, 0] == 255
    small = ocrprep.fill_holes(bw, max_area=1)
    assert small[3, 3] == 0 and (small[3:6, 8:10] == 255).all()
    np.testing.assert_array_equal(ocrprep.fill_holes(bw, max_area=0), bw)


def test_fill_holes_paper_is_4_connected():
    # the centre pixel touches the outside only diagonally: it is a hole
    bw = np.full((5, 5), 255, np.uint8)
    bw[1, 2] = bw[2, 1] = bw[2, 3] = bw[3, 2] = 0
    bw[1, 1] = 0
    out = ocrprep.fill_holes(bw)
    assert out[2, 2] == 0
    # and the ring's diagonal gaps do not let the outside leak in
    assert out[0, 0] == 255 and out[4, 4] == 255


@pytest.mark.parametrize("shape", [(30, 40), (1, 9), (9, 1), (50, 3)])
def test_fill_holes_matches_reference(rng, shape):
    bw = random_bw(rng, shape, 0.55)
    n, ref = _ref_components(bw >= 128, 4)
    border = set(ref[0].tolist()) | set(ref[-1].tolist()) | set(ref[:, 0].tolist()) | set(ref[:, -1].tolist())
    expected = bw.copy()
    for i in range(1, n + 1):
        if i not in border:
            expected[ref == i] = 0
    np.testing.assert_array_equal(ocrprep.fill_holes(bw), expected)


def test_out_inplace_strided_and_any_grey(rng):
    bw = random_bw(rng, (40, 50), 0.3)
    ref = ocrprep.remove_specks(bw, 3)
    same = bw.copy()
    assert ocrprep.remove_specks(same, 3, out=same) is same
    np.testing.assert_array_equal(same, ref)
    strided = np.zeros((40, 100), np.uint8)[:, ::2]
    ocrprep.remove_specks(bw, 3, out=strided)
    np.testing.assert_array_equal(strided, ref)
    np.testing.assert_array_equal(ocrprep.remove_specks(bw.T, 3), ocrprep.remove_specks(bw.T.copy(), 3))
    # any value < 128 is ink, the output is 0 / 255
    grey = np.where(bw == 0, 100, 200).astype(np.uint8)
    np.testing.assert_array_equal(ocrprep.remove_specks(grey, 3), ref)
    assert bw.flags.writeable and not np.shares_memory(ref, bw)


def test_long_rows_and_large_page(rng):
    # runs crossing 8-pixel words, alternating classes at every offset
    row = np.tile(np.array([0, 255, 255, 0, 0, 0, 255], np.uint8), 300)[None, :]
    bw = np.repeat(row, 3, axis=0)
    labels, areas = ocrprep.label_components(bw)
    assert labels.max() == 600 and set(areas[1:].tolist()) == {3, 9}
    page = random_bw(rng, (3000, 2000), 0.05)
    out = ocrprep.remove_specks(page, 1)
    isolated = (page == 0)
    # a removed pixel had no ink among its 8 neighbours
    removed = (page == 0) & (out == 255)
    padded = np.pad(page == 0, 1)
    nbrs = sum(padded[1 + dy:1 + dy + 3000, 1 + dx:1 + dx + 2000]
               for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    np.testing.assert_array_equal(removed, isolated & (nbrs == 0))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=24),
                  elements=st.sampled_from([0, 255])), st.integers(0, 6))
def test_property_specks_and_holes(bw, max_area):
    out = ocrprep.remove_specks(bw, max_area)
    n, ref = _ref_components(bw < 128, 8)
    kept = {i for i in range(1, n + 1) if np.count_nonzero(ref == i) > max_area}
    np.testing.assert_array_equal(out == 0, np.isin(ref, list(kept)))
    filled = ocrprep.fill_holes(bw)
    assert ((filled == 0) | (bw != 0)).all()                  # ink stays ink
    assert np.array_equal(ocrprep.fill_holes(filled), filled)  # idempotent


def test_bad_inputs(rng):
    bw = random_bw(rng, (10, 10))
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.remove_specks(bw, -1)
    with pytest.raises(ocrprep.ParameterTypeError):
        ocrprep.remove_specks(bw, 2.5)
    with pytest.raises(ocrprep.InvalidParameterError):
        ocrprep.fill_holes(bw, -3)
    with pytest.raises(ocrprep.ImageTypeError):
        ocrprep.fill_holes(bw.astype(bool))
    with pytest.raises(ocrprep.InvalidImageError):
        ocrprep.label_components(np.zeros((3, 3, 3), np.uint8))
    with pytest.raises(ocrprep.InvalidImageError):
        ocrprep.remove_specks(bw, 1, out=np.empty((10, 11), np.uint8))


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.components"))
    assert result.attempted > 0 and result.failed == 0


def _ref_shapes(bw, norm):
    """Per ink component (8-connected, numbered in scan order of first pixel
    row by row, as the runs are): area, the smallest 3 x 3 sum of ``norm``
    (edges replicated) over its pixels, and the sum / number of the Sobel
    magnitudes |gx| + |gy| of ``norm`` on its boundary (pixels with a
    4-neighbour of paper inside the image).  Plain numpy + the flood fill."""
    ink = bw < 128
    n, lab = _ref_components(ink, 8)
    # the flood fill numbers components by their first pixel in scan order:
    # so do the runs (a component's first run holds its first pixel)
    p = np.pad(norm.astype(np.int64), 1, mode="edge")
    s9 = sum(p[dy:dy + norm.shape[0], dx:dx + norm.shape[1]] for dy in range(3) for dx in range(3))
    a, b, c = p[:-2, :-2], p[:-2, 1:-1], p[:-2, 2:]
    d, f = p[1:-1, :-2], p[1:-1, 2:]
    q0, q1, q2 = p[2:, :-2], p[2:, 1:-1], p[2:, 2:]
    g = np.abs((c - a) + 2 * (f - d) + (q2 - q0)) + np.abs((q0 + 2 * q1 + q2) - (a + 2 * b + c))
    paper = np.pad(~ink, 1, constant_values=False)
    edge = ink & (paper[:-2, 1:-1] | paper[2:, 1:-1] | paper[1:-1, :-2] | paper[1:-1, 2:])
    area = np.bincount(lab.ravel(), minlength=n + 1)
    min9 = np.full(n + 1, 9 * 255, np.int64)
    np.minimum.at(min9, lab[ink], s9[ink])
    gsum = np.bincount(lab[edge], weights=g[edge], minlength=n + 1)
    gcount = np.bincount(lab[edge], minlength=n + 1)
    return n, area, min9, gsum, gcount


@pytest.mark.parametrize("shape", [(1, 1), (1, 40), (37, 1), (2, 2), (9, 33), (31, 70), (64, 97)])
def test_clean_shape_statistics_match_numpy(rng, shape):
    """The component statistics the automatic binarizer judges writing by
    (measured in clean's labelling pass, from row arrays) against a plain
    numpy oracle: every run end, image edge and width around the 32-pixel
    row scan."""
    from ocrprep._components import clean

    for trial in range(4):
        bw = random_bw(rng, shape, p=(0.15, 0.4, 0.6, 0.85)[trial])
        norm = rng.integers(0, 256, shape, dtype=np.uint8)
        n, area, min9, gsum, gcount = _ref_shapes(bw, norm)
        got = {}

        def decide(st):
            got.update(st)
            return None

        img = bw.copy()
        clean(img, 0, False, 0, 0.0, norm, decide)
        np.testing.assert_array_equal(img, bw)
        if n == 0:
            continue
        assert got["area"].shape == (n + 1,)
        np.testing.assert_array_equal(got["area"][1:], area[1:])
        np.testing.assert_array_equal(got["min9"][1:], min9[1:])
        np.testing.assert_array_equal(got["gcount"][1:], gcount[1:])
        np.testing.assert_array_equal(got["gsum"][1:], gsum[1:])


def test_clear_border_structures_reports_the_runs_it_removed(rng):
    """``runs=True`` returns the removed ink as (row, first, end) runs: the
    same page as without it, and the runs are exactly what it turned white."""
    from ocrprep._components import clear_border_structures

    for trial in range(40):
        img = np.where(rng.random((60, 80)) < 0.45, 0, 255).astype(np.uint8)
        if trial % 2:
            img[:, :2] = 0                      # a border line joining everything
        plain = img.copy()
        n = clear_border_structures(plain, 20, 27, 3)
        got = img.copy()
        m, runs = clear_border_structures(got, 20, 27, 3, runs=True)
        assert n == m and np.array_equal(plain, got)
        assert runs.dtype == np.int32 and runs.shape[1] == 3
        back = np.zeros(img.shape, bool)
        for y, x0, x1 in runs:
            back[y, x0:x1] = True
        np.testing.assert_array_equal(back, (img == 0) & (got != 0))
