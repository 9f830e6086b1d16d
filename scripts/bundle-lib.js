#!/usr/bin/env node
/**
 * Puts the code of every module of lib/ into one file, lib/_bundle/modules.js, so that a synth can load
 * it with a V8 code cache (lib/_bundle/load.js), and turns each lib/**.js into a one-line stub that
 * returns that module's exports from the bundle.
 *
 * - Each module keeps its own scope: its code, unchanged, is the body of a function of the CommonJS
 *   wrapper's parameters (`exports, require, module, __filename, __dirname`, the last two those of its
 *   original file). A relative `require` of a module of lib/ returns that module from the bundle; any
 *   other (`cdk8s`, `yaml`, a JSON file, a Node built-in) is node's own `require`, resolved from the
 *   module's original folder. Modules run when first required, in the order node would run them, and a
 *   module that throws is forgotten, as node forgets it.
 * - The stubs keep every path of lib/ working (`require('cdk8s-lgtm/lib/core/errors')` returns the same
 *   object as the bundle's module), so there is one copy of each module, whoever loads it.
 * - jsii reads src/, so the assembly, API.md and the bindings' APIs do not change.
 *
 * Why: a synth of the reference stack compiled about 200 modules of lib/ on every run (about 70 ms of
 * V8 compilation and 30 ms of module resolution, docs/PERFORMANCE.md). With the cache (lib/_bundle/load.js)
 * the second and later synths deserialize the compiled code instead.
 *
 * Run by the compile task after jsii and the other lib/ steps: `node scripts/bundle-lib.js [lib]`.
 * Idempotent: a lib/ it already bundled (every file a stub) is left alone; a lib/ that mixes stubs and
 * compiled files fails (compile again from an empty lib/).
 */
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { jsFiles } = require('./lib-files');

const STUB_MARKER = '// bundled (scripts/bundle-lib.js)';
const BUNDLE_DIR = '_bundle';

/** The module id of a file of lib/: its path from lib/, with `/` separators. */
function idOf(lib, file) {
  return path.relative(lib, file).split(path.sep).join('/');
}

/**
 * `code` with each non-ASCII UTF-16 unit written `\uXXXX`, which means the same character in a string,
 * a template, a regular expression and an identifier (and is text in a comment), so that the loader can
 * read the bundle as one-byte text (a quarter of the time of decoding UTF-8, and half the memory). The
 * one place where it would differ is the raw text of a tagged template: the script refuses one that holds
 * a non-ASCII character.
 */
