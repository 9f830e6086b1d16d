/**
 * No test passes by skipping: a missing tool fails the test that needs it, with the install command.
 * This guard fails when a test file calls the skip or todo variants of test/it/describe, or their x-prefixed forms.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
// built from parts so that this file does not match itself
const SKIP = new RegExp(['\\b(test|it|describe)\\.(skip|todo)\\b', '\\bx(it|test|describe)\\(', '\\b(test|it|describe)\\.skipIf\\b'].join('|'));

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__snapshots__' || e.name.startsWith('.') ? [] : testFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

test('no test file skips a test', () => {
  const hits = testFiles(path.join(ROOT, 'test')).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')
    .map((line, i) => ({ line, where: `${path.relative(ROOT, f)}:${i + 1}` }))
    .filter((l) => SKIP.test(l.line))
    .map((l) => `${l.where}: ${l.line.trim()} (fail with the install command instead of skipping)`));
  expect(hits).toEqual([]);
});
