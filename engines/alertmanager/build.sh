#!/usr/bin/env bash
# Alertmanager and amtool from github.com/prometheus/alertmanager, at the version of the image we ship.
# The module zip lacks the UI build that ui/web.go embeds (`//go:embed app/dist`), so the server is built
# with an overlay that puts uistub/web.go (ours: a plain note instead of the UI) in its place. amtool builds
# as it is. Tags and version ldflags as upstream's .promu.yml (netgo).
source "$(dirname "$0")/../lib.sh"
VERSION=0.33.1
engine_begin alertmanager "$VERSION" alertmanager amtool && exit 0
mod=$(engine_module_version github.com/prometheus/alertmanager)
[ "$mod" = "v$VERSION" ] || { echo "engines/alertmanager: go.mod pins $mod, not v$VERSION" >&2; exit 1; }
dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/alertmanager)
[ -n "$dir" ] || { go mod download github.com/prometheus/alertmanager; dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/alertmanager); }
printf '{"Replace":{"%s":"%s"}}\n' "$dir/ui/web.go" "$ENGINE_SRC/uistub/web.go" > "$ENGINE_TMP/overlay.json"
v=github.com/prometheus/common/version
ldflags="-s -w -X $v.Version=$VERSION -X $v.Revision=module-$mod -X $v.Branch=HEAD -X $v.BuildUser=cdk8s-lgtm -X $v.BuildDate=module"
go build -trimpath -tags netgo -ldflags "$ldflags" -overlay "$ENGINE_TMP/overlay.json" -o "$ENGINE_TMP/alertmanager" github.com/prometheus/alertmanager/cmd/alertmanager
go build -trimpath -tags netgo -ldflags "$ldflags" -o "$ENGINE_TMP/amtool" github.com/prometheus/alertmanager/cmd/amtool
rm -f "$ENGINE_TMP/overlay.json"
engine_commit
