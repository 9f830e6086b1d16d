#!/usr/bin/env node
/**
 * Writes the file each relative `require("./x")` of lib/ resolves to into the require itself
 * (`require("./x.js")`, or `require("./x/index.js")` for a folder), so that node finds it at the first
 * stat instead of probing `./x`, then `./x.js`. The same files load, in the same order: each new specifier
 * is checked to resolve to the file the old one resolved to (node's own `require.resolve`), and the
 * script fails otherwise. About 700 requires in lib/; a few percent of a synth's module loading.
 *
 * Run by the compile task after jsii, the lazy index and the import cut: `node scripts/explicit-requires.js [lib]`.
 * Idempotent (a specifier that already names a file is left alone).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { jsFiles } = require('./lib-files');
const { createRequire } = require('module');

function main() {
  const lib = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'lib'));
  let rewritten = 0;
  for (const file of jsFiles(lib)) {
    const text = fs.readFileSync(file, 'utf8');
    const resolve = createRequire(file).resolve;
    const out = text.replace(/require\("(\.\.?\/[^"]*)"\)/g, (all, spec) => {
      if (spec.endsWith('.js') || spec.endsWith('.json')) return all;
      const target = resolve(spec);
      let explicit = path.relative(path.dirname(file), target).split(path.sep).join('/');
      if (!explicit.startsWith('.')) explicit = `./${explicit}`;
      if (resolve(explicit) !== target) throw new Error(`explicit-requires: ${spec} in ${file} resolves to ${target}, ${explicit} does not`);
      rewritten++;
      return `require("${explicit}")`;
    });
    if (out !== text) fs.writeFileSync(file, out);
  }
  process.stdout.write(`explicit-requires: ${rewritten} relative requires of lib/ name their file\n`);
}

main();
