import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, Yaml, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { cdk8sYaml } from '../../src/core/verbatim';
import { PrometheusOperator, PrometheusOperatorCrds } from '../../src/prometheus';
import { annotateCrdBytes, simpleMetadata } from '../../src/prometheus/crd-text';

const VENDORED = PrometheusOperatorCrds.VENDORED_DIRECTORY;
const FILES = fs.readdirSync(VENDORED).filter((f) => f.startsWith('monitoring.coreos.com_')).sort();

/** The vendored file with the two Argo CD annotation lines inserted as the first annotations. */
function annotated(file: string): string {
  const text = fs.readFileSync(path.join(VENDORED, file), 'utf8');
  expect(text).toMatch(/^ {2}annotations:\n/m);
  return text.replace(/^ {2}annotations:\n/m, '  annotations:\n    argocd.argoproj.io/sync-wave: "-10"\n    argocd.argoproj.io/sync-options: "ServerSideApply=true,Prune=false"\n');
}

/** A folder with the three smallest vendored CRDs (the fallback path parses them: keep it quick). */
function smallDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-small-'));
  const bySize = [...FILES].sort((a, b) => fs.statSync(path.join(VENDORED, a)).size - fs.statSync(path.join(VENDORED, b)).size);
  for (const f of bySize.slice(0, 3)) fs.copyFileSync(path.join(VENDORED, f), path.join(dir, f));
  return dir;
}

function synthFile(build: (chart: Chart) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-out-'));
  const app = new App({ outdir, outputFileExtension: '.yaml' });
  build(new Chart(app, '00-crds'));
  app.synth();
  return fs.readFileSync(path.join(outdir, '00-crds.yaml'), 'utf8');
}

test('fails with the helper message when the CRD folder holds no CRD', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
  expect(() => new PrometheusOperatorCrds(Testing.chart(), 'Crds', { directory: dir }))
    .toThrow(/\[test\/Crds\] 'directory' holds no prometheus-operator CRD file\. Received: ".*"; expected: a folder with monitoring\.coreos\.com_\*\.yaml/);
});

test('the CRD output is byte for byte the vendored files plus the two annotation lines', () => {
  expect(FILES).toHaveLength(10);
  const out = synthFile((chart) => new PrometheusOperatorCrds(chart, 'Crds'));
  expect(out === FILES.map(annotated).join('---\n')).toBe(true); // no diff of 4 MiB in the report
});

test('a chart of CRDs and other objects is written as the writer would write each document', () => {
  const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'a.yaml': 'k: v\n', 'b': '2' } };
  const out = synthFile((chart) => {
    new ApiObject(chart, 'before', doc);
    new PrometheusOperatorCrds(chart, 'Crds');
    new ApiObject(chart, 'after', { ...doc, metadata: { name: 'y' } });
  });
  const expected = [Yaml.stringify(doc), ...FILES.map(annotated), Yaml.stringify({ ...doc, metadata: { name: 'y' } })].join('---\n');
  expect(out === expected).toBe(true);
  // the same through synthYaml (a string, not a file)
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  new PrometheusOperatorCrds(chart, 'Crds');
  expect(app.synthYaml() === FILES.map(annotated).join('---\n')).toBe(true);
  expect(Object.getOwnPropertyDescriptor(Yaml, 'save')!.value.name).toBe('save'); // restored after the synth
});

test('a synth of the CRDs beside workloads, with every app-wide check, never parses a CRD file', () => {
  // the writer prints the text, and no check may read a CRD body (the schema parse costs ~0.5 s)
  const yaml = cdk8sYaml();
  const parse = jest.spyOn(yaml, 'parse');
  const parseAll = jest.spyOn(yaml, 'parseAllDocuments');
  const parseDoc = jest.spyOn(yaml, 'parseDocument');
  try {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-stack-'));
    const app = new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new PrometheusOperatorCrds(new Chart(app, '00-crds'), 'Crds');
    new PrometheusOperator(new Chart(app, 'operator'), 'Operator', { namespace: 'monitoring' });
    app.synth();
    const crdTexts = new Set(FILES.map((f) => fs.readFileSync(path.join(VENDORED, f), 'utf8')));
    const parsedCrds = [...parse.mock.calls, ...parseAll.mock.calls, ...parseDoc.mock.calls]
      .filter(([text]) => typeof text === 'string' && (crdTexts.has(text) || /kind: CustomResourceDefinition/.test(text)));
    expect(parsedCrds.map(([text]) => String(text).slice(0, 120))).toEqual([]);
    expect(fs.readFileSync(path.join(outdir, '00-crds.yaml'), 'utf8') === FILES.map(annotated).join('---\n')).toBe(true);
  } finally {
    parse.mockRestore();
    parseAll.mockRestore();
    parseDoc.mockRestore();
  }
});

test('the inserted lines are the annotations, and nothing else changes', () => {
  const dir = smallDir();
  const files = fs.readdirSync(dir).sort();
  const docs = YAML.parseAllDocuments(synthFile((chart) => new PrometheusOperatorCrds(chart, 'Crds', { directory: dir }))).map((d) => d.toJSON());
  expect(docs).toHaveLength(files.length);
  files.forEach((f, i) => {
    const want = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    want.metadata.annotations = { ...want.metadata.annotations, ...PrometheusOperatorCrds.ANNOTATIONS };
    expect(docs[i]).toEqual(want);
  });
});

