import { Construct } from 'constructs';
import { GrafanaDashboard } from './grafana-dashboard';
import { dsRef, finish, labelValuesVariable, logsPanel, newDashboard, quote, requireMetricName, row, statPanel, timeseriesPanel } from './sdk';
import { DatasourceKind } from '../core/interfaces';
import { declareMetricPack } from '../core/provenance/registry';
import { validateSharedPropsAt } from '../core/validation';

/** Datasource choice and identity options shared by the shipped dashboards. */
export interface ShippedDashboardOptions {
  /**
   * Stable dashboard UID (1-40 characters from `[a-zA-Z0-9_-]`).
   * @default - a fixed uid per dashboard (e.g. 'platform-overview')
   */
  readonly uid?: string;
  /**
   * Title.
   * @default - a fixed title per dashboard
   */
  readonly title?: string;
  /**
   * Folder the dashboard is provisioned into.
   * @default - 'Platform' for the overview, 'Services' for golden signals, 'LGTM Stack' for self-monitoring
   */
  readonly folder?: string;
  /**
   * UID of the Prometheus-type datasource (Prometheus or Mimir) the metric panels query.
   * @default - the Grafana's only Prometheus-type datasource (rendering fails when it has several)
   */
  readonly metricsDatasourceUid?: string;
}

/** Properties for `PlatformOverviewDashboard`. */
export interface PlatformOverviewDashboardProps extends ShippedDashboardOptions {
  /**
   * Request counter (labels: `path`, `status`, as the frontend service emits them).
   * @default 'frontend_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Request-duration histogram buckets.
   * @default 'frontend_request_duration_seconds_bucket'
   */
  readonly latencyBucketMetric?: string;
  /**
   * Label of the request counter holding the HTTP status code.
   * @default 'status'
   */
  readonly statusLabel?: string;
  /**
   * Label of the request counter holding the route or path.
   * @default 'path'
   */
  readonly pathLabel?: string;
  /**
   * Namespace selected when the dashboard opens (the `namespace` variable stays multi-select).
   * @default 'dev'
   */
  readonly defaultNamespace?: string;
  /**
   * UID of the Loki datasource of the "Recent errors" panel.
   * @default - the Grafana's only Loki datasource
   */
  readonly logsDatasourceUid?: string;
  /**
   * LogQL query of the "Recent errors" panel. `$namespace` is the dashboard's namespace variable.
   * @default '{namespace=~"$namespace"} |~ "(?i)error"'
   */
  readonly errorLogsQuery?: string;
}

/**
 * "Platform Overview": request rate by path, error rate % (green/yellow/red at 1 % and
 * 5 %), p99 latency, pods ready, memory by pod, and recent error logs, for the namespaces picked in the
 * `namespace` variable. Built with the Grafana Foundation SDK.
 *
 * Changes from the usual hand-made queries: rates use `$__rate_interval` (never shorter than four scrape
 * intervals); the error ratio is a percentage and reads 0 rather than "No data" before the first 5xx
 * (`or vector(0)`); p99 aggregates buckets by `le` first (a query per series computes one quantile per
 * series); memory excludes the pod-level cgroup and pause-container series (`container!=""`), which a plain
 * sum double counts; pods ready shows ready/total instead of one series per pod.
 */
export class PlatformOverviewDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: PlatformOverviewDashboardProps = {}) {
    validateSharedPropsAt(scope, id, 'PlatformOverviewDashboardProps', props);
    super(scope, id, {
      uid: props.uid ?? 'platform-overview',
      title: props.title ?? 'Platform Overview',
      folder: props.folder ?? 'Platform',
      json: buildPlatformOverview(props),
    });
    requireMetricName(this, 'requestsMetric', props.requestsMetric ?? 'frontend_requests_total');
    requireMetricName(this, 'latencyBucketMetric', props.latencyBucketMetric ?? 'frontend_request_duration_seconds_bucket');
    declareMetricPack(this);
  }
}

function buildPlatformOverview(p: PlatformOverviewDashboardProps): { [key: string]: any } {
  const prom = dsRef(DatasourceKind.PROMETHEUS, p.metricsDatasourceUid);
  const lokiDs = dsRef(DatasourceKind.LOKI, p.logsDatasourceUid);
  const requests = p.requestsMetric ?? 'frontend_requests_total';
  const buckets = p.latencyBucketMetric ?? 'frontend_request_duration_seconds_bucket';
  const status = p.statusLabel ?? 'status';
  const path = p.pathLabel ?? 'path';
  const ns = 'namespace=~"$namespace"';
  const rate = (metric: string, extra = '') => `rate(${metric}{${ns}${extra}}[$__rate_interval])`;

  const b = newDashboard(p.title ?? 'Platform Overview', p.uid ?? 'platform-overview', ['platform'],
    'Request rate, errors, latency, pod health, memory and error logs of the platform services.')
    .withVariable(labelValuesVariable(prom, 'namespace', 'namespace', requests, p.defaultNamespace ?? 'dev'))
    .withRow(row('Traffic'))
    .withPanel(timeseriesPanel(prom, {
      title: 'Requests per second by path',
      unit: 'reqps',
      min: 0,
      queries: [{ expr: `sum by (${path}) (${rate(requests)})`, legend: `{{${path}}}` }],
    }))
    .withPanel(statPanel(prom, {
      title: 'Error rate %',
      description: `Share of requests answered with a 5xx status (label ${quote(status)}). Green below 1 %, yellow from 1 %, red from 5 %.`,
      unit: 'percent',
      decimals: 2,
      width: 6,
      height: 8,
      thresholds: [{ color: 'green' }, { value: 1, color: 'yellow' }, { value: 5, color: 'red' }],
      queries: [{
        expr: `100 * (sum(${rate(requests, `, ${status}=~"5.."`)}) or vector(0)) / sum(${rate(requests)})`,
        legend: 'errors %',
      }],
    }))
    .withPanel(statPanel(prom, {
      title: 'Pods ready',
      description: 'Ready pods / all pods in the selected namespaces (kube-state-metrics).',
      unit: 'short',
      width: 6,
      height: 8,
      thresholds: [{ color: 'green' }],
      queries: [
        { expr: `sum(kube_pod_status_ready{${ns}, condition="true"})`, legend: 'ready', instant: true },
        { expr: `count(kube_pod_status_ready{${ns}, condition="true"})`, legend: 'total', instant: true },
      ],
    }))
    .withRow(row('Latency and resources'))
    .withPanel(timeseriesPanel(prom, {
      title: 'p99 latency',
      unit: 's',
      min: 0,
      queries: [
        { expr: `histogram_quantile(0.99, sum by (le) (${rate(buckets)}))`, legend: 'p99' },
        { expr: `histogram_quantile(0.99, sum by (le, ${path}) (${rate(buckets)}))`, legend: `p99 {{${path}}}` },
      ],
    }))
    .withPanel(timeseriesPanel(prom, {
      title: 'Memory usage by pod',
      description: 'Working set (what the kubelet evicts on), containers only.',
      unit: 'bytes',
      min: 0,
      queries: [{
        expr: `sum by (pod) (container_memory_working_set_bytes{${ns}, container!="", image!=""})`,
        legend: '{{pod}}',
      }],
    }))
    .withRow(row('Logs'))
    .withPanel(logsPanel(lokiDs, {
      title: 'Recent errors',
      description: 'Log lines containing "error" (any case) in the selected namespaces.',
      expr: p.errorLogsQuery ?? '{namespace=~"$namespace"} |~ "(?i)error"',
    }));
  return finish(b);
}
