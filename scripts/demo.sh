#!/usr/bin/env bash
# The main job on the sample shipped inside the package: set up what is
# missing, then binarize + recognize it, writing results to ./ocrprep-demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/ocrprep demo -o ocrprep-demo "$@"
