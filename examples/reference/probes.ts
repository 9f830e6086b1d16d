/** Probes of the reference stack: a blackbox exporter checking the stack's own endpoints. */
import { App, Chart, Duration } from 'cdk8s';
import { BlackboxExporter, Grafana, Loki, Probe, ProbeRules } from '../../src';

/**
 * The readiness endpoints of Grafana and Loki, probed from inside the cluster through their Services
 * (the URLs come from the components' own Services, so they always name a Service and port we emit),
 * with the probe alert pack (probe failed, slow, certificate expiry, exporter health).
 */
export function addProbes(app: App, namespace: string, parts: { grafana: Grafana; loki?: Loki }): BlackboxExporter {
  const chart = new Chart(app, '55-probes');
  const exporter = new BlackboxExporter(chart, 'Blackbox', { namespace });
  new Probe(chart, 'GrafanaHealth', {
    namespace,
    exporter,
    name: 'grafana-health',
    targets: [parts.grafana.service.url('http', 'http', '/api/health')],
    interval: Duration.seconds(30),
  });
  if (parts.loki) {
    new Probe(chart, 'LokiReady', {
      namespace,
      exporter,
      name: 'loki-ready',
      targets: [parts.loki.service.url('http', 'http', '/ready')],
      interval: Duration.seconds(30),
    });
  }
  new ProbeRules(chart, 'ProbeRules', { namespace, exporterSelector: `job="${exporter.service.name}", namespace="${namespace}"` });
  return exporter;
}
