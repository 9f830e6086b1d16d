#!/usr/bin/env node
/**
 * Rewrites lib/index.js (after jsii compiled it) so that `require('cdk8s-lgtm')` loads nothing until an
 * export is read: each export becomes an enumerable getter that requires its module on first access.
 *
 * jsii reads the TypeScript sources (src/index.ts), not lib/index.js, so the assembly, the bindings and
 * API.md do not change; `Object.keys(require('cdk8s-lgtm'))` lists the same names in the same order,
 * and each name returns the same object as before (the module's own export). Eagerly, the index loaded
 * every component module and their dependencies (about 340 modules) for any app.
 *
 * Each name loads the module that defines it, not the folder index that re-exports it (a folder index
 * loads every module of the folder).
 *
 * Run by the compile task: `node scripts/lazy-index.js [lib]`. Idempotent: an index it already wrote is
 * left alone (it regenerates from the jsii output only).
 */
'use strict';
const fs = require('fs');
const path = require('path');

const MARKER = '// lazy index (scripts/lazy-index.js)';

function main() {
  const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
  const file = path.join(lib, 'index.js');
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes(MARKER)) return;

  // explicit re-exports: `var x_1 = require("./core/x");` then `Object.defineProperty(exports, "Name", { ... return x_1.Name; } })`
  const vars = new Map();
  for (const m of text.matchAll(/^var (\w+) = require\("(\.[^"]+)"\);$/gm)) vars.set(m[1], m[2]);
  const explicit = new Map();
  for (const m of text.matchAll(/Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);/g)) {
    if (m[1] !== m[3] || !vars.has(m[2])) throw new Error(`lazy-index: unexpected re-export of ${m[1]} in ${file}`);
    explicit.set(m[1], vars.get(m[2]));
  }
  const stars = [...text.matchAll(/^__exportStar\(require\("(\.[^"]+)"\), exports\);$/gm)].map((m) => m[1]);

  // the names, in the order the compiled index defines them, and the module each comes from
  const eager = require(file);
  const names = Object.keys(eager);
  const from = new Map(explicit);
  for (const s of stars) {
    for (const k of Object.keys(require(path.join(lib, s)))) {
      if (k !== 'default' && !from.has(k)) from.set(k, s);
    }
  }
  const missing = names.filter((n) => !from.has(n));
  if (missing.length > 0) throw new Error(`lazy-index: no module found for ${missing.join(', ')}`);
  const extra = [...from.keys()].filter((n) => !names.includes(n));
  if (extra.length > 0) throw new Error(`lazy-index: ${extra.join(', ')} would be exported but the compiled index does not export them`);

  // each name from the module that defines it, through folder indexes (`./rules` re-exports ten
  // modules; an app that reads one rule pack loads that pack's module and what it imports)
  for (const n of names) from.set(n, leafOf(lib, from.get(n), n));

  const modules = [...new Set(names.map((n) => from.get(n)))];
  const out = [
    '"use strict";',
    MARKER,
    '// Public API of cdk8s-lgtm (src/index.ts). Each export loads its module on first access, so that',
    '// `require(\'cdk8s-lgtm\')` costs nothing until an app uses a construct.',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    `const MODULES = ${JSON.stringify(modules)};`,
    'const loaded = new Array(MODULES.length);',
    'function lazy(name, i) {',
    '    Object.defineProperty(exports, name, { enumerable: true, get: function () { return (loaded[i] ??= require(MODULES[i]))[name]; } });',
    '}',
    ...names.map((n) => `lazy(${JSON.stringify(n)}, ${modules.indexOf(from.get(n))});`),
    '',
  ].join('\n');
  fs.writeFileSync(file, out);

  // the same names and the same objects as the eager index
  delete require.cache[require.resolve(file)];
  const lazy = require(file);
  if (Object.keys(lazy).join() !== names.join()) throw new Error('lazy-index: the export names changed');
  for (const n of names) if (lazy[n] !== eager[n]) throw new Error(`lazy-index: ${n} is not the same object`);
}

/**
 * The module (relative to lib, `./dir/file`) that defines export `name` of module `rel`: `rel` itself
 * unless it re-exports `name` from another module (`export { name } from` or `export * from`), then
 * that module's, recursively. The first `export *` that has the name wins, as in `__exportStar`.
 */
function leafOf(lib, rel, name) {
  const file = require.resolve(path.join(lib, rel));
  const dir = path.dirname(file);
  const text = fs.readFileSync(file, 'utf8');
  const toRel = (spec) => `./${path.relative(lib, path.join(dir, spec)).split(path.sep).join('/')}`;
  const vars = new Map();
  for (const m of text.matchAll(/^var (\w+) = require\("(\.[^"]+)"\);$/gm)) vars.set(m[1], m[2]);
  for (const m of text.matchAll(/Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);/g)) {
    if (m[1] === name && m[3] === name && vars.has(m[2])) return leafOf(lib, toRel(vars.get(m[2])), name);
  }
  for (const m of text.matchAll(/^__exportStar\(require\("(\.[^"]+)"\), exports\);$/gm)) {
    if (Object.prototype.hasOwnProperty.call(require(path.join(dir, m[1])), name)) return leafOf(lib, toRel(m[1]), name);
  }
  return rel.replace(/\/index$/, '');
}

main();
