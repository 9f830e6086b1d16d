/**
 * The bench times compiled JavaScript (`lib/`, what `require('cdk8s-lgtm')` loads). Timing a `lib/` that
 * is older than `src/` would measure code that no longer exists, so the bench refuses to run.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Files under `dir` whose names pass `keep`. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p, keep);
    return keep(e.name) ? [p] : [];
  });
}

/**
 * Why `root/lib` cannot be timed (a sentence that says to compile), or `undefined` when every
 * `src/**.ts` has a `lib/**.js` at least as new.
 */
export function staleCompiledJs(root: string): string | undefined {
  const src = path.join(root, 'src');
  const lib = path.join(root, 'lib');
  const sources = filesUnder(src, (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));
  if (sources.length === 0) return `no TypeScript sources under ${src}`;
  const missing: string[] = [];
  const older: string[] = [];
  for (const ts of sources) {
    const rel = path.relative(src, ts);
    const js = path.join(lib, rel.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(js)) missing.push(rel);
    else if (fs.statSync(js).mtimeMs < fs.statSync(ts).mtimeMs) older.push(rel);
  }
  if (missing.length === 0 && older.length === 0) return unfinishedCompile(lib);
  const what = missing.length > 0
    ? `lib/ has no compiled JavaScript for ${missing.length} file(s) of src/ (e.g. src/${missing[0]})`
    : `lib/ is older than src/: ${older.length} file(s) changed after the last compile (e.g. src/${older[0]})`;
  return `${what}. The bench times the compiled JavaScript; run \`npx projen compile\` first, then run the bench again.`;
}

/**
 * Why a `lib/` as new as `src/` is still not what `npx projen compile` writes: jsii alone (e.g.
 * scripts/ensure-jsii.js before the tests) leaves out the compile task's last steps, the lazy index
 * (scripts/lazy-index.js), the cut of cdk8s-plus-28's `k8s` module (scripts/prune-imports.js) and the
 * bundle (scripts/bundle-lib.js), and would be timed slower than what users load.
 */
function unfinishedCompile(lib: string): string | undefined {
  const index = path.join(lib, 'index.js');
  const bundle = path.join(lib, '_bundle', 'modules.js');
  let reason: string | undefined;
  const hasIndex = fs.existsSync(index);
  const bundled = hasIndex && fs.readFileSync(index, 'utf8').includes('// bundled (scripts/bundle-lib.js)') && fs.existsSync(bundle);
  const texts = bundled
    ? [[bundle, fs.readFileSync(bundle, 'utf8')]]
    : filesUnder(lib, (n) => n.endsWith('.js')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
  const full = texts.find(([, t]) => t.includes('require("cdk8s-plus-28/lib/imports/k8s")'));
  if (hasIndex && !texts.some(([, t]) => t.includes('// lazy index (scripts/lazy-index.js)'))) {
    reason = 'lib/index.js is not the lazy index';
  } else if (full) {
    reason = `${path.relative(path.dirname(lib), full[0])} requires the whole cdk8s-plus-28 k8s module, not lib/imports/k8s-used.js`;
  } else if (hasIndex && !bundled) {
    reason = 'lib/ is not bundled (no lib/_bundle/modules.js)';
  }
  return reason && `${reason}: lib/ was built by jsii alone, without the compile task's last steps. The bench times what \`npx projen compile\` writes; run it first, then run the bench again.`;
}
