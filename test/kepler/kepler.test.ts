import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Namespace } from '../../src/core/namespace';
import { PodSecurityLevel } from '../../src/core/pod-security';
import { Kepler, KeplerDashboard } from '../../src/kepler';
import { KEPLER_DASHBOARD_METRICS } from '../../src/kepler/metrics';
import { PrometheusOperatorCrds, Prometheus } from '../../src/prometheus';
import { checkDashboard, queries } from '../dashboards/dashboard-checker';
import { DATASOURCES } from '../dashboards/fixtures';
import { find, restrictedViolations, schemaErrors, synthApp, YAML } from '../harness';

const AGENTS = 'monitoring-agents';

/** Kepler's documented Pod Security exceptions (docs/COLLECTION.md, "Kepler"). */
const KEPLER_EXCEPTIONS = [
  'DaemonSet/monitoring-agents/kepler: host namespaces',
  'DaemonSet/monitoring-agents/kepler: volume sysfs uses hostPath',
  'DaemonSet/monitoring-agents/kepler: volume procfs uses hostPath',
  'DaemonSet/monitoring-agents/kepler: kepler: privileged',
  'DaemonSet/monitoring-agents/kepler: kepler: allowPrivilegeEscalation must be false',
  'DaemonSet/monitoring-agents/kepler: kepler: capabilities.drop must include ALL',
  'DaemonSet/monitoring-agents/kepler: kepler: runAsNonRoot must be true',
  'DaemonSet/monitoring-agents/kepler: kepler: runAsUser 0',
];

function build(namespace?: Namespace | 'none') {
  const app = new App();
  const chart = new Chart(app, 'energy');
  new PrometheusOperatorCrds(chart, 'Crds');
  new Prometheus(chart, 'Prometheus', { namespace: 'monitoring' });
  const ns = namespace === 'none' ? undefined : Namespace.forNodeAgents(chart, 'Agents');
  const kepler = new Kepler(chart, 'Kepler');
  return { app, kepler, ns };
}

describe('Kepler', () => {
  const { app } = build();
  const objs = synthApp(app);
  const ds = find(objs, 'DaemonSet', 'kepler', AGENTS);
  const pod = ds.spec.template.spec;

  test('a DaemonSet in the node-agent namespace, metrics on 28282 scraped by its ServiceMonitor', () => {
    expect(find(objs, 'Service', 'kepler', AGENTS).spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 28282 })]);
    expect(find(objs, 'ServiceMonitor', 'kepler', AGENTS).spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('config.yaml rendered from the typed structure: pods through the API server, prometheus exporter on', () => {
    const cfg = YAML.parse(find(objs, 'ConfigMap', 'kepler', AGENTS).data['config.yaml']);
    expect(cfg.kube.podInformer.mode).toBe('apiserver');
    expect(cfg.web.listenAddresses).toEqual([':28282']);
    expect(cfg.host).toEqual({ sysfs: '/host/sys', procfs: '/host/proc' });
    expect(pod.containers[0].args).toContain('--config.file=/etc/kepler/config.yaml');
  });

  test('RBAC: read pods and nodes only (no nodes/proxy)', () => {
    expect(find(objs, 'ClusterRole', 'monitoring-agents-kepler').rules).toEqual([{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('privileges: exactly the documented exceptions; host /proc and /sys read-only', () => {
    expect(restrictedViolations(objs).filter((v) => v.includes('kepler')).sort()).toEqual([...KEPLER_EXCEPTIONS].sort());
    for (const m of pod.containers[0].volumeMounts.filter((x: any) => x.name !== 'config')) expect(m.readOnly).toBe(true);
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'COLLECTION.md'), 'utf8');
    for (const w of ['hostPID', 'privileged', '/proc', '/sys', 'RAPL', 'managed']) expect(doc).toContain(w);
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('bad input: a namespace with the restricted Pod Security level', () => {
    const app2 = new App();
    const chart = new Chart(app2, 'energy');
    new Namespace(chart, 'Monitoring', { name: 'monitoring' });
    new Kepler(chart, 'Kepler', { namespace: 'monitoring' });
    expect(() => app2.synth()).toThrow(/\[energy\/Kepler\] Kepler needs privileged pods .* but its namespace monitoring enforces Pod Security "restricted"\. Received: .*; expected: the node-agent namespace .*Fix: pass namespace: 'monitoring-agents'/);
  });

  test('bad input: a baseline namespace fails too', () => {
    const app2 = new App();
    const chart = new Chart(app2, 'energy');
    new Namespace(chart, 'Energy', { name: 'energy', podSecurity: PodSecurityLevel.BASELINE });
    new Kepler(chart, 'Kepler', { namespace: 'energy' });
    expect(() => app2.synth()).toThrow(/enforces Pod Security "baseline"/);
  });
});

describe('Kepler dashboard', () => {
  const d = new KeplerDashboard(Testing.chart(), 'Energy');
  const json = JSON.parse(d.renderJson(DATASOURCES));

  test('a valid Grafana dashboard: every query parses, every datasource exists', () => {
    expect(checkDashboard(json, DATASOURCES)).toEqual([]);
  });

  test('reads exactly the listed Kepler metrics', () => {
    const text = queries(json).map((q) => q.expr).join('\n');
    expect([...new Set(text.match(/\bkepler_[a-z_]+\b/g))].sort()).toEqual([...KEPLER_DASHBOARD_METRICS.kepler].sort());
  });
});
