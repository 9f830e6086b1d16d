/**
 * Times synth the way users run it: whole processes, process start included, several runs each, with
 * the median and min–max of wall time, CPU time (user + system) and peak RSS (GNU time).
 *
 *   npx projen compile && npx projen bench [-- --runs 5 --only apps,users,scale --apps reference]
 *
 * - apps: each app of examples/apps.ts, plain `node` on compiled JS (lib/ plus the examples transpiled
 *   into .tmp/bench-js/), against its floor in the same run (A B A B ...): `node` that loads cdk8s,
 *   builds one ApiObject per output object from a JSON copy of the output, writes them with
 *   `app.synth()` and copies the CRD file (bench/floor.ts). The ratio is taken pair by pair.
 * - users: `npx projen render` (the README's main job; cold = empty transpile cache, warm = cached) and
 *   `cdk8s synth` of the README example in a scratch project (.tmp/bench-user/), with the `cdk8s.yaml`
 *   the README recommends and with a type-checking ts-node.
 * - scale: 10 to 2,000 ServiceMonitors and 100 to 20,000 alerting rules (bench/scale-app.ts), with the
 *   ratio of each step to the one before.
 *
 * Prints; never asserts (the targets are in docs/PERFORMANCE.md). Refuses to run on a stale lib/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { OutputCopy } from './floor';
import { BENCH_APPS } from './render-app';
import { staleCompiledJs } from './stale';
import { RENDERED_APPS } from '../examples/apps';

const ROOT = path.join(__dirname, '..');
const JS = path.join(ROOT, '.tmp', 'bench-js');
const WORK = path.join(ROOT, '.tmp', 'bench-work');
const TIME = '/usr/bin/time';

interface Sample { readonly wall: number; readonly cpu: number; readonly rssMiB: number }

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('runs', '5'));
const ONLY = new Set(arg('only', 'apps,users,scale').split(','));
/** `--apps reference,production`: only those apps in the apps section (default: all of examples/apps.ts). */
const APPS = arg('apps', '').split(',').filter((a) => a !== '');

function die(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** One run of a command as a whole process, measured by GNU time. */
function measure(cmd: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Sample {
  const out = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
  const r = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', out, ...cmd], {
    cwd,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) die(`${cmd.join(' ')} failed (exit ${r.status}):\n${r.stderr?.toString().slice(-2000)}`);
  const [wall, user, sys, rssKiB] = fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMiB: rssKiB / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function stat(xs: number[], digits = 2): string {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
}
function row(what: string, samples: Sample[]): string {
  return `| ${what} | ${stat(samples.map((s) => s.wall))} | ${stat(samples.map((s) => s.cpu))} | ${stat(samples.map((s) => s.rssMiB), 0)} |`;
}
const HEADER = '| what | wall s, median (min–max) | CPU s | peak RSS MiB |\n|---|---|---|---|';

function freshDir(name: string): string {
  const d = path.join(WORK, name);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** Transpiles examples/ and bench/ into .tmp/bench-js/, where `src` is a link to lib/. */
function buildJs(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts: typeof import('typescript') = require('typescript');
  fs.rmSync(JS, { recursive: true, force: true });
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  for (const dir of ['examples', 'bench']) {
    for (const f of walk(path.join(ROOT, dir)).filter((x) => x.endsWith('.ts') && !x.endsWith('.d.ts'))) {
      const js = ts.transpileModule(fs.readFileSync(f, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
        fileName: f,
      }).outputText;
      const o = path.join(JS, path.relative(ROOT, f)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(o), { recursive: true });
      fs.writeFileSync(o, js);
    }
  }
  fs.symlinkSync(path.join(ROOT, 'lib'), path.join(JS, 'src'), 'dir');
}

/** The JSON copy of an app's output for its floor: objects per chart file, CRD files copied. */
function outputCopy(dir: string, copyDir: string): OutputCopy {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const chart = f.replace(/\.yaml$/, '');
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const objects = YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o);
    if (objects.length > 0 && objects.every((o) => o.kind === 'CustomResourceDefinition')) {
      const copyFrom = path.join(copyDir, f);
      fs.copyFileSync(path.join(dir, f), copyFrom);
      return { chart, copyFrom };
    }
    return { chart, objects };
  });
  return { files };
}

