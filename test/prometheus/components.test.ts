import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { kubeService } from '../../src/core/kube';
import { GrafanaContactPoint } from '../../src/grafana';
import {
  AlertMatcher, Alertmanager, AlertReceiver, PodMonitor, Prometheus, PrometheusOperator, PrometheusOperatorCrds,
  RelabelAction, ScrapeScheme, ServiceMonitor, KubeStateMetrics,
} from '../../src/prometheus';
import { find, parseYamlDocs, schemaErrors, synthApp, restrictedViolations } from '../harness';
import { ALERTMANAGER_VERSION, amtoolCheckConfig, amtoolVersion } from './amtool';
import { monitorSelectionErrors } from './selection';

const slack = AlertReceiver.slack('slack', { apiUrl: { secretName: 'slack', key: 'url' } });

function frontendChart(app: App): { chart: Chart; svc: kplus.Service } {
  const chart = new Chart(app, 'dev');
  const svc = new kplus.Service(chart, 'frontend', {
    metadata: { name: 'frontend', namespace: 'dev', labels: { tier: 'web' } },
    ports: [{ name: 'http', port: 8080 }],
  });
  return { chart, svc };
}

describe('Prometheus', () => {
  test('defaults: selectors pick everything, namespaces follow the monitors, PVC fully defaulted', () => {
    const app = Testing.app();
    const { chart, svc } = frontendChart(app);
    ServiceMonitor.forService(chart, 'sm', svc, { endpoints: [{ port: 'http', interval: Duration.seconds(15) }] });
    const mon = new Chart(app, 'mon');
    new Prometheus(mon, 'p');
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(monitorSelectionErrors(objs)).toEqual([]);
    const p = find(objs, 'Prometheus', 'prometheus', 'monitoring');
    for (const f of ['serviceMonitorSelector', 'podMonitorSelector', 'ruleSelector', 'probeSelector']) expect(p.spec[f]).toEqual({});
    expect(p.spec.ruleNamespaceSelector.matchExpressions[0].values).toEqual(['dev', 'monitoring']);
    expect(p.spec.retention).toBe('2w1d');
    expect(p.spec.retentionSize).toBe('43520MiB');
    expect(p.spec.image).toBe('quay.io/prometheus/prometheus:v3.13.2');
    expect(p.spec.version).toBe('v3.13.2');
    expect(p.spec.storage.volumeClaimTemplate).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'prometheus-db' },
      spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '50Gi' } } },
    });
    expect(p.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    expect(find(objs, 'Role', 'monitoring-prometheus', 'dev').rules[0].resources).toEqual(['services', 'endpoints', 'pods']);
    expect(find(objs, 'RoleBinding', 'prometheus', 'monitoring').subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]);
    const sm = find(objs, 'ServiceMonitor', 'frontend', 'dev');
    expect(sm.spec).toEqual({ selector: { matchLabels: { tier: 'web' } }, endpoints: [{ port: 'http', path: '/metrics', scheme: 'http', interval: '15s' }] });
  });

  test('props: retention, size, replicas, intervals, external labels, remote write, exemplars', () => {
    const chart = Testing.chart();
    const a = new Prometheus(chart, 'a', {
      name: 'edge',
      replicas: 2,
      retention: Duration.days(7),
      retentionSize: Size.gibibytes(8),
      storage: { size: Size.gibibytes(10), storageClassName: 'fast' },
      scrapeInterval: Duration.seconds(15),
      evaluationInterval: Duration.seconds(20),
      externalLabels: { cluster: 'c1' },
      exemplarStorage: true,
    });
    const central = new Prometheus(chart, 'b', { name: 'central', enableRemoteWriteReceiver: true });
    a.addRemoteWrite(central);
    const objs = Testing.synth(chart) as any[];
    const p = objs.find((o) => o.kind === 'Prometheus' && o.metadata.name === 'edge');
    expect(p.spec).toMatchObject({
      replicas: 2,
      retention: '1w',
      retentionSize: '8192MiB',
      scrapeInterval: '15s',
      evaluationInterval: '20s',
      externalLabels: { cluster: 'c1' },
      enableFeatures: ['exemplar-storage'],
      remoteWrite: [{ url: 'http://central.monitoring.svc:9090/api/v1/write', name: 'b', sendExemplars: true }],
    });
    expect(p.spec.storage.volumeClaimTemplate.spec.storageClassName).toBe('fast');
    expect(central.remoteWriteUrl).toBe('http://central.monitoring.svc:9090/api/v1/write');
    expect(central.datasourceInfo).toMatchObject({ kind: 'prometheus', uid: 'prometheus', url: 'http://central.monitoring.svc:9090', servicePort: 9090 });
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('watchAllNamespaces uses a ClusterRole and an empty namespace selector', () => {
    const chart = Testing.chart();
    new Prometheus(chart, 'p', { watchAllNamespaces: true });
    const objs = Testing.synth(chart) as any[];
    const p = objs.find((o) => o.kind === 'Prometheus');
    expect(p.spec.serviceMonitorNamespaceSelector).toEqual({});
    expect(objs.filter((o) => o.kind === 'Role')).toEqual([]);
    expect(objs.find((o) => o.kind === 'ClusterRole').rules).toHaveLength(4);
  });

  test('fails when retention is below the 2h block duration', () => {
    expect(() => new Prometheus(Testing.chart(), 'p', { retention: Duration.hours(1) })).toThrow(/'retention' is too short.*Received: 1h; expected: at least 2h/);
  });
  test('fails when an interval is zero or negative', () => {
    expect(() => new Prometheus(Testing.chart(), 'p', { scrapeInterval: Duration.seconds(0) })).toThrow(/'scrapeInterval' must be a positive duration/);
  });
  test('fails when used as a remote-write target without the receiver', () => {
    const p = new Prometheus(Testing.chart(), 'p');
    expect(() => p.remoteWriteUrl).toThrow(/does not accept remote writes.*enableRemoteWriteReceiver: true/);
  });
});

