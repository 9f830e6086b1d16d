import { Chart, Testing } from 'cdk8s';
import { RENDERED_APPS } from '../../examples/apps';
import {
  GoldenSignalsRules, GrafanaDashboard, KubeletMonitor, KubernetesWorkloadRules, KubeStateMetrics, PodMonitor, Prometheus,
  PrometheusRule, ServiceMonitor, StackDashboards,
} from '../../src';
import { resolveAll } from '../../src/core/app-checks';
import { metricProvenanceFindings, metricSourceCounts } from '../../src/core/provenance/check';
import { metricNamesOf } from '../../src/core/provenance/metric-names';
import { METRIC_SOURCES, sourcesOfMetric } from '../../src/core/provenance/sources';
import { KEPLER_DASHBOARD_METRICS } from '../../src/kepler/metrics';
import { OPENCOST_DASHBOARD_METRICS } from '../../src/opencost/metrics';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function findings(app: ReturnType<typeof Testing.app>) {
  return metricProvenanceFindings(app.node.findAll(), resolveAll(app).objects);
}

function stack() {
  const app = Testing.app();
  const chart = new Chart(app, 'mon', { namespace: 'monitoring' });
  new Prometheus(chart, 'Prometheus', { namespace: 'monitoring' });
  return { app, chart };
}

