#!/usr/bin/env bash
# Set up (once) and run the test suite. .ci/run calls exactly this.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" "[test]"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
