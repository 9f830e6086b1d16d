// Public API of the oncall module: Grafana OnCall OSS self-hosted (archived upstream: warns at synth).
export * from './backends';
export { GrafanaOnCall, GRAFANA_ONCALL_ARCHIVED, GRAFANA_ONCALL_PLUGIN_VERSION } from './oncall';
export type { GrafanaOnCallProps, OnCallSecret, OnCallCeleryOptions } from './oncall';
