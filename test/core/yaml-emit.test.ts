import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { appIndex } from '../../src/core/app-index';
import { renderYamlReadBack } from '../../src/core/config';
import { addLgtmValidation } from '../../src/core/errors';
import { cdk8sYaml, parseYamlText } from '../../src/core/verbatim';
import { CONFIG_YAML_OPTIONS, emitConfigYaml, emitStats, emitYamlDocument, scalarWriterAgrees, yamlEmitterActive } from '../../src/core/yaml-emit';
import { random } from '../random';

/** What cdk8s writes for one object (node_modules/cdk8s/lib/yaml.js). */
const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' };
const Y = cdk8sYaml();
const cdk8sWrites = (v: unknown): string => Y.stringify(v, OPTIONS);
const emitted = (v: unknown): string | undefined => {
  const text = emitYamlDocument(v);
  return text === undefined ? undefined : `${text}\n`;
};

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : e.name.endsWith('.yaml') ? [p] : [];
  });
}

const ATOMS = [
  '', ' ', '  ', 'a', 'word', 'yes', 'Yes', 'YES', 'No', 'no', 'ON', 'On', 'on', 'off', 'Off', 'y', 'n', 'Y', 'N', 'true', 'True', 'FALSE',
  '~', 'null', 'Null', 'NULL', '<<', '=', '0', '-0', '+1', '007', '0755', '0o17', '0x1F', '0xfg', '0b101', '0b102', '1_000', '1:20', '190:20:30',
  '190:20:30.15', '1.5', '.5', '5.', '1e3', '-1E-3', '1e', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5', '2001-1-1', '---', '--- a', '...', '%YAML 1.1', '%', '- a', '-', '--', '?', '? a', '?a', ':', 'a:', ':a', 'a: b',
  'a:b', 'a:\tb', 'a #b', 'a#b', '#a', '&a', '*a', '!a', '!!str', '|', '|-', '>', '>+', "'", '"', '`', '@x', ',', '[', ']', '{', '}', '[a, b]',
  '{a: b}', "it's", 'say "hi"', 'both \' and "', 'é', '日本語', '😀', '\u0000', '\u0007', '\b', '\t', '\u000b', '\f', '\r', '\u001b', '\u007f',
  '\u0085', '\u00a0', '\u2028', '\u2029', '\ud800', '\udc00', '\ufeff', '\n', '\n\n', 'a\n', 'a\n\n', '\na', '\n a', ' a\nb', 'a\n b', 'a \nb',
  'a\t\nb', 'a\n\tb', 'a\n\n\nb', '  lead\n', 'trail\n  ', '\n\n  x', 'a\tb', ' a', 'a ', '\ta', 'a\t', 'a\r\nb', 'key=value', 'http://x:80/y?q=1#f',
  'sum(rate(http_requests_total{job="a",code=~"5.."}[5m])) > 0.05', '{{ $labels.instance }}', '${VAR}', '0.0.0.0:9090', '10.0.0.0/8', 'a,b', 'a b c',
  'x'.repeat(1100), 'word '.repeat(60), '"'.repeat(45), '\\', '\\n', 'C:\\path', 'line\\\nnext',
];
const GLUE = ['', ' ', '\n', ': ', ' #', '\n  ', '-', '\n\n', '  \n', '"', "'"];

function trickyStrings(): string[] {
  const next = random(14);
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const out = new Set<string>(ATOMS);
  while (out.size < ATOMS.length + 1500) {
    let s = pick(ATOMS);
    const parts = 1 + Math.floor(next() * 3);
    for (let i = 0; i < parts; i++) s += pick(GLUE) + pick(ATOMS);
    if (s.length < 3000) out.add(s);
  }
  return [...out];
}

const NUMBERS = [0, -0, 1, -1, 42, 0.5, -0.25, 1e21, 1e-7, -1e300, 1.7976931348623157e308, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 53),
  Number.MAX_SAFE_INTEGER, 0.1 + 0.2, 100.0, 1.5e3, NaN, Infinity, -Infinity, 0o755, 3600];

