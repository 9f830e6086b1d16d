// Public API of the grafana module (issue 5). Internal helpers (secrets.ts, ini.ts, datasources-render.ts)
// are not exported.
export * from './grafana';
export * from './database';
export * from './datasources';
export * from './alerting';
