import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { AlertPack, AlertPackOptions } from './pack';
import { PackAlertDefinition, ratio } from './pack-definition';
import { quote, series } from './promql';
import { fail, show } from '../core/errors';
import { validateNamespace } from '../core/names';

/** Properties for `StackSelfMonitoringRules`. */
export interface StackSelfMonitoringRulesProps extends AlertPackOptions {
  /**
   * `job` label of Prometheus' own metrics (the name of the Service its ServiceMonitor selects).
   * @default 'prometheus'
   */
  readonly prometheusJob?: string;
  /**
   * `job` label of Alertmanager's metrics.
   * @default 'alertmanager'
   */
  readonly alertmanagerJob?: string;
  /**
   * `job` label of the Prometheus Operator's metrics.
   * @default 'prometheus-operator'
   */
  readonly operatorJob?: string;
  /**
   * Namespace the stack runs in: selects its targets and its PersistentVolumeClaims.
   * @default - the namespace of this PrometheusRule
   */
  readonly stackNamespace?: string;
  /**
   * Components of the stack to watch: each gets a "down or absent" alert and its failure alert (see
   * `watchComponent`).
   * @default - none (more with `watchComponent`)
   */
  readonly components?: IConstruct[];
}

/** What the pack knows of each watched component kind (by its `app.kubernetes.io/name`). */
interface ComponentKind {
  readonly label: string;
  readonly title: string;
  readonly severity: AlertSeverity;
  readonly failures: (sel: string[]) => Array<Omit<PackAlertDefinition, 'group'>>;
}


/**
 * Self-monitoring of the metrics stack: Prometheus, Alertmanager and the operator down; rule evaluation,
 * notification and config reload failures; operator reconcile errors; TSDB compaction failures; and the
 * stack's PersistentVolumeClaims filling up (`kubelet_volume_stats_*`, with `predict_linear` over 6h).
 *
 * "Down" means a scrape failing (`up == 0`) or the target missing entirely (`absent(up)`): a Prometheus
 * cannot report its own death, so with one replica `PrometheusDown` only fires from another Prometheus
 * (or for the second replica of an HA pair); Alertmanager and operator alerts work with any replica count.
 */
export class StackSelfMonitoringRules extends AlertPack {
  /** Matchers selecting Prometheus' own series. */
  public readonly prometheusSelector: string;
  /** Matchers selecting Alertmanager's series. */
  public readonly alertmanagerSelector: string;
  /** Matchers selecting the operator's series. */
  public readonly operatorSelector: string;

  private readonly watched = new Map<string, string[]>();