/** The same value as keys and values at several depths, in maps and sequences. */
function placements(s: string): Record<string, unknown> {
  return {
    [s]: s,
    v: s,
    m: { [s]: s, n: { [s]: [s, { [s]: s, k: [s] }, [s, [s, {}]]], deep: { a: { b: { c: s, d: [[s]] } } } } },
    l: [s, [s], { [s]: s }, { k: { [s]: s } }],
  };
}

describe('the YAML emitter writes what cdk8s writes', () => {
  test('its self-check passes with the yaml cdk8s bundles', () => {
    expect(yamlEmitterActive()).toBe(true);
  });

  test('every document of dist/ emits byte for byte as YAML.stringify writes it', () => {
    const files = yamlFiles(path.join(__dirname, '..', '..', 'dist'));
    expect(files.length).toBeGreaterThan(20);
    let docs = 0;
    for (const file of files) {
      for (const doc of Y.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' })) {
        const json = doc.toJSON();
        if (json === null || json === undefined) continue;
        docs++;
        const ours = emitted(json);
        if (ours !== cdk8sWrites(json)) {
          throw new Error(`${path.relative(process.cwd(), file)}, document of ${json.kind} ${json.metadata?.name}: the emitter differs`);
        }
      }
    }
    expect(docs).toBeGreaterThan(500);
  });

  test('tricky strings as keys and values, at several depths, in maps and sequences', () => {
    const strings = trickyStrings();
    const failures: string[] = [];
    let givenUp = 0;
    for (const s of strings) {
      const doc = placements(s);
      const ours = emitted(doc);
      if (ours === undefined) {
        givenUp++;
        // only a key yaml writes as an explicit `? key` (over 1,024 characters) is left to yaml
        if (!(s.length > 500)) failures.push(JSON.stringify(s));
      } else if (ours !== cdk8sWrites(doc)) {
        failures.push(JSON.stringify(s));
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(givenUp).toBeLessThan(strings.length / 10);
  });

  test('every string as the only top-level key and value (the document-marker rule differs at the top)', () => {
    for (const s of trickyStrings().filter((x) => x.length <= 500)) {
      for (const doc of [{ [s]: 1 }, { k: s }, { [s]: { [s]: s } }, { [s]: [] }, { [s]: {} }]) {
        expect(JSON.stringify(emitted(doc))).toBe(JSON.stringify(cdk8sWrites(doc)));
      }
    }
  });

  test('numbers, booleans, null and undefined', () => {
    const doc = {
      n: NUMBERS,
      m: Object.fromEntries(NUMBERS.map((n, i) => [`k${i}`, n])),
      b: [true, false, { t: true, f: false }],
      z: [null, undefined, { a: null, b: undefined }],
      e: [[], {}, [[]], [{}], { a: [], b: {} }],
    };
    expect(emitted(doc)).toBe(cdk8sWrites(doc));
    for (const n of NUMBERS) expect(emitted({ n, l: [n], d: { e: [[n]] } })).toBe(cdk8sWrites({ n, l: [n], d: { e: [[n]] } }));
    expect(emitted({})).toBe(cdk8sWrites({}));
    expect(emitted({ a: Object.create(null) })).toBe(cdk8sWrites({ a: Object.create(null) }));
  });

  test('what is not plain JSON data is left to yaml', () => {
    const shared = { a: 1 };
    class Body {
      public readonly x = 1;
    }
    for (const doc of [
      { a: shared, b: shared }, // yaml writes an anchor and an alias
      { a: new Date(0) },
      { a: new Body() },
      { a: () => 1 },
      { a: Symbol('s') },
      { a: BigInt(1) },
      { a: new Map([['k', 1]]) },
      { a: new Y.Scalar('x') },
      new Y.YAMLMap(),
      [1, 2],
      'text',
      null,
      undefined,
    ]) {
      expect(emitYamlDocument(doc)).toBeUndefined();
    }
  });

  test('the strings of a usual manifest are written without asking yaml', () => {
    const before = emitStats.delegated;
    const unique = `${process.pid}-${Date.now()}`;
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `grafana-${unique}`, namespace: 'monitoring', labels: { 'app.kubernetes.io/name': `grafana-${unique}` } },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{
              name: 'grafana',
              image: `grafana/grafana:11.${unique}`,
              args: [`--config=/etc/grafana/${unique}.ini`, '--homepath=/usr/share/grafana'],
              env: [{ name: 'GF_PATHS_DATA', value: `/var/lib/grafana/${unique}` }],
              ports: [{ containerPort: 3000, name: 'http' }],
              readinessProbe: { httpGet: { path: `/api/health?${unique}`, port: 'http' } },
            }],
          },
        },
      },
    };
    expect(emitted(manifest)).toBe(cdk8sWrites(manifest));
    expect(emitStats.delegated).toBe(before);
  });
});

