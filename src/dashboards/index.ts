// Public API of the dashboards module: dashboards as code.
// The Grafana Foundation SDK and the JSON-model walker (./sdk, ./model) stay internal.
export * from './grafana-dashboard';
export * from './platform-overview';
export * from './golden-signals';
export * from './self-monitoring';
export * from './kubernetes';
