// Kept by hand: Beyla 3.33 exports application metrics it measures with eBPF (OpenTelemetry semantic
// conventions in Prometheus naming) and its own internal metrics. Sources: the Beyla documentation's
// "Beyla exported metrics" and "Beyla internal metrics" pages (docs/sources/metrics.md at grafana/beyla v3.33.0).
import { MetricSourceData } from './types';

const histogram = (n: string) => [`${n}_bucket`, `${n}_sum`, `${n}_count`];

/** Metric names Beyla produces on its Prometheus endpoint. */
export const BEYLA: MetricSourceData = {
  id: 'beyla',
  version: '3.33.0',
  url: 'https://grafana.com/docs/beyla/latest/metrics/ and https://grafana.com/docs/beyla/latest/configure/metrics-traces-attributes/',
  method: 'kept by hand from the exported-metrics and internal-metrics documentation',
  metrics: [
    ...histogram('http_server_request_duration_seconds'), ...histogram('http_server_request_body_size_bytes'), ...histogram('http_server_response_body_size_bytes'),
    ...histogram('http_client_request_duration_seconds'), ...histogram('http_client_request_body_size_bytes'), ...histogram('http_client_response_body_size_bytes'),
    ...histogram('rpc_server_duration_seconds'), ...histogram('rpc_client_duration_seconds'),
    ...histogram('db_client_operation_duration_seconds'), ...histogram('messaging_publish_duration'), ...histogram('messaging_process_duration'),
    'beyla_network_flow_bytes_total', 'beyla_network_inter_zone_bytes_total',
    'beyla_internal_build_info', 'beyla_instrumented_processes', 'beyla_instrumentation_errors_total', ...histogram('beyla_ebpf_tracer_flushes'),
    'beyla_otel_metric_exports_total', 'beyla_otel_metric_export_errors_total', 'beyla_otel_trace_exports_total', 'beyla_otel_trace_export_errors_total',
    'beyla_prometheus_http_requests_total', 'target_info',
  ],
};
