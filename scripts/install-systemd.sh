#!/usr/bin/env bash
# Installs p2pd as a systemd service on a Debian/Ubuntu box with the .NET SDK:
# publishes the daemon to /usr/local/lib/p2pd, puts a launcher at /usr/local/bin/p2pd, creates the
# p2pd system user, installs scripts/p2pd.service, runs `p2pd init` once, and starts the service.
# Re-running upgrades the binaries and keeps the node key, token and config (idempotent).
#   sudo scripts/install-systemd.sh               install or upgrade
#   sudo scripts/install-systemd.sh --uninstall   stop and remove the service, binary and launcher;
#                                                 keeps /var/lib/p2pd (the node's key and chain) and the p2pd user
set -euo pipefail
cd "$(dirname "$0")/.."

lib_dir=/usr/local/lib/p2pd
bin=/usr/local/bin/p2pd
data_dir=/var/lib/p2pd
unit=/etc/systemd/system/p2pd.service

mode=install
case "${1:-}" in
  "") ;;
  --uninstall) mode=uninstall ;;
  -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install-systemd.sh: unknown argument '$1' (use --uninstall or nothing)" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then echo "install-systemd.sh: run as root (sudo $0)" >&2; exit 1; fi
command -v systemctl >/dev/null || { echo "install-systemd.sh: systemd (systemctl) not found" >&2; exit 1; }

if [ "$mode" = uninstall ]; then
  if [ -f "$unit" ]; then
    systemctl disable --now p2pd.service || true
    rm -f "$unit"
    systemctl daemon-reload
  fi
  rm -rf "$lib_dir" "$lib_dir.old" "$bin"
  echo "uninstalled p2pd; kept $data_dir (node key, config, chain) and the p2pd user: remove them with 'rm -rf $data_dir && userdel p2pd'"
  exit 0
fi

command -v dotnet >/dev/null || { echo "install-systemd.sh: the .NET SDK (dotnet) is needed to publish p2pd" >&2; exit 1; }

ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
missing=()
"$ldconfig_bin" -p | grep -q 'libleveldb.so.1d' || missing+=(libleveldb1d)
"$ldconfig_bin" -p | grep -q 'libopenblas.so.0' || missing+=(libopenblas0-pthread)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

echo "publishing p2pd to $lib_dir"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
dotnet publish src/Daemon/P2P.Daemon.csproj -c Release -o "$staging/p2pd" --nologo -v quiet
rm -rf "$lib_dir.old"
if [ -d "$lib_dir" ]; then mv "$lib_dir" "$lib_dir.old"; fi
mv "$staging/p2pd" "$lib_dir"
chmod -R a+rX "$lib_dir"
rm -rf "$lib_dir.old"

# Framework-dependent publish: the launcher pins the runtime this SDK brought (ProtectHome hides ~/.dotnet).
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
case "$dotnet_root" in /root/*|/home/*)
  echo "install-systemd.sh: dotnet lives under $dotnet_root, which the service cannot read (ProtectHome=yes); install .NET system-wide (e.g. /usr/share/dotnet)" >&2
  exit 1;;
esac
cat > "$bin" <<LAUNCHER
#!/bin/sh
export DOTNET_ROOT="$dotnet_root"
# The system node's data directory unless told otherwise, so \`sudo p2pd status\` finds its config.
export P2PD_DATA_DIR="\${P2PD_DATA_DIR:-$data_dir}"
exec "$lib_dir/p2pd" "\$@"
LAUNCHER
chmod 0755 "$bin"

if ! id -u p2pd >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin p2pd
fi
install -d -m 0700 -o p2pd -g p2pd "$data_dir"
if [ ! -f "$data_dir/node.key" ]; then
  runuser -u p2pd -- "$bin" init --data-dir "$data_dir"
fi

install -m 0644 scripts/p2pd.service "$unit"
systemctl daemon-reload
systemctl enable p2pd.service
systemctl restart p2pd.service
systemctl --no-pager --lines=5 status p2pd.service || true
echo "installed: config $data_dir/p2pd.json, logs: journalctl -u p2pd, node status: sudo p2pd status"
