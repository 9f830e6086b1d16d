// Public API of the rules module (issue 3: PrometheusRule, rule packs, SLOs).
export * from './prometheus-rule';
export * from './golden-signals';
export * from './kubernetes-workloads';
export * from './slo';
export * from './self-monitoring';
