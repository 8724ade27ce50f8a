#!/usr/bin/env bash
# The CDN test (tests/scale/cdn-cache.test.ts) and `npm run bench` put Debian's nginx in front of the
# service as the cache (proxy_cache), started by the test itself on a spare port with its own config.
# A fresh machine of this kind has no nginx: install Debian's package when it is missing, without
# letting the package start the system's nginx on port 80 (policy-rc.d refuses service starts during
# the install).
set -u
NGINX=${NGINX_PATH:-/usr/sbin/nginx}
[ -x "$NGINX" ] && exit 0
echo "nginx missing at $NGINX: installing Debian's package (the CDN cache test needs it)"
log=$(mktemp)
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
fi
ok=0
if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light) >"$log" 2>&1 && [ -x "$NGINX" ]; then
  ok=1
fi
[ "$made_policy" = 1 ] && rm -f "$policy"
if [ "$ok" = 1 ]; then
  echo "nginx: $("$NGINX" -v 2>&1 | head -1)"
  exit 0
fi
tail -20 "$log"
echo "FATAL: cannot install nginx (the CDN cache test needs $NGINX): run 'apt-get install nginx-light' as root, or set NGINX_PATH"
exit 1
