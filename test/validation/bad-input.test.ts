/**
 * Bad input, one case (at least) per rule: each asserts the five-part message (problem, received,
 * expected, fix, construct path). The rules live in src/core/validation, src/core/app-checks.ts,
 * src/core/promql-types.ts, src/core/gotemplate.ts, src/core/re2.ts, src/core/logql-rules.ts and
 * src/core/config-keys; these cases reach them through the public constructs where one takes the prop.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { renderAll } from '../../examples/render';
import {
  AlertMatcher, Alertmanager, AlertReceiver, Grafana, KubeletMonitor, Loki, NodeExporter, OtelCollector, Prometheus,
  PrometheusOperator, PrometheusRule, ResourcePreset, ServiceMonitor,
} from '../../src';
import { fail } from '../../src/core/errors';
import { requireRe2 } from '../../src/core/re2';
import * as v from '../../src/core/validation';

const FIVE_PARTS = /^\[[^\]]*\] .+\. Received:[\s\S]+; expected: [\s\S]+\. Fix: [\s\S]+/m;
const ADMIN = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };

/** Runs `f`, expects a five-part error whose text matches `re`. */
function expectFail(f: () => unknown, re: RegExp): void {
  let msg: string | undefined;
  try {
    f();
  } catch (e) {
    msg = (e as Error).message;
  }
  if (msg === undefined) throw new Error(`expected a failure matching ${re}, but nothing failed`);
  // app.synth() wraps validation errors: check the five parts on the first line that matches
  const lines = msg.split('\n').map((l) => l.trim().replace(/^\[\] /, ''));
  const at = lines.findIndex((l) => re.test(l));
  const text = at >= 0 ? lines.slice(at).join('\n') : msg;
  expect(text).toMatch(re);
  expect(text).toMatch(FIVE_PARTS);
}

function chart(): { app: App; chart: Chart } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-')) });
  return { app, chart: new Chart(app, 'c') };
}
function scope(): Construct {
  return new Construct(chart().chart, 'Thing');
}
const synth = (app: App) => () => app.synth();

