"""Issue 13: the automatic binarizer on the pages it used to lose (generated
by ``tests/realpages.py``, small sizes; the full suite with several sizes
and the anchors is ``benchmarks/realworld.py``).  Each test checks the ink
found against the rendered ground truth, or the words read, and where it
matters against the method without the new step."""
from __future__ import annotations

import numpy as np
import pytest

import ocrprep
import ocrprep.auto as auto
from frontdoor import word_recovery
from ocrprep.metrics import fmeasure, precision, recall
from realpages import backdrop_page, book_page, colour_page, faint_page, noisy_page, table_page


def scores(bw, truth):
    gt = np.where(truth, 0, 255).astype(np.uint8)
    return fmeasure(bw, gt), precision(bw, gt), recall(bw, gt)


def part_recall(bw, mask):
    return np.count_nonzero((bw == 0) & mask) / max(np.count_nonzero(mask), 1)


@pytest.mark.parametrize("seed", [0, 1])
def test_coloured_ink_is_measured_by_its_colour(seed):
    """Yellow, light green and grey words on shaded cream paper: the colour
    page finds them where its luma alone loses a part."""
    page = colour_page(seed, 0.6)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    f, _, r = scores(bw, page.truth)
    assert f > 65 and r > 0.9
    light = page.parts["light"]
    assert part_recall(bw, light) > 0.75
    # yellow and light green: what luma barely separates from cream paper
    # (the grey page's faint-hand pass finds much of them too, by now)
    chromatic = page.parts["chromatic"]
    assert part_recall(bw, chromatic) > 0.9
    assert part_recall(bw, chromatic) > part_recall(ocrprep.binarize(page.grey), chromatic) + 0.08
    assert scores(ocrprep.binarize(page.grey, method="otsu"), page.truth)[0] < 40   # what a global threshold does


def _two_inks_page(seed, second, paper=(238.0, 228.0, 204.0), font=22, serif=True):
    """Lines of words, every other word in dark ink and in ``second`` (an RGB
    colour, or "show-through": the paper's colour darkened as much as a
    light grey ink), on shaded paper with a slight blur and noise, in a
    font, size and paper unlike ``realpages.colour_page``'s.  Returns
    (image, truth of the dark words, truth of the second ink)."""
    from realpages import _blur, _lines, _u8, render

    rng = np.random.default_rng([7, seed])
    h, w = 330, 520
    lines = [[(word, i % 2) for i, word in enumerate(line)] for line in _lines(rng, 6, 5)]
    cover, style, _ = render((h, w), lines, font, None, x0=20, y0=16, serif=serif)
    paper = np.asarray(paper)
    if second == "show-through":
        # the back's writing seen through the sheet: the paper's own colour
        # darkened (and blurred, as the paper diffuses it)
        ink2 = paper * 0.7
        cover2 = np.clip(_blur(cover * (style == 1), 1.2), 0, 1)
    else:
        ink2 = np.asarray(second, np.float64)
        cover2 = cover * (style == 1)
    cover1 = cover * (style == 0)
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1.0 - 0.15 * xx / w - 0.08 * yy / h
    page = paper * (1 - cover1 - cover2)[..., None] + np.array([20.0, 20.0, 30.0]) * cover1[..., None] \
        + ink2 * cover2[..., None]
    page = _blur(page * light[..., None], 0.6) + rng.normal(0, 2.0, (h, w, 1)) + rng.normal(0, 1.0, (h, w, 3))
    return _u8(page), (cover >= 0.5) & (style == 0), (cover >= 0.5) & (style == 1)


@pytest.mark.parametrize("seed, second, paper, serif", [
    (0, (150, 150, 150), (238.0, 228.0, 204.0), True),    # grey ink on cream paper
    (1, (165, 160, 175), (236.0, 232.0, 214.0), False),   # lavender grey, sans serif
    (2, (120, 170, 200), (245.0, 240.0, 225.0), True),    # light blue on ivory
])
def test_light_words_beside_dark_words_on_colour_paper(seed, second, paper, serif, monkeypatch):
    """Light words in lines of dark ones, alternating, on tinted paper
    (pages drawn differently from the benchmark's): each light word is
    judged as a word and by its colour, not letter by letter against the
    dark ink, and comes out (almost) whole."""
    img, dark, lightw = _two_inks_page(seed, second, paper, serif=serif)
    info = {}
    bw = ocrprep.binarize(img, info=info)
    assert part_recall(bw, dark) > 0.97
    assert part_recall(bw, lightw) > 0.93
    monkeypatch.setattr(auto, "FAINT_WORD_SHARPNESS", 0.0)   # letter by letter, as before
    before = ocrprep.binarize(img)
    assert part_recall(bw, lightw) > part_recall(before, lightw) + 0.03 or part_recall(before, lightw) > 0.97
    f, p, _ = scores(bw, dark | lightw)
    assert p > 0.6


