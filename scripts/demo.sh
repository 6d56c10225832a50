#!/usr/bin/env bash
# The one run command (README): installs, builds, and starts the registry server, the console and a demo fleet
# on the embedded SQLite database. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$(repo_root)"

install_dependencies
# The console, and the server with what it runs: the runtime SDK the demo fleet uses is built, not read as source.
pnpm_cmd exec turbo run build --filter=@rollcall/console --filter=@rollcall/server...

export DATABASE_URL="${DATABASE_URL:-file:$PWD/data/rollcall.db}"
export ROLLCALL_ADMIN_TOKEN="${ROLLCALL_ADMIN_TOKEN:-$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')}"
# The console's first operator. Generated once and kept beside the database, because the account is created only
# on the first start against an empty account table: a later run must print the password that actually works.
CREDENTIALS="$(dirname "${DATABASE_URL#file:}")/console-operator.txt"
if [[ -z "${ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD:-}" ]]; then
  mkdir -p "$(dirname "$CREDENTIALS")"
  if [[ ! -s "$CREDENTIALS" ]]; then
    (umask 077; node -e 'console.log(require("crypto").randomBytes(12).toString("base64url"))' > "$CREDENTIALS")
  fi
  ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD="$(cat "$CREDENTIALS")"
fi
export ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME="${ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME:-admin}"
export ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD
# Demo liveness: a silent runtime turns offline within a minute instead of the production 90 s. The console reads
# the same settings, so an operator's clear is decided with the server's thresholds.
export ROLLCALL_OFFLINE_AFTER_SECONDS="${ROLLCALL_OFFLINE_AFTER_SECONDS:-20}"
SERVER_PORT="${PORT:-8080}"
CONSOLE_PORT="${CONSOLE_PORT:-3000}"

pids=()
cleanup() { trap - EXIT INT TERM; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The simulated runtimes advertise loopback URLs, which dev mode allows.
(cd apps/server && PORT="$SERVER_PORT" ROLLCALL_DEV_MODE=1 \
  ROLLCALL_SWEEP_INTERVAL_SECONDS="${ROLLCALL_SWEEP_INTERVAL_SECONDS:-2}" node --max-semi-space-size=32 --import tsx src/main.ts) &
pids+=($!)
node -e 'const url = process.argv[1]; const until = Date.now() + 60_000;
  (async () => { while (Date.now() < until) { try { if ((await fetch(url)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 500)); } process.exit(1); })();' \
  "http://127.0.0.1:$SERVER_PORT/readyz" || { echo "the registry server did not become ready" >&2; exit 1; }

(cd apps/console && pnpm_cmd exec next start -H 127.0.0.1 -p "$CONSOLE_PORT") &
pids+=($!)
(cd apps/server && ROLLCALL_URL="http://127.0.0.1:$SERVER_PORT" node --import tsx src/demo/fleet.ts) &
pids+=($!)

cat <<INFO

  Rollcall is running on the embedded SQLite database ($DATABASE_URL)
    console      http://127.0.0.1:$CONSOLE_PORT
                 sign in as $ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME / $ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD   (role: operator)
    runtime API  http://127.0.0.1:$SERVER_PORT   (POST /registry/register, /registry/heartbeat, /trpc/…)
    operator API Authorization: Bearer $ROLLCALL_ADMIN_TOKEN
  Ctrl-C stops the server, the console and the demo fleet.

INFO
wait -n "${pids[@]}"
