#!/usr/bin/env bash
# etcd from its Go module (go.etcd.io/etcd/server/v3 is etcd's main package), at the version in go.mod.
# Debian's etcd-server is 3.4, older than the 3.5 floor of the kube-apiserver built in ../kube-apiserver.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(awk '$1=="go.etcd.io/etcd/server/v3"{print $2}' "$here/go.mod")
cache=${LGTM_ENGINES_CACHE:-$HOME/.cache/cdk8s-lgtm/engines}
out="$cache/etcd-$version"
if [ ! -x "$out/etcd" ]; then
  echo "building etcd $version into $out" >&2
  mkdir -p "$out.tmp"
  (cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
mkdir -p "$root/.engines/bin"
ln -sfn "$out/etcd" "$root/.engines/bin/etcd"
