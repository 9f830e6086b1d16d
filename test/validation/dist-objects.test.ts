/**
 * Over every dist/ folder: no object is defined twice, and PREREQUISITES.md lists exactly the Secrets the
 * YAML reads and does not create (computed here independently of the library's own scan).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

const DIST = path.join(__dirname, '..', '..', 'dist');
const apps = fs.readdirSync(DIST).filter((d) => fs.statSync(path.join(DIST, d)).isDirectory());

function objectsOf(app: string): any[] {
  return fs.readdirSync(path.join(DIST, app)).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIST, app, f), 'utf8')).map((d) => d.toJSON()).filter((o) => o));
}

describe('dist/ objects', () => {
  test('no object (API group, kind, namespace, name) is defined twice across all dist/ folders', () => {
    const seen = new Map<string, string[]>();
    for (const app of apps) {
      for (const o of objectsOf(app)) {
        const key = `${String(o.apiVersion).split('/').slice(0, -1).join('/') || 'core'} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
        seen.set(key, [...(seen.get(key) ?? []), app]);
      }
    }
    expect([...seen.entries()].filter(([, v]) => v.length > 1).map(([k, v]) => `${k}: ${v.join(', ')}`)).toEqual([]);
  });
});

/** Secrets (namespace/name -> keys) that the objects read, found by walking the YAML. */
function readSecrets(objs: any[]): Map<string, Set<string>> {
  const created = new Set(objs.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  const out = new Map<string, Set<string>>();
  const add = (ns: string, name: string, key?: string) => {
    const id = `${ns}/${name}`;
    if (created.has(id)) return;
    if (!out.has(id)) out.set(id, new Set());
    if (key) out.get(id)!.add(key);
  };
  for (const o of objs) {
    const ns = o.metadata.namespace;
    const text = JSON.stringify(o) + (o.kind === 'Secret' ? Object.values(o.data ?? {}).map((v: any) => Buffer.from(v, 'base64').toString()).join('\n') : '');
    const walk = (v: any): void => {
      if (Array.isArray(v)) {v.forEach(walk);} else if (v && typeof v === 'object') {
        if (typeof v.secretKeyRef?.name === 'string') add(ns, v.secretKeyRef.name, v.secretKeyRef.key);
        Object.values(v).forEach(walk);
      }
    };
    walk(o);
    for (const s of o.spec?.secrets ?? []) add(ns, s);
    for (const m of text.matchAll(/\/etc\/alertmanager\/secrets\/([^/"\s]+)\/([^"\s'/\\]+)/g)) add(ns, m[1], m[2]);
  }
  return out;
}

describe.each(apps)('dist/%s/PREREQUISITES.md', (app) => {
  const file = path.join(DIST, app, 'PREREQUISITES.md');

  test('exists', () => {
    expect(fs.existsSync(file)).toBe(true);
  });

  test('lists every Secret the YAML reads and does not create, with its keys and a kubectl command', () => {
    const md = fs.readFileSync(file, 'utf8');
    const listed = new Map<string, Set<string>>();
    for (const m of md.matchAll(/kubectl create secret generic (\S+) --namespace (\S+) \\\n((?: {2}--from-literal=[^\n]+\n)+)/g)) {
      listed.set(`${m[2]}/${m[1]}`, new Set([...m[3].matchAll(/--from-literal=([^=]+)=/g)].map((x) => x[1])));
    }
    const needed = readSecrets(objectsOf(app));
    const asObj = (m: Map<string, Set<string>>) => Object.fromEntries([...m.entries()].map(([k, v]) => [k, [...v].sort()]).sort());
    expect(asObj(listed)).toEqual(asObj(needed));
  });
});

test('the reference stack has its Secrets listed (Slack, on-call webhook, Grafana admin and Slack webhook)', () => {
  const md = fs.readFileSync(path.join(DIST, 'reference', 'PREREQUISITES.md'), 'utf8');
  for (const s of ['alertmanager-slack', 'alertmanager-oncall', 'grafana-admin', 'grafana-slack-webhook']) expect(md).toContain(`generic ${s} `);
});

test('README points at PREREQUISITES.md', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain('PREREQUISITES.md');
});
