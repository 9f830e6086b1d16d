import { App, Chart, Duration } from 'cdk8s';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { SeaweedFs } from '../../src/storage';
import { Tempo, TempoMode } from '../../src/tempo';
import { find, K8sObject, promqlErrors, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';
import { checkKeys } from '../loki/util';

const NS = 'monitoring';

function tempoYaml(objs: K8sObject[], name = 'tempo'): { raw: string; parsed: any } {
  const cm = find(objs, 'ConfigMap', name, NS);
  return { raw: cm.data['tempo.yaml'], parsed: YAML.parse(cm.data['tempo.yaml']) };
}

function stack(opts: { generator?: boolean; mode?: TempoMode } = {}): { app: App; tempo: Tempo; prometheus: Prometheus; objs: K8sObject[] } {
  const app = new App();
  const chart = new Chart(app, 'stack');
  new PrometheusOperatorCrds(chart, 'Crds');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS });
  const s3 = opts.mode === TempoMode.SCALABLE
    ? new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 'tempo-s3', buckets: ['tempo-traces'] })
    : undefined;
  const tempo = new Tempo(chart, 'Tempo', {
    mode: opts.mode,
    objectStorage: s3?.toObjectStorage({ bucket: 'tempo-traces' }),
    metricsGenerator: opts.generator ? { remoteWriteTarget: prometheus, dimensions: ['http.method'] } : undefined,
  });
  return { app, tempo, prometheus, objs: synthApp(app) };
}

describe('Tempo monolithic', () => {
  const { tempo, objs } = stack();
  const cfg = tempoYaml(objs);

  test('every key of tempo.yaml exists in the Tempo 2.10.8 reference', () => {
    const r = checkKeys(cfg.raw, 'tempo');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  test('OTLP gRPC and HTTP receivers are on, and their ports are on the Service', () => {
    expect(cfg.parsed.distributor.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    const svc = find(objs, 'Service', 'tempo', NS);
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual(expect.arrayContaining([3200, 4317, 4318]));
    expect(urlResolution(tempo.otlpHttpUrl, objs)).toBeUndefined();
    expect(urlResolution(tempo.otlpGrpcAddress, objs)).toBeUndefined();
    expect(urlResolution(tempo.datasourceInfo.url, objs)).toBeUndefined();
  });

  test('blocks on the PVC, retention rendered as a Go duration', () => {
    expect(cfg.parsed.storage.trace.backend).toBe('local');
    expect(cfg.parsed.compactor.compaction.block_retention).toBe('336h');
    const sts = find(objs, 'StatefulSet', 'tempo', NS);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('schema harness, Pod Security restricted, alerts parse', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
    expect(find(objs, 'PrometheusRule', 'tempo-alerts', NS)).toBeDefined();
    expect(find(objs, 'ServiceMonitor', 'tempo', NS)).toBeDefined();
  });

  test('with the metrics-generator off, none of its parts is set', () => {
    expect(cfg.parsed.metrics_generator).toBeUndefined();
    expect(cfg.parsed.overrides.defaults.metrics_generator).toBeUndefined();
    const prom = find(objs, 'Prometheus', 'prometheus', NS);
    expect(prom.spec.enableRemoteWriteReceiver).toBeUndefined();
  });
});

describe('Tempo metrics-generator: one switch', () => {
  const { objs, prometheus } = stack({ generator: true });
  const cfg = tempoYaml(objs);

  test('sets the processors', () => {
    expect(cfg.parsed.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics']);
    expect(cfg.parsed.metrics_generator.processor.span_metrics.dimensions).toEqual(['http.method']);
  });

  test('sets the remote-write URL to the emitted Prometheus', () => {
    const rw = cfg.parsed.metrics_generator.storage.remote_write;
    expect(rw).toEqual([{ url: 'http://prometheus.monitoring.svc:9090/api/v1/write', send_exemplars: true }]);
    expect(urlResolution(rw[0].url, objs)).toBeUndefined();
  });

  test("turns on the target Prometheus' remote-write receiver", () => {
    expect(prometheus.remoteWriteReceiverEnabled).toBe(true);
    expect(find(objs, 'Prometheus', 'prometheus', NS).spec.enableRemoteWriteReceiver).toBe(true);
  });

  test('keys still exist in the 2.10.8 reference', () => {
    expect(checkKeys(cfg.raw, 'tempo').output).toBe('');
  });
});

describe('Tempo scalable', () => {
  const { objs } = stack({ mode: TempoMode.SCALABLE, generator: true });
  const cfg = tempoYaml(objs);
  test('scalable-single-binary replicas on object storage with a memberlist ring', () => {
    expect(cfg.parsed.target).toBe('scalable-single-binary');
    expect(cfg.parsed.storage.trace.backend).toBe('s3');
    expect(cfg.parsed.ingester.lifecycler.ring.replication_factor).toBe(3);
    expect(find(objs, 'StatefulSet', 'tempo', NS).spec.replicas).toBe(3);
    for (const m of cfg.parsed.memberlist.join_members) expect(urlResolution(m, objs)).toBeUndefined();
    expect(urlResolution(cfg.parsed.storage.trace.s3.endpoint, objs)).toBeUndefined();
    expect(checkKeys(cfg.raw, 'tempo').output).toBe('');
    expect(schemaErrors(objs)).toEqual([]);
  });
});

describe('Tempo bad input', () => {
  function make(props: any, scalableStorage = false) {
    const app = new App();
    const chart = new Chart(app, 'c');
    const s3 = scalableStorage ? new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 's', buckets: ['tempo-b'] }) : undefined;
    new Tempo(chart, 'Tempo', { ...props, ...(s3 ? { objectStorage: s3.toObjectStorage({ bucket: 'tempo-b' }) } : {}) });
    return app;
  }

  test('the metrics-generator enabled with no remote-write target', () => {
    expect(() => make({ metricsGenerator: {} })).toThrow(
      /\[c\/Tempo\] the metrics-generator is enabled but has no 'remoteWriteTarget'\. Received: .*; expected: .*\. Fix: /,
    );
  });

  test('a scalable Tempo without object storage', () => {
    expect(() => make({ mode: TempoMode.SCALABLE })).toThrow(/\[c\/Tempo\] a scalable Tempo needs object storage.*Received: ObjectStorage\.filesystem.*Fix: pass 'objectStorage'/);
  });

  test('replicas out of range for the mode', () => {
    expect(() => make({ replicas: 2 })).toThrow(/'replicas' is out of range for monolithic mode/);
    expect(() => make({ mode: TempoMode.SCALABLE, replicas: 2 }, true)).toThrow(/'replicas' is out of range for scalable mode.*Received: 2/);
  });

  test('retention too short', () => {
    expect(() => make({ retention: Duration.minutes(5) })).toThrow(/retention/);
  });

  test('a remote-write target of another app', () => {
    const other = new App();
    const prom = new Prometheus(new Chart(other, 'o'), 'Prometheus', { enableRemoteWriteReceiver: true });
    const app = make({ metricsGenerator: { remoteWriteTarget: prom } });
    expect(() => app.synth()).toThrow(/'metricsGenerator\.remoteWriteTarget' is a construct of another app.*Received: o\/Prometheus/s);
  });

  test('an invalid dimension', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const prom = new Prometheus(chart, 'P');
    expect(() => new Tempo(chart, 'Tempo', { metricsGenerator: { remoteWriteTarget: prom, dimensions: ['http method'] } })).toThrow(/invalid attribute name.*Received: "http method"/);
  });
});