def test_show_through_in_the_paper_colour_is_not_taken_for_light_ink():
    """The same lines with every other word seen through the sheet (the
    paper's own hue, darkened and diffused): the colour test does not admit
    them as front ink, and the dark words are kept."""
    img, dark, back = _two_inks_page(3, "show-through")
    info = {}
    bw = ocrprep.binarize(img, info=info)
    assert part_recall(bw, dark) > 0.95
    assert part_recall(bw, back) < 0.2
    assert info["faint_words"] == 0


def test_front_ink_test_tells_ink_from_the_paper_colour():
    """``_front_ink`` on one component: grey or blue ink on cream paper is
    front ink; the paper's colour darkened (show-through, a stain) is not."""
    paper = np.array([238.0, 228.0, 204.0])
    lum = float(paper @ [0.299, 0.587, 0.114])
    st = {"y0": np.array([0, 10]), "y1": np.array([0, 19]), "x0": np.array([0, 10]), "x1": np.array([0, 19])}
    cand = np.array([False, True])
    bw = np.full((30, 30), 255, np.uint8)
    bw[10:20, 10:20] = 0
    for colour, want in (((150, 150, 150), True), ((60, 80, 160), True), (tuple(paper * 0.7), False),
                         ((200, 170, 110), False)):   # a brown stain: the paper's hue, more saturated
        img = np.empty((30, 30, 3))
        img[:] = paper
        img[10:20, 10:20] = colour
        front = auto._front_ink(np.round(img).astype(np.uint8), (*paper, lum), bw)
        assert bool(front(st, cand)[1]) is want, colour


def test_grey_and_equal_channel_pages_give_the_same_result():
    """A grey page and the same page stored as RGB or RGBA (R = G = B) give
    bit-identical results."""
    for page in (faint_page(3, 0.5).image, noisy_page(1, 0.5).image, book_page(2, 0.5).image,
                 colour_page(4, 0.5).grey):
        want = ocrprep.binarize(page)
        rgb = np.repeat(page[..., None], 3, axis=2)
        assert np.array_equal(ocrprep.binarize(rgb), want)
        rgba = np.dstack([rgb, np.full(page.shape, 255, np.uint8)])
        assert np.array_equal(ocrprep.binarize(rgba), want)


@pytest.mark.parametrize("seed", [1, 2])
def test_faint_hand_beside_dark_writing_is_kept(seed, monkeypatch):
    """Faint words 38-60 levels under the paper in lines of dark words,
    with bleed-through from the back: more of the faint hand is found than
    with the page-wide edge threshold and the rule "half as dark as the ink
    nearby" alone (the faint-writing pass), the bleed-through is not."""
    page = faint_page(seed, 1.0)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    f, p, _ = scores(bw, page.truth)
    faint = page.parts["faint"]
    assert info["faint_components"] > 20
    assert p > 0.6                           # the bleed-through stays paper
    monkeypatch.setattr(auto, "LOCAL_EDGES", False)
    before = ocrprep.binarize(page.image)
    assert part_recall(bw, faint) > 2 * part_recall(before, faint) + 0.1
    assert f > scores(before, page.truth)[0] + 3


@pytest.mark.parametrize("seed", [1, 4])
def test_a_second_hand_is_judged_as_a_whole(seed, monkeypatch):
    """The faint hand is many words in the lines of the dark writing: its
    words are judged against the hand's own sharpness (a thin faint stroke
    measures less sharp than the dark writing's), so much more of it is
    kept than when each word must be as sharp as the dark writing - and the
    bleed-through (sharpness about half the writing's) still stays out."""
    page = faint_page(seed, 1.0)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    assert info["faint_hand"] is not None
    f, p, _ = scores(bw, page.truth)
    monkeypatch.setattr(auto, "FAINT_HAND_SHARE", 10.0)   # never a hand
    alone = ocrprep.binarize(page.image)
    faint = page.parts["faint"]
    assert part_recall(bw, faint) > part_recall(alone, faint) + 0.15
    assert f > scores(alone, page.truth)[0] + 4
    assert p >= scores(alone, page.truth)[1] - 0.02        # nothing else came with it


