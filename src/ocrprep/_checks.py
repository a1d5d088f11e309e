"""The one place that validates what users hand to ocrprep.

Kernels call these before dropping into Cython so that bad input becomes an
:class:`~ocrprep.errors.OcrprepError` with a message naming the problem,
never a crash inside a ``nogil`` loop.
"""
from __future__ import annotations

import numbers
import operator
import os

import numpy as np

from .errors import (
    ImageTypeError,
    InvalidImageError,
    InvalidParameterError,
    ParameterTypeError,
)

__all__ = [
    "image2d",
    "image_gray_or_color",
    "odd_size",
    "window_shape",
    "integer",
    "real",
    "threads",
    "output",
    "finish",
    "array_output",
    "MAX_SIDE",
    "output_size",
    "unit_column_stride",
    "window_in_image",
]


def _describe(obj) -> str:
    return type(obj).__name__


#: Largest number of rows or columns of an input image: the C loops index
#: rows and columns with ``int``.
MAX_SIDE = 2**31 - 1


def _not_masked(img, name: str) -> None:
    """Refuse a numpy masked array: the kernels would read the hidden pixels."""
    if isinstance(img, np.ma.MaskedArray):
        raise ImageTypeError(
            f"{name} is a numpy masked array; ocrprep reads every pixel and would ignore the mask: "
            f"fill the masked pixels first: {name}.filled(value)"
        )


def _source_hint(obj) -> str:
    """How to get an array from what was passed instead: a file, bytes, a PIL image, a list."""
    if isinstance(obj, (str, bytes, bytearray, os.PathLike)) or hasattr(obj, "read") or hasattr(obj, "getpixel"):
        return " (read files, bytes and PIL images into an array with ocrprep.imread first)"
    if isinstance(obj, (list, tuple)):
        return " (make it an array with np.asarray(img, np.uint8))"
    return ""


def _dtype_hint(dtype) -> str:
    """How to turn pixels of ``dtype`` into the uint8 the kernels take."""
    if dtype == bool:
        return " (convert a boolean mask with img.astype(np.uint8) * 255)"
    if np.issubdtype(dtype, np.floating):
        return " (scale floats in [0, 1] with (img * 255).round().astype(np.uint8))"
    if np.issubdtype(dtype, np.integer):
        return (" (scale 16-bit pixels with (img // 257).astype(np.uint8), 12-bit ones with img * 255 // 4095; "
                "ocrprep.imread(img), OcrInput and recognize convert them)")
    return ""


def _sides(img: np.ndarray, name: str, max_side: int) -> None:
    """Reject an image with more than ``max_side`` rows or columns (checked before any copy)."""
    h, w = img.shape[:2]
    if max(h, w) > max_side:
        raise InvalidImageError(
            f"{name} of shape {img.shape} is too large: at most {max_side:,} rows and columns"
        )


def image2d(img, name: str = "img", contiguous: bool = True, max_side: int = MAX_SIDE) -> np.ndarray:
    """Return ``img`` as a 2-D uint8 array, C-contiguous when ``contiguous``.

    Read-only arrays are accepted as they are; non-contiguous views are copied
    once (the kernels' fast path walks rows with unit stride).  Masked arrays
    are refused (:class:`ImageTypeError`), as are images with more than
    ``max_side`` rows or columns (:class:`InvalidImageError`, checked before
    any copy).
    """
    _not_masked(img, name)
    if not isinstance(img, np.ndarray):
        raise ImageTypeError(
            f"{name} must be a numpy.ndarray of dtype uint8, got {_describe(img)}{_source_hint(img)}"
        )
    if img.dtype != np.uint8:
        raise ImageTypeError(f"{name} must have dtype uint8, got {img.dtype}{_dtype_hint(img.dtype)}")
    if img.ndim != 2:
        hint = " (use ocrprep.to_grayscale for colour images)" if img.ndim == 3 else ""
        raise InvalidImageError(
            f"{name} must be a 2-D grayscale image, got {img.ndim}-D shape {img.shape}{hint}"
        )
    if img.size == 0:
        raise InvalidImageError(f"{name} is empty (shape {img.shape})")
    _sides(img, name, max_side)
    if contiguous and not img.flags.c_contiguous:
        img = np.ascontiguousarray(img)
    return img


def image_gray_or_color(img, name: str = "img") -> np.ndarray:
    """Validate a uint8 image that may be 2-D, or 3-D with 1, 3 or 4 channels."""
    _not_masked(img, name)
    if not isinstance(img, np.ndarray):
        raise ImageTypeError(
            f"{name} must be a numpy.ndarray of dtype uint8, got {_describe(img)}{_source_hint(img)}"
        )
    if img.ndim == 2:
        return image2d(img, name)
    if img.dtype != np.uint8:
        raise ImageTypeError(f"{name} must have dtype uint8, got {img.dtype}{_dtype_hint(img.dtype)}")
    if img.ndim != 3 or img.shape[2] not in (1, 3, 4):
        raise InvalidImageError(
            f"{name} must be 2-D (gray) or 3-D with 1, 3 or 4 channels, got shape {img.shape}"
        )
    if img.size == 0:
        raise InvalidImageError(f"{name} is empty (shape {img.shape})")
    _sides(img, name, MAX_SIDE)
    return img


def integer(value, name: str) -> int:
    """Return ``value`` as a Python int; bools, floats and strings are rejected."""
    if isinstance(value, bool):
        raise ParameterTypeError(f"{name} must be an integer, got bool {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise ParameterTypeError(
            f"{name} must be an integer, got {_describe(value)} {value!r}"
        ) from None


