'use strict';
// The .js files under a folder, recursively (the compile-task scripts that rewrite lib/).
const fs = require('fs');
const path = require('path');

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

module.exports = { jsFiles };