@pytest.mark.parametrize("seed", [0, 1])
def test_small_faint_type_is_found(seed):
    """Type of 16-22 px (scale 0.7): the thin faint strokes' own blocks set
    their edge threshold (a block farther off held a dark word's), and the
    pieces of a faint word the page-wide threshold kept do not hide the
    word from the faint pass (before: 47-57 % of the faint hand's pixels
    on these pages)."""
    page = faint_page(seed, 0.7)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    assert info["faint_hand"] is not None
    assert part_recall(bw, page.parts["faint"]) > 0.75
    assert scores(bw, page.truth)[1] > 0.65                 # no bleed-through came with it


@pytest.mark.parametrize("seed", [4, 5])
def test_second_hand_strokes_end_at_half_their_contrast(seed, monkeypatch):
    """The faint hand's strokes are cut at the mean of their own edge
    values (the middle of their ink/paper transition), not at the level the
    page's statistics window gives (towards the paper): they come out
    thinner, closer to the rendered strokes, and nearly as complete."""
    page = faint_page(seed, 1.0)
    gt = np.where(page.truth, 0, 255).astype(np.uint8)
    faint = page.parts["faint"]
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    assert info["hand_stroke_cut"] > 1000
    monkeypatch.setattr(auto, "HAND_STROKE_END", False)
    wide = ocrprep.binarize(page.image)
    near = np.zeros_like(faint)
    ys, xs = np.nonzero(faint)
    for dy in (-2, -1, 0, 1, 2):            # the faint strokes and two pixels around them
        for dx in (-2, -1, 0, 1, 2):
            near[np.clip(ys + dy, 0, faint.shape[0] - 1), np.clip(xs + dx, 0, faint.shape[1] - 1)] = True
    near &= ~page.parts["faint"] | faint
    cut = (bw == 0) & near & ~page.truth
    wide_fp = (wide == 0) & near & ~page.truth
    assert cut.sum() < 0.75 * wide_fp.sum()                 # a quarter fewer pixels beside them
    assert part_recall(bw, faint) > 0.9
    assert fmeasure(bw, gt) > fmeasure(wide, gt) + 1.0
    assert ((bw == 0) & ~near).sum() == ((wide == 0) & ~near).sum()   # nothing else changes


def test_a_component_is_cut_at_its_own_edges_mean():
    """A blurred bar 80 levels under the paper, found fat (every pixel 5
    levels under the paper), is cut where it crosses half its contrast."""
    x = np.arange(60, dtype=np.float64)
    profile = 200 - 80 * np.clip(np.minimum(x - 20, 32 - x) / 3.0 + 0.5, 0, 1)   # ramps 3 px wide
    norm = np.ascontiguousarray(np.repeat(np.round(profile)[None, :], 40, axis=0).astype(np.uint8))
    bw = np.where(norm < 195, 0, 255).astype(np.uint8)
    bw[:2] = bw[-2:] = 255
    work = bw.copy()
    te = np.full((5, 8), 60, np.uint16)
    sel = np.array([False, True])
    auto._cut_at_own_edges(work, norm, bw, sel, te, 8)
    cols = np.nonzero((work[20] == 0))[0]
    half = np.nonzero(norm[20] <= 160)[0]
    assert abs(cols.size - half.size) <= 1 and cols.size < np.count_nonzero(bw[20] == 0)
    assert ((work == 0) & (bw != 0)).sum() == 0              # it only removes


def test_a_few_faint_words_are_no_hand():
    """A few faint words on a page of dark ones are judged one by one
    against the dark writing: no second hand."""
    page = faint_page(1, 1.0)
    img = page.image.copy()
    faint = page.parts["faint"]
    # keep three faint words: paint the others' ink with the paper around
    ys, xs = np.nonzero(faint)
    keep = (ys < ys.min() + 40) & (xs < np.percentile(xs[ys < ys.min() + 40], 50))
    paper = np.median(img[~page.truth])
    grown = faint.copy()
    for dy in (-2, -1, 0, 1, 2):
        for dx in (-2, -1, 0, 1, 2):
            grown |= np.roll(np.roll(faint, dy, 0), dx, 1)
    erase = grown & ~page.truth | faint
    erase[ys[keep].min() - 3: ys[keep].max() + 4, xs[keep].min() - 3: xs[keep].max() + 4] = False
    img[erase] = paper
    info = {}
    bw = ocrprep.binarize(img, info=info)
    assert info["faint_hand"] is None