function sameOutput(a: string, b: string): boolean {
  const fa = fs.readdirSync(a).sort();
  return fa.join() === fs.readdirSync(b).sort().join() && fa.every((f) => fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))));
}

function benchApps(): void {
  console.log(`\n### Apps against their floor (${RUNS} runs each, A B A B ...)\n`);
  const lines: string[] = [HEADER];
  const ratios: string[] = ['| app / floor | wall ratio, median (min–max) | CPU ratio | RSS ratio |', '|---|---|---|---|'];
  const missing = RENDERED_APPS.filter((a) => !BENCH_APPS.includes(a.name)).map((a) => a.name);
  if (missing.length > 0) die(`bench/render-app.ts does not know the app(s) ${missing.join(', ')} of examples/apps.ts: add them`);
  const unknown = APPS.filter((a) => !RENDERED_APPS.some((r) => r.name === a));
  if (unknown.length > 0) die(`--apps names no app of examples/apps.ts: ${unknown.join(', ')} (known: ${RENDERED_APPS.map((a) => a.name).join(', ')})`);
  for (const app of RENDERED_APPS.filter((a) => APPS.length === 0 || APPS.includes(a.name))) {
    const appJs = path.join(JS, 'bench', 'render-app.js');
    const first = freshDir(`${app.name}-first`);
    measure(['node', appJs, app.name, first]); // warm-up, and the output the floor copies
    const copyFile = path.join(WORK, `${app.name}-copy.json`);
    fs.writeFileSync(copyFile, JSON.stringify(outputCopy(first, freshDir(`${app.name}-crds`))));
    const floorJs = path.join(JS, 'bench', 'floor.js');
    const floorOut = freshDir(`${app.name}-floor`);
    measure(['node', floorJs, copyFile, floorOut]); // warm-up
    const identical = sameOutput(first, floorOut);
    const a: Sample[] = [];
    const b: Sample[] = [];
    // the first app also without lib/'s code cache (lib/_bundle/load.js): a first synth after install
    const uncached: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(measure(['node', appJs, app.name, freshDir(`${app.name}-a`)]));
      b.push(measure(['node', floorJs, copyFile, freshDir(`${app.name}-b`)]));
      if (app === RENDERED_APPS[0]) uncached.push(measure(['node', appJs, app.name, freshDir(`${app.name}-c`)], ROOT, { CDK8S_LGTM_CODE_CACHE: 'off' }));
    }
    const objects = fs.readdirSync(first).reduce((n, f) => n + YAML.parseAllDocuments(fs.readFileSync(path.join(first, f), 'utf8')).length, 0);
    const bytes = fs.readdirSync(first).reduce((n, f) => n + fs.statSync(path.join(first, f)).size, 0);
    lines.push(row(`${app.name} (${objects} objects, ${(bytes / 1048576).toFixed(2)} MiB)`, a));
    lines.push(row(`${app.name} floor${identical ? '' : ' (output differs!)'}`, b));
    const r = (xs: Sample[], f: (s: Sample) => number) => stat(xs.map((s, i) => f(s) / f(b[i])));
    ratios.push(`| ${app.name} | ${r(a, (s) => s.wall)} | ${r(a, (s) => s.cpu)} | ${r(a, (s) => s.rssMiB)} |`);
    if (uncached.length > 0) {
      lines.push(row(`${app.name}, without the code cache`, uncached));
      ratios.push(`| ${app.name}, without the code cache | ${r(uncached, (s) => s.wall)} | ${r(uncached, (s) => s.cpu)} | ${r(uncached, (s) => s.rssMiB)} |`);
    }
  }
  console.log(lines.join('\n'));
  console.log('');
  console.log(ratios.join('\n'));
}

/** A scratch user project: the README example, cdk8s.yaml, and `cdk8s-lgtm` linked to this checkout. */
function userProject(): string {
  const dir = freshDir('user');
  const example = fs.readFileSync(path.join(ROOT, 'examples', 'readme-usage.ts'), 'utf8')
    .split('\n').filter((l) => !l.startsWith('// ')).join('\n').replace("from '../src'", "from 'cdk8s-lgtm'");
  fs.writeFileSync(path.join(dir, 'main.ts'), example);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    // what `cdk8s init typescript-app` writes, in short
    compilerOptions: { target: 'ES2020', module: 'commonjs', lib: ['es2020'], strict: true, esModuleInterop: true, skipLibCheck: true },
    include: ['main.ts'],
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-user', private: true }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'cdk8s-lgtm'), 'dir');
  return dir;
}

