#!/bin/sh
# Console container entrypoint: render config.json and the API upstream list
# from the environment (docker/nginx/render-runtime.sh), check the nginx
# configuration, then run the command (nginx in the foreground by default).
set -eu
/usr/local/bin/acc-render-runtime
nginx -t -q -c /etc/nginx/nginx.conf
exec "$@"
