#!/usr/bin/env bash
# Installs the real engines the test-suite runs: promtool (Debian `prometheus`) and amtool
# (Debian `prometheus-alertmanager`). Needs root (CI runs as root). Idempotent and quick when present.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-tools: ${need[*]} missing and not root; install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "ensure-tools: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends keeps it small; the services are not started by the tests' own means.
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts the daemons on install where an init system runs; stop them so ports stay free.
(service prometheus stop; service prometheus-alertmanager stop) >/dev/null 2>&1 || true
command -v promtool && command -v amtool
