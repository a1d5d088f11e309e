"""Build the Cython/C kernels.

Every ``src/ocrprep/**/_*.pyx`` becomes an extension module of the same dotted
name.  A ``.pyx`` that needs C from ``csrc/`` names it with a
``# distutils: sources = csrc/name.c`` line at its top, so adding a kernel
never means editing this file.

Release builds stay portable: no ``-march=native``.  Hot loops that profit
from AVX2 use GCC ``target_clones`` in ``csrc/`` (see ``csrc/dispatch.h``),
which picks the best clone at load time.

Extension modules are built without debug information and stripped of
their local symbols (GCC/Clang: ``-g0`` and, on Linux, ``-s`` when linking;
MSVC adds none by default): Python's own ``CFLAGS`` often carry ``-g``, which
made the modules six times their size.  ``OCRPREP_DEBUG=1``, or ``CFLAGS``
asking for a sanitizer (``-fsanitize=...``), keeps Python's flags as they are.

For development, ``OCRPREP_BUILD_ONLY=median,morphology`` restricts the
build to the named modules and ``OCRPREP_NATIVE=1`` adds ``-march=native``
(never for wheels).  ``OCRPREP_SKIP_KERNELS=1`` builds no kernel at all:
``scripts/setup.sh`` compiles them in place itself (only when they changed)
and then lets pip register the editable install without compiling them again.
"""
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from Cython.Build import cythonize

HERE = Path(__file__).parent
SRC = HERE / "src"


def keep_debug_info() -> bool:
    return os.environ.get("OCRPREP_DEBUG") == "1" or "-fsanitize" in os.environ.get("CFLAGS", "")


def compile_args():
    if sys.platform == "win32":
        return ["/O2"]
    args = ["-O3", "-fno-strict-aliasing", "-Wno-unused-function"]
    if not keep_debug_info():
        args.append("-g0")  # after Python's CFLAGS on the command line, so it wins over their -g
    if os.environ.get("OCRPREP_NATIVE") == "1":
        args.append("-march=native")
    return args


def link_args():
    # -s: strip the symbol table (the exported PyInit_ stays in the dynamic one); GNU ld / lld
    # only: Apple's ld calls -s obsolete, and with -g0 there is no debug information left anyway
    if sys.platform.startswith("linux") and not keep_debug_info():
        return ["-s"]
    return []


def extensions():
    if os.environ.get("OCRPREP_SKIP_KERNELS") == "1":
        return []
    only = {s.strip() for s in os.environ.get("OCRPREP_BUILD_ONLY", "").split(",") if s.strip()}
    exts = []
    for pyx in sorted(SRC.rglob("_*.pyx")):
        rel = pyx.relative_to(SRC).with_suffix("")
        name = ".".join(rel.parts)
        if only and rel.name.lstrip("_") not in only:
            continue
        exts.append(
            Extension(
                name,
                [str(pyx.relative_to(HERE))],
                include_dirs=["csrc"],
                extra_compile_args=compile_args(),
                extra_link_args=link_args(),
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
            )
        )
    return exts


setup(
    ext_modules=cythonize(
        extensions(),
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
            "embedsignature": True,
        },
        nthreads=int(os.environ.get("OCRPREP_CYTHON_JOBS", "0")) or None,
    ),
)
