// Kept by hand: Grafana's own metrics (GET /metrics) at the pinned 13.1 line. Grafana is AGPL and its
// repository too large to mirror here, so the names are those its documentation and its
// pkg/infra/metrics/metrics.go and pkg/middleware request-metrics definitions list.
import { MetricSourceData } from './types';

const histogram = (n: string) => [`${n}_bucket`, `${n}_sum`, `${n}_count`];

/** Metric names Grafana produces. */
export const GRAFANA: MetricSourceData = {
  id: 'grafana',
  version: '13.1.3',
  url: 'https://grafana.com/docs/grafana/latest/setup-grafana/set-up-grafana-monitoring/ and https://github.com/grafana/grafana/blob/v13.1.3/pkg/infra/metrics/metrics.go',
  method: 'kept by hand from the documentation and the metric definitions of pkg/infra/metrics and pkg/middleware',
  metrics: [
    'grafana_build_info', 'grafana_edition', 'grafana_feature_toggles_info', 'grafana_info',
    'grafana_api_response_status_total', 'grafana_proxy_response_status_total', 'grafana_page_response_status_total',
    'grafana_http_request_in_flight', ...histogram('grafana_http_request_duration_seconds'), ...histogram('grafana_http_response_size_bytes'),
    'grafana_api_login_post_total', 'grafana_api_login_oauth_total', 'grafana_api_login_saml_total',
    'grafana_api_dashboard_save_milliseconds_count', 'grafana_api_dashboard_save_milliseconds_sum',
    'grafana_api_dataproxy_request_all_milliseconds_count', 'grafana_api_dataproxy_request_all_milliseconds_sum',
    'grafana_datasource_request_total', ...histogram('grafana_datasource_request_duration_seconds'), 'grafana_datasource_request_in_flight',
    ...histogram('grafana_datasource_response_size_bytes'),
    'grafana_instance_start_total', 'grafana_db_datasource_query_by_id_total',
    'grafana_stat_totals_dashboard', 'grafana_stat_total_users', 'grafana_stat_active_users', 'grafana_stat_total_orgs',
    'grafana_stat_total_playlists', 'grafana_stat_totals_datasource', 'grafana_stat_totals_folder', 'grafana_stat_totals_alert_rules',
    'grafana_alerting_active_alerts', 'grafana_alerting_alerts', 'grafana_alerting_rule_group_rules',
    'grafana_alerting_rule_evaluations_total', 'grafana_alerting_rule_evaluation_failures_total',
    ...histogram('grafana_alerting_rule_evaluation_duration_seconds'), 'grafana_alerting_schedule_alert_rules',
    'grafana_alerting_notifications_total', 'grafana_alerting_notifications_failed_total',
    'grafana_alerting_ticker_last_consumed_tick_timestamp_seconds', 'grafana_alerting_alertmanager_config_match',
    'grafana_database_conn_open', 'grafana_database_conn_in_use', 'grafana_database_conn_idle', 'grafana_database_conn_max_open',
    'grafana_database_conn_wait_count_total', 'grafana_database_conn_wait_duration_seconds',
    ...histogram('grafana_database_queries_duration_seconds'),
    'grafana_plugin_build_info', ...histogram('grafana_plugin_request_duration_seconds'), 'grafana_plugin_request_total',
    'grafana_emails_sent_total', 'grafana_emails_sent_failed',
  ],
};
