#!/usr/bin/env bash
# pnpm bench: installs wrk and etcd if missing, starts PostgreSQL, then runs the side-by-side heartbeat benchmark.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$(repo_root)"
if ! command -v wrk >/dev/null || ! command -v etcd >/dev/null; then
  echo "==> installing wrk and etcd from Debian"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk etcd-server >/dev/null
fi
if [ -z "${ROLLCALL_TEST_POSTGRES_URL:-}" ]; then ROLLCALL_TEST_POSTGRES_URL="$(ensure_postgres)"; fi
export ROLLCALL_TEST_POSTGRES_URL
# The compiled server, as production runs it.
pnpm_cmd exec turbo run build --filter=@rollcall/server...
pnpm_cmd --filter @rollcall/server bench
