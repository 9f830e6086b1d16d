/**
 * The README's usage example must compile and synthesize into valid objects: the snippet is extracted,
 * pointed at the local sources and run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readYamlDir, schemaErrors } from './harness';

const ROOT = path.join(__dirname, '..');

test('the README usage example synthesizes valid objects', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = /`main\.ts`:\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet).toBeDefined();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const code = snippet!
    .replace(/from 'cdk8s-lgtm'/g, `from '${path.join(ROOT, 'src')}'`)
    .replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`);
  const file = path.join(__dirname, '.readme-example.generated.ts');
  fs.writeFileSync(file, code);
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
