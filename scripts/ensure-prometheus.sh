#!/bin/sh
# The server tests scrape a running server with the real Prometheus and check the
# compose profile's configuration with promtool (server/test/monitoring.test.ts).
# Install it when missing and we are allowed to.
set -e
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Prometheus for the monitoring test (apt-get install prometheus)…"
  apt-get update -qq
  # The test starts its own Prometheus on a free port: keep the package's service from starting.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  status=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null || status=$?
  rm -f /usr/sbin/policy-rc.d
  exit $status
fi
echo "The server tests need Prometheus (monitoring.test.ts). Install it (Debian: sudo apt-get install prometheus)." >&2
exit 1
