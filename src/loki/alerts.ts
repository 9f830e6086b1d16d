/**
 * Loki's own alerts (request errors, ingestion rate-limited, WAL and flush failures). Metric names were
 * checked against the Loki source and runbooks (3.x): `loki_request_duration_seconds` (server middleware,
 * label `status_code`), `loki_discarded_samples_total{reason}` (reasons `rate_limited`,
 * `per_stream_rate_limit`, `stream_limit`), `loki_ingester_wal_disk_full_failures_total`,
 * `loki_ingester_wal_corruptions_total`, `loki_ingester_chunks_flush_failures_total` (added in 3.1, #12925).
 */

import { Duration } from 'cdk8s';
import { AlertingRuleProps, AlertSeverity } from '../rules/alert-rule';

/** The alerts for one Loki instance (scoped by namespace and the job prefix of its Services). */
export function lokiAlerts(namespace: string, name: string): AlertingRuleProps[] {
  const sel = `namespace="${namespace}", job=~"${name}(-.*)?"`;
  return [
    {
      alert: 'LokiRequestErrors',
      expr:
        `100 * sum by (namespace, job, route) (rate(loki_request_duration_seconds_count{${sel}, status_code=~"5.."}[5m]))\n` +
        `  / sum by (namespace, job, route) (rate(loki_request_duration_seconds_count{${sel}}[5m])) > 10`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'Loki is answering requests with 5xx errors.',
      description: '{{ $labels.job }} {{ $labels.route }} has {{ printf "%.2f" $value }}% 5xx errors.',
    },
    {
      alert: 'LokiIngestionRateLimited',
      expr: `sum by (namespace, tenant, reason) (rate(loki_discarded_samples_total{${sel}, reason=~"rate_limited|per_stream_rate_limit|stream_limit"}[5m])) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Loki is dropping log lines because a tenant hit its limits.',
      description: 'Tenant {{ $labels.tenant }} loses {{ printf "%.1f" $value }} lines/s ({{ $labels.reason }}); raise its ingestion limits or reduce the log volume.',
    },
    {
      alert: 'LokiWALFailures',
      expr:
        `sum by (namespace, pod) (increase(loki_ingester_wal_disk_full_failures_total{${sel}}[5m]))\n` +
        `  + sum by (namespace, pod) (increase(loki_ingester_wal_corruptions_total{${sel}}[5m])) > 0`,
      pendingFor: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: 'Loki cannot write or replay its write-ahead log.',
      description: '{{ $labels.pod }} had WAL disk-full or corruption failures: logs are at risk. Check the WAL volume.',
    },
    {
      alert: 'LokiChunkFlushFailures',
      expr: `sum by (namespace, pod) (increase(loki_ingester_chunks_flush_failures_total{${sel}}[15m])) > 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.CRITICAL,
      summary: 'Loki cannot flush chunks to storage.',
      description: '{{ $labels.pod }} fails to flush chunks: check object-storage credentials, bucket and connectivity.',
    },
  ];
}
