/**
 * Every metric source the library knows, the constructs that make a source produced in an app, and the
 * construct to add when it is missing. The name lists are data (`*.generated.ts`, from upstream source at
 * the pinned versions by `scripts/gen-provenance.py`; `grafana.ts`, `beyla.ts`, `seaweedfs.ts`, `promtail.ts`,
 * `kepler.ts`, `opencost.ts` and `oncall.ts` kept by hand).
 */
import { ALERTMANAGER } from './alertmanager.generated';
import { ALLOY } from './alloy.generated';
import { BEYLA } from './beyla';
import { BLACKBOX_EXPORTER } from './blackbox-exporter.generated';
import { BLACKBOX_PROBES } from './blackbox-probes.generated';
import { CADVISOR } from './cadvisor.generated';
import { GO_RUNTIME } from './go-runtime.generated';
import { GRAFANA } from './grafana';
import { KEPLER } from './kepler';
import { KUBE_STATE_METRICS } from './kube-state-metrics.generated';
import { KUBELET_PROBES } from './kubelet-probes.generated';
import { KUBELET } from './kubelet.generated';
import { LOKI } from './loki.generated';
import { MIMIR } from './mimir';
import { NODE_EXPORTER } from './node-exporter.generated';
import { ONCALL } from './oncall';
import { OPENCOST } from './opencost';
import { OTEL_COLLECTOR } from './otel-collector.generated';
import { PROMETHEUS_OPERATOR } from './prometheus-operator.generated';
import { PROMETHEUS } from './prometheus.generated';
import { PROMTAIL } from './promtail';
import { PYROSCOPE } from './pyroscope.generated';
import { SEAWEEDFS } from './seaweedfs';
import { TEMPO } from './tempo.generated';
import { MetricSourceData } from './types';

/**
 * Series every Prometheus writes for each target and for its alerts (documented in "Jobs and instances"
 * and "Alerting rules" of the Prometheus 3.13 docs).
 */
export const PROMETHEUS_SYNTHETIC: MetricSourceData = {
  id: 'prometheus-synthetic',
  version: '3.13.2',
  url: 'https://prometheus.io/docs/concepts/jobs_instances/#automatically-generated-labels-and-time-series',
  method: 'kept by hand: the series Prometheus generates per scrape and per alerting rule',
  metrics: ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'ALERTS', 'ALERTS_FOR_STATE'],
};

/**
 * Series the generated lists miss because they are registered outside the folders the generator reads,
 * kept by hand with their source:
 * - kubelet: component-base's `rest_client_*` and `kubernetes_build_info` (k8s.io/component-base/metrics
 *   at v1.37.2, registered by every Kubernetes binary) and the certificate manager's TTL gauge
 *   (pkg/kubelet/certificate at v1.37.2);
 * - kube-state-metrics: the telemetry port's own series (kube-state-metrics v2.19.1 docs, "Telemetry").
 */
const KUBELET_WITH_COMPONENT_BASE: MetricSourceData = {
  ...KUBELET,
  method: `${KUBELET.method}; plus, by hand, component-base's rest_client_* and kubernetes_build_info and pkg/kubelet/certificate's TTL gauge`,
  metrics: [...KUBELET.metrics, 'rest_client_requests_total', 'rest_client_request_duration_seconds_bucket',
    'rest_client_request_duration_seconds_sum', 'rest_client_request_duration_seconds_count', 'kubernetes_build_info',
    'kubelet_certificate_manager_client_ttl_seconds'],
};
const KUBE_STATE_METRICS_WITH_TELEMETRY: MetricSourceData = {
  ...KUBE_STATE_METRICS,
  method: `${KUBE_STATE_METRICS.method}; plus, by hand, the telemetry port's series`,
  metrics: [...KUBE_STATE_METRICS.metrics, 'kube_state_metrics_list_total', 'kube_state_metrics_watch_total',
    'kube_state_metrics_shard_ordinal', 'kube_state_metrics_total_shards'],
};

/** Every list, by id. */
export const METRIC_SOURCES: MetricSourceData[] = [
  KUBE_STATE_METRICS_WITH_TELEMETRY, NODE_EXPORTER, CADVISOR, KUBELET_WITH_COMPONENT_BASE, KUBELET_PROBES,
  PROMETHEUS, PROMETHEUS_SYNTHETIC, ALERTMANAGER,
  PROMETHEUS_OPERATOR, LOKI, ALLOY, GRAFANA, TEMPO, PYROSCOPE, OTEL_COLLECTOR, BEYLA, GO_RUNTIME, MIMIR,
  BLACKBOX_EXPORTER, BLACKBOX_PROBES, ONCALL, SEAWEEDFS, PROMTAIL, KEPLER, OPENCOST,
];