describe('ServiceMonitor / PodMonitor', () => {
  test('typed endpoint fields render to the operator schema', () => {
    const chart = Testing.chart();
    new ServiceMonitor(chart, 'sm', {
      name: 'api',
      namespace: 'apps',
      selector: { app: 'api' },
      targetNamespaces: ['apps', 'apps2'],
      endpoints: [{
        port: 'metrics',
        path: '/m',
        scheme: ScrapeScheme.HTTPS,
        interval: Duration.seconds(30),
        scrapeTimeout: Duration.seconds(10),
        honorLabels: true,
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }],
        metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: RelabelAction.DROP }],
      }],
    });
    new PodMonitor(chart, 'pm', { name: 'worker', namespace: 'apps', selector: { app: 'worker' }, endpoints: [{ port: 'metrics' }] });
    const objs = Testing.synth(chart) as any[];
    expect(schemaErrors(objs)).toEqual([]);
    expect(objs[0].spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      namespaceSelector: { matchNames: ['apps', 'apps2'] },
      endpoints: [{
        port: 'metrics',
        path: '/m',
        scheme: 'https',
        interval: '30s',
        scrapeTimeout: '10s',
        honorLabels: true,
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' }],
        metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: 'drop' }],
      }],
    });
    expect(objs[1].spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', scheme: 'http' }]);
  });

  test('forServiceRef monitors a library Service', () => {
    const chart = Testing.chart();
    const ref = kubeService(chart, 'svc', { name: 'api', namespace: 'apps', labels: { 'app': 'api', 'app.kubernetes.io/version': '1.0' }, selector: { app: 'api' }, ports: [{ name: 'metrics', port: 9000 }] });
    const sm = ServiceMonitor.forServiceRef(chart, 'sm', ref);
    const objs = Testing.synth(chart) as any[];
    expect(objs.find((o) => o.kind === 'ServiceMonitor').spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(sm.targetNamespaces).toEqual(['apps']);
  });

  test('fails when the named port does not exist on the Service', () => {
    const app = Testing.app();
    const { chart, svc } = frontendChart(app);
    ServiceMonitor.forService(chart, 'sm', svc, { endpoints: [{ port: 'metrics' }] });
    expect(() => synthApp(app)).toThrow(/scrapes port 'metrics', which Service dev\/frontend does not have.*one of the Service's named ports: "http"/);
  });

  test('fails when the scrape timeout is longer than the interval', () => {
    expect(() => new ServiceMonitor(Testing.chart(), 'sm', {
      name: 'x', namespace: 'a', selector: { a: 'b' }, endpoints: [{ port: 'http', interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(30) }],
    })).toThrow(/'scrapeTimeout' \(30s\) must not be greater than 'interval' \(10s\)/);
  });

  test('fails when a duration is zero or negative', () => {
    // cdk8s' Duration itself refuses negative amounts; zero reaches our check
    expect(() => Duration.seconds(-5)).toThrow(/cannot be negative/);
    expect(() => new ServiceMonitor(Testing.chart(), 'sm', {
      name: 'x', namespace: 'a', selector: { a: 'b' }, endpoints: [{ port: 'http', interval: Duration.seconds(0) }],
    })).toThrow(/'endpoints\[0\]\.interval' must be a positive duration.*Received: 0ms/);
    expect(() => new ServiceMonitor(Testing.chart(), 'sm', {
      name: 'x', namespace: 'a', selector: { a: 'b' }, endpoints: [{ port: 'http', scrapeTimeout: Duration.seconds(0) }],
    })).toThrow(/'endpoints\[0\]\.scrapeTimeout' must be a positive duration/);
  });

  test('fails when no Prometheus in the app selects the monitor', () => {
    const app = Testing.app();
    const { chart, svc } = frontendChart(app);
    ServiceMonitor.forService(chart, 'sm', svc);
    new Prometheus(new Chart(app, 'mon'), 'p', { watchNamespaces: ['monitoring'] });
    expect(() => synthApp(app)).toThrow(/no Prometheus in the app selects ServiceMonitor dev\/frontend.*add "dev" to the Prometheus 'watchNamespaces'/s);
  });

  test('fails when a cdk8s-plus Service has no labels to select on', () => {
    const chart = Testing.chart();
    const svc = new kplus.Service(chart, 's', { metadata: { name: 's', namespace: 'a' }, ports: [{ name: 'http', port: 80 }] });
    expect(() => ServiceMonitor.forService(chart, 'sm', svc)).toThrow(/has an empty selector/);
  });
});

