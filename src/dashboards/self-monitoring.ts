import { Construct } from 'constructs';
import { GrafanaDashboard } from './grafana-dashboard';
import { ShippedDashboardOptions } from './platform-overview';
import { PromQuery, Step, dsRef, finish, newDashboard, quote, row, statPanel, timeseriesPanel } from './sdk';
import { fail, show } from '../core/errors';
import { DatasourceKind } from '../core/interfaces';
import { declareMetricPack } from '../core/provenance/registry';

/** Properties of a self-monitoring dashboard. */
export interface ComponentDashboardProps extends ShippedDashboardOptions {
  /**
   * Value of the `job` label of the component's scrape targets. With the prometheus-operator's
   * ServiceMonitors, `job` is the name of the monitored Service. The Loki dashboard also matches the
   * per-component jobs of Distributed mode (`<job>-distributor`, `<job>-ingester-headless`, ...).
   * @default - the component's default Service name: 'prometheus', 'alertmanager', 'loki', 'tempo' or
   * 'alloy-logs' (the Service of `AlloyLogs`)
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

function identity(scope: Construct, c: Component, p: ComponentDashboardProps) {
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

/** Self-monitoring dashboard of the stack's Prometheus: up, ingestion rate, head series, rule evaluation failures, notifications. */
export class PrometheusDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, PROMETHEUS, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the stack's Alertmanager: alerts received and active, notifications sent and failed. */
export class AlertmanagerDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, ALERTMANAGER, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the stack's Loki: ingestion rate, request errors, discarded samples. */
export class LokiDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, LOKI, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of the stack's Alloy: log lines sent and dropped, write errors, unhealthy components. */
export class AlloyDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, ALLOY, props));
    declareMetricPack(this);
  }
}

/** Self-monitoring dashboard of Tempo: spans received and discarded, request errors and latency, flushes and compaction. */
export class TempoDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ComponentDashboardProps = {}) {
    super(scope, id, identity(scope, TEMPO, props));
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
}

/**
 * All self-monitoring dashboards at once (Prometheus, Alertmanager, Loki, Alloy):
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

  constructor(scope: Construct, id: string, props: StackDashboardsProps = {}) {
    super(scope, id);
    const common = { metricsDatasourceUid: props.metricsDatasourceUid, folder: props.folder };
    this.prometheus = new PrometheusDashboard(this, 'Prometheus', { ...common, job: props.prometheusJob });
    this.alertmanager = new AlertmanagerDashboard(this, 'Alertmanager', { ...common, job: props.alertmanagerJob });
    this.loki = new LokiDashboard(this, 'Loki', { ...common, job: props.lokiJob });
    this.alloy = new AlloyDashboard(this, 'Alloy', { ...common, job: props.alloyJob });
  }

  /** Every dashboard, for `grafana.addDashboard`. */
  public get all(): GrafanaDashboard[] {
    return [this.prometheus, this.alertmanager, this.loki, this.alloy];
  }
}
