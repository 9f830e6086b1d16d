#!/usr/bin/env bash
# kube-apiserver from k8s.io/kubernetes, at the Kubernetes release pinned in go.mod.
# k8s.io/kubernetes points its k8s.io/* staging modules at ./staging with replace directives, which a
# dependant cannot follow; go.mod here replaces each of them with its published v0.<minor>.<patch> tag
# (the recipe of kubernetes#79384). engines/kube-controller-manager/build.sh builds its command from this
# same go.mod, so both are one Kubernetes release.
# Usage: bash engines/kube-apiserver/build.sh [command]   (default kube-apiserver; cache <command>-<version>/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cmd=${1:-kube-apiserver}
version=$(awk '$1=="k8s.io/kubernetes"{print $2}' "$here/go.mod")
cache=${LGTM_ENGINES_CACHE:-$HOME/.cache/cdk8s-lgtm/engines}
out="$cache/$cmd-$version"
if [ ! -x "$out/$cmd" ]; then
  echo "building $cmd $version into $out" >&2
  mkdir -p "$out.tmp"
  minor=${version#v1.}; minor=${minor%%.*}
  ldflags="-s -w"
  for kv in "gitVersion=$version" "gitMajor=1" "gitMinor=$minor" "gitTreeState=clean" "buildDate=1970-01-01T00:00:00Z"; do
    ldflags="$ldflags -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
  done
  (cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out.tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
mkdir -p "$root/.engines/bin"
ln -sfn "$out/$cmd" "$root/.engines/bin/$cmd"
