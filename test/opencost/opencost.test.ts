import { App, Chart, Testing } from 'cdk8s';
import { Loki } from '../../src/loki';
import { OpenCost, OpenCostDashboard } from '../../src/opencost';
import { OPENCOST_DASHBOARD_METRICS } from '../../src/opencost/metrics';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { checkDashboard, queries } from '../dashboards/dashboard-checker';
import { DATASOURCES } from '../dashboards/fixtures';
import { find, restrictedViolations, schemaErrors, synthApp, urlResolution } from '../harness';

const NS = 'monitoring';

function build(extra: Record<string, any> = {}) {
  const app = new App();
  const chart = new Chart(app, 'cost');
  new PrometheusOperatorCrds(chart, 'Crds');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS });
  const opencost = new OpenCost(chart, 'OpenCost', { namespace: NS, metricsSource: prometheus, ...extra });
  return { app, prometheus, opencost, objs: synthApp(app) };
}

describe('OpenCost', () => {
  const { objs, opencost, prometheus } = build();
  const dep = find(objs, 'Deployment', 'opencost', NS);
  const ctr = dep.spec.template.spec.containers[0];

  test('reads usage from the Prometheus given by reference: the URL is derived and resolves to its Service', () => {
    const url = ctr.env.find((e: any) => e.name === 'PROMETHEUS_SERVER_ENDPOINT').value;
    expect(url).toBe(prometheus.datasourceInfo.url);
    expect(opencost.prometheusUrl).toBe(url);
    expect(urlResolution(url, objs)).toBeUndefined();
  });

  test('exports its metrics on 9003, scraped by its ServiceMonitor, selected by the emitted Prometheus', () => {
    expect(find(objs, 'Service', 'opencost', NS).spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 9003 })]);
    const sm = find(objs, 'ServiceMonitor', 'opencost', NS);
    expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
  });

  test('least privilege: read-only RBAC, restricted Pod Security, non-root image user', () => {
    const rules = find(objs, 'ClusterRole', 'monitoring-opencost').rules;
    for (const r of rules) expect(r.verbs).toEqual(['get', 'list', 'watch']);
    expect(restrictedViolations(objs)).toEqual([]);
    expect(dep.spec.template.spec.securityContext.runAsUser).toBe(1001);
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('a tenant of the source is sent as X-Scope-OrgID', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const source = { node: chart.node, datasourceInfo: { ...DATASOURCES[0], tenantId: 'team-a' } } as any;
    new OpenCost(chart, 'OpenCost', { metricsSource: source });
    const o = synthApp(app);
    expect(find(o, 'Deployment', 'opencost', 'monitoring').spec.template.spec.containers[0].env).toContainEqual({ name: 'PROMETHEUS_HEADER_X_SCOPE_ORGID', value: 'team-a' });
  });

  test('bad input: no Prometheus-compatible source', () => {
    const chart = Testing.chart();
    expect(() => new OpenCost(chart, 'NoSource', {} as any))
      .toThrow(/OpenCost has no Prometheus-compatible source to read usage from\. Received: metricsSource: undefined; expected: .*Fix: pass 'metricsSource: prometheus'/);
    const loki = new Loki(chart, 'Loki');
    expect(() => new OpenCost(chart, 'LokiSource', { metricsSource: loki as any })).toThrow(/OpenCost has no Prometheus-compatible source.*a loki datasource/);
  });

  test('bad input: a source from another app, a bad cluster ID', () => {
    const other = new Prometheus(new Chart(new App(), 'other'), 'P');
    const app = new App();
    new OpenCost(new Chart(app, 'c'), 'OpenCost', { metricsSource: other });
    expect(() => app.synth()).toThrow(/'metricsSource' points at a construct of another app/);
    expect(() => build({ clusterId: 'has space' })).toThrow(/'clusterId' is not a valid cluster ID/);
  });
});

describe('OpenCost dashboard', () => {
  const d = new OpenCostDashboard(Testing.chart(), 'Cost');
  const json = JSON.parse(d.renderJson(DATASOURCES));

  test('a valid Grafana dashboard: every query parses, every datasource exists', () => {
    expect(checkDashboard(json, DATASOURCES)).toEqual([]);
    expect(d.uid).toBe('opencost-cost');
  });

  test('reads exactly the listed metrics (provenance: OpenCost and kube-state-metrics)', () => {
    const text = queries(json).map((q) => q.expr).join('\n');
    const listed = [...OPENCOST_DASHBOARD_METRICS.opencost, ...OPENCOST_DASHBOARD_METRICS.kubeStateMetrics];
    for (const m of listed) expect(text).toMatch(new RegExp(`\\b${m}\\b`));
    const used = new Set(text.match(/\b(node|container|pv|kube)_[a-z_]+\b/g));
    expect([...used].sort()).toEqual([...listed].sort());
  });
});
