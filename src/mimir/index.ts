// Public API of the mimir module: Mimir 3.1.1 (Monolithic / Distributed classic) with a typed mimir.yaml.
// (./config, ./alerts and the tenant-id rules are internal.)
export * from './mimir';
export { MimirSizing } from './sizing';
export type { MimirWorkload, MimirTargetSize, MimirLimits, MimirCacheSize } from './sizing';
export { MimirTenancy } from './tenancy';
export type { MimirRulerOptions, MimirAlertmanagerOptions, MimirRuleGroupProps } from './ruler';
