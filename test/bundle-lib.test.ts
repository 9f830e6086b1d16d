import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// scripts/bundle-lib.js and the loader it writes (scripts/bundle-loader.js), on a small lib/ of its own
const SCRIPT = path.join(__dirname, '..', 'scripts', 'bundle-lib.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleText } = require(SCRIPT) as { bundleText: (m: Array<[string, string]>) => { text: string; lines: number[] } };

const MODULES: Record<string, string> = {
  'index.js': [
    '"use strict";',
    '// lazy index (scripts/lazy-index.js)',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'Object.defineProperty(exports, "a", { enumerable: true, get: () => require("./a.js") });',
    'Object.defineProperty(exports, "deep", { enumerable: true, get: () => require("./sub/deep.js") });',
  ].join('\n'),
  'a.js': [
    '"use strict";',
    'exports.early = 1;',
    'const deep = require("./sub/deep.js");',
    'exports.fromDeep = deep.value;',
    'exports.sawEarlyFromDeep = deep.sawEarly;',
    'exports.file = __filename; exports.dir = __dirname;',
    'exports.data = require("./data.json").x;',
    'exports.resolved = require.resolve("./data.json");',
    'exports.sep = require("path").sep;',
    'exports.text = "arrow \u2192 \u2026 \u00e9";',
    'exports.re = /[\u2192]+/u.test("\u2192\u2192");',
    'exports.tpl = `{\u2026}${1 + 1}`;',
    'exports.self = this === exports;',
  ].join('\n'),
  'sub/deep.js': [
    '"use strict";',
    'const a = require("../a.js");', // a circular require: a's exports so far
    'exports.sawEarly = a.early;',
    'exports.value = "deep";',
  ].join('\n'),
  'throws.js': [
    '"use strict";',
    'globalThis.__throwsRuns = (globalThis.__throwsRuns ?? 0) + 1;',
    'if (globalThis.__throwsRuns === 1) throw new Error("first load fails");',
    'exports.ok = true;',
  ].join('\n'),
};

function tinyLib(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-lib-'));
  const lib = path.join(root, 'lib');
  for (const [id, code] of Object.entries(MODULES)) {
    fs.mkdirSync(path.dirname(path.join(lib, id)), { recursive: true });
    fs.writeFileSync(path.join(lib, id), `${code}\n`);
  }
  fs.writeFileSync(path.join(lib, 'data.json'), '{ "x": 42 }');
  return lib;
}

function bundle(lib: string): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [SCRIPT, lib], { encoding: 'utf8' });
}

