// Public API of the loki module: Loki 3.7.6 (Monolithic / Distributed) with a typed loki.yaml.
// (./config, ./alerts, ./tenant-id, ./profiles and the topology files are internal; ./sizing is LokiSizing.)
export * from './modes';
export * from './loki';
export * from './tenancy';
export * from './sizing';
