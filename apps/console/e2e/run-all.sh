#!/usr/bin/env bash
# The console's end-to-end tests, once per database: SQLite always, PostgreSQL whenever ROLLCALL_TEST_POSTGRES_URL
# is set (the README's test command and CI always set it; under CI its absence is an error, as for every package).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
npx playwright test || status=$?
if [ -n "${ROLLCALL_TEST_POSTGRES_URL:-}" ]; then
  ROLLCALL_E2E_DATABASE=postgresql npx playwright test || status=$?
elif [ -n "${CI:-}" ]; then
  echo "ROLLCALL_TEST_POSTGRES_URL must be set in CI: the e2e tests run on PostgreSQL too" >&2
  status=1
else
  echo "ROLLCALL_TEST_POSTGRES_URL is not set: skipping the PostgreSQL e2e run (npm run test:all sets it up)" >&2
fi
exit "$status"
