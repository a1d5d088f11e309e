"""Preprocessing filters: one ordered pipeline for every front door.

A :class:`PreprocessingFilter` is an ordered list of :class:`Filter` objects.
Each filter is a name, its parameters and an optional ``area`` rectangle
``(x, y, width, height)``; with an area the filter sees only that part of the
page and every pixel outside it is left unchanged.

The same list is used everywhere — the Aspose-shaped classes, the CLI, the
HTTP service and the batch runner — through this stable interface::

    pipeline = PreprocessingFilter.from_spec(spec)   # JSON text, list, or "median,binarize"
    clean = pipeline.apply(img)                      # numpy uint8 in, numpy uint8 out
    spec = pipeline.to_json()                        # and back: from_json(to_json()) == pipeline
    text = str(pipeline)                             # "median(size=5),binarize()" (the short form)

Filter names (``ocrprep.filters.FILTERS``), parameters and what they call:

=====================  =============================================  ==============================
filter                 parameters (defaults)                          runs
=====================  =============================================  ==============================
binarize               method="auto"                                  :func:`ocrprep.binarize`
threshold              value (0 = automatic, 1..255)                  :func:`ocrprep.threshold`
binarize_and_dilate    size=3, method="auto"                          binarize, then thicken ink
dilate                 size=3  (thickens dark ink)                    grey-level :func:`ocrprep.erode`
erode                  size=3  (thins dark ink)                       grey-level :func:`ocrprep.dilate`
median                 size=3                                         :func:`ocrprep.median`
auto_denoising         (none)                                         :func:`ocrprep.auto_denoise`
contrast_correction    low_pct=1, high_pct=99                         :func:`ocrprep.contrast_stretch`
invert                 force=False (auto: only light-on-dark pages)   :func:`ocrprep.invert`
to_grayscale           (none)                                         :func:`ocrprep.to_grayscale`
rotate                 angle (degrees, counter-clockwise),            :func:`ocrprep.rotate`
                       expand=True (False inside an area)
scale                  ratio  (no area)                               :func:`ocrprep.scale`
resize                 width, height  (no area)                       :func:`ocrprep.resize`
auto_skew              max_angle=15                                   :func:`ocrprep.deskew`
dewarp                 (none; no area)                                :func:`ocrprep.dewarp`
=====================  =============================================  ==============================

"dilate" and "erode" follow the document convention of OCR tools (ink is
dark, paper is light): *dilate* grows the dark strokes, which is the
grey-level *erosion* (minimum filter), and vice versa.

Filters that keep the image's kind work per channel on RGB pages (median,
dilate, erode, invert, contrast_correction); the binarizing and denoising
ones convert colour to grey first.  Pages are never modified in place.
"""
from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple

import numpy as np

from . import _checks
from .binarize import METHODS
from .errors import InvalidParameterError, OcrprepError, ParameterTypeError

__all__ = ["Filter", "PreprocessingFilter", "Rectangle", "FILTERS", "parse_filters"]


class Rectangle(NamedTuple):
    """An area of the page: left ``x``, top ``y``, ``width``, ``height`` in pixels.

    Also has Aspose.OCR's ``left``, ``top``, ``right`` (``x + width``),
    ``bottom`` (``y + height``), ``is_empty`` and ``contains(x, y)``;
    ``Rectangle()`` is the empty rectangle.

    >>> r = Rectangle(10, 20, 30, 40)
    >>> r.right, r.bottom, r.contains(39, 59), r.contains(40, 20), Rectangle().is_empty
    (40, 60, True, False, True)
    """

    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0

    @property
    def left(self) -> int:
        return self.x

    @property
    def top(self) -> int:
        return self.y

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def is_empty(self) -> bool:
        return self.x == 0 and self.y == 0 and self.width == 0 and self.height == 0

    def contains(self, x, y) -> bool:
        """True when the point (x, y) lies inside (right and bottom edges excluded)."""
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height


