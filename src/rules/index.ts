// Public API of the rules module (issue 3: PrometheusRule, rule packs, SLOs).
export * from './prometheus-rule';
