import { Construct } from 'constructs';
import { DatasourceKind } from '../core/interfaces';
import { validateSharedPropsAt } from '../core/validation';
import { GrafanaDashboard } from '../dashboards/grafana-dashboard';
import { ShippedDashboardOptions } from '../dashboards/platform-overview';
import { dsRef, finish, newDashboard, row, statPanel, timeseriesPanel } from '../dashboards/sdk';

/** Joules in a kilowatt-hour. */
const JOULES_PER_KWH = 3600000;

/**
 * Energy use of the cluster from Kepler's metrics (built with the Grafana Foundation SDK): power now,
 * power by node and by namespace, and energy per namespace over the day. The CPU `package` zone is
 * used throughout (it contains the core and uncore zones: summing every zone would count twice).
 */
export class KeplerDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: ShippedDashboardOptions = {}) {
    validateSharedPropsAt(scope, id, 'ShippedDashboardOptions', props);
    const uid = props.uid ?? 'kepler-energy';
    super(scope, id, { uid, title: props.title ?? 'Cluster energy (Kepler)', folder: props.folder ?? 'Platform', json: build(props, uid) });
  }
}

function build(p: ShippedDashboardOptions, uid: string): { [key: string]: any } {
  const prom = dsRef(DatasourceKind.PROMETHEUS, p.metricsDatasourceUid);
  const b = newDashboard(p.title ?? 'Cluster energy (Kepler)', uid, ['kepler', 'energy'],
    'Power and energy from Kepler (RAPL package zone). Nodes without RAPL report nothing.')
    .withRow(row('Now'))
    .withPanel(statPanel(prom, { title: 'Cluster CPU power', unit: 'watt', decimals: 0, queries: [{ expr: 'sum(kepler_node_cpu_watts{zone="package"})', legend: 'W' }] }))
    .withPanel(statPanel(prom, {
      title: 'Energy today',
      unit: 'kwatth',
      decimals: 2,
      queries: [{ expr: `sum(increase(kepler_node_cpu_joules_total{zone="package"}[1d])) / ${JOULES_PER_KWH}`, legend: 'kWh' }],
    }))
    .withPanel(statPanel(prom, { title: 'Nodes reporting', unit: 'short', thresholds: [{ color: 'red' }, { value: 1, color: 'green' }], queries: [{ expr: 'count(count by (node_name) (kepler_node_cpu_watts))', legend: 'nodes', instant: true }] }))
    .withRow(row('Power'))
    .withPanel(timeseriesPanel(prom, { title: 'CPU power by node', unit: 'watt', min: 0, stack: true, queries: [{ expr: 'sum by (node_name) (kepler_node_cpu_watts{zone="package"})', legend: '{{node_name}}' }] }))
    .withPanel(timeseriesPanel(prom, { title: 'CPU power by namespace', unit: 'watt', min: 0, stack: true, queries: [{ expr: 'sum by (pod_namespace) (kepler_pod_cpu_watts{zone="package"})', legend: '{{pod_namespace}}' }] }))
    .withPanel(timeseriesPanel(prom, {
      title: 'Energy per namespace over the last day',
      unit: 'kwatth',
      min: 0,
      queries: [{ expr: `sum by (pod_namespace) (increase(kepler_pod_cpu_joules_total{zone="package"}[1d])) / ${JOULES_PER_KWH}`, legend: '{{pod_namespace}}' }],
    }));
  return finish(b);
}
