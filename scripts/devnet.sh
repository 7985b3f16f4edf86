#!/usr/bin/env bash
# The README's first command: builds p2pd once, then runs a local devnet.
#   scripts/devnet.sh [--nodes N] [--dir DIR] [--serve K] [--foreground]   same as 'p2pd devnet up …'
#   scripts/devnet.sh status|logs|stop|down [...]                             the other 'p2pd devnet' commands
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

command -v dotnet >/dev/null || { echo "devnet.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

# Native libraries the daemon loads by name (as scripts/test.sh installs them).
ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
native_packages=()
"$ldconfig_bin" -p | grep -q 'libleveldb.so.1d' || native_packages+=(libleveldb1d)
"$ldconfig_bin" -p | grep -q 'libopenblas.so.0' || native_packages+=(libopenblas0-pthread)
if ((${#native_packages[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "devnet.sh: installing ${native_packages[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${native_packages[@]}"
  else
    echo "devnet.sh: missing Debian packages; run: sudo apt-get install -y ${native_packages[*]}" >&2
    exit 1
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dll="$root/src/Daemon/bin/Release/net10.0/p2pd.dll"
# When no source of the daemon is newer than the last build by this script, a second 'up' skips even MSBuild's
# no-op build (seconds of restore and up-to-date checks). The stamp, not p2pd.dll: a library's change that leaves
# its reference assembly alone does not rewrite p2pd.dll.
stamp="$root/src/Daemon/bin/Release/net10.0/.devnet-build-stamp"
stale_source() {
  [ -f "$dll" ] && [ -f "$stamp" ] || return 0
  [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" -newer "$stamp" -type f \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -path '*/Dashboard/Assets/*' \) -not -path '*/obj/*' -not -path '*/bin/*' \
    -print -quit)" ]
}
case "${1:-}" in
  status|logs|stop|down) ;;
  *)
    if stale_source; then
      echo "devnet.sh: building p2pd (Release)…" >&2
      # Only the daemon and its libraries; analyzers and the package vulnerability audit are the full build's job
      # (dotnet build P2P.sln): they cost compile and restore time and change nothing in the binary.
      dotnet build "$root/src/Daemon" -c Release -nologo -p:RunAnalyzers=false -p:NuGetAudit=false >&2
      touch "$stamp"
    else
      echo "devnet.sh: p2pd is up to date ($dll)" >&2
    fi
    set -- up "$@"
    ;;
esac
[ -f "$dll" ] || { echo "devnet.sh: $dll is missing; run scripts/devnet.sh once to build it" >&2; exit 1; }
exec dotnet "$dll" devnet "$@"
