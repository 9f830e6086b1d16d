import { App, Chart, Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { BlackboxExporter, BlackboxProber, Probe, ProbeProps } from '../../src/blackbox';
import { Grafana } from '../../src/grafana';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { ProbeRules } from '../../src/rules';
import { find, restrictedViolations, schemaErrors, synthApp } from '../harness';

const NS = 'monitoring';

function stack() {
  const app = new App();
  new PrometheusOperatorCrds(new Chart(app, 'crds'), 'Crds');
  const chart = new Chart(app, 'bb', { namespace: NS });
  const prometheus = new Prometheus(chart, 'Prometheus');
  const exporter = new BlackboxExporter(chart, 'Blackbox');
  return { app, chart, prometheus, exporter };
}

/** A Probe with `props` over a valid default, in a fresh stack. */
function probe(props: Partial<ProbeProps>, modules?: any[]) {
  const s = stack();
  const exporter = modules ? new BlackboxExporter(s.chart, 'Other', { name: 'bb-other', modules }) : s.exporter;
  return new Probe(s.chart, 'P', { exporter, targets: ['https://example.com/healthz'], ...props });
}

describe('BlackboxExporter', () => {
  const s = stack();
  const grafana = new Grafana(s.chart, 'Grafana', { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } });
  new Probe(s.chart, 'GrafanaHealth', { exporter: s.exporter, targets: [grafana.service.url('http', 'http', '/api/health')] });
  new Probe(s.chart, 'Tcp', { exporter: s.exporter, module: 'tcp_connect', targets: ['db.example.com:5432', '[2001:db8::1]:443'] });
  new Probe(s.chart, 'Ping', { exporter: s.exporter, module: 'icmp', targets: ['gateway.example.com', '10.0.0.1', '2001:db8::1'] });
  new ProbeRules(s.chart, 'ProbeRules');
  const objs = synthApp(s.app);
  const dep = find(objs, 'Deployment', 'blackbox-exporter', NS);
  const pod = dep.spec.template.spec;

  test('renders blackbox.yml from typed modules: http_2xx, tcp_connect, icmp', () => {
    const cfg = YAML.parse(find(objs, 'ConfigMap', 'blackbox-exporter', NS).data['blackbox.yml']);
    expect(Object.keys(cfg.modules)).toEqual(['http_2xx', 'tcp_connect', 'icmp']);
    expect(cfg.modules.http_2xx).toEqual({ prober: 'http', timeout: '5s', http: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: true } });
    expect(cfg.modules.icmp.prober).toBe('icmp');
    expect(pod.containers[0].args).toEqual(['--config.file=/etc/blackbox_exporter/blackbox.yml', '--web.listen-address=:9115']);
    expect(dep.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('least privilege: restricted Pod Security, every capability dropped, ICMP through the safe ping_group_range sysctl, no token', () => {
    expect(restrictedViolations(objs)).toEqual([]);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ping_group_range', value: '65534 65534' }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(objs.filter((o) => /Role/.test(o.kind) && o.metadata.name.includes('blackbox'))).toEqual([]);
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('pinned image, own ServiceMonitor on the http port', () => {
    expect(pod.containers[0].image).toBe('quay.io/prometheus/blackbox-exporter:v0.28.0');
    const sm = find(objs, 'ServiceMonitor', 'blackbox-exporter', NS);
    expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    expect(find(objs, 'Service', 'blackbox-exporter', NS).spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 9115 })]);
  });

  test('Probes point at the exporter Service and port, one module, static targets', () => {
    const p = find(objs, 'Probe', 'grafana-health', NS);
    expect(p.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(p.spec.prober).toEqual({ url: 'blackbox-exporter.monitoring.svc:9115', scheme: 'http', path: '/probe' });
    expect(p.spec.module).toBe('http_2xx');
    expect(p.spec.targets.staticConfig.static).toEqual(['http://grafana.monitoring.svc:3000/api/health']);
    expect(find(objs, 'Probe', 'ping', NS).spec.module).toBe('icmp');
  });

  test('the Prometheus selects the Probes (probeSelector, watched namespace)', () => {
    const prom = find(objs, 'Prometheus', 'prometheus', NS);
    expect(prom.spec.probeSelector).toEqual({});
    expect(prom.spec.probeNamespaceSelector.matchExpressions[0].values).toContain(NS);
  });

  test('extra modules are rendered; http-only fields on a tcp module fail', () => {
    const e = probe({ module: 'http_post' }, [{ name: 'http_post', prober: BlackboxProber.HTTP, httpMethod: 'POST', validStatusCodes: [200, 201], timeout: Duration.seconds(3) }]);
    const exporter = e.node.scope!.node.findChild('Other') as BlackboxExporter;
    const cfg = YAML.parse(exporter.config.files()['blackbox.yml']);
    expect(cfg.modules.http_post).toEqual({ prober: 'http', timeout: '3s', http: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: true, valid_status_codes: [200, 201], method: 'POST' } });
    expect(() => probe({}, [{ name: 'tcp_tls', prober: BlackboxProber.TCP, validStatusCodes: [200] }])).toThrow(/'validStatusCodes' applies to the http prober only\. Received: .*; expected: .*\. Fix: remove 'validStatusCodes'/);
    expect(() => probe({}, [{ name: 'http_2xx', prober: BlackboxProber.HTTP }])).toThrow(/module 'http_2xx' is defined twice/);
    expect(() => probe({}, [{ name: 'bad-name', prober: BlackboxProber.HTTP }])).toThrow(/modules\[0\]\.name is not a valid module name/);
    expect(() => probe({}, [{ name: 'x', prober: 'dns' }])).toThrow(/has an unknown prober/);
    expect(() => probe({}, [{ name: 'x', prober: BlackboxProber.HTTP, validStatusCodes: [700] }])).toThrow(/is not an HTTP status code/);
    expect(() => probe({}, [{ name: 'x', prober: BlackboxProber.HTTP, httpMethod: 'post' }])).toThrow(/is not an HTTP method.*Fix: use "POST"/);
    expect(() => probe({}, [{ name: 'x', prober: BlackboxProber.HTTP, timeout: Duration.seconds(0) }])).toThrow(/timeout/);
  });
});

describe('Probe: bad input fails with the five-part message', () => {
  const FIVE = /\[[^\]]+\] .+\. Received: .+; expected: .+\. Fix: .+/s;

  test.each<[string, Partial<ProbeProps>, RegExp]>([
    ['no scheme', { targets: ['example.com/healthz'] }, /'targets\[0\]' is not a valid http\/https URL.*Fix: add the scheme/],
    ['another scheme', { targets: ['ftp://example.com/'] }, /'targets\[0\]' is not a valid http\/https URL/],
    ['spaces', { targets: ['https://exa mple.com/'] }, /targets\[0\]/],
    ['bad host', { targets: ['https://exa_mple..com/'] }, /targets\[0\]/],
    ['credentials in the URL', { targets: ['https://user:pw@example.com/'] }, /carries credentials in the URL.*\*\*\*@/],
    ['surrounding space', { targets: [' https://example.com/'] }, /empty or has surrounding spaces/],
    ['empty target', { targets: [''] }, /empty or has surrounding spaces/],
    ['empty list', { targets: [] }, /has no targets: it would probe nothing/],
    ['duplicate', { targets: ['https://a.example.com/', 'https://a.example.com/'] }, /targets\[1\] repeats/],
    ['a URL for tcp', { module: 'tcp_connect', targets: ['https://db.example.com:5432'] }, /is a URL, but module 'tcp_connect' runs the tcp prober.*Fix: pass "db.example.com:5432"/],
    ['tcp without port', { module: 'tcp_connect', targets: ['db.example.com'] }, /'targets\[0\]' must be host:port/],
    ['tcp port out of range', { module: 'tcp_connect', targets: ['db.example.com:70000'] }, /'targets\[0\]' must be host:port/],
    ['tcp bad host', { module: 'tcp_connect', targets: ['db_example:5432'] }, /not a valid hostname/],
    ['icmp with a port', { module: 'icmp', targets: ['gateway.example.com:80'] }, /is not a host: module 'icmp' runs the icmp prober.*Fix: pass "gateway.example.com"/],
    ['icmp with a URL', { module: 'icmp', targets: ['http://gateway.example.com'] }, /is not a host/],
    ['unknown module', { module: 'http2xx' }, /module 'http2xx' is not a module of BlackboxExporter.*Fix: use module: 'http_2xx'/],
    ['interval over the staleness window', { interval: Duration.minutes(10) }, /longer than Prometheus' 5m staleness window/],
    ['timeout over the interval', { interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(20) }, /'scrapeTimeout' \(20s\) must not be greater than 'interval' \(15s\)/],
    ['timeout leaves the module no time', { scrapeTimeout: Duration.seconds(5) }, /leaves the http module 'http_2xx' less than its own timeout \(5s\).*Duration\.millis\(5500\)/],
    ['short interval caps the default timeout', { interval: Duration.seconds(5) }, /Prometheus' default capped at the interval/],
    ['zero interval', { interval: Duration.seconds(0) }, /interval/],
    ['bad label key', { labels: { 'bad key': 'x' } }, /'labels' has an invalid label key/],
    ['a target label name with a dash', { targetLabels: { 'team-name': 'web' } }, /'targetLabels' has a key that is not a Prometheus label name.*Fix: rename it, e.g. "team_name"/],
    ['a number as a target label value (JavaScript)', { targetLabels: { team: 7 as any } }, /'targetLabels' value of "team" is not a string/],
    ['a string for a Duration (JavaScript)', { interval: '30s' as any }, /interval/],
    ['not an exporter', { exporter: {} as any }, /'exporter' is not a BlackboxExporter/],
    ['a string for the target list (JavaScript)', { targets: 'https://example.com/' as any }, /'targets' must be a list.*Fix: pass targets: \["https:\/\/example.com\/"\]/],
    ['a number as a target', { targets: [443 as any] }, /targets\[0\] is not a string/],
    ['a target label Prometheus sets', { targetLabels: { instance: 'x' } }, /'targetLabels' sets "instance", which Prometheus sets on every probe series itself/],
    ['an internal target label', { targetLabels: { __param_module: 'x' } }, /'targetLabels' sets "__param_module"/],
  ])('%s', (_what, props, message) => {
    let err: Error | undefined;
    try {
      probe(props);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(message);
    expect(err?.message).toMatch(FIVE);
  });

  test("a module timeout longer than Prometheus' default scrape timeout fails when neither is set", () => {
    expect(() => probe({ module: 'slow' }, [{ name: 'slow', prober: BlackboxProber.HTTP, timeout: Duration.seconds(15) }]))
      .toThrow(/the scrape timeout \(10s, Prometheus' default\) leaves the http module 'slow' less than its own timeout \(15s\).*Fix: set scrapeTimeout: Duration\.millis\(15500\)/s);
    expect(() => probe({ module: 'slow', interval: Duration.seconds(30), scrapeTimeout: Duration.seconds(16) }, [{ name: 'slow', prober: BlackboxProber.HTTP, timeout: Duration.seconds(15) }])).not.toThrow();
  });

  test('good edges pass: timeout at module timeout + 0.5s, interval 5m, IPv6 literals', () => {
    expect(() => probe({ interval: Duration.minutes(5), scrapeTimeout: Duration.millis(5500) })).not.toThrow();
    expect(() => probe({ targets: ['https://[2001:db8::1]:8443/health', 'http://10.0.0.1'] })).not.toThrow();
  });

  test('an in-cluster target must name a Service of the app and one of its ports (at synth)', () => {
    const s = stack();
    new Probe(s.chart, 'Missing', { exporter: s.exporter, targets: ['http://grafana.monitoring.svc:3000/api/health'] });
    expect(() => s.app.synth()).toThrow(/targets\[0\] names Service monitoring\/grafana, which the app does not emit/);
    const t = stack();
    const grafana = new Grafana(t.chart, 'Grafana', { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } });
    new Probe(t.chart, 'WrongPort', { exporter: t.exporter, targets: [`http://${grafana.service.host}:8080/api/health`] });
    expect(() => t.app.synth()).toThrow(/targets\[0\] uses port 8080, which Service monitoring\/grafana does not have.*expected: one of its ports: 3000/s);
  });

  test('a Probe no Prometheus selects fails, like a monitor', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: NS });
    new Prometheus(chart, 'Prometheus', { watchNamespaces: [NS] });
    const exporter = new BlackboxExporter(chart, 'Blackbox');
    new Probe(chart, 'Elsewhere', { exporter, namespace: 'apps', targets: ['https://example.com/'] });
    expect(() => app.synth()).toThrow(/no Prometheus in the app selects Probe apps\/elsewhere: its targets would never be probed.*Fix: put the Probe in a namespace a Prometheus watches/s);
    const app2 = new App();
    const c2 = new Chart(app2, 'c', { namespace: NS });
    new Prometheus(c2, 'Prometheus', { monitorSelector: { team: 'sre' } });
    new Probe(c2, 'Unlabelled', { exporter: new BlackboxExporter(c2, 'Blackbox', { serviceMonitorLabels: { team: 'sre' } }), targets: ['https://example.com/'] });
    expect(() => app2.synth()).toThrow(/no Prometheus in the app selects Probe monitoring\/unlabelled/);
  });

  test('an exporter of another app fails at synth', () => {
    const s = stack();
    const other = new Chart(Testing.app(), 'o', { namespace: NS });
    new Probe(other, 'P', { exporter: s.exporter, targets: ['https://example.com/'] });
    expect(() => Testing.synth(other)).toThrow(/'exporter' is a construct of another app/);
  });
});

describe('ProbeRules', () => {
  test('a probe pack without a Probe fails and names the construct to add', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: NS });
    new Prometheus(chart, 'Prometheus');
    new ProbeRules(chart, 'ProbeRules');
    expect(() => app.synth()).toThrow(/probe_success[\s\S]*Probe \(pointing at a BlackboxExporter\)/);
  });

  test('overrides: threshold range, unknown alert with the nearest name, severity, disable', () => {
    const { chart } = stack();
    const rules = new ProbeRules(chart, 'R', { alertOverrides: { ProbeSlow: { threshold: 2.5 }, ProbeSslCertificateExpiringSoon: { threshold: 30 } } });
    const text = JSON.stringify(rules.toRuleFile());
    expect(text).toContain('> 2.5');
    expect(text).toContain('< 2592000');
    expect(() => rules.overrideAlert('ProbeSlow', { threshold: 0 })).toThrow(/ProbeSlow: threshold 'seconds' is outside its valid range/);
    expect(() => rules.overrideAlert('ProbeFaild', {})).toThrow(/did you mean 'ProbeFailed'\?/);
    rules.disableAlert('ProbeSlow');
    expect(rules.describeAlerts().find((a) => a.alert === 'ProbeSlow')?.enabled).toBe(false);
    expect(() => new ProbeRules(chart, 'Bad', { probeSelector: 'job=' })).toThrow(/'probeSelector' is not a list of PromQL label matchers/);
  });
});
