/**
 * dist/ as Argo CD syncs it, one Application per folder: no object is defined by two folders (two
 * Applications would fight over it), and each folder is either a complete stack in namespaces of its own
 * or an addition to one named stack (`additionTo` in examples/apps.ts), placing objects only in its own
 * namespaces or that stack's.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { RENDERED_APPS } from '../examples/apps';
import { ARGOCD_APP } from '../examples/argocd';

const DIST = path.join(__dirname, '..', 'dist');
/** Namespaces every cluster has, and the one the Argo CD install creates. */
const PRESENT = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function objectsOf(folder: string): any[] {
  return fs.readdirSync(path.join(DIST, folder)).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIST, folder, f), 'utf8')).map((d) => d.toJSON()).filter((o) => o));
}
const group = (o: any) => String(o.apiVersion).split('/').slice(0, -1).join('/') || 'core';
/** kind + namespace + name; cluster-scoped objects by kind + name. */
const identity = (o: any) => `${group(o)} ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
const folders = fs.readdirSync(DIST).filter((d) => !d.startsWith('.') && fs.statSync(path.join(DIST, d)).isDirectory()).sort();
const objects = new Map(folders.map((f) => [f, objectsOf(f)]));
const emitted = (f: string) => new Set(objects.get(f)!.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));

test('every dist/ folder is a rendered app of examples/apps.ts', () => {
  expect(folders).toEqual(RENDERED_APPS.map((a) => a.name).sort());
});

test('no object (kind, namespace, name; cluster-scoped: kind, name) is defined by two dist/ folders', () => {
  const seen = new Map<string, string[]>();
  for (const [f, objs] of objects) for (const o of objs) seen.set(identity(o), [...(seen.get(identity(o)) ?? []), f]);
  expect([...seen.entries()].filter(([, v]) => v.length > 1).map(([k, v]) => `${k}: ${v.join(', ')}`)).toEqual([]);
});

describe.each(RENDERED_APPS.filter((a) => a.name !== ARGOCD_APP).map((a) => [a.name, a.additionTo] as const))('dist/%s', (name, additionTo) => {
  test(additionTo ? `an addition to dist/${additionTo}, a complete stack` : 'a complete stack in namespaces of its own', () => {
    if (additionTo) {
      const target = RENDERED_APPS.find((a) => a.name === additionTo);
      expect(target).toBeDefined();
      expect(target!.additionTo).toBeUndefined();
    }
    const own = emitted(name);
    expect(own.size).toBeGreaterThan(0);
    const allowed = new Set([...own, ...(additionTo ? emitted(additionTo) : []), ...PRESENT]);
    const outside = [...new Set(objects.get(name)!.map((o) => o.metadata.namespace).filter((n) => n && !allowed.has(n)))];
    expect(outside).toEqual([]);
  });
});

test('the Argo CD folder defines only Argo CD objects, in the argocd namespace', () => {
  for (const o of objects.get(ARGOCD_APP)!) expect([group(o), o.metadata.namespace]).toEqual(['argoproj.io', 'argocd']);
});