@pytest.mark.parametrize("seed", [0, 2])   # a white and a black table
def test_document_on_a_backdrop(seed, monkeypatch):
    """A papyrus-like fragment photographed on a table: the table comes out
    white, the writing black."""
    page = backdrop_page(seed, 0.6)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    f, p, r = scores(bw, page.truth)
    assert info["backdrop"] > 0.3 and f > 60 and r > 0.95
    # far from the writing (the image border) no ink at all
    border = np.ones(bw.shape, bool)
    border[40:-40, 40:-40] = False
    assert np.count_nonzero(bw[border] == 0) == 0
    monkeypatch.setattr(auto, "BACKDROP", False)
    assert scores(ocrprep.binarize(page.image), page.truth)[0] < f - 5


@pytest.mark.parametrize("seed", [0, 1])
def test_noisy_low_contrast_page_is_not_blank(seed):
    """Grey text 50 levels under the paper, noise of sigma 18, blur and a
    lighting gradient: smoothed and thresholded between the paper and the
    ink (it used to come out blank)."""
    page = noisy_page(seed, 0.7)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    f, _, r = scores(bw, page.truth)
    assert info["smoothing_passes"] >= 2
    assert f > 55 and r > 0.6


@pytest.mark.tesseract
def test_small_noisy_type_is_read(tesseract, monkeypatch):
    """8-pt type at 200 dpi under noise of sigma 18: the smoothed page is
    thresholded halfway between the paper and the ink, not at the noise
    floor (which cut the small letters into pieces); Tesseract reads the
    words, and reads more of them than after the noise-floor threshold."""
    import pytesseract
    from PIL import Image

    page = noisy_page(0, 0.7)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    assert info["noisy_threshold"] is not None and info["noisy_threshold"] > info["noise_floor"]
    got = word_recovery(page.text, pytesseract.image_to_string(Image.fromarray(bw)))
    monkeypatch.setattr(auto, "_noisy_ink_level", lambda nhist, med, sigma: med - 3.0 * sigma)
    floor = word_recovery(page.text, pytesseract.image_to_string(Image.fromarray(ocrprep.binarize(page.image))))
    assert got >= 0.8 and got > floor + 0.05, (got, floor)


def _components_found(bw, truth):
    """Share of the rendered ink's components (letters; the small ones:
    dots of i and j) that the binarized page touches."""
    labels, areas = ocrprep.label_components(np.where(truth, 0, 255).astype(np.uint8))
    hit = np.zeros(areas.size, bool)
    hit[labels[bw == 0]] = True
    small = areas[1:] < 0.3 * np.median(areas[1:])
    return hit[1:].mean(), hit[1:][small].mean()


@pytest.mark.parametrize("seed", [11, 12])
def test_noisy_page_keeps_the_pieces_of_its_letters(seed, monkeypatch):
    """8-pt type at 200 dpi under noise of sigma 18: the dots of i and j and
    the pieces of strokes the noise cut are too shallow or too small for
    the component tests, but lie beside the writing; they are kept (letter
    pieces), noise far from the writing is not."""
    page = noisy_page(seed, 0.7)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    letters, dots = _components_found(bw, page.truth)
    monkeypatch.setattr(auto, "PIECE_REACH", 0.0)
    old = ocrprep.binarize(page.image)
    old_letters, old_dots = _components_found(old, page.truth)
    assert info["letter_pieces"] > 5
    assert letters > old_letters + 0.01 and dots > old_dots + 0.15, (letters, old_letters, dots, old_dots)
    assert scores(bw, page.truth)[0] > scores(old, page.truth)[0] - 1.0
    # each added piece reaches within 2 stroke widths of the writing kept without them
    added = (bw == 0) & (old != 0)
    labels, areas = ocrprep.label_components(np.where(added, 0, 255).astype(np.uint8))
    grown = ocrprep.erode(old, 2 * int(round(2.0 * info["stroke_width"])) + 1) == 0
    near = np.zeros(areas.size, bool)
    near[labels[added & grown]] = True
    assert areas.size - 1 == info["letter_pieces"] and near[1:].all()
    monkeypatch.undo()
    np.testing.assert_array_equal(ocrprep.binarize(page.image, threads=2), bw)   # same on any number of threads


