/**
 * The rendered examples: the OpenTelemetry Collector hub's correlation set (traces to logs, traces to
 * metrics, service map, Loki trace_id to Tempo, Prometheus exemplars to Tempo) checked on the Grafana
 * provisioning in dist/, every collector config's endpoints, and traces-to-profiles in the Alloy example.
 */
import * as path from 'path';
import { collectorConfigs } from './fixtures';
import { find, readYamlDir, urlResolution, YAML } from '../harness';

const DIST = path.join(__dirname, '..', '..', 'dist');

function datasources(dir: string, namespace: string): any[] {
  const objs = readYamlDir(path.join(DIST, dir));
  return YAML.parse(find(objs, 'ConfigMap', 'grafana-config', namespace).data['datasources.yaml']).datasources;
}

describe('dist/otel-hub', () => {
  const objs = readYamlDir(path.join(DIST, 'otel-hub'));
  const ds = datasources('otel-hub', 'otel-hub');
  const byType = (t: string) => ds.find((d) => d.type === t);

  test('the correlation set: traces to logs and metrics, service map, Loki trace_id and exemplars to Tempo', () => {
    const tempo = byType('tempo');
    const loki = byType('loki');
    const prom = byType('prometheus');
    expect(tempo.jsonData.tracesToLogsV2.datasourceUid).toBe(loki.uid);
    expect(tempo.jsonData.tracesToMetrics.datasourceUid).toBe(prom.uid);
    expect(tempo.jsonData.serviceMap.datasourceUid).toBe(prom.uid);
    expect(loki.jsonData.derivedFields).toContainEqual(expect.objectContaining({ matcherRegex: 'trace_id', datasourceUid: tempo.uid }));
    expect(prom.jsonData.exemplarTraceIdDestinations).toContainEqual({ name: 'trace_id', datasourceUid: tempo.uid });
    for (const d of ds) expect(urlResolution(d.url, objs)).toBeUndefined();
  });

  test("the generator's span metrics land in the Prometheus the service map queries", () => {
    const tempoYaml = YAML.parse(find(objs, 'ConfigMap', 'tempo', 'otel-hub').data['tempo.yaml']);
    const rw = tempoYaml.metrics_generator.storage.remote_write[0].url;
    expect(rw.startsWith(byType('prometheus').url)).toBe(true);
    expect(find(objs, 'Prometheus', 'prometheus', 'otel-hub').spec.enableRemoteWriteReceiver).toBe(true);
  });

  test('every collector exporter resolves to an emitted Service and port, and logs use the OTLP endpoint', () => {
    const [cfg] = collectorConfigs(objs);
    for (const e of Object.values(cfg.parsed.exporters) as any[]) {
      if (!String(e.endpoint).startsWith('0.0.0.0')) expect(urlResolution(e.endpoint, objs)).toBeUndefined();
    }
    expect(cfg.parsed.exporters['otlphttp/logs'].endpoint).toMatch(/\/otlp$/);
  });
});

describe('dist/alloy-beyla-pyroscope', () => {
  test('traces link to profiles', () => {
    const ds = datasources('alloy-beyla-pyroscope', 'o11y');
    const tempo = ds.find((d) => d.type === 'tempo');
    const pyro = ds.find((d) => d.type === 'grafana-pyroscope-datasource');
    expect(tempo.jsonData.tracesToProfiles.datasourceUid).toBe(pyro.uid);
  });
});
