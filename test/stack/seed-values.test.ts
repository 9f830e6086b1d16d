/**
 * "One example for each seed's own scenario, with the seed's values": every guide of ../shared/seeds
 * (examples/apps.ts SEED_COVERAGE) is checked against the committed dist/ folders that render it, value
 * by value, so a change of an example that drops a figure of its guide fails here.
 */
import * as path from 'path';
import * as YAML from 'yaml';
import { SEED_COVERAGE } from '../../examples/apps';
import { find, K8sObject, readYamlDir } from '../harness';

const DIST = path.join(__dirname, '..', '..', 'dist');
const cache = new Map<string, K8sObject[]>();
const load = (folder: string): K8sObject[] => {
  if (!cache.has(folder)) cache.set(folder, readYamlDir(path.join(DIST, folder)).filter((o) => o.kind !== 'CustomResourceDefinition'));
  return cache.get(folder)!;
};
const requests = (o: K8sObject, container?: string) => {
  const cs = o.spec.template.spec.containers;
  return (container ? cs.find((c: any) => c.name === container) : cs[0]).resources.requests;
};
const alerts = (objs: K8sObject[]) => objs.filter((o) => o.kind === 'PrometheusRule')
  .flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules.filter((r: any) => r.alert)
    .map((r: any) => ({ ...r, group: g.name, interval: g.interval }))));
const alert = (objs: K8sObject[], name: string) => {
  const a = alerts(objs).find((r) => r.alert === name);
  if (!a) throw new Error(`no alert ${name}`);
  return a;
};
const configOf = (o: K8sObject, key: string) => YAML.parse(o.data[key]);
const servicePorts = (o: K8sObject) => Object.fromEntries(o.spec.ports.map((p: any) => [p.name, p.port]));

test('every seed is checked here against the apps SEED_COVERAGE names', () => {
  const checked = ['000', '001', '002', '003', '004'];
  expect(SEED_COVERAGE.map((c) => c.seed)).toEqual(checked);
});

describe('seed 000 (PLGT, Alloy, Slack on the error rate): dist/reference', () => {
  const objs = load('reference');
  const grafana = find(objs, 'ConfigMap', 'grafana-config', 'monitoring');

  test('"if the error rate goes above 5 % for more than 5 minutes, Grafana sends a message to our Slack channel"', () => {
    const alerting = configOf(grafana, 'alerting.yaml');
    const rule = alerting.groups.flatMap((g: any) => g.rules).find((r: any) => r.uid === 'frontend-high-error-rate');
    expect(rule.for).toBe('5m');
    expect(rule.data.find((d: any) => d.refId === 'C').model.conditions[0].evaluator).toEqual({ type: 'gt', params: [0.05] });
    expect(rule.notification_settings.receiver).toBe('slack-alerts');
    expect(alerting.contactPoints.find((c: any) => c.name === 'slack-alerts').receivers[0].type).toBe('slack');
  });

  test('Grafana queries Prometheus, Loki and Tempo; Alloy writes metrics, logs and traces', () => {
    const types = configOf(grafana, 'datasources.yaml').datasources.map((d: any) => d.type);
    expect(types).toEqual(expect.arrayContaining(['prometheus', 'loki', 'tempo']));
    expect(find(objs, 'StatefulSet', 'alloy-collector', 'monitoring')).toBeDefined();
    expect(find(objs, 'DaemonSet', 'alloy-logs', 'monitoring-agents')).toBeDefined();
  });
});

