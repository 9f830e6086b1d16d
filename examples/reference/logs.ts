/**
 * Logs part of the reference stack (issue 4).
 *
 * - `30-loki`: Loki 3.7.6 in Monolithic mode on a PVC (filesystem storage, 20 GiB), single tenant,
 *   7-day retention through the compactor, its own ServiceMonitor and alerts;
 * - `35-log-collection`: the Alloy log DaemonSet in the agents namespace, pushing to `loki.pushUrl`
 *   (examples/reference/log-collection.ts).
 *
 * Monolithic on a PVC fits the reference stack (tens of GB/day, no object store to provision); the
 * Distributed variant on S3-compatible storage is rendered separately (examples/loki-distributed.ts).
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import { addLogCollection } from './log-collection';
import { AlloyLogs, IDatasourceProvider, ILogsBackend, Loki, LokiMode, LokiProfile, ObjectStorage } from '../../src';

export interface LogsParts {
  /** Loki (datasource for Grafana, push target for collectors). */
  readonly loki?: IDatasourceProvider & ILogsBackend;
  /** The Alloy log DaemonSet. */
  readonly logCollection?: AlloyLogs;
}

export function addLogs(app: App, namespace: string, agentsNamespace: string): LogsParts {
  const chart = new Chart(app, '30-loki');
  const loki = new Loki(chart, 'Loki', {
    namespace,
    mode: LokiMode.MONOLITHIC,
    profile: LokiProfile.SMALL,
    objectStorage: ObjectStorage.filesystem({ size: Size.gibibytes(20) }),
    retention: Duration.days(7),
  });
  const logCollection = addLogCollection(app, agentsNamespace, loki);
  return { loki, logCollection };
}
