"""Speed of Sauvola and the local-threshold family vs doxapy (single thread).

Run (the figures in BENCHMARKS.md, section "sauvola / local"):

    .venv/bin/python -m pytest benchmarks/test_bench_sauvola.py \
        --benchmark-min-rounds=30 --benchmark-json=.benchmarks/sauvola.json
    .venv/bin/python benchmarks/ratios.py .benchmarks/sauvola.json

Both sides do the whole user-level call: ocrprep allocates and returns a new
image, the doxapy anchor allocates its output array, initializes the
algorithm on the page (Doxa builds its integral images there) and
binarizes.
"""
import pytest

import ocrprep
from ocrprep import bench


def doxapy_call(name, page, **params):
    pytest.importorskip("doxapy")
    return bench.doxapy_call(name, page, **params)


@pytest.mark.parametrize("impl", ["ocrprep", "doxapy Sauvola"])
def test_sauvola_25(benchmark, page, impl):
    benchmark.group = "sauvola w=25"
    benchmark.extra_info["target"] = "<= 0.33"
    if impl == "ocrprep":
        out = benchmark(ocrprep.sauvola, page, 25, 0.2, threads=1)
    else:
        out = benchmark(doxapy_call("SAUVOLA", page, window=25, k=0.2))
    assert out.shape == page.shape


@pytest.mark.parametrize("impl", ["ocrprep", "ocrprep threads=1"])
def test_sauvola_two_threads(benchmark, page, impl):
    """2 threads vs 1: a time ratio <= 1/1.7 means a speed-up >= 1.7."""
    benchmark.group = "sauvola w=25 2threads"
    benchmark.extra_info["target"] = "<= 0.588"
    benchmark(ocrprep.sauvola, page, 25, 0.2, threads=2 if impl == "ocrprep" else 1)


@pytest.mark.parametrize("impl", ["ocrprep", "doxapy Sauvola"])
def test_sauvola_75(benchmark, page, impl):
    benchmark.group = "sauvola w=75"
    if impl == "ocrprep":
        benchmark(ocrprep.sauvola, page, 75, 0.2, threads=1)
    else:
        benchmark(doxapy_call("SAUVOLA", page, window=75, k=0.2))


# The rest of the family: no targets, reported for information.
FAMILY = {
    "niblack": (ocrprep.niblack, "NIBLACK", {"k": -0.2}),
    "wolf": (ocrprep.wolf, "WOLF", {"k": 0.5}),
    "nick": (ocrprep.nick, "NICK", {"k": -0.1}),
}


@pytest.mark.parametrize("method", list(FAMILY))
@pytest.mark.parametrize("impl", ["ocrprep", "doxapy"])
def test_family_25(benchmark, page, method, impl):
    fn, name, params = FAMILY[method]
    benchmark.group = f"{method} w=25"
    if impl == "ocrprep":
        benchmark(fn, page, 25, threads=1, **params)
    else:
        benchmark(doxapy_call(name, page, window=25, **params))


@pytest.mark.parametrize("impl", ["ocrprep", "doxapy"])
def test_bernsen_31(benchmark, page, impl):
    benchmark.group = "bernsen w=31"
    if impl == "ocrprep":
        benchmark(ocrprep.bernsen, page, 31, 15, threads=1)
    else:
        benchmark(doxapy_call("BERNSEN", page, window=31, threshold=128, **{"contrast-limit": 14}))
