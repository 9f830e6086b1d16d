/** Logs part of the reference stack (issue 4). */
import { App } from 'cdk8s';
import { IDatasourceProvider, ILogsBackend } from '../../src/core/interfaces';

export interface LogsParts {
  /** Loki (datasource for Grafana, push target for collectors). */
  readonly loki?: IDatasourceProvider & ILogsBackend;
}

export function addLogs(_app: App, _namespace: string, _agentsNamespace: string): LogsParts {
  // When Loki exists: addLogCollection(app, agentsNamespace, loki) (examples/reference/log-collection.ts).
  return {};
}
