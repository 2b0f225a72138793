#!/usr/bin/env bash
# Installs the Debian packages the test command needs, when missing: Chromium
# for the browser suite (never a browser download of a test tool), nginx and
# PgBouncer for the scale-out and smoke tests, promtool (package prometheus),
# shellcheck and docker-compose for the operations checks. Needs root for a
# missing package; prints what is missing otherwise and exits 1.
#   scripts/ensure-tools.sh
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

declare -A package_of=(
  [chromium]=chromium [nginx]=nginx [pgbouncer]=pgbouncer
  [promtool]=prometheus [shellcheck]=shellcheck [docker-compose]=docker-compose
)
missing=()
for bin in "${!package_of[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("${package_of[$bin]}")
done
[ "${#missing[@]}" = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi

echo "installing from Debian: ${missing[*]}"
# The packages' own services (nginx, pgbouncer, prometheus) must not start:
# the tests run their own instances on free ports (policy-rc.d 101 = forbidden).
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
fi
trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for bin in "${!package_of[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || { echo "still missing after install: $bin" >&2; exit 1; }
done
