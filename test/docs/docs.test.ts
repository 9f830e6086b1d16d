/**
 * Docs that cannot drift: every TypeScript block of README.md and docs/**\/*.md is type-checked against src/,
 * whole apps are synthesized through the schema harness, and inline code that names an API member must name
 * one that exists. The block markers (```ts, ```ts fragment) and the fragment preamble: test/docs/snippets.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ROOT, Snippet, classify, codeBlocks, collectSnippets, inlineApiErrors, publicExports, snippetSource, typeErrors,
} from './snippets';
import { readYamlDir, schemaErrors } from '../harness';

const GENERATED = path.join(ROOT, 'test', 'docs', '.generated');
const { snippets, errors: blockErrors } = collectSnippets();
const exportsOfLibrary = publicExports();

function fileFor(s: Snippet): string {
  return path.join(GENERATED, `${s.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${s.line}.ts`);
}

// A deliberately drifted fragment (the names the docs once had), compiled in the same program as the docs.
const DRIFTED = codeBlocks('drift.md', [
  '```ts fragment',
  'grafana.setNotificationPolicy({} as any);',
  'const c = AlertComparison.GT;',
  'grafana.alerting.addAlertRule({ title: "t", datasource: prometheus, expr: "up", threshold: 1, for: Duration.minutes(5) });',
  '```',
  '',
].join('\n')).map(classify) as Snippet[];
const DRIFT_FILE = path.join(GENERATED, 'drift.ts');

let errorsByFile: Map<string, string[]>;
afterAll(() => fs.rmSync(GENERATED, { recursive: true, force: true }));
beforeAll(() => {
  fs.rmSync(GENERATED, { recursive: true, force: true });
  fs.mkdirSync(GENERATED, { recursive: true });
  for (const s of snippets) fs.writeFileSync(fileFor(s), snippetSource(s, exportsOfLibrary));
  fs.writeFileSync(DRIFT_FILE, snippetSource(DRIFTED[0], exportsOfLibrary));
  // one program for every snippet: type-checking src/ once is most of the cost
  const files = [...snippets.map(fileFor), DRIFT_FILE];
  errorsByFile = new Map(files.map((f) => [f, [] as string[]]));
  for (const e of typeErrors(files)) {
    const f = files.find((x) => e.includes(`(${path.basename(x)}:`));
    errorsByFile.get(f ?? DRIFT_FILE)!.push(e);
  }
});

test('every code block of the docs is TypeScript (app or fragment) or a known other language', () => {
  expect(blockErrors).toEqual([]);
  expect(snippets.some((s) => s.file === 'README.md' && s.kind === 'app')).toBe(true);
});

test('every TypeScript block of the docs type-checks against src/', () => {
  expect(snippets.length).toBeGreaterThan(1);
  expect(snippets.flatMap((sn) => errorsByFile.get(fileFor(sn))!)).toEqual([]);
});

test('inline code that names an API member names one that exists', () => {
  expect(inlineApiErrors()).toEqual([]);
});

const apps = snippets.filter((s) => s.kind === 'app');
test.each(apps.map((s) => [s.where, s] as const))('%s (a whole app) synthesizes valid objects', (_where, s) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-app-'));
  const file = fileFor(s).replace(/\.ts$/, '.run.ts');
  // imports of the package resolve to the source; the app's `new App()` writes to CDK8S_OUTDIR
  fs.writeFileSync(file, snippetSource(s, exportsOfLibrary).replace(/from 'cdk8s-lgtm'/g, `from ${JSON.stringify(path.join(ROOT, 'src'))}`));
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    });
    const objs = readYamlDir(outdir);
    expect(objs.length).toBeGreaterThan(0);
    expect(schemaErrors(objs)).toEqual([]);
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

describe('the checker itself', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-checker-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('a block without a language, or with an unknown marker, is an error, never skipped', () => {
    const blocks = codeBlocks('x.md', 'a\n```\nfoo()\n```\n```ts partial\nx\n```\n```js\nx\n```\n```bash\nls\n```\n');
    const c = blocks.map(classify);
    expect(c[0]).toMatch(/x.md:2: code block without a language/);
    expect(c[1]).toMatch(/x.md:5: unknown TypeScript block marker 'partial'/);
    expect(classify(codeBlocks('y.md', '```ts module\nexport class A {}\n```\n')[0])).toMatchObject({ kind: 'module' });
    expect(c[2]).toMatch(/JavaScript block/);
    expect(c[3]).toBeUndefined();
  });

  test('a drifted method name, enum member or prop fails the type-check', () => {
    const errs = errorsByFile.get(DRIFT_FILE)!.join('\n');
    expect(errs).toMatch(/drift\.md:1 .*'setNotificationPolicy' does not exist/);
    expect(errs).toMatch(/'GT' does not exist on type 'typeof AlertComparison'/);
    expect(errs).toMatch(/'for' does not exist|Object literal may only specify known properties/);
  });

  test('a drifted name in inline code fails', () => {
    const docs = path.join(tmp, 'root');
    fs.mkdirSync(path.join(docs, 'docs'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'src'), path.join(docs, 'src'));
    fs.writeFileSync(path.join(docs, 'README.md'), 'Call `grafana.setNotificationPolicy({ contactPoint })` with `AlertComparison.GT`; `grafana.applyNotificationPolicy(p)` and `AlertComparison.ABOVE` exist.\n');
    const errs = inlineApiErrors(docs);
    expect(errs).toEqual([
      expect.stringMatching(/README.md:1: `grafana.setNotificationPolicy.*no public type of cdk8s-lgtm has a member 'setNotificationPolicy'/),
      expect.stringMatching(/README.md:1: `AlertComparison.GT`: AlertComparison has no public member 'GT'/),
    ]);
  });
});
