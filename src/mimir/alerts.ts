/**
 * Mimir's own alerts. Metric names are those of Mimir 3.x (the upstream mimir-mixin uses the same):
 * `up`, `cortex_request_duration_seconds` (server middleware, labels `route` and `status_code`),
 * `cortex_discarded_samples_total{user, reason}`, `cortex_ingester_tsdb_compactions_failed_total` and
 * `cortex_compactor_runs_failed_total`. The mixin's capacity alerts (ingester series against instance
 * limits, ring health) are not reproduced.
 */
import { Duration } from 'cdk8s';
import { AlertSeverity, AlertingRuleProps } from '../rules/alert-rule';

/** The alerts for one Mimir instance (scoped by namespace and job). */
export function mimirAlerts(namespace: string, name: string): AlertingRuleProps[] {
  const sel = `namespace="${namespace}", job=~"${name}(-.*)?"`;
  return [
    {
      alert: 'MimirDown',
      // down, or absent: no target at all (every pod gone, or the ServiceMonitor selects nothing)
      expr: `(up{${sel}} == 0)\nor\nabsent(up{${sel}})`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'A Mimir pod is down or not scraped.',
      description: '{{ $labels.pod }} ({{ $labels.job }}) has not answered scrapes for 5 minutes, or no Mimir target is discovered in {{ $labels.namespace }}.',
    },
    {
      alert: 'MimirRequestErrors',
      expr:
        `100 * sum by (namespace, job, route) (rate(cortex_request_duration_seconds_count{${sel}, status_code=~"5..", route!~"ready|debug_pprof"}[5m]))\n` +
        `  / sum by (namespace, job, route) (rate(cortex_request_duration_seconds_count{${sel}, route!~"ready|debug_pprof"}[5m])) > 1`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Mimir is answering requests with 5xx errors.',
      description: '{{ $labels.job }} {{ $labels.route }} has {{ printf "%.2f" $value }}% 5xx errors.',
    },
    {
      alert: 'MimirDiscardedSamples',
      expr: `sum by (namespace, user, reason) (rate(cortex_discarded_samples_total{${sel}}[5m])) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Mimir is rejecting samples.',
      description: 'Tenant {{ $labels.user }} loses {{ printf "%.1f" $value }} samples/s ({{ $labels.reason }}): raise the tenant limits or reduce the series.',
    },
    {
      alert: 'MimirIngesterTSDBHeadCompactionFailed',
      expr: `sum by (namespace, pod) (increase(cortex_ingester_tsdb_compactions_failed_total{${sel}}[1h])) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'A Mimir ingester cannot compact its TSDB head.',
      description: '{{ $labels.pod }}: the head grows until the ingester runs out of memory.',
    },
    {
      alert: 'MimirCompactorFailing',
      expr: `sum by (namespace) (increase(cortex_compactor_runs_failed_total{${sel}}[2h])) >= 2`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Mimir compactions are failing.',
      description: 'The compactor failed {{ $value }} runs in 2h: retention is not enforced and queries slow down while it fails.',
    },
  ];
}

/**
 * Alerts of the ruler and of Mimir's own Alertmanager. Metric names of Mimir 3.x: the ruler exports the
 * rule manager's and notifier's metrics of every tenant with the prefix `cortex_` and the label `user`
 * (`cortex_prometheus_rule_evaluation_failures_total`, `cortex_prometheus_rule_group_iterations_missed_total`,
 * `cortex_prometheus_notifications_errors_total`, `cortex_prometheus_notifications_sent_total`,
 * `cortex_prometheus_notifications_dropped_total`); the Alertmanager counts notifications per tenant and
 * integration (`cortex_alertmanager_notifications_total`, `cortex_alertmanager_notifications_failed_total`)
 * and the failed uploads of its state (`cortex_alertmanager_state_persist_failed_total`).
 */
export function mimirRulerAlerts(namespace: string, name: string, ruler: boolean, alertmanager: boolean): AlertingRuleProps[] {
  const sel = `namespace="${namespace}", job=~"${name}(-.*)?"`;
  const out: AlertingRuleProps[] = [];
  if (ruler) {
    out.push(
      {
        alert: 'MimirRulerFailedEvaluations',
        expr: `sum by (namespace, user, rule_group) (rate(cortex_prometheus_rule_evaluation_failures_total{${sel}}[5m])) > 0`,
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'The Mimir ruler fails to evaluate rules.',
        description: 'Tenant {{ $labels.user }}, group {{ $labels.rule_group }}: {{ printf "%.2f" $value }} failed evaluations/s; its alerts and recorded series are missing.',
      },
      {
        alert: 'MimirRulerMissedIterations',
        expr: `sum by (namespace, user, rule_group) (increase(cortex_prometheus_rule_group_iterations_missed_total{${sel}}[5m])) > 0`,
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.WARNING,
        summary: 'The Mimir ruler misses rule group evaluations.',
        description: 'Tenant {{ $labels.user }}, group {{ $labels.rule_group }} takes longer than its interval: split the group or raise its interval.',
      },
      {
        alert: 'MimirRulerNotificationsFailing',
        expr:
          `sum by (namespace, user) (rate(cortex_prometheus_notifications_errors_total{${sel}}[5m]))\n` +
          `  / sum by (namespace, user) (rate(cortex_prometheus_notifications_sent_total{${sel}}[5m])) > 0.01`,
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'The Mimir ruler cannot deliver alerts to the Alertmanager.',
        description: 'Tenant {{ $labels.user }}: {{ printf "%.1f" $value }} of the alerts sent fail.',
      },
      {
        alert: 'MimirRulerNotificationsDropped',
        expr: `sum by (namespace, user) (increase(cortex_prometheus_notifications_dropped_total{${sel}}[5m])) > 0`,
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'The Mimir ruler drops alerts.',
        description: 'Tenant {{ $labels.user }}: alerts were dropped (queue full or Alertmanager unreachable); they never reach a receiver.',
      },
    );
  }
  if (alertmanager) {
    out.push(
      {
        alert: 'MimirAlertmanagerNotificationsFailing',
        expr:
          `sum by (namespace, user, integration) (rate(cortex_alertmanager_notifications_failed_total{${sel}}[5m]))\n` +
          `  / sum by (namespace, user, integration) (rate(cortex_alertmanager_notifications_total{${sel}}[5m])) > 0.01`,
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.CRITICAL,
        summary: "Mimir's Alertmanager fails to send notifications.",
        description: 'Tenant {{ $labels.user }}, integration {{ $labels.integration }}: {{ printf "%.1f" $value }} of the notifications fail.',
      },
      {
        alert: 'MimirAlertmanagerPersistStateFailing',
        expr: `sum by (namespace, pod) (increase(cortex_alertmanager_state_persist_failed_total{${sel}}[1h])) > 0`,
        pendingFor: Duration.minutes(15),
        severity: AlertSeverity.WARNING,
        summary: "Mimir's Alertmanager cannot store its state in object storage.",
        description: '{{ $labels.pod }}: silences and the notification log would be lost when every replica restarts.',
      },
    );
  }
  return out;
}
