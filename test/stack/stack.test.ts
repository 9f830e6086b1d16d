import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { requestRows, totals } from './requests';
import {
  AlertReceiver, LgtmStack, LgtmStackProps, ObjectStorage, Prometheus, StackProfile, StorageCredentials,
} from '../../src';
import { K8sObject, readYamlDir, schemaErrors, synthApp } from '../harness';

const receiver = AlertReceiver.webhook('oncall', { url: { secretName: 'alertmanager-oncall', key: 'url' } });
const adminSecret = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };
const s3 = ObjectStorage.s3({ region: 'eu-west-1', bucket: 'lgtm-blocks', credentials: StorageCredentials.fromSecret('lgtm-s3') });

function stack(props: Partial<LgtmStackProps> & { profile: StackProfile }, app = new App()): { app: App; stack: LgtmStack } {
  const s = new LgtmStack(app, 'lgtm', { alertmanager: { defaultReceiver: receiver }, grafana: { adminSecret }, ...props });
  return { app, stack: s };
}
const of = (objs: K8sObject[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('LgtmStack, minikube profile', () => {
  const { app, stack: s } = stack({ profile: StackProfile.MINIKUBE, namespace: 'lgtm' });
  const objs = synthApp(app);

  test('every default component is a child, wired, and the output passes the schemas', () => {
    for (const c of ['crds', 'prometheusOperator', 'prometheus', 'alertmanager', 'nodeExporter', 'kubeStateMetrics', 'kubeletMonitor', 'loki', 'grafana', 'tempo', 'logsAgent', 'collector', 'selfMonitoringRules', 'workloadRules', 'dashboards'] as const) {
      expect(`${c}: ${s[c] !== undefined}`).toBe(`${c}: true`);
    }
    expect([s.pyroscope, s.beyla, s.otelCollector]).toEqual([undefined, undefined, undefined]);
    expect(schemaErrors(objs)).toEqual([]);
    const prom = of(objs, 'Prometheus', 'prometheus')[0];
    expect(prom.spec).toMatchObject({ retention: '2h', replicas: 1, alerting: { alertmanagers: [expect.objectContaining({ name: 'alertmanager' })] } });
    // Grafana has a datasource for every backend
    const ds = JSON.stringify(of(objs, 'Secret').concat(of(objs, 'ConfigMap')).filter((o) => /grafana/.test(o.metadata.name)));
    for (const kind of ['prometheus', 'loki', 'tempo', 'alertmanager']) expect(ds).toContain(`type: ${kind}`);
  });

  test('single replicas on filesystem storage, nothing with more than one pod', () => {
    for (const r of requestRows(objs)) expect(`${r.workload}: ${r.pods}`).toBe(`${r.workload}: 1`);
    expect(of(objs, 'PodDisruptionBudget')).toEqual([]);
  });

  test('memory requests summed over the output are at most 1 GiB (figures in docs/PROFILES.md)', () => {
    const rows = requestRows(objs);
    const total = totals(rows);
    expect(total.memoryMi).toBeLessThanOrEqual(1024);
    expect(total).toEqual({ memoryMi: 984, cpuMillis: 270 });
    // the documented figure is the computed one
    const doc = (f: string) => fs.readFileSync(path.join(__dirname, '..', '..', f), 'utf8');
    expect(doc('docs/PROFILES.md')).toContain(`| **total** | **${total.memoryMi}Mi** | | **${total.cpuMillis}m** |`);
    expect(doc('README.md')).toContain(`| memory requests | ${total.memoryMi} Mi for the whole stack`);
    // and over the committed dist/minikube/ (the minikube example, the same profile)
    const dist = totals(requestRows(readYamlDir(path.join(__dirname, '..', '..', 'dist', 'minikube'))));
    expect(dist.memoryMi).toBeLessThanOrEqual(1024);
  });

  test('a switch turns a component off: the child is undefined and nothing of it is rendered', () => {
    const { app: a, stack: t } = stack({ profile: StackProfile.MINIKUBE, components: { tempo: false, collector: false, pyroscope: true } });
    expect(t.tempo).toBeUndefined();
    expect(t.collector).toBeUndefined();
    expect(t.pyroscope).toBeDefined();
    const o = synthApp(a);
    expect(of(o, 'StatefulSet', 'tempo')).toEqual([]);
    expect(of(o, 'StatefulSet', 'pyroscope').length + of(o, 'Deployment', 'pyroscope').length).toBe(1);
  });

  test('overrides win over the profile', () => {
    const { app: a } = stack({ profile: StackProfile.MINIKUBE, prometheus: { externalLabels: { cluster: 'laptop' } } });
    expect(of(synthApp(a), 'Prometheus')[0].spec.externalLabels).toEqual({ cluster: 'laptop' });
  });
});

describe('LgtmStack, production profile', () => {
  const store = () => {
    const app = new App();
    const mimirStandIn = new Prometheus(new Chart(app, 'store'), 'Store', { namespace: 'metrics-store', name: 'store', enableRemoteWriteReceiver: true, datasourceUid: 'store', datasourceName: 'Long-term metrics' });
    return { app, mimirStandIn };
  };
  const { app, mimirStandIn } = store();
  const { stack: s } = stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, metricsStore: mimirStandIn, appNamespaces: ['shop'], components: { beyla: true } }, app);
  const objs = synthApp(app);

  test('HA: replicas, PodDisruptionBudgets, pods spread across zones and nodes', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(of(objs, 'Prometheus', 'prometheus')[0].spec.replicas).toBe(2);
    expect(of(objs, 'Alertmanager')[0].spec.replicas).toBe(3);
    for (const o of [...of(objs, 'Prometheus', 'prometheus'), ...of(objs, 'Alertmanager')]) {
      expect(o.spec.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    }
    const replicated = [...of(objs, 'Deployment'), ...of(objs, 'StatefulSet')].filter((o) => (o.spec.replicas ?? 1) > 1);
    expect(replicated.length).toBeGreaterThan(5);
    const pdbs = of(objs, 'PodDisruptionBudget').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    for (const w of replicated) {
      expect(`${w.metadata.name}: ${(w.spec.template.spec.topologySpreadConstraints ?? []).length > 0}`).toBe(`${w.metadata.name}: true`);
      expect(pdbs).toContain(`${w.metadata.namespace}/${w.metadata.name}`);
    }
    expect(s.beyla).toBeDefined();
    expect(s.pyroscope).toBeDefined();
  });

  test('object storage everywhere, no filesystem store', () => {
    const configs = JSON.stringify([...of(objs, 'ConfigMap'), ...of(objs, 'Secret')]);
    expect(configs).toContain('lgtm-blocks');
  });

  test('the long-term metrics store: Prometheus remote-writes into it, Grafana queries it', () => {
    const prom = of(objs, 'Prometheus', 'prometheus')[0];
    expect(prom.spec.remoteWrite.map((r: any) => r.url)).toContain(mimirStandIn.remoteWriteUrl);
    const grafanaConfig = JSON.stringify([...of(objs, 'ConfigMap'), ...of(objs, 'Secret')].filter((o) => o.metadata.namespace === 'monitoring'));
    expect(grafanaConfig).toContain('uid: store');
  });
});

