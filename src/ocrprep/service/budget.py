"""What one task may cost: the length of its filter list and its running time.

* **Filter lists** hold at most :data:`MAX_FILTERS` filters.  The count is
  checked on the request's JSON value (or the length of a short-form string)
  *before* the filters are parsed, so a list of millions of filters is
  refused in microseconds, not parsed for a minute and stored.
* **Running time.**  Every task gets ``--task-timeout`` seconds (default
  120) from the moment a worker starts it.  For image jobs (BinarizeImage,
  Preprocess) the deadline is checked before every filter and before the
  PNG encoding; past it the task ends with status Error and a message
  naming the budget.  A recognition checks it before the engine starts; the
  engine then runs the settings' filters (at most :data:`MAX_FILTERS`
  bounded steps) and Tesseract, which is killed after ``--ocr-timeout``.

Why checks between steps rather than a child process that can be killed:
one step is bounded on its own -- a filter's parameters have upper limits
(median, dilate and erode sizes at most 255, rotate and scale limited by
``--max-pixels``) and the largest page is ``--max-pixels`` -- so the budget
is overrun by at most one step (measured: the slowest filter, median(255),
takes about 0.2 s on a 16-megapixel page on one core, ~1 s at the
80-megapixel default cap).  Running tasks in threads keeps the page in
memory (no copy to another process) and the pipeline in one place.
Tesseract already runs in its own process, killed after ``--ocr-timeout``.

That a long task never holds up short ones is the worker pool's job (see
:mod:`~ocrprep.service.worker`: a spare thread takes the smallest waiting
task when every worker of the image lane is busy with a long one).
"""
from __future__ import annotations

import time

import numpy as np

from ..errors import OcrprepError

__all__ = ["MAX_FILTERS", "MAX_SHORT_FORM", "TaskTimeout", "Deadline", "check_filter_count", "run_filters"]

#: the most filters one request may list
MAX_FILTERS = 64

#: the longest short-form filter string (``"median(5),binarize"``): room for MAX_FILTERS filters
#: with arguments and areas, checked before parsing
MAX_SHORT_FORM = MAX_FILTERS * 128

_clock = time.monotonic  # (tests replace it to run a task past its budget without waiting)


class TaskTimeout(OcrprepError):
    """A task ran past its time budget (``--task-timeout``)."""


def check_filter_count(spec, where: str = "filters") -> None:
    """Raise :class:`ocrprep.errors.InvalidParameterError` when a request's filter spec holds more
    than :data:`MAX_FILTERS` filters (checked before anything is parsed).

    Examples
    --------
    >>> check_filter_count("median(3),binarize")
    >>> check_filter_count([{"name": "invert"}] * 65)
    Traceback (most recent call last):
    ...
    ocrprep.errors.InvalidParameterError: filters: 65 filters, more than the 64 one request may hold
    """
    from ..errors import InvalidParameterError

    items = spec
    if isinstance(spec, dict) and isinstance(spec.get("filters"), list):
        items = spec["filters"]
    if isinstance(items, list) and len(items) > MAX_FILTERS:
        raise InvalidParameterError(f"{where}: {len(items):,} filters, more than the {MAX_FILTERS} one request may hold")
    if isinstance(spec, str):
        if len(spec) > MAX_SHORT_FORM:
            raise InvalidParameterError(
                f"{where}: a filter string of {len(spec):,} characters, longer than the {MAX_SHORT_FORM:,} "
                f"that {MAX_FILTERS} filters need"
            )


class Deadline:
    """The time budget of one task.

    Parameters
    ----------
    seconds : float or None
        The budget (None: no limit).
    what : str
        How the budget is named in the error message.

    Examples
    --------
    >>> d = Deadline(120)
    >>> d.check("the filter median(3)")   # within the budget: nothing happens
    >>> Deadline(None).remaining() is None
    True
    """

    def __init__(self, seconds: float | None, what: str = "--task-timeout"):
        self.seconds = seconds
        self.what = what
        self.start = _clock()

    def remaining(self) -> float | None:
        if self.seconds is None:
            return None
        return self.seconds - (_clock() - self.start)

    def check(self, step: str) -> None:
        """Raise :class:`TaskTimeout` when the budget is spent (``step``: what would run next)."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise TaskTimeout(
                f"the task ran out of its time budget of {self.seconds:g} s ({self.what}) before {step}; "
                f"send a smaller image or fewer or lighter filters"
            )


def run_filters(pipeline, img: np.ndarray, *, threads=None, deadline: Deadline | None = None) -> np.ndarray:
    """``pipeline.apply(img)``, checking ``deadline`` before every filter.

    The same computation as :meth:`ocrprep.PreprocessingFilter.apply` (each
    filter's own :meth:`~ocrprep.filters.Filter.apply`, in order).
    """
    if deadline is None or not len(pipeline):
        return pipeline.apply(img, threads=threads)
    filters = list(pipeline)
    from ..filters import PreprocessingFilter

    for i, f in enumerate(filters):
        deadline.check(f"filter {i + 1} of {len(filters)} ({f})")
        img = PreprocessingFilter([f]).apply(img, threads=threads)
    return img