# --------------------------------------------------------------------------- #
# parameter validation
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class _Param:
    name: str
    kind: str  # "int", "odd", "float", "bool", "choice"
    default: Any = None  # None with required=True -> must be given
    required: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple = ()

    def check(self, filter_name: str, value):
        label = f"{filter_name}({self.name}=...)"
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ParameterTypeError(f"{label}: {self.name} must be true or false, got {value!r}")
            return bool(value)
        if self.kind == "choice":
            if not isinstance(value, str):
                raise ParameterTypeError(f"{label}: {self.name} must be a string, got {value!r}")
            key = value.lower()
            if key not in self.choices:
                raise InvalidParameterError(
                    f"{label}: {self.name} must be one of {', '.join(self.choices)}, got {value!r}"
                )
            return key
        if self.kind in ("int", "odd"):
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # JSON clients send 3.0 sometimes
            v = _checks.integer(value, f"{filter_name} {self.name}")
            if self.kind == "odd" and v % 2 == 0:
                raise InvalidParameterError(f"{label}: {self.name} must be odd, got {v}")
        else:
            v = _checks.real(value, f"{filter_name} {self.name}")
        if (self.low is not None and v < self.low) or (self.high is not None and v > self.high):
            raise InvalidParameterError(
                f"{label}: {self.name} must be between {_fmt(self.low)} and {_fmt(self.high)}, got {_fmt(v)}"
            )
        return v


def _fmt(v):
    if v is None:
        return "any"
    return f"{v:g}" if isinstance(v, float) else str(v)


@dataclass(frozen=True)
class _Spec:
    name: str
    run: Callable  # (img, params: dict, threads) -> ndarray
    params: tuple = ()
    area: bool = True
    doc: str = ""


FILTERS: dict[str, _Spec] = {}

_ALIASES = {
    "deskew": "auto_skew",
    "autoskew": "auto_skew",
    "grayscale": "to_grayscale",
    "greyscale": "to_grayscale",
    "to_greyscale": "to_grayscale",
    "gray": "to_grayscale",
    "grey": "to_grayscale",
    "denoise": "auto_denoising",
    "auto_denoise": "auto_denoising",
    "contrast": "contrast_correction",
    "binarise": "binarize",
    "binarizeanddilate": "binarize_and_dilate",
}


def _register(name, params=(), area=True, doc=""):
    def deco(fn):
        FILTERS[name] = _Spec(name, fn, tuple(params), area, doc or (fn.__doc__ or "").strip())
        return fn

    return deco


