import { App, Chart } from 'cdk8s';
import { expectAlloySyntaxAccepts } from './alloy-engine';
import { alloyReferenceErrors } from './alloy-reference';
import { AlloyBlock, AlloyCollector, AlloyConfig, AlloyValue } from '../../src/alloy';
import { Loki } from '../../src/loki';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { Pyroscope } from '../../src/pyroscope';
import { Tempo } from '../../src/tempo';
import { find, K8sObject, restrictedViolations, schemaErrors, synthApp, urlResolution } from '../harness';

const NS = 'monitoring';

function collectorStack(extra: Record<string, any> = {}): { app: App; alloy: AlloyCollector; prometheus: Prometheus; objs: K8sObject[] } {
  const app = new App();
  const chart = new Chart(app, 'stack');
  new PrometheusOperatorCrds(chart, 'Crds');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS });
  const tempo = new Tempo(chart, 'Tempo');
  const loki = new Loki(chart, 'Loki', { namespace: NS });
  const pyroscope = new Pyroscope(chart, 'Pyroscope');
  const alloy = new AlloyCollector(chart, 'Alloy', {
    tracesBackend: tempo, logsBackend: loki, metricsTarget: prometheus, profilesBackend: pyroscope, scrapeServiceMonitors: true, ...extra,
  });
  return { app, alloy, prometheus, objs: synthApp(app) };
}

describe('AlloyCollector', () => {
  const { alloy, prometheus, objs } = collectorStack();
  const text = find(objs, 'ConfigMap', 'alloy-collector', NS).data['config.alloy'];

  test('OTLP in on 4317/4318 on the Service, through k8sattributes and batch to every destination', () => {
    expect(find(objs, 'Service', 'alloy-collector', NS).spec.ports.map((p: any) => p.port)).toEqual([12345, 4317, 4318]);
    expect(text).toContain('otelcol.receiver.otlp "default" {');
    expect(text).toMatch(/otelcol\.processor\.k8sattributes "default" \{[\s\S]*traces {2}= \[otelcol\.processor\.batch\.default\.input\]/);
    expect(text).toMatch(/otelcol\.processor\.batch "default" \{[\s\S]*traces {2}= \[otelcol\.exporter\.otlp\.traces\.input\]/);
    expect(text).toContain('endpoint = "tempo.monitoring.svc:4317"');
    expect(text).toContain('endpoint = "http://loki.monitoring.svc:3100/otlp"');
    expect(text).toContain('url            = "http://prometheus.monitoring.svc:9090/api/v1/write"');
    expect(text).toContain('url = "http://pyroscope.monitoring.svc:4040"');
    expect(text).toContain('prometheus.operator.servicemonitors "default"');
  });

  test('every destination resolves to an emitted Service and port', () => {
    expect(alloy.destinationUrls).toHaveLength(4);
    for (const u of alloy.destinationUrls) expect(urlResolution(u, objs)).toBeUndefined();
  });

  test('every forward_to and output reference points at a component that exists', () => {
    expect(alloy.buildConfig().danglingReferences()).toEqual([]);
  });

  test("Alloy's own parser and printer accept the config (with and without optional parts)", () => {
    expectAlloySyntaxAccepts({
      full: text,
      tracesOnly: new AlloyCollector(new Chart(new App(), 'x'), 'A', { tracesBackend: new Tempo(new Chart(new App(), 'y'), 'T') }).renderConfig(),
    });
  });

  test('the config matches the Alloy 1.18.1 component reference', () => {
    expect(alloyReferenceErrors(text)).toEqual([]);
  });

  test('rendering is deterministic', () => {
    expect(alloy.renderConfig()).toBe(alloy.renderConfig());
    expect(collectorStack().alloy.renderConfig()).toBe(text);
  });

  test('clustered StatefulSet with the WAL on a PVC (never /tmp)', () => {
    const sts = find(objs, 'StatefulSet', 'alloy-collector', NS);
    const args: string[] = sts.spec.template.spec.containers[0].args;
    expect(args).toContain('--cluster.enabled=true');
    expect(args).toContain('--storage.path=/var/lib/alloy/data');
    const join = args.find((a) => a.startsWith('--cluster.join-addresses='))!.split('=')[1];
    expect(urlResolution(join, objs)).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/alloy/data' });
    expect(sts.spec.replicas).toBe(2);
    expect(find(objs, 'PodDisruptionBudget', 'alloy-collector', NS)).toBeDefined();
  });

  test('remote write into the emitted Prometheus turns its receiver on', () => {
    expect(prometheus.remoteWriteReceiverEnabled).toBe(true);
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });
});

describe('Alloy renderer', () => {
  test('escapes strings and quotes non-identifier object keys', () => {
    const b = AlloyBlock.component('discovery.relabel', 'x')
      .addAttribute('targets', AlloyValue.array([AlloyValue.stringMap({ 'app.kubernetes.io/name': 'a"b\\c\n' })]));
    expect(b.render()).toContain('"app.kubernetes.io/name" = "a\\"b\\\\c\\n"');
  });

  test('a reference to a component that does not exist is reported', () => {
    const cfg = new AlloyConfig();
    cfg.addBlock(AlloyBlock.component('prometheus.scrape', 'a').addAttribute('forward_to', AlloyValue.array([AlloyValue.ref('prometheus.remote_write.missing.receiver')])));
    expect(cfg.danglingReferences()).toEqual(['prometheus.remote_write.missing.receiver']);
  });
});

describe('AlloyCollector bad input', () => {
  test('a destination from another app', () => {
    const other = new App();
    const tempo = new Tempo(new Chart(other, 'other'), 'Tempo');
    const app = new App();
    new AlloyCollector(new Chart(app, 'c'), 'Alloy', { tracesBackend: tempo });
    expect(() => app.synth()).toThrow(/\[c\/Alloy\] 'tracesBackend' points at a construct of another app\. Received: other\/Tempo; expected: .*Fix: /);
  });

  test('no destination at all', () => {
    const app = new App();
    new AlloyCollector(new Chart(app, 'c'), 'Alloy');
    expect(() => app.synth()).toThrow(/the collector has no destination/);
  });

  test('ServiceMonitor discovery without a remote-write target', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new AlloyCollector(chart, 'Alloy', { tracesBackend: new Tempo(chart, 'Tempo'), scrapeServiceMonitors: true });
    expect(() => app.synth()).toThrow(/'scrapeServiceMonitors' is on but there is no 'metricsTarget'/);
  });
});
