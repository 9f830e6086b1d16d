'use strict';
// The .js files under a folder, recursively (the compile-task scripts that rewrite lib/), without the
// bundle's own folder (lib/_bundle/, written by scripts/bundle-lib.js from the other files).
const fs = require('fs');
const path = require('path');

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '_bundle' ? [] : jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

module.exports = { jsFiles };
