// Public API of the rules module: alert-rule structs, PrometheusRule, rule packs, SLOs.
export * from './alert-rule';
export * from './prometheus-rule';
export * from './golden-signals';
export * from './kubernetes-workloads';
export * from './slo';
export * from './self-monitoring';
export * from './pack';
export * from './node-exporter';
export * from './kubernetes-system';
export * from './probes';
