/**
 * The component dashboards (Grafana, Prometheus Operator, Pyroscope, OpenTelemetry Collector), their
 * wiring through `StackDashboards.components`, and the cluster-events annotation of the Kubernetes
 * dashboards against the labels the Alloy events pipeline writes.
 */
import { App, Chart, Testing } from 'cdk8s';
import { checkDashboard, queries } from './dashboard-checker';
import { DATASOURCES } from './fixtures';
import { AlloyCollector } from '../../src/alloy';
import { metricNamesOf } from '../../src/core/provenance/metric-names';
import { sourcesOfMetric } from '../../src/core/provenance/sources';
import {
  GrafanaDashboard, GrafanaServerDashboard, KubernetesDashboards, OtelCollectorDashboard, PrometheusOperatorDashboard,
  PyroscopeDashboard, StackDashboards,
} from '../../src/dashboards';
import { substituteVariables } from '../../src/dashboards/model';
import { Grafana } from '../../src/grafana';
import { Loki } from '../../src/loki';
import { OtelCollector } from '../../src/otel';
import { Prometheus, PrometheusOperator, PrometheusOperatorCrds } from '../../src/prometheus';
import { Pyroscope } from '../../src/pyroscope';
import { Tempo } from '../../src/tempo';
import { parseAlloy } from '../alloy/alloy-parse';
import { find, synthApp } from '../harness';

const rendered = (d: GrafanaDashboard) => JSON.parse(d.renderJson(DATASOURCES));
const ADMIN = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };

describe('component dashboards', () => {
  const chart = Testing.chart();
  const cases: Array<[GrafanaDashboard, string, string, string]> = [
    [new GrafanaServerDashboard(chart, 'G'), 'lgtm-grafana', 'LGTM / Grafana', 'grafana'],
    [new PrometheusOperatorDashboard(chart, 'O'), 'lgtm-prometheus-operator', 'LGTM / Prometheus Operator', 'prometheus-operator'],
    [new PyroscopeDashboard(chart, 'P'), 'lgtm-pyroscope', 'LGTM / Pyroscope', 'pyroscope'],
    [new OtelCollectorDashboard(chart, 'C'), 'lgtm-otel-collector', 'LGTM / OpenTelemetry Collector', 'otel-collector'],
  ];

  test.each(cases.map((c) => [c[1], ...c] as const))('%s: valid, stable uid, every query on the job, every metric listed at the pinned version', (_u, d, uid, title, job) => {
    expect([d.uid, d.title, d.folder]).toEqual([uid, title, 'LGTM Stack']);
    const json = rendered(d);
    expect(checkDashboard(json, DATASOURCES)).toEqual([]);
    const qs = queries(json);
    expect(qs.length).toBeGreaterThan(6);
    for (const q of qs) expect([q.where, q.expr.includes(`job="${job}"`)]).toEqual([q.where, true]);
    const unknown = qs.flatMap((q) => metricNamesOf(substituteVariables(q.expr).text)).filter((m) => sourcesOfMetric(m).length === 0);
    expect(unknown).toEqual([]);
  });

  test('the job is a prop', () => {
    const d = new PyroscopeDashboard(Testing.chart(), 'P', { job: 'profiles' });
    expect(queries(rendered(d)).every((q) => q.expr.includes('job="profiles"'))).toBe(true);
    expect(() => new OtelCollectorDashboard(Testing.chart(), 'C', { job: ' ' })).toThrow(/'job' is empty/);
  });
});

