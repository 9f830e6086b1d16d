import { App, Chart } from 'cdk8s';
import { AlloyCollector } from '../../src/alloy';
import { Beyla } from '../../src/beyla';
import { Tempo } from '../../src/tempo';
import { find, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';

function beylaApp(props: Record<string, any>) {
  const app = new App();
  const chart = new Chart(app, 'c');
  const tempo = new Tempo(chart, 'Tempo');
  const alloy = new AlloyCollector(chart, 'Alloy', { tracesBackend: tempo });
  const beyla = new Beyla(chart, 'Beyla', { otlpTarget: alloy, ...props });
  return { app, chart, beyla, alloy };
}

describe('Beyla', () => {
  const { app } = beylaApp({ namespaces: ['dev'], ports: [8080, 443] });
  const objs = synthApp(app);
  const ds = find(objs, 'DaemonSet', 'beyla', 'monitoring-agents');
  const cfg = YAML.parse(find(objs, 'ConfigMap', 'beyla', 'monitoring-agents').data['beyla-config.yml']);

  test('selects by namespace and port', () => {
    expect(cfg.discovery.instrument).toEqual([{ k8s_namespace: 'dev' }, { open_ports: '443,8080' }]);
  });

  test('sends OTLP to the collector Service', () => {
    expect(cfg.otel_traces_export.endpoint).toBe('http://alloy-collector.monitoring.svc:4318');
    expect(urlResolution(cfg.otel_traces_export.endpoint, objs)).toBeUndefined();
    expect(urlResolution(cfg.otel_metrics_export.endpoint, objs)).toBeUndefined();
  });

  test('minimum documented privileges: hostPID and the listed capabilities, nothing privileged', () => {
    const spec = ds.spec.template.spec;
    expect(spec.hostPID).toBe(true);
    const sc = spec.containers[0].securityContext;
    expect(sc.privileged).toBe(false);
    expect(sc.capabilities).toEqual({ drop: ['ALL'], add: ['BPF', 'CHECKPOINT_RESTORE', 'DAC_READ_SEARCH', 'NET_RAW', 'PERFMON', 'SYS_PTRACE'] });
    expect(sc.readOnlyRootFilesystem).toBe(true);
    expect(sc.allowPrivilegeEscalation).toBe(false);
  });

  test('runs in the node-agent namespace; Pod Security restricted holds for everything else', () => {
    expect(ds.metadata.namespace).toBe('monitoring-agents');
    expect(restrictedViolations(objs.filter((o) => o.metadata.name !== 'beyla'))).toEqual([]);
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('context propagation adds NET_ADMIN only', () => {
    const { beyla } = beylaApp({ namespaces: ['dev'], contextPropagation: true });
    expect(beyla.capabilities).toContain('NET_ADMIN');
    expect(beyla.capabilities).not.toContain('SYS_ADMIN');
  });
});

describe('Beyla bad input', () => {
  test('a selector that selects nothing', () => {
    expect(() => beylaApp({})).toThrow(/\[c\/Beyla\] the Beyla selector selects nothing\. Received: namespaces: \[\], ports: \[\]; expected: .*Fix: /);
    expect(() => beylaApp({ namespaces: [], ports: [] })).toThrow(/selects nothing/);
  });

  test('an invalid port or namespace, or its own namespace', () => {
    expect(() => beylaApp({ ports: [0] })).toThrow(/'ports' has an invalid port\. Received: 0/);
    expect(() => beylaApp({ namespaces: ['Dev_1'] })).toThrow(/namespaces/);
    expect(() => beylaApp({ namespaces: ['monitoring-agents'] })).toThrow(/selects Beyla's own namespace/);
  });

  test('an OTLP target from another app', () => {
    const other = new App();
    const tempo = new Tempo(new Chart(other, 'other'), 'Tempo');
    const app = new App();
    new Beyla(new Chart(app, 'c'), 'Beyla', { otlpTarget: tempo, ports: [8080] });
    expect(() => app.synth()).toThrow(/'otlpTarget' points at a construct of another app\. Received: other\/Tempo/);
  });
});
