#!/usr/bin/env bash
# `npm start`: build the API and the console, then run the API, which also
# serves the console. Without DATABASE_URL the data lives in an embedded
# PostgreSQL (PGlite) under ./data, and the first run creates a demo tenant
# whose login is printed below.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
npx nx run-many -t build -p api console --outputStyle=static
exec env MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" node --max-old-space-size=384 dist/apps/api/main.js
