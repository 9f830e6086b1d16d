#!/usr/bin/env bash
# The Prometheus Operator (cmd/operator) at the version in go.mod, which is the version of the operator
# image the library ships (src/core/images.ts). Upstream points pkg/apis/monitoring and pkg/client at
# ./pkg with replace directives; go.mod here replaces them with the same release's published tags.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(awk '$1=="github.com/prometheus-operator/prometheus-operator"{print $2}' "$here/go.mod")
cache=${LGTM_ENGINES_CACHE:-$HOME/.cache/cdk8s-lgtm/engines}
out="$cache/prometheus-operator-$version"
if [ ! -x "$out/prometheus-operator" ]; then
  echo "building prometheus-operator $version into $out" >&2
  mkdir -p "$out.tmp"
  v=github.com/prometheus/common/version
  (cd "$here" && CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X $v.Version=${version#v} -X $v.Revision=${version} -X $v.Branch=release -X $v.BuildUser=cdk8s-lgtm -X $v.BuildDate=19700101-00:00:00" \
    -o "$out.tmp/prometheus-operator" github.com/prometheus-operator/prometheus-operator/cmd/operator)
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
mkdir -p "$root/.engines/bin"
ln -sfn "$out/prometheus-operator" "$root/.engines/bin/prometheus-operator"
