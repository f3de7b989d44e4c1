#!/usr/bin/env bash
# Set up (once) and run the test suite. .ci/run calls exactly this.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" "[test]"
cd "$ROOT"
# The diff page is tested in a real browser: Debian's chromium, installed when missing
# and this machine lets us (root with apt). Without it that test skips, except under CI.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "docclean: installing chromium for the browser test…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
    >/dev/null 2>&1 || echo "docclean: could not install chromium" >&2
fi
exec "$VENV/bin/python" -m pytest "$@"
