/**
 * LgtmStack in the production profile with its own Mimir, the NetworkPolicies switch, the collector
 * sizing, the chart (file) names, and the seed scenarios of the dist/ examples.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { RENDERED_APPS, SEED_COVERAGE } from '../../examples/apps';
import {
  AlertReceiver, LgtmStack, LgtmStackProps, Mimir, MimirMode, ObjectStorage, Prometheus, StackProfile, StorageCredentials,
} from '../../src';
import { wiringGraph } from '../../src/core/wiring';
import { K8sObject, schemaErrors, synthApp, synthAppFiles, urlResolution } from '../harness';

const receiver = AlertReceiver.webhook('oncall', { url: { secretName: 'alertmanager-oncall', key: 'url' } });
const adminSecret = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };
const credentials = StorageCredentials.fromSecret('lgtm-s3');
const s3 = ObjectStorage.s3({ region: 'eu-west-1', bucket: 'lgtm-data', credentials });
const mimirS3 = ObjectStorage.s3({ region: 'eu-west-1', buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler' }, credentials });

function stack(props: Partial<LgtmStackProps> & { profile: StackProfile }, app = new App()): { app: App; stack: LgtmStack } {
  const s = new LgtmStack(app, 'lgtm', { alertmanager: { defaultReceiver: receiver }, grafana: { adminSecret }, ...props });
  return { app, stack: s };
}
const prod = (props: Partial<LgtmStackProps> = {}, app?: App) =>
  stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, mimir: { objectStorage: mimirS3 }, ...props }, app);
const of = (objs: K8sObject[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const containers = (o: K8sObject): any[] => o.spec.template.spec.containers;

describe('production profile: the stack runs and wires Mimir', () => {
  const { app, stack: s } = prod({ components: { networkPolicies: true } });
  const objs = synthApp(app);

  test('Mimir Distributed on its own buckets, the stack\'s metrics store', () => {
    expect(s.mimir).toBeInstanceOf(Mimir);
    expect(s.mimir!.mode).toBe(MimirMode.DISTRIBUTED);
    expect(s.mimir!.replicationFactor).toBe(3);
    expect(s.metricsStore).toBe(s.mimir);
    expect(schemaErrors(objs)).toEqual([]);
    const config = JSON.stringify(of(objs, 'ConfigMap').filter((o) => /mimir/.test(o.metadata.name)));
    expect(config).toContain('mimir-blocks');
    expect(config).not.toContain('lgtm-data');
  });

  test('Prometheus and the collector write to the emitted distributor Service, Grafana queries the emitted query-frontend', () => {
    const urls = of(objs, 'Prometheus', 'prometheus')[0].spec.remoteWrite.map((r: any) => r.url);
    expect(urls).toEqual([s.mimir!.remoteWriteUrl]);
    for (const u of urls) expect(urlResolution(u, objs)).toBeUndefined();
    expect(s.mimir!.remoteWriteUrl).toMatch(/^http:\/\/mimir-distributor\.monitoring\.svc:\d+\/api\/v1\/push$/);
    const collectorConfig = JSON.stringify(of(objs, 'ConfigMap').filter((o) => /alloy-collector/.test(o.metadata.name)));
    expect(collectorConfig).toContain('mimir-distributor.monitoring.svc');
    const grafana = JSON.stringify([...of(objs, 'ConfigMap'), ...of(objs, 'Secret')].filter((o) => /grafana/.test(o.metadata.name)));
    const ds = /url: (http:\/\/mimir-[a-z-]+\.monitoring\.svc:\d+\/prometheus)/.exec(grafana);
    expect(ds).not.toBeNull();
    expect(urlResolution(ds![1], objs)).toBeUndefined();
    expect(ds![1]).toContain('mimir-query-frontend');
  });

  test('the NetworkPolicies cover the stack\'s namespaces, one allow rule per wiring edge into them', () => {
    expect(s.networkPolicies).toBeDefined();
    expect(s.networkPolicies!.namespaces).toEqual(['monitoring', 'monitoring-agents']);
    const policies = of(objs, 'NetworkPolicy');
    expect(policies.filter((p) => p.metadata.name === 'lgtm-default-deny-ingress').map((p) => p.metadata.namespace).sort()).toEqual(['monitoring', 'monitoring-agents']);
    const edges = wiringGraph(objs.filter((o) => o.kind !== 'NetworkPolicy')).filter((e) => ['monitoring', 'monitoring-agents'].includes(e.to.namespace));
    expect(s.networkPolicies!.edgeCount).toBe(edges.length);
    const rules = policies.reduce((n, p) => n + (p.spec.ingress ?? []).length, 0);
    expect(rules).toBe(edges.length);
    // Mimir's ring (distributor -> ingesters on gRPC) is admitted
    expect(policies.some((p) => p.metadata.namespace === 'monitoring' && p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'mimir')).toBe(true);
  });

  test('the collectors are sized from the node count (CollectorSizing)', () => {
    expect(s.collectorSizing!.nodes).toBe(50);
    const collector = of(objs, 'StatefulSet', 'alloy-collector')[0] ?? of(objs, 'Deployment', 'alloy-collector')[0];
    expect(collector.spec.replicas).toBe(2);
    expect(containers(collector)[0].resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    const { app: big } = prod({ clusterNodes: 400 });
    const bigCollector = synthApp(big).find((o) => /alloy-collector/.test(o.metadata.name) && o.spec?.template)!;
    expect(containers(bigCollector)[0].resources.requests).toEqual({ cpu: '500m', memory: '1024Mi' });
    expect(() => prod({ clusterNodes: 5000 })).toThrow(/\[lgtm\] 5000 nodes is beyond the upstream sizing figures.*Fix: /);
    expect(() => prod({ clusterNodes: 0 })).toThrow(/\[lgtm\] the node count is not a positive integer/);
  });

  test('a given metricsStore replaces the stack\'s Mimir; minikube has none unless switched on', () => {
    const app2 = new App();
    const store = new Prometheus(new Chart(app2, 'store'), 'Store', { namespace: 'store', name: 'store', enableRemoteWriteReceiver: true, datasourceUid: 'store', datasourceName: 'Long-term metrics' });
    const { stack: t } = stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, metricsStore: store }, app2);
    expect([t.mimir, t.metricsStore]).toEqual([undefined, store]);
    const { stack: m } = stack({ profile: StackProfile.MINIKUBE });
    expect(m.mimir).toBeUndefined();
    const { app: a3, stack: m2 } = stack({ profile: StackProfile.MINIKUBE, components: { mimir: true } });
    expect(m2.mimir!.mode).toBe(MimirMode.MONOLITHIC);
    expect(of(synthApp(a3), 'Prometheus', 'prometheus')[0].spec.remoteWrite[0].url).toBe(m2.mimir!.remoteWriteUrl);
  });
});

describe('the Kubernetes compute dashboards, with the cluster events next to the workload they concern', () => {
  const eventsAnnotation = (objs: K8sObject[], uid: string) => {
    const cm = of(objs, 'ConfigMap', `grafana-dashboard-${uid}`)[0];
    const json = JSON.parse(Object.values<string>(cm.data)[0]);
    return json.annotations.list.find((a: any) => a.name === 'Kubernetes events');
  };

  test('with the collector\'s clusterEvents: Loki annotations on every dashboard of the set, on the stack\'s Loki', () => {
    const { app, stack: s } = prod({ collector: { clusterEvents: { jobName: 'cluster-events' } } });
    const objs = synthApp(app);
    expect(s.kubernetesDashboards!.all.map((d) => d.uid)).toEqual(['k8s-compute-cluster', 'k8s-compute-namespace', 'k8s-compute-pod', 'k8s-compute-workload', 'node-exporter-nodes']);
    for (const d of s.kubernetesDashboards!.all) {
      const a = eventsAnnotation(objs, d.uid);
      expect([d.uid, a?.datasource]).toEqual([d.uid, { type: 'loki', uid: s.loki!.datasourceInfo.uid }]);
      expect(a.target.expr).toContain('job="cluster-events"');
    }
    expect(eventsAnnotation(objs, 'k8s-compute-pod').target.expr).toContain('kind="Pod", name=~"$pod"');
  });

  test('without events no annotation; without one of their metric sources no Kubernetes dashboards', () => {
    const { app, stack: s } = stack({ profile: StackProfile.MINIKUBE });
    expect(s.kubernetesDashboards).toBeDefined();
    expect(eventsAnnotation(synthApp(app), 'k8s-compute-cluster')).toBeUndefined();
    for (const off of ['kubeStateMetrics', 'nodeExporter', 'kubeletMonitor', 'dashboards'] as const) {
      const { stack: t } = stack({ profile: StackProfile.MINIKUBE, components: { [off]: false } as LgtmStackProps['components'] });
      expect(`${off}: ${t.kubernetesDashboards === undefined}`).toBe(`${off}: true`);
    }
  });

  test('dist/production: events on the compute dashboards (the production example turns on events, journal and autodiscovery)', () => {
    const dir = path.join(__dirname, '..', '..', 'dist', 'production');
    const text = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    for (const c of ['loki.source.kubernetes_events', 'loki.source.journal', 'discovery.relabel "autodiscovery_pods"']) expect(text).toContain(c);
    for (const uid of ['k8s-compute-cluster', 'k8s-compute-namespace', 'k8s-compute-pod', 'k8s-compute-workload']) {
      expect(text).toContain(`grafana-dashboard-${uid}`);
    }
    expect(text.match(/"name": "Kubernetes events"/g)?.length).toBe(5);
  });
});

describe('chart and file names', () => {
  test('with the App as scope: `<id>-<NN>-<part>.yaml`, no hash, in apply order', () => {
    const { app, stack: s } = prod({ components: { networkPolicies: true } });
    // cdk8s' default extension is `.k8s.yaml`; `npx projen render` writes `.yaml`
    const files = Object.keys(synthAppFiles(app)).map((f) => f.replace(/\.k8s\.yaml$/, '.yaml'));
    expect(files).toEqual([
      'lgtm-00-crds.yaml', 'lgtm-01-namespaces.yaml', 'lgtm-10-metrics.yaml', 'lgtm-12-long-term-metrics.yaml', 'lgtm-30-logs.yaml',
      'lgtm-35-log-collection.yaml', 'lgtm-40-traces.yaml', 'lgtm-42-profiles.yaml', 'lgtm-45-collection.yaml', 'lgtm-50-grafana.yaml',
      'lgtm-90-network-policies.yaml',
    ]);
    expect(s.charts.map((c) => c.node.id)).toEqual(files.map((f) => f.replace(/\.yaml$/, '')));
    // the CRDs come first in the file order kubectl applies
    expect([...files].sort()[0]).toBe('lgtm-00-crds.yaml');
  });

  test('the committed dist/ stacks carry no hash suffix', () => {
    for (const folder of ['minikube', 'production']) {
      const files = fs.readdirSync(path.join(__dirname, '..', '..', 'dist', folder)).filter((f) => f.endsWith('.yaml'));
      for (const f of files) expect(f).toMatch(/^[a-z]+-\d\d-[a-z-]+[a-z]\.yaml$/);
    }
  });

  test('in a Chart as scope the stack still synthesizes (its Charts nested in the stack)', () => {
    const nestedApp = new App({ yamlOutputType: YamlOutputType.FILE_PER_APP });
    const nested = new LgtmStack(new Chart(nestedApp, 'outer'), 'lgtm', { profile: StackProfile.MINIKUBE, alertmanager: { defaultReceiver: receiver }, grafana: { adminSecret } });
    expect(nested.charts.every((c) => c.node.scope === nested)).toBe(true);
    expect(synthApp(nestedApp).length).toBeGreaterThan(50);
  });
});

describe('production profile: contradicting props fail with the message', () => {
  const expectFail = (f: () => unknown, message: RegExp) => expect(f).toThrow(message);

  test('Mimir and its store', () => {
    const app = new App();
    const store = new Prometheus(new Chart(app, 'store'), 'Store', { namespace: 'store', name: 'store', enableRemoteWriteReceiver: true, datasourceUid: 'store' });
    expectFail(() => stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, metricsStore: store, components: { mimir: true } }, app),
      /\[lgtm\] 'components.mimir' is on and 'metricsStore' is given: the stack would write to two long-term stores. Received: .*; expected: .* Fix: drop 'components.mimir'/);
    const given = { profile: StackProfile.PRODUCTION, objectStorage: s3, metricsStore: store, mimir: { objectStorage: mimirS3 } };
    expectFail(() => stack(given, new App()),
      /'mimir' overrides are given, but the stack renders no Mimir. Received: mimir: \{\.\.\.\}, metricsStore: .*Fix: drop 'mimir'/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, mimir: {} }), /'mimir' overrides are given, but the stack renders no Mimir.*components.mimir: false.*Fix: pass components: \{ mimir: true \}/);
    expectFail(() => stack({ profile: StackProfile.PRODUCTION, objectStorage: s3 }),
      /\[lgtm\] profile "production" runs Mimir on object storage, and 'mimir.objectStorage' is not given. Received: mimir.objectStorage: undefined; expected: .*buckets of Mimir's own.*Fix: pass 'mimir.objectStorage', or 'metricsStore'/);
    expectFail(() => prod({ mimir: { objectStorage: s3 } }), /'mimir.objectStorage' uses the bucket of 'objectStorage' .*Received: bucket "lgtm-data" in both/);
    expectFail(() => prod({ mimir: { objectStorage: ObjectStorage.filesystem() } }), /filesystem storage in 'mimir.objectStorage' contradicts profile "production"/);
    expectFail(() => prod({ mimir: { objectStorage: mimirS3, mode: MimirMode.MONOLITHIC } }), /'mimir.mode: MONOLITHIC' contradicts profile "production".*expected: MimirMode.DISTRIBUTED/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, components: { mimir: true }, mimir: { mode: MimirMode.DISTRIBUTED } }),
      /'mimir.mode: DISTRIBUTED' contradicts profile "minikube"/);
  });

  test('sizing and NetworkPolicy options where the stack does not use them', () => {
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, clusterNodes: 20 }), /\[lgtm\] 'clusterNodes: 20' contradicts profile "minikube". Received: clusterNodes: 20; expected: 1 .*Fix: drop 'clusterNodes'/);
    expectFail(() => prod({ networkPolicies: { admissions: [] } }), /'networkPolicies' options are given, but the NetworkPolicies are off.*Fix: pass components: \{ networkPolicies: true \}/);
    // an admission that does not fit the app fails the synth (the policies are drawn there)
    const typo = prod({ components: { networkPolicies: true }, networkPolicies: { admissions: [{ fromNamespace: 'ingres-nginx', toNamespace: 'monitoring', reason: 'the ingress controller serves Grafana' }] } });
    expectFail(() => synthApp(typo.app), /\[lgtm-90-network-policies\/NetworkPolicies\] 'admissions\[0\].fromNamespace' names a namespace the app does not emit/);
  });
});

describe('every seed scenario has a dist/ example', () => {
  test('seeds 000-004, each rendered by apps of examples/apps.ts', () => {
    expect(SEED_COVERAGE.map((c) => c.seed)).toEqual(['000', '001', '002', '003', '004']);
    const names = RENDERED_APPS.map((a) => a.name);
    for (const c of SEED_COVERAGE) {
      expect(c.apps.length).toBeGreaterThan(0);
      for (const a of c.apps) expect(`${c.seed}: ${a} ${names.includes(a)}`).toBe(`${c.seed}: ${a} true`);
    }
    expect(SEED_COVERAGE.find((c) => c.seed === '001')!.apps).toContain('production');
  });
});