describe('StackDashboards.components', () => {
  function app() {
    const a = new App();
    new PrometheusOperatorCrds(new Chart(a, 'crds'), 'Crds');
    const c = new Chart(a, 'mon', { namespace: 'monitoring' });
    const prometheus = new Prometheus(c, 'Prometheus', { namespace: 'monitoring' });
    const grafana = new Grafana(c, 'Grafana', { namespace: 'monitoring', adminSecret: ADMIN });
    grafana.addDatasource(prometheus);
    return { a, c, prometheus, grafana };
  }

  test('a dashboard per component, on the job of its Service; they pass the synth check where the component is scraped', () => {
    const { a, c, grafana } = app();
    const operator = new PrometheusOperator(c, 'Operator', { namespace: 'monitoring' });
    const pyroscope = new Pyroscope(c, 'Pyroscope', { namespace: 'monitoring', name: 'profiles' });
    const otel = new OtelCollector(c, 'Otel', { namespace: 'monitoring' });
    const tempo = new Tempo(c, 'Tempo', { namespace: 'monitoring' });
    // StackDashboards' own four need Alertmanager, Loki and AlloyLogs: build it in another app
    const set = new StackDashboards(Testing.chart(), 'Stack', { components: [grafana, operator, pyroscope, otel, tempo] });
    expect(set.componentDashboards.map((d) => d.uid)).toEqual(['lgtm-grafana', 'lgtm-prometheus-operator', 'lgtm-pyroscope', 'lgtm-otel-collector', 'lgtm-tempo']);
    expect(set.all).toHaveLength(9);
    const jobs = set.componentDashboards.map((d) => /job="([^"]+)"/.exec(queries(rendered(d))[0].expr)![1]);
    expect(jobs).toEqual(['grafana', 'prometheus-operator', 'profiles', 'otel-collector', 'tempo']);
    for (const d of [new GrafanaServerDashboard(c, 'G'), new PrometheusOperatorDashboard(c, 'O'), new PyroscopeDashboard(c, 'P', { job: 'profiles' }), new OtelCollectorDashboard(c, 'C')]) grafana.addDashboard(d);
    // synthesises (the provenance check passes); the jobs are the Services the ServiceMonitors select
    const objs = synthApp(a);
    for (const svc of jobs) {
      expect(find(objs, 'Service', svc, 'monitoring')).toBeDefined();
      expect(objs.some((o) => o.kind === 'ServiceMonitor' && o.metadata.namespace === 'monitoring' && !o.spec.jobLabel
        && Object.entries(o.spec.selector.matchLabels ?? {}).every(([k, v]) => find(objs, 'Service', svc, 'monitoring').metadata.labels?.[k] === v))).toBe(true);
    }
  });

  test('a component dashboard without its scraped component fails the synth, naming the construct to add', () => {
    const { a, c, grafana } = app();
    const operator = new PrometheusOperator(c, 'Operator', { namespace: 'monitoring', serviceMonitor: false });
    for (const d of new StackDashboards(c, 'Stack', { components: [operator] }).componentDashboards) grafana.addDashboard(d);
    expect(() => a.synth()).toThrow(/\[mon\/Stack\/PrometheusOperator\] panel "Rejected resources" target A queries prometheus_operator_managed_resources, which no scraped target in the app produces: the panel stays empty\.[\s\S]*Fix: add PrometheusOperator \(with its ServiceMonitor, the default\) to the app, or remove the pack/);
  });

  test('bad input: a construct without a dashboard, or the same kind twice', () => {
    const { c, grafana, prometheus } = app();
    expect(() => new StackDashboards(c, 'S1', { components: [prometheus] }))
      .toThrow(/\[mon\/S1\] 'components' holds a construct StackDashboards has no dashboard for\. Received: mon\/Prometheus \(app\.kubernetes\.io\/name "prometheus"\); expected: a component with a Service and a ServiceMonitor: Grafana, PrometheusOperator, Tempo, Pyroscope, OtelCollector\. Fix: /);
    expect(() => new StackDashboards(c, 'S2', { components: [c] })).toThrow(/has no dashboard for\. Received: mon \(app\.kubernetes\.io\/name undefined\)/);
    const second = new Grafana(c, 'Grafana2', { namespace: 'monitoring', name: 'grafana-two', adminSecret: ADMIN });
    expect(() => new StackDashboards(c, 'S3', { components: [grafana, second] }))
      .toThrow(/'components' holds a second Grafana: its dashboard uid would repeat\. Received: mon\/Grafana2; expected: at most one Grafana\. Fix: add the dashboard of the second one yourself, with its own uid and job: new GrafanaServerDashboard/);
  });
});