describe('1. shared validators where props enter', () => {
  // Kubernetes names (component props: name, namespace), including derived names
  test('name: uppercase', () => expectFail(() => new NodeExporter(chart().chart, 'n', { name: 'Node_Exporter' }), /'name' is not a valid Kubernetes name/));
  test('name: the derived <name>-headless is too long', () => {
    expectFail(() => v.requireDnsLabel(scope(), 'name', 'a'.repeat(60), [`${'a'.repeat(60)}-headless`]), /derived name .*-headless/);
  });
  test('namespace: dots', () => expectFail(() => new NodeExporter(chart().chart, 'n', { namespace: 'my.ns' }), /'namespace' is not a valid Kubernetes name/));
  test('namespace of a non-component construct (Prometheus)', () => expectFail(() => new Prometheus(chart().chart, 'p', { namespace: 'Monitoring' }), /'namespace' is not a valid/));
  // labels and annotations
  test('label key with two slashes', () => expectFail(() => v.requireLabels(scope(), 'labels', { 'a/b/c': 'x' }), /invalid label key \(more than one '\/'\)/));
  test('label value too long', () => expectFail(() => v.requireLabels(scope(), 'labels', { team: 'x'.repeat(64) }), /invalid label value/));
  test('nodeSelector key of a component', () => expectFail(() => new NodeExporter(chart().chart, 'n', { nodeSelector: { 'bad key': 'x' } }), /nodeSelector/));
  test('annotation key with a space', () => expectFail(() => v.requireAnnotations(scope(), 'annotations', { 'my key': 'x' }), /invalid annotation key/));
  // Secret names and keys
  test('Secret key with a slash (Grafana secretKey)', () => {
    expectFail(() => new Grafana(chart().chart, 'g', { namespace: 'monitoring', adminSecret: ADMIN, secretKey: { secretName: 'grafana-keys', key: 'a/b' } }), /not a valid Secret key/);
  });
  test('Secret name with uppercase (Grafana secretKey)', () => {
    expectFail(() => new Grafana(chart().chart, 'g', { namespace: 'monitoring', adminSecret: ADMIN, secretKey: { secretName: 'Grafana_Keys', key: 'k' } }), /not a valid Secret name/);
  });
  // storage class names
  test('storageClassName with an underscore (Prometheus)', () => expectFail(() => new Prometheus(chart().chart, 'p', { storage: { storageClassName: 'fast_ssd' } }), /not a valid StorageClass name/));
  test('storage.storageClassName uppercase (validator)', () => expectFail(() => v.requireStorageClassName(scope(), 'storage.storageClassName', 'FastSSD'), /StorageClass name/));
  // quantities, requests <= limits
  test('memory request above the limit', () => {
    expectFail(() => new NodeExporter(chart().chart, 'n', { resources: ResourcePreset.custom({ cpuMillis: 100, memory: Size.gibibytes(2), memoryLimit: Size.gibibytes(1) }) }), /memory request is above its limit/);
  });
  test('cpu request above the limit', () => {
    expectFail(() => new NodeExporter(chart().chart, 'n', { resources: ResourcePreset.custom({ cpuMillis: 500, memory: Size.mebibytes(64), cpuLimitMillis: 100 }) }), /cpu request is above its limit/);
  });
  test('a quantity that does not parse', () => expectFail(() => v.requireQuantity(scope(), 'limits.memory', '10 GB'), /not a valid Kubernetes quantity/));
  test('memory below 1 MiB', () => expectFail(() => new NodeExporter(chart().chart, 'n', { resources: ResourcePreset.custom({ cpuMillis: 10, memory: Size.kibibytes(100) }) }), /at least 1 MiB/));
  // ports
  test('port out of range', () => expectFail(() => v.requirePort(scope(), 'port', 70000), /not a valid port/));
  test('port as a string', () => expectFail(() => v.requirePort(scope(), 'port', '8080' as any), /not a valid port.*Fix: pass a number such as 8080/));
  test('port name too long', () => expectFail(() => v.requirePortName(scope(), 'ports[0].name', 'http-metrics-extra'), /not a valid port name/));
  // durations and sizes passed from JavaScript (runtime type check)
  test("a string '5m' for a Duration (Prometheus scrapeInterval)", () => {
    expectFail(() => new Prometheus(chart().chart, 'p', { scrapeInterval: '5m' as any }), /'scrapeInterval' must be a Duration.*Fix: pass Duration\.minutes\(5\)/);
  });
  test('a number for a Duration (Alertmanager groupWait)', () => {
    expectFail(() => new Alertmanager(chart().chart, 'am', { defaultReceiver: AlertReceiver.webhook('x', { url: { secretName: 's', key: 'url' } }), groupWait: 30 as any }), /'groupWait' must be a Duration/);
  });
  test("a string '10GB' for a Size (Prometheus storageSize)", () => {
    expectFail(() => new Prometheus(chart().chart, 'p', { storage: { size: '10GB' as any } }), /'storage.size' must be a Size.*Fix: pass Size\.gibibytes\(10\)/);
  });
  test('a string for a number (replicas)', () => expectFail(() => new Prometheus(chart().chart, 'p', { replicas: '2' as any }), /'replicas' must be an integer.*\(2, not the string "2"\)/));
  test('a string for a Duration inside a nested struct (ServiceMonitor endpoint interval)', () => {
    expectFail(() => v.checkPropTypes(scope(), { endpoints: [{ port: 'http', scrapeTimeout: '30s' }] }), /'endpoints\[0\]\.scrapeTimeout' must be a Duration.*Duration\.seconds\(30\)/);
  });
  // URLs and hostnames
  test('URL without a scheme', () => expectFail(() => v.requireUrl(scope(), 'rootUrl', 'grafana.example.com'), /not a valid http\/https URL.*add the scheme/));
  test('URL with an invalid host', () => expectFail(() => v.requireUrl(scope(), 'url', 'http://exa_mple..com/'), /not a valid hostname/));
  test('hostname with a port', () => expectFail(() => v.requireHostname(scope(), 'smtp.host', 'smtp.example.com:587'), /not a valid hostname/));
  test('a component name starting with a digit (its Service name is a DNS-1035 label)', () => expectFail(() => new NodeExporter(chart().chart, 'n', { name: '9exporter' }), /'name' starts with a digit/));
  test('a required prop left out by a JavaScript caller (ServiceMonitor selector)', () => {
    expectFail(() => new ServiceMonitor(chart().chart, 'sm', { endpoints: [{ port: 'http' }] } as any), /'selector' is required/);
  });
  test('an empty namespace list (a monitor that would select every namespace, or none)', () => {
    expectFail(() => new ServiceMonitor(chart().chart, 'sm', { selector: { app: 'x' }, endpoints: [{ port: 'http' }], targetNamespaces: [] }), /'targetNamespaces' is empty/);
  });
  test('a label value on a non-component construct (PrometheusRule metadataLabels)', () => {
    expectFail(() => new PrometheusRule(chart().chart, 'r', { metadataLabels: { team: 'a b' } }), /'metadataLabels\.team' has an invalid label value/);
  });
  test('a plain object where a ResourcePreset is expected (PrometheusOperator configReloaderResources)', () => {
    expectFail(() => new PrometheusOperator(chart().chart, 'op', { configReloaderResources: { cpu: '100m' } as any }), /'configReloaderResources' must be a ResourcePreset/);
  });
  test('requests above limits on a second resources prop (configReloaderResources)', () => {
    const r = ResourcePreset.custom({ cpuMillis: 10, memory: Size.gibibytes(2), memoryLimit: Size.gibibytes(1) });
    expectFail(() => new PrometheusOperator(chart().chart, 'op', { configReloaderResources: r }), /requests\.memory/);
  });
  test('a string for a boolean on a non-component construct (KubeletMonitor cadvisor)', () => {
    expectFail(() => new KubeletMonitor(chart().chart, 'k', { cadvisor: 'true' as any }), /'cadvisor' must be a boolean.*pass true without quotes/);
  });
  test("a string Duration on a non-component construct ('5m' for KubeletMonitor interval)", () => {
    expectFail(() => new KubeletMonitor(chart().chart, 'k', { interval: '5m' as any }), /'interval' must be a Duration.*Duration\.minutes\(5\)/);
  });
  test('a storage prop on a component that renders no volume: it would do nothing', () => {
    const { app, chart: c } = chart();
    new OtelCollector(c, 'otel', { storage: { size: Size.gibibytes(5) } });
    expectFail(synth(app), /'storage' is set, but OtelCollector renders no persistent volume claim/);
  });
  test('image reference with uppercase', () => expectFail(() => new NodeExporter(chart().chart, 'n', { image: 'Quay.io/Prom/node:1' }), /'image' is not a valid image reference/));
});

