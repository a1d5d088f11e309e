"""ocrprep.binarize on pages of every shape and memory layout.

Odd widths put the kernels' 16-bit scratch rows at odd addresses (a misaligned
``uint16_t`` access in csrc/background.c and csrc/auto.c, undefined behaviour
that UndefinedBehaviorSanitizer reported); ``scripts/sanitize.sh`` runs these
tests on an ASan + UBSan build, where such an access aborts the run.
"""
import numpy as np
import pytest

import ocrprep
from imagegen import random_image


def _at_odd_address(img):
    """A copy of ``img`` whose rows start at odd addresses (C-contiguous rows, odd row pitch)."""
    h, w = img.shape
    buf = np.zeros(h * (w + 1) + 1, np.uint8)
    view = np.lib.stride_tricks.as_strided(buf[1:], shape=(h, w), strides=(w + 1, 1))
    view[...] = img
    assert view.ctypes.data % 2 == 1
    return view


@pytest.mark.parametrize("shape", [(65, 67), (300, 301), (67, 65), (97, 131)])
@pytest.mark.parametrize("kind", ["uniform", "doc"])
@pytest.mark.parametrize("method", ["auto", "sauvola", "otsu"])
def test_odd_sizes_and_addresses_give_the_same_binary_page(rng, shape, kind, method):
    img = random_image(rng, shape, kind)
    bw = ocrprep.binarize(img, method)
    assert bw.shape == shape and bw.dtype == np.uint8
    assert set(np.unique(bw).tolist()) <= {0, 255}
    # the result depends on the pixels only, never on where they sit in memory or on threads
    np.testing.assert_array_equal(ocrprep.binarize(_at_odd_address(img), method), bw)
    np.testing.assert_array_equal(ocrprep.binarize(np.asfortranarray(img), method), bw)
    np.testing.assert_array_equal(ocrprep.binarize(img, method, threads=2), bw)