describe('metric lists', () => {
  test('every source has a version, an upstream url, a method and valid names', () => {
    for (const s of METRIC_SOURCES) {
      expect(s.version).toMatch(/\d/);
      expect(s.url).toMatch(/^https:\/\//);
      expect(s.method.length).toBeGreaterThan(10);
      expect(s.metrics.length).toBeGreaterThan(0);
      expect(s.metrics.filter((m) => !NAME.test(m))).toEqual([]);
      expect(new Set(s.metrics).size).toBe(s.metrics.length);
    }
  });

  test('the lists hold what the pinned versions expose (spot checks against the upstream source)', () => {
    const has = (id: string, m: string) => expect(sourcesOfMetric(m).map((s) => s.id)).toContain(id);
    has('kube-state-metrics', 'kube_pod_status_ready');
    has('kube-state-metrics', 'kube_pod_container_resource_requests');
    has('node-exporter', 'node_cpu_seconds_total');
    has('node-exporter', 'node_filesystem_avail_bytes');
    has('node-exporter', 'node_memory_MemAvailable_bytes');
    has('cadvisor', 'container_cpu_usage_seconds_total');
    has('cadvisor', 'container_memory_working_set_bytes');
    has('kubelet', 'kubelet_volume_stats_available_bytes');
    has('kubelet-probes', 'prober_probe_total');
    has('prometheus', 'prometheus_tsdb_head_series');
    has('prometheus', 'prometheus_http_request_duration_seconds_bucket'); // histograms expand
    has('alertmanager', 'alertmanager_notifications_failed_total');
    has('prometheus-operator', 'prometheus_operator_reconcile_errors_total');
    has('loki', 'loki_request_duration_seconds_count');
    has('alloy', 'loki_write_sent_entries_total');
    has('tempo', 'tempodb_compaction_errors_total');
    has('otel-collector', 'otelcol_exporter_send_failed_spans_total');
    has('go-runtime', 'process_resident_memory_bytes');
    has('kepler', 'kepler_pod_cpu_watts');
    has('kepler', 'kepler_node_cpu_joules_total');
    has('opencost', 'node_total_hourly_cost');
    has('opencost', 'container_memory_allocation_bytes');
    expect(sourcesOfMetric('kube_pod_nodeselectors')).toEqual([]); // opt-in in kube-state-metrics: left out
    const counts = metricSourceCounts();
    expect(counts['kube-state-metrics']).toBeGreaterThan(250);
    expect(counts['node-exporter']).toBeGreaterThan(1000);
  });

  test('metricNamesOf reads selectors, ranges and __name__ matchers, not functions or labels', () => {
    expect(metricNamesOf('sum by (pod) (rate(a_total{job="x"}[5m])) / on (pod) b + max_over_time(c[1h:5m])')).toEqual(['a_total', 'b', 'c']);
    expect(metricNamesOf('{__name__="up", job="x"} == 0')).toEqual(['up']);
    expect(metricNamesOf('{__name__=~"up|x"}')).toEqual([]);
    expect(metricNamesOf('vector(1)')).toEqual([]);
  });
});

test('every metric the Kepler and OpenCost dashboards read is in the provenance list of its source (collection features)', () => {
  const listed = (id: string) => new Set(METRIC_SOURCES.find((x) => x.id === id)!.metrics);
  const unlisted = (id: string, names: string[]) => names.filter((m) => !listed(id).has(m));
  expect(unlisted('kepler', KEPLER_DASHBOARD_METRICS.kepler)).toEqual([]);
  expect(unlisted('opencost', OPENCOST_DASHBOARD_METRICS.opencost)).toEqual([]);
  expect(unlisted('kube-state-metrics', OPENCOST_DASHBOARD_METRICS.kubeStateMetrics)).toEqual([]);
});

describe('the check', () => {
  test('a rule pack in an app without its source fails the synth, naming the construct to add', () => {
    const { app, chart } = stack();
    new KubernetesWorkloadRules(chart, 'WorkloadRules');
    expect(() => app.synth()).toThrow(
      /\[mon\/WorkloadRules\] alert "PodNotReady" of group "kubernetes-workloads" queries kube_pod_status_ready, which no scraped target in the app produces: the rule never sees a series \(an alert on it can never fire\)\. Received: the query "[\s\S]*kube_pod_status_ready[\s\S]*"; expected: a scraped target that exposes kube_pod_status_ready: kube-state-metrics v2\.19\.1 \(https:\/\/github\.com\/kubernetes\/kube-state-metrics[^)]*\)\. Fix: add KubeStateMetrics to the app, or remove the pack/,
    );
    expect(() => app.synth()).toThrow(/queries container_memory_working_set_bytes[\s\S]*Fix: add KubeletMonitor \(with cadvisor: true, the default\) to the app/);
  });

  test('with its sources the pack passes', () => {
    const { app, chart } = stack();
    new KubernetesWorkloadRules(chart, 'WorkloadRules');
    new KubeStateMetrics(chart, 'KubeStateMetrics');
    new KubeletMonitor(chart, 'Kubelet');
    expect(findings(app)).toEqual([]);
  });

  test('a source without its ServiceMonitor does not count', () => {
    const { app, chart } = stack();
    new KubernetesWorkloadRules(chart, 'WorkloadRules');
    new KubeStateMetrics(chart, 'KubeStateMetrics', { serviceMonitor: false });
    new KubeletMonitor(chart, 'Kubelet', { cadvisor: false });
    const f = findings(app);
    const metrics = f.map((x) => x.metric);
    // every finding is a kube-state-metrics or cAdvisor series (the two sources without their monitor)
    expect(metrics.filter((m) => !/^(kube_|container_)/.test(m))).toEqual([]);
    expect(metrics).toEqual(expect.arrayContaining(['container_memory_working_set_bytes', 'kube_pod_container_resource_limits', 'kube_pod_container_status_waiting_reason', 'kube_pod_status_phase', 'kube_pod_status_ready']));
    expect(f.every((x) => x.pack)).toBe(true);
  });

  test("a user's rule on an unscraped metric is a warning with the five parts, kept as metadata", () => {
    const { app, chart } = stack();
    new PrometheusRule(chart, 'Mine').addGroup({ name: 'mine' }).addAlert({ alert: 'QueueDeep', expr: 'max(app_queue_depth) > 100', severity: 'warning' as any, summary: 's' });
    const f = findings(app);
    expect(f).toHaveLength(1);
    expect(f[0].pack).toBe(false);
    expect(f[0].details.problem).toBe('[mon/Mine] alert "QueueDeep" of group "mine" queries app_queue_depth, which no scraped target in the app produces and no known exporter lists: the rule never sees a series (an alert on it can never fire)');
    expect(f[0].details.received).toBe('the query "max(app_queue_depth) > 100"');
    expect(f[0].details.fix).toMatch(/^declare it on the monitor of the application that exposes it \(metrics: \['app_queue_depth'\]\)/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).not.toThrow();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[WARNING\] mon\/Mine: alert "QueueDeep"[\s\S]*Fix: declare it/));
    } finally {
      warn.mockRestore();
    }
    expect(chart.node.findChild('Mine').node.metadata.some((m) => m.type === 'cdk8s-lgtm:warning')).toBe(true);
  });

  test('a known metric in a user rule names the construct to add', () => {
    const { app, chart } = stack();
    new PrometheusRule(chart, 'Mine').addGroup({ name: 'nodes' }).addAlert({ alert: 'NodeDown', expr: 'absent(node_uname_info)', severity: 'warning' as any, summary: 's' });
    const [f] = findings(app);
    expect(f.details.fix).toBe("add NodeExporter to the app, or declare the metric on the monitor that scrapes it (metrics: ['node_uname_info'])");
  });

  test("metrics declared on a user's ServiceMonitor or PodMonitor, recording rules and a golden-signals pack count as produced", () => {
    const { app, chart } = stack();
    new ServiceMonitor(chart, 'Web', { selector: { app: 'web' }, endpoints: [{ port: 'http' }], metrics: ['app_queue_depth'] });
    new PodMonitor(chart, 'Worker', { selector: { app: 'worker' }, endpoints: [{ port: 'metrics' }], metrics: ['worker_jobs_total'] });
    new GoldenSignalsRules(chart, 'Golden', { serviceName: 'web', requestsMetric: 'web_requests_total', latencyBucketMetric: 'web_duration_seconds_bucket' });
    const g = new PrometheusRule(chart, 'Mine').addGroup({ name: 'mine' });
    g.addRecord({ record: 'job:worker_jobs:rate5m', expr: 'sum by (job) (rate(worker_jobs_total[5m]))' });
    g.addAlert({ alert: 'QueueDeep', expr: 'max(app_queue_depth) > 100 and job:worker_jobs:rate5m < 1', severity: 'warning' as any, summary: 's' });
    g.addAlert({ alert: 'Slow', expr: 'histogram_quantile(0.99, sum by (le) (rate(web_duration_seconds_bucket[5m]))) > 1 or rate(web_duration_seconds_count[5m]) < 0', severity: 'warning' as any, summary: 's' });
    expect(findings(app)).toEqual([]);
  });

  test('a metric name that is not a name fails at construction', () => {
    const { chart } = stack();
    expect(() => new ServiceMonitor(chart, 'Web', { selector: { app: 'web' }, endpoints: [{ port: 'http' }], metrics: ['http-requests'] }))
      .toThrow(/metrics\[0\] is not a Prometheus metric name\. Received: "http-requests"; expected: a name matching/);
  });

  test('an app without a Prometheus is not checked (its rules are loaded elsewhere)', () => {
    const app = Testing.app();
    new KubernetesWorkloadRules(new Chart(app, 'rules'), 'WorkloadRules');
    expect(findings(app)).toEqual([]);
  });

  test("a user's dashboard on an unscraped metric warns; a shipped dashboard without its source fails", () => {
    const { app, chart } = stack();
    GrafanaDashboard.fromJson(chart, 'Mine', {
      json: {
        uid: 'mine',
        title: 'Mine',
        templating: { list: [{ type: 'datasource', name: 'ds', query: 'prometheus' }, { type: 'query', name: 'job', datasource: { uid: '${ds}' }, query: 'label_values(app_info, job)' }] },
        panels: [{ title: 'Q', type: 'timeseries', datasource: { uid: '${ds}' }, targets: [{ refId: 'A', expr: 'sum(rate(app_errors_total{job="$job"}[$__rate_interval]))' }] },
          { title: 'Logs', type: 'logs', datasource: { type: 'loki' }, targets: [{ refId: 'A', expr: '{job="x"}' }] }],
      },
    });
    const mine = findings(app);
    expect(mine.map((f) => [f.metric, f.pack])).toEqual([['app_info', false], ['app_errors_total', false]]);
    expect(mine[0].details.problem).toMatch(/^\[mon\/Mine\] variable "job" queries app_info/);
    expect(mine[1].details.problem).toMatch(/^\[mon\/Mine\] panel "Q" target A queries app_errors_total/);
    new StackDashboards(chart, 'Stack');
    const shipped = findings(app).filter((f) => f.pack);
    expect(shipped.map((f) => f.metric)).toContain('loki_request_duration_seconds_count');
    expect(shipped.find((f) => f.metric === 'loki_request_duration_seconds_count')!.details.fix).toBe('add Loki (with its ServiceMonitor, the default) to the app, or remove the pack');
  });
});

describe('dist/', () => {
  test.each(RENDERED_APPS.map((a) => [a.name, a] as const))('every rule and dashboard of %s has a source in its app', (_name, a) => {
    const app = Testing.app();
    a.build(app);
    expect(findings(app).map((f) => f.details.problem)).toEqual([]);
  });
});