describe('1b. the output backstop: every object the app emits, however the value got there', () => {
  const appWith = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-'));
    const app = new App({ outdir });
    const c = new Chart(app, 'c');
    return { app, c, outdir };
  };
  test('a label value set through an escape hatch (JSON patch): fails, nothing written', () => {
    const { app, c, outdir } = appWith();
    const ne = new NodeExporter(c, 'ne');
    ne.workload.addJsonPatch(JsonPatch.add('/metadata/labels/team', 'platform team'));
    expectFail(synth(app), /DaemonSet "node-exporter": 'metadata\.labels\.team' has an invalid label value/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
  test('a memory limit below the request in an object of another library: fails', () => {
    const { app, c } = appWith();
    new NodeExporter(c, 'ne');
    new ApiObject(c, 'd', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'monitoring' },
      spec: { template: { spec: { containers: [{ name: 'x', image: 'x:1', resources: { requests: { memory: '64Mi' }, limits: { memory: '32Mi' } } }] } } },
    });
    expectFail(synth(app), /'spec\.template\.spec\.containers\[0\]\.resources': the memory request is above its limit/);
  });
  test('a Service of another library named with a leading digit: fails', () => {
    const { app, c } = appWith();
    new NodeExporter(c, 'ne');
    new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: '9svc', namespace: 'monitoring' }, spec: { ports: [{ port: 80 }] } });
    expectFail(synth(app), /'metadata\.name' of a Service starts with a digit/);
  });
  test('a Secret key with a slash in a plain object: fails', () => {
    const { app, c } = appWith();
    new NodeExporter(c, 'ne');
    new ApiObject(c, 'd', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'monitoring' },
      spec: { template: { spec: { containers: [{ name: 'x', image: 'x:1', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'a/b' } } }] }] } } },
    });
    expectFail(synth(app), /secretKeyRef\.key' is not a valid Secret key/);
  });
  test('a StorageClass name with an underscore in a claim: fails', () => {
    const { app, c } = appWith();
    new NodeExporter(c, 'ne');
    new ApiObject(c, 'pvc', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'monitoring' }, spec: { storageClassName: 'fast_ssd' } });
    expectFail(synth(app), /'spec\.storageClassName' is not a valid StorageClass name/);
  });
});

