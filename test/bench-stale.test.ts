import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { staleCompiledJs } from '../bench/stale';

function project(files: Record<string, number>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stale-'));
  for (const [rel, mtime] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '');
    fs.utimesSync(p, mtime, mtime);
  }
  return root;
}

test('the bench runs when every src file has compiled JS at least as new', () => {
  expect(staleCompiledJs(project({ 'src/a.ts': 100, 'src/core/b.ts': 100, 'src/x.d.ts': 999, 'lib/a.js': 100, 'lib/core/b.js': 200 }))).toBeUndefined();
});

test('the bench refuses lib/ older than src/ and says to compile', () => {
  const msg = staleCompiledJs(project({ 'src/a.ts': 100, 'src/core/b.ts': 300, 'lib/a.js': 200, 'lib/core/b.js': 200 }));
  expect(msg).toBe('lib/ is older than src/: 1 file(s) changed after the last compile (e.g. src/core/b.ts). '
    + 'The bench times the compiled JavaScript; run `npx projen compile` first, then run the bench again.');
});

test('the bench refuses a missing lib/ and says to compile', () => {
  expect(staleCompiledJs(project({ 'src/a.ts': 100 }))).toMatch(/^lib\/ has no compiled JavaScript for 1 file\(s\) of src\/ \(e\.g\. src\/a\.ts\)\. .*run `npx projen compile` first/);
});

test('the bench command itself stops with that message before timing anything', () => {
  // bench/run.ts checks before it builds or runs anything: a stale file in a copy of the check's input is enough
  const root = project({ 'src/a.ts': 300, 'lib/a.js': 200 });
  expect(staleCompiledJs(root)).toMatch(/run `npx projen compile` first/);
  const run = fs.readFileSync(path.join(__dirname, '..', 'bench', 'run.ts'), 'utf8');
  expect(run.indexOf('staleCompiledJs(ROOT)')).toBeGreaterThan(0);
  expect(run.indexOf('staleCompiledJs(ROOT)')).toBeLessThan(run.indexOf('buildJs();\n  fs.mkdirSync'));
});

test('the bench refuses a lib/ that jsii alone wrote (no lazy index, the whole k8s module) and says to compile', () => {
  const eager = project({ 'src/index.ts': 100, 'lib/index.js': 200 });
  fs.writeFileSync(path.join(eager, 'lib', 'index.js'), '"use strict";\n__exportStar(require("./a"), exports);\n');
  expect(staleCompiledJs(eager)).toMatch(/^lib\/index\.js is not the lazy index: lib\/ was built by jsii alone.*run it first/);

  const whole = project({ 'src/a.ts': 100, 'lib/a.js': 200 });
  fs.writeFileSync(path.join(whole, 'lib', 'a.js'), 'const k8s = __importStar(require("cdk8s-plus-28/lib/imports/k8s"));\n');
  expect(staleCompiledJs(whole)).toMatch(/^lib\/a\.js requires the whole cdk8s-plus-28 k8s module/);

  const done = project({ 'src/a.ts': 100, 'lib/a.js': 200 });
  fs.writeFileSync(path.join(done, 'lib', 'a.js'), 'const k8s = __importStar(require("./imports/k8s-used"));\n');
  expect(staleCompiledJs(done)).toBeUndefined();

  // the lazy index, not bundled; then bundled, with the whole k8s module inside the bundle
  const lazy = project({ 'src/index.ts': 100, 'lib/index.js': 200 });
  fs.writeFileSync(path.join(lazy, 'lib', 'index.js'), '// lazy index (scripts/lazy-index.js)\n');
  expect(staleCompiledJs(lazy)).toMatch(/^lib\/ is not bundled \(no lib\/_bundle\/modules\.js\): lib\/ was built by jsii alone.*run it first/);
  fs.writeFileSync(path.join(lazy, 'lib', 'index.js'), '// bundled (scripts/bundle-lib.js)\n');
  fs.mkdirSync(path.join(lazy, 'lib', '_bundle'));
  fs.writeFileSync(path.join(lazy, 'lib', '_bundle', 'modules.js'), '// lazy index (scripts/lazy-index.js)\nrequire("cdk8s-plus-28/lib/imports/k8s");\n');
  expect(staleCompiledJs(lazy)).toMatch(/^lib\/_bundle\/modules\.js requires the whole cdk8s-plus-28 k8s module/);
  fs.writeFileSync(path.join(lazy, 'lib', '_bundle', 'modules.js'), '// lazy index (scripts/lazy-index.js)\nrequire("./imports/k8s-used.js");\n');
  expect(staleCompiledJs(lazy)).toBeUndefined();
});

test('the lib/ of this checkout, compiled, passes', () => {
  const root = path.join(__dirname, '..');
  const index = path.join(root, 'lib', 'index.js');
  if (!fs.existsSync(index) || !fs.readFileSync(index, 'utf8').includes('bundled (scripts/bundle-lib.js)')) return; // not compiled by the compile task here
  expect(staleCompiledJs(root) ?? '').not.toMatch(/jsii alone/);
});
