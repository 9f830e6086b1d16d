/** Metrics and alerting part of the reference stack (issue 3). */
import { App } from 'cdk8s';
import { IDatasourceProvider } from '../../src/core/interfaces';

export interface MetricsParts {
  /** The Prometheus (datasource for Grafana). */
  readonly prometheus?: IDatasourceProvider;
  /** The Alertmanager (datasource for Grafana). */
  readonly alertmanager?: IDatasourceProvider;
}

export function addMetrics(_app: App, _namespace: string, _agentsNamespace: string): MetricsParts {
  return {};
}
