# Shared by the engines whose builds take many minutes (etcd, kube-apiserver, kube-controller-manager, the
# Operator), sourced instead of lib.sh (which it sources for the environment, engine_link and
# engine_commit). They are cached by version alone: an entry NAME-VERSION/ is rebuilt only when the
# version in go.mod changes, never because a recipe changed (lib.sh's stamp would rebuild them). This file
# is apart from lib.sh because lib.sh's text is part of the other engines' stamps.
# Usage inside a build.sh:
#   source "$(dirname "$0")/../lib-versioned.sh"
#   engine_begin_versioned SRC_DIR NAME VERSION BINARY...   # 0: cached (linked), 1: build in SRC_DIR
#   ... go build -o "$ENGINE_TMP/BINARY" ...
#   engine_commit
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engine_begin_versioned() {
  ENGINE_SRC="$1"; ENGINE_NAME="$2"; ENGINE_VERSION="$3"; shift 3
  ENGINE_BINARIES=("$@")
  ENGINE_OUT="$LGTM_ENGINES_CACHE/$ENGINE_NAME-$ENGINE_VERSION"
  ENGINE_STAMP="version $ENGINE_VERSION"
  mkdir -p "$ENGINES_ROOT/.engines/bin" "$LGTM_ENGINES_CACHE"
  local ok=1 b
  for b in "${ENGINE_BINARIES[@]}"; do [ -x "$ENGINE_OUT/$b" ] || ok=0; done
  if [ "$ok" = 1 ]; then
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

# The version go.mod in DIR requires of MODULE, read as text (no go command, so a cache hit stays fast).
engine_gomod_version() {
  awk -v m="$2" '$1==m{print $2}' "$1/go.mod"
}