def test_noisy_blank_page_stays_blank(rng):
    page = np.clip(rng.normal(200, 18, (400, 600)), 0, 255).astype(np.uint8)
    assert np.count_nonzero(ocrprep.binarize(page) == 0) == 0


@pytest.mark.parametrize("seed", [0, 2])
def test_book_edges_are_removed_text_on_the_border_kept(seed, monkeypatch):
    """The dark edge of a bound volume and the table under it come out
    white; lines of text touching the border stay."""
    page = book_page(seed, 0.6)
    info = {}
    bw = ocrprep.binarize(page.image, info=info)
    f, _, r = scores(bw, page.truth)
    assert info["border_removed"] >= 1 and f > 70 and r > 0.95
    monkeypatch.setattr(auto, "BORDER_SPAN", 0.0)
    assert scores(ocrprep.binarize(page.image), page.truth)[0] < f


@pytest.mark.tesseract
def test_recognition_default_reads_noisy_pages_and_ruled_tables(tesseract):
    """``recognize`` without preprocessing asked for: Tesseract alone reads
    (almost) nothing of a noisy low-contrast page or of a ruled table; the
    default keeps the binarized reading (issue 13 item 6)."""
    import pytesseract
    from PIL import Image

    for page, want in ((noisy_page(2, 1.0), 0.9), (table_page(2, 1.0), 0.8)):
        plain = word_recovery(page.text, pytesseract.image_to_string(Image.fromarray(page.image)))
        result = ocrprep.recognize(page.image)[0]
        got = word_recovery(page.text, result.recognition_text)
        assert plain < 0.3 and got >= want, (page.kind, plain, got)
        assert any("automatic binarization" in w for w in result.warnings)


def test_noisy_threshold_lies_halfway_between_paper_and_ink(rng):
    """Paper N(200, 5) and ink N(ink, 5), a tenth of the pixels: the
    threshold of a smoothed noisy page is the midpoint of the two classes
    (185 for ink at 170, 180 for ink at 160), and never within 2 sigma of
    the paper (ink at 186: 190)."""
    for ink, want in ((170.0, 185.0), (160.0, 180.0), (186.0, 190.0)):
        values = np.concatenate([rng.normal(200, 5, 90000), rng.normal(ink, 5, 10000)])
        hist = np.bincount(np.clip(np.round(values), 0, 255).astype(int), minlength=256)
        level = auto._noisy_ink_level(hist, 200.0, 5.0)
        assert abs(level - want) < 1.5, (ink, level)


def test_second_hand_needs_many_sharp_candidates():
    sharp = np.full(30, 3.0)
    assert auto._second_hand(sharp, 3.5, 100) == 3.0          # 30 % of the writing, 0.86 as sharp
    assert auto._second_hand(sharp[:10], 3.5, 100) is None    # 10 %: a few words, judged one by one
    assert auto._second_hand(sharp * 0.8, 3.5, 100) is None   # diffused as a whole: what shows through
    assert auto._second_hand(sharp[:0], 3.5, 100) is None


def test_word_groups_join_letters_on_a_line_within_the_gap(rng):
    """The vectorised grouping equals the plain definition: two components
    are in one word when their rows overlap by half the lower's height and
    the one starting later starts within WORD_GAP of the taller's height
    (and of its own reach) after the other ends - transitively."""
    for _ in range(40):
        n = int(rng.integers(1, 120))
        y0, hgt = rng.integers(0, 200, n), rng.integers(3, 30, n)
        x0, wid = rng.integers(0, 600, n), rng.integers(1, 25, n)
        st = {"y0": np.r_[0, y0], "y1": np.r_[0, y0 + hgt - 1], "x0": np.r_[0, x0], "x1": np.r_[0, x0 + wid - 1]}
        cand = np.r_[False, rng.random(n) < 0.8]
        groups = auto._word_groups(st, cand)
        idx = np.nonzero(cand)[0]
        root = {int(c): int(c) for c in idx}

        def find(c):
            while root[c] != c:
                c = root[c]
            return c

        order = idx[np.argsort(st["x0"][idx], kind="stable")]
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                ha, hb = st["y1"][a] - st["y0"][a] + 1, st["y1"][b] - st["y0"][b] + 1
                rows = min(st["y1"][a], st["y1"][b]) - max(st["y0"][a], st["y0"][b]) + 1
                gap = st["x0"][b] - st["x1"][a]
                if (st["x0"][b] <= st["x1"][a] + auto.WORD_GAP * ha + 1 and rows >= 0.5 * min(ha, hb)
                        and gap <= auto.WORD_GAP * max(ha, hb) + 1):
                    root[find(int(b))] = find(int(a))
        assert (groups[~cand] == -1).all()
        for a in idx:
            for b in idx:
                assert (groups[a] == groups[b]) == (find(int(a)) == find(int(b)))


