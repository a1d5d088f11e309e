#!/usr/bin/env bash
# The test command: set up what is missing (the demo's set-up plus the test tools,
# Chromium and playwright: ./scripts/setup.sh --test), then run the whole test suite
# (unit, oracle, property, integration, doctest). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
exec .venv/bin/python -m pytest tests "$@"
