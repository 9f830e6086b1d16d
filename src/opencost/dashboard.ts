import { Construct } from 'constructs';
import { DatasourceKind } from '../core/interfaces';
import { validateSharedPropsAt } from '../core/validation';
import { GrafanaDashboard } from '../dashboards/grafana-dashboard';
import { ShippedDashboardOptions } from '../dashboards/platform-overview';
import { dsRef, finish, newDashboard, row, statPanel, timeseriesPanel } from '../dashboards/sdk';

/** Hours in an average month (365.25 × 24 / 12), for the monthly estimate. */
const HOURS_PER_MONTH = 730;
const GIB = 1073741824;

/**
 * Cost of the cluster from OpenCost's metrics (built with the Grafana Foundation SDK): hourly and
 * monthly cost, cost by namespace (CPU and memory allocation priced per node), by node, and of the
 * persistent volumes. Prices are in the currency of OpenCost's pricing (USD by default).
 */
export class OpenCostDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ShippedDashboardOptions = {}) {
    validateSharedPropsAt(scope, id, 'ShippedDashboardOptions', props);
    const uid = props.uid ?? 'opencost-cost';
    super(scope, id, { uid, title: props.title ?? 'Cluster cost (OpenCost)', folder: props.folder ?? 'Platform', json: build(props, uid) });
  }
}

function build(p: ShippedDashboardOptions, uid: string): { [key: string]: any } {
  const prom = dsRef(DatasourceKind.PROMETHEUS, p.metricsDatasourceUid);
  const cpu = 'sum by (namespace) (container_cpu_allocation * on (node) group_left () avg by (node) (node_cpu_hourly_cost))';
  const mem = `sum by (namespace) (container_memory_allocation_bytes / ${GIB} * on (node) group_left () avg by (node) (node_ram_hourly_cost))`;
  const b = newDashboard(p.title ?? 'Cluster cost (OpenCost)', uid, ['opencost', 'cost'],
    'Cost allocation from OpenCost: node prices times what the workloads allocate.')
    .withRow(row('Now'))
    .withPanel(statPanel(prom, { title: 'Cluster cost per hour', unit: 'currencyUSD', decimals: 2, queries: [{ expr: 'sum(node_total_hourly_cost)', legend: 'per hour' }] }))
    .withPanel(statPanel(prom, { title: 'Monthly estimate', unit: 'currencyUSD', decimals: 0, queries: [{ expr: `sum(node_total_hourly_cost) * ${HOURS_PER_MONTH}`, legend: 'per month' }] }))
    .withPanel(statPanel(prom, { title: 'CPU cost per hour', unit: 'currencyUSD', decimals: 2, queries: [{ expr: `sum(${cpu})`, legend: 'CPU' }] }))
    .withPanel(statPanel(prom, { title: 'Memory cost per hour', unit: 'currencyUSD', decimals: 2, queries: [{ expr: `sum(${mem})`, legend: 'memory' }] }))
    .withRow(row('Allocation'))
    .withPanel(timeseriesPanel(prom, { title: 'Cost per hour by namespace (CPU + memory)', unit: 'currencyUSD', min: 0, stack: true, queries: [{ expr: `${cpu} + ${mem}`, legend: '{{namespace}}' }] }))
    .withPanel(timeseriesPanel(prom, { title: 'Cost per hour by node', unit: 'currencyUSD', min: 0, stack: true, queries: [{ expr: 'sum by (node) (node_total_hourly_cost)', legend: '{{node}}' }] }))
    .withPanel(timeseriesPanel(prom, {
      title: 'Persistent volume cost per hour',
      unit: 'currencyUSD',
      min: 0,
      stack: true,
      queries: [{ expr: `sum by (persistentvolume) (pv_hourly_cost * on (persistentvolume) group_left () kube_persistentvolume_capacity_bytes / ${GIB})`, legend: '{{persistentvolume}}' }],
    }));
  return finish(b);
}
