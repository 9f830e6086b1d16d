#!/usr/bin/env bash
# alloy-syntax: main.go (ours) over github.com/grafana/alloy/syntax, the module Alloy v1.18.1 requires.
source "$(dirname "$0")/../lib.sh"
VERSION=0.1.1
engine_begin alloy-syntax "$VERSION" alloy-syntax && exit 0
mod=$(engine_module_version github.com/grafana/alloy/syntax)
[ "$mod" = "v$VERSION" ] || { echo "engines/alloy-syntax: go.mod pins $mod, not v$VERSION" >&2; exit 1; }
go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$ENGINE_TMP/alloy-syntax" .
engine_commit
