#!/usr/bin/env bash
# The project's test command (README): installs what a fresh Debian machine lacks, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

# ldconfig lives in /sbin, which a non-root PATH may lack.
ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
native_packages=()
"$ldconfig_bin" -p | grep -q 'libleveldb.so.1d' || native_packages+=(libleveldb1d)
"$ldconfig_bin" -p | grep -q 'libopenblas.so.0' || native_packages+=(libopenblas0-pthread)
# The work function's independent Python reference (tests/Work/reference) runs on Debian's python3.
/usr/bin/python3 -c 'import numpy, cryptography' 2>/dev/null || native_packages+=(python3 python3-numpy python3-cryptography)
if ((${#native_packages[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${native_packages[@]}"
  else
    echo "missing Debian packages; run: sudo apt-get install -y ${native_packages[*]}" >&2
    exit 1
  fi
fi

# Debian's chromium for the dashboard's browser test (no browser download); that test skips with the reason without it.
if ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || echo "test.sh: chromium could not be installed; the dashboard browser test will be skipped" >&2
  else
    echo "test.sh: no chromium (sudo apt-get install -y chromium); the dashboard browser test will be skipped" >&2
  fi
fi

# Tools some tests drive, installed when possible; without them those tests skip and say why:
# promtool (Debian 'prometheus') checks /metrics, systemd-analyze (Debian 'systemd') verifies scripts/p2pd.service.
optional_packages=()
command -v promtool >/dev/null || optional_packages+=(prometheus)
command -v systemd-analyze >/dev/null || optional_packages+=(systemd)
if ((${#optional_packages[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${optional_packages[@]}" ||
      echo "test.sh: could not install ${optional_packages[*]}; the tests that need them will be skipped" >&2
  else
    echo "test.sh: ${optional_packages[*]} missing (sudo apt-get install -y ${optional_packages[*]}); the tests that need them will be skipped" >&2
  fi
fi

# js-libp2p peers for the interop tests (npm packages pinned in tests/Interop/js/package.json).
if [ -x tests/Interop/js/setup.sh ]; then
  tests/Interop/js/setup.sh
fi
# The official openai npm client for the gateway test (tests/Daemon/Inference/js/package.json).
if [ -x tests/Daemon/Inference/js/setup.sh ]; then
  tests/Daemon/Inference/js/setup.sh
fi

# playwright-core and Node 22 for the dashboard's browser test (tests/Daemon/Dashboard/js/package.json).
if [ -x tests/Daemon/Dashboard/js/setup.sh ]; then
  tests/Daemon/Dashboard/js/setup.sh
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore P2P.sln
dotnet build P2P.sln -c Release --no-restore

log=$(mktemp)
status=0
dotnet test P2P.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

# One plain summary line over all test projects, e.g. "tests: 120 passed, 0 failed, 3 skipped".
summary=$({ grep -E '^(Passed|Failed)!' "$log" || true; } | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {printf "tests: %d passed, %d failed, %d skipped", p, f, s}')
rm -f "$log"
echo "$summary"
exit "$status"
