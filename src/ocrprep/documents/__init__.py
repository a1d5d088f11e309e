"""Recognisers for special documents (Aspose.OCR's ``recognize_passport``, ``recognize_id_card``,
``recognize_car_plate``, ``recognize_receipt``, ``recognize_invoice``,
``recognize_handwritten_text``, ``recognize_street_photo``).

The methods live on :class:`~ocrprep.OcrEngine` (through
:class:`DocumentRecognitionMixin`); this package holds the pieces they are
built from, usable on their own: the ICAO 9303 MRZ parser
(:func:`parse_mrz`, :func:`check_digit`), the MRZ finder/reader
(:func:`read_mrz`), the settings classes and :class:`DocumentResult`.
"""
from __future__ import annotations

import importlib

from .mixin import DocumentRecognitionMixin
from .mrz import FORMATS, MRZ_CHARS, MrzCheck, MrzData, check_digit, find_mrz_lines, parse_mrz
from .settings import (
    CarPlateRecognitionSettings,
    Country,
    DocumentRecognitionSettings,
    IDCardRecognitionSettings,
    InvoiceRecognitionSettings,
    PassportRecognitionSettings,
    ReceiptRecognitionSettings,
)

# loaded on first use: they pull in the image kernels and the OCR engine
_LAZY = {
    "DocumentResult": "result",
    "read_mrz": "mrz_zone",
    "find_mrz_zones": "mrz_zone",
    "MrzReading": "mrz_zone",
    "find_plates": "car_plate",
}

__all__ = [
    "DocumentRecognitionMixin",
    "DocumentResult",
    "FORMATS",
    "MRZ_CHARS",
    "MrzCheck",
    "MrzData",
    "MrzReading",
    "check_digit",
    "find_mrz_lines",
    "parse_mrz",
    "read_mrz",
    "find_mrz_zones",
    "find_plates",
    "Country",
    "DocumentRecognitionSettings",
    "PassportRecognitionSettings",
    "IDCardRecognitionSettings",
    "CarPlateRecognitionSettings",
    "ReceiptRecognitionSettings",
    "InvoiceRecognitionSettings",
]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
