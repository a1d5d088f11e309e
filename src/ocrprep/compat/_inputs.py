"""Aspose.OCR's input-side classes over ocrprep's: OcrInput, ImageProcessing, PixelType."""
from __future__ import annotations

import os
from enum import IntEnum

import numpy as np

from ..errors import InvalidParameterError, ParameterTypeError
from ..inputs import InputType
from ..io import windows_path
from ..inputs import OcrInput as _NativeInput
from ..processing import ImageProcessing as _NativeProcessing

__all__ = ["OcrInput", "ImageProcessing", "PixelType", "native_path"]


class PixelType(IntEnum):
    """Layout of raw pixels given to ``OcrInput.add(arr, width, height, pixel_type)``."""

    BYTE = 0  # one grey byte per pixel, or one bit per pixel packed 8 to a byte
    RGB = 1
    RGBA = 2
    BGR = 3


def native_path(source):
    """Paths written on Windows (``"Data\\\\OCR\\\\a.png"``) found on POSIX (:func:`ocrprep.io.windows_path`)."""
    return windows_path(source)


def _pixels(data, width, height, pixel_type) -> np.ndarray:
    """Raw pixels (bytes, a flat list or an array) as an image array."""
    try:
        pixel_type = PixelType(int(pixel_type)) if not isinstance(pixel_type, PixelType) else pixel_type
    except (TypeError, ValueError):
        raise InvalidParameterError(f"pixel_type must be a PixelType, got {pixel_type!r}") from None
    w, h = int(width), int(height)
    if w <= 0 or h <= 0:
        raise InvalidParameterError(f"width and height must be positive, got {w} x {h}")
    if isinstance(data, (bytes, bytearray, memoryview)):
        flat = np.frombuffer(bytes(data), np.uint8)
    else:  # 16-bit, float or bool samples keep their type: OcrInput scales them as it does any array
        flat = np.asarray(data).ravel()
        if flat.dtype != bool and not (np.issubdtype(flat.dtype, np.integer) or np.issubdtype(flat.dtype, np.floating)):
            raise ParameterTypeError(f"pixels must be bytes or numbers, got {flat.dtype} values")
        if not isinstance(data, np.ndarray) and np.issubdtype(flat.dtype, np.integer) and flat.size:
            lo, hi = int(flat.min()), int(flat.max())
            if lo < 0 or hi > 255:  # a list of byte values: nothing says what a 300 would mean
                raise InvalidParameterError(f"pixel values must be bytes (0..255), got {lo if lo < 0 else hi}; "
                                            "pass deeper samples as a numpy array of their type (uint16...)")
            flat = flat.astype(np.uint8)
    channels = {PixelType.BYTE: 1, PixelType.RGB: 3, PixelType.BGR: 3, PixelType.RGBA: 4}[pixel_type]
    if (pixel_type is PixelType.BYTE and flat.dtype == np.uint8 and flat.size == (w + 7) // 8 * h
            and flat.size != w * h):
        bits = np.unpackbits(flat.reshape(h, (w + 7) // 8), axis=1)[:, :w]
        return np.where(bits == 1, 255, 0).astype(np.uint8)
    if flat.size != w * h * channels:
        raise InvalidParameterError(
            f"{flat.size} values do not make a {w} x {h} {pixel_type.name} image ({w * h * channels} expected)"
        )
    img = flat.reshape((h, w) if channels == 1 else (h, w, channels))
    return np.ascontiguousarray(img[..., ::-1]) if pixel_type is PixelType.BGR else img.copy()


class OcrInput(_NativeInput):
    """Aspose.OCR's ``OcrInput`` (see :class:`ocrprep.OcrInput`).

    ``add(path_or_stream[, start_page, pages_number])`` (0-based start page),
    ``add(pixels, width, height, pixel_type)`` for raw pixels, ``add_base64``,
    ``clear``, ``count``, ``replace_filters``, ``clear_filters``, ``get_input_type``.
    """

    def add(self, source, *args, **kwargs) -> None:
        if _is_pixel_call(source, args, kwargs):
            return super().add(_pixels(source, *args))
        if "pages_number" in kwargs:
            kwargs["pages_count"] = kwargs.pop("pages_number")
        return super().add(native_path(source), *args, **kwargs)


def _is_pixel_call(source, args, kwargs) -> bool:
    """``add(pixels, width, height, pixel_type)``: raw pixels (not a path) and a pixel type."""
    if len(args) != 3 or kwargs:
        return False
    pixel_type = args[2]
    if isinstance(pixel_type, bool) or not isinstance(pixel_type, (PixelType, int)):
        return False
    if isinstance(source, np.ndarray):
        return source.ndim == 1
    return isinstance(source, (bytes, bytearray, memoryview, list))


class ImageProcessing(_NativeProcessing):
    """Aspose.OCR's ``ImageProcessing``: ``save`` returns the processed pages as a new :class:`OcrInput`."""

    @staticmethod
    def save(images, folder_path, **options) -> OcrInput:
        """Filter every page of ``images`` and write it into ``folder_path`` (see :meth:`ocrprep.ImageProcessing.save`).

        Returns
        -------
        OcrInput
            A ``SINGLE_IMAGE`` input of the written files, in page order,
            without filters (they are already applied): give it to
            ``recognize`` or ``calculate_skew``; ``clear()`` empties it.
        """
        if not isinstance(folder_path, (str, os.PathLike)):
            raise ParameterTypeError(f"folder_path must be a path, got {type(folder_path).__name__}")
        written = _NativeProcessing.save(images, native_path(folder_path), **options)
        out = OcrInput(InputType.SINGLE_IMAGE)
        for path in written:
            out.add(os.fspath(path))
        return out

    @staticmethod
    def render(images) -> OcrInput:
        """Filter every page of ``images`` in memory (Aspose's ``ImageProcessing.render``).

        Returns
        -------
        OcrInput
            A ``SINGLE_IMAGE`` input of the processed pages (numpy images, named
            after their sources), without filters: give it to ``recognize``,
            iterate over it, or ``clear()`` it.
        """
        out = OcrInput(InputType.SINGLE_IMAGE)
        for page in _NativeProcessing.render(images):
            out.add(page.image, name=page.source or None)
        return out
