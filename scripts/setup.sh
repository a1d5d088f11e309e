#!/usr/bin/env bash
# Idempotent set-up of a fresh machine for ocrprep, in two levels:
#
#   ./scripts/setup.sh          what the demo and the CLI need: Tesseract (+ English
#                               data, apt-get), a virtual environment in .venv with
#                               ocrprep (editable, kernels compiled) and the pdf and
#                               progress extras;
#   ./scripts/setup.sh --test   also the test and benchmark tools (the `all` extra),
#                               poppler-utils (pdftotext, for the export tests) and
#                               Chromium + playwright for the demo-page browser test
#                               (OCRPREP_SKIP_BROWSER=1: not Chromium).
#
# Safe to run again: it only does what is missing.  The kernels are compiled in place
# (setup.py build_ext --inplace) only when a kernel source, setup.py, the Python or the
# build flags changed since the last build (a stamp in .venv); pip itself never compiles
# them (OCRPREP_SKIP_KERNELS=1), so adding the test extras to a demo set-up costs no rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}

level=demo
case "${1:-}" in
  --test) level=test ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

log() { printf '[setup] %s\n' "$*" >&2; }

apt_missing=()
command -v tesseract >/dev/null 2>&1 || apt_missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || apt_missing+=(tesseract-ocr-eng)
if [ "$level" = test ]; then
  # pdftotext reads back the searchable PDFs in the export tests
  command -v pdftotext >/dev/null 2>&1 || apt_missing+=(poppler-utils)
fi
if [ "$level" = test ] && [ "${OCRPREP_SKIP_BROWSER:-0}" != 1 ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || apt_missing+=(chromium)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    log "installing system packages: ${apt_missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
  else
    log "WARNING: cannot install ${apt_missing[*]} (no apt-get); recognition/browser tests will be skipped"
  fi
fi

if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
VPY="$ROOT/.venv/bin/python"
"$VPY" -c 'import Cython, setuptools, build' >/dev/null 2>&1 || {
  log "installing the build tools"
  "$VPY" -m pip install -q --upgrade pip "setuptools>=77" wheel "Cython>=3.0" build
}

# 1. the kernels, compiled in place when their sources or the way they are built changed
kernel_stamp=.venv/.ocrprep-kernels-stamp
kernels_want=$( { "$VPY" -c 'import sys, sysconfig; print(sys.version, sysconfig.get_platform())'
                  echo "${OCRPREP_NATIVE:-}/${OCRPREP_DEBUG:-}/${CFLAGS:-}"
                  find src csrc \( -name '*.pyx' -o -name '*.pxd' -o -name '*.c' -o -name '*.h' \) \
                       ! -path 'src/ocrprep/_*.c' ! -path 'src/ocrprep/*/_*.c' -print0 \
                    | sort -z | xargs -0 sha256sum
                  sha256sum setup.py; } | sha256sum | cut -c1-16)
missing_module=0
shopt -s nullglob
for pyx in $(find src/ocrprep -name '_*.pyx'); do
  built=("${pyx%.pyx}".*.so "${pyx%.pyx}".*.pyd)
  [ ${#built[@]} -gt 0 ] || { missing_module=1; break; }
done
shopt -u nullglob
if [ "$missing_module" = 1 ] || [ "$(cat "$kernel_stamp" 2>/dev/null)" != "$kernels_want" ]; then
  log "compiling the kernels (setup.py build_ext --inplace)"
  "$VPY" setup.py -q build_ext --inplace -j 2 >/dev/null
  echo "$kernels_want" > "$kernel_stamp"
else
  log "kernels up to date"
fi

# 2. ocrprep itself (editable) and the extras of this level, when the packaging metadata changed
install_stamp=.venv/.ocrprep-install-stamp
meta=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
have=$(cat "$install_stamp" 2>/dev/null || true)
if [ "$level" = test ]; then extras="all"; else extras="pdf,progress"; fi
if [ "$have" != "$meta test" ] && [ "$have" != "$meta $level" ]; then
  log "installing ocrprep (editable) with the extras: $extras"
  OCRPREP_SKIP_KERNELS=1 "$VPY" -m pip install -q --no-build-isolation -e ".[$extras]"
  echo "$meta $level" > "$install_stamp"
fi
if [ "$level" = test ] && [ "${OCRPREP_SKIP_BROWSER:-0}" != 1 ]; then
  "$VPY" -m playwright --version >/dev/null 2>&1 || "$VPY" -m pip install -q playwright
fi
"$VPY" -c "import ocrprep, ocrprep.histogram" || { log "ocrprep does not import"; exit 1; }
log "ready ($level): $("$VPY" -c 'import ocrprep; print("ocrprep", ocrprep.__version__, "from", ocrprep.__file__)')"
