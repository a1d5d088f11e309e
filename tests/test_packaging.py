"""What a newcomer gets: install instructions that work, package metadata, lean extension modules."""
from __future__ import annotations

import re
import struct
import sys
from importlib import machinery
from pathlib import Path

import pytest

import ocrprep

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PYPROJECT = ROOT / "pyproject.toml"


def _pyproject() -> dict:
    if not PYPROJECT.exists():
        pytest.skip("pyproject.toml not next to the tests")
    tomllib = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def _section(text: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


# --------------------------------------------------------------------------- #
# README install section
# --------------------------------------------------------------------------- #
def test_readme_install_commands_work_before_ocrprep_is_on_pypi():
    """Every pip command of the Install section installs from the checkout or a built wheel."""
    if not README.exists():
        pytest.skip("README.md not next to the tests")
    section = _section(README.read_text(encoding="utf-8"), "Install")
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    commands = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()]
    installs = [c for c in commands if c.startswith("pip install ")]
    assert installs, section
    extras = set(_pyproject()["project"]["optional-dependencies"])
    for command in installs:
        target = command.split(" && ")[0][len("pip install "):].strip().strip("'\"")
        if target == "build":
            continue
        # from the checkout ('.' or '.[extra]') or from a built wheel (dist/...whl), never the bare name
        assert target.startswith((".", "dist/", "$(ls dist/")), command
        for extra in re.findall(r"\[([^\]]+)\]", target):
            assert set(extra.split(",")) <= extras, command
    assert "python -m build" in section


# --------------------------------------------------------------------------- #
# metadata
# --------------------------------------------------------------------------- #
def test_package_metadata_classifiers_and_extras():
    project = _pyproject()["project"]
    classifiers = set(project["classifiers"])
    low = int(re.search(r">=\s*3\.(\d+)", project["requires-python"]).group(1))
    for minor in range(low, 14):  # every CPython the wheels are built for (tool.cibuildwheel.build)
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert {"Operating System :: POSIX :: Linux", "Operating System :: MacOS",
            "Operating System :: Microsoft :: Windows"} <= classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    extras = project["optional-dependencies"]

    def names(reqs):
        return {re.split(r"[\[<>=;! ]", r, maxsplit=1)[0].lower() for r in reqs}

    def expand(extra):
        out = set()
        for req in extras[extra]:
            m = re.fullmatch(r"ocrprep\[([^\]]+)\]", req)
            out |= set().union(*(expand(e) for e in m.group(1).split(","))) if m else names([req])
        return out

    # the oracles the tests compare with are in the test extra (without doxapy its tests skipped)
    assert {"pytest", "hypothesis", "opencv-python-headless", "scikit-image", "doxapy"} <= expand("test")
    # 'full': every runtime feature (every extra but the tool sets and the groups), and no test or benchmark tool
    features = set(extras) - {"test", "bench", "browser", "full", "all"}
    assert {"pdf", "progress", "service", "dask"} <= features
    runtime = set().union(*(expand(f) for f in features))
    assert expand("full") == runtime
    assert not expand("full") & {"pytest", "hypothesis", "opencv-python-headless", "scikit-image", "doxapy",
                                 "playwright", "pytest-benchmark"}
    assert expand("all") >= runtime | expand("test") | expand("bench") | expand("browser")
    assert names(project["dependencies"]) == {"numpy", "pillow", "pytesseract"}


# --------------------------------------------------------------------------- #
# what the wheel ships
# --------------------------------------------------------------------------- #
def _extension_modules() -> list[Path]:
    package = Path(ocrprep.__file__).parent
    return sorted(p for p in package.rglob("*") if p.name.endswith(tuple(machinery.EXTENSION_SUFFIXES)))


def _elf_section_names(path: Path) -> list[str]:
    """Section names of a 64- or 32-bit little/big-endian ELF file (its section header table)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", path
    is64, order = data[4] == 2, "<" if data[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", data, 0x2E)

    def header(i):
        base = shoff + i * shentsize
        if is64:
            name, _type, _flags, _addr, offset, size = struct.unpack_from(order + "IIQQQQ", data, base)
        else:
            name, _type, _flags, _addr, offset, size = struct.unpack_from(order + "IIIIII", data, base)
        return name, offset, size

    _n, str_offset, str_size = header(shstrndx)
    strings = data[str_offset:str_offset + str_size]
    return [strings[n:strings.index(b"\0", n)].decode() for n, _o, _s in map(header, range(shnum))]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF extension modules (Linux)")
def test_extension_modules_carry_no_debug_information():
    """setup.py builds with -g0 and strips: the modules were 6x their size with Python's -g (issue 10)."""
    modules = _extension_modules()
    assert modules, "no compiled extension module found"
    for path in modules:
        sections = _elf_section_names(path)
        assert ".dynsym" in sections, path  # (the parser read a real section table)
        debug = [s for s in sections if s.startswith((".debug_", ".zdebug_"))]
        assert not debug, f"{path.name} has debug sections {debug} (build with setup.py's flags)"
        assert ".symtab" not in sections, f"{path.name} is not stripped"


def test_installed_package_ships_no_cython_sources():
    package = Path(ocrprep.__file__).parent
    if (package.parent.parent / "setup.py").exists():
        pytest.skip("running from the source tree (its .pyx sources are the checkout's)")
    assert not sorted(package.rglob("*.pyx")) and not sorted(package.rglob("*.pxd"))


def test_tests_needing_a_missing_extra_skip_but_ocrprep_bugs_still_fail(tmp_path):
    """conftest's rule for installs without extras: MissingDependencyError from ocrprep, or a test's own
    import of a module that is not installed, is a skip with the reason; a module missing inside the
    library under test is a failure."""
    import shutil
    import subprocess

    tests = tmp_path / "tests"
    tests.mkdir()
    shutil.copy(Path(__file__).with_name("conftest.py"), tests / "conftest.py")
    (tmp_path / "library_part.py").write_text("def feature():\n    import no_such_module_in_the_library\n")
    (tests / "test_sample.py").write_text(
        "import ocrprep\n"
        "def test_extra_missing():\n"
        "    raise ocrprep.MissingDependencyError(\"saving as PDF needs pikepdf: pip install 'ocrprep[export]'\")\n"
        "def test_oracle_missing():\n"
        "    import no_such_oracle_module\n"
        "def test_library_bug():\n"
        "    import library_part\n"
        "    library_part.feature()\n"
        "def test_plain_failure():\n"
        "    assert 1 == 2\n"
    )
    env = {**__import__("os").environ, "OCRPREP_TESTS_ALLOW_MISSING_EXTRAS": "1",  # as .ci/run's base-install run
           "PYTHONPATH": __import__("os").pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "pytest", str(tests), "-rfs", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), "-o", "addopts="],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    out = done.stdout
    assert "2 failed, 2 skipped" in out, out
    assert "needs an optional extra: saving as PDF needs pikepdf" in out
    assert "needs no_such_oracle_module, which is not installed" in out
    assert "FAILED tests/test_sample.py::test_library_bug" in out
    assert "FAILED tests/test_sample.py::test_plain_failure" in out
