import { App, Chart } from 'cdk8s';
import { collectorConfigs, find, hub, NS } from './fixtures';
import { OtelCollector, OtelCollectorConfig, OtelExporter, OtelReceiver, OtelSignal } from '../../src/otel';
import { Tempo } from '../../src/tempo';
import { restrictedViolations, schemaErrors, urlResolution } from '../harness';

describe('OtelCollector hub', () => {
  const { objs, prometheus } = hub();
  const [cfg] = collectorConfigs(objs);

  test('OTLP in on 4317/4318, Prometheus exporter on 9464, own metrics on 8888, all on the Service', () => {
    expect(cfg.parsed.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(cfg.parsed.exporters.prometheus.endpoint).toBe('0.0.0.0:9464');
    const svc = find(objs, 'Service', 'otel-collector', NS);
    expect(svc.spec.ports.map((p: any) => p.port).sort()).toEqual([4317, 4318, 8888, 9464]);
  });

  test('pipelines: traces to Tempo, logs to Loki OTLP, metrics by remote write and the exporter', () => {
    const p = cfg.parsed.service.pipelines;
    expect(p.traces).toEqual({ receivers: ['otlp'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlp/traces'] });
    expect(p.logs.exporters).toEqual(['otlphttp/logs']);
    expect(p.metrics.exporters).toEqual(['prometheusremotewrite/metrics', 'prometheus']);
    expect(cfg.parsed.exporters['otlphttp/logs'].endpoint).toBe('http://loki.monitoring.svc:3100/otlp');
    expect(Object.keys(cfg.parsed.exporters)).not.toContain('loki');
  });

  test('every exporter endpoint resolves to an emitted Service and port', () => {
    const endpoints = Object.values(cfg.parsed.exporters).map((e: any) => e.endpoint).filter((e) => e && !e.startsWith('0.0.0.0'));
    expect(endpoints.length).toBe(3);
    for (const e of endpoints) expect(urlResolution(e, objs)).toBeUndefined();
  });

  test('remote write into the emitted Prometheus turns its receiver on', () => {
    expect(prometheus.remoteWriteReceiverEnabled).toBe(true);
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    const cr = find(objs, 'ClusterRole', 'monitoring-otel-collector');
    expect(cr.metadata.namespace).toBeUndefined();
  });
});

describe('OtelCollectorConfig bad input', () => {
  test('a pipeline that names a receiver or exporter that is not defined', () => {
    const c = new OtelCollectorConfig();
    c.add(OtelReceiver.otlp());
    c.add(OtelExporter.debug());
    c.addPipeline({ signal: OtelSignal.TRACES, receivers: ['otlp', 'jaeger'], exporters: ['debug', 'otlp/tempo'] });
    const problems = c._validate().map((d) => `${d.problem}. Received: ${d.received}; expected: ${d.expected}. Fix: ${d.fix}`);
    expect(problems).toEqual([
      expect.stringMatching(/^pipeline 'traces' names receiver 'jaeger', which is not defined\. Received: "jaeger"; expected: one of the defined receivers: \["otlp"\]\. Fix: /),
      expect.stringMatching(/^pipeline 'traces' names exporter 'otlp\/tempo', which is not defined\. Received: "otlp\/tempo"/),
    ]);
  });

  test('two receivers bound to the same port', () => {
    const c = new OtelCollectorConfig();
    c.add(OtelReceiver.otlp());
    c.add(OtelReceiver.otlp({ name: 'second', grpcPort: 4317, httpPort: 4320 }));
    expect(c._validate().map((d) => d.problem + ' / ' + d.received)).toEqual(["port 4317 is bound by more than one component / receiver 'otlp', receiver 'otlp/second'"]);
  });

  test('the collector reports config problems at synth, with its path', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const col = new OtelCollector(chart, 'Collector');
    col.collectorConfig.addPipeline({ signal: OtelSignal.LOGS, receivers: ['otlp'], exporters: ['otlphttp/loki'] });
    expect(() => app.synth()).toThrow(/\[c\/Collector\] pipeline 'logs' names exporter 'otlphttp\/loki', which is not defined/);
  });

  test('an exporter pointing at a construct from another app', () => {
    const other = new App();
    const tempo = new Tempo(new Chart(other, 'other'), 'Tempo');
    const app = new App();
    new OtelCollector(new Chart(app, 'c'), 'Collector', { tracesBackend: tempo });
    expect(() => app.synth()).toThrow(/\[c\/Collector\] exporter 'otlp\/traces' points at a construct of another app\. Received: other\/Tempo; expected: .*Fix: create the destination in this App/);
  });

  test('the same component id twice, invalid ports and names', () => {
    const c = new OtelCollectorConfig();
    c.add(OtelReceiver.otlp());
    expect(() => c.add(OtelReceiver.otlp())).toThrow(/receiver 'otlp' is defined twice\. Received: "otlp"; expected: a unique id per kind\. Fix: /);
    expect(() => OtelReceiver.otlp({ grpcPort: 70000 })).toThrow(/invalid port\. Received: 70000/);
    expect(() => OtelReceiver.otlp({ name: 'a b' })).toThrow(/invalid component name\. Received: "a b"/);
  });
});
