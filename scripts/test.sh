#!/usr/bin/env bash
# Set up (once) and run the test suite. .ci/run calls exactly this.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" "[test]"
cd "$ROOT"
# The diff page and the report are tested in a real browser: Debian's chromium, and a CJK font
# (without one every Chinese character is drawn as a box, and the browser tests fail), each
# installed when missing and this machine lets us (root with apt). Without chromium those tests
# skip, except under CI.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-wqy-zenhei)
if [ "${#need[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "docclean: installing ${need[*]} for the browser tests…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") \
    >/dev/null 2>&1 || echo "docclean: could not install ${need[*]}" >&2
fi
exec "$VENV/bin/python" -m pytest "$@"
