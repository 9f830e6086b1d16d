#!/usr/bin/env bash
# etcd from its Go module (go.etcd.io/etcd/server/v3 is etcd's main package), at the version in go.mod.
# Not Debian's etcd-server: it is 3.4.23, below the 3.4.31/3.5.13 that kube-apiserver 1.37 needs for
# RequestWatchProgress (k8s.io/apiserver storage/feature), so it would run with consistent reads from the
# watch cache off, unlike a real 1.37 cluster. etcd here is the 3.7 line, whose client k8s.io/kubernetes
# v1.37.2 itself uses (go.etcd.io/etcd/client/v3 v3.7.0). Cached by version (etcd-<version>/).
source "$(dirname "$0")/../lib-versioned.sh"
VERSION=$(engine_gomod_version "$ENGINES_ROOT/engines/etcd" go.etcd.io/etcd/server/v3)
engine_begin_versioned "$ENGINES_ROOT/engines/etcd" etcd "$VERSION" etcd && exit 0
go build -trimpath -ldflags "-s -w" -o "$ENGINE_TMP/etcd" go.etcd.io/etcd/server/v3
engine_commit
