#!/usr/bin/env bash
# Idempotent set-up of a fresh machine for ocrprep development:
#   1. system packages: Tesseract (+ English data) for recognition, poppler-utils
#      (pdftotext) for the export tests, and
#      Chromium for the demo-page browser test (Debian/Ubuntu via apt-get);
#   2. a virtual environment in .venv with ocrprep (editable, compiled) and
#      every extra the tests and benchmarks use.
# Safe to run again: it only does what is missing, then rebuilds changed kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}

log() { printf '[setup] %s\n' "$*" >&2; }

apt_missing=()
command -v tesseract >/dev/null 2>&1 || apt_missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || apt_missing+=(tesseract-ocr-eng)
# pdftotext reads back the searchable PDFs in the export tests
command -v pdftotext >/dev/null 2>&1 || apt_missing+=(poppler-utils)
if [ "${OCRPREP_SKIP_BROWSER:-0}" != 1 ]; then
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

# Reinstall when the packaging metadata changed; otherwise only rebuild kernels.
stamp=.venv/.ocrprep-install-stamp
want=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing ocrprep (editable) with all extras"
  "$VPY" -m pip install -q --upgrade pip setuptools wheel "Cython>=3.0" build
  "$VPY" -m pip install -q --no-build-isolation -e ".[all]"
  "$VPY" -m playwright --version >/dev/null 2>&1 || "$VPY" -m pip install -q playwright
  echo "$want" > "$stamp"
else
  log "rebuilding changed kernels"
  "$VPY" setup.py -q build_ext --inplace -j 2 >/dev/null
fi
"$VPY" -c "import ocrprep, ocrprep.histogram" || { log "ocrprep does not import"; exit 1; }
log "ready: $("$VPY" -c 'import ocrprep; print("ocrprep", ocrprep.__version__, "from", ocrprep.__file__)')"
