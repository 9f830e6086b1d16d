// Kept by hand: OpenCost's exporter at the pinned 1.112.0. Source: the metric definitions of
// pkg/costmodel/metrics.go (cost and allocation) and pkg/metrics/telemetry.go (build info, HTTP) at
// opencost/opencost v1.112.0 (commit 2ea71a15). Left out: the kube-state-metrics emulation of
// pkg/metrics (kube_* names, emitted only with EMIT_KSM_V1_METRICS; the library runs kube-state-metrics).
import { MetricSourceData } from './types';

const histogram = (n: string) => [`${n}_bucket`, `${n}_sum`, `${n}_count`];

/** Metric names OpenCost produces on its Prometheus endpoint (port 9003). */
export const OPENCOST: MetricSourceData = {
  id: 'opencost',
  version: '1.112.0',
  url: 'https://github.com/opencost/opencost/blob/v1.112.0/pkg/costmodel/metrics.go',
  method: 'kept by hand from the metric definitions of pkg/costmodel/metrics.go and pkg/metrics/telemetry.go',
  metrics: [
    'node_cpu_hourly_cost', 'node_ram_hourly_cost', 'node_gpu_hourly_cost', 'node_gpu_count', 'node_total_hourly_cost',
    'pv_hourly_cost', 'kubecost_node_is_spot',
    'container_cpu_allocation', 'container_memory_allocation_bytes', 'container_gpu_allocation', 'pod_pvc_allocation',
    'kubecost_network_zone_egress_cost', 'kubecost_network_region_egress_cost', 'kubecost_network_internet_egress_cost',
    'kubecost_cluster_management_cost', 'kubecost_load_balancer_cost',
    'opencost_build_info', 'kubecost_http_requests_total', ...histogram('kubecost_http_response_time_seconds'),
    'kubecost_http_response_size_bytes', 'kubecost_http_response_size_bytes_sum', 'kubecost_http_response_size_bytes_count',
  ],
};
