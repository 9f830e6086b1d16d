import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/**
 * cdk8s-lgtm: the Grafana LGTM observability stack as typed cdk8s constructs.
 *
 * Notes on the non-default choices below (see docs/ARCHITECTURE.md):
 *  - `artifactsDirectory` is `artifacts/`, because `dist/` is the synthesized YAML that Argo CD syncs.
 *  - jest never updates snapshots on its own (`UpdateSnapshot.NEVER`); `npx projen test:update` does.
 *  - non-jsii runtime dependencies (parsers, the Grafana foundation SDK, yaml) are bundled and never
 *    appear in the public API.
 */
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-lgtm',
  description:
    'Typed cdk8s constructs for the Grafana LGTM observability stack (Loki, Grafana, Tempo, Mimir, Prometheus, Alertmanager, Alloy) rendered as plain YAML for Argo CD.',
  author: 'cdk8s-lgtm maintainers',
  authorAddress: 'maintainers@cdk8s-lgtm.dev',
  repositoryUrl: 'https://github.com/cdk8s-lgtm/cdk8s-lgtm.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  keywords: ['cdk8s', 'grafana', 'loki', 'tempo', 'mimir', 'prometheus', 'alertmanager', 'alloy', 'observability', 'lgtm'],
  artifactsDirectory: 'artifacts',
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,
  // Other jsii languages. CI builds the Python wheel, the Go module and the Java jar for real and runs a
  // consumer app in each (task bindings:test, scripts/bindings-test.sh); .NET is generated as code only.
  publishToPypi: { distName: 'cdk8s-lgtm', module: 'cdk8s_lgtm' },
  publishToMaven: { javaPackage: 'dev.cdk8slgtm', mavenGroupId: 'dev.cdk8s-lgtm', mavenArtifactId: 'cdk8s-lgtm' },
  publishToNuget: { dotNetNamespace: 'Cdk8sLgtm', packageId: 'Cdk8sLgtm' },
  publishToGo: { moduleName: 'github.com/cdk8s-lgtm/cdk8s-lgtm-go' },
  eslint: true,
  // CI fails on lint errors: the eslint task (run last by `test`) never fixes; `npx projen lint:fix` does.
  eslintOptions: { commandOptions: { fix: false }, dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'], ignorePatterns: ['src/imports/', '*.d.ts', 'node_modules/', 'lib/', 'artifacts/'] },
  minNodeVersion: '20.16.0',
  integrationTestAutoDiscover: false,
  bundledDeps: [
    'yaml@^2.6.0',
    '@prometheus-io/lezer-promql@^0.315.0',
    '@grafana/lezer-logql@~0.3.0',
    // TraceQL grammar: 1.0.x ships a CommonJS build (index.cjs) that loads on Node 20.
    '@grafana/lezer-traceql@~1.0.0',
    '@lezer/lr@^1.4.2',
    '@lezer/highlight@^1.2.1',
    '@grafana/grafana-foundation-sdk@^0.0.21',
    're2js@^2.10.0',
  ],
  devDeps: [
    'cdk8s-cli@^2.207.0',
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    'kubernetes-models@4.5.1',
    '@kubernetes-models/prometheus-operator@4.4.4',
    '@kubernetes-models/argo-cd@2.7.2',
  ],
  jestOptions: {
    // jest 30 resolves modules with unrs-resolver (same lockfile problem as below); ts-jest 29 pairs with jest 29.
    jestVersion: '^29',
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      collectCoverage: false,
      testPathIgnorePatterns: ['/node_modules/', '/artifacts/', '/lib/'],
      // One worker per core (jest's default leaves one core idle, which on 2 cores runs every suite in
      // band); the control-plane suite, the longest, starts first (test/sequencer.js).
      maxWorkers: '100%',
      testSequencer: '<rootDir>/test/sequencer.js',
    },
  },
  // Source maps in separate .js.map files: inline, with the sources, they were 8 of the 11 MB of lib/
  // that `require('cdk8s-lgtm')` reads and V8 scans (docs/PERFORMANCE.md).
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false, sourceMap: true } },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
  },
  gitignore: ['/artifacts/', '/.tmp/', '/.engines/', '*.tgz', '/examples/.readme-usage.generated.ts', '/.ci-test.log'],
});

for (const p of ['/examples/', '/bench/', '/docs/', '/.ci/', '/scripts/', '/artifacts/', 'artifacts', '/dist/', '/.tmp/']) {
  project.addPackageIgnore(p);
}

// --- generated low-level classes (cdk8s import from ../shared/crds) ---------------------------------
// Only the kinds src/ renders (AlertmanagerConfig and ScrapeConfig are not rendered: not imported).
const crdFiles = [
  'monitoring.coreos.com_servicemonitors.yaml',
  'monitoring.coreos.com_podmonitors.yaml',
  'monitoring.coreos.com_prometheusrules.yaml',
  'monitoring.coreos.com_prometheuses.yaml',
  'monitoring.coreos.com_alertmanagers.yaml',
  'argoproj.io_applications.yaml',
  'argoproj.io_appprojects.yaml',
  'monitoring.coreos.com_probes.yaml',
];
const importTask = project.addTask('import:crds', {
  description: 'Regenerate src/imports/ from ../shared/crds with cdk8s import (offline), and vendor the CRDs',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
});
// One module per CRD file (`name:=file`), otherwise each import of a group overwrites the previous one.
for (const f of crdFiles) {
  const moduleName = f.replace(/\.yaml$/, '').replace(/^monitoring\.coreos\.com_/, 'monitoring-').replace(/^argoproj\.io_/, 'argocd-');
  importTask.exec(`cdk8s import ${moduleName}:=../shared/crds/${f} --language typescript --output src/imports`);
}
importTask.exec('node scripts/vendor-crds.js');