describe('Alertmanager', () => {
  const oncall = AlertReceiver.webhook('oncall', { url: { secretName: 'oncall', key: 'url' } });
  const pd = AlertReceiver.pagerDuty('pd', { routingKey: { secretName: 'pagerduty', key: 'routing-key' } });
  const mail = AlertReceiver.email('mail', { to: 'ops@example.org', sender: 'am@example.org', smarthost: 'smtp.example.org:587', authUsername: 'am', authPassword: { secretName: 'smtp', key: 'password' } });
  function build(extra: Partial<ConstructorParameters<typeof Alertmanager>[2]> = {}) {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const am = new Alertmanager(chart, 'am', {
      defaultReceiver: oncall,
      receivers: [oncall, slack, pd, mail],
      routes: [
        { receiver: slack, matchers: [AlertMatcher.eq('severity', 'critical')], continueMatching: true, groupWait: Duration.seconds(10) },
        { receiver: pd, matchers: [AlertMatcher.regex('team', 'db|infra'), AlertMatcher.notEq('env', 'dev')], routes: [{ receiver: mail, matchers: [AlertMatcher.notRegex('x', 'y')] }] },
      ],
      ...extra,
    });
    return { app, am };
  }

  test('renders a config with typed routes, receivers reading mounted Secret files, and the CR wiring', () => {
    const { app, am } = build();
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    const cr = find(objs, 'Alertmanager', 'alertmanager');
    expect(cr.spec).toMatchObject({ replicas: 3, configSecret: 'alertmanager-config', secrets: ['oncall', 'pagerduty', 'slack', 'smtp'], retention: '120h', automountServiceAccountToken: false });
    expect(cr.spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('1Gi');
    const secret = find(objs, 'Secret', 'alertmanager-config');
    expect(Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString()).toBe(am.renderConfigYaml());
    expect(am.renderConfigYaml()).toMatchSnapshot();
    expect(am.datasourceInfo).toMatchObject({ kind: 'alertmanager', implementation: 'prometheus', uid: 'alertmanager', url: 'http://alertmanager.monitoring.svc:9093' });
  });

  test('amtool is the pinned Alertmanager (engines/alertmanager)', () => {
    const v = amtoolVersion();
    console.log(`amtool --version: ${v}`);
    expect(v).toContain(`amtool, version ${ALERTMANAGER_VERSION} (`);
  });

  test('amtool check-config passes on the rendered config, as rendered (url_file and every *_file key included)', () => {
    const { am } = build();
    const yaml = am.renderConfigYaml();
    expect(yaml).toMatch(/url_file: /);
    const res = amtoolCheckConfig(yaml);
    if (!res.ok) throw new Error(res.output);
    expect(res.output).toMatch(/SUCCESS/);
    expect(res.output).toMatch(/4 receivers/);
  });

  test('fails when a receiver has no credential reference', () => {
    expect(() => build({ receivers: [AlertReceiver.slack('oncall', { apiUrl: undefined as any })] })).toThrow(/receiver 'oncall' \(slack_configs\) has no credential reference in 'apiUrl'/);
    expect(() => build({ receivers: [AlertReceiver.webhook('oncall', { url: { secretName: 'x', key: '' } })] })).toThrow(/has no credential reference in 'url'/);
  });

  test('fails at synth when a route sends to a receiver that is not registered', () => {
    const nobody = AlertReceiver.webhook('nobody', { url: { secretName: 'nobody', key: 'url' } });
    const { app } = build({ routes: [{ receiver: slack, matchers: [AlertMatcher.eq('a', 'b')] }, { receiver: nobody }] });
    expect(() => synthApp(app)).toThrow(/\[c\/am\] routes\[1\] sends alerts to receiver 'nobody', which is not registered on Alertmanager 'alertmanager'\. Received: "nobody"; expected: one of the registered receivers: "oncall", "slack", "pd", "mail"\. Fix: add it to 'receivers', or call addReceiver\(receiver\)/);
  });

  test('fails when a route sends to a second receiver object with a registered name', () => {
    const twin = AlertReceiver.webhook('pd', { url: { secretName: 'other', key: 'url' } });
    const { app } = build({ routes: [{ receiver: twin, matchers: [AlertMatcher.eq('a', 'b')] }] });
    expect(() => synthApp(app)).toThrow(/routes\[0\] sends alerts to a receiver object named 'pd' that is not the one registered on Alertmanager 'alertmanager' under that name/);
  });

  test('fails when a route sends to a Grafana contact point, or the default receiver is a name', () => {
    const cp = GrafanaContactPoint.slack({ name: 'grafana-slack', webhookUrl: { secretName: 's', key: 'url' } });
    const { app } = build({ routes: [{ receiver: cp, matchers: [AlertMatcher.eq('a', 'b')] }] });
    expect(() => synthApp(app)).toThrow(/routes\[0\] sends alerts to 'grafana-slack', a receiver of Grafana alerting, which Alertmanager 'alertmanager' cannot use\. Received: a grafana receiver; expected: a alertmanager receiver \(AlertReceiver\)/);
    expect(() => build({ defaultReceiver: 'null' as any })).toThrow(/'defaultReceiver' must be an AlertReceiver\. Received: "null"/);
    expect(() => build({ routes: [{ receiver: 'slack' as any }] })).toThrow(/routes\[0\] has no receiver object\. Received: "slack"/);
  });

  test('fails on duplicate receiver names', () => {
    expect(() => build({ receivers: [oncall, AlertReceiver.slack('oncall', { apiUrl: { secretName: 'x', key: 'url' } })] }))
      .toThrow(/receiver 'oncall' is defined twice\. Received: two AlertReceiver objects named "oncall"; expected: unique receiver names/);
    build({ receivers: [oncall, oncall, slack] }); // the same object twice is one receiver
  });

  test('fails on malformed routes: catch-all before siblings, bad matcher or groupBy label', () => {
    expect(() => build({ routes: [{ receiver: slack }, { receiver: pd, matchers: [AlertMatcher.eq('a', 'b')] }] }))
      .toThrow(/routes\[0\] \(to 'slack'\) has no matchers and does not continue, so the 1 route\(s\) after it are never reached/);
    expect(() => build({ routes: [{ receiver: slack, matchers: [AlertMatcher.eq('bad-label', 'x')] }] })).toThrow(/routes\[0\]: invalid label name in a matcher\. Received: "bad-label"/);
    expect(() => build({ routes: [{ receiver: slack, groupBy: ['team-name'] }] })).toThrow(/routes\[0\]\.groupBy has an invalid label name\. Received: "team-name"/);
    expect(() => build({ groupBy: ['a.b'] })).toThrow(/the root route\.groupBy has an invalid label name/);
  });

  test('a datasource cannot be passed as an Alertmanager (type level)', () => {
    const chart = Testing.chart();
    const prometheus = new Prometheus(chart, 'p', { namespace: 'monitoring' });
    // @ts-expect-error a Prometheus is a datasource, not an Alertmanager (no alertmanagerUrl)
    prometheus.addAlertmanager(prometheus);
    const am = new Alertmanager(chart, 'am', { defaultReceiver: slack, replicas: 1 });
    prometheus.addAlertmanager(am);
    expect(am.alertmanagerUrl).toBe('http://alertmanager.monitoring.svc:9093');
  });
});

describe('operator, CRDs and exporters', () => {
  test('CRDs: all ten, annotated, the big ones above the client-side apply limit', () => {
    const chart = Testing.chart();
    new PrometheusOperatorCrds(chart, 'crds');
    const objs = Testing.synth(chart) as any[];
    expect(objs).toHaveLength(10);
    const sizes: Record<string, number> = {};
    for (const o of objs) {
      expect(o.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-wave': '-10', 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false' });
      sizes[o.metadata.name] = Buffer.byteLength(JSON.stringify(o));
    }
    expect(sizes['prometheuses.monitoring.coreos.com']).toBeGreaterThan(262144);
    // the size of each vendored file decides; every CRD above the limit needs server-side apply
    const big = Object.entries(sizes).filter(([, s]) => s > 262144).map(([n]) => n).sort();
    expect(big).toEqual([
      'alertmanagerconfigs.monitoring.coreos.com', 'alertmanagers.monitoring.coreos.com', 'prometheusagents.monitoring.coreos.com',
      'prometheuses.monitoring.coreos.com', 'scrapeconfigs.monitoring.coreos.com', 'thanosrulers.monitoring.coreos.com',
    ]);
  });

  test('operator: pinned image, reloader arg, http 8080, own ServiceMonitor', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new PrometheusOperator(chart, 'op');
    new KubeStateMetrics(chart, 'ksm');
    new Prometheus(chart, 'p');
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    expect(monitorSelectionErrors(objs)).toEqual([]);
    const c = find(objs, 'Deployment', 'prometheus-operator').spec.template.spec.containers[0];
    expect(c.image).toBe('quay.io/prometheus-operator/prometheus-operator:v0.93.1');
    expect(c.args).toContain('--prometheus-config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1');
    expect(find(objs, 'Service', 'prometheus-operator').spec.ports[0]).toMatchObject({ name: 'http', port: 8080 });
    expect(find(objs, 'Service', 'kube-state-metrics').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['http-metrics:8080', 'telemetry:8081']);
    const ksmRole = find(objs, 'ClusterRole', 'monitoring-kube-state-metrics');
    for (const r of ksmRole.rules) expect(r.verbs).toEqual(['list', 'watch']);
    expect(JSON.stringify(ksmRole.rules)).not.toContain('secrets');
  });
});

test('rendered YAML round-trips', () => {
  const chart = Testing.chart();
  new Alertmanager(chart, 'am', { defaultReceiver: slack, replicas: 1 });
  const objs = Testing.synth(chart);
  expect(parseYamlDocs(objs.map((o) => JSON.stringify(o)).join('\n---\n'))).toHaveLength(objs.length);
});
