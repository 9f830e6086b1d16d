#!/usr/bin/env bash
# The library as a new user meets it: `npm pack`, a fresh cdk8s app in a temporary folder installs the
# tarball and its peers exactly as the README says (TypeScript pinned to 5: 7 breaks ts-node), the
# README's ten-line main.ts with LgtmStack, `cdk8s synth`, and the output through the schema harness and the
# control plane of test/control-plane (test/stack/consumer-check.ts: etcd + kube-apiserver +
# controller-manager + the Prometheus Operator from .engines, `bash scripts/ensure-engines.sh`).
# Needs the npm registry; compiles the library first if lib/ is missing.
# Usage: bash scripts/consumer-test.sh   (run by .ci/run after the jsii compile)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CDK8S_CHECK_UPGRADE=false
t0=$(date +%s)
lap() { echo "  $1: $(( $(date +%s) - t0 ))s"; }

command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 (apt-get install -y nodejs npm)" >&2; exit 1; }
if [ ! -f lib/index.js ] || [ -n "$(find src -newer lib/index.js -name '*.ts' -print -quit)" ]; then
  npx projen compile
  lap "jsii compile"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lgtm-consumer-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
TARBALL=$(npm pack --silent --pack-destination "$WORK" | tail -1)
lap "npm pack ($TARBALL)"

mkdir -p "$WORK/app" && cd "$WORK/app"
npm init -y >/dev/null
# the README's install commands, with the tarball in place of the registry's cdk8s-lgtm
npm install --no-audit --no-fund "$WORK/$TARBALL" cdk8s cdk8s-plus-28 constructs >/dev/null
npm install --no-audit --no-fund -D typescript@5 ts-node @types/node >/dev/null
lap "npm install"

cat > cdk8s.yaml <<'YAML'
language: typescript
app: npx ts-node --transpile-only main.ts
YAML
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2020", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true } }
JSON
# the README's main.ts, exactly (test/readme.test.ts: README.md shows examples/readme-usage.ts with its
# imports from 'cdk8s-lgtm')
grep -v '^// ' "$ROOT/examples/readme-usage.ts" | sed "s#from '../src'#from 'cdk8s-lgtm'#" > main.ts
grep -q "from 'cdk8s-lgtm'" main.ts || { echo "main.ts does not import cdk8s-lgtm: examples/readme-usage.ts changed shape" >&2; exit 1; }
# the type check a cdk8s project's build runs, against the installed package's .d.ts
npx tsc --noEmit -p .
# cdk8s synth, with the CLI of this repository (a user has it installed globally)
"$ROOT/node_modules/.bin/cdk8s" synth --output dist >/dev/null
lap "cdk8s synth ($(ls dist | wc -l) files)"

cd "$ROOT"
# the control plane's engines (cached by version: a no-op when .engines/bin has them)
bash scripts/ensure-engines.sh etcd kube-apiserver kube-controller-manager prometheus-operator prometheus >/dev/null
node scripts/ts-run.js test/stack/consumer-check.ts "$WORK/app/dist"
lap "schema harness and control plane"
echo "consumer test: ok"
