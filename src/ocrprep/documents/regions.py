"""Region detection shared by the document recognisers: ink components, text bars, line bands.

Built on ocrprep's own kernels: :func:`ocrprep.binarize` for ink,
:func:`ocrprep.erode` to smear the characters of a text line into one bar,
:func:`ocrprep.label_components` and a per-component statistics loop
(``_regions.pyx``) for boxes and orientations.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..binarize import binarize
from ..color import flatten_alpha, to_grayscale
from ..components import label_components
from ..geometry import scale
from ..morphology import erode
from ._regions import component_stats

__all__ = ["Blob", "blobs", "gray_of", "ink_of", "text_bars", "char_height", "row_bands", "reduce_to"]


@dataclass(frozen=True)
class Blob:
    """One connected component: bounding box, pixel count and principal-axis geometry.

    ``angle`` is the direction of the long axis in degrees, in image
    coordinates (rows going down, so a line rising to the right has a
    negative angle); ``length`` and ``thickness`` are the extents along and
    across that axis of a uniform bar with the same second moments.
    """

    x0: int
    y0: int
    x1: int
    y1: int
    area: int
    cx: float
    cy: float
    angle: float
    length: float
    thickness: float

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def end_points(self):
        """The two ends of the long axis, left one first."""
        a = math.radians(self.angle)
        dx, dy = math.cos(a) * self.length / 2, math.sin(a) * self.length / 2
        p, q = (self.cx - dx, self.cy - dy), (self.cx + dx, self.cy + dy)
        return (p, q) if p[0] <= q[0] else (q, p)


def gray_of(img) -> np.ndarray:
    """A 2-D uint8 grey image of ``img`` (grey or RGB/RGBA; transparent pixels are paper)."""
    img = _checks.image_gray_or_color(img)
    return img if img.ndim == 2 else to_grayscale(flatten_alpha(img))


def ink_of(gray: np.ndarray, method: str = "auto") -> np.ndarray:
    """Binary page (ink 0, paper 255) of a grey image."""
    return binarize(gray, method)


def reduce_to(gray: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """``gray`` scaled down so its longer side is at most ``max_side``; returns (image, factor applied)."""
    h, w = gray.shape[:2]
    side = max(h, w)
    if side <= max_side:
        return gray, 1.0
    f = max_side / side
    return scale(gray, f), f


def blobs(bw: np.ndarray, min_area: int = 1) -> list[Blob]:
    """The ink components (pixels < 128) of a binary image with their geometry."""
    labels, areas = label_components(bw)
    n = len(areas) - 1
    if n <= 0:
        return []
    boxes = np.empty((n + 1, 4), np.int64)
    mom = np.empty((n + 1, 6), np.float64)
    component_stats(labels, n, boxes, mom)
    out = []
    for k in range(1, n + 1):
        m = mom[k]
        cnt = m[0]
        if cnt < max(1, min_area):
            continue
        cx, cy = m[1] / cnt, m[2] / cnt
        vxx = m[3] / cnt - cx * cx
        vyy = m[4] / cnt - cy * cy
        vxy = m[5] / cnt - cx * cy
        theta = 0.5 * math.atan2(2 * vxy, vxx - vyy)
        tr, det = vxx + vyy, vxx * vyy - vxy * vxy
        disc = math.sqrt(max(tr * tr / 4 - det, 0.0))
        major, minor = tr / 2 + disc, max(tr / 2 - disc, 0.0)
        x0, y0, x1, y1 = (int(v) for v in boxes[k])
        out.append(Blob(x0, y0, x1, y1, int(cnt), cx, cy, math.degrees(theta),
                        math.sqrt(12 * major + 1), math.sqrt(12 * minor + 1)))
    return out


def char_height(bw: np.ndarray, low: int = 6, high: int | None = None) -> float:
    """The typical height of character-like ink components (median), 0 when there are none."""
    h = bw.shape[0]
    high = high or max(low + 1, h // 6)
    heights = [b.height for b in blobs(bw, 8) if low <= b.height <= high and b.width <= 3 * b.height]
    return float(np.median(heights)) if heights else 0.0


def text_bars(bw: np.ndarray, gap: int) -> list[Blob]:
    """Ink smeared along rows by ``gap`` pixels, so each text line becomes one long component (bar)."""
    k = max(3, int(gap) | 1)
    smeared = erode(bw, (1, k))
    return blobs(smeared, 16)


def row_bands(bw: np.ndarray, min_height: int = 3, min_fill: float = 0.002) -> list[tuple[int, int]]:
    """Runs of rows holding ink: ``[(top, bottom), ...]`` (bottom exclusive)."""
    ink = (bw < 128).sum(axis=1)
    rows = ink > max(1, min_fill * bw.shape[1])
    bands, start = [], None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= min_height:
                bands.append((start, y))
            start = None
    if start is not None and len(rows) - start >= min_height:
        bands.append((start, len(rows)))
    return bands
