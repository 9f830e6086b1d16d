import { Construct, IConstruct } from 'constructs';
import { GrafanaDashboard } from './grafana-dashboard';
import { ShippedDashboardOptions } from './platform-overview';
import { PromQuery, Step, dsRef, finish, newDashboard, quote, row, statPanel, timeseriesPanel } from './sdk';
import { fail, show } from '../core/errors';
import { DatasourceKind } from '../core/interfaces';
import { declareMetricPack } from '../core/provenance/registry';
import { validateSharedProps, validateSharedPropsAt } from '../core/validation';

/** Properties of a self-monitoring dashboard. */
export interface ComponentDashboardProps extends ShippedDashboardOptions {
  /**
   * Value of the `job` label of the component's scrape targets. With the prometheus-operator's
   * ServiceMonitors, `job` is the name of the monitored Service. The Loki dashboard also matches the
   * per-component jobs of Distributed mode (`<job>-distributor`, `<job>-ingester-headless`, ...).
   * @default - the component's default Service name: 'prometheus', 'alertmanager', 'loki', 'tempo',
   * 'grafana', 'prometheus-operator', 'pyroscope', 'otel-collector' or 'alloy-logs' (the Service of `AlloyLogs`)
   */
  readonly job?: string;
}

const SELF_FOLDER = 'LGTM Stack';

interface Component {
  readonly defaultJob: string;
  /**
   * Also match `<job>-<component>` jobs (Loki Distributed: one Service, hence one job, per component,
   * the same `job=~"loki(-.*)?"` as Loki's own alerts).
   */
  readonly componentJobs?: boolean;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Panels after the common "Targets up" stat, in rows. */
  readonly rows: (sel: string) => Array<{ title: string; panels: ComponentPanel[] }>;
}

interface ComponentPanel {
  readonly kind: 'stat' | 'ts';
  readonly title: string;
  readonly unit: string;
  readonly queries: PromQuery[];
  readonly description?: string;
  readonly thresholds?: Step[];
}

function build(scope: Construct, c: Component, p: ComponentDashboardProps): { [key: string]: any } {
  const job = p.job ?? c.defaultJob;
  if (typeof job !== 'string' || job.trim() === '') {
    fail(scope, {
      problem: "'job' is empty",
      received: show(job),
      expected: `the job label of the component's targets, e.g. ${show(c.defaultJob)}`,
      fix: "set 'job' to the name of the component's Service (or leave it unset)",
    });
  }
  const sel = c.componentJobs ? `job=~${quote(`${escapeRegex(job)}(-.*)?`)}` : `job=${quote(job)}`;
  const prom = dsRef(DatasourceKind.PROMETHEUS, p.metricsDatasourceUid);
  const b = newDashboard(p.title ?? c.title, p.uid ?? c.uid, ['self-monitoring', c.uid.replace(/^lgtm-/, '')], `${c.description} (targets with ${sel}).`)
    .withRow(row('Health'))
    .withPanel(statPanel(prom, {
      title: 'Targets up',
      description: 'Scrape targets of the component that answer (red when none does).',
      unit: 'short',
      thresholds: [{ color: 'red' }, { value: 1, color: 'green' }],
      queries: [{ expr: `sum(up{${sel}}) or vector(0)`, legend: 'up', instant: true }],
    }))
    .withPanel(statPanel(prom, {
      title: 'Targets down',
      unit: 'short',
      thresholds: [{ color: 'green' }, { value: 1, color: 'red' }],
      queries: [{ expr: `count(up{${sel}} == 0) or vector(0)`, legend: 'down', instant: true }],
    }))
    .withPanel(timeseriesPanel(prom, {
      title: 'Memory (resident)',
      unit: 'bytes',
      min: 0,
      queries: [{ expr: `sum by (pod) (process_resident_memory_bytes{${sel}})`, legend: '{{pod}}' }],
    }));
  for (const r of c.rows(sel)) {
    b.withRow(row(r.title));
    for (const panel of r.panels) {
      const o = { title: panel.title, unit: panel.unit, queries: panel.queries, description: panel.description };
      if (panel.kind === 'stat') b.withPanel(statPanel(prom, { ...o, thresholds: panel.thresholds }));
      else b.withPanel(timeseriesPanel(prom, { ...o, min: 0 }));
    }
  }
  return finish(b);
}