test('the synthesized JSON of a verbatim CRD still reads as the object', () => {
  const chart = Testing.chart();
  const crds = new PrometheusOperatorCrds(chart, 'Crds', { directory: smallDir() });
  const objs = Testing.synth(chart);
  expect(objs.map((o) => o.metadata.name)).toEqual(crds.crdNames);
  expect(objs[0].kind).toBe('CustomResourceDefinition');
  expect(objs[0].spec.group).toBe('monitoring.coreos.com');
  expect(JSON.parse(JSON.stringify(objs[0])).metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-10');
  const again = new PrometheusOperatorCrds(Testing.chart(), 'B', { directory: smallDir() });
  expect(crds.crds[0].toJson()).toEqual(again.crds[0].toJson());
});

test('a CRD changed through cdk8s (chart labels, metadata, JSON patch) is written with the change', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-out-'));
  const app = new App({ outdir, outputFileExtension: '.yaml' });
  const crds = new PrometheusOperatorCrds(new Chart(app, '00-crds', { labels: { team: 'obs' } }), 'Crds', { directory: smallDir() });
  crds.crds[1].metadata.addAnnotation('example.com/owner', 'me');
  crds.crds[2].addJsonPatch(JsonPatch.add('/spec/names/shortNames', ['x']));
  app.synth();
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, '00-crds.yaml'), 'utf8')).map((d) => d.toJSON());
  expect(docs).toHaveLength(3);
  for (const d of docs) expect(d.metadata.labels).toMatchObject({ team: 'obs' });
  expect(docs[1].metadata.annotations).toMatchObject({ 'example.com/owner': 'me', 'argocd.argoproj.io/sync-wave': '-10' });
  expect(docs[2].spec.names.shortNames).toEqual(['x']);
  expect(docs[2].spec.versions.length).toBeGreaterThan(0);
});

test('a CRD file in another layout is parsed and written by cdk8s, with the annotations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
  const small = smallDir();
  const f = fs.readdirSync(small)[0];
  const crd = YAML.parse(fs.readFileSync(path.join(small, f), 'utf8'));
  fs.writeFileSync(path.join(dir, f), JSON.stringify(crd)); // JSON is YAML too
  const chart = Testing.chart();
  new PrometheusOperatorCrds(chart, 'Crds', { directory: dir });
  const doc = YAML.parse(Yaml.stringify(...Testing.synth(chart)));
  expect(doc.metadata.annotations).toMatchObject(PrometheusOperatorCrds.ANNOTATIONS);
  expect(doc.spec).toEqual(crd.spec);
});

test('a file that is not a CustomResourceDefinition fails with the helper message', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
  fs.writeFileSync(path.join(dir, 'monitoring.coreos.com_x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  expect(() => new PrometheusOperatorCrds(Testing.chart(), 'Crds', { directory: dir })).toThrow(/is not a CustomResourceDefinition/);
});

test('every vendored CRD has the layout the trusted path assumes: read in full, it gives the same result', () => {
  for (const f of FILES) {
    const raw = fs.readFileSync(path.join(VENDORED, f));
    const full = annotateCrdBytes(raw, false);
    expect(full).toBeDefined();
    expect(annotateCrdBytes(raw, true)).toEqual(full);
    expect(full!.bytes.toString('utf8') === annotated(f).replace(/\n+$/, '\n')).toBe(true);
  }
});

test('the metadata block of every vendored CRD reads as YAML reads it, without a parser', () => {
  const dir = path.join(__dirname, '..', '..', 'crds');
  for (const f of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const block = /^metadata:\n((?: {2}.*\n)+)/m.exec(text)![1];
    const withArgo = block.replace(/^ {2}annotations:\n/m, '  annotations:\n    argocd.argoproj.io/sync-wave: "-10"\n');
    for (const b of [block, withArgo]) expect(simpleMetadata(b)).toEqual(YAML.parse(`metadata:\n${b}`).metadata);
  }
});

test.each([
  ['a number', '  name: x\n  labels:\n    a: 1\n'],
  ['a boolean', '  name: x\n  labels:\n    a: true\n'],
  ['null', '  name: x\n  labels:\n    a: null\n'],
  ['an empty map', '  name: x\n  annotations:\n'],
  ['an escape', '  name: x\n  labels:\n    a: "b\\"c"\n'],
  ['a single-quoted value', "  name: x\n  labels:\n    a: 'b'\n"],
  ['a flow map', '  name: x\n  labels: {a: b}\n'],
  ['a comment', '  name: x # the name\n'],
  ['another key', '  name: x\n  namespace: y\n'],
  ['a duplicate key', '  name: x\n  name: y\n'],
  ['deeper nesting', '  name: x\n  labels:\n    a:\n      b: c\n'],
])('a metadata block with %s is left to the YAML parser', (_what, block) => {
  expect(simpleMetadata(block)).toBeUndefined();
});
