#!/usr/bin/env node
// Builds the jsii assembly (.jsii) when it is missing or older than a file under src/: the vocabulary
// test (test/vocabulary.test.ts) reads it. CI runs `npx projen compile` first, so this is a no-op there;
// on a fresh clone (`npm ci && npx projen render && npm test`) it builds the assembly once.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const assembly = path.join(root, '.jsii');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const stale = !fs.existsSync(assembly) || fs.statSync(assembly).mtimeMs < newestSource(path.join(root, 'src'));
if (!stale) process.exit(0);
console.log('ensure-jsii: .jsii is missing or older than src/: running jsii (as `npx projen compile` does)');
const r = spawnSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