/** Runs `code` in a fresh node (with `lib` defined), returns its JSON output. */
function inNode(lib: string, code: string, env: NodeJS.ProcessEnv = {}): any {
  const r = spawnSync(process.execPath, ['-e', `const lib = ${JSON.stringify(lib)}; const path = require('path'); process.stdout.write(JSON.stringify((() => { ${code} })()));`], {
    encoding: 'utf8',
    env: { ...process.env, CDK8S_LGTM_CODE_CACHE: '', ...env },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const READ_A = 'const a = require(path.join(lib, \'index.js\')).a; return { ...a, same: a === require(path.join(lib, \'a.js\')), deepSame: require(path.join(lib, \'index.js\')).deep === require(path.join(lib, \'sub\', \'deep.js\')) };';

test('a bundled module behaves as the file it was: scope, require, circular requires, paths, non-ASCII text', () => {
  const lib = tinyLib();
  const before = inNode(lib, READ_A);
  expect(bundle(lib).status).toBe(0);
  expect(fs.readFileSync(path.join(lib, 'a.js'), 'utf8')).toMatch(/^"use strict";\n\/\/ bundled \(scripts\/bundle-lib\.js\)/);
  expect(fs.readFileSync(path.join(lib, '_bundle', 'modules.js'), 'latin1')).not.toMatch(/[^\x00-\x7f]/);
  for (const env of [{ CDK8S_LGTM_CODE_CACHE: 'off' }, {}, {}]) {
    const after = inNode(lib, READ_A, env);
    expect(after).toEqual(before);
  }
  expect(before).toMatchObject({ early: 1, fromDeep: 'deep', sawEarlyFromDeep: 1, data: 42, text: 'arrow \u2192 \u2026 \u00e9', re: true, tpl: '{\u2026}2', self: true, same: true, deepSame: true });
  expect(before.file).toBe(path.join(lib, 'a.js'));
  expect(before.dir).toBe(lib);
  expect(before.resolved).toBe(path.join(lib, 'data.json'));
});

test('a module that throws is forgotten and runs again on the next require, as node does', () => {
  const lib = tinyLib();
  expect(bundle(lib).status).toBe(0);
  const r = inNode(lib, 'let first; try { require(path.join(lib, \'throws.js\')); } catch (e) { first = e.message; } return { first, second: require(path.join(lib, \'throws.js\')).ok };');
  expect(r).toEqual({ first: 'first load fails', second: true });
});

test('the code cache: written on the first run, used after, rewritten when stale, never required', () => {
  const lib = tinyLib();
  expect(bundle(lib).status).toBe(0);
  const dir = path.join(lib, '_bundle', '.code-cache');
  const bins = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')) : []);
  const header = () => {
    const buf = fs.readFileSync(path.join(dir, bins()[0]));
    return JSON.parse(buf.toString('utf8', 4, 4 + buf.readUInt32LE(0)));
  };

  expect(inNode(lib, `require(path.join(lib, "sub", "deep.js")); ${'return require(path.join(lib, "_bundle", "load.js")).codeCache();'}`, { CDK8S_LGTM_CODE_CACHE: 'off' })).toBe('off');
  expect(bins()).toEqual([]);

  inNode(lib, 'return require(path.join(lib, "sub", "deep.js")).value;');
  expect(bins()).toHaveLength(1);
  expect(bins()[0]).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
  expect(header().modules).toEqual(['a.js', 'sub/deep.js']);
  const written = fs.statSync(path.join(dir, bins()[0])).mtimeMs;

  // the same modules: the cache is read, not written again
  const state = 'return require(path.join(lib, "_bundle", "load.js")).codeCache();';
  expect(inNode(lib, `require(path.join(lib, "a.js")); ${state}`)).toBe('used');
  expect(fs.statSync(path.join(dir, bins()[0])).mtimeMs).toBe(written);

  // more modules: rewritten with them
  inNode(lib, READ_A);
  expect(header().modules).toEqual(['a.js', 'index.js', 'sub/deep.js']);

  // a bundle changed by hand (same length): the cache is not used, and is rewritten for the new file
  const modules = path.join(lib, '_bundle', 'modules.js');
  fs.writeFileSync(modules, fs.readFileSync(modules, 'latin1').replace('exports.value = "deep";', 'exports.value = "DEEP";'), 'latin1');
  expect(inNode(lib, 'const v = require(path.join(lib, "sub", "deep.js")).value; return [v, require(path.join(lib, "_bundle", "load.js")).codeCache()];')).toEqual(['DEEP', 'compiled']);
  expect(inNode(lib, `require(path.join(lib, "sub", "deep.js")); ${state}`)).toBe('used');
  expect(header().size).toBe(fs.statSync(modules).size);
  expect(header().mtimeMs).toBe(fs.statSync(modules).mtimeMs);

  // a corrupt cache file, and an unwritable cache folder: the modules still load
  fs.writeFileSync(path.join(dir, bins()[0]), 'not a cache');
  expect(inNode(lib, `require(path.join(lib, "sub", "deep.js")); ${state}`)).toBe('compiled');
  const bin = fs.readFileSync(path.join(dir, bins()[0]));
  const n = 4 + bin.readUInt32LE(0);
  for (let i = n + 8; i < n + 40; i++) bin[i] = 255 - bin[i]; // V8's own checks
  fs.writeFileSync(path.join(dir, bins()[0]), bin);
  expect(inNode(lib, 'const v = require(path.join(lib, "sub", "deep.js")).value; return [v, require(path.join(lib, "_bundle", "load.js")).codeCache()];')).toEqual(['DEEP', 'rejected']);
  expect(inNode(lib, `require(path.join(lib, "sub", "deep.js")); ${state}`)).toBe('used');
  const blocked = path.join(lib, 'blocked');
  fs.writeFileSync(blocked, 'a file, not a folder');
  expect(inNode(lib, 'return require(path.join(lib, "sub", "deep.js")).value;', { CDK8S_LGTM_CODE_CACHE: blocked })).toBe('DEEP');

  // another folder
  const other = path.join(lib, 'elsewhere');
  inNode(lib, 'return require(path.join(lib, "sub", "deep.js")).value;', { CDK8S_LGTM_CODE_CACHE: other });
  expect(fs.readdirSync(other).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
});

test('bundling twice changes nothing; a lib/ that mixes stubs and compiled files is refused', () => {
  const lib = tinyLib();
  expect(bundle(lib).status).toBe(0);
  const text = fs.readFileSync(path.join(lib, '_bundle', 'modules.js'), 'utf8');
  expect(bundle(lib).status).toBe(0);
  expect(fs.readFileSync(path.join(lib, '_bundle', 'modules.js'), 'utf8')).toBe(text);
  fs.writeFileSync(path.join(lib, 'a.js'), MODULES['a.js']);
  const r = bundle(lib);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/3 of the 4 files .* are already stubs of an earlier bundle, the others are not: remove lib\/ and run `npx projen compile` again/);
});

test('non-ASCII the escape would change is refused: a tagged template, a backslash before the character', () => {
  expect(() => bundleText([['t.js', 'exports.x = String.raw`\u2192`;']])).toThrow(/lib\/t\.js has a non-ASCII character in a tagged template \(line 1\)/);
  expect(() => bundleText([['t.js', 'exports.x = "\\\u2192";']])).toThrow(/lib\/t\.js escapes a non-ASCII character with a backslash/);
  expect(bundleText([['t.js', 'exports.x = "\\\\\u2192"; // \u2026']]).text).toContain('exports.x = "\\\\\\u2192"; // \\u2026');
});

test('stack traces under --enable-source-maps point at the TypeScript sources of each module', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-lib-maps-'));
  const sources: Record<string, string> = {
    'index.ts': 'export { fail } from \'./sub/errors\';\nexport { first } from \'./a\';\n',
    'a.ts': 'export function first(): number {\n  return 1;\n}\n',
    'sub/errors.ts': [
      '// a module in a folder, after another one in the bundle',
      'interface Details {',
      '  readonly what: string;',
      '}',
      '',
      'export function fail(d: Details): never {',
      '  const message: string = `bad: ${d.what}`;',
      '  throw new Error(message);',
      '}',
    ].join('\n'),
  };
  for (const [file, text] of Object.entries(sources)) {
    const src = path.join(root, 'src', file);
    const js = path.join(root, 'lib', file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.mkdirSync(path.dirname(js), { recursive: true });
    fs.writeFileSync(src, text);
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, sourceMap: true };
    const out = ts.transpileModule(text, { fileName: src, compilerOptions });
    const map = JSON.parse(out.sourceMapText!);
    map.sources = [path.relative(path.dirname(js), src).split(path.sep).join('/')];
    fs.writeFileSync(js, out.outputText.replace(/\/\/# sourceMappingURL=.*$/, `//# sourceMappingURL=${path.basename(js)}.map`));
    fs.writeFileSync(`${js}.map`, JSON.stringify(map));
  }
  const lib = path.join(root, 'lib');
  expect(bundle(lib).status).toBe(0);
  expect(fs.existsSync(path.join(lib, 'sub', 'errors.js.map'))).toBe(false);
  const run = (args: string[]): string => {
    const r = spawnSync(process.execPath, [...args, '-e', `try { require(${JSON.stringify(path.join(lib, 'index.js'))}).fail({ what: 'x' }); } catch (e) { process.stdout.write(e.stack); }`], {
      encoding: 'utf8',
      env: { ...process.env, CDK8S_LGTM_CODE_CACHE: '' },
    });
    return r.stdout;
  };
  const mapped = run(['--enable-source-maps']);
  expect(mapped).toContain(`${path.join(root, 'src', 'sub', 'errors.ts')}:8:9)`);
  expect(mapped).not.toContain('modules.js');
  expect(run([])).toContain(path.join(lib, '_bundle', 'modules.js'));
});