/** Escapes RE2 metacharacters so a job name matches literally inside a regex matcher. */
function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function identity(scope: Construct, id: string, c: Component, p: ComponentDashboardProps) {
  validateSharedPropsAt(scope, id, 'ComponentDashboardProps', p);
  return { uid: p.uid ?? c.uid, title: p.title ?? c.title, folder: p.folder ?? SELF_FOLDER, json: build(scope, c, p) };
}

const rate = (metric: string, sel: string, extra?: string) => `rate(${metric}{${[sel, extra].filter((x) => x).join(', ')}}[$__rate_interval])`;

const PROMETHEUS: Component = {
  defaultJob: 'prometheus',
  uid: 'lgtm-prometheus',
  title: 'LGTM / Prometheus',
  description: 'Prometheus: scrape health, ingestion, series, rule evaluation and notification delivery',
  rows: (sel) => [
    {
      title: 'Ingestion',
      panels: [
        { kind: 'ts', title: 'Samples ingested per second', unit: 'short', queries: [{ expr: `sum by (pod) (${rate('prometheus_tsdb_head_samples_appended_total', sel)})`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Head series', unit: 'short', queries: [{ expr: `sum by (pod) (prometheus_tsdb_head_series{${sel}})`, legend: '{{pod}}' }] },
        {
          kind: 'ts',
          title: 'Targets down by job',
          description: 'Every job this Prometheus scrapes, not only its own.',
          unit: 'short',
          queries: [{ expr: 'count by (job) (up == 0)', legend: '{{job}}' }],
        },
        {
          kind: 'stat',
          title: 'Config reload',
          description: '1 when the last configuration reload succeeded.',
          unit: 'short',
          thresholds: [{ color: 'red' }, { value: 1, color: 'green' }],
          queries: [{ expr: `min(prometheus_config_last_reload_successful{${sel}})`, legend: 'ok', instant: true }],
        },
      ],
    },
    {
      title: 'Rules and alerts',
      panels: [
        { kind: 'ts', title: 'Rule evaluation failures per second', unit: 'short', queries: [{ expr: `sum by (rule_group) (${rate('prometheus_rule_evaluation_failures_total', sel)})`, legend: '{{rule_group}}' }] },
        {
          kind: 'ts',
          title: 'Rule groups missing evaluations',
          description: 'Evaluations skipped because a group took longer than its interval.',
          unit: 'short',
          queries: [{ expr: `sum by (rule_group) (${rate('prometheus_rule_group_iterations_missed_total', sel)})`, legend: '{{rule_group}}' }],
        },
        { kind: 'ts', title: 'Alert notifications dropped per second', unit: 'short', queries: [{ expr: `sum by (pod) (${rate('prometheus_notifications_dropped_total', sel)})`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Alertmanagers discovered', unit: 'short', queries: [{ expr: `max by (pod) (prometheus_notifications_alertmanagers_discovered{${sel}})`, legend: '{{pod}}' }] },
      ],
    },
  ],
};

const ALERTMANAGER: Component = {
  defaultJob: 'alertmanager',
  uid: 'lgtm-alertmanager',
  title: 'LGTM / Alertmanager',
  description: 'Alertmanager: alerts received and active, notifications sent and failed per integration',
  rows: (sel) => [
    {
      title: 'Alerts',
      panels: [
        { kind: 'ts', title: 'Active alerts by state', unit: 'short', queries: [{ expr: `max by (state) (alertmanager_alerts{${sel}})`, legend: '{{state}}' }] },
        {
          kind: 'ts',
          title: 'Alerts received per second',
          unit: 'short',
          queries: [
            { expr: `sum by (status) (${rate('alertmanager_alerts_received_total', sel)})`, legend: '{{status}}' },
            { expr: `sum(${rate('alertmanager_alerts_invalid_total', sel)})`, legend: 'invalid' },
          ],
        },
      ],
    },
    {
      title: 'Notifications',
      panels: [
        { kind: 'ts', title: 'Notifications sent per second', unit: 'short', queries: [{ expr: `sum by (integration) (${rate('alertmanager_notifications_total', sel)})`, legend: '{{integration}}' }] },
        { kind: 'ts', title: 'Notifications failed per second', unit: 'short', queries: [{ expr: `sum by (integration) (${rate('alertmanager_notifications_failed_total', sel)})`, legend: '{{integration}}' }] },
        {
          kind: 'ts',
          title: 'Notification latency p99',
          unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, integration) (${rate('alertmanager_notification_latency_seconds_bucket', sel)}))`, legend: '{{integration}}' }],
        },
        { kind: 'ts', title: 'Cluster members', unit: 'short', queries: [{ expr: `max by (pod) (alertmanager_cluster_members{${sel}})`, legend: '{{pod}}' }] },
      ],
    },
  ],
};

const LOKI: Component = {
  defaultJob: 'loki',
  componentJobs: true,
  uid: 'lgtm-loki',
  title: 'LGTM / Loki',
  description: 'Loki: ingestion, request errors and latency, discarded samples, streams',
  rows: (sel) => [
    {
      title: 'Ingestion',
      panels: [
        { kind: 'ts', title: 'Lines received per second', unit: 'short', queries: [{ expr: `sum by (tenant) (${rate('loki_distributor_lines_received_total', sel)})`, legend: '{{tenant}}' }] },
        { kind: 'ts', title: 'Bytes received per second', unit: 'Bps', queries: [{ expr: `sum by (tenant) (${rate('loki_distributor_bytes_received_total', sel)})`, legend: '{{tenant}}' }] },
        {
          kind: 'ts',
          title: 'Discarded samples per second',
          description: 'Lines Loki rejected (rate limits, too old, line too long, ...), by reason.',
          unit: 'short',
          queries: [{ expr: `sum by (reason) (${rate('loki_discarded_samples_total', sel)})`, legend: '{{reason}}' }],
        },
        { kind: 'ts', title: 'Streams in memory', unit: 'short', queries: [{ expr: `sum by (pod) (loki_ingester_memory_streams{${sel}})`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Requests',
      panels: [
        {
          kind: 'ts',
          title: 'Request errors per second (5xx) by route',
          unit: 'short',
          queries: [{ expr: `sum by (route) (${rate('loki_request_duration_seconds_count', sel, 'status_code=~"5.."')})`, legend: '{{route}}' }],
        },
        {
          kind: 'ts',
          title: 'Request latency p99 by route',
          unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (${rate('loki_request_duration_seconds_bucket', sel)}))`, legend: '{{route}}' }],
        },
      ],
    },
  ],
};

const ALLOY: Component = {
  // AlloyLogs' default name: its ServiceMonitor has no jobLabel, so job = the Service name.
  defaultJob: 'alloy-logs',
  uid: 'lgtm-alloy',
  title: 'LGTM / Alloy',
  description: 'Grafana Alloy: log lines sent to Loki, dropped lines, write errors and retries, unhealthy components',
  rows: (sel) => [
    {
      title: 'Logs pipeline',
      panels: [
        { kind: 'ts', title: 'Log lines sent per second', unit: 'short', queries: [{ expr: `sum by (pod) (${rate('loki_write_sent_entries_total', sel)})`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Bytes sent per second', unit: 'Bps', queries: [{ expr: `sum by (pod) (${rate('loki_write_sent_bytes_total', sel)})`, legend: '{{pod}}' }] },
        {
          kind: 'ts',
          title: 'Log lines dropped per second',
          description: 'Entries loki.write gave up on after all retries, by reason.',
          unit: 'short',
          queries: [{ expr: `sum by (reason) (${rate('loki_write_dropped_entries_total', sel)})`, legend: '{{reason}}' }],
        },
        {
          kind: 'ts',
          title: 'Write errors and retries per second',
          unit: 'short',
          queries: [
            { expr: `sum by (status_code) (${rate('loki_write_request_duration_seconds_count', sel, 'status_code!~"2.."')})`, legend: 'HTTP {{status_code}}' },
            { expr: `sum(${rate('loki_write_batch_retries_total', sel)})`, legend: 'retries' },
          ],
        },
      ],
    },
    {
      title: 'Components',
      panels: [
        {
          kind: 'stat',
          title: 'Unhealthy components',
          unit: 'short',
          thresholds: [{ color: 'green' }, { value: 1, color: 'red' }],
          queries: [{ expr: `sum(alloy_component_controller_running_components{${sel}, health_type!="healthy"}) or vector(0)`, legend: 'unhealthy', instant: true }],
        },
        { kind: 'ts', title: 'Components by health', unit: 'short', queries: [{ expr: `sum by (health_type) (alloy_component_controller_running_components{${sel}})`, legend: '{{health_type}}' }] },
      ],
    },
  ],
};

const TEMPO: Component = {
  // Tempo's default name: its ServiceMonitor has no jobLabel, so job = the Service name.
  defaultJob: 'tempo',
  uid: 'lgtm-tempo',
  title: 'LGTM / Tempo',
  description: 'Grafana Tempo: spans received and discarded, request errors and latency, live traces, flushes, compaction and the metrics-generator',
  rows: (sel) => [
    {
      title: 'Ingestion',
      panels: [
        { kind: 'ts', title: 'Spans received per second', unit: 'short', queries: [{ expr: `sum by (tenant) (${rate('tempo_distributor_spans_received_total', sel)})`, legend: '{{tenant}}' }] },
        { kind: 'ts', title: 'Bytes received per second', unit: 'Bps', queries: [{ expr: `sum by (tenant) (${rate('tempo_distributor_bytes_received_total', sel)})`, legend: '{{tenant}}' }] },
        {
          kind: 'ts',
          title: 'Spans discarded per second',
          description: 'Spans Tempo refused (rate limits, trace too large, ...), by reason.',
          unit: 'short',
          queries: [{ expr: `sum by (reason) (${rate('tempo_discarded_spans_total', sel)})`, legend: '{{reason}}' }],
        },
        { kind: 'ts', title: 'Live traces', unit: 'short', queries: [{ expr: `sum by (pod) (tempo_ingester_live_traces{${sel}})`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Requests',
      panels: [
        {
          kind: 'ts',
          title: 'Request errors per second (5xx) by route',
          unit: 'short',
          queries: [{ expr: `sum by (route) (${rate('tempo_request_duration_seconds_count', sel, 'status_code=~"5.."')})`, legend: '{{route}}' }],
        },
        {
          kind: 'ts',
          title: 'Request latency p99 by route',
          unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (${rate('tempo_request_duration_seconds_bucket', sel)}))`, legend: '{{route}}' }],
        },
      ],
    },
    {
      title: 'Storage',
      panels: [
        {
          kind: 'ts',
          title: 'Blocks flushed and failed flushes per second',
          unit: 'short',
          queries: [
            { expr: `sum(${rate('tempo_ingester_blocks_flushed_total', sel)})`, legend: 'flushed' },
            { expr: `sum(${rate('tempo_ingester_failed_flushes_total', sel)})`, legend: 'failed' },
          ],
        },
        { kind: 'ts', title: 'Compaction errors per second', unit: 'short', queries: [{ expr: `sum(${rate('tempodb_compaction_errors_total', sel)}) or vector(0)`, legend: 'errors' }] },
        { kind: 'ts', title: 'Blocks in the blocklist', unit: 'short', queries: [{ expr: `max by (tenant) (tempodb_blocklist_length{${sel}})`, legend: '{{tenant}}' }] },
        {
          kind: 'ts',
          title: 'Metrics-generator spans per second',
          description: 'Spans the metrics-generator turned into span metrics and service graphs (empty when it is off).',
          unit: 'short',
          queries: [{ expr: `sum by (tenant) (${rate('tempo_metrics_generator_spans_received_total', sel)})`, legend: '{{tenant}}' }],
        },
      ],
    },
  ],
};

const GRAFANA: Component = {
  // Grafana's default name: its ServiceMonitor has no jobLabel, so job = the Service name.
  defaultJob: 'grafana',
  uid: 'lgtm-grafana',
  title: 'LGTM / Grafana',
  description: 'Grafana: HTTP requests, errors and latency, datasource requests, alert rule evaluation and notifications, database connections',
  rows: (sel) => [
    {
      title: 'Requests',
      panels: [
        { kind: 'ts', title: 'Requests per second by status', unit: 'reqps', queries: [{ expr: `sum by (status_code) (${rate('grafana_http_request_duration_seconds_count', sel)})`, legend: '{{status_code}}' }] },
        {
          kind: 'ts',
          title: 'Request errors per second (5xx) by handler',
          unit: 'reqps',
          queries: [{ expr: `sum by (handler) (${rate('grafana_http_request_duration_seconds_count', sel, 'status_code=~"5.."')})`, legend: '{{handler}}' }],
        },
        {
          kind: 'ts',
          title: 'Request latency p99 by handler',
          unit: 's',
          queries: [{ expr: `topk(10, histogram_quantile(0.99, sum by (le, handler) (${rate('grafana_http_request_duration_seconds_bucket', sel)})))`, legend: '{{handler}}' }],
        },
        {
          kind: 'ts',
          title: 'Datasource requests per second',
          description: 'Queries Grafana sends to its datasources, by datasource and HTTP code.',
          unit: 'reqps',
          queries: [{ expr: `sum by (datasource, code) (${rate('grafana_datasource_request_total', sel)})`, legend: '{{datasource}} {{code}}' }],
        },
      ],
    },
    {
      title: 'Alerting and database',
      panels: [
        {
          kind: 'ts',
          title: 'Alert rule evaluations and failures per second',
          unit: 'short',
          queries: [
            { expr: `sum(${rate('grafana_alerting_rule_evaluations_total', sel)})`, legend: 'evaluations' },
            { expr: `sum(${rate('grafana_alerting_rule_evaluation_failures_total', sel)})`, legend: 'failures' },
          ],
        },
        { kind: 'ts', title: 'Alerts by state', unit: 'short', queries: [{ expr: `max by (state) (grafana_alerting_alerts{${sel}})`, legend: '{{state}}' }] },
        {
          kind: 'ts',
          title: 'Database connections',
          description: 'Open and in-use connections of the Grafana database pool, against its maximum.',
          unit: 'short',
          queries: [
            { expr: `sum by (pod) (grafana_database_conn_in_use{${sel}})`, legend: 'in use {{pod}}' },
            { expr: `sum by (pod) (grafana_database_conn_open{${sel}})`, legend: 'open {{pod}}' },
            { expr: `max(grafana_database_conn_max_open{${sel}})`, legend: 'max open' },
          ],
        },
        { kind: 'ts', title: 'Active users', unit: 'short', queries: [{ expr: `max(grafana_stat_active_users{${sel}})`, legend: 'active users' }] },
      ],
    },
  ],
};

const OPERATOR: Component = {
  defaultJob: 'prometheus-operator',
  uid: 'lgtm-prometheus-operator',
  title: 'LGTM / Prometheus Operator',
  description: 'Prometheus Operator: reconciliations and their errors per controller, rejected resources, failed syncs, watch errors, work queue depth',
  rows: (sel) => [
    {
      title: 'Reconciliation',
      panels: [
        {
          kind: 'stat',
          title: 'Rejected resources',
          description: 'ServiceMonitors, PodMonitors, Probes and PrometheusRules the operator refused (kubectl describe them for the reason).',
          unit: 'short',
          thresholds: [{ color: 'green' }, { value: 1, color: 'red' }],
          queries: [{ expr: `sum(prometheus_operator_managed_resources{${sel}, state="rejected"}) or vector(0)`, legend: 'rejected', instant: true }],
        },
        {
          kind: 'stat',
          title: 'Failed syncs',
          unit: 'short',
          thresholds: [{ color: 'green' }, { value: 1, color: 'red' }],
          queries: [{ expr: `sum(prometheus_operator_syncs{${sel}, status="failed"}) or vector(0)`, legend: 'failed', instant: true }],
        },
        { kind: 'ts', title: 'Reconciliations per second by controller', unit: 'short', queries: [{ expr: `sum by (controller) (${rate('prometheus_operator_reconcile_operations_total', sel)})`, legend: '{{controller}}' }] },
        { kind: 'ts', title: 'Reconcile errors per second by controller', unit: 'short', queries: [{ expr: `sum by (controller) (${rate('prometheus_operator_reconcile_errors_total', sel)})`, legend: '{{controller}}' }] },
      ],
    },
    {
      title: 'Kubernetes API',
      panels: [
        {
          kind: 'ts',
          title: 'Watch and list errors per second',
          unit: 'short',
          queries: [
            { expr: `sum by (controller) (${rate('prometheus_operator_watch_operations_failed_total', sel)})`, legend: 'watch {{controller}}' },
            { expr: `sum by (controller) (${rate('prometheus_operator_list_operations_failed_total', sel)})`, legend: 'list {{controller}}' },
          ],
        },
        { kind: 'ts', title: 'Managed resources by state', unit: 'short', queries: [{ expr: `sum by (resource, state) (prometheus_operator_managed_resources{${sel}})`, legend: '{{resource}} {{state}}' }] },
        { kind: 'ts', title: 'Work queue depth', unit: 'short', queries: [{ expr: `sum by (name) (prometheus_operator_workqueue_depth{${sel}})`, legend: '{{name}}' }] },
        {
          kind: 'ts',
          title: 'API requests per second by status',
          unit: 'reqps',
          queries: [{ expr: `sum by (status_code) (${rate('prometheus_operator_kubernetes_client_http_requests_total', sel)})`, legend: '{{status_code}}' }],
        },
      ],
    },
  ],
};

const PYROSCOPE: Component = {
  // Pyroscope's default name: its ServiceMonitor has no jobLabel, so job = the Service name.
  defaultJob: 'pyroscope',
  uid: 'lgtm-pyroscope',
  title: 'LGTM / Pyroscope',
  description: 'Grafana Pyroscope: profiles and bytes received, discarded samples, request errors and latency',
  rows: (sel) => [
    {
      title: 'Ingestion',
      panels: [
        {
          kind: 'ts',
          title: 'Profiles received per second by type',
          unit: 'short',
          queries: [{ expr: `sum by (type) (${rate('pyroscope_distributor_received_compressed_bytes_count', sel)})`, legend: '{{type}}' }],
        },
        {
          kind: 'ts',
          title: 'Bytes received per second (decompressed)',
          unit: 'Bps',
          queries: [{ expr: `sum by (tenant) (${rate('pyroscope_distributor_received_decompressed_bytes_sum', sel)})`, legend: '{{tenant}}' }],
        },
        {
          kind: 'ts',
          title: 'Discarded samples per second',
          description: 'Samples Pyroscope refused (rate limits, too old, ...), by reason.',
          unit: 'short',
          queries: [{ expr: `sum by (reason) (${rate('pyroscope_discarded_samples_total', sel)})`, legend: '{{reason}}' }],
        },
      ],
    },
    {
      title: 'Requests',
      panels: [
        {
          kind: 'ts',
          title: 'Request errors per second (5xx) by route',
          unit: 'short',
          queries: [{ expr: `sum by (route) (${rate('pyroscope_request_duration_seconds_count', sel, 'status_code=~"5.."')})`, legend: '{{route}}' }],
        },
        {
          kind: 'ts',
          title: 'Request latency p99 by route',
          unit: 's',
          queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (${rate('pyroscope_request_duration_seconds_bucket', sel)}))`, legend: '{{route}}' }],
        },
      ],
    },
  ],
};

const OTEL_COLLECTOR: Component = {
  // OtelCollector's default name: its ServiceMonitor has no jobLabel, so job = the Service name.
  defaultJob: 'otel-collector',
  uid: 'lgtm-otel-collector',
  title: 'LGTM / OpenTelemetry Collector',
  description: 'OpenTelemetry Collector: spans, metric points and log records accepted and refused by the receivers, sent and failed by the exporters, exporter queues',
  rows: (sel) => [
    {
      title: 'Receivers',
      panels: [
        {
          kind: 'ts',
          title: 'Accepted per second',
          unit: 'short',
          queries: [
            { expr: `sum by (receiver) (${rate('otelcol_receiver_accepted_spans_total', sel)})`, legend: 'spans {{receiver}}' },
            { expr: `sum by (receiver) (${rate('otelcol_receiver_accepted_metric_points_total', sel)})`, legend: 'metric points {{receiver}}' },
            { expr: `sum by (receiver) (${rate('otelcol_receiver_accepted_log_records_total', sel)})`, legend: 'log records {{receiver}}' },
          ],
        },
        {
          kind: 'ts',
          title: 'Refused per second',
          description: 'Data a receiver refused (usually the memory limiter pushing back).',
          unit: 'short',
          queries: [
            { expr: `sum by (receiver) (${rate('otelcol_receiver_refused_spans_total', sel)})`, legend: 'spans {{receiver}}' },
            { expr: `sum by (receiver) (${rate('otelcol_receiver_refused_metric_points_total', sel)})`, legend: 'metric points {{receiver}}' },
            { expr: `sum by (receiver) (${rate('otelcol_receiver_refused_log_records_total', sel)})`, legend: 'log records {{receiver}}' },
          ],
        },
      ],
    },
    {
      title: 'Exporters',
      panels: [
        {
          kind: 'ts',
          title: 'Sent per second',
          unit: 'short',
          queries: [
            { expr: `sum by (exporter) (${rate('otelcol_exporter_sent_spans_total', sel)})`, legend: 'spans {{exporter}}' },
            { expr: `sum by (exporter) (${rate('otelcol_exporter_sent_metric_points_total', sel)})`, legend: 'metric points {{exporter}}' },
            { expr: `sum by (exporter) (${rate('otelcol_exporter_sent_log_records_total', sel)})`, legend: 'log records {{exporter}}' },
          ],
        },
        {
          kind: 'ts',
          title: 'Send failures per second',
          description: 'Data an exporter failed to send after its retries (dropped).',
          unit: 'short',
          queries: [
            { expr: `sum by (exporter) (${rate('otelcol_exporter_send_failed_spans_total', sel)})`, legend: 'spans {{exporter}}' },
            { expr: `sum by (exporter) (${rate('otelcol_exporter_send_failed_metric_points_total', sel)})`, legend: 'metric points {{exporter}}' },
            { expr: `sum by (exporter) (${rate('otelcol_exporter_send_failed_log_records_total', sel)})`, legend: 'log records {{exporter}}' },
          ],
        },
        {
          kind: 'ts',
          title: 'Exporter queue usage',
          description: 'Sending-queue length against its capacity; a full queue drops data.',
          unit: 'percentunit',
          queries: [{ expr: `max by (exporter) (otelcol_exporter_queue_size{${sel}} / otelcol_exporter_queue_capacity{${sel}})`, legend: '{{exporter}}' }],
        },
      ],
    },
  ],
};

/** Self-monitoring dashboard of the stack's Prometheus: up, ingestion rate, head series, rule evaluation failures, notifications. */
export class PrometheusDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, PROMETHEUS, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the stack's Alertmanager: alerts received and active, notifications sent and failed. */
export class AlertmanagerDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, ALERTMANAGER, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the stack's Loki: ingestion rate, request errors, discarded samples. */
export class LokiDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, LOKI, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the stack's Alloy: log lines sent and dropped, write errors, unhealthy components. */
export class AlloyDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, ALLOY, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of Tempo: spans received and discarded, request errors and latency, flushes and compaction. */
export class TempoDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, TEMPO, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of Grafana: requests, errors and latency, datasource requests, alert evaluations, database connections. */
export class GrafanaServerDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, GRAFANA, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the Prometheus Operator: reconciliations and errors, rejected resources, failed syncs, watch errors. */
export class PrometheusOperatorDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, OPERATOR, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of Pyroscope: profiles received, discarded samples, request errors and latency. */
export class PyroscopeDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, PYROSCOPE, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the OpenTelemetry Collector: accepted and refused data, sent and failed exports, queue usage. */
export class OtelCollectorDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, id, OTEL_COLLECTOR, props));
    declareMetricPack(this);
  }
}

/** Properties for `StackDashboards`. */
export interface StackDashboardsProps {
  /**
   * UID of the Prometheus-type datasource the panels query.
   * @default - the Grafana's only Prometheus-type datasource
   */
  readonly metricsDatasourceUid?: string;
  /**
   * Folder of the dashboards.
   * @default 'LGTM Stack'
   */
  readonly folder?: string;
  /**
   * Job label of Prometheus' own targets.
   * @default 'prometheus'
   */
  readonly prometheusJob?: string;
  /**
   * Job label of Alertmanager's targets.
   * @default 'alertmanager'
   */
  readonly alertmanagerJob?: string;
  /**
   * Job label of Loki's targets (the Loki name; Distributed mode's `<name>-<component>` jobs are included).
   * @default 'loki'
   */
  readonly lokiJob?: string;
  /**
   * Job label of Alloy's targets (the name of the `AlloyLogs` Service).
   * @default 'alloy-logs'
   */
  readonly alloyJob?: string;
  /**
   * More components of the stack that get their own dashboard: Grafana, the Prometheus Operator, Tempo,
   * Pyroscope and the OpenTelemetry Collector (recognised by their `app.kubernetes.io/name`; the `job` is
   * the name of their Service, which their ServiceMonitor scrapes). Fails on any other construct.
   * @default - none
   */
  readonly components?: IConstruct[];
}

/**
 * All self-monitoring dashboards at once (Prometheus, Alertmanager, Loki, Alloy, and those of `components`):
 * `new StackDashboards(this, 'Self').all.forEach((d) => grafana.addDashboard(d))`.
 */
export class StackDashboards extends Construct {
  /** Prometheus dashboard. */
  public readonly prometheus: PrometheusDashboard;
  /** Alertmanager dashboard. */
  public readonly alertmanager: AlertmanagerDashboard;
  /** Loki dashboard. */
  public readonly loki: LokiDashboard;
  /** Alloy dashboard. */
  public readonly alloy: AlloyDashboard;
  /** The dashboards of `components`, in their order. */
  public readonly componentDashboards: GrafanaDashboard[] = [];

  constructor(scope: Construct, id: string, props: StackDashboardsProps = {}) {
    super(scope, id);
    validateSharedProps(this, props);
    const common = { metricsDatasourceUid: props.metricsDatasourceUid, folder: props.folder };
    this.prometheus = new PrometheusDashboard(this, 'Prometheus', { ...common, job: props.prometheusJob });
    this.alertmanager = new AlertmanagerDashboard(this, 'Alertmanager', { ...common, job: props.alertmanagerJob });
    this.loki = new LokiDashboard(this, 'Loki', { ...common, job: props.lokiJob });
    this.alloy = new AlloyDashboard(this, 'Alloy', { ...common, job: props.alloyJob });
    for (const c of props.components ?? []) this.componentDashboards.push(this.componentDashboard(c, common));
  }

  /** Every dashboard, for `grafana.addDashboard`. */
  public get all(): GrafanaDashboard[] {
    return [this.prometheus, this.alertmanager, this.loki, this.alloy, ...this.componentDashboards];
  }

  private componentDashboard(component: IConstruct, common: ShippedDashboardOptions): GrafanaDashboard {
    const c = component as unknown as { labels?: Record<string, string>; service?: { name?: string } };
    const appName = c?.labels?.['app.kubernetes.io/name'];
    const kind = COMPONENT_DASHBOARDS.find((k) => k.appName === appName);
    const job = c?.service?.name;
    if (!kind || typeof job !== 'string') {
      return fail(this, {
        problem: "'components' holds a construct StackDashboards has no dashboard for",
        received: `${component?.node?.path ?? show(component)} (app.kubernetes.io/name ${show(appName)})`,
        expected: `a component with a Service and a ServiceMonitor: ${COMPONENT_DASHBOARDS.map((k) => k.title).join(', ')}`,
        fix: 'pass one of those components (Prometheus, Alertmanager, Loki and Alloy always have their dashboard)',
      });
    }
    if (this.componentDashboards.some((d) => d.node.id === kind.id)) {
      return fail(this, {
        problem: `'components' holds a second ${kind.title}: its dashboard uid would repeat`,
        received: component.node.path,
        expected: `at most one ${kind.title}`,
        fix: `add the dashboard of the second one yourself, with its own uid and job: new ${kind.create.name}(scope, id, { uid, job })`,
      });
    }
    return new kind.create(this, kind.id, { ...common, job });
  }
}

/** The dashboards `StackDashboards.components` can add, by the component's `app.kubernetes.io/name`. */
type ComponentDashboardClass = new (scope: Construct, id: string, props: ComponentDashboardProps) => GrafanaDashboard;
const COMPONENT_DASHBOARDS: Array<{ appName: string; id: string; title: string; create: ComponentDashboardClass }> = [
  { appName: 'grafana', id: 'Grafana', title: 'Grafana', create: GrafanaServerDashboard },
  { appName: 'prometheus-operator', id: 'PrometheusOperator', title: 'PrometheusOperator', create: PrometheusOperatorDashboard },
  { appName: 'tempo', id: 'Tempo', title: 'Tempo', create: TempoDashboard },
  { appName: 'pyroscope', id: 'Pyroscope', title: 'Pyroscope', create: PyroscopeDashboard },
  { appName: 'opentelemetry-collector', id: 'OtelCollector', title: 'OtelCollector', create: OtelCollectorDashboard },
];
