#!/usr/bin/env bash
# npm start: the live demo on a fresh machine. Installs what is missing, builds, checks Redis, then runs the server
# with embedded ClickHouse (chDB), the roll-up workers and the simulated schools in one process.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm install --no-audit --no-fund; fi  # not npm ci: see .ci/run
npm run --silent build
bash server/bin/ensure-redis.sh
# UV_THREADPOOL_SIZE: server/src/warehouse/chdb-warehouse.ts (AT_ONCE).
export AUTH_MODE="${AUTH_MODE:-dev}" SIMULATOR="${SIMULATOR:-on}" UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-8}"
exec node dist/pipelines/demo.js