describe('2. app-wide checks', () => {
  test('two default-named Prometheus in one namespace: the message names both construct paths', () => {
    const { app, chart: c } = chart();
    new Prometheus(c, 'first');
    new Prometheus(c, 'second');
    expectFail(synth(app), /Prometheus monitoring\/prometheus is emitted twice, by c\/first\/.* and by c\/second\//);
  });
  test('two default-named Alertmanagers in one namespace', () => {
    const { app, chart: c } = chart();
    new Alertmanager(c, 'a', { defaultReceiver: AlertReceiver.webhook('x', { url: { secretName: 's', key: 'url' } }) });
    new Alertmanager(c, 'b', { defaultReceiver: AlertReceiver.webhook('x', { url: { secretName: 's', key: 'url' } }) });
    expectFail(synth(app), /Alertmanager monitoring\/alertmanager is emitted twice/);
  });
  test('a PrometheusRule no Prometheus selects', () => {
    const { app, chart: c } = chart();
    new Prometheus(c, 'p', { watchNamespaces: ['monitoring'] });
    new PrometheusRule(c, 'rules', { namespace: 'apps', groups: [{ name: 'g', alerts: [{ alert: 'Up', expr: 'up == 0' }] }] });
    expectFail(synth(app), /no Prometheus in the app selects PrometheusRule apps\/rules/);
  });
  test('a Secret read by name only, with no key: cannot be listed as a prerequisite', () => {
    const { app, chart: c } = chart();
    new ApiObject(c, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'a:1', envFrom: [{ secretRef: { name: 'creds' } }] }] } });
    new PrometheusRule(c, 'rules', { namespace: 'x' }); // any library construct registers the app checks
    expectFail(synth(app), /Secret x\/creds is read by .* but no key of it is named/);
  });
});

