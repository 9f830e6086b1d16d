/**
 * Argo CD: the sync-order and prune annotations over every dist/ folder, the app-of-apps in dist/argocd,
 * and the bad input of the Argo CD constructs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { RENDERED_APPS } from '../../examples/apps';
import { ARGOCD_APP } from '../../examples/argocd';
import { ArgoCdAppOfApps, ArgoCdApplication, ArgoCdAppProject, ArgoCdSyncAnnotations, Grafana, Namespace, PrometheusOperatorCrds } from '../../src';
import { SYNC_WAVES, SyncRole } from '../../src/argocd/sync';
import { VerbatimApiObject } from '../../src/core/verbatim';

const DIST = path.join(__dirname, '..', '..', 'dist');
const REPO = 'https://github.com/acme/platform.git';

function objectsOf(folder: string): any[] {
  return fs.readdirSync(path.join(DIST, folder)).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIST, folder, f), 'utf8')).map((d) => d.toJSON()).filter((o) => o));
}
const wave = (o: any): number => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
const options = (o: any): string[] => String(o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').filter((s) => s);
const stackFolders = RENDERED_APPS.map((a) => a.name).filter((n) => n !== ARGOCD_APP);
const reference = objectsOf('reference');
const find = (objs: any[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};

describe.each(stackFolders)('dist/%s: Argo CD annotations', (folder) => {
  const objs = objectsOf(folder);

  test('every CRD: wave -10, server-side apply, Prune=false', () => {
    for (const o of objs.filter((x) => x.kind === 'CustomResourceDefinition')) {
      expect([o.metadata.name, wave(o)]).toEqual([o.metadata.name, -10]);
      expect(options(o)).toEqual(expect.arrayContaining(['ServerSideApply=true', 'Prune=false']));
    }
  });

  test('every PersistentVolumeClaim: Prune=false, and the wave of the workload that mounts it', () => {
    for (const pvc of objs.filter((x) => x.kind === 'PersistentVolumeClaim')) {
      expect([pvc.metadata.name, options(pvc)]).toEqual([pvc.metadata.name, expect.arrayContaining(['Prune=false'])]);
      const mounts = (w: any) => (w.spec?.template?.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name);
      const users = objs.filter(mounts);
      for (const w of users) expect([w.kind, w.metadata.name, wave(w)]).toEqual([w.kind, w.metadata.name, wave(pvc)]);
    }
  });

  test('every custom resource skips the dry run while its CRD is missing', () => {
    for (const o of objs.filter((x) => /\./.test(String(x.apiVersion).split('/')[0]) && !String(x.apiVersion).includes('k8s.io'))) {
      expect([o.kind, o.metadata.name, options(o)]).toEqual([o.kind, o.metadata.name, expect.arrayContaining(['SkipDryRunOnMissingResource=true'])]);
    }
  });

  test('waves: CRDs, namespaces, operators, backends, collectors, then dashboards and alerting', () => {
    const byKind = (k: string) => objs.filter((o) => o.kind === k);
    const ns = byKind('Namespace');
    for (const n of ns) expect(wave(n)).toBe(SYNC_WAVES[SyncRole.NAMESPACES]);
    for (const o of objs) {
      const name = o.metadata.labels?.['app.kubernetes.io/name'];
      if (o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace') continue;
      // nothing but CRDs and namespaces before the operator, nothing after the last wave
      expect(wave(o)).toBeGreaterThanOrEqual(SYNC_WAVES[SyncRole.OPERATORS]);
      expect(wave(o)).toBeLessThanOrEqual(SYNC_WAVES[SyncRole.DASHBOARDS_AND_ALERTING]);
      if (o.kind === 'PrometheusRule' || name === 'grafana' || name === 'alertmanager') expect([o.kind, o.metadata.name, wave(o)]).toEqual([o.kind, o.metadata.name, 10]);
      if (['ServiceMonitor', 'PodMonitor'].includes(o.kind) || ['alloy', 'opentelemetry-collector', 'node-exporter', 'kube-state-metrics', 'beyla', 'promtail'].includes(name)) {
        expect([o.kind, o.metadata.name, wave(o)]).toEqual([o.kind, o.metadata.name, 5]);
      }
      if (['loki', 'tempo', 'pyroscope', 'prometheus', 'mimir', 'seaweedfs'].includes(name) && !['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].includes(o.kind)) {
        expect([o.kind, o.metadata.name, wave(o)]).toEqual([o.kind, o.metadata.name, 0]);
      }
    }
  });
});

test('dist/reference: the waves in order for one object of each role', () => {
  const order = [
    find(reference, 'CustomResourceDefinition', 'prometheuses.monitoring.coreos.com'),
    find(reference, 'Namespace', 'monitoring'),
    find(reference, 'Deployment', 'prometheus-operator'),
    find(reference, 'Prometheus', 'prometheus'),
    find(reference, 'DaemonSet', 'node-exporter'),
    find(reference, 'Deployment', 'grafana'),
  ].map(wave);
  expect(order).toEqual([-10, -5, -3, 0, 5, 10]);
});

describe('dist/argocd: the app-of-apps', () => {
  const objs = objectsOf(ARGOCD_APP);
  const apps = objs.filter((o) => o.kind === 'Application');
  const root = objectsOf(ARGOCD_APP).length && YAML.parse(fs.readFileSync(path.join(DIST, ARGOCD_APP, 'root.yaml'), 'utf8'));

  test('one child Application per dist/ folder, each pointing at a folder that exists', () => {
    const children = apps.filter((a) => a.metadata.name !== root.metadata.name);
    expect(children.map((a) => a.spec.source.path).sort()).toEqual(stackFolders.map((f) => `dist/${f}`).sort());
    for (const a of children) expect(fs.readdirSync(path.join(DIST, '..', a.spec.source.path)).some((f) => f.endsWith('.yaml'))).toBe(true);
  });

  test('automated prune and self-heal, namespace creation, server-side apply; a stack before its additions', () => {
    for (const a of apps) {
      expect(a.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(a.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
    }
    for (const r of RENDERED_APPS.filter((x) => x.name !== ARGOCD_APP)) {
      const a = apps.find((x) => x.spec.source.path === `dist/${r.name}`);
      expect(wave(a)).toBe(r.additionTo === undefined ? 0 : 1);
      if (r.additionTo) expect(RENDERED_APPS.some((x) => x.name === r.additionTo && x.additionTo === undefined)).toBe(true);
    }
  });

  test('the root syncs only the file of the children; the project admits exactly their namespaces', () => {
    expect(root.spec.source).toMatchObject({ path: `dist/${ARGOCD_APP}`, directory: { include: 'applications.yaml' } });
    const project = objs.find((o) => o.kind === 'AppProject');
    const used = new Set<string>();
    for (const f of stackFolders) {
      for (const o of objectsOf(f)) {
        if (o.metadata.namespace) used.add(o.metadata.namespace);
        if (o.kind === 'Namespace') used.add(o.metadata.name);
      }
    }
    expect(project.spec.destinations.map((d: any) => d.namespace).sort()).toEqual([...used].sort());
    const children = apps.filter((a) => a.metadata.name !== root.metadata.name);
    expect(children.every((a) => a.spec.project === project.metadata.name)).toBe(true);
  });

  test('no ignoreDifferences: no controller in the output mutates a field Argo CD compares', () => {
    for (const a of apps) expect(a.spec.ignoreDifferences).toBeUndefined();
  });
});

describe('ArgoCdSyncAnnotations', () => {
  test('keeps the CRDs verbatim, keeps an explicit wave, merges sync options', () => {
    const app = Testing.app();
    ArgoCdSyncAnnotations.applyTo(app);
    ArgoCdSyncAnnotations.applyTo(app); // once per app
    const crds = new PrometheusOperatorCrds(new Chart(app, 'crds'), 'Crds');
    new Namespace(new Chart(app, 'ns'), 'monitoring', { syncWave: -7 });
    const chart = new Chart(app, 'g');
    new Grafana(chart, 'Grafana', { namespace: 'monitoring', adminSecret: { name: 'a', userKey: 'u', passwordKey: 'p' } });
    app.synth();
    expect(crds.crds.every((c) => (c as VerbatimApiObject).isVerbatim)).toBe(true);
    const out = (f: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, f), 'utf8')).map((d) => d.toJSON());
    expect(wave(out('ns.k8s.yaml')[0])).toBe(-7);
    const pvc = out('g.k8s.yaml').find((o) => o.kind === 'PersistentVolumeClaim');
    expect(pvc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/sync-wave': '10' });
  });
});

describe('Argo CD constructs: bad input', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-'));
  const withFolder = (yaml: string) => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'dist', 'stack'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'stack', 'a.yaml'), yaml);
    return root;
  };

  test('an Application whose path does not exist in the synthesized output', () => {
    const app = Testing.app();
    new ArgoCdApplication(new Chart(app, 'apps'), 'stack', { repoUrl: REPO, path: 'dist/nope', checkoutDirectory: withFolder('') });
    expect(() => app.synth()).toThrow(/\[apps\/stack\] 'path' does not exist in the synthesized output: Application stack would sync nothing\. Received: "dist\/nope" \(looked in ".*dist\/nope": no such folder\); expected: a folder of the repository that holds the synthesized YAML .*\. Fix: synthesize the app into that folder first/);
  });

  test('an Application whose folder holds no YAML', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'dist', 'empty'), { recursive: true });
    const app = Testing.app();
    new ArgoCdApplication(new Chart(app, 'apps'), 'stack', { repoUrl: REPO, path: 'dist/empty', checkoutDirectory: root });
    expect(() => app.synth()).toThrow(/'path' does not exist in the synthesized output.*no \.yaml file/);
  });

  test('a folder that places objects in a namespace it does not emit', () => {
    const root = withFolder('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mon\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: elsewhere\n');
    const app = Testing.app();
    new ArgoCdApplication(new Chart(app, 'apps'), 'stack', { repoUrl: REPO, path: 'dist/stack', checkoutDirectory: root });
    expect(() => app.synth()).toThrow(/places objects in namespaces it does not emit; Argo CD creates only the destination namespace, so the sync fails\. Received: elsewhere; expected: every namespace emitted by the folder/);
    const ok = Testing.app();
    new ArgoCdApplication(new Chart(ok, 'apps'), 'stack', { repoUrl: REPO, path: 'dist/stack', checkoutDirectory: root, existingNamespaces: ['elsewhere'] });
    expect(() => ok.synth()).not.toThrow();
  });

  test.each([
    [{ repoUrl: 'not a url', path: 'dist/stack' }, /'repoUrl' is not a Git repository URL/],
    [{ repoUrl: REPO, path: '../outside' }, /'path' is not a folder of the repository/],
    [{ repoUrl: REPO, path: '/abs' }, /'path' is not a folder of the repository/],
    [{ repoUrl: REPO, path: 'dist/stack', syncWave: 1.5 }, /'syncWave' is not an integer/],
    [{ repoUrl: REPO, path: 'dist/stack', destinationNamespace: 'Bad_NS' }, /'destinationNamespace' is not a valid Kubernetes object name/],
    [{ repoUrl: REPO, path: 'dist/stack', ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'], reason: '' }] }, /'ignoreDifferences\[0\]\.reason' does not say which controller mutates the field/],
    [{ repoUrl: REPO, path: 'dist/stack', ignoreDifferences: [{ kind: 'Deployment', reason: 'the HPA sets replicas' }] }, /'ignoreDifferences\[0\]' names no field/],
    [{ repoUrl: REPO, path: 'dist/stack', ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec.replicas'], reason: 'the HPA sets replicas' }] }, /'ignoreDifferences\[0\]\.jsonPointers' holds a value that is not a JSON pointer/],
  ])('ArgoCdApplication %j', (props, re) => {
    expect(() => new ArgoCdApplication(Testing.chart(), 'a', props as any)).toThrow(re);
  });

  test('an AppProject without repositories, or without Applications', () => {
    expect(() => new ArgoCdAppProject(Testing.chart(), 'p', { sourceRepos: [] })).toThrow(/\[test\/p\] 'sourceRepos' names no repository\. Received: \[\]/);
    const app = Testing.app();
    new ArgoCdAppProject(new Chart(app, 'c'), 'p', { sourceRepos: [REPO] });
    expect(() => app.synth()).toThrow(/the project has no Application/);
  });

  test('an app-of-apps whose root is in the chart of its children, or whose children chart is empty', () => {
    const app = Testing.app();
    const children = new Chart(app, 'applications');
    expect(() => new ArgoCdAppOfApps(children, 'root', { repoUrl: REPO, path: 'dist/argocd', children })).toThrow(/the root Application is in the chart of its 'children'/);
    const app2 = Testing.app();
    new ArgoCdAppOfApps(new Chart(app2, 'root'), 'root', { repoUrl: REPO, path: 'dist/argocd', children: new Chart(app2, 'applications') });
    expect(() => app2.synth()).toThrow(/'children' holds no ArgoCdApplication: the root would sync nothing/);
  });

  test('a project computed from its Applications: namespaces and cluster-scoped kinds', () => {
    const root = withFolder('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mon\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: mon\n');
    const app = new App({ outdir: tmp() });
    app.node.setContext('cdk8s-lgtm/argocd-checkout', [root]);
    const c = new Chart(app, 'apps');
    const project = new ArgoCdAppProject(c, 'p', { sourceRepos: [REPO] });
    new ArgoCdApplication(c, 'stack', { repoUrl: REPO, path: 'dist/stack', project });
    app.synth();
    const [p, a] = YAML.parseAllDocuments(fs.readFileSync(path.join(app.outdir, 'apps.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    expect(p.spec.destinations).toEqual([{ namespace: 'mon', server: 'https://kubernetes.default.svc' }]);
    expect(p.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }]);
    expect(a.spec.destination.namespace).toBe('mon');
  });
});
