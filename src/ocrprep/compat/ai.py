"""``aspose.ocr.ai``: Aspose's LLM post-processing — not applicable to ocrprep.

Aspose.OCR can send recognised text to a large language model (spelling,
keywords, tables).  ocrprep runs no language models; every class here
raises :class:`~ocrprep.NotSupportedError` when created, so a program
fails with the reason instead of an ``AttributeError``.  Spell checking is
available without a language model (``RecognitionResult.get_spell_check_corrected_text``).
"""
from __future__ import annotations

from enum import IntEnum

from ..errors import NotSupportedError

__all__ = [
    "AIResult", "AsposeAI", "AsposeAIModelConfig", "IOcrAIPostProcessor", "KeywordsAIProcessor",
    "SpellCheckAIProcessor", "TableAIProcessor", "NaturalLanguageQueryAIProcessor", "AITableDetectionMode",
]


class _NotApplicable:
    def __init__(self, *args, **kwargs):
        raise NotSupportedError(
            f"{type(self).__name__} (aspose.ocr.ai) is not available in ocrprep: it post-processes text with a "
            "large language model, which ocrprep does not run"
        )


class AIResult(_NotApplicable):
    pass


class AsposeAI(_NotApplicable):
    pass


class AsposeAIModelConfig(_NotApplicable):
    pass


class IOcrAIPostProcessor(_NotApplicable):
    pass


class KeywordsAIProcessor(_NotApplicable):
    pass


class SpellCheckAIProcessor(_NotApplicable):
    pass


class TableAIProcessor(_NotApplicable):
    pass


class NaturalLanguageQueryAIProcessor(_NotApplicable):
    pass


class AITableDetectionMode(IntEnum):
    """Listed for completeness; nothing in ocrprep consumes it."""

    AUTO = 0
