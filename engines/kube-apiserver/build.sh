#!/usr/bin/env bash
# kube-apiserver from k8s.io/kubernetes, at the Kubernetes release pinned in go.mod.
# k8s.io/kubernetes points its k8s.io/* staging modules at ./staging with replace directives, which a
# dependant cannot follow; go.mod here replaces each of them with its published v0.<minor>.<patch> tag
# (the recipe of kubernetes#79384). engines/kube-controller-manager/build.sh builds its command from this
# same go.mod, so both are one Kubernetes release.
# Usage: bash engines/kube-apiserver/build.sh [command]   (default kube-apiserver; cache <command>-<version>/)
source "$(dirname "$0")/../lib-versioned.sh"
cmd=${1:-kube-apiserver}
VERSION=$(engine_gomod_version "$ENGINES_ROOT/engines/kube-apiserver" k8s.io/kubernetes)
engine_begin_versioned "$ENGINES_ROOT/engines/kube-apiserver" "$cmd" "$VERSION" "$cmd" && exit 0
minor=${VERSION#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for kv in "gitVersion=$VERSION" "gitMajor=1" "gitMinor=$minor" "gitTreeState=clean" "buildDate=1970-01-01T00:00:00Z"; do
  ldflags="$ldflags -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
done
go build -trimpath -ldflags "$ldflags" -o "$ENGINE_TMP/$cmd" "k8s.io/kubernetes/cmd/$cmd"
engine_commit
