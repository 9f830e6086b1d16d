// Public API of the otel module: the OpenTelemetry Collector (contrib) and its typed config.
export * from './config';
export * from './collector';
