#!/usr/bin/env bash
# The one run command (README): installs, builds, and starts the registry server, the console and a demo fleet
# on the embedded SQLite database. Ctrl-C stops everything. `--reset` first deletes the demo's database (and its
# console password), so the run starts empty.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$(repo_root)"

reset=0
for arg in "$@"; do
  case "$arg" in
    --reset) reset=1 ;;
    *) echo "usage: npm run demo [-- --reset]" >&2; exit 2 ;;
  esac
done

install_dependencies
# The console, and the server with what it runs: the runtime SDK the demo fleet uses is built, not read as source.
pnpm_cmd exec turbo run build --filter=@rollcall/console --filter=@rollcall/server...

DATABASE_URL="${DATABASE_URL:-file:$PWD/data/rollcall.db}"
[[ "$DATABASE_URL" = file:* ]] || { echo "the demo runs on the embedded SQLite database: DATABASE_URL must be a file: URL" >&2; exit 2; }
# Absolute: the server and the console each start in their own directory, and would open different files.
DB_FILE="$(realpath -m "${DATABASE_URL#file:}")"
export DATABASE_URL="file:$DB_FILE"
DATA_DIR="$(dirname "$DB_FILE")"
if [[ "$reset" = 1 ]]; then
  echo "==> --reset: deleting $DB_FILE and the console password beside it"
  rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm" "$DATA_DIR/console-operator.txt"
fi
# The server's and the console's JSON logs go to files; the terminal keeps the fleet's human narrative.
LOG_DIR="$DATA_DIR/logs"
mkdir -p "$LOG_DIR"
export ROLLCALL_ADMIN_TOKEN="${ROLLCALL_ADMIN_TOKEN:-$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')}"
# The console's first operator. Generated once and kept beside the database, because the account is created only
# on the first start against an empty account table: a later run must print the password that actually works.
CREDENTIALS="$DATA_DIR/console-operator.txt"
if [[ -z "${ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD:-}" ]]; then
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
  ROLLCALL_SWEEP_INTERVAL_SECONDS="${ROLLCALL_SWEEP_INTERVAL_SECONDS:-2}" node --max-semi-space-size=32 dist/main.js) >>"$LOG_DIR/server.log" 2>&1 &
pids+=($!)
node -e 'const url = process.argv[1]; const until = Date.now() + 60_000;
  (async () => { while (Date.now() < until) { try { if ((await fetch(url)).ok) return; } catch {} await new Promise((r) => setTimeout(r, 500)); } process.exit(1); })();' \
  "http://127.0.0.1:$SERVER_PORT/readyz" || { echo "the registry server did not become ready; see $LOG_DIR/server.log" >&2; tail -20 "$LOG_DIR/server.log" >&2; exit 1; }

# Dev mode in the console too: an operator may point a notification endpoint at a receiver on this machine.
(cd apps/console && ROLLCALL_DEV_MODE=1 pnpm_cmd exec next start -H 127.0.0.1 -p "$CONSOLE_PORT") >>"$LOG_DIR/console.log" 2>&1 &
pids+=($!)

banner() {
  cat <<INFO

  Rollcall is running on the embedded SQLite database ($DATABASE_URL)
    console      http://127.0.0.1:$CONSOLE_PORT
                 sign in as $ROLLCALL_CONSOLE_FIRST_OPERATOR_NAME / $ROLLCALL_CONSOLE_FIRST_OPERATOR_PASSWORD   (role: operator)
    runtime API  http://127.0.0.1:$SERVER_PORT   (POST /registry/register, /registry/heartbeat, /trpc/…)
    operator API Authorization: Bearer $ROLLCALL_ADMIN_TOKEN
    logs         $LOG_DIR/server.log, $LOG_DIR/console.log
  npm run demo -- --reset starts again from an empty database. Ctrl-C stops the server, the console and the fleet.

INFO
}
banner
# The fleet's narrative, with the banner again once the fleet is up, so the credentials are on screen to copy.
narrate() {
  while IFS= read -r line; do
    printf '%s\n' "$line"
    if [[ "$line" == *"fleet"*"running; Ctrl-C stops it"* ]]; then banner; fi
  done
}
(cd apps/server && ROLLCALL_URL="http://127.0.0.1:$SERVER_PORT" exec node --import tsx src/demo/fleet.ts) > >(narrate) 2>&1 &
pids+=($!)
wait -n "${pids[@]}"
