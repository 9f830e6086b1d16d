import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { PrometheusRule, PrometheusRuleOptions } from './prometheus-rule';
import { quote, series } from './promql';
import { validateNamespace } from '../core/names';

/** Properties for `StackSelfMonitoringRules`. */
export interface StackSelfMonitoringRulesProps extends PrometheusRuleOptions {
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
export class StackSelfMonitoringRules extends PrometheusRule {
  /** Matchers selecting Prometheus' own series. */
  public readonly prometheusSelector: string;
  /** Matchers selecting Alertmanager's series. */
  public readonly alertmanagerSelector: string;
  /** Matchers selecting the operator's series. */
  public readonly operatorSelector: string;

  constructor(scope: Construct, id: string, props: StackSelfMonitoringRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'lgtm-stack-self-monitoring' });
    const ns = validateNamespace(this, 'stackNamespace', props.stackNamespace ?? this.namespace);
    const sel = (job: string) => `job=${quote(job)}, namespace=${quote(ns)}`;
    const prom = (this.prometheusSelector = sel(props.prometheusJob ?? 'prometheus'));
    const am = (this.alertmanagerSelector = sel(props.alertmanagerJob ?? 'alertmanager'));
    const op = (this.operatorSelector = sel(props.operatorJob ?? 'prometheus-operator'));
    const down = (s: string) => `(${series('up', s)} == 0)\nor\nabsent(${series('up', s)})`;
    const pvc = `namespace=${quote(ns)}`;

    this.addGroup({ name: 'lgtm-stack.availability' })
      .addAlert({
        alert: 'PrometheusDown',
        expr: down(prom),
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'Prometheus {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped',
        description: 'A Prometheus of the stack has failed its scrapes or disappeared from service discovery for 5 minutes.',
      })
      .addAlert({
        alert: 'AlertmanagerDown',
        expr: down(am),
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'Alertmanager {{ $labels.namespace }}/{{ $labels.instance }} is down or not scraped',
        description: 'An Alertmanager of the stack has failed its scrapes or disappeared for 5 minutes; notifications may not be delivered.',
      })
      .addAlert({
        alert: 'PrometheusOperatorDown',
        expr: down(op),
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'The Prometheus Operator is down or not scraped',
        description: 'Changes to Prometheus, Alertmanager, ServiceMonitor and PrometheusRule objects are not being applied.',
      });

    this.addGroup({ name: 'lgtm-stack.health' })
      .addAlert({
        alert: 'PrometheusRuleEvaluationFailures',
        expr: `increase(${series('prometheus_rule_evaluation_failures_total', prom)}[5m]) > 0`,
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.CRITICAL,
        summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules in {{ $labels.rule_group }}',
        description: 'Rule evaluations have failed for 15 minutes: alerts of that group may never fire.',
      })
      .addAlert({
        alert: 'PrometheusNotificationsFailing',
        expr: `rate(${series('prometheus_notifications_errors_total', prom)}[5m])\n/\nrate(${series('prometheus_notifications_sent_total', prom)}[5m])\n> 0.01`,
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.CRITICAL,
        summary: 'Prometheus {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of alerts to {{ $labels.alertmanager }}',
        description: 'More than 1 % of the alerts sent to an Alertmanager failed over 15 minutes.',
      })
      .addAlert({
        alert: 'PrometheusNotConnectedToAlertmanagers',
        expr: `max_over_time(${series('prometheus_notifications_alertmanagers_discovered', prom)}[5m]) < 1`,
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'Prometheus {{ $labels.instance }} has discovered no Alertmanager',
        description: 'Alerts evaluated by this Prometheus reach no Alertmanager.',
      })
      .addAlert({
        alert: 'AlertmanagerNotificationsFailing',
        expr: [
          `sum by (namespace, job, instance, integration) (rate(${series('alertmanager_notifications_failed_total', am)}[5m]))`,
          '/',
          `sum by (namespace, job, instance, integration) (rate(${series('alertmanager_notifications_total', am)}[5m]))`,
          '> 0.01',
        ].join('\n'),
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'Alertmanager {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of notifications to {{ $labels.integration }}',
        description: 'Notifications through this integration are failing; check the receiver credentials and reachability.',
      })
      .addAlert({
        alert: 'PrometheusConfigReloadFailed',
        expr: `max_over_time(${series('prometheus_config_last_reload_successful', prom)}[5m]) == 0`,
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'Prometheus {{ $labels.instance }} failed to reload its configuration',
        description: 'The running configuration is stale: new scrape targets and rules are not applied.',
      })
      .addAlert({
        alert: 'AlertmanagerConfigReloadFailed',
        expr: `max_over_time(${series('alertmanager_config_last_reload_successful', am)}[5m]) == 0`,
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.CRITICAL,
        summary: 'Alertmanager {{ $labels.instance }} failed to reload its configuration',
        description: 'The running routing configuration is stale.',
      })
      .addAlert({
        alert: 'PrometheusOperatorReconcileErrors',
        expr: [
          `sum by (namespace, job, controller) (rate(${series('prometheus_operator_reconcile_errors_total', op)}[5m]))`,
          '/',
          `sum by (namespace, job, controller) (rate(${series('prometheus_operator_reconcile_operations_total', op)}[5m]))`,
          '> 0.1',
        ].join('\n'),
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'The Prometheus Operator fails {{ $value | humanizePercentage }} of its {{ $labels.controller }} reconciliations',
        description: 'Look at the operator logs: an invalid custom resource or missing RBAC is the usual cause.',
      })
      .addAlert({
        alert: 'PrometheusTSDBCompactionsFailing',
        expr: `increase(${series('prometheus_tsdb_compactions_failed_total', prom)}[3h]) > 0`,
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.WARNING,
        summary: 'Prometheus {{ $labels.instance }} fails to compact its TSDB',
        description: 'Failed compactions usually mean a full or broken volume.',
      });

    this.addGroup({ name: 'lgtm-stack.storage' })
      .addAlert({
        alert: 'StackVolumeFillingUp',
        expr: [
          `(${series('kubelet_volume_stats_available_bytes', pvc)} / ${series('kubelet_volume_stats_capacity_bytes', pvc)}) < 0.15`,
          'and',
          `predict_linear(${series('kubelet_volume_stats_available_bytes', pvc)}[6h], 4 * 24 * 3600) < 0`,
        ].join('\n'),
        pendingFor: Duration.hours(1),
        severity: AlertSeverity.WARNING,
        summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 4 days',
        description: 'Less than 15 % is free and the 6h trend reaches zero within 4 days: raise the PVC size or shorten retention.',
      })
      .addAlert({
        alert: 'StackVolumeFillingUp',
        expr: `(${series('kubelet_volume_stats_available_bytes', pvc)} / ${series('kubelet_volume_stats_capacity_bytes', pvc)}) < 0.03`,
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} free',
        description: 'Less than 3 % of the volume is free; writes (TSDB, WAL, silences) will fail when it is full.',
      });
  }
}
