#!/usr/bin/env node
/**
 * Cuts the generated modules lib/ loads to what it uses:
 *  - cdk8s-plus-28's `k8s` module (2.7 MB of JavaScript, every Kubernetes 1.28 kind) becomes
 *    `lib/imports/k8s-used.js` (about 0.14 MB: the classes lib/ uses and what they need), and lib/'s
 *    requires of `cdk8s-plus-28/lib/imports/k8s` point at it;
 *  - our own `lib/imports/*.js` (cdk8s import of the CRDs) are left whole: each custom resource class
 *    reaches nearly its whole schema (a cut of the 0.46 MB Prometheus module kept 0.43 MB).
 * Loading the whole `k8s` module cost about 20 ms of every synth (docs/PERFORMANCE.md).
 *
 * The cut is by static reference only, and refuses to guess: a file of lib/ that requires one of these
 * modules must bind it to one constant (`const x = require("...")` or `__importStar(require("..."))`) and
 * use that constant only as `x.Name` (else the script fails). What is kept is the closure of the names
 * used over the module's top-level declarations (a class, its `exports.X = X`, its `X[_a] = { fqn }` and
 * `X.GVK`, the `toJson_*` functions its `toJson()` calls); the statements are copied as they are, so each
 * kept class is the same code (its jsii type name included). A class of the full cdk8s-plus-28 module and
 * one of the cut are different objects, as for any two copies of a module. src/ (ts-jest, ts-node) keeps
 * the full modules; test/core/k8s-used.test.ts checks that the cut of the names src/ uses writes the same
 * manifests.
 *
 * Run by the compile task after jsii: `node scripts/prune-imports.js [lib]`. Idempotent.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { jsFiles } = require('./lib-files');

const SPECIFIER = 'cdk8s-plus-28/lib/imports/k8s';
const OUT = 'imports/k8s-used.js';
const HEADER = '// cdk8s-plus-28/lib/imports/k8s.js cut to what cdk8s-lgtm uses (scripts/prune-imports.js); do not edit';

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
    if (!defs.has(n)) throw new Error(`prune-imports: ${n} is not declared by the module`);
    kept.add(n);
    stmts.forEach((s, i) => { if (owner[i] === n) refs(s); });
  }
  let out = '';
  stmts.forEach((s, i) => {
    if (owner[i] === '#keep' || kept.has(owner[i])) out += src.slice(s.getFullStart(), s.getEnd());
  });
  return { text: `${out}\n`, kept: kept.size, declarations: defs.size };
}

/** A require of a module to cut in a line of lib/: the constant it is bound to and the specifier. */
const BINDING = /^const ([A-Za-z_$][\w$]*) = (?:__importStar\()?require\("([^"]+)"\)\)?;$/;

/**
 * The names lib/ reads of each module to cut (by absolute path of the full module), and the files that
 * require cdk8s-plus-28's module by its package path (jsii's output; a file an earlier run pointed at the
 * cut is read too, in case the compiler left it as it was).
 */
function usedNames(lib, ts = require('typescript')) {
  const imports = path.join(lib, 'imports');
  const cutFile = path.join(lib, OUT);
  const k8sFull = require.resolve(`${SPECIFIER}.js`);
  const names = new Map(); // module path -> Set of names
  const k8sFiles = [];
  for (const f of jsFiles(lib)) {
    if (path.dirname(f) === imports) continue; // the generated modules require nothing of each other
    const text = fs.readFileSync(f, 'utf8');
    if (!text.includes(SPECIFIER) && !text.includes('imports/')) continue;
    const aliases = new Map(); // constant -> module path
    for (const line of text.split('\n')) {
      const m = BINDING.exec(line.trim());
      if (!m) continue;
      let target;
      if (m[2] === SPECIFIER) target = k8sFull;
      else if (m[2].startsWith('.')) {
        const abs = path.resolve(path.dirname(f), `${m[2]}.js`);
        if (abs === cutFile) target = k8sFull;
        else if (path.dirname(abs) === imports) target = abs;
      }
      if (target !== undefined) aliases.set(m[1], target);
    }
    const direct = text.split('\n').filter((l) => l.includes(`require("${SPECIFIER}")`));
    if (direct.length > 0 && ![...aliases.values()].includes(k8sFull)) throw new Error(`prune-imports: ${f} requires ${SPECIFIER} otherwise than as one constant`);
    if (aliases.size === 0) continue;
    if (direct.length > 0) k8sFiles.push(f);
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
    const visit = (x) => {
      if (ts.isIdentifier(x) && aliases.has(x.text)) {
        const p = x.parent;
        if (ts.isVariableDeclaration(p) && p.name === x) return;
        if ((ts.isPropertyAccessExpression(p) && p.name === x) || (ts.isPropertyAssignment(p) && p.name === x)) return; // `a.k8s`, `{ k8s: ... }`
        if (!ts.isPropertyAccessExpression(p) || p.expression !== x) throw new Error(`prune-imports: ${f} uses \`${x.text}\` other than as \`${x.text}.Name\``);
        const target = aliases.get(x.text);
        if (!names.has(target)) names.set(target, new Set());
        names.get(target).add(p.name.text);
      }
      ts.forEachChild(x, visit);
    };
    visit(sf);
  }
  return { names, k8sFiles, k8sFull };
}

function main() {
  const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
  const { names, k8sFiles, k8sFull } = usedNames(lib);
  const out = path.join(lib, OUT);
  for (const [file, used] of names) {
    // our own CRD modules: each CR class reaches nearly its whole schema (a cut of the Prometheus module
    // kept 0.43 of 0.46 MB), so they are left whole
    if (file !== k8sFull) continue;
    const keep = [...used].sort();
    const full = fs.readFileSync(file, 'utf8').replace(`${HEADER}\n`, '');
    const cut = pruneModule(full, keep);
    const target = file === k8sFull ? out : file;
    fs.writeFileSync(target, file === k8sFull ? `${HEADER}\n${cut.text}` : cut.text);
    // every name lib/ reads is there
    delete require.cache[target];
    const m = require(target);
    const missing = keep.filter((n) => m[n] === undefined);
    if (missing.length > 0) throw new Error(`prune-imports: the cut of ${path.relative(lib, file)} lacks ${missing.join(', ')}`);
  }
  for (const f of k8sFiles) {
    let rel = path.relative(path.dirname(f), out).replace(/\.js$/, '').split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(`require("${SPECIFIER}")`, `require("${rel}")`));
  }
}

module.exports = { pruneModule, SPECIFIER };
if (require.main === module) main();
