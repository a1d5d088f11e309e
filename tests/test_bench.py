"""``python -m ocrprep.bench`` / ``ocrprep bench``: the user-facing speed table."""
import subprocess
import sys

import pytest

import ocrprep
from ocrprep import bench


def rows(text):
    return {line.split()[0]: line for line in text.splitlines()[2:] if line.strip()}


def test_bench_table(capsys):
    assert bench.main(["--quick", "--rounds", "1", "--only", "histogram,sauvola,otsu"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["kernel", "1", "thread"]
    table = rows(out)
    assert set(table) == {"histogram", "sauvola", "otsu"}
    sauvola = table["sauvola"].split()
    assert float(sauvola[2]) > 0 and float(sauvola[3]) > 0  # 1-thread and N-thread milliseconds
    try:
        import doxapy  # noqa: F401
    except ImportError:
        return
    assert "doxapy Sauvola" in table["sauvola"] and "<= 0.33" in table["sauvola"]


def test_bench_markdown_lists_every_kernel_that_exists(capsys):
    assert bench.main(["--quick", "--rounds", "2", "--best", "--markdown", "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| kernel |")
    labels = {line.split("|")[1].strip() for line in out.splitlines()[2:]}
    for name, label in (("histogram", "histogram"), ("sauvola", "sauvola w=25"), ("median", "median 5"),
                        ("dilate", "dilate 15"), ("invert", "invert"), ("niblack", "niblack w=25")):
        if getattr(ocrprep, name, None) is not None:
            assert label in labels


def test_bench_rejects_bad_arguments(capsys):
    assert bench.main(["--rounds", "0"]) == 2
    with pytest.raises(SystemExit):
        bench.main(["--rounds", "many"])


def test_bench_runs_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "ocrprep.bench", "--quick", "--rounds", "1", "--only", "histogram"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "histogram" in proc.stdout


def test_bench_through_the_cli(capsys):
    cli = pytest.importorskip("ocrprep.cli")
    assert cli.main(["bench", "--quick", "--rounds", "1", "--only", "invert,histogram"]) == 0
    assert "histogram" in capsys.readouterr().out
