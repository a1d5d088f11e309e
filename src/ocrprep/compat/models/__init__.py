"""``aspose.ocr.models``: the preprocessing filters (and the progress-event arguments)."""
from . import events, preprocessingfilters  # noqa: F401
from .preprocessingfilters import PreprocessingFilter  # noqa: F401

__all__ = ["PreprocessingFilter", "preprocessingfilters", "events"]
