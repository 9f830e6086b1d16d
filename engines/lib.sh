# Shared by engines/<name>/build.sh (sourced). Usage inside a build.sh:
#   source "$(dirname "$0")/../lib.sh"
#   engine_begin NAME VERSION BINARY...   # returns 0 ("cached": binaries linked, nothing to do) or 1 (build)
#   ... go build -o "$ENGINE_TMP/BINARY" ...
#   engine_commit                          # moves the build into the cache, links .engines/bin/
# The cache key is NAME-VERSION; a stamp (hash of the engine's committed files) rebuilds an entry whose
# go.mod, go.sum or build recipe changed under the same version.
set -euo pipefail
ENGINES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LGTM_ENGINES_CACHE="${LGTM_ENGINES_CACHE:-$HOME/.cache/cdk8s-lgtm/engines}"
export CGO_ENABLED="${CGO_ENABLED:-0}"
# go.sum is committed and complete: never let a build rewrite go.mod or go.sum
GOFLAGS="$(go env GOFLAGS)"; export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=readonly"

engine_begin() {
  ENGINE_NAME="$1"; ENGINE_VERSION="$2"; shift 2
  ENGINE_BINARIES=("$@")
  ENGINE_SRC="$ENGINES_ROOT/engines/$ENGINE_NAME"
  ENGINE_OUT="$LGTM_ENGINES_CACHE/$ENGINE_NAME-$ENGINE_VERSION"
  ENGINE_STAMP="$(cd "$ENGINE_SRC" && { find . -type f; echo ../lib.sh; } | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
  mkdir -p "$ENGINES_ROOT/.engines/bin" "$LGTM_ENGINES_CACHE"
  local ok=1 b
  for b in "${ENGINE_BINARIES[@]}"; do [ -x "$ENGINE_OUT/$b" ] || ok=0; done
  if [ "$ok" = 1 ] && [ "$(cat "$ENGINE_OUT/.stamp" 2>/dev/null)" = "$ENGINE_STAMP" ]; then
    engine_link
    echo "engines/$ENGINE_NAME: $ENGINE_VERSION cached in $ENGINE_OUT"
    return 0
  fi
  echo "engines/$ENGINE_NAME: building $ENGINE_VERSION (${ENGINE_BINARIES[*]}) into $ENGINE_OUT"
  ENGINE_TMP="$(mktemp -d "$LGTM_ENGINES_CACHE/.$ENGINE_NAME-$ENGINE_VERSION.XXXXXX")"
  trap 'rm -rf "$ENGINE_TMP"' EXIT
  cd "$ENGINE_SRC"
  return 1
}

engine_link() {
  local b
  for b in "${ENGINE_BINARIES[@]}"; do ln -sfn "$ENGINE_OUT/$b" "$ENGINES_ROOT/.engines/bin/$b"; done
}

engine_commit() {
  echo "$ENGINE_STAMP" > "$ENGINE_TMP/.stamp"
  rm -rf "$ENGINE_OUT.old"
  [ -e "$ENGINE_OUT" ] && mv "$ENGINE_OUT" "$ENGINE_OUT.old"
  mv "$ENGINE_TMP" "$ENGINE_OUT"
  rm -rf "$ENGINE_OUT.old"
  trap - EXIT
  engine_link
}

# The version of a required module, as go.mod pins it (e.g. v0.313.2).
engine_module_version() {
  (cd "$ENGINE_SRC" && go list -m -f '{{.Version}}' "$1")
}
