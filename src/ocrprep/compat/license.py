"""Aspose.OCR's licensing classes: accepted, and nothing to do (ocrprep is open source).

``License().set_license(path)`` and ``Metered().set_metered_key(...)`` do
nothing but log, once per process, that no licence is needed; programs that
set a licence run unchanged.
"""
from __future__ import annotations

import logging
import threading

__all__ = ["License", "Metered"]

_log = logging.getLogger("ocrprep.compat")
_told = threading.Event()


def _tell_once() -> None:
    if not _told.is_set():
        _told.set()
        _log.info("ocrprep needs no licence: the Aspose.OCR licence call was accepted and ignored")


class License:
    """Aspose.OCR's ``License``: ``set_license(path_or_stream)`` is accepted and ignored."""

    def __init__(self):
        self._set = False

    def set_license(self, license_name=None) -> None:
        """Accept a licence file name or stream; ocrprep needs none (logged once)."""
        _tell_once()
        self._set = True

    @property
    def is_licensed(self) -> bool:
        """Always True: ocrprep is fully functional without a licence."""
        return True


class Metered:
    """Aspose.OCR's metered licensing: accepted and ignored; nothing is ever consumed."""

    def set_metered_key(self, public_key=None, private_key=None) -> None:
        _tell_once()

    def get_consumption_quantity(self) -> float:
        return 0.0

    def get_consumption_credit(self) -> float:
        return 0.0
