/**
 * Log collection part of the reference stack (issue 4): the Alloy log DaemonSet in the agents namespace
 * (Pod Security "privileged" enforced there; its exceptions are in docs/components/alloy.md), pushing to
 * Loki through `loki.pushUrl` (wired by reference, never a typed URL).
 *
 * - `35-log-collection`: ServiceAccount, ClusterRole(Binding), ConfigMap `config.alloy`, DaemonSet,
 *   Service and ServiceMonitor `alloy-logs`.
 */
import { App, Chart } from 'cdk8s';
import { AlloyLogs, ILogsBackend } from '../../src';

export function addLogCollection(app: App, agentsNamespace: string, loki: ILogsBackend): AlloyLogs {
  const chart = new Chart(app, '35-log-collection');
  const alloy = new AlloyLogs(chart, 'AlloyLogs', {
    namespace: agentsNamespace,
    externalLabels: { cluster: 'reference' },
  });
  alloy.addLogsDestination(loki);
  return alloy;
}
