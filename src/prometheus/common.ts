// SecretKeyReference is public API (src/prometheus/secret.ts); re-exported here for internal importers.
export * from './secret';
export * from '../core/prometheus-operator';