/** The construct that brings each source into an app (the fix of a finding). */
export const SOURCE_CONSTRUCTS: { [id: string]: string } = {
  'kube-state-metrics': 'KubeStateMetrics',
  'node-exporter': 'NodeExporter',
  'cadvisor': 'KubeletMonitor (with cadvisor: true, the default)',
  'kubelet': 'KubeletMonitor',
  'kubelet-probes': 'KubeletMonitor (with probes: true, the default)',
  'prometheus': 'Prometheus (with its ServiceMonitor, the default)',
  'prometheus-synthetic': 'Prometheus',
  'alertmanager': 'Alertmanager (with its ServiceMonitor, the default)',
  'prometheus-operator': 'PrometheusOperator (with its ServiceMonitor, the default)',
  'loki': 'Loki (with its ServiceMonitor, the default)',
  'alloy': 'AlloyLogs or AlloyCollector (with its ServiceMonitor, the default)',
  'grafana': 'Grafana (with its ServiceMonitor, the default)',
  'tempo': 'Tempo (with its ServiceMonitor, the default)',
  'mimir': 'Mimir (with its ServiceMonitor, the default)',
  'pyroscope': 'Pyroscope (with its ServiceMonitor, the default)',
  'otel-collector': 'OtelCollector (with its ServiceMonitor, the default)',
  'beyla': 'Beyla (its metrics reach Prometheus through the collector it sends to)',
  'go-runtime': 'any scraped Go component (Prometheus, Loki, ...)',
  'blackbox-exporter': 'BlackboxExporter (with its ServiceMonitor, the default)',
  'blackbox-probes': 'Probe (pointing at a BlackboxExporter)',
  'oncall': 'GrafanaOnCall (with its ServiceMonitor, the default)',
  'seaweedfs': 'SeaweedFs (with its ServiceMonitor, the default)',
  'promtail': 'Promtail (with its ServiceMonitor, the default)',
  'kepler': 'Kepler (with its ServiceMonitor, the default)',
  'opencost': 'OpenCost (with its ServiceMonitor, the default)',
};

/**
 * Component classes (by class name, so that the check imports none of them) and the sources they
 * produce when they are scraped (have a ServiceMonitor). Go components also produce `go-runtime`.
 */
export const COMPONENT_SOURCES: { [className: string]: string[] } = {
  KubeStateMetrics: ['kube-state-metrics', 'go-runtime'],
  NodeExporter: ['node-exporter', 'go-runtime'],
  Prometheus: ['prometheus', 'go-runtime'],
  Alertmanager: ['alertmanager', 'go-runtime'],
  PrometheusOperator: ['prometheus-operator', 'go-runtime'],
  Loki: ['loki', 'go-runtime'],
  AlloyLogs: ['alloy', 'go-runtime'],
  AlloyCollector: ['alloy', 'go-runtime'],
  Grafana: ['grafana', 'go-runtime'],
  Tempo: ['tempo', 'go-runtime'],
  Mimir: ['mimir', 'go-runtime'],
  Pyroscope: ['pyroscope', 'go-runtime'],
  OtelCollector: ['otel-collector', 'go-runtime'],
  BlackboxExporter: ['blackbox-exporter', 'go-runtime'],
  GrafanaOnCall: ['oncall'],
  SeaweedFs: ['seaweedfs', 'go-runtime'],
  Promtail: ['promtail', 'go-runtime'],
  Kepler: ['kepler'],
  OpenCost: ['opencost'],
};

/** Sources that count as produced whenever such a construct is in the app (no ServiceMonitor of its own). */
export const UNSCRAPED_COMPONENT_SOURCES: { [className: string]: string[] } = {
  Beyla: ['beyla'],
  // the series of a /probe scrape: produced by each Probe (selected like a monitor: app-checks.ts)
  Probe: ['blackbox-probes'],
};

let byName: Map<string, MetricSourceData[]> | undefined;

/** The sources that list `metric`. */
export function sourcesOfMetric(metric: string): MetricSourceData[] {
  if (!byName) {
    byName = new Map();
    for (const s of METRIC_SOURCES) {
      for (const m of s.metrics) {
        const list = byName.get(m);
        if (list) list.push(s); else byName.set(m, [s]);
      }
    }
  }
  return byName.get(metric) ?? [];
}

/** The source with this id. */
export function metricSource(id: string): MetricSourceData | undefined {
  return METRIC_SOURCES.find((s) => s.id === id);
}
