#!/bin/sh
# The server tests put the app behind a real nginx (server/test/behind-nginx.test.ts).
# Install it when missing and we are allowed to.
set -e
if [ -n "$NGINX_PATH" ] && [ -x "$NGINX_PATH" ]; then exit 0; fi
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing nginx for the reverse-proxy tests (apt-get install nginx)…"
  apt-get update -qq
  # The tests start their own nginx on a free port; Debian's service is not needed.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  exit 0
fi
echo "The server tests need nginx (behind-nginx.test.ts). Install it (Debian: sudo apt-get install nginx) or set NGINX_PATH." >&2
exit 1
