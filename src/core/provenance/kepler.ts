// Kept by hand: Kepler's exporter (the rewritten architecture) at the pinned v0.11.4. Source: the metric
// reference docs/user/metrics.md at sustainable-computing-io/kepler v0.11.4 (commit cdef4739), which lists
// what internal/exporter/prometheus/collector registers, plus kepler_node_gpu_info (collector/gpuinfo.go).
import { MetricSourceData } from './types';

const levels = ['node', 'container', 'pod', 'process', 'vm'];

/** Metric names Kepler produces on its Prometheus endpoint (port 28282). */
export const KEPLER: MetricSourceData = {
  id: 'kepler',
  version: '0.11.4',
  url: 'https://github.com/sustainable-computing-io/kepler/blob/v0.11.4/docs/user/metrics.md',
  method: 'kept by hand from docs/user/metrics.md and internal/exporter/prometheus/collector (power, cpuinfo, gpuinfo, platform, build_info)',
  metrics: [
    ...levels.flatMap((l) => [`kepler_${l}_cpu_joules_total`, `kepler_${l}_cpu_watts`]),
    ...['container', 'pod', 'process'].flatMap((l) => [`kepler_${l}_gpu_joules_total`, `kepler_${l}_gpu_watts`]),
    'kepler_node_cpu_active_joules_total', 'kepler_node_cpu_active_watts', 'kepler_node_cpu_idle_joules_total', 'kepler_node_cpu_idle_watts',
    'kepler_node_cpu_usage_ratio', 'kepler_node_cpu_info',
    'kepler_node_gpu_joules_total', 'kepler_node_gpu_watts', 'kepler_node_gpu_active_joules_total', 'kepler_node_gpu_active_watts',
    'kepler_node_gpu_idle_joules_total', 'kepler_node_gpu_idle_watts', 'kepler_node_gpu_info',
    'kepler_process_cpu_seconds_total', 'kepler_platform_watts', 'kepler_build_info',
  ],
};
