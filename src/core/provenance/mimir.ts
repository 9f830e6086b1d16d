// Kept by hand: the Mimir 3.1 metrics the library's Mimir alerts and dashboards read. Mimir is AGPL, so
// its source is not built or vendored here. Generating this list like the other *.generated.ts (from
// the source at the pinned tag, scripts/gen-provenance.py) is not possible in this environment: the
// grafana/mimir repository snapshot is larger than the mirror tool brings (544 MB over a 524 MB
// limit), and the Go module proxy is not used to bring in another project's source. The names come
// from the Mimir 3.1 documentation (the "Monitor Grafana Mimir" and runbooks pages, whose mixin alerts
// query these series); those of the ruler and the Alertmanager were checked against their definitions
// in the upstream source text (pkg/ruler/manager_metrics.go: the per-tenant rule-manager metrics,
// `cortex_prometheus_rule_*`, labels user and rule_group; the notifier's `cortex_prometheus_notifications_*`
// (Prometheus' notifier registered with the cortex_ prefix, label user); pkg/alertmanager's
// `cortex_alertmanager_notifications{,_failed}_total` (labels user, integration) and
// `cortex_alertmanager_state_persist_failed_total`).
import { MetricSourceData } from './types';

const histogram = (n: string) => [`${n}_bucket`, `${n}_sum`, `${n}_count`];

/** Metric names Mimir produces on /metrics (the subset the library queries, plus the main health series). */
export const MIMIR: MetricSourceData = {
  id: 'mimir',
  version: '3.1.1',
  url: 'https://grafana.com/docs/mimir/v3.1.x/manage/mimir-runbooks/ and https://grafana.com/docs/mimir/v3.1.x/manage/monitor-grafana-mimir/',
  method: 'kept by hand from the runbooks and monitoring documentation of the pinned minor; ruler and Alertmanager names checked against their upstream definitions',
  metrics: [
    ...histogram('cortex_request_duration_seconds'),
    'cortex_discarded_samples_total', 'cortex_ingester_tsdb_compactions_failed_total', 'cortex_compactor_runs_failed_total',
    'cortex_compactor_runs_completed_total', 'cortex_compactor_last_successful_run_timestamp_seconds',
    'cortex_ingester_memory_series', 'cortex_ingester_active_series', 'cortex_distributor_received_samples_total',
    'cortex_ingester_tsdb_head_series', 'cortex_ring_members',
    // ruler (the rule manager and notifier metrics of every tenant, prefixed cortex_, label user)
    'cortex_prometheus_rule_evaluation_failures_total', 'cortex_prometheus_rule_group_iterations_missed_total',
    'cortex_prometheus_notifications_errors_total', 'cortex_prometheus_notifications_sent_total',
    'cortex_prometheus_notifications_dropped_total',
    // Alertmanager
    'cortex_alertmanager_notifications_total', 'cortex_alertmanager_notifications_failed_total',
    'cortex_alertmanager_state_persist_failed_total',
  ],
};