function benchUsers(): void {
  console.log(`\n### What users run (${RUNS} runs each)\n`);
  const lines: string[] = [HEADER];
  const cache = path.join(ROOT, '.tmp', 'ts-cache');
  const projen = path.join(ROOT, 'node_modules', '.bin', 'projen');
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    fs.rmSync(cache, { recursive: true, force: true });
    cold.push(measure([projen, 'render']));
    warm.push(measure([projen, 'render']));
  }
  lines.push(row('`npx projen render`, first run (empty transpile cache)', cold));
  lines.push(row('`npx projen render`, again (cached)', warm));
  if (process.argv.includes('--before')) {
    const before: Sample[] = [];
    for (let i = 0; i < RUNS; i++) before.push(measure([path.join(ROOT, 'node_modules', '.bin', 'ts-node'), '--project', 'test/tsconfig.json', 'examples/render.ts']));
    lines.push(row('render with type-checking ts-node (before)', before));
  }
  const dir = userProject();
  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  for (const [label, app] of [
    ['`cdk8s synth`, `app: npx ts-node --transpile-only main.ts` (recommended)', 'npx ts-node --transpile-only main.ts'],
    ['`cdk8s synth`, `app: npx ts-node main.ts` (type-checks)', 'npx ts-node main.ts'],
  ]) {
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${app}\n`);
    measure([cdk8s, 'synth'], dir); // warm-up
    const s: Sample[] = [];
    for (let i = 0; i < RUNS; i++) s.push(measure([cdk8s, 'synth'], dir));
    lines.push(row(label, s));
  }
  console.log(lines.join('\n'));
}

function benchScale(): void {
  const runs = Math.max(1, Math.min(RUNS, 3));
  console.log(`\n### Scaling (${runs} runs each; step = this median / the previous one)\n`);
  const lines: string[] = ['| monitors | rules | wall s, median (min–max) | CPU s | peak RSS MiB | wall step | CPU step |', '|---|---|---|---|---|---|---|'];
  const js = path.join(JS, 'bench', 'scale-app.js');
  const series: Array<Array<[number, number]>> = [
    [[10, 0], [100, 0], [1000, 0], [2000, 0]],
    [[0, 100], [0, 1000], [0, 10000], [0, 20000]],
    [[1000, 10000]],
  ];
  for (const points of series) {
    let prev: Sample[] | undefined;
    for (const [m, r] of points) {
      measure(['node', js, String(m), String(r), freshDir('scale')]); // warm-up
      const s: Sample[] = [];
      for (let i = 0; i < runs; i++) s.push(measure(['node', js, String(m), String(r), freshDir('scale')]));
      const step = (f: (x: Sample) => number) => (prev ? (median(s.map(f)) / median(prev.map(f))).toFixed(2) : '');
      lines.push(`| ${m} | ${r} | ${stat(s.map((x) => x.wall))} | ${stat(s.map((x) => x.cpu))} | ${stat(s.map((x) => x.rssMiB), 0)} | ${step((x) => x.wall)} | ${step((x) => x.cpu)} |`);
      prev = s;
    }
  }
  console.log(lines.join('\n'));
}

function main(): void {
  const stale = staleCompiledJs(ROOT);
  if (stale) die(stale);
  if (!fs.existsSync(TIME)) die(`${TIME} (GNU time) is missing: install it with \`apt-get install -y time\``);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`date ${new Date().toISOString()}; ${os.cpus().length} x ${os.cpus()[0]?.model}; ${Math.round(os.totalmem() / 1073741824)} GiB; node ${process.version}; load average at start ${load()}`);
  buildJs();
  fs.mkdirSync(WORK, { recursive: true });
  if (ONLY.has('apps')) benchApps();
  if (ONLY.has('scale')) benchScale();
  if (ONLY.has('users')) benchUsers();
  console.log(`\nload average at end ${load()}`);
}

if (require.main === module) main();