describe('3. engine-level semantics at synth', () => {
  const rule = (expr: string, extra: Record<string, any> = {}) => () => new PrometheusRule(chart().chart, 'r', { namespace: 'monitoring', groups: [{ name: 'g', alerts: [{ alert: 'A', expr, ...extra }] }] });
  test('PromQL: rate() of an instant vector', () => expectFail(rule('rate(http_requests_total) > 0'), /expected type range vector in call to function "rate", got instant vector/));
  test('PromQL: wrong arity', () => expectFail(rule('abs(up, up) > 0'), /expected 1 argument\(s\) in call to "abs", got 2/));
  test('PromQL: a range vector in a binary expression', () => expectFail(rule('up[5m] > 0'), /binary expression must contain only scalar and instant vector types/));
  test('PromQL: scalar comparison without bool', () => expectFail(rule('1 > 0'), /comparisons between scalars must use BOOL modifier/));
  test('PromQL: aggregation parameter of the wrong type', () => expectFail(rule('topk(up, 3)'), /expected type scalar in aggregation parameter/));
  test('PromQL: a matcher regex that is not RE2', () => expectFail(rule('up{job=~"(?!api).*"} == 0'), /invalid regular expression in matcher/));
  test('Go template: unclosed action in an annotation', () => expectFail(rule('up == 0', { summary: '{{ $labels.pod is down' }), /annotation 'summary': the Go template does not parse .*unclosed action/));
  test('Go template: unknown function', () => expectFail(rule('up == 0', { description: '{{ $value | humanise }}' }), /function "humanise" not defined/));
  test('Go template: unbalanced if/end in a label', () => expectFail(rule('up == 0', { labels: { team: '{{ if $labels.team }}x' } }), /label 'team'.*unexpected EOF/));
  test('RE2: a backreference', () => expectFail(() => requireRe2(scope(), 'regex', '(a)\\1'), /not a valid RE2 regular expression \(invalid escape sequence/));
  const loki = (lokiRule: Record<string, any>) => () => {
    const { chart: c } = chart();
    new Loki(c, 'l', { namespace: 'logs' }).addAlertingRule({ alert: 'A', expr: 'sum(rate({app="x"}[5m])) > 1', ...lokiRule } as any);
  };
  test('LogQL: a log query as an alerting rule', () => expectFail(loki({ expr: '{app="web"} |= "error"' }), /is a log query, but rules need a metric query/));
  test('LogQL: a line-filter regex that is not RE2', () => expectFail(loki({ expr: 'sum(rate({app="web"} |~ "err(?=or)" [5m])) > 1' }), /does not compile as RE2/));
  test('LogQL: an invalid rule name', () => expectFail(loki({ alert: ' padded ' }), /alert name must be a non-empty single line|'alert' must be a non-empty name without whitespace/));
  test('LogQL: an empty group name', () => expectFail(loki({ group: '' }), /group name must not be empty/));
  const HOOK = AlertReceiver.webhook('hook', { url: { secretName: 's', key: 'url' } });
  const am = (props: Record<string, any>) => () => {
    const { app, chart: c } = chart();
    new Alertmanager(c, 'am', { defaultReceiver: HOOK, ...props });
    app.synth();
  };
  test('Alertmanager: email without a smarthost', () => {
    expectFail(am({
      defaultReceiver: AlertReceiver.email('mail', { to: 'a@example.com', sender: 'am@example.com', smarthost: '', authUsername: 'u', authPassword: { secretName: 's', key: 'p' } }),
    }), /no global SMTP smarthost set|smarthost/);
  });
  test('Alertmanager: a dash in a groupBy label name', () => expectFail(am({ groupBy: ['alert-name'] }), /invalid label name "alert-name" in group_by list|groupBy has an invalid label name/));
  test('Alertmanager: repeat interval shorter than group interval', () => expectFail(am({ groupInterval: Duration.hours(6) }), /repeat_interval is shorter than group_interval/));
  test('Alertmanager: a matcher regex that does not compile', () => {
    expectFail(am({ routes: [{ receiver: HOOK, matchers: [AlertMatcher.regex('team', '(?<!x)y')] }] }), /does not compile as RE2/);
  });
  test('Alertmanager: a route to a receiver that does not exist', () => expectFail(am({ routes: [{ receiver: AlertReceiver.webhook('nobody', { url: { secretName: 's', key: 'url' } }) }] }), /nobody/));
  test('scrape interval longer than the staleness window', () => {
    const { app, chart: c } = chart();
    new Prometheus(c, 'p');
    new ServiceMonitor(c, 'sm', { name: 'slow', namespace: 'monitoring', selector: { app: 'x' }, endpoints: [{ port: 'http', interval: Duration.minutes(10) }] });
    expectFail(synth(app), /scrape interval 10m is longer than Prometheus' 5m staleness window/);
  });
  test('scrape timeout longer than the interval', () => {
    expectFail(() => {
      const { app, chart: c } = chart();
      new Prometheus(c, 'p');
      new ServiceMonitor(c, 'sm', { name: 'x', namespace: 'monitoring', selector: { app: 'x' }, endpoints: [{ port: 'http', interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(30) }] });
      app.synth();
    }, /'scrapeTimeout' \(30s\) must not be greater than 'interval' \(15s\)/);
  });
  test('Prometheus global scrape interval longer than the staleness window', () => {
    const { app, chart: c } = chart();
    new Prometheus(c, 'p', { scrapeInterval: Duration.minutes(6) });
    expectFail(synth(app), /the global scrape interval 6m is longer than Prometheus' 5m staleness window/);
  });
});

describe('4. escape hatches against the pinned reference', () => {
  const lokiWith = (configOverride: any) => () => new Loki(chart().chart, 'l', { namespace: 'logs', configOverride });
  test('Loki configOverride with a typo: the nearest valid key is the fix', () => {
    expectFail(lokiWith({ limits_config: { max_query_seriess: 1000 } }), /not a Loki 3\.7\.6 configuration key.*Fix: did you mean "limits_config\.max_query_series"\?/);
  });
  test('Loki configOverride with an unknown top-level block', () => expectFail(lokiWith({ limit_config: {} }), /did you mean "limits_config"\?/));
  test('Loki configOverride with a credential', () => {
    expectFail(lokiWith({ storage_config: { aws: { secret_access_key: 'AKIA...' } } }), /sets the credential "storage_config\.aws\.secret_access_key"/);
  });
  test('grafana.ini admin_password is refused', () => {
    expectFail(() => new Grafana(chart().chart, 'g', { namespace: 'monitoring', adminSecret: ADMIN, ini: { security: { admin_password: 'hunter2' } } }).config.files(), /security\.admin_password' would put a credential/);
  });
  test('grafana.ini secret_key is refused', () => {
    expectFail(() => new Grafana(chart().chart, 'g', { namespace: 'monitoring', adminSecret: ADMIN, ini: { security: { secret_key: 'x' } } }).config.files(), /secret_key' would put a credential.*secretKey/);
  });
  const grafanaWith = (ini: any) => () => new Grafana(chart().chart, 'g', { namespace: 'monitoring', adminSecret: ADMIN, ini }).config.files();
  test('grafana.ini key with a typo: the nearest key of the section is the fix (Grafana would ignore it silently)', () => {
    expectFail(grafanaWith({ users: { default_them: 'light' } }), /'ini\.users' sets "default_them", which is not a key of \[users\] in Grafana 13.*Fix: did you mean "users\.default_theme"\?/);
    expectFail(grafanaWith({ 'auth.generic_oauth': { role_attribute_pth: 'x' } }), /did you mean "auth\.generic_oauth\.role_attribute_path"\?/);
  });
  test('grafana.ini unknown section: the nearest section is the fix', () => {
    expectFail(grafanaWith({ 'auth.generic_oath': { enabled: 'true' } }), /sets section \[auth\.generic_oath\], which Grafana 13.* does not have.*Fix: did you mean \[auth\.generic_oauth\]\?/);
    expectFail(grafanaWith({ securty: { cookie_secure: 'true' } }), /did you mean \[security\]\?/);
  });
  test('grafana.ini free-form sections accept any key (feature toggles, plugin settings, header names)', () => {
    expect(grafanaWith({ 'feature_toggles': { someNewToggle: 'true' }, 'plugin.my-panel': { anything: 'x' }, 'server.custom_response_headers': { 'X-Frame': 'y' } })).not.toThrow();
  });
  test('grafana.ini OAuth client secret is refused', () => {
    expectFail(() => new Grafana(chart().chart, 'g', { namespace: 'monitoring', adminSecret: ADMIN, ini: { 'auth.generic_oauth': { client_secret: 'x' } } }).config.files(), /sets the credential "auth\.generic_oauth\.client_secret"/);
  });
});

describe('5. nothing half-written', () => {
  test('a check that fails only at serialization time: app.synth() writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'half-'));
    const app = new App({ outdir });
    const first = new Chart(app, 'a-first');
    new Prometheus(first, 'p');
    const second = new Chart(app, 'z-second');
    const holder = new Construct(second, 'Late');
    new ApiObject(second, 'late', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'late', namespace: 'monitoring' },
      data: Lazy.any({ produce: () => fail(holder, { problem: 'a lazy value fails at serialization', received: 'x', expected: 'y', fix: 'z' }) }),
    });
    expectFail(synth(app), /a lazy value fails at serialization/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
  test('an invalid Size that only fails when rendered: nothing written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'half-'));
    const app = new App({ outdir });
    new Prometheus(new Chart(app, 'a'), 'p');
    const c = new Chart(app, 'b');
    new ApiObject(c, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' }, data: Lazy.any({ produce: () => ({ size: `${Size.kibibytes(1.5).toMebibytes()}` }) }) });
    expect(() => app.synth()).toThrow(/cannot be rendered|Fix:/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('5. the render script swaps whole folders', () => {
  const good = (ns: string) => (app: App) => {
    new Prometheus(new Chart(app, 'c', { namespace: ns }), 'p');
  };
  test('a failing app leaves every dist/<name> as it was, and no temporary folder behind', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
    renderAll(dist, [{ name: 'one', build: good('one') }], () => undefined);
    const before = fs.readdirSync(path.join(dist, 'one')).sort();
    const bad = (app: App) => {
      new Prometheus(new Chart(app, 'c', { namespace: 'two' }), 'p', { name: 'Bad_Name' });
    };
    expect(() => renderAll(dist, [{ name: 'one', build: good('one') }, { name: 'two', build: bad }], () => undefined)).toThrow(/'name' is not a valid Kubernetes name/);
    expect(fs.readdirSync(dist).sort()).toEqual(['one']);
    expect(fs.readdirSync(path.join(dist, 'one')).sort()).toEqual(before);
  });
  test('on success each folder is replaced by a rename: stale files go, no temporary folder is left', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
    renderAll(dist, [{ name: 'one', build: good('one') }], () => undefined);
    fs.writeFileSync(path.join(dist, 'one', 'stale.yaml'), 'x');
    renderAll(dist, [{ name: 'one', build: good('one') }], () => undefined);
    expect(fs.readdirSync(dist)).toEqual(['one']);
    expect(fs.existsSync(path.join(dist, 'one', 'stale.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(dist, 'one', 'PREREQUISITES.md'))).toBe(true);
  });
});
