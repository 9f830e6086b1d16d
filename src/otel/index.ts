// Public API of the otel module: the OpenTelemetry Collector (contrib) and its typed config.
export {
  OtelCollectorConfig, OtelComponent, OtelComponentKind, OtelConfigError, OtelExporter, OtelExtension, OtelPipelineProps,
  OtelProcessor, OtelReceiver, OtelSignal, OtlpReceiverOptions, BatchProcessorOptions, MemoryLimiterOptions, PrometheusExporterOptions,
} from './config';
export { OtelCollector, OtelCollectorProps } from './collector';
