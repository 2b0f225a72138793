#!/usr/bin/env bash
# Smoke test of docker/nginx/*.conf with the Debian nginx on loopback only:
# the real config files, with their absolute paths moved into a temp dir and
# `listen 80` moved to a spare 127.0.0.1 port, in front of two stand-in API
# instances (ops/tests/fake-api.js) and the console build (or a stub).
# Also enables the commented HTTPS server with a self-signed certificate.
#
#   ops/tests/nginx-smoke.sh            (installs nothing; needs nginx, node, curl, openssl)
#
# Prints one line per check and "N passed, N failed" at the end.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
for bin in nginx node curl openssl; do
  command -v "$bin" >/dev/null || { echo "missing $bin (apt-get install -y nginx curl openssl)" >&2; exit 2; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

T="$(mktemp -d /tmp/acc-nginx-smoke.XXXXXX)"
chmod 755 "$T"
pids=()
cleanup() {
  if [ -f "$T/run/nginx.pid" ]; then kill "$(cat "$T/run/nginx.pid")" 2>/dev/null || true; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  rm -rf "$T"
}
trap cleanup EXIT

HTTP_PORT=$(free_port); TLS_PORT=$(free_port); API1=$(free_port); API2=$(free_port)
mkdir -p "$T/etc" "$T/run" "$T/lib/tmp" "$T/lib/acme/.well-known/acme-challenge" "$T/log" "$T/console" "$T/tls"
cp "$root"/docker/nginx/*.conf "$T/etc/"

console_src="$root/dist/apps/console/browser"
if [ -f "$console_src/index.html" ]; then
  cp -r "$console_src"/. "$T/console/"
else
  echo "(no console build at $console_src: using a stub index.html + hashed file)"
  echo '<!doctype html><html><body><app-root></app-root><script src="main-STUBHASH.js" type="module"></script></body></html>' >"$T/console/index.html"
fi
# A hashed asset we know the name of, large enough to be gzipped.
head -c 4096 /dev/zero | tr '\0' 'a' | sed 's/^/console.log("/; s/$/");/' >"$T/console/chunk-SMOKE123.js"
echo "token-for-acme" >"$T/lib/acme/.well-known/acme-challenge/test-token"

# Move every absolute path of the config into $T; listen on loopback ports.
for f in "$T"/etc/*.conf; do
  sed -i \
    -e "s#/run/ai-call-center-web#$T/run#g" \
    -e "s#/var/lib/ai-call-center-web#$T/lib#g" \
    -e "s#/var/log/ai-call-center-web#$T/log#g" \
    -e "s#/srv/ai-call-center/console#$T/console#g" \
    -e "s#listen 80 default_server;#listen 127.0.0.1:$HTTP_PORT default_server;#" \
    -e '/listen \[::\]:80 default_server;/d' \
    "$f"
done
# Enable the documented HTTPS server: uncomment it, self-signed certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=console.example.com" \
  -keyout "$T/tls/privkey.pem" -out "$T/tls/fullchain.pem" >/dev/null 2>&1
python3 - "$T/etc/nginx.conf" "$T/tls" "$TLS_PORT" <<'EOF'
import re, sys
path, tls, port = sys.argv[1:]
s = open(path).read()
start = s.index('    # server {\n    #     listen 443')
end = s.index('    # }\n', start) + len('    # }\n')
block = re.sub(r'^    # ?', '    ', s[start:end], flags=re.M)
block = block.replace('listen 443 ssl http2;', f'listen 127.0.0.1:{port} ssl http2;')
block = re.sub(r'\n\s*listen \[::\]:443 ssl http2;', '', block)
block = block.replace('/etc/letsencrypt/live/console.example.com', tls)
open(path, 'w').write(s[:start] + block + s[end:])
EOF

ACC_WEB_RUNTIME_DIR="$T/run" API_UPSTREAMS="127.0.0.1:$API1,127.0.0.1:$API2" \
  API_URL="" APP_NAME='AI Call Center' APP_VERSION='9.9.9-smoke' sh "$root/docker/nginx/render-runtime.sh"

node "$here/fake-api.js" "$API1" api-1 >"$T/log/api-1.log" 2>&1 & pids+=($!)
api1_pid=$!
node "$here/fake-api.js" "$API2" api-2 >"$T/log/api-2.log" 2>&1 & pids+=($!)

chmod -R a+rX "$T"
chmod -R a+rwX "$T/run" "$T/lib" "$T/log"
run_nginx=(nginx -c "$T/etc/nginx.conf")
# Like the systemd unit and the container: an unprivileged master.
if [ "$(id -u)" = 0 ]; then run_nginx=(runuser -u nobody -- "${run_nginx[@]}"); fi
"${run_nginx[@]}" -t 2>&1 | sed 's/^/  nginx -t: /'
"${run_nginx[@]}"
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/nginx-health" >/dev/null 2>&1 && break
  sleep 0.1
done

pass=0; fail=0
check() { # name, then a command that must succeed
  local name="$1"; shift
  if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); echo "ok   - $name"
  else fail=$((fail + 1)); echo "FAIL - $name"; fi
}
H="http://127.0.0.1:$HTTP_PORT"
S="https://127.0.0.1:$TLS_PORT"
hdr() { curl -sS -o /dev/null -D - "$@" | tr -d '\r'; }
has() { grep -qi -- "$1"; }
lacks() { ! grep -qi -- "$1"; }

check "GET / serves the console index.html" bash -c "curl -fsS $H/ | grep -q '<app-root'"
# script-src 'self' blocks inline event handlers such as Angular's critical-CSS
# <link media="print" onload="this.media='all'">: the stylesheet would never apply.
no_inline_handlers() { ! curl -fsS "$H/" | grep -Eiq '<[^>]+ on[a-z]+="'; }
check "index.html has no inline event handlers (blocked by the CSP)" no_inline_handlers
check "console route /leads/123 falls back to index.html" bash -c "curl -fsS $H/leads/123 | grep -q '<app-root'"
h=$(hdr "$H/")
check "X-Frame-Options DENY" has '^X-Frame-Options: DENY' <<<"$h"
check "X-Content-Type-Options nosniff" has '^X-Content-Type-Options: nosniff' <<<"$h"
check "Referrer-Policy" has '^Referrer-Policy: strict-origin-when-cross-origin' <<<"$h"
check "Content-Security-Policy with frame-ancestors 'none'" has "^Content-Security-Policy: default-src 'self'.*frame-ancestors 'none'" <<<"$h"
check "Permissions-Policy" has '^Permissions-Policy: camera=()' <<<"$h"
check "index.html is Cache-Control no-cache" has '^Cache-Control: no-cache' <<<"$h"
check "no HSTS over plain HTTP" lacks '^Strict-Transport-Security' <<<"$h"
check "no server version in Server header" has '^Server: nginx$' <<<"$h"
h=$(hdr "$H/chunk-SMOKE123.js")
check "hashed asset cached 1 year, immutable" has 'Cache-Control: public, max-age=31536000, immutable' <<<"$h"
check "hashed asset keeps the security headers" has '^X-Content-Type-Options: nosniff' <<<"$h"
check "hashed asset gzip-compressed" bash -c "curl -sS -H 'Accept-Encoding: gzip' -D - -o /dev/null $H/chunk-SMOKE123.js | grep -qi '^Content-Encoding: gzip'"
check "missing hashed asset is 404, not index.html" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $H/main-MISSING1.js)\" = 404 ]"
check "missing favicon-like file is 404" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $H/nope.png)\" = 404 ]"
check "/config.json rendered from env" bash -c "curl -fsS $H/config.json | grep -q '\"appVersion\":\"9.9.9-smoke\"'"
check "/config.json is no-store" bash -c "curl -sS -D - -o /dev/null $H/config.json | grep -qi '^Cache-Control: no-store'"
check "ACME challenge served from webroot" bash -c "curl -fsS $H/.well-known/acme-challenge/test-token | grep -q token-for-acme"
check "/api/v1/... proxied to an API instance" bash -c "curl -fsS $H/api/v1/leads?limit=5 | grep -q '\"url\":\"/api/v1/leads?limit=5\"'"
check "X-Request-Id and X-Forwarded-For passed to the API" bash -c "curl -fsS $H/api/v1/x | grep -q 'x-request-id' && curl -fsS $H/api/v1/x | grep -q 'x-forwarded-for'"
check "/api/docs/swagger-ui.css goes to the API, not the static files" bash -c "curl -fsS $H/api/docs/swagger-ui.css | grep -q '\"instance\"'"
check "/health proxied" bash -c "curl -fsS $H/health | grep -q '\"status\":\"healthy\"'"
check "/health/ready proxied" bash -c "curl -fsS $H/health/ready | grep -q healthy"
check "/metrics allowed from 127.0.0.1" bash -c "curl -fsS $H/metrics | grep -q acc_fake_up"
check "/metrics denied from another loopback address (127.0.0.2)" bash -c "[ \"\$(curl -s --interface 127.0.0.2 -o /dev/null -w '%{http_code}' $H/metrics)\" = 403 ]"
seen=$(for _ in $(seq 20); do curl -fsS "$H/api/v1/who"; echo; done | grep -o '"instance":"api-[12]"' | sort -u | wc -l)
check "requests spread over both instances ($seen of 2 seen)" test "$seen" = 2
check "WebSocket upgrade passes through (101)" bash -c "curl -sS -m 3 -o /dev/null -w '%{http_code}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' $H/api/v1/ws | grep -q 101"
big="$T/big.bin"; head -c 2097152 /dev/zero >"$big"
check "2 MB body to /api/v1/leads refused with 413" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @$big $H/api/v1/leads)\" = 413 ]"
check "2 MB CSV to /api/v1/leads/import reaches the API" bash -c "curl -fsS -X POST -H 'Content-Type: text/csv' --data-binary @$big $H/api/v1/leads/import | grep -q '\"bytes\":2097152'"
codes=$(for _ in $(seq 80); do curl -s -o /dev/null -w '%{http_code}\n' -X POST "$H/api/v1/auth/login"; done | sort | uniq -c | tr '\n' ' ')
check "login burst is rate limited with 429 ($codes)" grep -q ' 429' <<<" $codes"
check "other API paths are not rate limited" bash -c "for i in \$(seq 80); do c=\$(curl -s -o /dev/null -w '%{http_code}' $H/api/v1/agents); [ \$c = 200 ] || exit 1; done"
h=$(hdr -k "$S/")
check "HTTPS server (self-signed) serves the console" bash -c "curl -kfsS $S/ | grep -q '<app-root'"
check "HSTS on HTTPS" has '^Strict-Transport-Security: max-age=63072000; includeSubDomains' <<<"$h"
check "HTTPS keeps the other security headers" has '^X-Frame-Options: DENY' <<<"$h"
check "HTTPS proxies the API" bash -c "curl -kfsS $S/api/v1/x | grep -q '\"x-forwarded-proto\":\"https\"'"

kill "$api1_pid"; wait "$api1_pid" 2>/dev/null || true
bad=0
for _ in $(seq 30); do
  c=$(curl -s -o /dev/null -w '%{http_code}' "$H/api/v1/leads")
  [ "$c" = 200 ] || bad=$((bad + 1))
done
check "one API instance stopped: 30 GETs still 200 ($bad failed)" test "$bad" = 0
check "access log is JSON with request_id and upstream" bash -c "tail -n 1 $T/log/access.log | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d[\"request_id\"] and d[\"upstream\"]'"

echo "nginx smoke: $pass passed, $fail failed"
[ "$fail" = 0 ]
