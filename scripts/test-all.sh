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

# Each package's runner writes its own report under .test-results/ (scripts/test-totals.mjs reads them); a stale one
# from an earlier run must not count.
rm -rf apps/*/.test-results packages/*/.test-results tooling/*/.test-results
status=0
pnpm_cmd exec turbo run typecheck lint //#format:check build || status=$?
if [ "$status" != 0 ]; then
  echo "type-check, lint or build failed: no tests ran" >&2
  exit "$status"
fi
# One package at a time: the integration tests start real servers and would fight for the two cores.
pnpm_cmd exec turbo run test --concurrency=1 --continue || status=$?
echo
node scripts/test-totals.mjs . "$status"
exit "$status"
