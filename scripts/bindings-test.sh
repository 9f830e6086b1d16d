#!/usr/bin/env bash
# Builds the jsii packages for real and tests them as a user of each language would.
#
#   bash scripts/bindings-test.sh            build + consumer tests (python, go, java), .NET as code only
#   bash scripts/bindings-test.sh compare A B  the byte-identity check alone (used by test/bindings/compare.test.ts)
#
# 1. jsii-pacmak builds the Python wheel, the Go module and the Java jar into artifacts/bindings/, and the
#    .NET bindings as code only (there is no .NET SDK here).
#    The Go module proxy reachable here does not serve the cdk8s-team Go modules, and Maven Central has no
#    cdk8s-plus-28 2.5.6 jar, so the same pacmak run generates those from their npm packages (node_modules):
#    the exact versions the TypeScript synth runs on.
# 2. The TypeScript synth of examples/readme-usage.ts is the reference.
# 3. Python: a fresh virtualenv installs our wheel with cdk8s, cdk8s-plus-28, constructs and jsii from PyPI,
#    pinned to the versions in node_modules (jsii = the jsii-pacmak runtime), and runs test/bindings/python/main.py.
#    Go: test/bindings/go (replace directives to the pacmak output), `go build`, run.
#    Java: test/bindings/java (Maven, the pacmak output as a file repository), compile, run.
# 4. Each port's YAML must be byte-identical to the TypeScript synth; a difference fails with the diff.
#
# Every app reads its output folder from CDK8S_OUTDIR, so the ports are plain copies of the README app and only
# they need updating when the README example changes. Caches (pip, Go, Maven) live outside the work tree;
# point PIP_CACHE_DIR, GOMODCACHE, GOCACHE and BINDINGS_M2 (the Maven repository, default ~/.m2/repository)
# at empty folders for a cold run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CDK8S_CHECK_UPGRADE=false
# jsii's end-of-life banner for Node 20, printed by every jsii process (pacmak and each language runtime)
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$(node -p 'process.versions.node.split(".")[0]')
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION

# compare REF DIR LABEL: byte-identical trees, or the unified diff (first 200 lines) and exit 1.
compare() {
  local ref=$1 dir=$2 label=${3:-$2}
  if [ ! -d "$ref" ] || [ -z "$(ls -A "$ref")" ]; then
    echo "FAIL $label: the reference synth $ref is missing or empty" >&2; return 1
  fi
  if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir")" ]; then
    echo "FAIL $label: $dir is missing or empty (the port wrote no YAML)" >&2; return 1
  fi
  if ! diff -r -q "$ref" "$dir" >/dev/null; then
    echo "FAIL $label: YAML differs from the TypeScript synth of examples/readme-usage.ts" >&2
    diff -r -u "$ref" "$dir" | head -200 >&2 || true
    echo "(update the port in test/bindings/ to match examples/readme-usage.ts)" >&2
    return 1
  fi
  echo "ok   $label: $(find "$dir" -type f | wc -l) files byte-identical to the TypeScript synth"
}

if [ "${1:-}" = compare ]; then
  compare "$2" "$3" "${4:-$3}"
  exit $?
fi

start=$(date +%s)
t0=$start
lap() { local now; now=$(date +%s); echo "== $1: $((now - t0))s (total $((now - start))s)"; t0=$now; }

need() { # need TOOL INSTALL-HINT
  command -v "$1" >/dev/null 2>&1 || { echo "bindings-test: '$1' is missing. Install it: $2" >&2; exit 1; }
}
need python3 'apt-get install -y python3 python3-venv'
need go 'install Go 1.25 or newer (https://go.dev/doc/install)'
need java 'apt-get install -y openjdk-17-jdk-headless'
need mvn 'apt-get install -y maven'
python3 -c 'import venv, ensurepip' 2>/dev/null || { echo "bindings-test: python3 venv/ensurepip is missing. Install it: apt-get install -y python3-venv" >&2; exit 1; }