def _canonical(name) -> str:
    if not isinstance(name, str):
        raise ParameterTypeError(f"a filter name must be a string, got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in FILTERS:
        raise InvalidParameterError(
            f"unknown filter {name!r}; available: {', '.join(FILTERS)}"
        )
    return key


# --------------------------------------------------------------------------- #
# kernels used by the filters (looked up on the package, so every kernel is
# the public, tested one)
# --------------------------------------------------------------------------- #
def _kernel(name: str):
    import importlib

    pkg = importlib.import_module("ocrprep")
    try:
        return getattr(pkg, name)
    except AttributeError:
        raise OcrprepError(f"this ocrprep build has no {name}() kernel (needed by a filter)") from None


def _gray(img, threads):
    if img.ndim == 2:
        return img
    if img.shape[2] == 1:
        return np.ascontiguousarray(img[..., 0])
    if img.shape[2] == 4:
        from .color import flatten_alpha

        img = flatten_alpha(img)  # transparent pixels are paper, not the black under them
    return _kernel("to_grayscale")(img, threads=threads)


def _per_channel(fn, img):
    """Apply a 2-D kernel to a grey page, or to each channel of a colour page."""
    if img.ndim == 2:
        return fn(img)
    out = np.empty(img.shape, np.uint8)
    for c in range(img.shape[2]):
        out[..., c] = fn(np.ascontiguousarray(img[..., c]))
    return out


_METHODS = tuple(METHODS)  # the binarize(method=...) names


@_register("binarize", [_Param("method", "choice", "auto", choices=_METHODS)])
def _binarize(img, p, threads):
    """Black ink on white paper; ``method="auto"`` picks its own parameters from the page."""
    return _kernel("binarize")(img, method=p["method"], threads=threads)


@_register("threshold", [_Param("value", "int", required=True, low=0, high=255)])
def _threshold(img, p, threads):
    """Pixels lighter than ``value`` become white, the others black (``0`` = automatic)."""
    return _kernel("threshold")(_gray(img, threads), p["value"], threads=threads)


@_register("binarize_and_dilate", [_Param("size", "odd", 3, low=1, high=255), _Param("method", "choice", "auto", choices=_METHODS)])
def _binarize_and_dilate(img, p, threads):
    """Binarize (automatically by default), then thicken the ink strokes by ``size``."""
    bw = _kernel("binarize")(img, method=p["method"], threads=threads)
    return _kernel("erode")(bw, p["size"], threads=threads) if p["size"] > 1 else bw


@_register("dilate", [_Param("size", "odd", 3, low=1, high=255)])
def _dilate(img, p, threads):
    """Thicken dark ink (grey-level minimum over a size x size square)."""
    erode = _kernel("erode")
    return _per_channel(lambda a: erode(a, p["size"], threads=threads), img)


@_register("erode", [_Param("size", "odd", 3, low=1, high=255)])
def _erode(img, p, threads):
    """Thin dark ink (grey-level maximum over a size x size square)."""
    dilate = _kernel("dilate")
    return _per_channel(lambda a: dilate(a, p["size"], threads=threads), img)


@_register("median", [_Param("size", "odd", 3, low=1, high=255)])
def _median(img, p, threads):
    """Median filter: removes salt-and-pepper noise, keeps edges."""
    if p["size"] == 1:
        return img.copy()
    median = _kernel("median")
    return _per_channel(lambda a: median(a, p["size"], threads=threads), img)


@_register("auto_denoising")
def _auto_denoising(img, p, threads):
    """Stronger classical denoise: background normalisation, median, small-speck removal."""
    return _kernel("auto_denoise")(_gray(img, threads), threads=threads)


@_register(
    "contrast_correction",
    [_Param("low_pct", "float", 1.0, low=0, high=100), _Param("high_pct", "float", 99.0, low=0, high=100)],
)
def _contrast_correction(img, p, threads):
    """Stretch the [low_pct, high_pct] percentile grey levels to the full 0..255 range."""
    if not p["low_pct"] < p["high_pct"]:
        raise InvalidParameterError(
            f"contrast_correction: low_pct ({p['low_pct']}) must be below high_pct ({p['high_pct']})"
        )
    stretch = _kernel("contrast_stretch")
    return _per_channel(lambda a: stretch(a, p["low_pct"], p["high_pct"], threads=threads), img)


@_register("invert", [_Param("force", "bool", False)])
def _invert(img, p, threads):
    """Turn a light-on-dark (negative) page into dark-on-light; ``force=True`` always inverts."""
    if not p["force"]:
        from .auto import is_inverted

        if not is_inverted(_gray(img, threads)):
            return img.copy()
    invert = _kernel("invert")
    return _per_channel(lambda a: invert(a, threads=threads), img)


@_register("to_grayscale")
def _to_grayscale(img, p, threads):
    """Colour to grey (ITU-R 601 luma, as Pillow's "L"); grey pages are copied."""
    return img.copy() if img.ndim == 2 else _gray(img, threads)


@_register("rotate", [_Param("angle", "float", required=True, low=-3600, high=3600), _Param("expand", "bool", True)])
def _rotate(img, p, threads):
    """Rotate counter-clockwise by ``angle`` degrees (the canvas grows to keep the page unless expand=False)."""
    return _kernel("rotate")(img, p["angle"], expand=p["expand"], threads=threads)


@_register("scale", [_Param("ratio", "float", required=True, low=1e-3, high=64)], area=False)
def _scale(img, p, threads):
    """Resize by ``ratio`` (area averaging when shrinking, bilinear when enlarging)."""
    return _kernel("scale")(img, p["ratio"], threads=threads)


@_register("upscale", [_Param("sharpen", "float", 1.0, low=0, high=4)], area=False)
def _upscale(img, p, threads):
    """Enlarge 2x for small text: bicubic, then a sharpening clamped to the local range (no halo)."""
    return _kernel("upscale")(img, sharpen=p["sharpen"])


@_register(
    "resize",
    [_Param("width", "int", required=True, low=1, high=1 << 17), _Param("height", "int", required=True, low=1, high=1 << 17)],
    area=False,
)
def _resize(img, p, threads):
    """Resize to exactly ``width`` x ``height`` pixels."""
    return _kernel("resize")(img, p["width"], p["height"], threads=threads)


@_register("auto_skew", [_Param("max_angle", "float", 15.0, low=0.1, high=45)])
def _auto_skew(img, p, threads):
    """Detect the skew of the text lines (within +-max_angle degrees) and straighten the page."""
    return _kernel("deskew")(img, max_angle=p["max_angle"], threads=threads)


@_register("dewarp", area=False)
def _dewarp(img, p, threads):
    """Straighten curled text lines (book pages; vertical displacements only, an approximation)."""
    return _kernel("dewarp")(img, threads=threads)


# --------------------------------------------------------------------------- #
# Filter
# --------------------------------------------------------------------------- #
def _area(area, filter_name: str):
    if area is None:
        return None
    if isinstance(area, dict):
        try:
            area = (area["x"], area["y"], area["width"], area["height"])
        except KeyError as exc:
            raise InvalidParameterError(f"{filter_name}: area dict needs x, y, width, height (missing {exc})") from None
    elif not isinstance(area, (tuple, list)) and all(hasattr(area, a) for a in ("x", "y", "width", "height")):
        area = (area.x, area.y, area.width, area.height)
    if not isinstance(area, (tuple, list)) or len(area) != 4:
        raise ParameterTypeError(
            f"{filter_name}: area must be (x, y, width, height), got {area!r}"
        )
    x, y, w, h = (_checks.integer(v, f"{filter_name} area.{k}") for v, k in zip(area, ("x", "y", "width", "height")))
    if x < 0 or y < 0:
        raise InvalidParameterError(f"{filter_name}: area x and y must be >= 0, got ({x}, {y})")
    if w < 1 or h < 1:
        raise InvalidParameterError(f"{filter_name}: area width and height must be >= 1, got ({w}, {h})")
    return Rectangle(x, y, w, h)


class Filter:
    """One preprocessing step: a filter ``name``, its ``params`` and an optional ``area``.

    Filters are immutable values: they compare equal when name, parameters
    and area are equal, print in the short form (``threshold(value=150)``) and
    convert to/from plain dicts (:meth:`to_dict`, :meth:`from_dict`).

    Parameters
    ----------
    name : str
        One of :data:`FILTERS` (aliases such as ``"deskew"`` are accepted).
    params : dict, optional
        Parameter values; missing ones take their defaults.
    area : (x, y, width, height), optional
        Apply only inside this rectangle (clipped to the page); pixels outside
        are unchanged.  ``scale`` and ``resize`` change the page size and take
        no area.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.filters import Filter
    >>> f = Filter("threshold", {"value": 100}, area=(0, 0, 2, 1))
    >>> f
    Filter('threshold', {'value': 100}, area=(0, 0, 2, 1))
    >>> img = np.array([[50, 150, 150], [50, 150, 150]], np.uint8)
    >>> f.apply(img)
    array([[  0, 255, 150],
           [ 50, 150, 150]], dtype=uint8)
    """

    __slots__ = ("_name", "_params", "_area")

    def __init__(self, name: str, params: dict | None = None, area=None):
        key = _canonical(name)
        spec = FILTERS[key]
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise ParameterTypeError(f"{key}: params must be a dict, got {type(params).__name__}")
        known = {p.name for p in spec.params}
        unknown = set(params) - known
        if unknown:
            accepted = ", ".join(sorted(known)) or "none"
            raise InvalidParameterError(
                f"{key}: unknown parameter(s) {', '.join(sorted(map(str, unknown)))} (accepted: {accepted})"
            )
        values = {}
        for p in spec.params:
            if p.name in params and params[p.name] is not None:
                values[p.name] = p.check(key, params[p.name])
            elif p.required:
                raise InvalidParameterError(f"{key}: missing required parameter {p.name!r}")
            else:
                values[p.name] = p.default
        if area is not None and not spec.area:
            raise InvalidParameterError(f"{key} changes the page size and cannot take an area")
        object.__setattr__(self, "_name", key)
        object.__setattr__(self, "_params", values)
        object.__setattr__(self, "_area", _area(area, key))

    def __setattr__(self, name, value):
        raise AttributeError("Filter objects are immutable")

    @property
    def name(self) -> str:
        return self._name

    @property
    def params(self) -> dict:
        """A copy of the parameter values (defaults filled in)."""
        return dict(self._params)

    @property
    def area(self) -> Rectangle | None:
        return self._area

    # ---- value semantics -------------------------------------------------
    def _key(self):
        return (self._name, tuple(sorted(self._params.items())), self._area)

    def __eq__(self, other):
        return isinstance(other, Filter) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        args = [repr(self._name)]
        if self._params:
            args.append(repr(self._params))
        if self._area is not None:
            args.append(f"area={tuple(self._area)}")
        return f"Filter({', '.join(args)})"

    def __str__(self):
        """Short form: ``name(param=value, ..., area=(x, y, w, h))``, non-default params only."""
        spec = FILTERS[self._name]
        parts = [
            f"{p.name}={self._params[p.name]!r}"
            for p in spec.params
            if p.required or self._params[p.name] != p.default
        ]
        if self._area is not None:
            parts.append(f"area={tuple(self._area)}")
        return f"{self._name}({', '.join(parts)})"

    # ---- serialisation ---------------------------------------------------
    def to_dict(self) -> dict:
        """``{"name": ..., "params": {...}, "area": [x, y, w, h]}`` (area only when set)."""
        d = {"name": self._name, "params": dict(self._params)}
        if self._area is not None:
            d["area"] = list(self._area)
        return d

    @classmethod
    def from_dict(cls, d) -> "Filter":
        """Build a filter from ``to_dict()`` output, a flat ``{"name": "median", "size": 5}``
        dict, or a short-form string such as ``"median(5)"``."""
        if isinstance(d, Filter):
            return d
        if isinstance(d, str):
            items = parse_filters(d)
            if len(items) != 1:
                raise InvalidParameterError(f"expected one filter, got {len(items)} in {d!r}")
            return items[0]
        if not isinstance(d, dict):
            raise ParameterTypeError(f"a filter spec must be a dict or a string, got {type(d).__name__}")
        if "name" not in d:
            raise InvalidParameterError(f"a filter spec needs a 'name', got {d!r}")
        params = d.get("params")
        flat = {k: v for k, v in d.items() if k not in ("name", "params", "area")}
        if params is None:
            params = flat
        elif flat:
            raise InvalidParameterError(f"{d['name']}: give parameters either flat or under 'params', not both")
        return cls(d["name"], params, d.get("area"))

    # ---- running ---------------------------------------------------------
    def apply(self, img, *, threads=None) -> np.ndarray:
        """Run the filter on a uint8 page (2-D grey or (H, W, 3|4) colour); returns a new array."""
        img = _checks.image_gray_or_color(img)
        _checks.threads(threads, 0)  # also when the filter has nothing to do (grey to_grayscale, median 1...)
        if img.ndim == 3 and img.shape[2] == 4:
            from .color import flatten_alpha

            img = flatten_alpha(img)  # transparent pixels are paper, not the black under them
        spec = FILTERS[self._name]
        if self._area is None:
            return spec.run(img, self._params, threads)
        h, w = img.shape[:2]
        x0, y0 = min(self._area.x, w), min(self._area.y, h)
        x1, y1 = min(self._area.x + self._area.width, w), min(self._area.y + self._area.height, h)
        if x1 <= x0 or y1 <= y0:
            raise InvalidParameterError(
                f"{self}: the area lies outside the {w}x{h} page"
            )
        region = np.ascontiguousarray(img[y0:y1, x0:x1])
        params = self._params
        if params.get("expand"):  # rotating inside an area keeps the area's size
            params = dict(params, expand=False)
        result = spec.run(region, params, threads)
        if result.shape[:2] != region.shape[:2]:
            raise InvalidParameterError(f"{self}: the filter changed the size of the area")
        out = img.copy()
        if result.ndim == 2 and out.ndim == 3:
            out[y0:y1, x0:x1] = result[..., None]
        else:
            out[y0:y1, x0:x1] = result
        return out


# --------------------------------------------------------------------------- #
# the short form: "median(5), threshold(value=150, area=(0, 0, 10, 10)), binarize"
# --------------------------------------------------------------------------- #
_ITEM = re.compile(r"^\s*([A-Za-z_][\w\-]*)\s*(?:\((.*)\))?\s*$", re.S)


def _split_top(text: str) -> list[str]:
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise InvalidParameterError(f"unbalanced ')' in filter list {text!r}")
        elif ch in ",;" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth or quote:
        raise InvalidParameterError(f"unbalanced brackets or quotes in filter list {text!r}")
    parts.append(text[start:])
    return [p for p in (s.strip() for s in parts) if p]


def _literal(node, where):
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        try:  # bare words such as method=otsu
            if isinstance(node, ast.Name):
                return {"true": True, "false": False}.get(node.id.lower(), node.id)
        except AttributeError:
            pass
        raise InvalidParameterError(f"{where}: arguments must be literals (numbers, strings, tuples)") from None
    return value


def parse_filters(text: str) -> list[Filter]:
    """Parse the short form used on command lines.

    ``"median,binarize,dilate"``, ``"median(5), threshold(150)"``,
    ``"threshold(value=150, area=(0, 0, 400, 200))"``: comma-separated filter
    names, each optionally followed by arguments in parentheses (positional
    in the order of the table in this module's docstring, or by keyword).

    Examples
    --------
    >>> from ocrprep.filters import parse_filters
    >>> parse_filters("median(5), threshold(150), dilate")
    [Filter('median', {'size': 5}), Filter('threshold', {'value': 150}), Filter('dilate', {'size': 3})]
    """
    if not isinstance(text, str):
        raise ParameterTypeError(f"a filter list must be a string, got {type(text).__name__}")
    out = []
    for item in _split_top(text):
        m = _ITEM.match(item)
        if not m:
            raise InvalidParameterError(f"cannot parse filter {item!r} (expected name or name(args))")
        name, args = m.group(1), m.group(2)
        key = _canonical(name)
        spec = FILTERS[key]
        params, area = {}, None
        if args and args.strip():
            try:
                call = ast.parse(f"f({args})", mode="eval").body
            except SyntaxError:
                raise InvalidParameterError(f"cannot parse the arguments of {item!r}") from None
            if not isinstance(call, ast.Call):  # pragma: no cover - defensive
                raise InvalidParameterError(f"cannot parse the arguments of {item!r}")
            positional = [p for p in spec.params]
            if len(call.args) > len(positional):
                raise InvalidParameterError(
                    f"{item!r}: {key} takes at most {len(positional)} positional argument(s)"
                )
            for p, node in zip(positional, call.args):
                params[p.name] = _literal(node, item)
            for kw in call.keywords:
                if kw.arg is None:
                    raise InvalidParameterError(f"{item!r}: ** is not allowed")
                value = _literal(kw.value, item)
                if kw.arg == "area":
                    area = value
                elif kw.arg in params:
                    raise InvalidParameterError(f"{item!r}: {kw.arg} given twice")
                else:
                    params[kw.arg] = value
        out.append(Filter(key, params, area))
    return out


# --------------------------------------------------------------------------- #
# PreprocessingFilter
# --------------------------------------------------------------------------- #
class _ClassProperty:
    def __init__(self, fget):
        self.fget = fget
        self.__doc__ = fget.__doc__

    def __get__(self, obj, cls):
        return self.fget(cls)


def _is_rectangle(value) -> bool:
    """A rectangle object (ocrprep's, or any with x, y, width and height), not a plain tuple."""
    return isinstance(value, Rectangle) or (
        not isinstance(value, (tuple, list, str, bytes, int, float, dict))
        and all(hasattr(value, a) for a in ("x", "y", "width", "height")))


def _factory(name):
    spec = FILTERS[name]
    names = [p.name for p in spec.params]

    def make(*args, area=None, **kwargs):
        if args and area is None and spec.area and _is_rectangle(args[-1]):
            # Aspose's overloads take the area last and positionally: invert(Rectangle(...)),
            # threshold(150, Rectangle(...)), rotate(5, Rectangle(...))
            *args, area = args
        if len(args) > len(names):
            raise ParameterTypeError(f"{name}() takes at most {len(names)} positional argument(s)")
        params = dict(zip(names, args))
        for k, v in kwargs.items():
            if k in params:
                raise ParameterTypeError(f"{name}() got {k} twice")
            params[k] = v
        return Filter(name, params, area)

    sig = ", ".join([p.name if p.required else f"{p.name}={p.default!r}" for p in spec.params] + (["area=None"] if spec.area else []))
    make.__name__ = name
    make.__qualname__ = f"PreprocessingFilter.{name}"
    make.__doc__ = f"{name}({sig}) -> Filter\n\n{spec.doc}"
    return staticmethod(make)


class PreprocessingFilter:
    """An ordered list of preprocessing filters, applied in the order added.

    Mirrors Aspose.OCR's ``PreprocessingFilter``: build one, ``add`` filters
    made by the static constructors, hand it to :class:`ocrprep.OcrInput`.
    It is also the pipeline object of the CLI, the HTTP service and the
    batch runner (:meth:`from_spec`, :meth:`apply`, :meth:`to_json`).

    Static constructors (each returns a :class:`Filter`; most accept
    ``area=(x, y, width, height)``): ``binarize()``, ``threshold(value)``,
    ``binarize_and_dilate()``, ``dilate()``, ``erode()``, ``median()``,
    ``auto_denoising()``, ``contrast_correction()``, ``invert()``,
    ``to_grayscale()``, ``rotate(angle)``, ``scale(ratio)``,
    ``resize(width, height)``, ``auto_skew()``, ``dewarp()``.

    ``PreprocessingFilter.default`` is a new list holding ``auto_skew()``;
    ``PreprocessingFilter.empty`` a new empty list.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep import PreprocessingFilter
    >>> filters = PreprocessingFilter()
    >>> filters.add(PreprocessingFilter.threshold(150))
    >>> filters.add(PreprocessingFilter.threshold(0, area=(0, 0, 1, 1)))
    >>> print(filters)
    threshold(value=150),threshold(value=0, area=(0, 0, 1, 1))
    >>> PreprocessingFilter.from_json(filters.to_json()) == filters
    True
    >>> PreprocessingFilter.from_spec("threshold(150)").apply(np.array([[100, 200]], np.uint8))
    array([[  0, 255]], dtype=uint8)
    """

    __slots__ = ("_filters",)

    def __init__(self, filters: Iterable | None = None):
        self._filters: list[Filter] = []
        if filters is not None:
            if isinstance(filters, (str, bytes)):
                raise ParameterTypeError("use PreprocessingFilter.from_spec(text) to parse a string")
            for f in filters:
                self.add(f)

    # ---- list behaviour ----------------------------------------------------
    def add(self, filter) -> None:
        """Append a filter (a :class:`Filter`, a dict spec or a short-form string)."""
        if isinstance(filter, PreprocessingFilter):
            self._filters.extend(filter._filters)
            return
        if not isinstance(filter, Filter):
            if isinstance(filter, (dict, str)):
                items = parse_filters(filter) if isinstance(filter, str) else [Filter.from_dict(filter)]
                self._filters.extend(items)
                return
            raise ParameterTypeError(
                f"add() takes a filter such as PreprocessingFilter.binarize(), got {type(filter).__name__}"
            )
        self._filters.append(filter)

    def extend(self, filters: Iterable) -> None:
        for f in filters:
            self.add(f)

    def clear(self) -> None:
        self._filters.clear()

    def copy(self) -> "PreprocessingFilter":
        return PreprocessingFilter(self._filters)

    def __len__(self):
        return len(self._filters)

    def __iter__(self):
        return iter(list(self._filters))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return PreprocessingFilter(self._filters[i])
        return self._filters[i]

    def __eq__(self, other):
        if isinstance(other, PreprocessingFilter):
            return self._filters == other._filters
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return f"PreprocessingFilter([{', '.join(map(repr, self._filters))}])"

    def __str__(self):
        """The short form, e.g. ``median(),threshold(value=150)``; :meth:`from_spec` reads it back."""
        return ",".join(map(str, self._filters))

    # ---- Aspose-style collections --------------------------------------------
    @_ClassProperty
    def default(cls) -> "PreprocessingFilter":
        """A new collection holding the default filter, ``auto_skew()``."""
        return cls([Filter("auto_skew")])

    @_ClassProperty
    def empty(cls) -> "PreprocessingFilter":
        """A new, empty collection."""
        return cls()

    # ---- serialisation ---------------------------------------------------
    def to_list(self) -> list[dict]:
        """The filters as a list of :meth:`Filter.to_dict` dicts (JSON-ready)."""
        return [f.to_dict() for f in self._filters]

    def to_json(self, indent: int | None = None) -> str:
        """JSON text: ``[{"name": "median", "params": {"size": 3}}, ...]``."""
        return json.dumps(self.to_list(), indent=indent)

    @classmethod
    def from_json(cls, spec) -> "PreprocessingFilter":
        """Read :meth:`to_json` output (text, or the already-decoded list).

        Also accepts ``{"filters": [...]}``, flat items (``{"name": "median",
        "size": 5}``) and short-form strings as items.
        """
        if isinstance(spec, (bytes, bytearray)):
            spec = spec.decode("utf-8")
        if isinstance(spec, str):
            try:
                spec = json.loads(spec)
            except json.JSONDecodeError as exc:
                raise InvalidParameterError(f"invalid filter JSON: {exc}") from None
        if isinstance(spec, dict) and "filters" in spec:
            spec = spec["filters"]
        if isinstance(spec, dict):
            spec = [spec]
        if not isinstance(spec, list):
            raise ParameterTypeError(f"a filter JSON spec must be a list, got {type(spec).__name__}")
        out = cls()
        for item in spec:
            out.add(Filter.from_dict(item))
        return out

    @classmethod
    def parse(cls, text: str) -> "PreprocessingFilter":
        """Read the short form (see :func:`parse_filters`)."""
        return cls(parse_filters(text))

    @classmethod
    def from_spec(cls, spec) -> "PreprocessingFilter":
        """The one entry point for user-supplied pipelines.

        ``spec`` may be ``None`` / ``""`` (no filters), a
        :class:`PreprocessingFilter`, a :class:`Filter`, a list (of Filters,
        dicts or short-form strings), JSON text (starting with ``[`` or
        ``{``) or the short form (``"median,binarize,dilate"``).
        """
        if spec is None:
            return cls()
        if isinstance(spec, PreprocessingFilter):
            return spec.copy()
        if isinstance(spec, Filter):
            return cls([spec])
        if isinstance(spec, (bytes, bytearray)):
            spec = spec.decode("utf-8")
        if isinstance(spec, str):
            text = spec.strip()
            if not text:
                return cls()
            if text[0] in "[{":
                return cls.from_json(text)
            return cls.parse(text)
        if isinstance(spec, (list, tuple, dict)):
            return cls.from_json(list(spec) if isinstance(spec, tuple) else spec)
        raise ParameterTypeError(f"cannot build filters from {type(spec).__name__}")

    # ---- running -----------------------------------------------------------
    def apply(self, img, *, threads=None) -> np.ndarray:
        """Run every filter in order on a uint8 page; returns a new array (the input is untouched)."""
        img = _checks.image_gray_or_color(img)
        _checks.threads(threads, 0)  # also for an empty pipeline
        if not self._filters:
            return img.copy()
        for f in self._filters:
            img = f.apply(img, threads=threads)
        return img

    __call__ = apply

    @property
    def binarizes(self) -> bool:
        """True when the pipeline already produces a binary page."""
        return any(f.name in ("binarize", "threshold", "binarize_and_dilate") for f in self._filters)


for _name in FILTERS:
    setattr(PreprocessingFilter, _name, _factory(_name))
del _name