describe('seed 001 (LGTM with Mimir, Pyroscope, Alloy, Beyla, OnCall, MinIO): dist/production', () => {
  const objs = load('production');
  const ns = 'lgtm-prod';

  test('every component of the guide runs: Mimir, Loki, Tempo, Pyroscope, Alloy, Beyla, Grafana, the S3 store', () => {
    for (const [kind, name, n] of [
      ['Deployment', 'mimir-distributor', ns], ['StatefulSet', 'mimir-ingester', ns], ['Deployment', 'loki-distributor', ns],
      ['StatefulSet', 'tempo', ns], ['StatefulSet', 'pyroscope', ns], ['StatefulSet', 'alloy-collector', ns],
      ['DaemonSet', 'beyla', 'lgtm-prod-agents'], ['Deployment', 'grafana', ns], ['StatefulSet', 'seaweedfs', ns],
    ]) expect(find(objs, kind, name, n)).toBeDefined();
  });

  test('Prometheus and Alloy remote-write into Mimir; Grafana queries Mimir, Loki, Tempo and Pyroscope', () => {
    const prom = find(objs, 'Prometheus', 'prometheus', ns);
    expect(prom.spec.remoteWrite.map((r: any) => r.url)).toContain('http://mimir-distributor.lgtm-prod.svc:8080/api/v1/push');
    expect(find(objs, 'ConfigMap', 'alloy-collector', ns).data['config.alloy']).toContain('"http://mimir-distributor.lgtm-prod.svc:8080/api/v1/push"');
    const types = configOf(find(objs, 'ConfigMap', 'grafana-config', ns), 'datasources.yaml').datasources.map((d: any) => `${d.uid}:${d.type}`);
    expect(types).toEqual(expect.arrayContaining(['mimir:prometheus', 'loki:loki', 'tempo:tempo', 'pyroscope:grafana-pyroscope-datasource']));
  });

  test('Beyla sends OTLP to Alloy; Loki, Tempo, Mimir and Pyroscope keep their data in the S3-compatible store', () => {
    const beyla = configOf(find(objs, 'ConfigMap', 'beyla', 'lgtm-prod-agents'), 'beyla-config.yml');
    expect([beyla.otel_traces_export.endpoint, beyla.otel_metrics_export.endpoint]).toEqual(['http://alloy-collector.lgtm-prod.svc:4318', 'http://alloy-collector.lgtm-prod.svc:4318']);
    const s3 = 'seaweedfs.lgtm-prod.svc:8333';
    const configs = objs.filter((o) => o.kind === 'ConfigMap' && /^(loki|tempo|mimir|pyroscope)/.test(o.metadata.name)).map((o) => JSON.stringify(o.data));
    for (const c of ['loki', 'tempo', 'mimir', 'pyroscope']) {
      expect(`${c}: ${configs.some((t) => t.includes(s3) && t.includes(c === 'mimir' ? 'mimir-blocks' : 'lgtm-data'))}`).toBe(`${c}: true`);
    }
  });

  test('alerts reach Grafana OnCall (Alertmanager\'s default receiver is the OnCall webhook)', () => {
    const am = find(objs, 'Alertmanager', 'alertmanager', ns);
    expect(am.spec.replicas).toBe(3);
    const secret = find(objs, 'Secret', 'alertmanager-config', ns);
    const cfg = YAML.parse(Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString('utf8'));
    expect(cfg.route.receiver).toBe('oncall');
    expect(cfg.receivers.find((r: any) => r.name === 'oncall').webhook_configs[0].url_file).toMatch(/alertmanager-oncall/);
  });
});

describe('seed 002 (Promtail tailing host files with job labels, Tempo over OTLP): dist/promtail-legacy', () => {
  const objs = load('promtail-legacy');

  test('a job label per service (job=backend, ...), pushed to Loki on 3100', () => {
    const cfg = configOf(find(objs, 'ConfigMap', 'promtail', 'plgt-agents'), 'promtail.yaml');
    expect(cfg.clients.map((c: any) => c.url)).toEqual(['http://loki.plgt.svc:3100/loki/api/v1/push']);
    expect(cfg.scrape_configs.map((s: any) => s.static_configs[0].labels.job)).toEqual(['backend', 'frontend', 'database', 'payment']);
  });

  test('Tempo listens on the standard OTLP ports 4317 (gRPC) and 4318 (HTTP); Grafana has Loki and Tempo', () => {
    expect(servicePorts(find(objs, 'Service', 'tempo', 'plgt'))).toMatchObject({ 'otlp-grpc': 4317, 'otlp-http': 4318 });
    const types = configOf(find(objs, 'ConfigMap', 'grafana-config', 'plgt'), 'datasources.yaml').datasources.map((d: any) => d.type).sort();
    expect(types).toEqual(['loki', 'tempo']);
  });
});

