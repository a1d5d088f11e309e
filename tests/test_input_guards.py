"""Input guards shared by every kernel (issue #2 audit).

* images with more rows or columns than the C loops can index are refused
  with :class:`ocrprep.InvalidImageError` *before* any copy (tested on
  zero-copy broadcast views, with tracemalloc watching the allocations);
* ``threads=`` is validated even when a kernel has nothing to compute
  (grey input to ``to_grayscale``, size-1 windows, flat or blank pages);
* numpy masked arrays are refused, not processed with the mask ignored.
"""
from __future__ import annotations

import inspect
import tracemalloc

import numpy as np
import pytest

import ocrprep
from ocrprep import PreprocessingFilter
from imagegen import random_image

# public function -> positional arguments after the image; which inputs it takes
GREY_KERNELS = {
    "histogram": (),
    "otsu_threshold": (),
    "threshold": (140,),
    "binarize": (),
    "auto_binarize": (),
    "auto_denoise": (),
    "sauvola": (25,),
    "niblack": (25,),
    "wolf": (25,),
    "nick": (25,),
    "bernsen": (31,),
    "median": (3,),
    "dilate": (3,),
    "erode": (3,),
    "invert": (),
    "contrast_stretch": (),
    "estimate_background": (61,),
    "normalize_background": (61,),
    "remove_specks": (4,),
    "fill_holes": (),
    "label_components": (),
}
COLOUR_KERNELS = {
    "to_grayscale": (),
    "flatten_alpha": (),
    "rotate": (3.7,),
    "scale": (0.5,),
    "resize": (20, 10),
    "page_background": (),
    "detect_skew": (),
    "deskew": (),
    "upscale": (),
    "dewarp": (),
}
ALL_KERNELS = {**GREY_KERNELS, **COLOUR_KERNELS}

HUGE = 2**31 + 3  # one more row or column than an int can index, and then some


def test_every_public_kernel_is_covered():
    """A new public function taking an image must be added to the tables above."""
    not_kernels = {"imread", "imwrite", "recognize"}
    functions = {
        name for name in ocrprep.__all__
        if callable(getattr(ocrprep, name)) and not isinstance(getattr(ocrprep, name), type)
    }
    assert functions - not_kernels == set(ALL_KERNELS)


# --------------------------------------------------------------------------- #
# images too large for int indexing
# --------------------------------------------------------------------------- #
def _huge_views(colour):
    value = np.uint8(200)
    if colour:
        return [np.broadcast_to(value, (1, HUGE, 3)), np.broadcast_to(value, (HUGE, 1, 3))]
    return [np.broadcast_to(value, (1, HUGE)), np.broadcast_to(value, (HUGE, 1))]


@pytest.mark.parametrize("name", sorted(ALL_KERNELS))
def test_too_large_images_are_refused_before_any_copy(name):
    fn = getattr(ocrprep, name)
    views = _huge_views(False) + (_huge_views(True) if name in COLOUR_KERNELS else [])
    for view in views:
        assert view.nbytes >= HUGE and view.base is not None  # a view of one byte: nothing allocated
        tracemalloc.start()
        try:
            with pytest.raises(ocrprep.InvalidImageError, match="too large") as info:
                fn(view, *ALL_KERNELS[name])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert isinstance(info.value, ValueError)
        assert str(view.shape) in str(info.value)
        assert peak < 64 << 20, f"{name} allocated {peak:,} bytes before refusing a {view.shape} image"


def test_median_of_a_too_wide_row_is_an_invalid_image_error():
    # the auditor's case: was a plain ValueError from _median.pyx after a 2 GB contiguous copy
    view = np.broadcast_to(np.uint8(0), (1, HUGE))
    with pytest.raises(ocrprep.InvalidImageError, match=r"at most 2,147,483,647 rows and columns"):
        ocrprep.median(view, 3)
    with pytest.raises(ocrprep.InvalidImageError, match="too large"):
        ocrprep.median(view, 3, out=np.empty((1, 8), np.uint8))


def test_largest_accepted_side_still_works():
    # the limit is on the side, not on odd shapes: a long thin strip within it is processed
    strip = np.broadcast_to(np.uint8(9), (3, 100_000))
    np.testing.assert_array_equal(ocrprep.median(strip, 3), np.full((3, 100_000), 9, np.uint8))
    np.testing.assert_array_equal(ocrprep.dilate(strip.T, 5), np.full((100_000, 3), 9, np.uint8))


# --------------------------------------------------------------------------- #
# threads= validated on every path
# --------------------------------------------------------------------------- #
BAD_THREADS = [(-1, ocrprep.InvalidParameterError), (0, ocrprep.InvalidParameterError),
               ("2", ocrprep.ParameterTypeError), (2.5, ocrprep.ParameterTypeError),
               (True, ocrprep.ParameterTypeError), (np.float64(2.0), ocrprep.ParameterTypeError)]

_rng = np.random.default_rng(3)
EARLY_RETURN_INPUTS = {
    "grey 3x3": np.zeros((3, 3), np.uint8),
    "one channel": np.zeros((3, 3, 1), np.uint8),
    "flat": np.full((40, 40), 128, np.uint8),
    "white": np.full((40, 40), 255, np.uint8),
    "binary": np.where(random_image(_rng, (40, 40)) > 128, 255, 0).astype(np.uint8),
    "noise": random_image(_rng, (40, 40)),
}


