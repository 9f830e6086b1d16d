#!/usr/bin/env bash
# Alertmanager and amtool from github.com/prometheus/alertmanager, at the version of the image we ship.
# The module zip lacks the UI build that ui/web.go embeds (`//go:embed app/dist`), so the server is built
# from a temporary copy of the module with uistub/web.go (ours: a plain note instead of the UI) in place of
# ui/web.go, through a temporary go.mod that replaces the module by that copy (`go build -overlay` refuses
# files in the module cache). amtool builds as it is. Tags and version ldflags as upstream's .promu.yml.
source "$(dirname "$0")/../lib.sh"
VERSION=0.33.1
engine_begin alertmanager "$VERSION" alertmanager amtool && exit 0
mod=$(engine_module_version github.com/prometheus/alertmanager)
[ "$mod" = "v$VERSION" ] || { echo "engines/alertmanager: go.mod pins $mod, not v$VERSION" >&2; exit 1; }
dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/alertmanager)
[ -n "$dir" ] || { go mod download github.com/prometheus/alertmanager; dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/alertmanager); }
copy="$ENGINE_TMP/alertmanager-src"
cp -r "$dir" "$copy"; chmod -R u+w "$copy"
cp "$ENGINE_SRC/uistub/web.go" "$copy/ui/web.go"
cp go.mod go.sum "$ENGINE_TMP/"
echo "replace github.com/prometheus/alertmanager => $copy" >> "$ENGINE_TMP/go.mod"
v=github.com/prometheus/common/version
ldflags="-s -w -X $v.Version=$VERSION -X $v.Revision=module-$mod -X $v.Branch=HEAD -X $v.BuildUser=cdk8s-lgtm -X $v.BuildDate=module"
go build -trimpath -tags netgo -ldflags "$ldflags" -modfile "$ENGINE_TMP/go.mod" -o "$ENGINE_TMP/alertmanager" github.com/prometheus/alertmanager/cmd/alertmanager
go build -trimpath -tags netgo -ldflags "$ldflags" -o "$ENGINE_TMP/amtool" github.com/prometheus/alertmanager/cmd/amtool
rm -rf "$copy" "$ENGINE_TMP/go.mod" "$ENGINE_TMP/go.sum"
engine_commit
