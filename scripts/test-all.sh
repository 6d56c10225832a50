#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then type-checks, lints, runs every test on
# SQLite and PostgreSQL, and builds the console.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$(repo_root)"

install_dependencies
if [ -z "${ROLLCALL_TEST_POSTGRES_URL:-}" ]; then ROLLCALL_TEST_POSTGRES_URL="$(ensure_postgres)"; fi
export ROLLCALL_TEST_POSTGRES_URL
ensure_chromium

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
pnpm_cmd exec turbo run typecheck lint build || status=$?
if [ "$status" = 0 ]; then
  # One package at a time: the integration tests start real servers and would fight for the two cores.
  pnpm_cmd exec turbo run test --concurrency=1 2>&1 | tee "$log" || status=$?
fi
# node:test ends with "# pass N" / "# fail N"; Playwright (the console's e2e, once per database) with
# "N passed (1.2m)" / "N failed". A pattern may match nothing (no failures), which must not end the script.
count() { { grep -Eo "$1" "$log" || true; } | sed -E 's/^[^0-9]*([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}'; }
passed=$(( $(count '# pass [0-9]+') + $(count '[0-9]+ passed \([0-9.]+m?s?\)') ))
failed=$(( $(count '# fail [0-9]+') + $(count '[0-9]+ failed$') ))
echo
echo "all packages: ${passed} passed, ${failed} failed"
exit "$status"
