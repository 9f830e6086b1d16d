#!/usr/bin/env node
/**
 * Generates src/core/validation/prop-types.generated.ts, the runtime type table of the public structs
 * (the interfaces reachable from src/index.ts; generated src/imports excluded):
 * - STRUCT_PROP_TYPES: for every public struct (with the members it inherits), the runtime type of each
 *   prop whose type is one of `Duration`, `Size`, `string`, `number`, `boolean`, or another public
 *   struct (or an array of them), written `struct:<Name>`, so the check descends with the right table;
 * - CONSTRUCT_PROPS: for every public construct, the struct its constructor takes as props (the check
 *   starts there, so a prop name with different types in different structs, such as `interval`, is
 *   checked in each by its own type);
 * - PROP_TYPES: by prop name alone, the names that have one type in every public struct (the fallback
 *   for props of a construct the table does not know, e.g. a user's subclass).
 * The props check fails with the five-part message when a JavaScript (or other jsii language) caller
 * passes, say, the string '5m' where a Duration is expected.
 *
 * Usage: node scripts/gen-prop-types.js [--check]   (--check: exit 1 when the committed file is stale)
 */
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const srcDir = path.join(root, 'src');
const outFile = path.join(srcDir, 'core', 'validation', 'prop-types.generated.ts');

