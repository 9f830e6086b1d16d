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
      expr: `up{${sel}} == 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'A Mimir pod is down.',
      description: '{{ $labels.pod }} ({{ $labels.job }}) has not answered scrapes for 5 minutes.',
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
