#!/usr/bin/env node
// Runs a TypeScript entry point of this project: `node scripts/ts-run.js examples/render.ts [args]`.
//
// Each .ts file is transpiled with TypeScript's own `transpileModule` (what `ts-node --transpile-only`
// does, with the compiler options of tsconfig.json) and the JavaScript is cached under .tmp/ts-cache/ by
// a hash of the file, the options and the TypeScript version: a second run loads no compiler at all.
// Types are not checked here; `npx projen typecheck` (part of `npx projen test`) checks src, tests,
// examples and bench together, so a type error cannot reach dist/ through a green test run.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, '.tmp', 'ts-cache');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');

function salt() {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(__filename));
  h.update(fs.readFileSync(TSCONFIG));
  h.update(JSON.parse(fs.readFileSync(require.resolve('typescript/package.json', { paths: [ROOT] }), 'utf8')).version);
  return h.digest('hex');
}
const SALT = salt();

let ts;
let options;
function transpile(source, filename) {
  if (ts === undefined) {
    ts = require(require.resolve('typescript', { paths: [ROOT] }));
    const config = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
    options = {
      ...ts.convertCompilerOptionsFromJson(config.config.compilerOptions ?? {}, ROOT).options,
      module: ts.ModuleKind.CommonJS,
      noEmit: false,
      declaration: false,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: false,
    };
    for (const k of ['rootDir', 'outDir', 'declarationDir', 'declarationMap', 'composite', 'incremental', 'tsBuildInfoFile']) delete options[k];
  }
  const out = ts.transpileModule(source, { compilerOptions: options, fileName: filename, reportDiagnostics: true });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(`${filename}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  }
  return out.outputText;
}

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(SALT).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, 'utf8');
  } catch {
    js = transpile(source, filename);
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, js);
    fs.renameSync(tmp, cached); // atomic: a parallel run reads either nothing or the whole file
  }
  module._compile(js, filename);
};

process.setSourceMapsEnabled(true); // stack traces point at the .ts lines
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/ts-run.js <file.ts> [args...]');
  process.exit(2);
}
const main = path.resolve(entry);
process.argv = [process.argv[0], main, ...args];
require('module').runMain();
