#!/usr/bin/env bash
# The repository's pnpm, for machines that have only Node and npm: the README's `npm run …` commands go through
# here, so none of them needs pnpm on the PATH (scripts/lib/common.sh runs pnpm 12.4.2 through npx when it is not).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
pnpm_cmd "$@"
