"""``aspose.ocr.spellchecker``: spell-checking names, from :mod:`ocrprep.spellcheck` when it is installed."""
from __future__ import annotations

from . import _pending

__all__ = _pending.available(["SpellCheckLanguage", "SpellCheckError", "SuggestedWord"])


def __getattr__(name):
    if name in ("SpellCheckLanguage", "SpellCheckError", "SuggestedWord"):
        return _pending.lookup(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
