/**
 * The README's usage example must compile and synthesize into valid objects. The code lives in
 * examples/readme-usage.ts (type-checked with the tests); the README must show exactly that code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readYamlDir, schemaErrors } from './harness';

const ROOT = path.join(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'readme-usage.ts');

function exampleCode(): string {
  return fs.readFileSync(EXAMPLE, 'utf8').split('\n').filter((l) => !l.startsWith('// ')).join('\n');
}

test('the README shows exactly examples/readme-usage.ts', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = /`main\.ts`:\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet).toBe(exampleCode().replace("from '../src'", "from 'cdk8s-lgtm'"));
});

test('the README usage example synthesizes valid objects', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const file = path.join(ROOT, 'examples', '.readme-usage.generated.ts');
  fs.writeFileSync(file, exampleCode().replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`));
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    });
  } finally {
    fs.rmSync(file, { force: true });
  }
  const objs = readYamlDir(outdir);
  expect(objs.length).toBeGreaterThan(20);
  expect(schemaErrors(objs)).toEqual([]);
  fs.rmSync(outdir, { recursive: true, force: true });
});
