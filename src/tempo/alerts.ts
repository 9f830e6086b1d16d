/**
 * Tempo's own alerts. Metric names are those of Tempo 2.x (the upstream tempo-mixin uses the same):
 * `tempo_request_duration_seconds` (server middleware, label `status_code`),
 * `tempo_discarded_spans_total{reason}`, `tempo_ingester_failed_flushes_total`,
 * `tempodb_compaction_errors_total`, and the metrics-generator's remote write
 * `tempo_metrics_generator_registry_collections_failed_total`.
 */
import { Duration } from 'cdk8s';
import { AlertSeverity, AlertingRuleProps } from '../rules/alert-rule';

/** The alerts for one Tempo instance (scoped by namespace and job). */
export function tempoAlerts(namespace: string, name: string, metricsGenerator: boolean): AlertingRuleProps[] {
  const sel = `namespace="${namespace}", job=~"${name}(-.*)?"`;
  const alerts: AlertingRuleProps[] = [
    {
      alert: 'TempoRequestErrors',
      expr:
        `100 * sum by (namespace, job, route) (rate(tempo_request_duration_seconds_count{${sel}, status_code=~"5.."}[5m]))\n` +
        `  / sum by (namespace, job, route) (rate(tempo_request_duration_seconds_count{${sel}}[5m])) > 10`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Tempo is answering requests with 5xx errors.',
      description: '{{ $labels.job }} {{ $labels.route }} has {{ printf "%.2f" $value }}% 5xx errors.',
    },
    {
      alert: 'TempoDiscardedSpans',
      expr: `sum by (namespace, reason) (rate(tempo_discarded_spans_total{${sel}}[5m])) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Tempo is dropping spans.',
      description: 'Tempo discards {{ printf "%.1f" $value }} spans/s ({{ $labels.reason }}): raise the ingestion limits or reduce the trace volume.',
    },
    {
      alert: 'TempoIngesterFlushesFailing',
      expr: `sum by (namespace, pod) (increase(tempo_ingester_failed_flushes_total{${sel}}[1h])) > 2`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Tempo cannot flush trace blocks to storage.',
      description: '{{ $labels.pod }} failed {{ $value }} flushes in the last hour: check the storage volume or bucket credentials.',
    },
    {
      alert: 'TempoCompactionsFailing',
      expr: `sum by (namespace) (increase(tempodb_compaction_errors_total{${sel}}[1h])) > 2`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Tempo compactions are failing.',
      description: 'Tempo had {{ $value }} compaction errors in the last hour: retention is not enforced while they fail.',
    },
  ];
  if (metricsGenerator) {
    alerts.push({
      alert: 'TempoMetricsGeneratorCollectionsFailing',
      expr: `sum by (namespace, pod) (increase(tempo_metrics_generator_registry_collections_failed_total{${sel}}[10m])) > 2`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: 'Tempo cannot collect span metrics and service graphs.',
      description: '{{ $labels.pod }}: the service map and span metrics in Grafana go stale while collections fail.',
    });
  }
  return alerts;
}
