#!/usr/bin/env bash
# Build the kernels with AddressSanitizer + UndefinedBehaviorSanitizer into a
# temporary copy of the sources and run the kernel tests against that build.
# Any sanitizer report (out-of-bounds access, use after free, misaligned or
# overflowing arithmetic, ...) aborts the test process and fails this script.
#
#   ./scripts/sanitize.sh                  # the kernel tests (a few minutes)
#   ./scripts/sanitize.sh tests/test_median.py -k odd   # other pytest arguments
#
# Needs gcc with libasan/libubsan (Debian: gcc) and the project's .venv
# (PYTHON=... to use another interpreter with numpy, Cython, pytest, Pillow).
# The editable build in src/ is not touched; the temporary copy is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
CC=${CC:-gcc}

ASAN_RT=$("$CC" -print-file-name=libasan.so)
[ -f "$ASAN_RT" ] || { echo "sanitize.sh: $CC has no libasan.so (install gcc)" >&2; exit 2; }
# preloaded with the ASan runtime so that its __cxa_throw interceptor finds the real one (C++
# libraries the oracle tests load, e.g. OpenCV, throw exceptions)
CXX_RT=$("$CC" -print-file-name=libstdc++.so)

WORK=$(mktemp -d /tmp/ocrprep-sanitize-XXXXXX)
[ "${OCRPREP_SANITIZE_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT   # =1 keeps the build to rerun tests
# sources only: no built modules, no generated C (so nothing stale is reused)
tar -C "$ROOT" --exclude='*.so' --exclude='__pycache__' -cf - setup.py pyproject.toml csrc src \
  | tar -C "$WORK" -xf -
find "$WORK/src" -name '_*.pyx' | while read -r pyx; do rm -f "${pyx%.pyx}.c"; done

# -g1: line numbers in the reports, for a fraction of -g's build time
FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g1"
echo "== sanitizer build (ASan + UBSan) in $WORK"
( cd "$WORK" && CC="$CC" CFLAGS="$FLAGS" LDFLAGS="-fsanitize=address,undefined" \
    "$PY" setup.py -q build_ext --inplace -j "${OCRPREP_SANITIZE_JOBS:-2}" >"$WORK/build.log" 2>&1 ) \
  || { tail -40 "$WORK/build.log"; exit 1; }

if [ $# -eq 0 ]; then
  # the tests of the compiled kernels (every .pyx / csrc loop), not the I/O, OCR, service or batch layers
  set -- tests/test_histogram.py tests/test_threshold.py tests/test_local.py tests/test_sauvola.py \
    tests/test_median.py tests/test_morphology.py tests/test_background.py tests/test_auto.py \
    tests/test_binarize.py tests/test_color.py tests/test_contrast.py tests/test_geometry.py \
    tests/test_components.py tests/test_skew.py tests/test_denoise.py tests/test_metrics.py \
    tests/test_input_guards.py -q -x -p no:cacheprovider
fi

echo "== kernel tests under the sanitizers"
export PYTHONPATH="$WORK/src"
export LD_PRELOAD="$ASAN_RT${CXX_RT:+ $CXX_RT}"   # the ASan runtime must come first in the process
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1"   # CPython keeps memory by design
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# the DIBCO quality tests measure scores, not memory safety, and are slow under ASan: skipped
export OCRPREP_DIBCO="${OCRPREP_SANITIZE_DIBCO:-$WORK/no-dibco}"
"$PY" -c "import ocrprep, sys; f = ocrprep.__file__; sys.exit(0 if f.startswith('$WORK') else 'ocrprep imported from ' + f)"
# --capture=sys: a sanitizer writes its report to file descriptor 2 and ends the process, which
# pytest's default (fd-level) capture would swallow
"$PY" -m pytest --capture=sys "$@"
echo "== no sanitizer report"
