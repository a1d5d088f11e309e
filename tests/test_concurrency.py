"""Every public kernel is thread-safe and releases the GIL while it works.

The kernel names are fixed (the public API): a missing one is a failure,
never a skip.

How the GIL test works, and why it neither flakes nor passes by accident:
``sys.setswitchinterval`` is raised to an hour for the test, so CPython
never *forces* a thread to hand over the GIL; a thread gets it only when the
holder gives it up on its own (blocking, or a ``with nogil`` section).  A
worker thread runs one single-threaded kernel call; the main thread, which
is waiting, can therefore only run while that call is in progress if the
kernel released the GIL.  Two observations, neither timed:

1. the main thread gets the GIL back *before the call has returned*;
2. for kernels with ``out=``, the main thread then watches the output being
   filled in: it sees a state that is neither the initial fill nor the final
   result, i.e. Python code ran while the kernel's loop was half-way.

A kernel holding the GIL fails both, always (the probes are themselves
tested on GIL-holding calls).  Both need the OS to put the main thread on a
CPU while the kernel runs; on a loaded 2-core machine and a short kernel it
may not, so each probe gets up to 20 attempts and passes at the first
success: the failure mode of a GIL-holding kernel stays certain.
"""
from __future__ import annotations

import functools
import sys
import threading

import numpy as np
import pytest

import ocrprep
from imagegen import random_image

# name -> (function name, positional args after the image, input kind, has out=)
# input kind: False = grey page, True = colour page, "bw" = a binary page
KERNELS = {
    "histogram": ("histogram", (), False, False),
    "threshold": ("threshold", (140,), False, True),
    "otsu_threshold": ("otsu_threshold", (), False, False),
    "binarize otsu": ("binarize", (), False, True),
    "binarize auto": ("binarize", (), False, True),
    "sauvola": ("sauvola", (25,), False, True),
    "niblack": ("niblack", (25,), False, True),
    "wolf": ("wolf", (25,), False, True),
    "nick": ("nick", (25,), False, True),
    "bernsen": ("bernsen", (31,), False, True),
    "median 5": ("median", (5,), False, True),
    "dilate 15": ("dilate", (15,), False, True),
    "erode 3": ("erode", (3,), False, True),
    "invert": ("invert", (), False, True),
    "to_grayscale": ("to_grayscale", (), True, True),
    "contrast_stretch": ("contrast_stretch", (), False, True),
    "auto_binarize": ("auto_binarize", (), False, True),
    "estimate_background": ("estimate_background", (61,), False, True),
    "normalize_background": ("normalize_background", (61,), False, True),
    "rotate": ("rotate", (3.7,), False, True),
    "scale": ("scale", (0.5,), False, True),
    "deskew": ("deskew", (), False, False),
    "detect_skew": ("detect_skew", (), False, False),
    "remove_specks": ("remove_specks", (4,), "bw", True),
    "fill_holes": ("fill_holes", (), "bw", True),
}
KWARGS = {"binarize otsu": {"method": "otsu"}, "binarize auto": {"method": "auto"}}


def kernel(name):
    fn_name, args, colour, has_out = KERNELS[name]
    fn = getattr(ocrprep, fn_name, None)
    assert callable(fn), f"ocrprep.{fn_name} is missing: the public kernel names are fixed"
    kwargs = KWARGS.get(name, {})

    def call(img, **kw):
        return fn(img, *args, **kwargs, **kw)

    return call, colour, has_out


@functools.lru_cache(maxsize=None)
def image(shape, kind, seed=5):
    """A cached test page (read-only: no test may write into it)."""
    rng = np.random.default_rng(seed)
    img = random_image(rng, shape, "doc")
    if kind == "bw":
        img = np.where(img > 128, 255, 0).astype(np.uint8)
    elif kind:
        img = np.ascontiguousarray(np.dstack([img, img[::-1], 255 - img]))
    img.flags.writeable = False
    return img


def first_result(call, img):
    return call(img, threads=1)  # every kernel exists now: an ImportError is a failure, not a skip


