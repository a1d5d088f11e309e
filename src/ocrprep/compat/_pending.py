"""Aspose.OCR names implemented by other parts of ocrprep that may not be in this build.

Each name is looked up in its native module when first asked for; a build
without that module raises :class:`~ocrprep.NotSupportedError` saying what
is missing (never an ``AttributeError`` for a name Aspose documents).
"""
from __future__ import annotations

import importlib

from ..errors import NotSupportedError

#: Aspose name -> (native module, attribute there, what it is)
PENDING = {
    "SaveFormat": ("ocrprep.export", "SaveFormat", "result export (ocrprep.export)"),
    "PdfOptimizationMode": ("ocrprep.export", "PdfOptimizationMode", "result export (ocrprep.export)"),
    "SpellCheckLanguage": ("ocrprep.spellcheck", "SpellCheckLanguage", "spell checking (ocrprep.spellcheck)"),
    "SpellCheckError": ("ocrprep.spellcheck", "SpellCheckError", "spell checking (ocrprep.spellcheck)"),
    "SuggestedWord": ("ocrprep.spellcheck", "SuggestedWord", "spell checking (ocrprep.spellcheck)"),
    "PassportRecognitionSettings": ("ocrprep.documents", "PassportRecognitionSettings", "document recognizers (ocrprep.documents)"),
    "CarPlateRecognitionSettings": ("ocrprep.documents", "CarPlateRecognitionSettings", "document recognizers (ocrprep.documents)"),
    "IDCardRecognitionSettings": ("ocrprep.documents", "IDCardRecognitionSettings", "document recognizers (ocrprep.documents)"),
    "ReceiptRecognitionSettings": ("ocrprep.documents", "ReceiptRecognitionSettings", "document recognizers (ocrprep.documents)"),
    "InvoiceRecognitionSettings": ("ocrprep.documents", "InvoiceRecognitionSettings", "document recognizers (ocrprep.documents)"),
    "Country": ("ocrprep.documents", "Country", "document recognizers (ocrprep.documents)"),
}


def lookup(name: str):
    """The native object behind a pending Aspose name, or NotSupportedError."""
    module, attr, what = PENDING[name]
    try:
        found = importlib.import_module(module)
    except ImportError:
        raise NotSupportedError(
            f"{name} is not available in this build of ocrprep: it belongs to {what}, which is not installed"
        ) from None
    try:
        return getattr(found, attr)
    except AttributeError:
        raise NotSupportedError(f"{name} is not available in this build of ocrprep: {module} does not provide it") from None


def available(names) -> list[str]:
    """Those of ``names`` whose native object can be imported."""
    out = []
    for name in names:
        try:
            lookup(name)
        except NotSupportedError:
            continue
        out.append(name)
    return out