describe('LgtmStack: bad input fails with the message', () => {
  const expectFail = (f: () => unknown, message: RegExp) => expect(f).toThrow(message);

  test('a profile with contradictory overrides', () => {
    expectFail(() => stack({ profile: StackProfile.PRODUCTION, objectStorage: ObjectStorage.filesystem() }),
      /\[lgtm\] filesystem storage in 'objectStorage' contradicts profile "production". Received: .*; expected: an object store .* Fix: pass ObjectStorage.s3/);
    expectFail(() => stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, loki: { objectStorage: ObjectStorage.filesystem() } }),
      /filesystem storage in 'loki.objectStorage' contradicts profile "production"/);
    expectFail(() => stack({ profile: StackProfile.PRODUCTION }), /profile "production" needs object storage for loki, and none is given.*Fix: pass 'objectStorage'/);
    expectFail(() => stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, prometheus: { replicas: 1 } }), /'prometheus.replicas: 1' contradicts profile "production". .*expected: at least 2 replicas/);
    expectFail(() => stack({ profile: StackProfile.PRODUCTION, objectStorage: s3, alertmanager: { defaultReceiver: receiver, podDisruptionBudget: false } }), /'alertmanager.podDisruptionBudget: false' contradicts profile "production"/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, tempo: { replicas: 3 } }), /'tempo.replicas: 3' contradicts profile "minikube".*Fix: drop 'tempo.replicas', or use StackProfile.PRODUCTION/);
  });

  test('two stacks writing to the same namespace with clashing names', () => {
    const app = new App();
    stack({ profile: StackProfile.MINIKUBE }, app);
    expectFail(() => new LgtmStack(app, 'second', { profile: StackProfile.MINIKUBE, alertmanager: { defaultReceiver: receiver }, grafana: { adminSecret } }),
      /\[second\] two LgtmStacks write to namespace "monitoring": their objects .* would clash by name. Received: .*the stack at lgtm.*Fix: give this stack another 'namespace'/);
    // other namespaces, but the cluster-wide components twice
    expectFail(() => new LgtmStack(app, 'third', { profile: StackProfile.MINIKUBE, namespace: 'other', alertmanager: { defaultReceiver: receiver }, grafana: { adminSecret } }),
      /two LgtmStacks both render the cluster-wide 'crds'.*Fix: switch them off in the second stack: components: \{ crds: false, prometheusOperator: false, nodeExporter: false \}/);
    // ... which is fine once they are off: the second stack uses the first one's operator
    const fourth = new LgtmStack(app, 'fourth', {
      profile: StackProfile.MINIKUBE,
      namespace: 'other',
      components: { crds: false, prometheusOperator: false, nodeExporter: false },
      alertmanager: { defaultReceiver: receiver },
      grafana: { adminSecret },
    });
    expect([fourth.crds, fourth.prometheusOperator, fourth.nodeExporter]).toEqual([undefined, undefined, undefined]);
    expect(fourth.prometheus?.namespace).toBe('other');
  });

  test('disabling a component that another enabled component needs', () => {
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, components: { loki: false } }),
      /\[lgtm\] 'logsAgent' is on but needs 'loki', which is off \(the log DaemonSet pushes to Loki\). Received: components: \{ logsAgent: true, loki: false \}; expected: .* Fix: drop 'loki: false', or switch 'logsAgent' off too/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, components: { prometheus: false } }), /'alertmanager' is on but needs 'prometheus'/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, components: { tempo: false } }), /'collector' is on but needs 'tempo'/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, components: { collector: false, beyla: true } }), /'beyla' is on but needs 'collector'/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, components: { grafana: false } }), /'dashboards' is on but needs 'grafana'/);
  });

  test('a component without the input only the user can give', () => {
    expectFail(() => new LgtmStack(new App(), 'lgtm', { profile: StackProfile.MINIKUBE, grafana: { adminSecret } }), /Alertmanager is on but 'alertmanager' gives it no receiver/);
    expectFail(() => new LgtmStack(new App(), 'lgtm', { profile: StackProfile.MINIKUBE, alertmanager: { defaultReceiver: receiver } }), /Grafana is on but 'grafana' names no admin Secret/);
    expectFail(() => stack({ profile: StackProfile.MINIKUBE, namespace: 'lgtm', agentsNamespace: 'lgtm' }), /'agentsNamespace' is the stack's own namespace/);
  });
});
