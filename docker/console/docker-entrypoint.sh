#!/bin/sh
# Console container entrypoint: render config.json and the API upstream list
# from the environment (docker/nginx/render-runtime.sh), check the nginx
# configuration, then run the command (nginx in the foreground by default).
set -eu
runtime="${ACC_WEB_RUNTIME_DIR:-/run/ai-call-center-web}"
/usr/local/bin/acc-render-runtime

# Hosts with IPv6 disabled cannot bind [::]:80: use a copy without those
# listen lines (ACC_NO_IPV6=1 forces it).
conf=/etc/nginx/nginx.conf
if [ "${ACC_NO_IPV6:-0}" = 1 ] || [ ! -f /proc/net/if_inet6 ]; then
  for f in /etc/nginx/nginx.conf /etc/nginx/acc-*.conf; do
    sed '/listen \[::\]/d' "$f" >"$runtime/$(basename "$f")"
  done
  conf="$runtime/nginx.conf"
  echo "entrypoint: no IPv6, listening on IPv4 only"
fi

nginx -t -q -c "$conf"
if [ "${1:-}" = nginx ]; then
  shift
  exec nginx -c "$conf" "$@"
fi
exec "$@"