  constructor(scope: Construct, id: string, props: StackSelfMonitoringRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'lgtm-stack-self-monitoring' });
    const ns = validateNamespace(this, 'stackNamespace', props.stackNamespace ?? this.namespace);
    const sel = (job: string) => `job=${quote(job)}, namespace=${quote(ns)}`;
    const prom = (this.prometheusSelector = sel(props.prometheusJob ?? 'prometheus'));
    const am = (this.alertmanagerSelector = sel(props.alertmanagerJob ?? 'alertmanager'));
    const op = (this.operatorSelector = sel(props.operatorJob ?? 'prometheus-operator'));
    const down = (s: string) => `(${series('up', s)} == 0)\nor\nabsent(${series('up', s)})`;
    const def = (group: string, d: Omit<PackAlertDefinition, 'group'>) => this._defineAlert({ group, ...d });
    const pvc = `namespace=${quote(ns)}`;

    const av = 'lgtm-stack.availability';
    def(av, {
      alert: 'PrometheusDown',
      query: () => down(prom),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped',
      details: 'A Prometheus of the stack has failed its scrapes or disappeared from service discovery for 5 minutes.',
      metrics: ['up'],
    });
    def(av, {
      alert: 'AlertmanagerDown',
      query: () => down(am),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped',
      details: 'An Alertmanager of the stack has failed its scrapes or disappeared for 5 minutes; notifications may not be delivered.',
      metrics: ['up'],
    });
    def(av, {
      alert: 'PrometheusOperatorDown',
      query: () => down(op),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator is down or not scraped',
      details: 'Changes to Prometheus, Alertmanager, ServiceMonitor and PrometheusRule objects are not being applied.',
      metrics: ['up'],
    });

    const h = 'lgtm-stack.health';
    def(h, {
      alert: 'PrometheusRuleEvaluationFailures',
      query: () => `increase(${series('prometheus_rule_evaluation_failures_total', prom)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules in {{ $labels.rule_group }}',
      details: 'Rule evaluations have failed for 15 minutes: alerts of that group may never fire.',
      metrics: ['prometheus_rule_evaluation_failures_total'],
    });
    def(h, {
      alert: 'PrometheusNotificationsFailing',
      thresholds: [ratio('errorRatio', 0.01, 'ratio of alerts Prometheus failed to send')],
      query: (t) => `rate(${series('prometheus_notifications_errors_total', prom)}[5m])\n/\nrate(${series('prometheus_notifications_sent_total', prom)}[5m])\n> ${t.errorRatio}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of alerts to {{ $labels.alertmanager }}',
      details: 'More than 1 % of the alerts sent to an Alertmanager failed over 15 minutes.',
      metrics: ['prometheus_notifications_errors_total', 'prometheus_notifications_sent_total'],
    });
    def(h, {
      alert: 'PrometheusNotConnectedToAlertmanagers',
      query: () => `max_over_time(${series('prometheus_notifications_alertmanagers_discovered', prom)}[5m]) < 1`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} has discovered no Alertmanager',
      details: 'Alerts evaluated by this Prometheus reach no Alertmanager.',
      metrics: ['prometheus_notifications_alertmanagers_discovered'],
    });
    def(h, {
      alert: 'AlertmanagerNotificationsFailing',
      thresholds: [ratio('errorRatio', 0.01, 'ratio of failed notifications per integration')],
      query: (t) => [
        `sum by (namespace, job, instance, integration) (rate(${series('alertmanager_notifications_failed_total', am)}[5m]))`,
        '/',
        `sum by (namespace, job, instance, integration) (rate(${series('alertmanager_notifications_total', am)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of notifications to {{ $labels.integration }}',
      details: 'Notifications through this integration are failing; check the receiver credentials and reachability.',
      metrics: ['alertmanager_notifications_failed_total', 'alertmanager_notifications_total'],
    });
    def(h, {
      alert: 'PrometheusConfigReloadFailed',
      query: () => `max_over_time(${series('prometheus_config_last_reload_successful', prom)}[5m]) == 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} failed to reload its configuration',
      details: 'The running configuration is stale: new scrape targets and rules are not applied.',
      metrics: ['prometheus_config_last_reload_successful'],
    });
    def(h, {
      alert: 'AlertmanagerConfigReloadFailed',
      query: () => `max_over_time(${series('alertmanager_config_last_reload_successful', am)}[5m]) == 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.instance }} failed to reload its configuration',
      details: 'The running routing configuration is stale.',
      metrics: ['alertmanager_config_last_reload_successful'],
    });
    def(h, {
      alert: 'PrometheusOperatorReconcileErrors',
      thresholds: [ratio('errorRatio', 0.1, 'ratio of failed reconciliations per controller')],
      query: (t) => [
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_reconcile_errors_total', op)}[5m]))`,
        '/',
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_reconcile_operations_total', op)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails {{ $value | humanizePercentage }} of its {{ $labels.controller }} reconciliations',
      details: 'Look at the operator logs: an invalid custom resource or missing RBAC is the usual cause.',
      metrics: ['prometheus_operator_reconcile_errors_total', 'prometheus_operator_reconcile_operations_total'],
    });
    def(h, {
      alert: 'PrometheusTSDBCompactionsFailing',
      query: () => `increase(${series('prometheus_tsdb_compactions_failed_total', prom)}[3h]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to compact its TSDB',
      details: 'Failed compactions usually mean a full or broken volume.',
      metrics: ['prometheus_tsdb_compactions_failed_total'],
    });
    // more of the Prometheus, Alertmanager and operator mixins (our expressions)
    def(h, {
      alert: 'PrometheusSDRefreshFailure',
      query: () => `increase(${series('prometheus_sd_refresh_failures_total', prom)}[10m]) > 0`,
      pendingFor: Duration.minutes(20),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to refresh {{ $labels.mechanism }} service discovery',
      details: 'Targets of that mechanism are not updated: new pods are not scraped.',
      metrics: ['prometheus_sd_refresh_failures_total'],
    });
    def(h, {
      alert: 'PrometheusKubernetesListWatchFailures',
      query: () => `increase(${series('prometheus_sd_kubernetes_failures_total', prom)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to list or watch Kubernetes objects',
      details: 'Usually missing RBAC for a watched namespace: its targets are not discovered.',
      metrics: ['prometheus_sd_kubernetes_failures_total'],
    });
    def(h, {
      alert: 'PrometheusNotificationQueueRunningFull',
      thresholds: [ratio('fullRatio', 0.9, 'share of the notification queue capacity, predicted 30m ahead')],
      query: (t) => [
        `predict_linear(${series('prometheus_notifications_queue_length', prom)}[5m], 60 * 30)`,
        `  > ${t.fullRatio} * min_over_time(${series('prometheus_notifications_queue_capacity', prom)}[5m])`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The alert notification queue of Prometheus {{ $labels.instance }} is running full',
      details: 'Alerts will be dropped when the queue is full: Alertmanager is slow or unreachable.',
      metrics: ['prometheus_notifications_queue_length', 'prometheus_notifications_queue_capacity'],
    });
    def(h, {
      alert: 'PrometheusNotIngestingSamples',
      query: () => [
        `(sum without (type) (rate(${series('prometheus_tsdb_head_samples_appended_total', prom)}[5m])) <= 0)`,
        `and on (namespace, job, instance) (sum without (scrape_job) (${series('prometheus_sd_discovered_targets', prom)}) > 0)`,
      ].join('\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} is not ingesting samples',
      details: 'It has targets but appends no samples: the TSDB is stuck or every scrape fails.',
      metrics: ['prometheus_tsdb_head_samples_appended_total', 'prometheus_sd_discovered_targets'],
    });
    def(h, {
      alert: 'PrometheusMissingRuleEvaluations',
      query: () => `increase(${series('prometheus_rule_group_iterations_missed_total', prom)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} skips evaluations of {{ $labels.rule_group }}',
      details: 'The group takes longer than its interval: queries are too slow or the interval too short.',
      metrics: ['prometheus_rule_group_iterations_missed_total'],
    });
    def(h, {
      alert: 'PrometheusTargetLimitHit',
      query: () => `increase(${series('prometheus_target_scrape_pool_exceeded_target_limit_total', prom)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} drops targets over a scrape pool\'s target limit',
      details: 'Raise the target limit of the monitor or split it.',
      metrics: ['prometheus_target_scrape_pool_exceeded_target_limit_total'],
    });
    def(h, {
      alert: 'PrometheusScrapeSampleLimitHit',
      query: () => `increase(${series('prometheus_target_scrapes_exceeded_sample_limit_total', prom)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} rejects scrapes over their sample limit',
      details: 'Those targets are not ingested at all: raise sampleLimit or drop series with metricRelabelings.',
      metrics: ['prometheus_target_scrapes_exceeded_sample_limit_total'],
    });
    def(h, {
      alert: 'PrometheusTSDBReloadsFailing',
      query: () => `increase(${series('prometheus_tsdb_reloads_failures_total', prom)}[3h]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to reload TSDB blocks',
      details: 'Usually a corrupt block on the volume.',
      metrics: ['prometheus_tsdb_reloads_failures_total'],
    });
    def(h, {
      alert: 'PrometheusRemoteWriteFailures',
      thresholds: [ratio('failedRatio', 0.01, 'ratio of samples that failed to be sent')],
      query: (t) => [
        `rate(${series('prometheus_remote_storage_samples_failed_total', prom)}[5m])`,
        '/',
        `(rate(${series('prometheus_remote_storage_samples_failed_total', prom)}[5m]) + rate(${series('prometheus_remote_storage_samples_total', prom)}[5m]))`,
        `> ${t.failedRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to remote-write {{ $value | humanizePercentage }} of samples to {{ $labels.remote_name }}',
      details: 'Long-term storage is missing data while the failures last.',
      metrics: ['prometheus_remote_storage_samples_failed_total', 'prometheus_remote_storage_samples_total'],
    });
    def(h, {
      alert: 'AlertmanagerClusterMembersInconsistent',
      query: () => [
        `max_over_time(${series('alertmanager_cluster_members', am)}[5m])`,
        `< on (namespace, job) group_left count by (namespace, job) (max_over_time(${series('alertmanager_cluster_members', am)}[5m]))`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.instance }} sees only {{ $value }} cluster members',
      details: 'The gossip cluster is split: silences and notification state are not shared, so alerts may be sent twice or silenced on one side only.',
      metrics: ['alertmanager_cluster_members'],
    });
    def(h, {
      alert: 'PrometheusOperatorSyncFailed',
      query: () => `min_over_time(${series('prometheus_operator_syncs', op, 'status="failed"')}[5m]) > 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails to sync {{ $value }} {{ $labels.controller }} objects',
      details: 'Those Prometheus or Alertmanager objects are not applied: see the operator logs.',
      metrics: ['prometheus_operator_syncs'],
    });
    def(h, {
      alert: 'PrometheusOperatorRejectedResources',
      query: () => `min_over_time(${series('prometheus_operator_managed_resources', op, 'state="rejected"')}[5m]) > 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator rejects {{ $value }} {{ $labels.resource }} objects',
      details: 'An invalid ServiceMonitor, PodMonitor, Probe or PrometheusRule is ignored: kubectl describe it for the reason.',
      metrics: ['prometheus_operator_managed_resources'],
    });
    def(h, {
      alert: 'PrometheusOperatorWatchErrors',
      thresholds: [ratio('errorRatio', 0.4, 'ratio of failed list/watch operations')],
      query: (t) => [
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_watch_operations_failed_total', op)}[5m]))`,
        '/',
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_watch_operations_total', op)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails {{ $value | humanizePercentage }} of its watch operations',
      details: 'Usually missing RBAC: objects of the watched namespaces are not seen.',
      metrics: ['prometheus_operator_watch_operations_failed_total', 'prometheus_operator_watch_operations_total'],
    });

    const st = 'lgtm-stack.storage';
    def(st, {
      alert: 'StackVolumeFillingUp',
      thresholds: [ratio('freeRatio', 0.15, 'share of the volume still free')],
      query: (t) => [
        `(${series('kubelet_volume_stats_available_bytes', pvc)} / ${series('kubelet_volume_stats_capacity_bytes', pvc)}) < ${t.freeRatio}`,
        'and',
        `predict_linear(${series('kubelet_volume_stats_available_bytes', pvc)}[6h], 4 * 24 * 3600) < 0`,
      ].join('\n'),
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.WARNING,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 4 days',
      details: 'Less than 15 % is free and the 6h trend reaches zero within 4 days: raise the PVC size or shorten retention.',
      metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
    });
    def(st, {
      alert: 'StackVolumeAlmostFull',
      thresholds: [ratio('freeRatio', 0.03, 'share of the volume still free')],
      query: (t) => `(${series('kubelet_volume_stats_available_bytes', pvc)} / ${series('kubelet_volume_stats_capacity_bytes', pvc)}) < ${t.freeRatio}`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} free',
      details: 'Less than 3 % of the volume is free; writes (TSDB, WAL, silences) will fail when it is full.',
      metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
    });
    for (const c of props.components ?? []) this.watchComponent(c);
    this._applyOverrides(props);
  }

  /**
   * Watches a component of the stack (Loki, Grafana, Alloy, kube-state-metrics, node-exporter, Tempo,
   * Pyroscope, OTel Collector): a `<Component>Down` alert (scrape failing or target absent) and its
   * failure alert, on the series of the component's Service. Watching a second component of the same
   * kind widens the same alerts. Fails on a construct that is not one of those components.
   */
  public watchComponent(component: IConstruct): void {
    const c = component as unknown as { labels?: Record<string, string>; namespace?: string; service?: { name: string; namespace: string } };
    const appName = c?.labels?.['app.kubernetes.io/name'];
    const kind = COMPONENT_KINDS.find((k) => k.label === appName);
    if (!kind || !c.service) {
      fail(this, {
        problem: 'watchComponent() got a construct the pack has no alerts for',
        received: `${component?.node?.path ?? show(component)} (app.kubernetes.io/name ${show(appName)})`,
        expected: `a component with a Service and a ServiceMonitor: ${COMPONENT_KINDS.map((k) => k.title).join(', ')}`,
        fix: 'pass one of those components; Prometheus, Alertmanager and the operator are always watched',
      });
    }
    const sel = `namespace=${quote(c.service.namespace)}, service=~${quote(`${escapeRegex(c.service.name)}(-.*)?`)}`;
    const list = this.watched.get(kind.label);
    if (list) {
      if (!list.includes(sel)) list.push(sel);
      for (const a of this.componentAlerts(kind)) this.overrideAlert(a, {});
      return;
    }
    const sels = [sel];
    this.watched.set(kind.label, sels);
    const group = `lgtm-stack.${kind.label}`;
    this._defineAlert({
      group,
      alert: `${kind.title}Down`,
      query: () => sels.map((s) => `(${series('up', s)} == 0)`).concat(sels.map((s) => `absent(${series('up', s)})`)).join('\nor\n'),
      pendingFor: Duration.minutes(5),
      severity: kind.severity,
      summary: `${kind.title} {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped`,
      details: `A ${kind.title} target has failed its scrapes or disappeared from service discovery.`,
      metrics: ['up'],
    });
    for (const f of kind.failures(sels)) this._defineAlert({ group, ...f });
  }

  private componentAlerts(kind: ComponentKind): string[] {
    return [`${kind.title}Down`, ...kind.failures(['x="y"']).map((f) => f.alert)];
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `sum by (...) (f(metric{sel1})) or sum by (...) (f(metric{sel2}))` over every watched selector. */
function over(sels: string[], f: (sel: string) => string): string {
  return sels.map(f).join('\nor\n');
}

const COMPONENT_KINDS: ComponentKind[] = [
  {
    label: 'loki',
    title: 'Loki',
    severity: AlertSeverity.CRITICAL,
    // request errors, WAL and flush failures are Loki's own alerts (loki-alerts)
    failures: () => [],
  },
  {
    label: 'tempo',
    title: 'Tempo',
    severity: AlertSeverity.CRITICAL,
    // request errors, flush and compaction failures are Tempo's own alerts (tempo-alerts)
    failures: () => [],
  },
  {
    label: 'grafana',
    title: 'Grafana',
    severity: AlertSeverity.CRITICAL,
    failures: (sels) => [{
      alert: 'GrafanaRequestErrors',
      thresholds: [ratio('errorRatio', 0.05, 'ratio of 5xx responses per handler')],
      query: (t) => over(sels, (s) => [
        `sum by (namespace, job, handler) (rate(${series('grafana_http_request_duration_seconds_count', s, 'status_code=~"5.."')}[5m]))`,
        `/ sum by (namespace, job, handler) (rate(${series('grafana_http_request_duration_seconds_count', s)}[5m])) > ${t.errorRatio}`,
      ].join('\n')),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Grafana answers {{ $value | humanizePercentage }} of {{ $labels.handler }} requests with 5xx',
      details: 'Dashboards or the API fail: check the Grafana logs and its database.',
      metrics: ['grafana_http_request_duration_seconds_count'],
    }],
  },
  {
    label: 'alloy',
    title: 'Alloy',
    severity: AlertSeverity.CRITICAL,
    failures: (sels) => [
      {
        alert: 'AlloyComponentsUnhealthy',
        query: () => over(sels, (s) => `sum by (namespace, job, instance) (${series('alloy_component_controller_running_components', s, 'health_type!="healthy"')}) > 0`),
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.WARNING,
        summary: 'Alloy {{ $labels.instance }} runs {{ $value }} unhealthy components',
        details: 'A pipeline component failed (unreachable endpoint, bad credentials): its data is not collected or not delivered. See the Alloy UI.',
        metrics: ['alloy_component_controller_running_components'],
      },
      {
        alert: 'AlloyConfigReloadFailed',
        query: () => over(sels, (s) => `max_over_time(${series('alloy_config_last_load_successful', s)}[5m]) == 0`),
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'Alloy {{ $labels.instance }} failed to load its configuration',
        details: 'It keeps running the previous configuration.',
        metrics: ['alloy_config_last_load_successful'],
      },
    ],
  },
  {
    label: 'kube-state-metrics',
    title: 'KubeStateMetrics',
    severity: AlertSeverity.CRITICAL,
    failures: (sels) => [{
      alert: 'KubeStateMetricsListErrors',
      thresholds: [ratio('errorRatio', 0.01, 'ratio of failed list operations')],
      query: (t) => over(sels, (s) => [
        `sum by (namespace, job, resource) (rate(${series('kube_state_metrics_list_total', s, 'result="error"')}[5m]))`,
        `/ sum by (namespace, job, resource) (rate(${series('kube_state_metrics_list_total', s)}[5m])) > ${t.errorRatio}`,
      ].join('\n')),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'kube-state-metrics fails to list {{ $labels.resource }}',
      details: 'The workload alerts read stale or missing series: usually missing RBAC.',
      metrics: ['kube_state_metrics_list_total'],
    }],
  },
  {
    label: 'node-exporter',
    title: 'NodeExporter',
    severity: AlertSeverity.WARNING,
    failures: (sels) => [{
      alert: 'NodeExporterCollectorFailed',
      query: () => over(sels, (s) => `max_over_time(${series('node_scrape_collector_success', s)}[5m]) == 0`),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'node-exporter collector {{ $labels.collector }} fails on {{ $labels.instance }}',
      details: 'The node alerts that read that collector\'s series see nothing on this node.',
      metrics: ['node_scrape_collector_success'],
    }],
  },
  {
    label: 'pyroscope',
    title: 'Pyroscope',
    severity: AlertSeverity.WARNING,
    failures: (sels) => [{
      alert: 'PyroscopeRequestErrors',
      thresholds: [ratio('errorRatio', 0.05, 'ratio of 5xx responses per route')],
      query: (t) => over(sels, (s) => [
        `sum by (namespace, job, route) (rate(${series('pyroscope_request_duration_seconds_count', s, 'status_code=~"5.."')}[5m]))`,
        `/ sum by (namespace, job, route) (rate(${series('pyroscope_request_duration_seconds_count', s)}[5m])) > ${t.errorRatio}`,
      ].join('\n')),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Pyroscope answers {{ $value | humanizePercentage }} of {{ $labels.route }} requests with 5xx',
      details: 'Profiles are not ingested or not queryable.',
      metrics: ['pyroscope_request_duration_seconds_count'],
    }],
  },
  {
    label: 'opentelemetry-collector',
    title: 'OtelCollector',
    severity: AlertSeverity.CRITICAL,
    failures: (sels) => [{
      alert: 'OtelCollectorExportFailures',
      query: () => over(sels, (s) => [
        `sum by (namespace, job, exporter) (rate(${series('otelcol_exporter_send_failed_spans_total', s)}[5m])) > 0`,
        `or sum by (namespace, job, exporter) (rate(${series('otelcol_exporter_send_failed_metric_points_total', s)}[5m])) > 0`,
        `or sum by (namespace, job, exporter) (rate(${series('otelcol_exporter_send_failed_log_records_total', s)}[5m])) > 0`,
      ].join('\n')),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'OTel Collector exporter {{ $labels.exporter }} fails to send data',
      details: 'Telemetry is dropped once the retry queue is full: check the backend it exports to.',
      metrics: ['otelcol_exporter_send_failed_spans_total', 'otelcol_exporter_send_failed_metric_points_total', 'otelcol_exporter_send_failed_log_records_total'],
    }],
  },
];