def test_colour_block_statistics_measured_as_written_equal_the_separate_pass():
    """The colour page's block statistics, measured band by band while the
    ink channel is written, equal those of the finished ink channel."""
    from ocrprep.background import _block_means

    img = colour_page(5, 0.5).image
    for threads in (1, 2):
        stats = []
        ink, paper = auto._ink_channel(img, None, threads, stats)
        assert paper is not None and stats
        means, mins, (up, mx), b = stats[0]
        want_mins, want_upper = [], []
        want_means, want_b = _block_means(ink, threads, want_mins, want_upper)
        assert b == want_b
        assert np.array_equal(means, want_means) and np.array_equal(mins, want_mins[0])
        assert np.array_equal(up, want_upper[0]) and np.array_equal(mx, want_upper[1])
        plain, _ = auto._ink_channel(img, None, threads)
        assert np.array_equal(plain, ink)


def test_colour_page_any_layout_gives_the_same_result():
    """A colour page as packed RGB, RGBA, a flipped (negative-stride) view
    and a channel-planar copy binarizes identically."""
    img = colour_page(6, 0.4).image
    want = ocrprep.binarize(img)
    rgba = np.dstack([img, np.full(img.shape[:2], 255, np.uint8)])
    planar = np.moveaxis(np.ascontiguousarray(np.moveaxis(img, 2, 0)), 0, 2)
    assert np.array_equal(ocrprep.binarize(rgba), want)
    assert np.array_equal(ocrprep.binarize(planar), want)
    flipped = img[:, ::-1]
    assert np.array_equal(ocrprep.binarize(flipped), ocrprep.binarize(np.ascontiguousarray(flipped)))


def _light_phrase_page(ink):
    """Cream, slightly shaded paper; dark lines of type, and one line that
    starts with a light phrase in ``ink`` followed, after a space, by dark
    words (the light phrase's first letters are far from any dark ink)."""
    from PIL import Image, ImageDraw
    from realpages import _font

    h, w = 360, 900
    font = _font(24)
    page = Image.new("RGB", (w, h), (225, 219, 206))
    mask = Image.new("L", (w, h), 0)
    draw, mdraw = ImageDraw.Draw(page), ImageDraw.Draw(mask)
    dark = "market harbour station village journey evening morning"
    for y in (40, 90, 190, 240):
        draw.text((40, y), dark, font=font, fill=(30, 30, 40))
    light = "Coloured ink is harder still."
    draw.text((40, 140), light, font=font, fill=ink)
    mdraw.text((40, 140), light, font=font, fill=255)
    x = 40 + draw.textlength(light + " ", font=font)
    draw.text((x, 140), "Preprocessing fixes this first.", font=font, fill=(30, 30, 40))
    rgb = np.asarray(page, np.float32)
    shade = np.linspace(1.0, 0.85, w, dtype=np.float32)[None, :, None]
    return np.clip(rgb * shade, 0, 255).astype(np.uint8), np.asarray(mask) >= 128


@pytest.mark.parametrize("ink", [(200, 171, 143), (150, 190, 150), (160, 160, 165)])
def test_a_light_phrase_starting_a_line_is_kept_on_a_colour_page(ink):
    # amber, light green, light grey ink: the phrase's colour says it lies on
    # the sheet, and its letters make a line with each other, though the dark
    # writing after it is farther than the line test's reach from its start
    img, light = _light_phrase_page(ink)
    out = ocrprep.binarize(img)
    found = (out == 0) & light
    assert found.sum() >= 0.8 * light.sum(), (found.sum(), light.sum())
    # its first letters too, not only the ones near the dark words
    first = light.copy()
    first[:, 120:] = False
    assert ((out == 0) & first).sum() >= 0.8 * first.sum()
