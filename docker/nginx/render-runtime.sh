#!/bin/sh
# Writes the files nginx.conf reads at start from the environment, into
# ACC_WEB_RUNTIME_DIR (default /run/ai-call-center-web):
#
#   config.json              the console's runtime settings, served at /config.json
#                            {"apiUrl": API_URL, "appName": APP_NAME, "appVersion": APP_VERSION}
#   upstream-servers.conf    one `server host:port ...;` line per API instance in
#                            API_UPSTREAMS (space or comma separated host:port list)
#   http-vars.conf           $acc_api_origin for the CSP connect-src: the origin of
#                            API_URL when the API lives on another origin, else empty
#
# Used by the console container's entrypoint and by the console host's systemd
# unit (ExecStartPre). POSIX sh + sed/tr only (busybox in nginx:alpine).
set -eu

RUNTIME_DIR="${ACC_WEB_RUNTIME_DIR:-/run/ai-call-center-web}"
API_URL="${API_URL:-}"
APP_NAME="${APP_NAME:-AI Call Center}"
APP_VERSION="${APP_VERSION:-unknown}"
API_UPSTREAMS="${API_UPSTREAMS:-127.0.0.1:8081 127.0.0.1:8082}"
# Passive health checking of each instance: after max_fails errors within
# fail_timeout the instance is skipped for fail_timeout.
API_UPSTREAM_PARAMS="${API_UPSTREAM_PARAMS:-max_fails=3 fail_timeout=10s}"

die() {
  echo "render-runtime: $*" >&2
  exit 1
}

# JSON string body: backslash and quote escaped, control characters dropped.
json_escape() {
  printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

case "$API_UPSTREAM_PARAMS" in
  *[!a-z0-9_=\ ]*) die "API_UPSTREAM_PARAMS may hold only nginx server parameters (got '$API_UPSTREAM_PARAMS')" ;;
esac

api_origin=""
if [ -n "$API_URL" ]; then
  case "$API_URL" in
    /*) ;; # same origin, a path prefix: CSP 'self' covers it
    http://* | https://*)
      api_origin=$(printf '%s' "$API_URL" | sed -n -E 's#^(https?://[A-Za-z0-9.-]+(:[0-9]+)?)(/.*)?$#\1#p')
      [ -n "$api_origin" ] || die "API_URL must look like https://host[:port][/path] (got '$API_URL')"
      ;;
    *) die "API_URL must be empty, a path, or an http(s) URL (got '$API_URL')" ;;
  esac
fi

mkdir -p "$RUNTIME_DIR"
umask 022

tmp="$RUNTIME_DIR/.config.json.$$"
printf '{"apiUrl":"%s","appName":"%s","appVersion":"%s"}\n' \
  "$(json_escape "$API_URL")" "$(json_escape "$APP_NAME")" "$(json_escape "$APP_VERSION")" >"$tmp"
mv -f "$tmp" "$RUNTIME_DIR/config.json"

tmp="$RUNTIME_DIR/.upstream-servers.conf.$$"
: >"$tmp"
count=0
for server in $(printf '%s' "$API_UPSTREAMS" | tr ',' ' '); do
  case "$server" in
    *[!A-Za-z0-9.:_\[\]-]* | *:) die "bad API_UPSTREAMS entry '$server' (want host:port)" ;;
    *:[0-9]*) ;;
    *) die "bad API_UPSTREAMS entry '$server' (want host:port)" ;;
  esac
  printf 'server %s %s;\n' "$server" "$API_UPSTREAM_PARAMS" >>"$tmp"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { rm -f "$tmp"; die "API_UPSTREAMS is empty"; }
mv -f "$tmp" "$RUNTIME_DIR/upstream-servers.conf"

tmp="$RUNTIME_DIR/.http-vars.conf.$$"
printf 'map $host $acc_api_origin { default "%s"; }\n' "$api_origin" >"$tmp"
mv -f "$tmp" "$RUNTIME_DIR/http-vars.conf"

echo "render-runtime: wrote config.json, upstream-servers.conf ($count API instances), http-vars.conf to $RUNTIME_DIR"