describe('config files (renderYaml: YAML 1.2, no folding, no aliases) are written as yaml writes them', () => {
  const configWrites = (v: unknown): string => Y.stringify(v, CONFIG_YAML_OPTIONS);

  test('tricky strings as keys and values, at several depths, in maps and sequences', () => {
    const failures: string[] = [];
    let givenUp = 0;
    const strings = trickyStrings();
    for (const s of strings) {
      for (const doc of [placements(s), { [s]: 1 }, { k: s }, { [s]: { [s]: s } }, { [s]: [] }]) {
        const ours = emitConfigYaml(doc);
        if (ours === undefined) givenUp++;
        else if (ours !== configWrites(doc)) failures.push(JSON.stringify(s));
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(givenUp).toBeLessThan(strings.length / 10);
  });

  test('numbers, booleans and null; undefined is left to yaml (it drops the pair)', () => {
    const doc = { n: NUMBERS, m: Object.fromEntries(NUMBERS.map((n, i) => [`k${i}`, n])), b: [true, false, { t: true }], z: [null, { a: null }], e: [[], {}, { a: [] }] };
    expect(emitConfigYaml(doc)).toBe(configWrites(doc));
    expect(emitConfigYaml({ a: undefined })).toBeUndefined();
    expect(emitConfigYaml({ a: [1, undefined] })).toBeUndefined();
  });

  test('every config file of dist/ (ConfigMap and Secret data that parse as a YAML map)', () => {
    let checked = 0;
    for (const file of yamlFiles(path.join(__dirname, '..', '..', 'dist'))) {
      for (const doc of Y.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' })) {
        const json = doc.toJSON();
        if (!json || (json.kind !== 'ConfigMap' && json.kind !== 'Secret')) continue;
        for (const [k, raw] of Object.entries({ ...json.data, ...json.stringData } as Record<string, string>)) {
          if (!/\.ya?ml$/.test(k) || typeof raw !== 'string') continue;
          const text = json.kind === 'Secret' && json.data?.[k] === raw ? Buffer.from(raw, 'base64').toString('utf8') : raw;
          let value: unknown;
          try {
            value = Y.parse(text);
          } catch {
            continue;
          }
          if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
          checked++;
          const ours = emitConfigYaml(value);
          if (ours !== undefined && ours !== configWrites(value)) throw new Error(`${path.relative(process.cwd(), file)} ${json.metadata?.name} ${k}: the emitter differs`);
          // and what it writes reads back as the value (what renderYamlReadBack relies on)
          if (ours !== undefined) expect(Y.parse(ours)).toEqual(value);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

test('a file rendered to be read back: parseYamlText answers what the parser reads from the text', () => {
  // renderYamlReadBack records the value the emitter wrote from; the parse of the text must be that value
  const docs: unknown[] = [{ n: NUMBERS }, { m: Object.fromEntries(NUMBERS.map((n, i) => [`k${i}`, n])) }, { b: [true, false, null, [], {}] }];
  for (const s of trickyStrings()) docs.push(placements(s), { [s]: { [s]: [s] } });
  let recorded = 0;
  for (const doc of docs) {
    const text = renderYamlReadBack(doc);
    const known = parseYamlText(text);
    expect({ text, value: known }).toEqual({ text, value: Y.parse(text) });
    if (known !== Y.parse(text) && emitConfigYaml(doc) === text) recorded++;
  }
  expect(recorded).toBeGreaterThan(docs.length / 2);
  // not JSON data (-0, NaN, a class instance) or a byte order mark, which yaml reads as nothing: parsed
  class Box { public readonly v = 1; }
  for (const doc of [{ z: -0 }, { n: Number.NaN }, { b: new Box() }, { bom: '\uFEFF' }, { ['\uFEFFk']: 1 }]) {
    const text = renderYamlReadBack(doc);
    expect(parseYamlText(text)).toEqual(Y.parse(text));
  }
});

test('multi-line and quoted strings are written as yaml writes them, at every indentation', () => {
  for (const text of trickyStrings()) {
    for (const indent of [2, 4]) {
      if (!scalarWriterAgrees(text, indent)) throw new Error(`the emitter writes ${JSON.stringify(text)} at ${indent} spaces otherwise than yaml`);
    }
  }
  const next = random(7);
  const pieces = ['a', 'word', ' ', '  ', '\t', '\n', '\n\n', '\n  ', '#', ': ', '- ', '---', '...', '%', '|', '>', '"', "'", 'é', '\u00a0', '\u2028', '\u0007', 'x'.repeat(90)];
  let multi = 0;
  for (let i = 0; i < 6000; i++) {
    let text = '';
    const n = 1 + Math.floor(next() * 7);
    for (let j = 0; j < n; j++) text += pieces[Math.floor(next() * pieces.length)];
    if (text.includes('\n')) multi++;
    for (const indent of [2, 4, 8]) {
      if (!scalarWriterAgrees(text, indent)) throw new Error(`the emitter writes ${JSON.stringify(text)} at ${indent} spaces otherwise than yaml`);
    }
  }
  expect(multi).toBeGreaterThan(2000);
});

describe('App.synth() writes the pinned manifests with the emitter', () => {
  function app(): { app: App; chart: Chart; seen: unknown[] } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-emit-'));
    const a = new App({ outdir });
    const chart = new Chart(a, 'c', { namespace: 'monitoring' });
    const strings = trickyStrings().slice(0, 300);
    new ApiObject(chart, 'cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tricky' },
      data: Object.fromEntries(strings.map((s, i) => [`k${i}`, s])),
    } as any);
    new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'List', metadata: { name: 'l' }, items: strings.map((s) => ({ [s.slice(0, 100)]: [s, 1.5, null] })) } as any);
    const seen: unknown[] = [];
    // a validation that reads objects through the pass index (which pins them) and then through toJson()
    addLgtmValidation(new Construct(chart, 'reader'), () => {
      const index = appIndex(chart);
      for (const o of index.apiObjects) {
        index.manifestOf(o);
        seen.push(o.toJson());
      }
      return [];
    });
    return { app: a, chart, seen };
  }

  test('the files are what the ordinary writer writes, and the emitter wrote them', () => {
    const { app: a, chart, seen } = app();
    const before = emitStats.documents;
    a.synth();
    expect(emitStats.documents - before).toBeGreaterThanOrEqual(2);
    const written = fs.readFileSync(path.join(a.outdir, 'c.k8s.yaml'), 'utf8');
    // outside App.synth() nothing is pinned nor emitted: the ordinary path
    const docs = Testing.synth(chart);
    expect(written).toBe(Yaml.stringify(...docs));
    // code that reads toJson() during the synth gets plain JSON, never a yaml node
    expect(seen.length).toBeGreaterThan(0);
    for (const j of seen) expect(Object.getPrototypeOf(j)).toBe(Object.prototype);
  });

  test('the writer is cdk8s\' own again after the synth, also when it throws', () => {
    const original = Yaml.stringify;
    const { app: a, chart } = app();
    a.synth();
    expect(Yaml.stringify).toBe(original);
    new Construct(chart, 'fails').node.addValidation({ validate: () => ['boom'] });
    expect(() => a.synth()).toThrow(/boom/);
    expect(Yaml.stringify).toBe(original);
    expect(a.synthYaml).toBeDefined();
  });

  test('synthYaml() output is unchanged', () => {
    const { app: a, chart } = app();
    const yaml = a.synthYaml();
    expect(yaml).toBe(Yaml.stringify(...Testing.synth(chart)));
  });
});
