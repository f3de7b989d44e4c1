# Sourced by run.sh and test.sh: make .venv and install docclean into it,
# skipping the install when pyproject.toml has not changed since the last one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DOCCLEAN_VENV:-$ROOT/.venv}"
EXTRAS="${1:-}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
STAMP="$VENV/.docclean-installed"
WANT="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)$EXTRAS"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "docclean: installing dependencies into $VENV (first run takes a minute or two)…" >&2
  LOG="$VENV/install.log"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >"$LOG" 2>&1 || true
  # Build-backend chatter goes to the log; it is shown only if the install fails.
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$EXTRAS" >>"$LOG" 2>&1; then
    grep -v "^WARNING: Location" "$LOG" >&2
    echo "docclean: install failed (log: $LOG)" >&2
    exit 1
  fi
  echo "$WANT" > "$STAMP"
fi
