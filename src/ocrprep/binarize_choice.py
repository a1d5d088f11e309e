"""Recognition's default preprocessing: whether ocrprep's binarization helps
Tesseract on this page.

Tesseract binarizes every page itself (Otsu's global threshold, by
default), which reads clean pages perfectly and fails on exactly the pages
:func:`ocrprep.binarize` is made for: noisy low-contrast scans, shaded or
coloured photographs, faint ink.  Binarizing every page first would cost a
second pass on the clean ones and can lose what Tesseract's grey-level
classifier gets from anti-aliased edges, so the choice is made per page
(when the caller asked for no preprocessing of its own):

1. the page is recognised as it is;
2. when Tesseract found no word, or their mean confidence is below
   LOW_CONFIDENCE - or when the automatic binarization and Otsu's global
   threshold (what Tesseract applies) disagree on more than
   OTSU_DISAGREEMENT of the ink: light or coloured words on shaded paper
   vanish under Otsu without lowering the confidence of the words that
   remain - the page is binarized automatically and recognised again;
3. when that reading is still unsure, the binarized page without its ruling
   lines (:func:`ocrprep.tables.erase_rules`; Tesseract's layout analysis
   takes a ruled table for a picture and reads nothing in it) is tried too;
4. the reading with more *expected correct words* - the sum of the words'
   confidences over 100 - is kept (the earlier one on a tie).

The confidence test follows Tesseract's own documentation, which names
binarization as the first remedy for low-confidence output ("Improving the
quality of the output": the image is binarized internally, and Otsu fails
on uneven backgrounds).
"""
from __future__ import annotations

import numpy as np

__all__ = ["recognize_best", "reading_score", "LOW_CONFIDENCE"]

#: Below this mean word confidence (0-100) the binarized page is tried too.
LOW_CONFIDENCE = 75.0
#: ... and when this share of the automatic binarization's ink (or more) is
#: paper under Otsu's threshold, or the reverse.
OTSU_DISAGREEMENT = 0.15


def reading_score(data) -> tuple[float, int, float]:
    """(expected correct words, words, mean confidence) of Tesseract's TSV
    data (a dict of lists with ``text`` and ``conf``); words with a negative
    confidence (layout rows) or no text do not count.

    Examples
    --------
    >>> reading_score({"text": ["", "Hello", "world"], "conf": [-1, 90, 70]})
    (1.6, 2, 80.0)
    >>> reading_score({"text": [], "conf": []})
    (0.0, 0, 0.0)
    """
    confs = [float(c) for t, c in zip(data.get("text", []), data.get("conf", []))
             if str(t).strip() and float(c) >= 0]
    if not confs:
        return 0.0, 0, 0.0
    return round(sum(confs) / 100.0, 6), len(confs), sum(confs) / len(confs)


def recognize_best(img, run, *, binarize=None, erase_rules=None, low_confidence: float = LOW_CONFIDENCE):
    """Recognise ``img`` as it is and, while the reading is empty or
    unsure, binarized, then binarized without its ruling lines; keep the
    best reading.

    Parameters
    ----------
    img : ndarray
        The page (grey or colour).
    run : callable
        ``run(image) -> (data, extra)``: one recognition, ``data`` the TSV
        dict of Tesseract (``text``, ``conf`` lists).
    binarize, erase_rules : callable, optional
        The steps tried (default :func:`ocrprep.binarize` and
        :func:`ocrprep.tables.erase_rules`).
    low_confidence : float, optional
        Mean word confidence below which the next step is tried.

    Returns
    -------
    (image, data, extra, note)
        The image recognised, its reading, and ``None`` or a sentence saying
        which preprocessing was kept and why.

    Examples
    --------
    >>> import numpy as np
    >>> page = np.full((20, 20), 200, np.uint8)
    >>> readings = {False: ({"text": [], "conf": []}, None),
    ...             True: ({"text": ["ink"], "conf": [91]}, None)}
    >>> run = lambda im: readings[bool((im == 0).any())]
    >>> img, data, _, note = recognize_best(page, run, binarize=lambda im: np.zeros_like(im))
    >>> data["text"], note.startswith("recognised on the automatic binarization")
    (['ink'], True)
    """
    if binarize is None:
        from .binarize import binarize
    if erase_rules is None:
        from .tables import erase_rules
    data, extra = run(img)
    best = (img, data, extra, None)
    score, words, mean = reading_score(data)
    first = (words, mean)
    bw = None
    if words and mean >= low_confidence:
        bw = binarize(img)
        if not _disagrees_with_otsu(img, bw, binarize):
            return best
        words = 0   # read the binarized page too
    steps = (("the automatic binarization", lambda im: binarize(im) if bw is None else bw),
             ("the automatic binarization without its ruling lines", lambda im: erase_rules(im)))
    current = img
    for name, step in steps:
        if words and mean >= low_confidence:
            break
        nxt = step(current)
        if np.array_equal(nxt, current):
            continue
        current = nxt
        d, e = run(current)
        s, n, m = reading_score(d)
        if s > score:
            note = (f"recognised on {name}: {n} words, mean confidence {m:.0f} "
                    f"(the page as it was: {first[0]} words, {first[1]:.0f})")
            best, score = (current, d, e, note), s
        words, mean = n, m
    return best


def _disagrees_with_otsu(img, bw, binarize) -> bool:
    """Whether ``bw`` and Otsu's binarization of ``img`` differ on more than
    OTSU_DISAGREEMENT of the ink of either."""
    try:
        otsu = binarize(img, method="otsu")
    except TypeError:   # a binarize without methods (tests)
        return False
    a, b = bw < 128, otsu < 128
    ink = max(int(np.count_nonzero(a)), int(np.count_nonzero(b)), 1)
    return np.count_nonzero(a ^ b) > OTSU_DISAGREEMENT * ink


def _asks_for_nothing(opts, input_filters) -> bool:
    """Whether neither the input nor the settings preprocess the page."""
    asked = ("binarize", "threshold", "denoise", "contrast", "upscale", "lines_filtration")
    return (not len(input_filters) and not len(getattr(opts, "filters", ()))
            and not any(getattr(opts, name, None) for name in asked))


def recognize_default(img, big, factor, opts, input_filters, run, warnings):
    """The recognition step of :meth:`ocrprep.OcrEngine.iter_recognize`:
    ``run(big)`` when the caller chose its own preprocessing (or the page is
    already binary), else :func:`recognize_best` on ``big`` (the page at
    recognition scale ``factor``), noting in ``warnings`` when the binarized
    page was kept.  Returns ``(page image, data, extra)``: the page image
    stays the page as it was (the note says what Tesseract read)."""
    from .io import is_binary

    if not _asks_for_nothing(opts, input_filters) or is_binary(big):
        data, extra = run(big)
        return img, data, extra
    _, data, extra, note = recognize_best(big, run)
    if note:
        warnings.append(note)
    return img, data, extra
