export * from './pyroscope';
