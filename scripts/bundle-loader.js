'use strict';
/*
 * lib/_bundle/load.js (written by scripts/bundle-lib.js from scripts/bundle-loader.js): loads the
 * modules of lib/ from lib/_bundle/modules.js, with a V8 code cache.
 *
 * The code cache: the first synth compiles the bundle as node compiles any file; when the process exits,
 * the code V8 compiled (the functions that ran included) is written to
 * `lib/_bundle/.code-cache/<bundle>-<node version>-<arch>.bin`, and later synths deserialize it instead
 * of compiling (about a fifth of a reference-stack synth, docs/PERFORMANCE.md).
 *  - It lives in the package's own folder: whoever may write it may write the code itself.
 *  - V8 checks its own version and flags, and rejects a cache it cannot use (then the bundle is compiled
 *    and the cache written again). V8 checks the source only by its length, so the file name carries a
 *    hash of the bundle, and the cache is used only while modules.js has the size and modification time
 *    it had when the cache was written (a hand edit or a patch of node_modules is compiled afresh).
 *  - It is rewritten when a synth loaded modules the cache was not made with (another app), so it grows
 *    to what the apps use. Writing is best effort: a read-only folder leaves synth as it was, uncached.
 *  - CDK8S_LGTM_CODE_CACHE=off compiles without it; CDK8S_LGTM_CODE_CACHE=<folder> keeps it there.
 *  - With node's --enable-source-maps the bundle is required as a plain file, uncached, so that stack
 *    traces point at src/ (node reads the source map only of files its module loader compiles).
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const BUNDLE_HASH = '@BUNDLE_HASH@';
const LIB = path.dirname(__dirname);
const FILE = path.join(__dirname, 'modules.js');
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n})'];

let definitions;
/** What the last load did with the code cache: off, compiled (none or unusable), used, rejected (by V8). */
let cacheState = 'not loaded';
const cache = Object.create(null);
const loadedIds = [];

function cacheDir() {
  const mode = process.env.CDK8S_LGTM_CODE_CACHE;
  if (mode === 'off' || mode === '0' || mode === 'false') return undefined;
  if (mode && mode !== 'on' && mode !== '1' && mode !== 'true') return path.resolve(mode);
  return path.join(__dirname, '.code-cache');
}

function sourceMapsEnabled() {
  if (typeof process.sourceMapsEnabled === 'boolean') return process.sourceMapsEnabled;
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--enable-source-maps');
}

/** `{ modules, data }` of a cache file (a 4-byte header length, a JSON header, V8's data), or undefined. */
function readCache(file, stat) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const n = buf.readUInt32LE(0);
    const header = JSON.parse(buf.toString('utf8', 4, 4 + n));
    if (header.size !== stat.size || header.mtimeMs !== stat.mtimeMs || !Array.isArray(header.modules)) return undefined;
    return { modules: new Set(header.modules), data: buf.subarray(4 + n) };
  } catch {
    return undefined;
  }
}

function writeCache(dir, file, script, stat) {
  try {
    const data = script.createCachedData();
    const header = Buffer.from(JSON.stringify({ size: stat.size, mtimeMs: stat.mtimeMs, modules: [...new Set(loadedIds)].sort() }), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length, 0);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([len, header, data]));
    fs.renameSync(tmp, file);
    for (const f of fs.readdirSync(dir)) {
      if (f.endsWith('.bin') && !f.startsWith(`${BUNDLE_HASH}-`)) fs.rmSync(path.join(dir, f), { force: true });
    }
  } catch {
    // best effort: an unwritable folder only means the next synth compiles again
  }
}

function loadDefinitions() {
  const dir = cacheDir();
  cacheState = 'off';
  // node maps stack traces (--enable-source-maps) only for files its module loader compiled
  if (dir === undefined || typeof vm.Script !== 'function' || sourceMapsEnabled()) return require('./modules.js');
  let stat;
  let source;
  try {
    stat = fs.statSync(FILE);
    source = fs.readFileSync(FILE, 'latin1');
  } catch {
    return require('./modules.js');
  }
  if (source.length !== stat.size || /[^\x00-\x7f]/.test(source)) return require('./modules.js');
  const file = path.join(dir, `${BUNDLE_HASH}-${process.version}-${process.arch}.bin`);
  const cached = readCache(file, stat);
  const script = new vm.Script(WRAPPER[0] + source + WRAPPER[1], { filename: FILE, cachedData: cached?.data });
  const mod = { exports: {} };
  cacheState = cached === undefined ? 'compiled' : script.cachedDataRejected ? 'rejected' : 'used';
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, FILE, __dirname);
  process.once('exit', () => {
    if (!cached || script.cachedDataRejected || loadedIds.some((id) => !cached.modules.has(id))) writeCache(dir, file, script, stat);
  });
  return mod.exports;
}

/** The exports of module `id` of lib/ (`core/errors.js`), run on first use. */
function load(id) {
  const done = cache[id];
  if (done !== undefined) return done.exports;
  definitions ??= loadDefinitions();
  const body = definitions[id];
  if (body === undefined) throw new Error(`cdk8s-lgtm: lib/${id} is not in lib/_bundle/modules.js; reinstall the package`);
  const filename = path.join(LIB, id);
  const dirname = path.dirname(filename);
  const dirId = path.posix.dirname(id);
  const mod = { id: filename, filename, exports: {}, loaded: false };
  const nodeRequire = (request) => require(request.startsWith('.') ? path.join(dirname, request) : request);
  const localRequire = (request) => {
    if (request.startsWith('./') || request.startsWith('../')) {
      const target = path.posix.join(dirId, request);
      if (definitions[target] !== undefined) return load(target);
    }
    return nodeRequire(request);
  };
  localRequire.resolve = (request, options) => require.resolve(request.startsWith('.') ? path.join(dirname, request) : request, options);
  cache[id] = mod;
  loadedIds.push(id);
  try {
    body.call(mod.exports, mod.exports, localRequire, mod, filename, dirname);
  } catch (e) {
    delete cache[id];
    throw e;
  }
  mod.loaded = true;
  return mod.exports;
}

module.exports = load;
/** The code cache's use by this process (for tests and `bench/`). */
load.codeCache = () => cacheState;
