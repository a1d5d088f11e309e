"""The README's "Python API" examples (doctest) and "CLI" commands run as written."""
from __future__ import annotations

import doctest
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import ocrprep.ocr as ocr
from frontdoor import word_recovery
from ocrprep.data import sample_text

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(text: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


@pytest.fixture
def readme():
    if not README.exists():
        pytest.skip("README.md not next to the tests")
    if not ocr.tesseract_available():
        pytest.skip("the README examples recognise text: tesseract is not installed")
    return README.read_text(encoding="utf-8")


@pytest.mark.tesseract
def test_python_api_examples(readme, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    section = _section(readme, "Python API")
    parser = doctest.DocTestParser()
    test = parser.get_doctest(section, {}, "README.md[Python API]", str(README), 0)
    assert len(test.examples) > 20
    runner = _ExtrasAwareRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    failures = runner.failures - len(runner.needs_extra)
    assert failures == 0, f"{failures} README example(s) failed (see the output above)"
    assert (tmp_path / "result" / "sample.png").exists()
    if runner.needs_extra:  # the others passed; these need an extra this installation lacks
        pytest.skip(f"{len(runner.needs_extra)} README example(s) need an extra: " + "; ".join(runner.needs_extra))


class _ExtrasAwareRunner(doctest.DocTestRunner):
    """Counts the examples that raised ocrprep.MissingDependencyError (an extra not installed) apart."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_extra: list[str] = []

    def report_unexpected_exception(self, out, test, example, exc_info):
        from ocrprep.errors import MissingDependencyError

        if isinstance(exc_info[1], MissingDependencyError):
            self.needs_extra.append(f"line {test.lineno + example.lineno + 1}: {exc_info[1]}")
            return
        super().report_unexpected_exception(out, test, example, exc_info)


@pytest.mark.tesseract
def test_cli_examples(readme, tmp_path):
    blocks = re.findall(r"```console\n(.*?)```", _section(readme, "CLI"), re.S)
    commands = [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]
    assert len(commands) >= 4 and commands[0].startswith("ocrprep demo")
    recognised = []
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "ocrprep"
        proc = subprocess.run([sys.executable, "-m", "ocrprep.cli", *argv[1:]], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{command}\n{proc.stderr}"
        if argv[1] == "recognize" and "json" in argv:
            recognised.append(json.loads(proc.stdout))
    assert (tmp_path / "sample_bw.png").exists() and (tmp_path / "filtered" / "sample.png").exists()
    # the recognize command reads the paragraph: check its words, not just the exit status
    assert len(recognised) == 1 and len(recognised[0]) == 1, recognised
    page = recognised[0][0]
    assert page["source"].endswith("sample.png") and page["error"] is None
    assert word_recovery(sample_text(), page["text"]) >= 0.95, page["text"]
    assert page["lines"] and all(w["box"][2] > 0 for line in page["lines"] for w in line["words"])


def test_dibco_skips_say_where_they_looked_and_the_readme_says_how_to_point_them(tmp_path):
    """Without the DIBCO data its tests skip, naming the folder and OCRPREP_DIBCO, which the README documents."""
    if README.exists():
        assert "OCRPREP_DIBCO" in _section(README.read_text(encoding="utf-8"), "Development")
    nowhere = tmp_path / "no-dibco-here"
    tests = Path(__file__).resolve().parent
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(tests / "test_local.py"), "-k", "on_dibco", "-rs",
         "-p", "no:cacheprovider", "--rootdir", str(tests.parent)],
        capture_output=True, text=True, cwd=tmp_path, env={**__import__("os").environ, "OCRPREP_DIBCO": str(nowhere)},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("DIBCO data:"))
    assert str(nowhere) in header and "OCRPREP_DIBCO" in header
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped and all(str(nowhere) in line and "OCRPREP_DIBCO" in line for line in skipped)
