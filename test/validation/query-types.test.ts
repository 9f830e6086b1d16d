/**
 * Engine semantics wherever a query reaches the output: PromQL type checking (against the function
 * table of the pinned Prometheus) for recording rules, dashboard queries and Grafana alert rules on an
 * external datasource, as alert rules get it; TraceQL parsed at synth in Tempo targets of dashboards.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { DatasourceKind, Grafana, GrafanaDashboard, Prometheus, PrometheusRule } from '../../src';
import { DatasourceInfo } from '../../src/core/interfaces';
import { DATASOURCES } from '../dashboards/fixtures';

const FIVE_PARTS = /^\[[^\]]*\] .+\. Received:[\s\S]+; expected: [\s\S]+\. Fix: [\s\S]+/m;
/** An app that writes into a temporary folder (never into the repository's dist/). */
const tmpApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-query-types-')) });
const ADMIN = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };

function expectFail(f: () => unknown, re: RegExp): void {
  let msg: string | undefined;
  try {
    f();
  } catch (e) {
    msg = (e as Error).message;
  }
  if (msg === undefined) throw new Error(`expected a failure matching ${re}, but nothing failed`);
  const lines = msg.split('\n').map((l) => l.trim().replace(/^\[\] /, ''));
  const at = lines.findIndex((l) => re.test(l));
  const text = at >= 0 ? lines.slice(at).join('\n') : msg;
  expect(text).toMatch(re);
  expect(text).toMatch(FIVE_PARTS);
}

const TEMPO: DatasourceInfo = {
  kind: DatasourceKind.TEMPO,
  name: 'Tempo',
  uid: 'tempo',
  url: 'http://tempo.monitoring.svc:3200',
  serviceName: 'tempo',
  serviceNamespace: 'monitoring',
  servicePort: 3200,
};
const ALL = [...DATASOURCES, TEMPO];

function dashboard(datasource: any, target: Record<string, unknown>, variables: string[] = []): any {
  return {
    uid: 'q',
    title: 'Q',
    schemaVersion: 39,
    templating: { list: variables.map((name) => ({ name, type: 'custom', query: '1,2' })) },
    panels: [{ id: 1, type: 'timeseries', title: 'P', gridPos: { x: 0, y: 0, w: 12, h: 8 }, datasource, targets: [{ refId: 'A', ...target }] }],
  };
}
const render = (json: any) => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json }).renderModel(ALL);

describe('PromQL type checking beyond alert rules', () => {
  test('a recording rule whose PromQL parses but does not type-check', () => {
    const c = new Chart(new App(), 'c', { namespace: 'monitoring' });
    const rule = new PrometheusRule(c, 'Rules');
    expectFail(() => rule.addGroup({ name: 'g' }).addRecord({ record: 'job:x:rate5m', expr: 'sum by (job) (rate(x_total))' }),
      /g\/job:x:rate5m: PromQL does not type-check.*expected type range vector in call to function "rate".*Fix: give the function a range vector/s);
  });
  test('a dashboard query that does not type-check (range vector where an instant vector is expected)', () => {
    expectFail(() => render(dashboard({ type: 'prometheus', uid: 'prometheus' }, { expr: 'sum(http_requests_total[5m])' })),
      /dashboard "q" panel .*target A: PromQL does not type-check at position \d+: expected type instant vector/);
  });
  test('a dashboard query with the wrong arity', () => {
    expectFail(() => render(dashboard({ type: 'prometheus', uid: 'prometheus' }, { expr: 'histogram_quantile(sum by (le) (rate(x_bucket[$__rate_interval])))' })),
      /PromQL does not type-check.*argument/);
  });
  test('dashboard variables in value positions are not type errors (their type is unknown)', () => {
    expect(() => render(dashboard({ type: 'prometheus', uid: 'prometheus' }, { expr: 'topk($k, sum by (job) (rate(x_total{namespace="$namespace"}[$__rate_interval])))' }, ['k', 'namespace']))).not.toThrow();
    expect(() => render(dashboard({ type: 'prometheus', uid: 'prometheus' }, { expr: 'histogram_quantile($quantile, sum by (le) (rate(x_bucket[$__rate_interval])))' }, ['quantile']))).not.toThrow();
  });
  test('a Grafana alert rule on an external Prometheus (datasourceUid) is type-checked too', () => {
    const app = tmpApp();
    const c = new Chart(app, 'c', { namespace: 'monitoring' });
    const g = new Grafana(c, 'Grafana', { adminSecret: ADMIN });
    g.datasources.addExternal({ kind: DatasourceKind.PROMETHEUS, name: 'Ext', uid: 'ext', url: 'http://prometheus.example.com:9090' });
    g.alerting.addAlertRule({ alert: 'HighRate', datasourceUid: 'ext', expr: 'rate(x_total)', threshold: 1 });
    expectFail(() => app.synth(), /alert rule 'HighRate': PromQL does not type-check at position 5: expected type range vector/);
  });
});

describe('TraceQL at synth', () => {
  test('an invalid TraceQL target of a Tempo panel', () => {
    expectFail(() => render(dashboard({ type: 'tempo', uid: 'tempo' }, { queryType: 'traceql', query: '{ span.http.status_code >= 500 ' })),
      /dashboard "q" panel .*target A: invalid TraceQL at position \d+.*expected: a TraceQL query that Tempo can parse/s);
  });
  test('an unknown intrinsic operator in TraceQL', () => {
    expectFail(() => render(dashboard({ type: 'tempo', uid: 'tempo' }, { query: '{ resource.service.name === "web" }' })), /invalid TraceQL/);
  });
  test('valid TraceQL, with dashboard variables, passes; non-TraceQL Tempo queries are left alone', () => {
    expect(() => render(dashboard({ type: 'tempo', uid: 'tempo' }, { queryType: 'traceql', query: '{ resource.service.name = "$service" && span.http.status_code >= 500 } | rate()' }))).not.toThrow();
    expect(() => render(dashboard({ type: 'tempo', uid: 'tempo' }, { queryType: 'serviceMap', query: '' }))).not.toThrow();
    expect(() => render(dashboard({ type: 'tempo', uid: 'tempo' }, { queryType: 'traceqlSearch', query: 'not traceql' }))).not.toThrow();
  });
});

describe("a Grafana alert's recorded metrics have a source", () => {
  function stack(record?: string) {
    const app = tmpApp();
    const c = new Chart(app, 'c', { namespace: 'monitoring' });
    const prometheus = new Prometheus(c, 'Prometheus');
    if (record) new PrometheusRule(c, 'Rules').addGroup({ name: 'rec' }).addRecord({ record, expr: 'sum by (job) (rate(http_requests_total[5m]))' });
    const g = new Grafana(c, 'Grafana', { adminSecret: ADMIN });
    g.datasources.add(prometheus);
    g.alerting.addAlertRule({ alert: 'HighRate', datasource: prometheus, expr: 'sum(job:http_requests:rate5m) > 0', threshold: 100 });
    return app;
  }
  test('an alert on a recorded metric no PrometheusRule of the app records', () => {
    expectFail(() => stack().synth(), /alert rule 'HighRate' queries "job:http_requests:rate5m", which no PrometheusRule of this app records/);
  });
  test('passes when the app records it', () => {
    expect(() => stack('job:http_requests:rate5m').synth()).not.toThrow();
  });
});
