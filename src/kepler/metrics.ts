/** The metric names the Kepler dashboard reads, all from Kepler's exporter. Internal (tests and the metric-provenance lists read it). */
export const KEPLER_DASHBOARD_METRICS = {
  kepler: ['kepler_node_cpu_watts', 'kepler_node_cpu_joules_total', 'kepler_pod_cpu_watts', 'kepler_pod_cpu_joules_total'],
};
