// Public API of the grafana module. Internal helpers (secrets.ts, ini.ts, folders.ts,
// datasources-render.ts, alert-rules.ts) are not exported.
export * from './grafana';
export * from './database';
export * from './datasources';
export * from './dashboards';
export * from './alerting';
export * from './grafana-alerting';
