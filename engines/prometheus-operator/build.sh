#!/usr/bin/env bash
# The Prometheus Operator (cmd/operator) at the version in go.mod, which is the version of the operator
# image the library ships (src/core/images.ts). Upstream points pkg/apis/monitoring and pkg/client at
# ./pkg with replace directives; go.mod here replaces them with the same release's published tags.
# Cached by version (prometheus-operator-<version>/).
source "$(dirname "$0")/../lib-versioned.sh"
VERSION=$(engine_gomod_version "$ENGINES_ROOT/engines/prometheus-operator" github.com/prometheus-operator/prometheus-operator)
engine_begin_versioned "$ENGINES_ROOT/engines/prometheus-operator" prometheus-operator "$VERSION" prometheus-operator && exit 0
v=github.com/prometheus/common/version
go build -trimpath \
  -ldflags "-s -w -X $v.Version=${VERSION#v} -X $v.Revision=${VERSION} -X $v.Branch=release -X $v.BuildUser=cdk8s-lgtm -X $v.BuildDate=19700101-00:00:00" \
  -o "$ENGINE_TMP/prometheus-operator" github.com/prometheus-operator/prometheus-operator/cmd/operator
engine_commit
