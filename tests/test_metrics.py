"""ocrprep.metrics: DIBCO measures on hand-made cases (arithmetic written out)."""
import math

import numpy as np
import pytest
from PIL import Image

from ocrprep import metrics as M
from ocrprep.errors import ImageTypeError, InvalidImageError, InvalidParameterError

W, B = 255, 0   # paper, ink


def test_counts_precision_recall_fmeasure_by_hand():
    gt = np.array([[B, B, B, W],
                   [W, W, B, W]], np.uint8)      # 4 ink pixels
    pred = np.array([[B, B, W, B],
                     [W, B, B, W]], np.uint8)    # 5 ink pixels
    # TP: (0,0) (0,1) (1,2) = 3;  FP: (0,3) (1,1) = 2;  FN: (0,2) = 1;  TN: 8-6 = 2
    assert M.confusion(pred, gt) == {"tp": 3, "fp": 2, "fn": 1, "tn": 2}
    p, r = 3 / 5, 3 / 4
    assert M.precision(pred, gt) == pytest.approx(100 * p)
    assert M.recall(pred, gt) == pytest.approx(100 * r)
    assert M.fmeasure(pred, gt) == pytest.approx(100 * 2 * p * r / (p + r))   # 66.67
    # MCC = (TP TN - FP FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (6-2)/sqrt(5*4*4*3)
    assert M.mcc(pred, gt) == pytest.approx(4 / math.sqrt(240))
    # PSNR: 3 of 8 pixels wrong -> 10 log10(8 / 3)
    assert M.psnr(pred, gt) == pytest.approx(10 * math.log10(8 / 3))


def test_identical_images_score_perfectly(rng):
    gt = np.where(rng.random((40, 50)) < 0.2, B, W).astype(np.uint8)
    r = M.evaluate(gt, gt)
    assert r["fm"] == 100 and r["pfm"] == 100 and r["precision"] == 100 and r["recall"] == 100
    assert r["psnr"] == math.inf and r["drd"] == 0 and r["mcc"] == 1
    blank = np.full((10, 10), W, np.uint8)
    r = M.evaluate(blank, blank)                         # nothing to find, nothing claimed
    assert r["fm"] == 100 and r["psnr"] == math.inf and r["drd"] == 0 and r["mcc"] == 1


def test_psnr_by_hand():
    gt = np.full((10, 10), W, np.uint8)
    pred = gt.copy()
    pred[0, :2] = B                                      # 2 of 100 wrong
    assert M.psnr(pred, gt) == pytest.approx(10 * math.log10(100 / 2))   # 16.99 dB


def test_drd_single_pixel_in_uniform_neighbourhood():
    # gt has one non-uniform 8x8 block; the flipped pixel's 5x5 ground-truth
    # neighbourhood is uniform paper, so every neighbour disagrees with the
    # flipped value: DRD_k = sum of all normalised weights = 1; NUBN = 1.
    gt = np.full((16, 16), W, np.uint8)
    gt[0, 0] = B
    pred = gt.copy()
    pred[10, 10] = B
    assert M.drd(pred, gt) == pytest.approx(1.0)


