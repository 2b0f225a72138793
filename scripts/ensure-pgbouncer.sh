#!/usr/bin/env bash
# The API suite's database-setup matrix runs Debian's PgBouncer (transaction
# pooling) in front of the test server. Root installs it, with its packaged
# service kept from starting (policy-rc.d: 101 = action forbidden).
set -euo pipefail
if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "pgbouncer is missing: run 'sudo apt-get update && sudo apt-get install -y pgbouncer'" >&2
  exit 1
fi
echo "installing Debian's pgbouncer for the database-setup tests..."
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
fi
status=0
{ apt-get update -qq && apt-get install -y -qq pgbouncer >/dev/null; } || status=$?
[ "$made_policy" = 1 ] && rm -f "$policy"
exit "$status"
