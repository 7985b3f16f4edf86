#!/usr/bin/env bash
# Installs the official openai client and Node 22 (pinned in package-lock.json); fast when already installed.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../../../../scripts/npm-install-pinned.sh" "$here"
