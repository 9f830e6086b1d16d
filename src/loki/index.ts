// Public API of the loki module: Loki 3.7.6 (Monolithic / Distributed) with a typed loki.yaml.
// (./config, ./alerts and ./tenant-id are internal.)
export * from './loki';
export * from './tenancy';
