#!/usr/bin/env bash
# Builds the real engines the test-suite runs, from their Go modules, at the versions of the images we ship.
# Each engine lives in engines/<name>/ (go.mod, go.sum, a small main.go of ours where needed, and build.sh).
# engines/<name>/build.sh is idempotent: it builds into the cache
#   ${LGTM_ENGINES_CACHE:-$HOME/.cache/cdk8s-lgtm/engines}/<name>-<version>/
# only when that version is missing, then links the binaries into .engines/bin/ (git-ignored).
# Usage: bash scripts/ensure-engines.sh [name ...]   (no names: every engine)
set -euo pipefail
cd "$(dirname "$0")/.."
export LGTM_ENGINES_CACHE="${LGTM_ENGINES_CACHE:-$HOME/.cache/cdk8s-lgtm/engines}"
mkdir -p .engines/bin "$LGTM_ENGINES_CACHE"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in engines/*/; do [ -f "$d/build.sh" ] && names+=("$(basename "$d")"); done
fi
for n in "${names[@]}"; do
  t0=$(date +%s)
  bash "engines/$n/build.sh"
  echo "ensure-engines: $n ready ($(( $(date +%s) - t0 ))s)"
done
