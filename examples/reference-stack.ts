/**
 * The reference stack: what `npx projen render` writes into dist/reference/ and what the Argo CD
 * Application in dist/argocd/ syncs. Each component issue adds its part under examples/reference/.
 *
 * Charts are named with a numeric prefix so the files in dist/reference/ sort in apply order
 * (CRDs and namespaces first); Argo CD orders by sync wave annotations as well.
 */
import { App, Chart } from 'cdk8s';
import { LgtmNetworkPolicies, Namespace } from '../src';
import { addGrafana } from './reference/grafana';
import { addLogs } from './reference/logs';
import { addMetrics } from './reference/metrics';
import { addProbes } from './reference/probes';
import { addTraces } from './reference/traces';
import { Loki } from '../src/loki';
import { Prometheus } from '../src/prometheus';

export const REFERENCE_NAMESPACE = 'monitoring';
/**
 * Namespace for agents that need host access (node-exporter, the Alloy log DaemonSet). Pod Security
 * "privileged" is enforced there, "restricted" is only warned about; see docs/ARCHITECTURE.md.
 */
export const AGENTS_NAMESPACE = 'monitoring-agents';

export function buildReferenceStack(app: App): void {
  const ns = new Chart(app, '01-namespace');
  // Pod Security "restricted" is enforced on the stack namespace. Workloads that need host access
  // (node-exporter, log collectors) run in their own namespace (see docs/ARCHITECTURE.md).
  new Namespace(ns, 'Namespace', { name: REFERENCE_NAMESPACE });
  Namespace.forNodeAgents(ns, 'AgentsNamespace', { name: AGENTS_NAMESPACE });
  const metrics = addMetrics(app, REFERENCE_NAMESPACE, AGENTS_NAMESPACE);
  const logs = addLogs(app, REFERENCE_NAMESPACE, AGENTS_NAMESPACE);
  // addMetrics and addLogs build a Prometheus and a Loki; Tempo and the collector write into them.
  const traces = addTraces(app, REFERENCE_NAMESPACE, metrics.prometheus as Prometheus, logs.loki as Loki);
  const grafana = addGrafana(app, REFERENCE_NAMESPACE, { ...metrics, ...logs, ...traces });
  // "down or absent" and failure alerts for every component of the stack
  for (const c of [logs.loki, logs.logCollection, traces.tempo, traces.collector, grafana]) if (c) metrics.selfMonitoring?.watchComponent(c);
  addProbes(app, REFERENCE_NAMESPACE, { grafana, loki: logs.loki as Loki });
  new LgtmNetworkPolicies(new Chart(app, '90-network-policies'), 'NetworkPolicies'); // drawn at synth from the wiring of the whole app
}
