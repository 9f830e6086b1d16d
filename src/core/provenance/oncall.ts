// Kept by hand: the application metrics Grafana OnCall OSS v1.16.9 exports on /metrics/ (enabled by
// FEATURE_PROMETHEUS_EXPORTER_ENABLED). Source: grafana/oncall v1.16.9,
// engine/apps/metrics_exporter/constants.py (METRICS_PREFIX "oncall_" on OSS, ALERT_GROUPS_TOTAL,
// ALERT_GROUPS_RESPONSE_TIME, USER_WAS_NOTIFIED_OF_ALERT_GROUPS) and metrics_collectors.py (a gauge,
// a histogram, and a counter that prometheus_client exposes with the `_total` suffix).
import { MetricSourceData } from './types';

/** Metric names the OnCall engine produces on its /metrics/ endpoint. */
export const ONCALL: MetricSourceData = {
  id: 'oncall',
  version: 'v1.16.9',
  url: 'https://github.com/grafana/oncall/tree/v1.16.9/engine/apps/metrics_exporter',
  method: 'kept by hand from constants.py and metrics_collectors.py (GaugeMetricFamily, HistogramMetricFamily, CounterMetricFamily)',
  metrics: [
    'oncall_alert_groups_total',
    'oncall_alert_groups_response_time_seconds_bucket',
    'oncall_alert_groups_response_time_seconds_sum',
    'oncall_alert_groups_response_time_seconds_count',
    'oncall_user_was_notified_of_alert_groups_total',
  ],
};