function files(d) {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : files(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const byFile = new Map();
for (const f of files(srcDir).sort()) byFile.set(f, ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true));

const isExported = (n) => n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function resolveModule(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (byFile.has(c)) return c;
  return undefined;
}

/** The names a module exports (its own exported declarations and what it re-exports), recursively. */
const exportCache = new Map();
function exportedNames(file) {
  if (exportCache.has(file)) return exportCache.get(file);
  const out = new Set();
  exportCache.set(file, out);
  byFile.get(file).forEachChild((n) => {
    if ((ts.isInterfaceDeclaration(n) || ts.isClassDeclaration(n)) && n.name && isExported(n)) out.add(n.name.text);
    if (ts.isExportDeclaration(n) && n.moduleSpecifier) {
      const target = resolveModule(file, n.moduleSpecifier.text);
      if (!target) return;
      if (!n.exportClause) for (const x of exportedNames(target)) out.add(x);
      else if (ts.isNamedExports(n.exportClause)) for (const e of n.exportClause.elements) out.add(e.name.text);
    }
  });
  return out;
}
const publicNames = exportedNames(path.join(srcDir, 'index.ts'));

/** Every exported interface and class declaration, by name (public ones first). */
const interfaces = new Map();
const classes = new Map();
for (const [, sf] of byFile) {
  sf.forEachChild((n) => {
    if (!n.name || !isExported(n) || !publicNames.has(n.name.text)) return;
    if (ts.isInterfaceDeclaration(n) && !interfaces.has(n.name.text)) interfaces.set(n.name.text, { node: n, sf });
    if (ts.isClassDeclaration(n) && !classes.has(n.name.text)) classes.set(n.name.text, { node: n, sf });
  });
}
/** Structs: public interfaces that are not behavioral (`IFoo`). */
const isStruct = (name) => interfaces.has(name) && !/^I[A-Z]/.test(name);

const KINDS = { Duration: 'Duration', Size: 'Size', ResourcePreset: 'ResourcePreset', string: 'string', number: 'number', boolean: 'boolean' };
function kindOf(typeText) {
  const t = typeText.trim();
  if (KINDS[t]) return KINDS[t];
  const elem = t.replace(/\[\]$/, '').replace(/^Array<(.*)>$/, '$1').trim();
  if (isStruct(elem)) return `struct:${elem}`;
  return undefined; // maps, unions, classes, behavioral interfaces: not checked
}

/**
 * What a struct declares, with what it inherits (own declarations win): `visit(member, sf, out)` fills
 * `out` for each member, after `merge(out, fromBase)` has taken in each base struct's result.
 */
function inheritingWalk(make, merge, visit) {
  const cache = new Map();
  const walk = (name) => {
    if (cache.has(name)) return cache.get(name);
    const out = make();
    cache.set(name, out);
    const { node, sf } = interfaces.get(name);
    for (const h of node.heritageClauses ?? []) {
      for (const t of h.types) {
        const base = t.expression.getText(sf);
        if (interfaces.has(base)) merge(out, walk(base));
      }
    }
    for (const m of node.members) if (ts.isPropertySignature(m) && ts.isIdentifier(m.name)) visit(m, sf, out);
    return out;
  };
  return walk;
}

/** The checked props of a struct and their runtime kinds. */
const structProps = inheritingWalk(() => ({}), (out, base) => Object.assign(out, base), (m, sf, out) => {
  const k = m.type ? kindOf(m.type.getText(sf)) : undefined;
  if (k) out[m.name.text] = k;
  else delete out[m.name.text];
});

/** The required (non-optional) props of a struct. */
const requiredProps = inheritingWalk(() => new Set(), (out, base) => base.forEach((r) => out.add(r)), (m, sf, out) => {
  if (m.questionToken) out.delete(m.name.text);
  else out.add(m.name.text);
});

const sortBy = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const structs = [...interfaces.keys()].filter(isStruct).sort(sortBy);
const structTable = structs.map((s) => [s, structProps(s)]).filter(([, p]) => Object.keys(p).length > 0);

/** Constructs: a public class whose constructor takes `(scope, id, props)` with a struct as props. */
const constructTable = [];
for (const [name, { node, sf }] of [...classes.entries()].sort(([a], [b]) => sortBy(a, b))) {
  const ctor = node.members.find((m) => ts.isConstructorDeclaration(m));
  const p = ctor?.parameters[2];
  if (!p || !p.type) continue;
  // a construct's constructor is public and starts with (scope, id); a value class with a private
  // constructor taking options third (OnCallDatabase) is not one
  if (ctor.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) continue;
  const t = p.type.getText(sf).trim();
  if (isStruct(t)) constructTable.push([name, t]);
}

const constructStructs = [...new Set(constructTable.map(([, st]) => st))].sort(sortBy);
const requiredTable = constructStructs.map((st) => [st, [...requiredProps(st)].sort(sortBy)]).filter(([, r]) => r.length > 0);

/** By name alone: the names with one type in every struct that declares them. */
const seen = new Map();
for (const s of structs) {
  const { node, sf } = interfaces.get(s);
  for (const m of node.members) {
    if (!ts.isPropertySignature(m) || !m.type || !ts.isIdentifier(m.name)) continue;
    const k = kindOf(m.type.getText(sf));
    const kind = k === undefined ? 'other' : k.startsWith('struct:') ? 'struct' : k;
    if (!seen.has(m.name.text)) seen.set(m.name.text, new Set());
    seen.get(m.name.text).add(kind);
  }
}
const nameTable = [...seen.entries()]
  .filter(([, kinds]) => kinds.size === 1 && !kinds.has('other'))
  .map(([name, kinds]) => [name, [...kinds][0]])
  .sort(([a], [b]) => sortBy(a, b));

const key = (n) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n) ? n : JSON.stringify(n));
const text = `// Generated by scripts/gen-prop-types.js from the public structs of src/ (reachable from src/index.ts).
// Do not edit: run \`node scripts/gen-prop-types.js\` after changing a public struct (a test checks it).

/** A runtime type: a value type, or \`struct:<Name>\` for a public struct (or an array of them). */
export type PropKind = string;

/** By public struct (with inherited members): the runtime type of each checked prop. */
export const STRUCT_PROP_TYPES: { readonly [struct: string]: { readonly [prop: string]: PropKind } } = {
${structTable.map(([s, props]) => `  ${key(s)}: {\n${Object.keys(props).sort(sortBy).map((p) => `    ${key(p)}: '${props[p]}',`).join('\n')}\n  },`).join('\n')}
};

/** By public construct: the struct its constructor takes as props (where the check starts). */
export const CONSTRUCT_PROPS: { readonly [construct: string]: string } = {
${constructTable.map(([c, s]) => `  ${key(c)}: '${s}',`).join('\n')}
};

/** By props struct of a public construct: the props a caller must pass (a JavaScript caller can omit them). */
export const STRUCT_REQUIRED_PROPS: { readonly [struct: string]: readonly string[] } = {
${requiredTable.map(([st, r]) => `  ${key(st)}: [${r.map((x) => `'${x}'`).join(', ')}],`).join('\n')}
};

/**
 * By prop name alone (the fallback for props of a struct the table does not know): the names that have
 * the same one of these types in every public struct; 'struct' descends into a nested struct.
 */
export const PROP_TYPES: { readonly [prop: string]: 'Duration' | 'Size' | 'ResourcePreset' | 'string' | 'number' | 'boolean' | 'struct' } = {
${nameTable.map(([n, k]) => `  ${key(n)}: '${k}',`).join('\n')}
};
`;
if (process.argv.includes('--check')) {
  const cur = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
  if (cur !== text) {
    console.error(`${path.relative(root, outFile)} is stale: run node scripts/gen-prop-types.js`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(outFile, text);
  console.log(`${path.relative(root, outFile)}: ${structTable.length} structs, ${constructTable.length} constructs, ${nameTable.length} names`);
}
