// Public API of the oncall module: the archived Grafana OnCall OSS (fails with the supported alternatives).
export { GrafanaOnCall } from './oncall';
export type { GrafanaOnCallProps } from './oncall';
