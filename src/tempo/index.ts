export { Tempo, TempoProps, TempoMode, TempoMetricsGeneratorOptions } from './tempo';
