import { App, Chart } from 'cdk8s';
import { Loki } from '../../src/loki';
import { OtelCollector, OtelCollectorProps } from '../../src/otel';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { Tempo } from '../../src/tempo';
import { find, K8sObject, synthApp, YAML } from '../harness';

export const NS = 'monitoring';

/** A collector hub with Tempo, Loki and Prometheus as destinations (the seed-004 shape). */
export function hub(extra: Partial<OtelCollectorProps> = {}): { app: App; collector: OtelCollector; prometheus: Prometheus; objs: K8sObject[] } {
  const app = new App();
  const chart = new Chart(app, 'hub');
  new PrometheusOperatorCrds(chart, 'Crds');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS, exemplarStorage: true });
  const tempo = new Tempo(chart, 'Tempo', { metricsGenerator: { remoteWriteTarget: prometheus } });
  const loki = new Loki(chart, 'Loki', { namespace: NS });
  const collector = new OtelCollector(chart, 'Collector', { tracesBackend: tempo, logsBackend: loki, metricsTarget: prometheus, ...extra });
  return { app, collector, prometheus, objs: synthApp(app) };
}

/** Every rendered collector config among the objects (ConfigMaps with `config.yaml` of an otel Deployment). */
export function collectorConfigs(objs: K8sObject[]): Array<{ name: string; raw: string; parsed: any }> {
  return objs
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['app.kubernetes.io/name'] === 'opentelemetry-collector')
    .map((o) => ({ name: `${o.metadata.namespace}/${o.metadata.name}`, raw: o.data['config.yaml'], parsed: YAML.parse(o.data['config.yaml']) }));
}

export { find };