// --- dist/: the synthesized reference stack and examples ---------------------------------------------
// `require('cdk8s-lgtm')` loads a module when one of its exports is first read (scripts/lazy-index.js
// rewrites the compiled index; jsii reads src/index.ts, so the assembly and the bindings do not change).
project.compileTask.exec('node scripts/lazy-index.js');
// lib/ requires a cut of cdk8s-plus-28's 2.7 MB `k8s` module: the classes it uses (scripts/prune-imports.js)
project.compileTask.exec('node scripts/prune-imports.js');
// each relative require of lib/ names its file: node finds it at the first stat (scripts/explicit-requires.js)
project.compileTask.exec('node scripts/explicit-requires.js');
// the modules of lib/ in one file, loaded with a V8 code cache; each lib/**.js a stub (scripts/bundle-lib.js)
project.compileTask.exec('node scripts/bundle-lib.js');

const render = project.addTask('render', {
  description: 'Synthesize the reference stack and the examples into dist/ (plain YAML for Argo CD)',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
});
// Transpile-only with a cache (scripts/ts-run.js): the typecheck task checks the same files, and a
// type-checking ts-node took about 17 s for the four apps (see docs/PERFORMANCE.md).
render.exec('node scripts/ts-run.js examples/render.ts');

// Whole-process synth timings (docs/PERFORMANCE.md); needs `npx projen compile` first (lib/ from src/).
project.addTask('bench', {
  description: 'Time the synth of every app, its floor and the scaling series as whole processes (needs a fresh lib/)',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
  exec: 'node scripts/ts-run.js bench/run.ts',
  receiveArgs: true,
});

// The real engines the suite runs (promtool, amtool, Prometheus, Alertmanager, otelcol, alloy-syntax, ...),
// built from their Go modules at the pinned versions into a cache outside the tree (engines/README.md);
// a no-op when the cache holds them. Runs before jest; a missing engine fails its tests with this command.
const engines = project.addTask('ensure-engines', {
  description: 'Build the engines the tests run from their Go modules (engines/*), when missing from the cache',
});
engines.exec('bash scripts/ensure-engines.sh');
project.testTask.prependSpawn(engines);
// ts-jest transpiles without type-checking (isolatedModules); this type-checks src, tests, examples and
// bench together (tsconfig.typecheck.json), so the README example and the tests cannot rot silently.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, test, examples and bench',
  exec: 'tsc -p tsconfig.typecheck.json',
});
project.testTask.prependSpawn(typecheck);
// The vocabulary test reads the jsii assembly: build it when missing or older than src/ (a fresh clone
// runs `npm test` without `npx projen compile`).
const ensureJsii = project.addTask('ensure-jsii', {
  description: 'Build the jsii assembly (.jsii) when it is missing or older than src/',
  exec: 'node scripts/ensure-jsii.js',
});
project.testTask.prependSpawn(ensureJsii);

// eslint-import-resolver-typescript pulls in unrs-resolver, whose platform-only optional packages are
// missing from the lockfile npm writes here, so `npm ci` fails on a fresh clone. The node resolver is enough
// for the import rules we use (order, no-extraneous-dependencies).
project.deps.removeDependency('eslint-import-resolver-typescript');
project.tryFindObjectFile('.eslintrc.json')?.addDeletionOverride('settings.import/resolver.typescript');

// scratch output of tests under test/ (added after projen's `!/test/`, which would drop them)
project.gitignore.addPatterns('/test/docs/.generated/', '/test/bindings/java/target/');
// the code cache a synth writes beside the bundle (lib/_bundle/load.js) is never packed
project.npmignore?.addPatterns('/lib/_bundle/.code-cache/');

// dist/ is the synthesized YAML Argo CD syncs: it is committed (projen ignores it by default).
project.gitignore.removePatterns('/dist/');
project.gitattributes.addAttributes('/src/imports/**', 'linguist-generated');
project.gitattributes.addAttributes('/dist/**', 'linguist-generated');
project.gitattributes.addAttributes('/crds/**', 'linguist-vendored');

// `package` builds the JS tarball everywhere (the default would run every pacmak target outside CI,
// which needs toolchains and registries we cannot reach); the other languages are generated as code only.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.addTask('package:code-only', {
  description: 'Generate Python, Java, .NET and Go bindings as source only (no toolchains needed)',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go -o artifacts/code-only',
});
project.addTask('bindings:test', {
  description: 'Build the Python wheel, Go module and Java jar with jsii-pacmak (.NET as code), and check that the README app ported to each synthesizes YAML byte-identical to the TypeScript one',
  exec: 'bash scripts/bindings-test.sh',
});

// Developers fix lint locally; the eslint task of `test` (and so CI) only reports.
project.addTask('lint:fix', {
  description: 'Run eslint with --fix over the same files as the eslint task',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: `eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern ${['src', 'test', 'examples', 'bench', 'projenrc', '.projenrc.ts'].join(' ')}`,
});

project.synth();
