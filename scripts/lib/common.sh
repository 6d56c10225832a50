# Shared by the run, test and CI scripts. Source it; it does nothing on its own.
# Only Node 20 and npm are assumed; everything else is installed here.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
# better-sqlite3 compiles from source here; point node-gyp at the local Node headers so it needs no download.
# Only where the headers exist: a machine with internet keeps the usual prebuilt-or-download path.
if [ -d /usr/include/node ] && [ -z "${npm_config_nodedir:-}" ]; then export npm_config_nodedir=/usr; fi

PNPM_VERSION=12.4.2
pnpm_cmd() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    pnpm "$@"
  else
    npx --yes "pnpm@$PNPM_VERSION" "$@"
  fi
}

install_dependencies() {
  echo "==> installing dependencies (pnpm $PNPM_VERSION; better-sqlite3 may compile for about a minute)"
  pnpm_cmd install --frozen-lockfile
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi; }

# Starts the local PostgreSQL cluster (installing it from Debian if needed) and prints a URL for a role that may
# create databases: each test file makes its own throwaway database.
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "==> installing PostgreSQL" >&2
    as_root apt-get update -qq >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  local version
  version="$(ls /etc/postgresql | sort -n | tail -1)"
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    echo "==> starting PostgreSQL $version" >&2
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  as_root su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='rollcall_test'\" | grep -q 1 || psql -q -c \"CREATE ROLE rollcall_test LOGIN CREATEDB PASSWORD 'rollcall_test'\"" >&2
  as_root su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='rollcall_test'\" | grep -q 1 || psql -q -c 'CREATE DATABASE rollcall_test OWNER rollcall_test'" >&2
  echo "postgres://rollcall_test:rollcall_test@127.0.0.1:5432/rollcall_test"
}

# Playwright cannot download browsers here; Debian's Chromium works (shared TOOLCHAIN.md).
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then return; fi
  if [ ! -x /usr/bin/chromium ]; then
    echo "==> installing Chromium from Debian (a few minutes)"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  export CHROMIUM_PATH=/usr/bin/chromium
}
