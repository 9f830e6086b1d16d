#!/usr/bin/env bash
# Prometheus and promtool from github.com/prometheus/prometheus (module v0.3XX.Y = release v3.XX.Y).
# Tags: netgo as upstream; no `builtinassets` (the web UI is not needed: the suite uses the API only);
# service discovery limited to file, http and kubernetes (`remove_all_sd,enable_kubernetes_sd`): the
# Operator renders kubernetes_sd_configs only, and a config naming another SD fails loudly here.
source "$(dirname "$0")/../lib.sh"
VERSION=3.13.2
engine_begin prometheus "$VERSION" prometheus promtool && exit 0
mod=$(engine_module_version github.com/prometheus/prometheus)
[ "$mod" = "v0.$(echo "$VERSION" | awk -F. '{printf "%d%02d.%d", $1, $2, $3}')" ] || { echo "engines/prometheus: go.mod pins $mod, not the module tag of $VERSION" >&2; exit 1; }
v=github.com/prometheus/common/version
ldflags="-s -w -X $v.Version=$VERSION -X $v.Revision=module-$mod -X $v.Branch=HEAD -X $v.BuildUser=cdk8s-lgtm -X $v.BuildDate=module"
for b in prometheus promtool; do
  go build -trimpath -tags netgo,remove_all_sd,enable_kubernetes_sd -ldflags "$ldflags" -o "$ENGINE_TMP/$b" "github.com/prometheus/prometheus/cmd/$b"
done
engine_commit
