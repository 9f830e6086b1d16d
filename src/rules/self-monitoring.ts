import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { AlertInfo, AlertOverride, AlertPack, AlertPackOptions, RuleGroupOverride } from './pack';
import { nonNegative, PackAlertDefinition, positive, ratio } from './pack-definition';
import { quote, series } from './promql';
import { nearest } from '../core/config-keys/check';
import { fail, show } from '../core/errors';
import { resolveNamespace, validateNamespace } from '../core/names';
import { declareMetricPack } from '../core/provenance/registry';
import { validateSharedProps } from '../core/validation';

/** Properties of one self-monitoring pack of a stack component (Prometheus, Alertmanager, the operator). */
export interface ComponentSelfMonitoringRulesProps extends AlertPackOptions {
  /**
   * `job` label of the component's metrics (the name of the Service its ServiceMonitor selects).
   * @default - the component's default Service name: 'prometheus', 'alertmanager' or 'prometheus-operator'
   */
  readonly job?: string;
  /**
   * Namespace the component runs in (its series carry it as `namespace`).
   * @default - the namespace of this PrometheusRule
   */
  readonly stackNamespace?: string;
}

/** `job="<job>", namespace="<ns>"` of a component pack (the namespace validated). */
function componentSelector(pack: AlertPack, props: ComponentSelfMonitoringRulesProps, defaultJob: string): string {
  const ns = validateNamespace(pack, 'stackNamespace', props.stackNamespace ?? pack.namespace);
  const job = props.job ?? defaultJob;
  if (typeof job !== 'string' || job.trim() === '') {
    fail(pack, {
      problem: "'job' is empty",
      received: show(job),
      expected: `the job label of the component's targets, e.g. ${show(defaultJob)}`,
      fix: "set 'job' to the name of the component's Service (or leave it unset)",
    });
  }
  return `job=${quote(job)}, namespace=${quote(ns)}`;
}

/** `up == 0 or absent(up)` of a selector. */
const down = (s: string) => `(${series('up', s)} == 0)\nor\nabsent(${series('up', s)})`;

/**
 * Self-monitoring of the stack's Prometheus: down or absent, rule evaluation, notification, config
 * reload, TSDB, service discovery, scrape limits and remote write. A Prometheus cannot report its own
 * death: with one replica `PrometheusDown` only fires from another Prometheus (or for the second replica
 * of an HA pair). Needs the Prometheus' own ServiceMonitor (the default).
 */
export class PrometheusSelfMonitoringRules extends AlertPack {
  /** Matchers selecting Prometheus' own series. */
  public readonly selector: string;

