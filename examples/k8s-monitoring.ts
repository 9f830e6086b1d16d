/**
 * What Grafana's k8s-monitoring chart collects, on the library's collectors, self-contained in
 * namespaces `k8s-mon` (restricted) and `k8s-mon-agents` (privileged, for the node agents):
 * - the central Alloy collector ships cluster events to Loki (once: clustered), scrapes pods and
 *   Services annotated `k8s.grafana.com/scrape: "true"` and the PodMonitors of namespace
 *   `k8s-mon-apps` (where no Prometheus looks, so nothing is scraped twice), and remote-writes into
 *   Prometheus;
 * - the Alloy node agent ships container logs and the kubelet and containerd journal to Loki;
 * - OpenCost (cost, reading our Prometheus) and Kepler (energy), each with its ServiceMonitor and a
 *   Grafana dashboard.
 *
 * Rendered into dist/k8s-monitoring/. It needs the prometheus-operator CRDs and operator of
 * dist/reference/ and defines no object of another dist/ folder. Secret created out of band:
 * `grafana-admin` in `k8s-mon` (keys `admin-user`, `admin-password`).
 */
import { App, Chart } from 'cdk8s';
import { Namespace } from '../src';
import { AlloyCollector, AlloyLogs, CollectorSizing } from '../src/alloy';
import { Grafana } from '../src/grafana';
import { Kepler, KeplerDashboard } from '../src/kepler';
import { Loki } from '../src/loki';
import { OpenCost, OpenCostDashboard } from '../src/opencost';
import { KubeStateMetrics, Prometheus } from '../src/prometheus';

export const K8S_MON_NAMESPACE = 'k8s-mon';
export const K8S_MON_AGENTS_NAMESPACE = 'k8s-mon-agents';
/** Where users put the PodMonitors the collector (not Prometheus) scrapes. */
export const K8S_MON_APPS_NAMESPACE = 'k8s-mon-apps';

export function buildK8sMonitoring(app: App): void {
  const ns = new Chart(app, '01-namespaces');
  new Namespace(ns, 'Namespace', { name: K8S_MON_NAMESPACE });
  new Namespace(ns, 'AppsNamespace', { name: K8S_MON_APPS_NAMESPACE });
  // the journal reader, the log tailer's state directory and Kepler need host access
  Namespace.forNodeAgents(ns, 'AgentsNamespace', { name: K8S_MON_AGENTS_NAMESPACE });

  const namespace = K8S_MON_NAMESPACE;
  const backends = new Chart(app, '10-backends');
  const prometheus = new Prometheus(backends, 'Prometheus', { namespace, watchNamespaces: [K8S_MON_NAMESPACE, K8S_MON_AGENTS_NAMESPACE] });
  const loki = new Loki(backends, 'Loki', { namespace });
  // the persistent-volume capacity the cost dashboard prices
  new KubeStateMetrics(backends, 'KubeStateMetrics', { namespace });

  const collection = new Chart(app, '20-collection');
  const sizing = CollectorSizing.forNodes(collection, 50);
  new AlloyCollector(collection, 'Collector', {
    namespace,
    metricsTarget: prometheus,
    logsBackend: loki,
    resources: sizing.collector,
    replicas: sizing.collectorReplicas,
    clusterEvents: {},
    autodiscovery: {},
    scrapePodMonitors: true,
    monitorNamespaces: [K8S_MON_APPS_NAMESPACE],
  });
  const agent = new AlloyLogs(collection, 'NodeAgent', { namespace: K8S_MON_AGENTS_NAMESPACE, resources: sizing.nodeAgent, journal: {}, autodiscovery: {} });
  agent.addLogsDestination(loki);

  const costEnergy = new Chart(app, '30-cost-energy');
  new OpenCost(costEnergy, 'OpenCost', { namespace, metricsSource: prometheus });
  new Kepler(costEnergy, 'Kepler', { namespace: K8S_MON_AGENTS_NAMESPACE });

  const grafana = new Grafana(new Chart(app, '40-grafana'), 'Grafana', {
    namespace,
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  });
  for (const ds of [prometheus, loki]) grafana.addDatasource(ds);
  grafana.addDashboard(new OpenCostDashboard(costEnergy, 'CostDashboard'));
  grafana.addDashboard(new KeplerDashboard(costEnergy, 'EnergyDashboard'));
}
