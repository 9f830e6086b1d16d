// Public API of the blackbox module: the blackbox exporter, its modules, and typed Probe objects.
export { BlackboxProber, BlackboxIpProtocol } from './config';
export type { BlackboxModule } from './config';
export * from './blackbox';
export * from './probe';