describe('seed 003 (minikube: small requests, ServiceMonitor, golden signals, SLOs, Argo CD)', () => {
  test('dist/minikube: the guide\'s --set values (Prometheus 2h, 256Mi/50m; Grafana 128Mi/50m; Alertmanager 64Mi; node-exporter 32Mi; kube-state-metrics 64Mi; Loki 128Mi/50m)', () => {
    const objs = load('minikube');
    const prom = find(objs, 'Prometheus', 'prometheus', 'lgtm');
    expect(prom.spec.retention).toBe('2h');
    expect(prom.spec.resources.requests).toEqual({ cpu: '50m', memory: '256Mi' });
    expect(requests(find(objs, 'Deployment', 'grafana', 'lgtm'))).toEqual({ cpu: '50m', memory: '128Mi' });
    expect(find(objs, 'Alertmanager', 'alertmanager', 'lgtm').spec.resources.requests.memory).toBe('64Mi');
    expect(requests(find(objs, 'DaemonSet', 'node-exporter', 'lgtm-agents')).memory).toBe('32Mi');
    expect(requests(find(objs, 'Deployment', 'kube-state-metrics', 'lgtm')).memory).toBe('64Mi');
    expect(requests(find(objs, 'StatefulSet', 'loki', 'lgtm'), 'loki')).toEqual({ cpu: '50m', memory: '128Mi' });
  });

  test('dist/seed-frontend: the frontend ServiceMonitor (port http, /metrics every 15s) and the platform.rules values', () => {
    const objs = load('seed-frontend');
    expect(find(objs, 'ServiceMonitor', 'frontend', 'dev').spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics', interval: '15s' })]);
    const want: Array<[string, string, string]> = [
      ['PodNotReady', '2m', 'critical'], ['PodCrashLooping', '5m', 'warning'], ['HighMemoryUsage', '5m', 'warning'], ['HighErrorRate', '2m', 'critical'],
    ];
    for (const [name, pending, severity] of want) {
      const a = alert(objs, name);
      expect([name, a.for, a.labels.severity, a.interval]).toEqual([name, pending, severity, '30s']);
    }
    expect(alert(objs, 'HighMemoryUsage').expr).toMatch(/> 0\.8$/);
    expect(alert(objs, 'HighErrorRate').expr).toMatch(/> 0\.05$/);
    expect(alert(objs, 'PodCrashLooping').expr).toContain('namespace="dev"');
    // the 99.9 % availability SLO: burn-rate alerts over the 0.1 % error budget
    expect(alerts(objs).filter((a) => a.alert === 'ErrorBudgetBurn').length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(alerts(objs).filter((a) => a.alert === 'ErrorBudgetBurn').map((a) => a.expr))).toContain('0.001');
  });

  test('dist/argocd: automated prune and self-heal, CreateNamespace=true, as the guide\'s Application', () => {
    const apps = load('argocd').filter((o) => o.kind === 'Application');
    const minikube = apps.find((a) => a.spec.source.path === 'dist/minikube')!;
    expect(minikube.spec.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });
    expect(minikube.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
  });
});

describe('seed 004 (OpenTelemetry Collector hub, correlated datasources, your own applications): dist/otel-hub, dist/app-instrumentation', () => {
  test('the hub receives OTLP on 4317 and 4318 and exposes metrics on 9464; Grafana has Prometheus, Loki and Tempo, correlated', () => {
    const objs = load('otel-hub');
    expect(servicePorts(find(objs, 'Service', 'otel-collector', 'otel-hub'))).toMatchObject({ 'otlp-grpc': 4317, 'otlp-http': 4318, 'prom-exporter': 9464 });
    const ds = configOf(find(objs, 'ConfigMap', 'grafana-config', 'otel-hub'), 'datasources.yaml').datasources;
    expect(ds.map((d: any) => d.type).sort()).toEqual(['loki', 'prometheus', 'tempo']);
    const tempo = ds.find((d: any) => d.type === 'tempo');
    expect(Object.keys(tempo.jsonData)).toEqual(expect.arrayContaining(['tracesToLogsV2', 'tracesToMetrics', 'serviceMap']));
  });

  test('an application with a /metrics endpoint and its ServiceMonitor, sending OTLP traces to the collector', () => {
    const objs = load('app-instrumentation');
    expect(find(objs, 'ServiceMonitor', 'demo-app', 'demo').spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    expect(find(objs, 'Deployment', 'demo-traces', 'demo').spec.template.spec.containers[0].args).toContain('--otlp-endpoint=alloy-collector.lgtm.svc:4317');
  });
});
