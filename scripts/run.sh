#!/usr/bin/env bash
# Set up (once) and run the main job: clean raw/ into processed/.
# Any docclean-run option passes through, e.g. scripts/run.sh --raw other/ --out out/
set -euo pipefail
source "$(dirname "$0")/_venv.sh" ""
cd "$ROOT"
exec "$VENV/bin/docclean" run "$@"