function asciiOnly(id, code) {
  if (!/[^\x00-\x7f]/.test(code)) return code;
  const ts = require('typescript');
  const sf = ts.createSourceFile(id, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && /[^\x00-\x7f]/.test(node.template.getText(sf))) {
      throw new Error(`bundle-lib: lib/${id} has a non-ASCII character in a tagged template (line ${sf.getLineAndCharacterOfPosition(node.pos).line + 1}): write it as \\u{...} in src/`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const escaped = /(^|[^\\])(\\\\)*\\[^\x00-\x7f]/m.exec(code);
  if (escaped) throw new Error(`bundle-lib: lib/${id} escapes a non-ASCII character with a backslash (${JSON.stringify(escaped[0])}): write it as \\uXXXX in src/`);
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The text of lib/_bundle/modules.js for `modules` (`[id, code]`, sorted by id). Each module is one
 * section, which starts on a line of its own (the source map counts lines from it).
 */
function bundleText(modules) {
  const out = [
    '"use strict";',
    '// Every module of lib/, each the body of a CommonJS wrapper (scripts/bundle-lib.js); loaded by ./load.js.',
    'const M = Object.create(null);',
  ];
  const starts = [];
  for (const [id, code] of modules) {
    out.push(`M[${JSON.stringify(id)}] = function (exports, require, module, __filename, __dirname) {`);
    starts.push(out.length); // 0-based line of the module's first line
    out.push(asciiOnly(id, code.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '').replace(/\s+$/, '')));
    out.push('};');
  }
  out.push('module.exports = M;', '');
  // line offsets: a module's code may span many lines
  let line = 0;
  const lines = [];
  for (let i = 0, s = 0; i < out.length; i++) {
    if (s < starts.length && starts[s] === i) lines.push(line), s++;
    line += out[i].split('\n').length;
  }
  return { text: out.join('\n'), lines };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** The numbers of one segment of a source map's `mappings` (base64 VLQ). */
function decodeVlq(segment) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = B64_VALUE.get(c);
    if (digit === undefined) throw new Error(`bundle-lib: a source map has the character ${JSON.stringify(c)} in its mappings`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

function encodeVlq(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}

/**
 * One source map for the bundle, from each module's own `.js.map`, shifted to the module's first line.
 * A flat map, not an index map with `sections`: node's `--enable-source-maps` reads only flat ones.
 * (Columns after a character written `\uXXXX` point a few characters off.)
 */
function bundleSourceMap(lib, modules, lines) {
  const dir = path.join(lib, BUNDLE_DIR);
  const sources = [];
  const names = [];
  const rows = []; // rows[generated line] = segments of absolute numbers
  modules.forEach(([id], i) => {
    const mapFile = path.join(lib, `${id}.map`);
    if (!fs.existsSync(mapFile)) return;
    const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
    const from = path.dirname(mapFile);
    const sourceBase = sources.length;
    const nameBase = names.length;
    for (const s of map.sources ?? []) sources.push(path.relative(dir, path.resolve(from, map.sourceRoot ?? '', s)).split(path.sep).join('/'));
    names.push(...(map.names ?? []));
    let src = 0;
    let srcLine = 0;
    let srcCol = 0;
    let name = 0;
    (map.mappings ?? '').split(';').forEach((row, r) => {
      let col = 0;
      const segments = [];
      for (const seg of row.split(',')) {
        if (seg === '') continue;
        const v = decodeVlq(seg);
        col += v[0];
        const abs = [col];
        if (v.length >= 4) {
          src += v[1];
          srcLine += v[2];
          srcCol += v[3];
          abs.push(sourceBase + src, srcLine, srcCol);
          if (v.length >= 5) {
            name += v[4];
            abs.push(nameBase + name);
          }
        }
        segments.push(abs);
      }
      if (segments.length > 0) rows[lines[i] + r] = segments;
    });
  });
  let pSrc = 0;
  let pLine = 0;
  let pCol = 0;
  let pName = 0;
  const out = [];
  for (let l = 0; l < rows.length; l++) {
    let pGen = 0;
    out.push((rows[l] ?? []).map((abs) => {
      let seg = encodeVlq(abs[0] - pGen);
      pGen = abs[0];
      if (abs.length >= 4) {
        seg += encodeVlq(abs[1] - pSrc) + encodeVlq(abs[2] - pLine) + encodeVlq(abs[3] - pCol);
        [pSrc, pLine, pCol] = [abs[1], abs[2], abs[3]];
        if (abs.length >= 5) {
          seg += encodeVlq(abs[4] - pName);
          pName = abs[4];
        }
      }
      return seg;
    }).join(','));
  }
  return { version: 3, file: 'modules.js', sources, names, mappings: out.join(';') };
}

function stubText(lib, file) {
  const id = idOf(lib, file);
  let loader = path.relative(path.dirname(file), path.join(lib, BUNDLE_DIR, 'load.js')).split(path.sep).join('/');
  if (!loader.startsWith('.')) loader = `./${loader}`;
  return [
    '"use strict";',
    `${STUB_MARKER}: the code of this module is in lib/${BUNDLE_DIR}/modules.js`,
    `module.exports = require(${JSON.stringify(loader)})(${JSON.stringify(id)});`,
    '',
  ].join('\n');
}

/** The bundled index exports `names`, in order, and every one of them loads (a fresh node, no cache). */
function checkIndex(lib, names) {
  const script = `const i = require(${JSON.stringify(path.join(lib, 'index.js'))}); const k = Object.keys(i); const bad = k.filter((n) => i[n] === undefined); process.stdout.write(JSON.stringify({ k, bad }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, CDK8S_LGTM_CODE_CACHE: 'off' } });
  if (r.status !== 0) throw new Error(`bundle-lib: the bundled lib/index.js does not load:\n${r.stderr}`);
  const { k, bad } = JSON.parse(r.stdout);
  if (k.join() !== names.join()) throw new Error('bundle-lib: the bundled lib/index.js exports other names than the compiled one');
  if (bad.length > 0) throw new Error(`bundle-lib: exports of the bundled lib/index.js are undefined: ${bad.join(', ')}`);
}

function main() {
  const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
  const bundleDir = path.join(lib, BUNDLE_DIR);
  const files = jsFiles(lib).filter((f) => !f.startsWith(bundleDir + path.sep)).sort((a, b) => (idOf(lib, a) < idOf(lib, b) ? -1 : 1));
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const stubs = texts.filter((t) => t.includes(STUB_MARKER)).length;
  if (stubs === files.length && fs.existsSync(path.join(bundleDir, 'modules.js'))) return;
  if (stubs > 0) {
    throw new Error(`bundle-lib: ${stubs} of the ${files.length} files of ${lib} are already stubs of an earlier bundle, the others are not: remove lib/ and run \`npx projen compile\` again`);
  }
  const names = Object.keys(require(path.join(lib, 'index.js')));
  const modules = files.map((f, i) => [idOf(lib, f), texts[i]]);
  const { text, lines } = bundleText(modules);
  const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

  fs.rmSync(bundleDir, { recursive: true, force: true });
  fs.mkdirSync(bundleDir);
  fs.writeFileSync(path.join(bundleDir, 'modules.js'), `${text}//# sourceMappingURL=modules.js.map\n`);
  fs.writeFileSync(path.join(bundleDir, 'modules.js.map'), JSON.stringify(bundleSourceMap(lib, modules, lines)));
  const loader = fs.readFileSync(path.join(__dirname, 'bundle-loader.js'), 'utf8').replace("'@BUNDLE_HASH@'", JSON.stringify(hash));
  if (!loader.includes(JSON.stringify(hash))) throw new Error('bundle-lib: scripts/bundle-loader.js has no @BUNDLE_HASH@ placeholder');
  fs.writeFileSync(path.join(bundleDir, 'load.js'), loader);

  // the stubs, then the check: every module's exports (the public index's names included) load
  for (const f of files) {
    fs.writeFileSync(f, stubText(lib, f));
    const map = `${f}.map`;
    if (fs.existsSync(map)) fs.rmSync(map);
  }
  checkIndex(lib, names);
  process.stdout.write(`bundle-lib: ${modules.length} modules of lib/ in lib/${BUNDLE_DIR}/modules.js (${(text.length / 1048576).toFixed(2)} MiB, ${hash})\n`);
}

module.exports = { bundleText, STUB_MARKER };

if (require.main === module) main();
