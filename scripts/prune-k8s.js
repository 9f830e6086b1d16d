#!/usr/bin/env node
/**
 * Writes `lib/imports/k8s-used.js`: cdk8s-plus-28's generated `k8s` module (2.7 MB of JavaScript, every
 * Kubernetes 1.28 kind) cut down to the classes lib/ uses and what they need (about 0.14 MB), and points
 * lib/'s requires of `cdk8s-plus-28/lib/imports/k8s` at it. Loading the whole module cost about 20 ms of
 * every synth (docs/PERFORMANCE.md).
 *
 * The cut is by static reference only, and refuses to guess: every file of lib/ must use the module as
 * `const k8s = __importStar(require("cdk8s-plus-28/lib/imports/k8s"))` with `k8s.Name` accesses and no
 * other use of `k8s` (else the script fails); the kept part is the closure of the names used over the
 * module's top-level declarations (a class, its `exports.X = X`, its `X[_a] = { fqn }` and `X.GVK`, the
 * `toJson_*` functions its `toJson()` calls). The statements are copied as they are, so each kept class is
 * the same code (its jsii type name included); a class of the full module and one of the cut are
 * different objects, as for any two copies of a module. src/ (ts-jest, ts-node) keeps the full module;
 * test/core/k8s-used.test.ts checks that the cut of the names src/ uses writes the same manifests.
 *
 * Run by the compile task after jsii: `node scripts/prune-k8s.js [lib]`. Idempotent.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const SPECIFIER = 'cdk8s-plus-28/lib/imports/k8s';
const OUT = 'imports/k8s-used.js';
const HEADER = '// cdk8s-plus-28/lib/imports/k8s.js cut to what cdk8s-lgtm uses (scripts/prune-k8s.js); do not edit';

/** The top-level declarations of a generated module reachable from `keep`, as source text. */
function pruneModule(src, keep, ts = require('typescript')) {
  const sf = ts.createSourceFile('k8s.js', src, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const stmts = sf.statements;
  const owner = new Array(stmts.length);
  const defs = new Set();
  stmts.forEach((s, i) => {
    let name;
    if ((ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s)) && s.name) name = s.name.text;
    else if (ts.isVariableStatement(s) && s.declarationList.declarations.length === 1 && ts.isIdentifier(s.declarationList.declarations[0].name)) {
      name = s.declarationList.declarations[0].name.text;
    }
    if (name) {
      defs.add(name);
      owner[i] = name;
    }
  });
  stmts.forEach((s, i) => {
    if (owner[i] !== undefined) return;
    if (!ts.isExpressionStatement(s)) {
      owner[i] = '#keep'; // "use strict", `var _a, _b, ...`
      return;
    }
    const e = s.expression;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const l = e.left;
      if (ts.isPropertyAccessExpression(l) && ts.isIdentifier(l.expression) && l.expression.text === 'exports') {
        // `exports.X = X;`, or the header `exports.A = exports.B = ... = void 0;` (dropped: nothing reads it)
        owner[i] = ts.isIdentifier(e.right) && defs.has(e.right.text) ? e.right.text : '#header';
        return;
      }
      if ((ts.isPropertyAccessExpression(l) || ts.isElementAccessExpression(l)) && ts.isIdentifier(l.expression) && defs.has(l.expression.text)) {
        owner[i] = l.expression.text; // `X[_a] = { fqn }`, `X.GVK = ...`
        return;
      }
    }
    // `_a = JSII_RTTI_SYMBOL_1;` and anything else not owned by a declaration: kept
    owner[i] = '#keep';
  });
  const kept = new Set();
  const queue = [...keep];
  const refs = (s) => {
    const visit = (x) => {
      if (ts.isIdentifier(x) && defs.has(x.text) && !kept.has(x.text)) queue.push(x.text);
      ts.forEachChild(x, visit);
    };
    visit(s);
  };
  stmts.forEach((s, i) => { if (owner[i] === '#keep') refs(s); });
  while (queue.length > 0) {
    const n = queue.pop();
    if (kept.has(n)) continue;
    if (!defs.has(n)) throw new Error(`prune-k8s: ${n} is not declared by ${SPECIFIER}`);
    kept.add(n);
    stmts.forEach((s, i) => { if (owner[i] === n) refs(s); });
  }
  let out = '';
  stmts.forEach((s, i) => {
    if (owner[i] === '#keep' || kept.has(owner[i])) out += src.slice(s.getFullStart(), s.getEnd());
  });
  return { text: `${out}\n`, kept: kept.size, declarations: defs.size };
}

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

/**
 * The names lib/ reads of the module, and the files that require it: by its package path (jsii's output),
 * or already pointed at the cut (a file an earlier run rewrote, if the compiler left it as it was).
 */
function usedNames(lib, ts = require('typescript')) {
  const names = new Set();
  const files = [];
  for (const f of jsFiles(lib)) {
    if (f === path.join(lib, OUT)) continue;
    const text = fs.readFileSync(f, 'utf8');
    const full = text.includes(`require("${SPECIFIER}")`);
    if (!full && !text.includes('/k8s-used")')) continue;
    const lines = text.split('\n').filter((l) => l.includes(`require("${SPECIFIER}")`) || l.includes('/k8s-used")'));
    if (lines.length !== 1 || !/^const k8s = __importStar\(require\("[^"]+"\)\);$/.test(lines[0].trim())) {
      throw new Error(`prune-k8s: ${f} requires the k8s module otherwise than \`const k8s = __importStar(require("${SPECIFIER}"));\``);
    }
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
    const visit = (x) => {
      if (ts.isIdentifier(x) && x.text === 'k8s') {
        const p = x.parent;
        if (ts.isVariableDeclaration(p) && p.name === x) return;
        if (ts.isPropertyAccessExpression(p) && p.name === x) return; // `something.k8s`
        if (!ts.isPropertyAccessExpression(p) || p.expression !== x) throw new Error(`prune-k8s: ${f} uses \`k8s\` other than as \`k8s.Name\``);
        names.add(p.name.text);
      }
      ts.forEachChild(x, visit);
    };
    visit(sf);
    if (full) files.push(f);
  }
  return { names: [...names].sort(), files };
}

function main() {
  const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
  const { names, files } = usedNames(lib);
  if (names.length === 0) return; // nothing uses the module
  const full = fs.readFileSync(require.resolve(`${SPECIFIER}.js`), 'utf8');
  const cut = pruneModule(full, names);
  const out = path.join(lib, OUT);
  fs.writeFileSync(out, `${HEADER}\n${cut.text}`);
  for (const f of files) {
    let rel = path.relative(path.dirname(f), out).replace(/\.js$/, '').split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(`require("${SPECIFIER}")`, `require("${rel}")`));
  }
  // every name lib/ reads is there
  const m = require(out);
  const missing = names.filter((n) => m[n] === undefined);
  if (missing.length > 0) throw new Error(`prune-k8s: the cut module lacks ${missing.join(', ')}`);
}

module.exports = { pruneModule, SPECIFIER };
if (require.main === module) main();
