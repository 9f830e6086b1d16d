/**
 * Host-file tailing with Promtail, as in the PLGT guide: an application writes log files under
 * /var/log/apps/<service>/ on each node; Promtail (deprecated, kept for existing setups; AlloyLogs is
 * the replacement) tails them with a `job` label per service and pushes to Loki; Grafana queries Loki
 * and Tempo (OTLP on 4317/4318, as the guide configures it).
 *
 * Rendered into dist/promtail-legacy/, self-contained in namespaces `plgt` (restricted) and
 * `plgt-agents` (privileged: Promtail reads the host's files). Secret created out of band:
 * `grafana-admin` in `plgt` (keys `admin-user`, `admin-password`). The guide runs no Prometheus, so no
 * component emits a ServiceMonitor here.
 */
import { App, Chart, Size } from 'cdk8s';
import { Grafana, Loki, LokiMode, Namespace, ObjectStorage, Promtail, Tempo } from '../src';

export const PLGT_NAMESPACE = 'plgt';
export const PLGT_AGENTS_NAMESPACE = 'plgt-agents';
/** The services whose files are tailed, each under its own folder and `job` label. */
const SERVICES = ['backend', 'frontend', 'database', 'payment'];

export function buildPromtailLegacy(app: App): void {
  const ns = new Chart(app, '01-namespaces');
  new Namespace(ns, 'Namespace', { name: PLGT_NAMESPACE });
  Namespace.forNodeAgents(ns, 'AgentsNamespace', { name: PLGT_AGENTS_NAMESPACE });

  const namespace = PLGT_NAMESPACE;
  const backends = new Chart(app, '10-backends');
  const loki = new Loki(backends, 'Loki', { namespace, mode: LokiMode.MONOLITHIC, objectStorage: ObjectStorage.filesystem({ size: Size.gibibytes(10) }), serviceMonitor: false });
  const tempo = new Tempo(backends, 'Tempo', { namespace, serviceMonitor: false });

  const promtail = new Promtail(new Chart(app, '20-promtail'), 'Promtail', {
    namespace: PLGT_AGENTS_NAMESPACE,
    kubernetesPods: false,
    serviceMonitor: false,
    staticTargets: SERVICES.map((job) => ({ job, hostPath: `/var/log/apps/${job}`, include: '*.log' })),
  });
  promtail.addLogsDestination(loki);

  const grafana = new Grafana(new Chart(app, '30-grafana'), 'Grafana', {
    namespace,
    serviceMonitor: false,
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  });
  grafana.addDatasource(loki);
  grafana.addDatasource(tempo);
}
