/**
 * An OpenTelemetry Collector hub with correlated datasources, self-contained in namespace `otel-hub`:
 * applications send OTLP to `otel-collector.otel-hub.svc:4317` (gRPC) or `:4318` (HTTP); the collector
 * (contrib) adds Kubernetes attributes, batches, and sends traces to Tempo, logs to Loki's native OTLP
 * endpoint and metrics to Prometheus by remote write, and exposes them on a Prometheus exporter (9464).
 * Grafana gets Prometheus, Loki and Tempo with traces-to-logs, traces-to-metrics, the service map,
 * exemplars and Loki `trace_id` links.
 *
 * Rendered into dist/otel-hub/. It needs the prometheus-operator CRDs and operator of dist/reference/
 * (00-crds.yaml, 10-metrics.yaml) and defines no object of another dist/ folder. Secret created out of
 * band: `grafana-admin` in `otel-hub` (keys `admin-user`, `admin-password`).
 */
import { App, Chart, Size } from 'cdk8s';
import { Namespace } from '../src';
import { Grafana } from '../src/grafana';
import { Loki, LokiMode } from '../src/loki';
import { OtelCollector } from '../src/otel';
import { Prometheus } from '../src/prometheus';
import { ObjectStorage } from '../src/storage';
import { Tempo } from '../src/tempo';

export const OTEL_HUB_NAMESPACE = 'otel-hub';

export function buildOtelHub(app: App): void {
  const ns = new Chart(app, '01-namespace');
  new Namespace(ns, 'Namespace', { name: OTEL_HUB_NAMESPACE });

  const namespace = OTEL_HUB_NAMESPACE;
  const chart = new Chart(app, '10-hub');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace, exemplarStorage: true });
  const tempo = new Tempo(chart, 'Tempo', { namespace, metricsGenerator: { remoteWriteTarget: prometheus } });
  const loki = new Loki(chart, 'Loki', { namespace, mode: LokiMode.MONOLITHIC, objectStorage: ObjectStorage.filesystem({ size: Size.gibibytes(10) }) });
  new OtelCollector(chart, 'Collector', { namespace, tracesBackend: tempo, logsBackend: loki, metricsTarget: prometheus });

  const grafana = new Grafana(new Chart(app, '20-grafana'), 'Grafana', {
    namespace,
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  });
  grafana.addDatasource(prometheus);
  grafana.addDatasource(loki);
  grafana.addDatasource(tempo);
}