describe('cluster events as annotations on the Kubernetes dashboards', () => {
  test('off by default: only the built-in annotation', () => {
    for (const d of new KubernetesDashboards(Testing.chart(), 'K').all) expect(rendered(d).annotations.list).toHaveLength(1);
  });

  test('a Loki annotation per dashboard whose LogQL parses, on the dashboard variables; the datasource resolves', () => {
    const set = new KubernetesDashboards(Testing.chart(), 'K', { clusterEvents: {} });
    const byUid: Record<string, string> = {};
    for (const d of set.all) {
      const json = rendered(d);
      expect(checkDashboard(json, DATASOURCES).filter((e) => !e.includes('"${datasource}"'))).toEqual([]);
      const a = json.annotations.list[1];
      expect(a).toMatchObject({ name: 'Kubernetes events', datasource: { type: 'loki', uid: 'loki' }, enable: true, tagKeys: 'kind,reason' });
      byUid[d.uid] = a.target.expr;
    }
    expect(byUid).toEqual({
      'k8s-compute-cluster': '{job="integrations/kubernetes/eventhandler", namespace=~"$namespace"} |= "type=Warning"',
      'k8s-compute-namespace': '{job="integrations/kubernetes/eventhandler", namespace=~"$namespace", kind="Pod", name=~"$pod"} |= "type=Warning"',
      'k8s-compute-pod': '{job="integrations/kubernetes/eventhandler", namespace=~"$namespace", kind="Pod", name=~"$pod"} |= "type=Warning"',
      'k8s-compute-workload': '{job="integrations/kubernetes/eventhandler", namespace=~"$namespace", name=~"$workload|$pod"} |= "type=Warning"',
      'node-exporter-nodes': '{job="integrations/kubernetes/eventhandler", kind="Node", name=~"$instance"} |= "type=Warning"',
    });
  });

  test('datasource uid, job and Normal events are options; an unknown datasource fails at render', () => {
    const d = new KubernetesDashboards(Testing.chart(), 'K', { clusterEvents: { logsDatasourceUid: 'loki', jobName: 'events', includeNormalEvents: true } }).cluster;
    expect(rendered(d).annotations.list[1].target.expr).toBe('{job="events", namespace=~"$namespace"}');
    const bad = new KubernetesDashboards(Testing.chart(), 'K', { clusterEvents: { logsDatasourceUid: 'logs' } }).pod;
    expect(() => bad.renderJson(DATASOURCES)).toThrow(/annotations\.list\[1\] \("Kubernetes events"\) references an unknown datasource: the Grafana has no datasource with uid "logs"/);
  });

  test('the selectors use only labels the Alloy cluster-events pipeline writes, with its job', () => {
    const a = new App();
    const c = new Chart(a, 'stack');
    new PrometheusOperatorCrds(c, 'Crds');
    const prometheus = new Prometheus(c, 'Prometheus', { namespace: 'monitoring' });
    const loki = new Loki(c, 'Loki', { namespace: 'monitoring' });
    new AlloyCollector(c, 'Alloy', { namespace: 'monitoring', metricsTarget: prometheus, logsBackend: loki, clusterEvents: { jobName: 'k8s-events' } });
    const cfg = parseAlloy(find(synthApp(a), 'ConfigMap', 'alloy-collector', 'monitoring').data['config.alloy']);
    const source = cfg.find((b) => b.name === 'loki.source.kubernetes_events')!;
    const job = (source.attrs.find((x) => x.name === 'job_name')!.value as any).v;
    const stage = cfg.find((b) => b.name === 'loki.process' && b.label === 'cluster_events')!.blocks.find((b) => b.name === 'stage.labels')!;
    // loki.source.kubernetes_events sets job, namespace and instance (event_controller.go of Alloy v1.18.1)
    const written = new Set(['job', 'namespace', 'instance', ...(stage.attrs[0].value as any).v.map((kv: any) => kv[0])]);
    for (const d of new KubernetesDashboards(Testing.chart(), 'K', { clusterEvents: { jobName: job } }).all) {
      const expr: string = rendered(d).annotations.list[1].target.expr;
      const matchers = [...expr.slice(1, expr.indexOf('}')).matchAll(/([a-z_]+)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)];
      expect(matchers.length).toBeGreaterThan(1);
      for (const [, label] of matchers) expect([d.uid, label, written.has(label)]).toEqual([d.uid, label, true]);
      expect(matchers.find((m) => m[1] === 'job')![3]).toBe('k8s-events');
    }
  });

  test('a variable an annotation uses must be defined', () => {
    const json = {
      uid: 'events',
      title: 'Events',
      panels: [],
      templating: { list: [] },
      annotations: { list: [{ name: 'Events', datasource: { type: 'loki' }, target: { refId: 'Anno', expr: '{namespace=~"$ns"}' } }] },
    };
    expect(() => new GrafanaDashboard(Testing.chart(), 'D', { json }))
      .toThrow(/dashboard "events" annotations\.list\[0\] \("Events"\) target uses the variable \$ns, which the dashboard does not define/);
  });
});
