/**
 * Alloy as the central collector with Beyla eBPF auto-instrumentation and Pyroscope profiles,
 * self-contained in namespaces `o11y` (restricted) and `o11y-agents` (privileged, for Beyla):
 * Beyla instruments the services of namespace `apps` (and anything listening on 8080) and sends OTLP
 * to the Alloy collector, which also receives OTLP from applications, scrapes pprof endpoints of
 * annotated pods (`profiles.grafana.com/cpu.scrape: "true"`, `profiles.grafana.com/cpu.port`), and
 * sends traces to Tempo, logs to Loki, metrics to Prometheus and profiles to Pyroscope. Grafana
 * correlates traces with logs, metrics and profiles.
 *
 * Rendered into dist/alloy-beyla-pyroscope/. It needs the prometheus-operator CRDs and operator of
 * dist/reference/ and defines no object of another dist/ folder. Secret created out of band:
 * `grafana-admin` in `o11y` (keys `admin-user`, `admin-password`).
 */
import { App, Chart } from 'cdk8s';
import { Namespace } from '../src';
import { AlloyCollector } from '../src/alloy';
import { Beyla } from '../src/beyla';
import { Grafana } from '../src/grafana';
import { Loki } from '../src/loki';
import { Prometheus } from '../src/prometheus';
import { Pyroscope } from '../src/pyroscope';
import { Tempo } from '../src/tempo';

export const O11Y_NAMESPACE = 'o11y';
export const O11Y_AGENTS_NAMESPACE = 'o11y-agents';

export function buildAlloyBeylaPyroscope(app: App): void {
  const ns = new Chart(app, '01-namespaces');
  new Namespace(ns, 'Namespace', { name: O11Y_NAMESPACE });
  // Beyla needs hostPID and eBPF capabilities: the node-agent namespace enforces "privileged"
  Namespace.forNodeAgents(ns, 'AgentsNamespace', { name: O11Y_AGENTS_NAMESPACE });

  const namespace = O11Y_NAMESPACE;
  const chart = new Chart(app, '10-backends');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace, exemplarStorage: true });
  const tempo = new Tempo(chart, 'Tempo', { namespace, metricsGenerator: { remoteWriteTarget: prometheus } });
  const loki = new Loki(chart, 'Loki', { namespace });
  const pyroscope = new Pyroscope(chart, 'Pyroscope', { namespace });

  const collection = new Chart(app, '20-collection');
  const alloy = new AlloyCollector(collection, 'Alloy', {
    namespace, tracesBackend: tempo, logsBackend: loki, metricsTarget: prometheus, profilesBackend: pyroscope,
  });
  new Beyla(collection, 'Beyla', { namespace: O11Y_AGENTS_NAMESPACE, otlpTarget: alloy, namespaces: ['apps'], ports: [8080] });

  const grafana = new Grafana(new Chart(app, '30-grafana'), 'Grafana', {
    namespace,
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  });
  for (const ds of [prometheus, loki, tempo, pyroscope]) grafana.addDatasource(ds);
}
