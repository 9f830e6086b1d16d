/**
 * NetworkPolicies from the wiring graph, and the DATAFLOW.md diagram of each dist/ folder, both checked
 * against the graph recomputed from the synthesized YAML.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { RENDERED_APPS } from '../../examples/apps';
import { ARGOCD_APP } from '../../examples/argocd';
import { DATAFLOW_FILE } from '../../examples/render';
import { ArgoCdSyncAnnotations, Grafana, LgtmNetworkPolicies, Loki, Namespace } from '../../src';
import { renderDataflowMarkdown, wiringGraph } from '../../src/core/wiring';

const DIST = path.join(__dirname, '..', '..', 'dist');
function objectsOf(folder: string): any[] {
  return fs.readdirSync(path.join(DIST, folder)).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(DIST, folder, f), 'utf8')).map((d) => d.toJSON()).filter((o) => o));
}
const canon = (l: Record<string, string> | undefined) => JSON.stringify(Object.entries(l ?? {}).sort());
const folders = RENDERED_APPS.map((a) => a.name).filter((n) => n !== ARGOCD_APP);

describe.each(folders)('dist/%s', (folder) => {
  const objs = objectsOf(folder).filter((o) => o.kind !== 'CustomResourceDefinition');
  const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
  const graph = wiringGraph(objs.filter((o) => o.kind !== 'NetworkPolicy'));

  test('DATAFLOW.md is the wiring graph of the YAML', () => {
    expect(fs.readFileSync(path.join(DIST, folder, DATAFLOW_FILE), 'utf8')).toBe(renderDataflowMarkdown(folder, graph));
  });

  test('every NetworkPolicy rule is a wiring edge, and every wiring edge into a covered namespace has its rule', () => {
    const covered = new Set(policies.filter((p) => p.metadata.name === 'lgtm-default-deny-ingress').map((p) => p.metadata.namespace));
    const rules = new Set<string>();
    for (const p of policies.filter((x) => x.metadata.name.startsWith('lgtm-allow-'))) {
      for (const r of p.spec.ingress) {
        for (const f of r.from) {
          rules.add(`${f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']} ${canon(f.podSelector.matchLabels)} -> ${p.metadata.namespace} ${canon(p.spec.podSelector.matchLabels)} :${r.ports?.[0]?.port ?? '*'}`);
        }
      }
    }
    const edges = new Set(graph.filter((e) => covered.has(e.to.namespace))
      .map((e) => `${e.from.namespace} ${canon(e.from.podLabels)} -> ${e.to.namespace} ${canon(e.to.podLabels)} :${e.port ?? '*'}`));
    expect([...rules].sort()).toEqual([...edges].sort());
    // nothing else admits traffic: every other policy is a documented admission (a switch, with its reason)
    for (const p of policies.filter((x) => x.metadata.name !== 'lgtm-default-deny-ingress' && !x.metadata.name.startsWith('lgtm-allow-'))) {
      expect([p.metadata.name, p.metadata.annotations?.['lgtm.cdk8s.io/edges']]).toEqual([expect.stringMatching(/^lgtm-admit-/), expect.stringMatching(/^admission: .{10,}/)]);
    }
    // each covered namespace denies by default
    for (const ns of covered) expect(policies.find((p) => p.metadata.namespace === ns && p.metadata.name === 'lgtm-default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });
});

test('dist/reference: every namespace it emits is covered, and the graph holds the connections that matter', () => {
  const objs = objectsOf('reference');
  const covered = objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'lgtm-default-deny-ingress').map((o) => o.metadata.namespace).sort();
  expect(covered).toEqual(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort());
  const labels = wiringGraph(objs).map((e) => `${e.from.name} -> ${e.to.name} (${e.purpose})`);
  for (const want of [
    'Deployment monitoring/grafana -> Prometheus monitoring/prometheus (datasource)',
    'Deployment monitoring/grafana -> StatefulSet monitoring/loki (datasource)',
    'DaemonSet monitoring-agents/alloy-logs -> StatefulSet monitoring/loki (logs push)',
    'Prometheus monitoring/prometheus -> Alertmanager monitoring/alertmanager (alerts)',
    'Prometheus monitoring/prometheus -> DaemonSet monitoring-agents/node-exporter (scrape)',
    'StatefulSet monitoring/alloy-collector -> StatefulSet monitoring/tempo (OTLP)',
    'StatefulSet monitoring/tempo -> Prometheus monitoring/prometheus (remote write)',
    'Alertmanager monitoring/alertmanager -> Alertmanager monitoring/alertmanager (peers)',
  ]) expect(labels).toContain(want);
});

describe('LgtmNetworkPolicies: bad input', () => {
  const stack = () => {
    const app = Testing.app();
    const c = new Chart(app, 'c');
    new Namespace(c, 'monitoring');
    const loki = new Loki(c, 'Loki', { namespace: 'monitoring' });
    const grafana = new Grafana(c, 'Grafana', { namespace: 'monitoring', adminSecret: { name: 'a', userKey: 'u', passwordKey: 'p' } });
    grafana.addDatasource(loki);
    return { app, c };
  };

  test('an admission from a namespace the app does not emit: the synth fails, before anything is written', () => {
    const { c } = stack();
    new LgtmNetworkPolicies(c, 'np', { admissions: [{ fromNamespace: 'ingres-nginx', toNamespace: 'monitoring', reason: 'the ingress controller serves Grafana' }] });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-'));
    const app2 = new App({ outdir });
    const c2 = new Chart(app2, 'c');
    new Namespace(c2, 'monitoring');
    new LgtmNetworkPolicies(c2, 'np', { admissions: [{ fromNamespace: 'ingres-nginx', toNamespace: 'monitoring', reason: 'the ingress controller serves Grafana' }] });
    const re = /\[c\/np\] 'admissions\[0\]\.fromNamespace' names a namespace the app does not emit and that is not listed in 'externalNamespaces'\. Received: "ingres-nginx"; expected: one of \["monitoring"\]\. Fix: correct the name/;
    expect(() => Testing.synth(c)).toThrow(re);
    expect(() => app2.synth()).toThrow(re);
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
    const ok = stack();
    new LgtmNetworkPolicies(ok.c, 'np2', { externalNamespaces: ['ingress-nginx'], admissions: [{ fromNamespace: 'ingress-nginx', toNamespace: 'monitoring', toPodLabels: { 'app.kubernetes.io/name': 'grafana' }, ports: [3000], reason: 'the ingress controller serves Grafana' }] });
    expect(() => Testing.synth(ok.c)).not.toThrow();
  });

  test('an admission to a namespace the policies do not cover: the synth fails', () => {
    const { c } = stack();
    new LgtmNetworkPolicies(c, 'np', { admissions: [{ fromNamespace: 'monitoring', toNamespace: 'elsewhere', reason: 'a reason that is long enough' }] });
    expect(() => Testing.synth(c)).toThrow(/\[c\/np\] 'admissions\[0\]\.toNamespace' is not a namespace the policies cover/);
  });

  test.each([
    [{ fromNamespace: 'monitoring', toNamespace: 'monitoring', ports: [0], reason: 'a reason that is long enough' }, /\[c\/np\] 'admissions\[0\]\.ports' holds a value that is not a port/],
    [{ fromNamespace: 'monitoring', toNamespace: 'monitoring', reason: '' }, /\[c\/np\] 'admissions\[0\]\.reason' does not say why the traffic is admitted/],
    [{ fromNamespace: 'Monitoring', toNamespace: 'monitoring', reason: 'a reason that is long enough' }, /\[c\/np\] .*admissions\[0\]\.fromNamespace/],
  ])('admission %j: the constructor fails', (admission, re) => {
    const { c } = stack();
    expect(() => new LgtmNetworkPolicies(c, 'np', { admissions: [admission] })).toThrow(re);
  });

  test('an app without namespaces: the synth fails', () => {
    const c = Testing.chart();
    new LgtmNetworkPolicies(c, 'np');
    expect(() => Testing.synth(c)).toThrow(/\[test\/np\] the app emits no Namespace for the policies to cover/);
  });
});

describe('LgtmNetworkPolicies: drawn at synth', () => {
  const build = (policiesFirst: boolean) => {
    const app = Testing.app();
    const net = policiesFirst ? new Chart(app, 'a-net') : undefined;
    const c = new Chart(app, 'c');
    const policies = new LgtmNetworkPolicies(net ?? new Chart(app, 'z-net'), 'np');
    new Namespace(c, 'monitoring');
    const loki = new Loki(c, 'Loki', { namespace: 'monitoring' });
    const grafana = new Grafana(c, 'Grafana', { namespace: 'monitoring', adminSecret: { name: 'a', userKey: 'u', passwordKey: 'p' } });
    grafana.addDatasource(loki);
    return { app, c, policies };
  };
  const policiesOf = (app: App) => app.charts.flatMap((ch) => ch.toJson()).filter((o) => o.kind === 'NetworkPolicy');

  test('created before the constructs it covers: the same policies as when created last', () => {
    const first = build(true);
    const last = build(false);
    const a = policiesOf(first.app);
    expect(a).toEqual(policiesOf(last.app));
    expect(a.map((p) => p.metadata.name)).toContain('lgtm-allow-statefulset-loki');
    expect(first.policies.edgeCount).toBe(last.policies.edgeCount);
    expect(first.policies.edgeCount).toBeGreaterThan(0);
    expect(first.policies.namespaces).toEqual(['monitoring']);
  });

  test('edgeCount and namespaces read before any synth: computed from the app as built so far', () => {
    const { policies } = build(false);
    expect(policies.namespaces).toEqual(['monitoring']);
    const before = policies.edgeCount;
    expect(before).toBeGreaterThan(0);
    Testing.synth(policies.node.scope as Chart);
    expect(policies.edgeCount).toBe(before);
  });

  test('a connection added after a synth: the next synth draws the policies again', () => {
    const { app, c, policies } = build(false);
    const before = policiesOf(app);
    const edges = policies.edgeCount;
    const more = new Grafana(c, 'Grafana2', { name: 'grafana2', namespace: 'monitoring', adminSecret: { name: 'a', userKey: 'u', passwordKey: 'p' } });
    more.addDatasource(app.node.findAll().find((x) => x instanceof Loki) as Loki);
    const after = policiesOf(app);
    expect(policies.edgeCount).toBeGreaterThan(edges);
    const loki = (list: any[]) => list.find((p) => p.metadata.name === 'lgtm-allow-statefulset-loki');
    expect(loki(before).metadata.annotations['lgtm.cdk8s.io/edges']).not.toMatch(/grafana2/);
    expect(loki(after).metadata.annotations['lgtm.cdk8s.io/edges']).toMatch(/grafana2/);
    expect(loki(after).spec.ingress.length).toBe(loki(before).spec.ingress.length + 1);
    // one copy of each policy: the old ones were replaced
    expect(new Set(after.map((p) => p.metadata.name)).size).toBe(after.length);
  });

  test('with the Argo CD annotations on, the policies get them as every object does; an App synth writes them', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-'));
    const app = new App({ outdir });
    ArgoCdSyncAnnotations.applyTo(app);
    // chart labels give the policies a sync role (dashboards and alerting: wave 10)
    new LgtmNetworkPolicies(new Chart(app, 'a-net', { labels: { 'app.kubernetes.io/name': 'grafana' } }), 'np');
    const c = new Chart(app, 'c');
    new Namespace(c, 'monitoring');
    const grafana = new Grafana(c, 'Grafana', { namespace: 'monitoring', adminSecret: { name: 'a', userKey: 'u', passwordKey: 'p' } });
    grafana.addDatasource(new Loki(c, 'Loki', { namespace: 'monitoring' }));
    app.synth();
    const written = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, 'a-net.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    fs.rmSync(outdir, { recursive: true, force: true });
    expect(written.map((p) => p.metadata.name)).toEqual(['lgtm-default-deny-ingress', 'lgtm-allow-statefulset-loki']);
    for (const p of written) expect(p.metadata.annotations).toEqual({ 'lgtm.cdk8s.io/edges': expect.any(String), 'argocd.argoproj.io/sync-wave': '10' });
  });
});
