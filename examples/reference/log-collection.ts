/** Log collection part of the reference stack (issue 4: Alloy DaemonSet in the agents namespace). */
import { App } from 'cdk8s';
import { ILogsBackend } from '../../src/core/interfaces';

export function addLogCollection(_app: App, _agentsNamespace: string, _loki: ILogsBackend): void {
}
