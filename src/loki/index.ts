// Public API of the loki module: Loki 3.7.6 (Monolithic / Distributed) with a typed loki.yaml.
export { Loki, LokiProps, LokiMode, LokiProfile, LokiLimits, LokiReplicas, LokiAlertingRule } from './loki';
export { LokiTenancy } from './tenancy';