def test_drd_by_hand_near_ink_and_border():
    # gt: a 3x3 ink square at rows/cols 0..2 of an 8x8 page (one non-uniform block).
    gt = np.full((8, 8), W, np.uint8)
    gt[0:3, 0:3] = B
    pred = gt.copy()
    pred[1, 3] = B          # false ink just right of the square
    # 5x5 window around (1, 3): rows -1..3, cols 1..5; row -1 is outside (ignored).
    # Ground truth there disagrees with pred (= ink) where it is paper:
    # all in-image window pixels except the ink ones (rows 0..2, cols 1..2).
    raw = lambda dy, dx: 1 / math.hypot(dy, dx)
    total = sum(raw(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if dy or dx)
    drd_k = 0.0
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            y, x = 1 + dy, 3 + dx
            if (dy or dx) and 0 <= y < 8 and 0 <= x < 8 and gt[y, x] == W:
                drd_k += raw(dy, dx) / total
    assert M.drd(pred, gt) == pytest.approx(drd_k)       # NUBN = 1
    # two 8x8 blocks of the 16-wide page hold ink and paper -> NUBN = 2
    gt2 = np.full((8, 16), W, np.uint8)
    gt2[0:3, 0:3] = B
    gt2[5, 12] = B
    pred2 = gt2.copy()
    pred2[1, 3] = B
    assert M.drd(pred2, gt2) == pytest.approx(drd_k / 2)


def test_drd_validates():
    gt = np.full((8, 8), W, np.uint8)
    with pytest.raises(InvalidParameterError):
        M.drd(gt, gt, window=4)
    with pytest.raises(InvalidParameterError):
        M.drd(gt, gt, block=0)


def test_skeleton_of_simple_shapes():
    bar = np.zeros((5, 9), bool)
    bar[1:4, 1:8] = True
    sk = M.skeleton(bar)
    assert sk[2, 2:7].all() and np.count_nonzero(sk) == 5          # one-pixel line
    dot = np.zeros((3, 3), bool)
    dot[1, 1] = True
    np.testing.assert_array_equal(M.skeleton(dot), dot)              # nothing to thin
    square = np.ones((7, 7), bool)
    sk = M.skeleton(square)
    assert 1 <= np.count_nonzero(sk) <= 3                            # shrinks to its centre
    assert sk[3, 3]


def test_skeleton_matches_skimage_thin(rng):
    thin = pytest.importorskip("skimage.morphology").thin
    for _ in range(20):
        m = rng.random((30, 40)) < rng.uniform(0.3, 0.8)
        np.testing.assert_array_equal(M.skeleton(m), thin(m))


def test_pseudo_recall_is_skeleton_based():
    gt = np.full((5, 9), W, np.uint8)
    gt[1:4, 1:8] = B                       # 3-px thick bar, skeleton = row 2, cols 2..6
    thin_pred = np.full((5, 9), W, np.uint8)
    thin_pred[2, 1:8] = B                   # the middle line only
    assert M.recall(thin_pred, gt) == pytest.approx(100 * 7 / 21)
    assert M.pseudo_recall(thin_pred, gt) == 100.0
    half = np.full((5, 9), W, np.uint8)
    half[2, 1:5] = B                        # covers skeleton cols 2, 3, 4 of 2..6
    assert M.pseudo_recall(half, gt) == pytest.approx(100 * 3 / 5)
    # without weights pseudo-precision is the precision
    assert M.pseudo_precision(half, gt) == M.precision(half, gt) == 100.0
    p, r = 1.0, 3 / 5
    assert M.pseudo_fmeasure(half, gt) == pytest.approx(100 * 2 * p * r / (p + r))


def test_pseudo_measures_with_dibco_weights():
    gt = np.array([[B, B, W, W]], np.uint8)
    pred = np.array([[B, W, B, W]], np.uint8)
    rw = np.array([[0.25, 0.75, 0, 0]])     # recall weights of the gt ink pixels
    pw = np.array([[0, 0, 2.0, 0.5]])       # precision weights (stored minus 1)
    # Rps = sum(GW over found ink) / sum(GW) = 0.25 / 1.0
    assert M.pseudo_recall(pred, gt, rw) == pytest.approx(25.0)
    # Pps: TP counts 1 + PW = 1, FP counts 1 + 2 = 3 -> 1 / 4
    assert M.pseudo_precision(pred, gt, pw) == pytest.approx(25.0)
    assert M.pseudo_fmeasure(pred, gt, (rw, pw)) == pytest.approx(25.0)
    with pytest.raises(InvalidImageError):
        M.pseudo_recall(pred, gt, np.zeros((2, 4)))
    with pytest.raises(InvalidParameterError):
        M.pseudo_fmeasure(pred, gt, rw)


# --------------------------------------------------------------------------
# DIBCO 2013+ weights computed from the ground truth (Ntirogiannis et al.)
# --------------------------------------------------------------------------
def _bar5():
    gt = np.full((9, 21), W, np.uint8)
    gt[2:7, 2:19] = B            # rows 2..6, cols 2..18: a 5 x 17 bar
    return gt


def test_recall_weights_of_a_thick_bar_by_hand():
    gt = _bar5()
    sk = M.skeleton(gt < 128)
    # the thinned bar: its middle row, two pixels shorter at each end
    assert sk[4, 4:17].all() and np.count_nonzero(sk) == 13
    rw, _ = M.dibco_weights(gt)
    # D = chessboard distance to the contour (0 on it): a cross-section is
    # 0, 1, 2, 1, 0 and sums to 4 -> weights 0, 1/4, 1/2, 1/4, 0
    for col in range(5, 16):
        np.testing.assert_allclose(rw[2:7, col], [0, 0.25, 0.5, 0.25, 0])
    # the end skeleton pixel (4, 4) owns columns 3 and 4 (column 2 is the
    # contour): D = 1, 1, 1 and 1, 2, 1 -> NR = 7
    np.testing.assert_allclose(rw[3:6, 3], [1 / 7, 1 / 7, 1 / 7])
    np.testing.assert_allclose(rw[3:6, 4], [1 / 7, 2 / 7, 1 / 7])
    np.testing.assert_allclose(rw[3:6, 17], [1 / 7, 1 / 7, 1 / 7])
    np.testing.assert_allclose(rw[3:6, 16], [1 / 7, 2 / 7, 1 / 7])
    assert np.count_nonzero(rw[gt == W]) == 0
    assert rw.sum() == pytest.approx(13.0)          # one per skeleton pixel
    # found only in its upper three rows: the bottom row's weight is lost,
    # 1/7 + 1/7 at each end and 1/4 in the 11 inner columns
    pred = np.full_like(gt, W)
    pred[2:5, 2:19] = B
    lost = 4 / 7 + 11 / 4
    assert M.pseudo_recall(pred, gt, "dibco2013") == pytest.approx(100 * (13 - lost) / 13)
    # found only along rows 3..5 (the contour missed): nothing lost
    pred = np.full_like(gt, W)
    pred[3:6, 3:18] = B
    assert M.pseudo_recall(pred, gt, "dibco2013") == pytest.approx(100.0)


def test_recall_weights_of_thin_strokes():
    gt = np.full((7, 12), W, np.uint8)
    gt[3, 2:9] = B                                  # 1 px wide: contour and skeleton
    rw, _ = M.dibco_weights(gt)
    np.testing.assert_array_equal(rw[3, 2:9], np.ones(7))
    assert rw.sum() == 7.0
    gt2 = np.full((7, 12), W, np.uint8)
    gt2[2:4, 2:10] = B                              # 2 px wide: all contour
    rw2, _ = M.dibco_weights(gt2)
    sk = M.skeleton(gt2 < 128)
    # each skeleton pixel (D raised to 1) owns its paired contour pixel (D = 0)
    np.testing.assert_array_equal(rw2, sk.astype(float))


def test_precision_weights_of_an_isolated_bar_by_hand():
    gt = np.full((40, 60), W, np.uint8)
    gt[10:15, 10:27] = B                            # the 5 x 17 bar again
    _, pw = M.dibco_weights(gt)
    sw = 85 / 13                                    # area / skeleton length
    assert np.count_nonzero(pw[gt == B]) == 0       # ink costs 1 (+0)
    # paper at chessboard distance k from the ink: k / sw, up to 2 sw away
    for k in (1, 2, 5, 13):
        assert pw[14 + k, 18] == pytest.approx(k / sw)
        assert pw[12, 26 + k] == pytest.approx(k / sw)
    assert 13 < 2 * sw < 14
    assert pw[14 + 14, 18] == 0.0 and pw[12, 26 + 14] == 0.0   # beyond: plain count


def test_precision_weights_between_close_characters_by_hand():
    gt = np.full((30, 20), W, np.uint8)
    gt[5:25, 5:8] = B                               # two 3 x 20 strokes,
    gt[5:25, 12:15] = B                             # a 4-pixel gap (cols 8..11)
    sk = M.skeleton(gt < 128)
    assert np.count_nonzero(sk[:, :10]) == 18       # sw = 60 / 18 = 3.33
    _, pw = M.dibco_weights(gt)
    # in the gap the distance to the ink is 1, 2 | 2, 1: half the gap is 2,
    # smaller than the stroke width, so NP = 2 and the midline costs 1 + 1
    np.testing.assert_allclose(pw[15, 8:12], [0.5, 1.0, 1.0, 0.5])
    # outside, NP is the stroke width
    np.testing.assert_allclose(pw[15, 4], 18 / 60)
    np.testing.assert_allclose(pw[15, 15], 18 / 60)
    # a false pixel on the midline: TPw = 120, FPw = 1 + 1
    pred = gt.copy()
    pred[15, 9] = B
    p = 120 / 122
    assert M.pseudo_precision(pred, gt, "dibco2013") == pytest.approx(100 * p)
    assert M.pseudo_fmeasure(pred, gt, "dibco2013") == pytest.approx(100 * 2 * p / (p + 1))
    # the same false pixel costs 1 in the plain precision
    assert M.precision(pred, gt) == pytest.approx(100 * 120 / 121)


def test_dibco_weights_edge_cases(rng):
    blank = np.full((10, 10), W, np.uint8)
    rw, pw = M.dibco_weights(blank)
    assert not rw.any() and not pw.any()
    gt = np.where(rng.random((60, 80)) < 0.15, B, W).astype(np.uint8)
    rw, pw = M.dibco_weights(gt)
    ink = gt == B
    assert (rw >= 0).all() and (rw <= 1).all() and not rw[~ink].any()
    assert (pw >= 0).all() and (pw <= 2).all() and not pw[ink].any()
    # every skeleton pixel's territory weighs 1
    assert rw.sum() == pytest.approx(np.count_nonzero(M.skeleton(ink)))
    assert M.pseudo_fmeasure(gt, gt, "dibco2013") == 100.0
    r = M.evaluate(gt, gt)
    assert r["pfm"] == 100.0 and r["pfm2010"] == 100.0
    with pytest.raises(InvalidParameterError):
        M.pseudo_fmeasure(gt, gt, "dibco2099")
    # given weights are used as given
    assert M.evaluate(gt, 255 - gt, (rw, pw))["pfm"] == M.pseudo_fmeasure(gt, 255 - gt, (rw, pw))


def test_load_dibco_weights(tmp_path):
    path = tmp_path / "x_RWeights.dat"
    path.write_text("0.000000 1.500000 0,250000 \n2.000000 0.000000 0.000000 ")
    w = M.load_dibco_weights(path, (2, 3))
    np.testing.assert_allclose(w, [[0, 1.5, 0.25], [2, 0, 0]])
    with pytest.raises(InvalidImageError):
        M.load_dibco_weights(path, (3, 3))


def test_ink_conventions_and_errors():
    gt_u8 = np.array([[0, 255], [100, 200]], np.uint8)
    gt_bool = np.array([[False, True], [False, True]])
    assert M.fmeasure(gt_bool, gt_u8) == 100.0                  # bool: False = dark ink
    assert M.fmeasure(gt_u8.astype(np.int32), gt_u8) == 100.0
    with pytest.raises(InvalidImageError, match="same shape"):
        M.fmeasure(np.zeros((2, 3), np.uint8), gt_u8)
    with pytest.raises(ImageTypeError):
        M.fmeasure(gt_u8.astype(np.float32), gt_u8)
    with pytest.raises(ImageTypeError):
        M.psnr([[0, 1]], gt_u8)
    with pytest.raises(InvalidImageError):
        M.psnr(np.zeros((2, 2, 3), np.uint8), gt_u8)


def test_matches_doxapy_on_dibco(dibco_dir):
    doxapy = pytest.importorskip("doxapy")
    for name in ["2009-H01.png", "2010-H05.png", "2011-PR3.png"]:
        img = np.asarray(Image.open(dibco_dir / "img" / name).convert("L")).copy()
        gt = np.asarray(Image.open(dibco_dir / "gt" / name).convert("L")).copy()
        pred = np.empty_like(img)
        b = doxapy.Binarization(doxapy.Binarization.Algorithms.SAUVOLA)
        b.initialize(img)
        b.to_binary(pred, {"window": 25, "k": 0.2})
        ref = doxapy.calculate_performance(gt, pred)
        ours = M.evaluate(pred, gt)
        assert ours["fm"] == pytest.approx(ref["fm"], abs=1e-9)
        assert ours["psnr"] == pytest.approx(ref["psnr"], abs=1e-9)
        assert ours["mcc"] == pytest.approx(ref["mcc"], abs=1e-9)
        # doxapy counts a block as non-uniform from its first 7 x 7 pixels
        # (an off-by-one); the sum of DRD_k must agree exactly.
        g = gt < 128
        h, w = g.shape
        t8 = g[: h // 8 * 8, : w // 8 * 8].reshape(h // 8, 8, w // 8, 8)
        t7 = t8[:, :7, :, :7].sum(axis=(1, 3))
        s8 = t8.sum(axis=(1, 3))
        nubn8 = np.count_nonzero((s8 > 0) & (s8 < 64))
        nubn7 = np.count_nonzero((t7 > 0) & (t7 < 49))
        assert ours["drd"] * nubn8 / nubn7 == pytest.approx(ref["drdm"], rel=1e-6)


def _write(folder, name, arr):
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(folder / name)


def test_cli_table(tmp_path, capsys):
    gt = np.full((16, 16), W, np.uint8)
    gt[4:12, 6:9] = B
    pred = gt.copy()
    pred[0, 0] = B
    _write(tmp_path / "gt", "a.png", gt)
    _write(tmp_path / "gt", "b.png", gt)
    _write(tmp_path / "gt", "c.png", gt)
    _write(tmp_path / "pred", "a.png", gt)
    _write(tmp_path / "pred", "b.bmp", pred)      # matched by name without extension
    assert M.main([str(tmp_path / "pred"), str(tmp_path / "gt")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["image", "fm", "pfm"]
    assert any(l.startswith("a ") and "100.000" in l for l in lines)
    b_line = next(l for l in lines if l.startswith("b "))
    p = 24 / 25
    assert f"{100 * 2 * p / (p + 1):9.3f}".strip() in b_line.split()
    assert any(l.startswith("mean") for l in lines)
    assert "without a prediction: c" in out


def test_cli_errors(tmp_path, capsys):
    assert M.main([str(tmp_path / "nope"), str(tmp_path)]) == 2
    (tmp_path / "p").mkdir()
    (tmp_path / "g").mkdir()
    assert M.main([str(tmp_path / "p"), str(tmp_path / "g")]) == 2
    _write(tmp_path / "g", "x.png", np.zeros((4, 4), np.uint8))
    _write(tmp_path / "p", "x.png", np.zeros((4, 5), np.uint8))
    assert M.main([str(tmp_path / "p"), str(tmp_path / "g")]) == 1
    assert "same shape" in capsys.readouterr().err


def test_doctests():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("ocrprep.metrics"))
    assert result.attempted > 0 and result.failed == 0


def _strokes(rng, h, w):
    """A page of short thick strokes (ink 0 on 255): components, skeletons and gaps for the weights."""
    page = np.full((h, w), W, np.uint8)
    for _ in range(12):
        y, x = int(rng.integers(2, h - 8)), int(rng.integers(2, w - 12))
        if rng.random() < 0.5:
            page[y:y + 3, x:x + int(rng.integers(4, 10))] = B
        else:
            page[y:y + int(rng.integers(4, 7)), x:x + 2] = B
    return page


@pytest.mark.parametrize("view", ["transposed", "fortran", "reversed", "strided", "bool-transposed"])
def test_any_strides_give_the_contiguous_result(rng, view):
    # metrics took only C-contiguous arrays (Cython's raw "ndarray is not C-contiguous"), kernels take any
    gt = _strokes(rng, 50, 70)
    pred = gt.copy()
    flip = rng.random(gt.shape) < 0.03
    pred[flip] = W + B - pred[flip]
    make = {
        "transposed": lambda a: a.T,
        "fortran": np.asfortranarray,
        "reversed": lambda a: a[::-1, ::-1],
        "strided": lambda a: a[::2, 1::2],
        "bool-transposed": lambda a: (a > 127).T,
    }[view]
    p, g = make(pred), make(gt)
    assert not (p.flags.c_contiguous and g.flags.c_contiguous)
    pc, gc = np.ascontiguousarray(p), np.ascontiguousarray(g)
    assert M.evaluate(p, g) == M.evaluate(pc, gc)
    for got, want in zip(M.dibco_weights(g), M.dibco_weights(gc)):
        np.testing.assert_array_equal(got, want)
    assert M.pseudo_fmeasure(p, g, "dibco2013") == M.pseudo_fmeasure(pc, gc, "dibco2013")
    np.testing.assert_array_equal(M.skeleton(M.ink_mask(g)), M.skeleton(M.ink_mask(gc)))