@pytest.mark.parametrize("name", list(KERNELS))
def test_same_result_from_8_threads(name):
    call, colour, _ = kernel(name)
    img = image((700, 900), colour)  # above the size where kernels use the pool
    expected = first_result(call, img)
    barrier = threading.Barrier(8)
    results, errors = [None] * 8, []

    def worker(i):
        try:
            barrier.wait()
            out = []
            for threads in (None, 1, 2):  # default, serial, and the shared pool under contention
                out.append(call(img, threads=threads))
            results[i] = out
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert not errors, errors
    for per_thread in results:
        for got in per_thread:
            np.testing.assert_array_equal(got, expected)


@pytest.fixture
def no_forced_switches():
    """No forced GIL hand-over for the duration of the test (see the module docstring)."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(3600.0)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def released_during_call(fn, attempts=20):
    """Run ``fn`` in a worker thread; return True once this thread got the
    GIL back while ``fn`` had not yet returned.

    A call that keeps the GIL can never do that.  A call that releases it
    does so unless the OS left this thread off the CPU for the whole of the
    call's GIL-free part (a loaded machine, a short kernel): hence a few
    attempts.
    """
    for _ in range(attempts):
        started = threading.Event()
        state = {"inside": False}

        def worker():
            started.set()
            state["inside"] = True
            fn()
            state["inside"] = False

        t = threading.Thread(target=worker)
        t.start()
        started.wait()  # returns once the worker gives up the GIL (or ends)
        inside = state["inside"]
        t.join()
        if inside:
            return True
    return False


def saw_half_written(call, expected, attempts=20):
    """Run ``call(out)`` in a worker thread, looking at ``out`` from this
    thread meanwhile; True once a look shows a partly written result."""
    sample = (slice(None, None, 7), slice(None, None, 97))
    want = expected[sample]
    for _ in range(attempts):
        out = np.empty_like(expected)
        out[...] = ~expected  # differs from the result at every pixel
        done = threading.Event()
        t = threading.Thread(target=lambda: (call(out), done.set()))
        t.start()
        seen = set()
        while True:
            seen.add(int(np.count_nonzero(out[sample] == want)))
            # a blocking wait gives the GIL up, so the worker can always take
            # it (it needs it to return); 0.2 ms between looks at the output
            if done.wait(0.0002):
                break
        t.join()
        np.testing.assert_array_equal(out, expected)
        if any(0 < s < want.size for s in seen):
            return True
    return False


def test_the_gil_probes_catch_gil_holding_calls(no_forced_switches):
    """The probes themselves: calls that keep the GIL must be caught."""
    def pure_python():
        sorted(range(1_000_000), key=lambda v: -v)  # bytecode only: never gives up the GIL

    assert not released_during_call(pure_python, attempts=2)
    assert released_during_call(lambda: threading.Event().wait(0.05))

    # a row-by-row "kernel" whose C calls keep the GIL (ctypes.PyDLL) but
    # which writes its output progressively: probe (2) must never see it half-done
    ctypes = pytest.importorskip("ctypes")
    try:
        memmove = ctypes.PyDLL(None).memmove
    except (OSError, AttributeError, TypeError):
        pytest.skip("no libc memmove through ctypes here")
    memmove.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    src = image((3000, 2500), False)

    def gil_kernel(out):
        for y in range(src.shape[0]):
            memmove(out[y].ctypes.data, src[y].ctypes.data, src.shape[1])

    assert not released_during_call(lambda: gil_kernel(np.empty_like(src)), attempts=2)
    assert not saw_half_written(gil_kernel, src, attempts=2)


@pytest.mark.parametrize("name", list(KERNELS))
def test_kernel_releases_the_gil(name, no_forced_switches):
    call, colour, has_out = kernel(name)
    img = image((3000, 2500), colour)
    expected = first_result(call, img)
    # (1) the GIL comes back before the call returns
    assert released_during_call(lambda: call(img, threads=1)), f"{name} kept the GIL for its whole call"
    # (2) Python code runs while the kernel's loop is half-way through
    if has_out:
        assert saw_half_written(lambda out: call(img, out=out, threads=1), expected), (
            f"{name}: never saw its output half-written from Python while it ran"
        )