def _threaded_calls():
    calls = []
    for name, args in ALL_KERNELS.items():
        if "threads" not in inspect.signature(getattr(ocrprep, name)).parameters:
            continue  # label_components, page_background
        for label, img in EARLY_RETURN_INPUTS.items():
            if img.ndim == 3 and name not in COLOUR_KERNELS:
                continue
            if name in ("sauvola", "niblack", "wolf", "nick", "bernsen", "estimate_background",
                        "normalize_background"):
                args = (3,)
            calls.append(pytest.param(getattr(ocrprep, name), args, img, id=f"{name}-{label}"))
    for size in (1, (1, 1)):  # the copy-only windows
        for name in ("dilate", "erode"):
            calls.append(pytest.param(getattr(ocrprep, name), (size,), EARLY_RETURN_INPUTS["noise"],
                                      id=f"{name}-size{size}"))
    calls.append(pytest.param(ocrprep.median, (1,), EARLY_RETURN_INPUTS["noise"], id="median-size1"))
    calls.append(pytest.param(ocrprep.rotate, (0,), EARLY_RETURN_INPUTS["noise"], id="rotate-0"))
    calls.append(pytest.param(ocrprep.scale, (1.0,), EARLY_RETURN_INPUTS["noise"], id="scale-1"))
    calls.append(pytest.param(ocrprep.resize, (40, 40), EARLY_RETURN_INPUTS["noise"], id="resize-same"))
    return calls


@pytest.mark.parametrize("fn, args, img", _threaded_calls())
@pytest.mark.parametrize("bad, exc", BAD_THREADS, ids=lambda v: repr(v) if not isinstance(v, type) else "")
def test_bad_threads_are_refused_on_every_path(fn, args, img, bad, exc):
    with pytest.raises(exc, match="threads"):
        fn(img, *args, threads=bad)


def test_to_grayscale_of_grey_input_checks_threads():
    # the auditor's case: RGB refused threads=-1 but 2-D / 1-channel input returned normally
    for img in (np.zeros((3, 3), np.uint8), np.zeros((3, 3, 1), np.uint8), np.zeros((3, 3, 3), np.uint8)):
        for bad in (-1, "2", 2.5, True):
            with pytest.raises(ocrprep.OcrprepError, match="threads"):
                ocrprep.to_grayscale(img, threads=bad)
    np.testing.assert_array_equal(ocrprep.to_grayscale(np.full((3, 3), 9, np.uint8), threads=2), 9)


@pytest.mark.parametrize("pipeline", [
    PreprocessingFilter.to_grayscale(), PreprocessingFilter.median(1), PreprocessingFilter(),
], ids=["to_grayscale-filter", "median1-filter", "empty-pipeline"])
def test_filters_check_threads_even_with_nothing_to_do(pipeline):
    grey = np.full((8, 8), 100, np.uint8)
    with pytest.raises(ocrprep.InvalidParameterError, match="threads"):
        pipeline.apply(grey, threads=-1)
    with pytest.raises(ocrprep.ParameterTypeError, match="threads"):
        pipeline.apply(grey, threads="2")
    np.testing.assert_array_equal(pipeline.apply(grey, threads=2), grey)


# --------------------------------------------------------------------------- #
# masked arrays
# --------------------------------------------------------------------------- #
def _masked(colour):
    img = random_image(np.random.default_rng(11), (40, 40))
    if colour:
        img = np.dstack([img, img, img])
    return np.ma.masked_array(img, mask=img < 60)


@pytest.mark.parametrize("name", sorted(ALL_KERNELS))
def test_masked_arrays_are_refused(name):
    fn = getattr(ocrprep, name)
    for colour in (False, True) if name in COLOUR_KERNELS else (False,):
        img = _masked(colour)
        with pytest.raises(ocrprep.ImageTypeError, match=r"masked array.*\.filled\(value\)") as info:
            fn(img, *ALL_KERNELS[name])
        assert isinstance(info.value, TypeError)
        # filling the masked pixels, as the message says, makes it work
        fn(img.filled(255), *ALL_KERNELS[name])


def test_masked_arrays_are_refused_by_the_io_and_filter_front_doors(tmp_path):
    img = _masked(False)
    with pytest.raises(ocrprep.ImageTypeError, match="masked"):
        ocrprep.imwrite(tmp_path / "m.png", img)
    assert not (tmp_path / "m.png").exists()
    with pytest.raises(ocrprep.ImageTypeError, match="masked"):
        PreprocessingFilter.invert(force=True).apply(img)
    with pytest.raises(ocrprep.ImageTypeError, match="masked"):
        next(ocrprep.io.iter_pages(img))


def test_masked_out_is_refused():
    img = random_image(np.random.default_rng(2), (10, 12))
    out = np.ma.masked_array(np.zeros_like(img), mask=np.zeros(img.shape, bool))
    for fn, args in ((ocrprep.invert, ()), (ocrprep.median, (3,)), (ocrprep.threshold, (100,))):
        with pytest.raises(ocrprep.ImageTypeError, match="out is a numpy masked array"):
            fn(img, *args, out=out)
    with pytest.raises(ocrprep.ImageTypeError, match="out is a numpy masked array"):
        ocrprep.histogram(img, out=np.ma.zeros(256, np.int64))


def test_the_mask_is_not_silently_dropped_by_a_plain_ndarray_subclass():
    # other ndarray subclasses (no hidden pixels) still work
    class Tagged(np.ndarray):
        pass

    img = random_image(np.random.default_rng(4), (9, 7)).view(Tagged)
    np.testing.assert_array_equal(ocrprep.invert(img), 255 - np.asarray(img))
