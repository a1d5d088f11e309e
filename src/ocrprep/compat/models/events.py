"""``aspose.ocr.models.events``: progress-event arguments.

ocrprep has no progress events (``OcrEngine.iter_recognize`` yields each
page's result as soon as it is ready instead); the class exists so programs
that import it load.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OcrPageRecognizeEventsArgs"]


@dataclass
class OcrPageRecognizeEventsArgs:
    """Which page is being recognised (never sent by ocrprep; see the module docstring)."""

    current_page: int = 0
    current_image: int = 0
    duration: float = 0.0
    file_name: str = ""