  constructor(scope: Construct, id: string, props: ComponentSelfMonitoringRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'lgtm-stack-self-monitoring-prometheus' });
    declareMetricPack(this);
    const sel = (this.selector = componentSelector(this, props, 'prometheus'));
    const group = 'lgtm-stack.prometheus';
    this._defineAlert({
      group,
      alert: 'PrometheusDown',
      query: () => down(sel),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped',
      details: 'A Prometheus of the stack has failed its scrapes or disappeared from service discovery for 5 minutes.',
      metrics: ['up'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusRuleEvaluationFailures',
      query: () => `increase(${series('prometheus_rule_evaluation_failures_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules in {{ $labels.rule_group }}',
      details: 'Rule evaluations have failed for 15 minutes: alerts of that group may never fire.',
      metrics: ['prometheus_rule_evaluation_failures_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusNotificationsFailing',
      thresholds: [ratio('errorRatio', 0.01, 'ratio of alerts Prometheus failed to send')],
      query: (t) => `rate(${series('prometheus_notifications_errors_total', sel)}[5m])\n/\nrate(${series('prometheus_notifications_sent_total', sel)}[5m])\n> ${t.errorRatio}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of alerts to {{ $labels.alertmanager }}',
      details: 'More than 1 % of the alerts sent to an Alertmanager failed over 15 minutes.',
      metrics: ['prometheus_notifications_errors_total', 'prometheus_notifications_sent_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusNotConnectedToAlertmanagers',
      query: () => `max_over_time(${series('prometheus_notifications_alertmanagers_discovered', sel)}[5m]) < 1`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} has discovered no Alertmanager',
      details: 'Alerts evaluated by this Prometheus reach no Alertmanager.',
      metrics: ['prometheus_notifications_alertmanagers_discovered'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusConfigReloadFailed',
      query: () => `max_over_time(${series('prometheus_config_last_reload_successful', sel)}[5m]) == 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} failed to reload its configuration',
      details: 'The running configuration is stale: new scrape targets and rules are not applied.',
      metrics: ['prometheus_config_last_reload_successful'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusTSDBCompactionsFailing',
      query: () => `increase(${series('prometheus_tsdb_compactions_failed_total', sel)}[3h]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to compact its TSDB',
      details: 'Failed compactions usually mean a full or broken volume.',
      metrics: ['prometheus_tsdb_compactions_failed_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusSDRefreshFailure',
      query: () => `increase(${series('prometheus_sd_refresh_failures_total', sel)}[10m]) > 0`,
      pendingFor: Duration.minutes(20),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to refresh {{ $labels.mechanism }} service discovery',
      details: 'Targets of that mechanism are not updated: new pods are not scraped.',
      metrics: ['prometheus_sd_refresh_failures_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusKubernetesListWatchFailures',
      query: () => `increase(${series('prometheus_sd_kubernetes_failures_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to list or watch Kubernetes objects',
      details: 'Usually missing RBAC for a watched namespace: its targets are not discovered.',
      metrics: ['prometheus_sd_kubernetes_failures_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusNotificationQueueRunningFull',
      thresholds: [ratio('fullRatio', 0.9, 'share of the notification queue capacity, predicted 30m ahead')],
      query: (t) => [
        `predict_linear(${series('prometheus_notifications_queue_length', sel)}[5m], 60 * 30)`,
        `  > ${t.fullRatio} * min_over_time(${series('prometheus_notifications_queue_capacity', sel)}[5m])`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The alert notification queue of Prometheus {{ $labels.instance }} is running full',
      details: 'Alerts will be dropped when the queue is full: Alertmanager is slow or unreachable.',
      metrics: ['prometheus_notifications_queue_length', 'prometheus_notifications_queue_capacity'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusNotIngestingSamples',
      query: () => [
        `(sum without (type) (rate(${series('prometheus_tsdb_head_samples_appended_total', sel)}[5m])) <= 0)`,
        `and on (namespace, job, instance) (sum without (scrape_job) (${series('prometheus_sd_discovered_targets', sel)}) > 0)`,
      ].join('\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} is not ingesting samples',
      details: 'It has targets but appends no samples: the TSDB is stuck or every scrape fails.',
      metrics: ['prometheus_tsdb_head_samples_appended_total', 'prometheus_sd_discovered_targets'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusMissingRuleEvaluations',
      query: () => `increase(${series('prometheus_rule_group_iterations_missed_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} skips evaluations of {{ $labels.rule_group }}',
      details: 'The group takes longer than its interval: queries are too slow or the interval too short.',
      metrics: ['prometheus_rule_group_iterations_missed_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusTargetLimitHit',
      query: () => `increase(${series('prometheus_target_scrape_pool_exceeded_target_limit_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} drops targets over a scrape pool\'s target limit',
      details: 'Raise the target limit of the monitor or split it.',
      metrics: ['prometheus_target_scrape_pool_exceeded_target_limit_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusScrapeSampleLimitHit',
      query: () => `increase(${series('prometheus_target_scrapes_exceeded_sample_limit_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} rejects scrapes over their sample limit',
      details: 'Those targets are not ingested at all: raise sampleLimit or drop series with metricRelabelings.',
      metrics: ['prometheus_target_scrapes_exceeded_sample_limit_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusTSDBReloadsFailing',
      query: () => `increase(${series('prometheus_tsdb_reloads_failures_total', sel)}[3h]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} fails to reload TSDB blocks',
      details: 'Usually a corrupt block on the volume.',
      metrics: ['prometheus_tsdb_reloads_failures_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusRemoteWriteFailures',
      thresholds: [ratio('failedRatio', 0.01, 'ratio of samples that failed to be sent')],
      query: (t) => [
        `rate(${series('prometheus_remote_storage_samples_failed_total', sel)}[5m])`,
        '/',
        `(rate(${series('prometheus_remote_storage_samples_failed_total', sel)}[5m]) + rate(${series('prometheus_remote_storage_samples_total', sel)}[5m]))`,
        `> ${t.failedRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to remote-write {{ $value | humanizePercentage }} of samples to {{ $labels.remote_name }}',
      details: 'Long-term storage is missing data while the failures last.',
      metrics: ['prometheus_remote_storage_samples_failed_total', 'prometheus_remote_storage_samples_total'],
    });
    // more of the Prometheus mixin (our expressions)
    this._defineAlert({
      group,
      alert: 'PrometheusDuplicateTimestamps',
      query: () => `rate(${series('prometheus_target_scrapes_sample_duplicate_timestamp_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} drops {{ $value | humanize }} samples/s with duplicate timestamps',
      details: 'A target exposes the same series twice with different values (usually two exporters behind one Service, or a broken exporter): those samples are lost.',
      metrics: ['prometheus_target_scrapes_sample_duplicate_timestamp_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOutOfOrderTimestamps',
      query: () => `rate(${series('prometheus_target_scrapes_sample_out_of_order_total', sel)}[5m]) > 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} drops {{ $value | humanize }} samples/s with out-of-order timestamps',
      details: 'A target exposes explicit timestamps that go backwards: those samples are lost.',
      metrics: ['prometheus_target_scrapes_sample_out_of_order_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusRemoteWriteBehind',
      thresholds: [positive('behindSeconds', 120, 'seconds remote write lags behind the newest sample')],
      query: (t) => [
        `(max_over_time(${series('prometheus_remote_storage_highest_timestamp_in_seconds', sel)}[5m])`,
        `- ignoring (remote_name, url) group_right max_over_time(${series('prometheus_remote_storage_queue_highest_sent_timestamp_seconds', sel)}[5m]))`,
        `> ${t.behindSeconds}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Remote write of Prometheus {{ $labels.instance }} to {{ $labels.remote_name }} is {{ $value | humanizeDuration }} behind',
      details: (t) => `The newest sample sent is more than ${t.behindSeconds} s older than the newest sample ingested: the receiver is slow or unreachable, and the WAL keeps only about 2 hours.`,
      metrics: ['prometheus_remote_storage_highest_timestamp_in_seconds', 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusRemoteWriteDesiredShards',
      query: () => `max_over_time(${series('prometheus_remote_storage_shards_desired', sel)}[5m])\n> max_over_time(${series('prometheus_remote_storage_shards_max', sel)}[5m])`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Remote write of Prometheus {{ $labels.instance }} to {{ $labels.remote_name }} wants more shards than its maximum',
      details: 'The queue cannot keep up at the configured maximum shards: raise queueConfig.maxShards or make the receiver faster.',
      metrics: ['prometheus_remote_storage_shards_desired', 'prometheus_remote_storage_shards_max'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusTargetSyncFailure',
      query: () => `increase(${series('prometheus_target_sync_failed_total', sel)}[30m]) > 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Prometheus {{ $labels.instance }} fails to sync the targets of {{ $labels.scrape_job }}',
      details: 'The scrape pool could not be (re)built, usually an invalid scrape configuration: its targets are not scraped.',
      metrics: ['prometheus_target_sync_failed_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusHighQueryLoad',
      thresholds: [ratio('loadRatio', 0.8, 'share of the concurrent-query limit in use over 5m')],
      query: (t) => `avg_over_time(${series('prometheus_engine_queries', sel)}[5m])\n/ max_over_time(${series('prometheus_engine_queries_concurrent_max', sel)}[5m])\n> ${t.loadRatio}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Prometheus {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its concurrent-query capacity',
      details: 'Rule evaluations and dashboard queries start to queue: lighten the dashboards, record expensive expressions, or raise query.maxConcurrency.',
      metrics: ['prometheus_engine_queries', 'prometheus_engine_queries_concurrent_max'],
    });
    this._applyOverrides(props);
  }
}

/**
 * Self-monitoring of the stack's Alertmanager: down or absent, failing notifications, config reload, and a
 * split gossip cluster. Needs the Alertmanager's ServiceMonitor (the default).
 */
export class AlertmanagerSelfMonitoringRules extends AlertPack {
  /** Matchers selecting Alertmanager's series. */
  public readonly selector: string;

  constructor(scope: Construct, id: string, props: ComponentSelfMonitoringRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'lgtm-stack-self-monitoring-alertmanager' });
    declareMetricPack(this);
    const sel = (this.selector = componentSelector(this, props, 'alertmanager'));
    const group = 'lgtm-stack.alertmanager';
    this._defineAlert({
      group,
      alert: 'AlertmanagerDown',
      query: () => down(sel),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped',
      details: 'An Alertmanager of the stack has failed its scrapes or disappeared for 5 minutes; notifications may not be delivered.',
      metrics: ['up'],
    });
    this._defineAlert({
      group,
      alert: 'AlertmanagerNotificationsFailing',
      thresholds: [ratio('errorRatio', 0.01, 'ratio of failed notifications per integration')],
      query: (t) => [
        `sum by (namespace, job, instance, integration) (rate(${series('alertmanager_notifications_failed_total', sel)}[5m]))`,
        '/',
        `sum by (namespace, job, instance, integration) (rate(${series('alertmanager_notifications_total', sel)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of notifications to {{ $labels.integration }}',
      details: 'Notifications through this integration are failing; check the receiver credentials and reachability.',
      metrics: ['alertmanager_notifications_failed_total', 'alertmanager_notifications_total'],
    });
    this._defineAlert({
      group,
      alert: 'AlertmanagerConfigReloadFailed',
      query: () => `max_over_time(${series('alertmanager_config_last_reload_successful', sel)}[5m]) == 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.instance }} failed to reload its configuration',
      details: 'The running routing configuration is stale.',
      metrics: ['alertmanager_config_last_reload_successful'],
    });
    this._defineAlert({
      group,
      alert: 'AlertmanagerClusterMembersInconsistent',
      query: () => [
        `max_over_time(${series('alertmanager_cluster_members', sel)}[5m])`,
        `< on (namespace, job) group_left count by (namespace, job) (max_over_time(${series('alertmanager_cluster_members', sel)}[5m]))`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Alertmanager {{ $labels.instance }} sees only {{ $value }} cluster members',
      details: 'The gossip cluster is split: silences and notification state are not shared, so alerts may be sent twice or silenced on one side only.',
      metrics: ['alertmanager_cluster_members'],
    });
    this._applyOverrides(props);
  }
}

/**
 * Self-monitoring of the Prometheus Operator: down or absent, reconcile, sync, watch and status-update
 * errors, rejected resources and node lookups. Needs the operator's ServiceMonitor (the default).
 */
export class PrometheusOperatorSelfMonitoringRules extends AlertPack {
  /** Matchers selecting the operator's series. */
  public readonly selector: string;

  constructor(scope: Construct, id: string, props: ComponentSelfMonitoringRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'lgtm-stack-self-monitoring-operator' });
    declareMetricPack(this);
    const sel = (this.selector = componentSelector(this, props, 'prometheus-operator'));
    const group = 'lgtm-stack.prometheus-operator';
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorDown',
      query: () => down(sel),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator is down or not scraped',
      details: 'Changes to Prometheus, Alertmanager, ServiceMonitor and PrometheusRule objects are not being applied.',
      metrics: ['up'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorReconcileErrors',
      thresholds: [ratio('errorRatio', 0.1, 'ratio of failed reconciliations per controller')],
      query: (t) => [
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_reconcile_errors_total', sel)}[5m]))`,
        '/',
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_reconcile_operations_total', sel)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails {{ $value | humanizePercentage }} of its {{ $labels.controller }} reconciliations',
      details: 'Look at the operator logs: an invalid custom resource or missing RBAC is the usual cause.',
      metrics: ['prometheus_operator_reconcile_errors_total', 'prometheus_operator_reconcile_operations_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorSyncFailed',
      query: () => `min_over_time(${series('prometheus_operator_syncs', sel, 'status="failed"')}[5m]) > 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails to sync {{ $value }} {{ $labels.controller }} objects',
      details: 'Those Prometheus or Alertmanager objects are not applied: see the operator logs.',
      metrics: ['prometheus_operator_syncs'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorRejectedResources',
      query: () => `min_over_time(${series('prometheus_operator_managed_resources', sel, 'state="rejected"')}[5m]) > 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator rejects {{ $value }} {{ $labels.resource }} objects',
      details: 'An invalid ServiceMonitor, PodMonitor, Probe or PrometheusRule is ignored: kubectl describe it for the reason.',
      metrics: ['prometheus_operator_managed_resources'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorWatchErrors',
      thresholds: [ratio('errorRatio', 0.4, 'ratio of failed list/watch operations')],
      query: (t) => [
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_watch_operations_failed_total', sel)}[5m]))`,
        '/',
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_watch_operations_total', sel)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails {{ $value | humanizePercentage }} of its watch operations',
      details: 'Usually missing RBAC: objects of the watched namespaces are not seen.',
      metrics: ['prometheus_operator_watch_operations_failed_total', 'prometheus_operator_watch_operations_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorStatusUpdateErrors',
      thresholds: [ratio('errorRatio', 0.1, 'ratio of failed status updates per controller')],
      query: (t) => [
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_status_update_errors_total', sel)}[5m]))`,
        '/',
        `sum by (namespace, job, controller) (rate(${series('prometheus_operator_status_update_operations_total', sel)}[5m]))`,
        `> ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails {{ $value | humanizePercentage }} of its {{ $labels.controller }} status updates',
      details: 'The status of Prometheus and Alertmanager objects is stale (kubectl get shows old conditions): usually missing RBAC on the status subresource.',
      metrics: ['prometheus_operator_status_update_errors_total', 'prometheus_operator_status_update_operations_total'],
    });
    this._defineAlert({
      group,
      alert: 'PrometheusOperatorNodeLookupErrors',
      thresholds: [positive('errorsPerSecond', 0.1, 'failed node address lookups per second')],
      query: (t) => `sum by (namespace, job) (rate(${series('prometheus_operator_node_address_lookup_errors_total', sel)}[5m])) > ${t.errorsPerSecond}`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Prometheus Operator fails to look up node addresses ({{ $value | humanize }}/s)',
      details: 'The kubelet endpoints it maintains miss nodes: the kubelet and cAdvisor of those nodes are not scraped.',
      metrics: ['prometheus_operator_node_address_lookup_errors_total'],
    });
    this._applyOverrides(props);
  }
}

/** Properties for `StackVolumeRules`. */
export interface StackVolumeRulesProps extends AlertPackOptions {
  /**
   * Namespace whose PersistentVolumeClaims are watched.
   * @default - the namespace of this PrometheusRule
   */
  readonly stackNamespace?: string;
}

/**
 * The stack's PersistentVolumeClaims filling up (`kubelet_volume_stats_*`, with `predict_linear` over 6h).
 * Needs `KubeletMonitor` (the kubelet's `/metrics`).
 */
export class StackVolumeRules extends AlertPack {
  constructor(scope: Construct, id: string, props: StackVolumeRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'lgtm-stack-self-monitoring-volumes' });
    declareMetricPack(this);
    const ns = validateNamespace(this, 'stackNamespace', props.stackNamespace ?? this.namespace);
    const pvc = `namespace=${quote(ns)}`;
    const group = 'lgtm-stack.storage';
    this._defineAlert({
      group,
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
    this._defineAlert({
      group,
      alert: 'StackVolumeAlmostFull',
      thresholds: [ratio('freeRatio', 0.03, 'share of the volume still free')],
      query: (t) => `(${series('kubelet_volume_stats_available_bytes', pvc)} / ${series('kubelet_volume_stats_capacity_bytes', pvc)}) < ${t.freeRatio}`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} free',
      details: 'Less than 3 % of the volume is free; writes (TSDB, WAL, silences) will fail when it is full.',
      metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
    });
    this._applyOverrides(props);
  }
}

/** Properties for `StackComponentRules`. */
export interface StackComponentRulesProps extends AlertPackOptions {
  /**
   * The component to watch: Loki, Tempo, Grafana, Alloy, kube-state-metrics, node-exporter, Pyroscope,
   * the OTel Collector, SeaweedFS, OpenCost, Kepler, Beyla or Promtail (recognised by its `app.kubernetes.io/name`;
   * its series by its Service, Beyla's by its DaemonSet in kube-state-metrics).
   */
  readonly component: IConstruct;
}

/**
 * A "down or absent" alert (`<Component>Down`) and the failure alerts of one kind of stack component, on
 * the series of the component's Service; `watch` adds another component of the same kind. Needs the
 * component's ServiceMonitor (the default).
 */
export class StackComponentRules extends AlertPack {
  /** The kind's `app.kubernetes.io/name`. */
  public readonly componentKind: string;
  private readonly kind: ComponentKind;
  private readonly sels: string[] = [];
  private readonly workloads: WorkloadRef[] = [];

  constructor(scope: Construct, id: string, props: StackComponentRulesProps) {
    const kind = kindOf(scope, id, props?.component);
    super(scope, id, { ...props, name: props.name ?? `lgtm-stack-self-monitoring-${kind.label}` });
    declareMetricPack(this);
    this.kind = kind;
    this.componentKind = kind.label;
    this.sels.push(selectorOf(props.component, kind));
    this.workloads.push(workloadOf(props.component));
    const sels = this.sels;
    const workloads = this.workloads;
    const group = `lgtm-stack.${kind.label}`;
    const downAlert: Omit<PackAlertDefinition, 'group'> = kind.down?.(sels, workloads) ?? {
      alert: `${kind.title}Down`,
      query: () => sels.map((s) => `(${series('up', s)} == 0)`).concat(sels.map((s) => `absent(${series('up', s)})`)).join('\nor\n'),
      pendingFor: Duration.minutes(5),
      severity: kind.severity,
      summary: `${kind.title} {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped`,
      details: `A ${kind.title} target has failed its scrapes or disappeared from service discovery.`,
      metrics: ['up'],
    };
    this._defineAlert({ group, ...downAlert });
    for (const f of kind.failures(sels, workloads)) this._defineAlert({ group, ...f });
    this._applyOverrides(props);
  }

  /** Watches another component of the same kind (the same alerts, widened). Fails on another kind. */
  public watch(component: IConstruct): void {
    const kind = kindOf(this, undefined, component);
    if (kind.label !== this.kind.label) {
      fail(this, {
        problem: `watch() got a ${kind.title}, but this pack watches ${this.kind.title} components`,
        received: component.node.path,
        expected: `a ${this.kind.title} (app.kubernetes.io/name ${show(this.kind.label)})`,
        fix: 'watch it with its own StackComponentRules (or StackSelfMonitoringRules.watchComponent, which picks the pack)',
      });
    }
    const sel = selectorOf(component, kind);
    if (this.sels.includes(sel)) return;
    this.sels.push(sel);
    this.workloads.push(workloadOf(component));
    // re-render the alerts on the widened selector list
    for (const a of this.alertNames) this.overrideAlert(a, {});
  }
}

/** The component kind of `component`, or a failure naming the kinds there are. */
function kindOf(scope: IConstruct, id: string | undefined, component: IConstruct): ComponentKind {
  const c = component as unknown as { labels?: Record<string, string> };
  const appName = c?.labels?.['app.kubernetes.io/name'];
  const kind = COMPONENT_KINDS.find((k) => k.label === appName);
  if (!kind || (kind.workload === undefined && serviceOf(component) === undefined)) {
    const at = id !== undefined ? new Construct(scope, id) : scope;
    fail(at, {
      problem: 'the self-monitoring rules got a component they have no alerts for',
      received: `${component?.node?.path ?? show(component)} (app.kubernetes.io/name ${show(appName)})`,
      expected: `a component with a Service and a ServiceMonitor: ${COMPONENT_KINDS.map((k) => k.title).join(', ')}`,
      fix: 'pass one of those components; Prometheus, Alertmanager and the operator have packs of their own (PrometheusSelfMonitoringRules, AlertmanagerSelfMonitoringRules, PrometheusOperatorSelfMonitoringRules)',
    });
  }
  return kind;
}

/** The component's Service, if it rendered one (the `service` getter throws otherwise). */
function serviceOf(component: IConstruct): { name: string; namespace: string } | undefined {
  try {
    return (component as unknown as { service?: { name: string; namespace: string } })?.service;
  } catch {
    return undefined;
  }
}

/**
 * The matchers of a component's series: its Service's targets, or, for a kind watched through
 * kube-state-metrics (no metrics endpoint of its own), its workload (`namespace`, and `daemonset` etc.).
 */
function selectorOf(component: IConstruct, kind: ComponentKind): string {
  if (kind.workload !== undefined) {
    const c = component as unknown as { name: string; namespace: string };
    return `namespace=${quote(c.namespace)}, ${kind.workload}=${quote(c.name)}`;
  }
  const svc = serviceOf(component)!;
  return `namespace=${quote(svc.namespace)}, service=~${quote(`${escapeRegex(svc.name)}(-.*)?`)}`;
}

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
   * @default - the namespace of these PrometheusRules
   */
  readonly stackNamespace?: string;
  /**
   * Components of the stack to watch: each gets a "down or absent" alert and its failure alerts (see
   * `watchComponent`).
   * @default - none (more with `watchComponent`)
   */
  readonly components?: IConstruct[];
  /**
   * Alerts on Prometheus itself (`PrometheusSelfMonitoringRules`).
   * @default true
   */
  readonly prometheusAlerts?: boolean;
  /**
   * Alerts on the Alertmanager (`AlertmanagerSelfMonitoringRules`); switch off in an app without one.
   * @default true
   */
  readonly alertmanagerAlerts?: boolean;
  /**
   * Alerts on the Prometheus Operator (`PrometheusOperatorSelfMonitoringRules`); switch off when the
   * operator is not scraped by this app.
   * @default true
   */
  readonly operatorAlerts?: boolean;
  /**
   * Alerts on the stack's PersistentVolumeClaims (`StackVolumeRules`, needs `KubeletMonitor`).
   * @default true
   */
  readonly volumeAlerts?: boolean;
}

/**
 * Self-monitoring of the whole stack, as one pack per component: Prometheus, Alertmanager and the
 * operator (`PrometheusSelfMonitoringRules`, `AlertmanagerSelfMonitoringRules`,
 * `PrometheusOperatorSelfMonitoringRules`), the stack's volumes (`StackVolumeRules`), and a
 * `StackComponentRules` per kind of component given to `watchComponent`. Each part is a PrometheusRule of
 * its own (`<name>-prometheus`, `<name>-alertmanager`, `<name>-operator`, `<name>-volumes`,
 * `<name>-<component>`), tunable like every pack, and checked at synth: a part whose component is not
 * scraped in the app fails, naming the construct to add (or switch the part off).
 *
 * Tuning is by alert name and routed to the part that has the alert.
 */
export class StackSelfMonitoringRules extends Construct {
  /** Prefix of the parts' PrometheusRule names. */
  public readonly name: string;
  /** Matchers selecting Prometheus' own series. */
  public readonly prometheusSelector: string;
  /** Matchers selecting Alertmanager's series. */
  public readonly alertmanagerSelector: string;
  /** Matchers selecting the operator's series. */
  public readonly operatorSelector: string;
  /** Alerts on Prometheus (unless `prometheusAlerts: false`). */
  public readonly prometheusRules?: PrometheusSelfMonitoringRules;
  /** Alerts on the Alertmanager (unless `alertmanagerAlerts: false`). */
  public readonly alertmanagerRules?: AlertmanagerSelfMonitoringRules;
  /** Alerts on the operator (unless `operatorAlerts: false`). */
  public readonly operatorRules?: PrometheusOperatorSelfMonitoringRules;
  /** Alerts on the stack's volumes (unless `volumeAlerts: false`). */
  public readonly volumeRules?: StackVolumeRules;
  private readonly componentPacks = new Map<string, StackComponentRules>();
  private readonly common: AlertPackOptions;
  private readonly stackNamespace: string;

  constructor(scope: Construct, id: string, props: StackSelfMonitoringRulesProps = {}) {
    super(scope, id);
    validateSharedProps(this, props);
    this.name = props.name ?? 'lgtm-stack-self-monitoring';
    this.common = { namespace: props.namespace, metadataLabels: props.metadataLabels, runbookBaseUrl: props.runbookBaseUrl };
    // the parts' namespace (the chart's, unless given) is the default of the selectors' namespace
    this.stackNamespace = validateNamespace(this, 'stackNamespace', props.stackNamespace ?? resolveNamespace(this, props.namespace));
    const sel = (job: string) => `job=${quote(job)}, namespace=${quote(this.stackNamespace)}`;
    this.prometheusSelector = sel(props.prometheusJob ?? 'prometheus');
    this.alertmanagerSelector = sel(props.alertmanagerJob ?? 'alertmanager');
    this.operatorSelector = sel(props.operatorJob ?? 'prometheus-operator');
    const ns = { stackNamespace: this.stackNamespace };
    if (props.prometheusAlerts ?? true) {
      this.prometheusRules = new PrometheusSelfMonitoringRules(this, 'Prometheus', { ...this.common, ...ns, name: `${this.name}-prometheus`, job: props.prometheusJob });
    }
    if (props.alertmanagerAlerts ?? true) {
      this.alertmanagerRules = new AlertmanagerSelfMonitoringRules(this, 'Alertmanager', { ...this.common, ...ns, name: `${this.name}-alertmanager`, job: props.alertmanagerJob });
    }
    if (props.operatorAlerts ?? true) {
      this.operatorRules = new PrometheusOperatorSelfMonitoringRules(this, 'Operator', { ...this.common, ...ns, name: `${this.name}-operator`, job: props.operatorJob });
    }
    if (props.volumeAlerts ?? true) {
      this.volumeRules = new StackVolumeRules(this, 'Volumes', { ...this.common, ...ns, name: `${this.name}-volumes` });
    }
    for (const c of props.components ?? []) this.watchComponent(c);
    for (const [alert, o] of Object.entries(props.alertOverrides ?? {})) this.overrideAlert(alert, o);
    for (const [group, o] of Object.entries(props.groupOverrides ?? {})) this.overrideGroup(group, o);
  }

  /** Every part, in order (Prometheus, Alertmanager, operator, volumes, then the watched component kinds). */
  public get packs(): AlertPack[] {
    const out: AlertPack[] = [];
    for (const p of [this.prometheusRules, this.alertmanagerRules, this.operatorRules, this.volumeRules]) if (p) out.push(p);
    return [...out, ...this.componentPacks.values()];
  }

  /** Names of every alert of every part. */
  public get alertNames(): string[] {
    return this.packs.flatMap((p) => p.alertNames);
  }

  /** Every alert of every part as currently tuned. */
  public describeAlerts(): AlertInfo[] {
    return this.packs.flatMap((p) => p.describeAlerts());
  }

  /**
   * Watches a component of the stack (Loki, Grafana, Alloy, kube-state-metrics, node-exporter, Tempo,
   * Pyroscope, OTel Collector, SeaweedFS, OpenCost, Kepler, Beyla, Promtail): a `<Component>Down` alert (scrape
   * failing or target absent; for Beyla, which has no metrics endpoint, its DaemonSet short of pods) and its
   * failure alerts, in the `StackComponentRules` part of its kind. Watching a second component of the same
   * kind widens the same alerts. Fails on a construct that is not one of those components.
   */
  public watchComponent(component: IConstruct): void {
    const kind = kindOf(this, undefined, component);
    const existing = this.componentPacks.get(kind.label);
    if (existing) {
      existing.watch(component);
      return;
    }
    this.componentPacks.set(kind.label, new StackComponentRules(this, kind.title, { ...this.common, name: `${this.name}-${kind.label}`, component }));
  }

  /** Changes one alert of the part that has it; fails on an unknown name (with the nearest one). */
  public overrideAlert(alert: string, override: AlertOverride): void {
    this.packOf(alert).overrideAlert(alert, override);
  }

  /** Stops rendering an alert. */
  public disableAlert(alert: string): void {
    this.packOf(alert).disableAlert(alert);
  }

  /** Renders an alert again. */
  public enableAlert(alert: string): void {
    this.packOf(alert).enableAlert(alert);
  }

  /** Changes one rule group (its evaluation interval) of the part that has it. Fails on an unknown group. */
  public overrideGroup(group: string, override: RuleGroupOverride): void {
    const pack = this.packs.find((p) => p.groupNames.includes(group));
    if (!pack) {
      const groups = this.packs.flatMap((p) => p.groupNames);
      const near = nearest(group, groups);
      fail(this, {
        problem: `StackSelfMonitoringRules has no rule group '${group}'`,
        received: show(group),
        expected: `one of ${groups.join(', ')}`,
        fix: near ? `use '${near}'` : 'use one of the group names above',
      });
    }
    pack.overrideGroup(group, override);
  }

  private packOf(alert: string): AlertPack {
    const pack = this.packs.find((p) => p.alertNames.includes(alert));
    if (!pack) {
      const near = nearest(String(alert), this.alertNames);
      fail(this, {
        problem: `StackSelfMonitoringRules has no alert '${alert}'`,
        received: show(alert),
        expected: `one of the pack's alerts: ${this.alertNames.join(', ')}`,
        fix: near ? `did you mean '${near}'? Use overrideAlert('${near}', ...)` : 'use one of the names above (docs/ALERTS.md lists every pack); a component alert exists once the component is watched',
      });
    }
    return pack;
  }
}

/** What the packs know of each watched component kind (by its `app.kubernetes.io/name`). */
interface ComponentKind {
  readonly label: string;
  readonly title: string;
  readonly severity: AlertSeverity;
  /**
   * For a component without a metrics endpoint: the kube-state-metrics label naming its workload
   * (`daemonset`); its selectors are then `namespace="<ns>", <label>="<name>"`.
   */
  readonly workload?: string;
  /** The "down or absent" alert, when not the default one on `up`. */
  readonly down?: (sel: string[], workloads: WorkloadRef[]) => Omit<PackAlertDefinition, 'group'>;
  readonly failures: (sel: string[], workloads: WorkloadRef[]) => Array<Omit<PackAlertDefinition, 'group'>>;
}

/** Name and namespace of a watched component (its workload's, by the skeleton's naming). */
interface WorkloadRef {
  readonly name: string;
  readonly namespace: string;
}

function workloadOf(component: IConstruct): WorkloadRef {
  const c = component as unknown as { name?: string; namespace?: string };
  return { name: String(c.name ?? ''), namespace: String(c.namespace ?? '') };
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
  {
    label: 'promtail',
    title: 'Promtail',
    severity: AlertSeverity.WARNING,
    failures: (sels) => [{
      alert: 'PromtailDroppedEntries',
      query: () => over(sels, (s) => `sum by (namespace, job, instance, host) (rate(${series('promtail_dropped_entries_total', s)}[5m])) > 0`),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Promtail {{ $labels.instance }} drops log entries for {{ $labels.host }}',
      details: 'Entries are dropped after every retry failed: Loki rejects them (limits, out-of-order) or cannot be reached. Those logs are lost.',
      metrics: ['promtail_dropped_entries_total'],
    }],
  },
  {
    label: 'seaweedfs',
    title: 'SeaweedFS',
    severity: AlertSeverity.CRITICAL,
    failures: (sels) => [{
      alert: 'SeaweedFSS3RequestErrors',
      thresholds: [ratio('errorRatio', 0.05, 'ratio of S3 requests answered with 5xx, per request type')],
      query: (t) => over(sels, (s) => [
        `sum by (namespace, job, type) (rate(${series('SeaweedFS_s3_request_total', s, 'code=~"5.."')}[5m]))`,
        `/ sum by (namespace, job, type) (rate(${series('SeaweedFS_s3_request_total', s)}[5m])) > ${t.errorRatio}`,
      ].join('\n')),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'SeaweedFS answers {{ $value | humanizePercentage }} of S3 {{ $labels.type }} requests with 5xx',
      details: 'The backends storing chunks and blocks in it (Loki, Tempo, Mimir, Pyroscope) fail to write or read: check its volume and logs.',
      metrics: ['SeaweedFS_s3_request_total'],
    }],
  },
  {
    label: 'opencost',
    title: 'OpenCost',
    severity: AlertSeverity.WARNING,
    failures: (sels) => [{
      alert: 'OpenCostNoCostData',
      // up, but no node cost: the cost model found no pricing or no nodes
      query: () => over(sels, (s) => `((max by (namespace, job) (${series('up', s)}) == 1)\nunless on (namespace, job)\ncount by (namespace, job) (${series('node_total_hourly_cost', s)}))`),
      pendingFor: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: 'OpenCost {{ $labels.namespace }}/{{ $labels.job }} reports no node costs',
      details: 'It answers its scrapes but computes no cost: usually no pricing source (cloud API access, a custom pricing file) or no access to the nodes. The cost dashboard stays empty.',
      metrics: ['up', 'node_total_hourly_cost'],
    }],
  },
  {
    label: 'kepler',
    title: 'Kepler',
    severity: AlertSeverity.WARNING,
    failures: (sels) => [{
      alert: 'KeplerNoEnergyReadings',
      // up, but no CPU energy counted: the node exposes no RAPL / powercap zone to read
      query: () => over(sels, (s) => `((max by (namespace, job, instance) (${series('up', s)}) == 1)\nunless on (namespace, job, instance)\n(sum by (namespace, job, instance) (rate(${series('kepler_node_cpu_joules_total', s)}[5m])) > 0))`),
      pendingFor: Duration.minutes(30),
      severity: AlertSeverity.WARNING,
      summary: 'Kepler on {{ $labels.instance }} reads no CPU energy',
      details: 'The exporter runs but counts no energy on its node: the kernel lacks the powercap driver (usual on virtual machines) or the sysfs mount is missing. The energy dashboard shows nothing for the node.',
      metrics: ['up', 'kepler_node_cpu_joules_total'],
    }],
  },
  {
    // Beyla has no metrics endpoint of its own (its metrics go over OTLP): watched through
    // kube-state-metrics, by its DaemonSet and its pods
    label: 'beyla',
    title: 'Beyla',
    severity: AlertSeverity.WARNING,
    workload: 'daemonset',
    down: (sels) => ({
      alert: 'BeylaDown',
      query: () => sels.map((s) => [
        `(${series('kube_daemonset_status_desired_number_scheduled', s)}`,
        `  - ${series('kube_daemonset_status_number_available', s)} > 0)`,
      ].join('\n')).concat(sels.map((s) => `absent(${series('kube_daemonset_status_desired_number_scheduled', s)})`)).join('\nor\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Beyla {{ $labels.namespace }}/{{ $labels.daemonset }} runs on {{ $value }} nodes too few, or is not reported',
      details: 'Services on the nodes without a Beyla pod are not instrumented: their traces and RED metrics are missing. No series at all means kube-state-metrics does not see the DaemonSet.',
      metrics: ['kube_daemonset_status_desired_number_scheduled', 'kube_daemonset_status_number_available'],
    }),
    failures: (_sels, workloads) => [{
      alert: 'BeylaRestarting',
      thresholds: [nonNegative('restarts', 2, 'restarts of one Beyla container in 30 minutes', true)],
      query: (t) => workloads.map((w) => [
        `sum by (namespace, pod) (increase(${series('kube_pod_container_status_restarts_total', `namespace=${quote(w.namespace)}`, `pod=~${quote(`${escapeRegex(w.name)}-[a-z0-9]{5}`)}`, 'container="beyla"')}[30m]))`,
        `> ${t.restarts}`,
      ].join('\n')).join('\nor\n'),
      severity: AlertSeverity.WARNING,
      summary: 'Beyla pod {{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value }} times in 30 minutes',
      details: 'Beyla fails on that node, usually eBPF programs its kernel refuses (too old, locked down) or its memory limit: the node\'s services lose their instrumentation while it restarts.',
      metrics: ['kube_pod_container_status_restarts_total'],
    }],
  },
];
