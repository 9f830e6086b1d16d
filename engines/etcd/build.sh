#!/usr/bin/env bash
# etcd from its Go module (go.etcd.io/etcd/server/v3 is etcd's main package), at the version in go.mod.
# Not Debian's etcd-server: it is 3.4.23, below the 3.4.31/3.5.13 that kube-apiserver 1.37 needs for
# RequestWatchProgress (k8s.io/apiserver storage/feature), so it would run with consistent reads from the
# watch cache off, unlike a real 1.37 cluster. etcd here is the 3.7 line, whose client k8s.io/kubernetes
# v1.37.2 itself uses (go.etcd.io/etcd/client/v3 v3.7.0).
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
