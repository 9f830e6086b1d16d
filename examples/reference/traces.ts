/**
 * Traces part of the reference stack.
 *
 * - `40-traces`: Tempo 2.10.8 monolithic on a PVC (filesystem storage, 20 GiB), 14-day retention, OTLP
 *   receivers on, and the metrics-generator writing service graphs and span metrics (with exemplars)
 *   into the stack's Prometheus (whose remote-write receiver the switch turns on);
 * - `45-collector`: Alloy as the central OTLP collector (clustered, 2 members, WAL on a PVC): OTLP in on
 *   4317/4318, Kubernetes attributes, batching; traces to Tempo, logs to Loki's OTLP endpoint, metrics
 *   to Prometheus by remote write, cluster events to Loki. Applications send OTLP to
 *   `alloy-collector.monitoring.svc:4317`.
 */
import { App, Chart, Size } from 'cdk8s';
import { AlloyCollector } from '../../src/alloy';
import { Loki } from '../../src/loki';
import { Prometheus } from '../../src/prometheus';
import { ObjectStorage } from '../../src/storage';
import { Tempo } from '../../src/tempo';

export interface TracesParts {
  /** Tempo (datasource for Grafana). */
  readonly tempo?: Tempo;
  /** The central collector. */
  readonly collector?: AlloyCollector;
}

export function addTraces(app: App, namespace: string, prometheus: Prometheus, loki: Loki): TracesParts {
  const chart = new Chart(app, '40-traces');
  const tempo = new Tempo(chart, 'Tempo', {
    namespace,
    objectStorage: ObjectStorage.filesystem({ size: Size.gibibytes(20) }),
    metricsGenerator: { remoteWriteTarget: prometheus },
  });
  const collector = new AlloyCollector(new Chart(app, '45-collector'), 'Collector', {
    namespace,
    tracesBackend: tempo,
    logsBackend: loki,
    metricsTarget: prometheus,
    // cluster events to Loki (once: the collector is clustered); the Kubernetes dashboards annotate them
    clusterEvents: {},
  });
  return { tempo, collector };
}
