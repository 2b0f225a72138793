#!/usr/bin/env bash
# `npm run test:mutation [part...]`: StrykerJS over the security-critical
# code (docs/testing.md lists what, the score and every surviving mutant).
# Slow, so not part of `npm test`. Reports: reports/mutation/*.html.
set -euo pipefail
cd "$(dirname "$0")/.."
# as the api:test target (apps/api/project.json): ts-node reads the .cts jest
# configs, and the API specs need the VM modules flag
export TS_NODE_COMPILER_OPTIONS='{"moduleResolution":"node10","module":"commonjs","customConditions":null}'
export NODE_OPTIONS='--experimental-vm-modules --disable-warning=ExperimentalWarning'
parts=("$@")
# the pure rules first: they take minutes, the others longer
[ $# -gt 0 ] || parts=(contracts timeline guard tenancy calls members)
for p in "${parts[@]}"; do
  npx stryker run "stryker/$p.config.mjs"
done
