#!/usr/bin/env bash
# Installs the js-libp2p test peers (pinned in package-lock.json); fast when already installed.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../../../scripts/npm-install-pinned.sh" "$here"
