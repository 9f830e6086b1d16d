import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';

/* eslint-disable @typescript-eslint/no-require-imports */
const { pruneModule, SPECIFIER } = require('../../scripts/prune-imports.js');
const FULL = require(SPECIFIER);
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.join(__dirname, '..', '..');

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : e.name.endsWith(ext) ? [p] : [];
  });
}

/** The module's runtime names src/ reads (`k8s.KubeService`, `k8s.IntOrString`; interfaces have none). */
const USED = [...new Set(files(path.join(ROOT, 'src'), '.ts').flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/\bk8s\.([A-Z][A-Za-z0-9]*)/g)].map((m) => m[1])))]
  .filter((n) => FULL[n] !== undefined).sort();

/** The cut module of the names src/ uses, loaded as lib/ loads it. */
function loadCut(): any {
  const cut = pruneModule(fs.readFileSync(require.resolve(`${SPECIFIER}.js`), 'utf8'), USED);
  const dir = path.join(ROOT, '.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `k8s-used-${process.pid}.js`);
  fs.writeFileSync(file, cut.text);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { module: require(file), cut };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const { module: CUT, cut: CUT_INFO } = loadCut();

test('the cut keeps every class and function src/ uses, and a small part of the module', () => {
  expect(USED.length).toBeGreaterThan(15);
  for (const n of USED) expect(typeof CUT[n]).toBe(typeof FULL[n]);
  expect(CUT_INFO.text.length).toBeLessThan(fs.statSync(require.resolve(`${SPECIFIER}.js`)).size / 10);
});

test('a kept class is the same class: its jsii type name, its GVK, the same static factories', () => {
  const rtti = Symbol.for('jsii.rtti');
  for (const n of USED.filter((x) => x.startsWith('Kube'))) {
    expect(CUT[n][rtti]).toEqual(FULL[n][rtti]);
    expect(CUT[n].GVK).toEqual(FULL[n].GVK);
  }
  expect(CUT.IntOrString.fromNumber(8080).value).toBe(FULL.IntOrString.fromNumber(8080).value);
  expect(CUT.Quantity.fromString('1Gi').value).toBe(FULL.Quantity.fromString('1Gi').value);
});

test('every object of dist/ of a kept kind writes the same manifest through the cut as through the full module', () => {
  const byKind = new Map<string, string>();
  for (const n of USED.filter((x) => x.startsWith('Kube'))) byKind.set(`${FULL[n].GVK.apiVersion}/${FULL[n].GVK.kind}`, n);
  let compared = 0;
  for (const file of files(path.join(ROOT, 'dist'), '.yaml')) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const json = doc.toJSON();
      const cls = json && byKind.get(`${json.apiVersion}/${json.kind}`);
      if (!cls) continue;
      const { apiVersion: _v, kind: _k, ...props } = json;
      const chart = new Chart(Testing.app(), 'c');
      const full = new FULL[cls](chart, 'full', props).toJson();
      const cut = new CUT[cls](chart, 'cut', props).toJson();
      expect(cut).toEqual(full);
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(200);
});
