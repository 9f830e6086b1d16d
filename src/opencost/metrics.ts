/**
 * The metric names the OpenCost dashboard reads, by source: OpenCost's exporter and kube-state-metrics
 * (the persistent-volume capacity). Internal (tests and the metric-provenance lists read it).
 */
export const OPENCOST_DASHBOARD_METRICS = {
  opencost: ['node_total_hourly_cost', 'node_cpu_hourly_cost', 'node_ram_hourly_cost', 'container_cpu_allocation', 'container_memory_allocation_bytes', 'pv_hourly_cost'],
  kubeStateMetrics: ['kube_persistentvolume_capacity_bytes'],
};


/** The metrics OpenCost's exporter produces that the library reads (internal). */
export const OPENCOST_METRICS: string[] = OPENCOST_DASHBOARD_METRICS.opencost;
