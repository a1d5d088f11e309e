"""One entry point to every binarization method ocrprep offers."""
from __future__ import annotations

import importlib

from . import _checks
from .errors import InvalidParameterError, ParameterTypeError

__all__ = ["binarize", "METHODS"]

#: method name -> (module, function).  Each function takes a 2-D uint8 image
#: plus its own keyword parameters and ``out=``/``threads=``.
METHODS = {
    "auto": ("auto", "auto_binarize"),
    "otsu": ("threshold", "_otsu_binarize"),
    "sauvola": ("sauvola", "sauvola"),
    "niblack": ("local", "niblack"),
    "wolf": ("local", "wolf"),
    "nick": ("local", "nick"),
    "bernsen": ("local", "bernsen"),
}


def binarize(img, method: str = "auto", *, out=None, threads=None, **params):
    """Convert a document image to black ink (0) on white paper (255).

    Parameters
    ----------
    img : (H, W) or (H, W, 3|4) uint8 ndarray
        Colour images are converted with :func:`ocrprep.to_grayscale` first;
        RGBA is first laid on white paper (:func:`ocrprep.flatten_alpha`).
    method : str
        ``"auto"`` (default; :func:`ocrprep.auto_binarize`, picks its own
        parameters from the image), ``"otsu"``, ``"sauvola"``, ``"niblack"``,
        ``"wolf"``, ``"nick"`` or ``"bernsen"``.
    out : (H, W) uint8 ndarray, optional
    threads : int or None, optional
    **params
        Parameters of the chosen method (e.g. ``window=25, k=0.2`` for Sauvola).

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> img = np.full((40, 40), 220, np.uint8); img[10:30, 18:22] = 30
    >>> bw = ocrprep.binarize(img, method="otsu")
    >>> sorted(np.unique(bw).tolist()), int((bw == 0).sum())
    ([0, 255], 80)
    """
    if not isinstance(method, str):
        raise ParameterTypeError(f"method must be a string, got {type(method).__name__}")
    key = method.lower()
    if key not in METHODS:
        raise InvalidParameterError(
            f"unknown binarization method {method!r}; choose one of {', '.join(METHODS)}"
        )
    img = _checks.image_gray_or_color(img)
    if img.ndim == 3 and img.shape[2] == 4:
        from .color import flatten_alpha

        img = flatten_alpha(img)  # transparent pixels are paper, not the black under them
    if img.ndim == 3 and key != "auto":
        from .color import to_grayscale

        img = to_grayscale(img, threads=threads)
    module, name = METHODS[key]
    fn = getattr(importlib.import_module(f".{module}", __package__), name)
    allowed = _keywords(fn)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ParameterTypeError(
            f"binarize(method={key!r}) got unexpected parameter(s) {', '.join(unknown)}; "
            f"it takes {', '.join(allowed) if allowed else 'no parameters'}"
        )
    return fn(img, out=out, threads=threads, **params)


def _keywords(fn) -> list:
    """The method's own parameters (besides the image, ``out`` and ``threads``)."""
    import inspect

    return [
        p.name for p in list(inspect.signature(fn).parameters.values())[1:]
        if p.name not in ("out", "threads") and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