def real(value, name: str, low=None, high=None) -> float:
    """Return ``value`` as a finite float within [low, high] (bounds optional)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterTypeError(f"{name} must be a real number, got {_describe(value)} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise InvalidParameterError(f"{name} must be finite, got {value}")
    if low is not None and value < low:
        raise InvalidParameterError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise InvalidParameterError(f"{name} must be <= {high}, got {value}")
    return value


def odd_size(size, name: str = "size", low: int = 1, high: int = 255) -> int:
    """Validate an odd window size within [low, high]."""
    size = integer(size, name)
    if size < low or size > high:
        raise InvalidParameterError(f"{name} must be between {low} and {high}, got {size}")
    if size % 2 == 0:
        raise InvalidParameterError(f"{name} must be odd, got {size}")
    return size


def window_shape(size, name: str = "size", low: int = 1, high: int = 4095) -> tuple[int, int]:
    """Validate ``size`` given as one odd int or an ``(h, w)`` pair of odd ints."""
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise InvalidParameterError(f"{name} must be an int or a (height, width) pair, got {size!r}")
        return (odd_size(size[0], f"{name}[0]", low, high), odd_size(size[1], f"{name}[1]", low, high))
    s = odd_size(size, name, low, high)
    return (s, s)


def threads(value, npixels: int) -> int:
    """Resolve the ``threads=`` argument of a kernel to a worker count >= 1."""
    from ._parallel import auto_threads

    if value is None:
        return auto_threads(npixels)
    value = integer(value, "threads")
    if value < 1:
        raise InvalidParameterError(f"threads must be >= 1 or None (automatic), got {value}")
    return value


def output(out, shape, img=None, name: str = "out"):
    """Prepare the destination of a kernel.

    Returns ``(work, out)``: ``work`` is a C-contiguous uint8 array the kernel
    writes into; ``out`` is what the caller returns.  They differ when the
    user's ``out`` is strided or overlaps the input (an in-place call), in
    which case :func:`finish` copies ``work`` into ``out``.
    """
    if out is None:
        work = np.empty(shape, dtype=np.uint8)
        return work, work
    _not_masked(out, name)
    if not isinstance(out, np.ndarray):
        raise ImageTypeError(f"{name} must be a numpy.ndarray, got {_describe(out)}")
    if out.dtype != np.uint8:
        raise ImageTypeError(f"{name} must have dtype uint8, got {out.dtype}")
    if out.shape != tuple(shape):
        raise InvalidImageError(f"{name} has shape {out.shape}, expected {tuple(shape)}")
    if not out.flags.writeable:
        raise InvalidImageError(f"{name} is read-only")
    if out.flags.c_contiguous and (img is None or not np.may_share_memory(out, img)):
        return out, out
    return np.empty(shape, dtype=np.uint8), out


def array_output(out, shape, dtype, name: str = "out"):
    """Validate a user's destination array of a non-image result (e.g. a histogram).

    Returns ``out`` unchanged (``None`` when not given); it must be a
    writeable ndarray of exactly ``shape`` and ``dtype`` (any strides).
    """
    if out is None:
        return None
    _not_masked(out, name)
    dtype = np.dtype(dtype)
    if not isinstance(out, np.ndarray):
        raise ImageTypeError(f"{name} must be a numpy.ndarray of dtype {dtype}, got {_describe(out)}")
    if out.dtype != dtype:
        raise ImageTypeError(f"{name} must have dtype {dtype}, got {out.dtype}")
    if out.shape != tuple(shape):
        raise InvalidImageError(f"{name} has shape {out.shape}, expected {tuple(shape)}")
    if not out.flags.writeable:
        raise InvalidImageError(f"{name} is read-only")
    return out


def finish(work, out):
    """Copy the kernel's result into the user's ``out`` when they differ."""
    if work is not out:
        out[...] = work
    return out


def unit_column_stride(img: np.ndarray) -> np.ndarray:
    """Return ``img`` (already validated) with unit column stride, copying only if needed.

    Kernels that walk rows through a pointer and a row stride accept crops,
    row-strided and flipped views without a copy this way.
    """
    if img.strides[1] != 1:
        img = np.ascontiguousarray(img)
    return img


def window_in_image(window: int, shape, name: str = "window") -> int:
    """Reject a (validated, odd) window larger than the image in both directions.

    The rule of the local-threshold family: the window may exceed one side
    (the border rule supplies the missing rows or columns), but not both, i.e. ``window <= max(height, width)``.
    """
    h, w = shape[:2]
    if window > max(h, w):
        raise InvalidParameterError(
            f"{name} {window} is larger than the image ({h}x{w}): "
            f"use an odd {name} <= {max(h, w)}"
        )
    return window


#: Largest output (height x width pixels) a kernel that creates a new canvas
#: (rotate with ``expand``, scale, resize) will allocate: 2**29, about 537
#: megapixels.  Set ``OCRPREP_MAX_OUTPUT_PIXELS`` or assign
#: ``ocrprep._checks.MAX_OUTPUT_PIXELS`` to change it.
MAX_OUTPUT_PIXELS = int(os.environ.get("OCRPREP_MAX_OUTPUT_PIXELS", 1 << 29))


def output_size(height: int, width: int, what: str = "output") -> tuple[int, int]:
    """Reject an output canvas with a side < 1 or more than :data:`MAX_OUTPUT_PIXELS` pixels."""
    if height < 1 or width < 1:
        raise InvalidParameterError(f"{what} size must be at least 1x1, got {width}x{height} (width x height)")
    if height * width > MAX_OUTPUT_PIXELS:
        raise InvalidParameterError(
            f"{what} of {width}x{height} pixels ({height * width:,}) exceeds the limit of "
            f"{MAX_OUTPUT_PIXELS:,} pixels (set OCRPREP_MAX_OUTPUT_PIXELS to raise it)"
        )
    return int(height), int(width)
