#!/usr/bin/env bash
# The main job on the sample shipped inside the package: set up only what the demo
# needs (Tesseract, .venv with ocrprep and its pdf/progress extras: ./scripts/setup.sh),
# then binarize + recognize it, writing results to ./ocrprep-demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/ocrprep demo -o ocrprep-demo "$@"