ver() { node -p "require('./node_modules/$1/package.json').version"; }
CDK8S_V=$(ver cdk8s); PLUS_V=$(ver cdk8s-plus-28); CONSTRUCTS_V=$(ver constructs); JSII_V=$(ver jsii-pacmak)
LGTM_V=$(node -p "require('./package.json').version")
echo "versions: cdk8s $CDK8S_V, cdk8s-plus-28 $PLUS_V, constructs $CONSTRUCTS_V, jsii runtime $JSII_V, cdk8s-lgtm $LGTM_V"

OUT=$ROOT/artifacts/bindings
# pacmak's Maven builds otherwise use a fresh repository inside their temp folder, downloading every plugin each run
M2=${BINDINGS_M2:-$HOME/.m2/repository}
mkdir -p "$M2"
rm -rf "$OUT"
mkdir -p "$OUT/synth"

# --- 1. packages ------------------------------------------------------------------------------------
if [ ! -f .jsii ] || [ -n "$(find src -newer .jsii -name '*.ts' -print -quit)" ]; then
  npx projen compile
  lap "jsii compile"
fi
pacmak() { npx jsii-pacmak --no-fingerprint "$@"; }
pacmak --target python -o "$OUT" .
lap "pacmak python (wheel)"
pacmak --target go -o "$OUT" node_modules/cdk8s node_modules/cdk8s-plus-28 .
lap "pacmak go (cdk8s, cdk8s-plus-28 and cdk8s-lgtm modules, go build)"
# javadoc of cdk8s-plus-28 is most of pacmak's Maven time and no consumer reads it: skipped (the jars are built)
MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.javadoc.skip=true" pacmak --target java --maven-local-repository "$M2" -o "$OUT" node_modules/cdk8s-plus-28 .
lap "pacmak java (cdk8s-plus-28 and cdk8s-lgtm jars, mvn package)"
pacmak --code-only --target dotnet -o "$OUT/code-only" .
lap "pacmak dotnet (code only)"

# --- 2. reference: the TypeScript synth --------------------------------------------------------------
CDK8S_OUTDIR=$OUT/synth/ts npx ts-node -T --project test/tsconfig.json examples/readme-usage.ts
lap "TypeScript synth of examples/readme-usage.ts"

failed=0
# --- 3. Python --------------------------------------------------------------------------------------
python3 -m venv "$OUT/venv"
"$OUT/venv/bin/pip" install -q --disable-pip-version-check "$OUT"/python/*.whl \
  "cdk8s==$CDK8S_V" "cdk8s-plus-28==$PLUS_V" "constructs==$CONSTRUCTS_V" "jsii==$JSII_V"
lap "python venv + pip install (wheel, cdk8s, cdk8s-plus-28, constructs, jsii)"
CDK8S_OUTDIR=$OUT/synth/python "$OUT/venv/bin/python" test/bindings/python/main.py
lap "python synth"
compare "$OUT/synth/ts" "$OUT/synth/python" python || failed=$((failed + 1))

# --- 4. Go ------------------------------------------------------------------------------------------
(cd test/bindings/go && go build -o "$OUT/go-consumer" .)
lap "go build of the consumer"
CDK8S_OUTDIR=$OUT/synth/go "$OUT/go-consumer"
lap "go synth"
compare "$OUT/synth/ts" "$OUT/synth/go" go || failed=$((failed + 1))

# --- 5. Java ----------------------------------------------------------------------------------------
(cd test/bindings/java && mvn -q -B "-Dmaven.repo.local=$M2" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  "-Dbindings.repo=$OUT/java" "-Dlgtm.version=$LGTM_V" "-Dcdk8s.version=$CDK8S_V" "-Dcdk8s-plus.version=$PLUS_V" \
  "-Dconstructs.version=$CONSTRUCTS_V" "-Djsii.version=$JSII_V")
lap "mvn package of the consumer"
CDK8S_OUTDIR=$OUT/synth/java java -cp "test/bindings/java/target/classes:$(cat test/bindings/java/target/classpath.txt)" example.Main
lap "java synth"
compare "$OUT/synth/ts" "$OUT/synth/java" java || failed=$((failed + 1))

echo "bindings: $((3 - failed)) of 3 ports byte-identical to the TypeScript synth (python, go, java) in $(( $(date +%s) - start ))s"
[ "$failed" -eq 0 ]
