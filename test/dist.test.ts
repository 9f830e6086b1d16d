/**
 * dist/ is the synthesized YAML that Argo CD syncs. These tests fail when a fresh synth differs from the
 * committed files (fix: `npx projen render` and commit), and check every object in dist/.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listFiles, promqlErrors, readYamlDir, schemaErrors } from './harness';
import { RENDERED_APPS } from '../examples/apps';
import { renderApp } from '../examples/render';

const DIST = path.join(__dirname, '..', 'dist');

/** Differences between a freshly rendered folder and a committed one (empty when byte-identical). */
export function diffDirs(fresh: string, committed: string): string[] {
  const rel = (root: string) => (fs.existsSync(root) ? listFiles(root).map((f) => path.relative(root, f)) : []);
  const a = rel(fresh);
  const b = rel(committed);
  const out: string[] = [];
  for (const f of a) {
    if (!b.includes(f)) out.push(`missing in ${committed}: ${f}`);
    else if (!fs.readFileSync(path.join(fresh, f)).equals(fs.readFileSync(path.join(committed, f)))) out.push(`differs: ${f}`);
  }
  for (const f of b) if (!a.includes(f)) out.push(`stale in ${committed}: ${f}`);
  return out;
}

describe('dist/ is a fresh synth', () => {
  test('the committed dist/ holds only the rendered app folders (no stray file a test or synth left behind)', () => {
    const tracked = execFileSync('git', ['ls-files', 'dist'], { cwd: path.join(__dirname, '..'), encoding: 'utf8' })
      .split('\n').filter((l) => l !== '');
    const apps = new Set(RENDERED_APPS.map((a) => a.name));
    const stray = tracked.filter((f) => { const parts = f.split('/'); return parts.length < 3 || !apps.has(parts[1]); });
    expect(stray).toEqual([]);
  });

  test.each(RENDERED_APPS.map((a) => [a.name, a]))('dist/%s matches a fresh synth byte for byte', (name, a) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `drift-${name}-`));
    try {
      renderApp(a.build, tmp, name);
      const diff = diffDirs(tmp, path.join(DIST, name));
      if (diff.length > 0) {
        throw new Error(`dist/${name} drifted from a fresh synth:\n  ${diff.join('\n  ')}\nRun \`npx projen render\` and commit dist/.`);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('dist/ holds exactly the rendered apps', () => {
    const dirs = fs.readdirSync(DIST).filter((d) => fs.statSync(path.join(DIST, d)).isDirectory()).sort();
    expect(dirs).toEqual(RENDERED_APPS.map((a) => a.name).sort());
  });

  test('the drift check detects a changed file, a stale file and a missing file', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-a-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-b-'));
    fs.writeFileSync(path.join(a, 'x.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(b, 'x.yaml'), 'a: 2\n');
    fs.writeFileSync(path.join(a, 'new.yaml'), 'n: 1\n');
    fs.writeFileSync(path.join(b, 'old.yaml'), 'o: 1\n');
    expect(diffDirs(a, b).sort()).toEqual(['differs: x.yaml', `missing in ${b}: new.yaml`, `stale in ${b}: old.yaml`].sort());
  });
});

describe('every object in dist/', () => {
  const objs = readYamlDir(DIST);

  test('there are objects', () => {
    expect(objs.length).toBeGreaterThan(0);
  });

  test('passes schema validation (Kubernetes 1.28 core kinds, CRD schemas strictly)', () => {
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('every PromQL expression parses', () => {
    expect(promqlErrors(objs)).toEqual([]);
  });

  test('every object has an explicit namespace unless cluster-scoped', () => {
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass'];
    const missing = objs.filter((o) => !clusterScoped.includes(o.kind) && !o.metadata.namespace).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(missing).toEqual([]);
  });

  test('no image is unpinned', () => {
    const images = JSON.stringify(objs).match(/"image":"[^"]+"/g) ?? [];
    for (const i of images) expect(i).toMatch(/:v?\d+\.\d+/);
  });
});
