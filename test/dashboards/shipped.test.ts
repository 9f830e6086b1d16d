import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { TARGET_SCHEMA_VERSION, checkDashboard, flatPanels, queries } from './dashboard-checker';
import { DATASOURCES, MIMIR } from './fixtures';
import { AlloyLogs } from '../../src/alloy';
import {
  AlertmanagerDashboard, AlloyDashboard, GoldenSignalsDashboard, GoldenSignalsSource, GrafanaDashboard, LokiDashboard,
  PlatformOverviewDashboard, PrometheusDashboard, StackDashboards,
} from '../../src/dashboards';
import { Loki, LokiMode } from '../../src/loki';
import { GoldenSignalsRules } from '../../src/rules';
import { ObjectStorage, StorageCredentials } from '../../src/storage';
import { synthApp } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SDK_SCHEMA_VERSION = require('@grafana/grafana-foundation-sdk/dashboard').defaultDashboard().schemaVersion;

/** A stand-in for the golden-signals rule pack (src/rules): same public fields. */
const PACK: GoldenSignalsSource = {
  serviceName: 'frontend',
  requestsMetric: 'frontend_requests_total',
  latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
  selector: 'job="frontend", namespace="dev"',
  errorMatcher: 'status=~"5.."',
  recordedSelector: 'service="frontend"',
  recordedRequestRate: 'service:requests:rate5m',
  recordedErrorRatio: 'service:errors:ratio_rate5m',
  recordedLatencyP99: 'service:latency_seconds:p99_5m',
};

function shipped(scope: Construct): GrafanaDashboard[] {
  return [
    new PlatformOverviewDashboard(scope, 'Overview'),
    GoldenSignalsDashboard.forRulePack(scope, 'Frontend', PACK),
    new GoldenSignalsDashboard(scope, 'Orders', { serviceName: 'order-service' }),
    ...new StackDashboards(scope, 'Self').all,
  ];
}

const byTitle = (json: any, title: string) => flatPanels(json.panels).find((p) => p.title === title);

describe('every shipped dashboard', () => {
  const dashboards = shipped(Testing.chart());

  test('the checker targets the SDK schema version', () => {
    expect(SDK_SCHEMA_VERSION).toBe(TARGET_SCHEMA_VERSION);
  });

  test.each(dashboards.map((d) => [d.uid, d] as const))('%s is a valid Grafana 13.1 dashboard, every query parses, every datasource uid exists', (_uid, d) => {
    const json = JSON.parse(d.renderJson(DATASOURCES));
    expect(checkDashboard(json, DATASOURCES)).toEqual([]);
    expect(queries(json).length).toBeGreaterThan(0);
    expect(json.uid).toBe(d.uid);
    expect(json.title).toBe(d.title);
  });

  test('uids are unique and stable', () => {
    expect(dashboards.map((d) => d.uid)).toEqual([
      'platform-overview', 'golden-frontend', 'golden-order-service',
      'lgtm-prometheus', 'lgtm-alertmanager', 'lgtm-loki', 'lgtm-alloy',
    ]);
  });

  test('folders', () => {
    expect(dashboards.map((d) => d.folder)).toEqual(['Platform', 'Services', 'Services', 'LGTM Stack', 'LGTM Stack', 'LGTM Stack', 'LGTM Stack']);
  });

  test('rendering is deterministic', () => {
    const again = shipped(Testing.chart());
    expect(again.map((d) => d.renderJson(DATASOURCES))).toEqual(dashboards.map((d) => d.renderJson(DATASOURCES)));
  });

  test('with two Prometheus-type datasources the metrics datasource must be named', () => {
    expect(() => new PlatformOverviewDashboard(Testing.chart(), 'O').renderJson([...DATASOURCES, MIMIR])).toThrow(/the Grafana has 2 of them/);
    const json = new PlatformOverviewDashboard(Testing.chart(), 'O', { metricsDatasourceUid: 'mimir' }).renderModel([...DATASOURCES, MIMIR]);
    expect(checkDashboard(json, [...DATASOURCES, MIMIR])).toEqual([]);
    expect(byTitle(json, 'p99 latency').datasource).toEqual({ type: 'prometheus', uid: 'mimir' });
    expect(byTitle(json, 'Recent errors').datasource).toEqual({ type: 'loki', uid: 'loki' });
  });
});

describe('PlatformOverviewDashboard', () => {
  const json = new PlatformOverviewDashboard(Testing.chart(), 'Overview').renderModel(DATASOURCES);

  test('snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('has the seed panels', () => {
    expect(flatPanels(json.panels).filter((p) => p.type !== 'row').map((p) => [p.type, p.title])).toEqual([
      ['timeseries', 'Requests per second by path'],
      ['stat', 'Error rate %'],
      ['stat', 'Pods ready'],
      ['timeseries', 'p99 latency'],
      ['timeseries', 'Memory usage by pod'],
      ['logs', 'Recent errors'],
    ]);
  });

  test('error rate is a percentage, green/yellow/red at 1 % and 5 %', () => {
    const p = byTitle(json, 'Error rate %');
    expect(p.fieldConfig.defaults.unit).toBe('percent');
    expect(p.fieldConfig.defaults.thresholds).toEqual({
      mode: 'absolute',
      steps: [{ value: null, color: 'green' }, { value: 1, color: 'yellow' }, { value: 5, color: 'red' }],
    });
    expect(p.targets[0].expr).toBe(
      '100 * (sum(rate(frontend_requests_total{namespace=~"$namespace", status=~"5.."}[$__rate_interval])) or vector(0))'
      + ' / sum(rate(frontend_requests_total{namespace=~"$namespace"}[$__rate_interval]))');
  });

  test('p99 aggregates buckets by le', () => {
    expect(byTitle(json, 'p99 latency').targets[0].expr).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(frontend_request_duration_seconds_bucket{namespace=~"$namespace"}[$__rate_interval])))');
  });

  test('recent errors is a Loki logs panel', () => {
    const p = byTitle(json, 'Recent errors');
    expect(p.type).toBe('logs');
    expect(p.datasource).toEqual({ type: 'loki', uid: 'loki' });
    expect(p.targets[0].expr).toBe('{namespace=~"$namespace"} |~ "(?i)error"');
  });

  test('namespace variable defaults to dev', () => {
    expect(json.templating.list).toHaveLength(1);
    expect(json.templating.list[0]).toMatchObject({
      name: 'namespace',
      type: 'query',
      multi: true,
      includeAll: true,
      allValue: '.+',
      query: 'label_values(frontend_requests_total, namespace)',
      current: { value: 'dev' },
      datasource: { type: 'prometheus', uid: 'prometheus' },
    });
  });

  test('metric names and labels are props', () => {
    const custom = new PlatformOverviewDashboard(Testing.chart(), 'O', {
      requestsMetric: 'http_server_requests_total',
      latencyBucketMetric: 'http_server_duration_seconds_bucket',
      statusLabel: 'code',
      pathLabel: 'route',
      defaultNamespace: 'prod',
      errorLogsQuery: '{namespace=~"$namespace"} | json | level="error"',
      uid: 'overview-prod',
      title: 'Prod overview',
      folder: 'Prod',
    });
    const out = custom.renderModel(DATASOURCES);
    expect(checkDashboard(out, DATASOURCES)).toEqual([]);
    expect([custom.uid, custom.title, custom.folder, out.uid, out.title]).toEqual(['overview-prod', 'Prod overview', 'Prod', 'overview-prod', 'Prod overview']);
    expect(byTitle(out, 'Requests per second by path').targets[0].expr).toBe('sum by (route) (rate(http_server_requests_total{namespace=~"$namespace"}[$__rate_interval]))');
    expect(byTitle(out, 'Error rate %').targets[0].expr).toContain('code=~"5.."');
    expect(byTitle(out, 'Recent errors').targets[0].expr).toBe('{namespace=~"$namespace"} | json | level="error"');
  });

  test('fails when a custom LogQL query does not parse', () => {
    const d = new PlatformOverviewDashboard(Testing.chart(), 'O', { errorLogsQuery: '{namespace=~"$namespace" |= "error"' });
    expect(() => d.renderJson(DATASOURCES)).toThrow(/dashboard "platform-overview" panel "Recent errors" \(id \d+, panels\[\d+\] at x=0,y=\d+\) target A: invalid LogQL/);
  });

  test('fails when a metric name is not a metric name (it could still parse: a-b is a subtraction)', () => {
    expect(() => new PlatformOverviewDashboard(Testing.chart(), 'O', { requestsMetric: 'frontend-requests' }))
      .toThrow(/\[test\/O\] 'requestsMetric' is not a Prometheus metric name. Received: "frontend-requests"/);
  });

  test('fails when a label name makes invalid PromQL', () => {
    const d = new PlatformOverviewDashboard(Testing.chart(), 'O', { pathLabel: 'http.path' });
    expect(() => d.renderJson(DATASOURCES)).toThrow(/panel "Requests per second by path" .* target A: invalid PromQL at position \d+/);
  });

  test('fails when the Grafana has no Loki datasource', () => {
    const d = new PlatformOverviewDashboard(Testing.chart(), 'O');
    expect(() => d.renderJson(DATASOURCES.filter((x) => x.kind !== 'loki')))
      .toThrow(/panel "Recent errors" .* references an unknown datasource: the Grafana has no datasource of type "loki"/);
  });
});

describe('GoldenSignalsDashboard', () => {
  test('forRulePack reads the pack: selector, error matcher, recorded series', () => {
    const d = GoldenSignalsDashboard.forRulePack(Testing.chart(), 'G', PACK);
    expect(d.serviceName).toBe('frontend');
    const json = d.renderModel(DATASOURCES);
    expect(json.title).toBe('Golden signals: frontend');
    expect(byTitle(json, 'Traffic').targets[0].expr).toBe('sum(service:requests:rate5m{service="frontend"})');
    expect(byTitle(json, 'Error rate %').targets[0].expr).toBe('100 * max(service:errors:ratio_rate5m{service="frontend"})');
    expect(byTitle(json, 'p99 latency').targets[0].expr).toBe('max(service:latency_seconds:p99_5m{service="frontend"})');
    expect(byTitle(json, 'Requests per second by status').targets[0].expr)
      .toBe('sum by (status) (rate(frontend_requests_total{job="frontend", namespace="dev"}[$__rate_interval]))');
  });

  test('forRulePack with the real GoldenSignalsRules plots what the alerts evaluate', () => {
    const chart = Testing.chart();
    const pack = new GoldenSignalsRules(chart, 'Rules', {
      namespace: 'monitoring',
      serviceName: 'frontend',
      requestsMetric: 'frontend_requests_total',
      latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
      errorMatcher: 'status=~"5.."',
    });
    const json = GoldenSignalsDashboard.forRulePack(chart, 'G', pack).renderModel(DATASOURCES);
    expect(checkDashboard(json, DATASOURCES)).toEqual([]);
    const alertExpr = (name: string) => Testing.synth(chart).find((o: any) => o.kind === 'PrometheusRule')
      .spec.groups[0].rules.find((r: any) => r.alert === name).expr as string;
    // the stat reads the recorded series the alert compares with its threshold
    expect(alertExpr('HighErrorRate')).toContain(`${pack.recordedErrorRatio}{${pack.recordedSelector}}`);
    expect(byTitle(json, 'Error rate %').targets[0].expr).toBe(`100 * max(${pack.recordedErrorRatio}{${pack.recordedSelector}})`);
    expect(byTitle(json, 'p99 latency').targets[0].expr).toBe(`max(${pack.recordedLatencyP99}{${pack.recordedSelector}})`);
    expect(byTitle(json, 'Requests per second by status').targets[0].expr)
      .toBe('sum by (status) (rate(frontend_requests_total{job="frontend"}[$__rate_interval]))');
  });

  test('without a recordedSelector the recorded names are not used', () => {
    const d = GoldenSignalsDashboard.forRulePack(Testing.chart(), 'G', { ...PACK, recordedSelector: undefined });
    expect(byTitle(d.renderModel(DATASOURCES), 'Traffic').targets[0].expr).toBe('sum(rate(frontend_requests_total{job="frontend", namespace="dev"}[$__rate_interval]))');
  });

  test('direct constructor from metric names, computed when nothing is recorded', () => {
    const json = new GoldenSignalsDashboard(Testing.chart(), 'G', { serviceName: 'orders', requestsMetric: 'orders_requests_total' }).renderModel(DATASOURCES);
    expect(json.uid).toBe('golden-orders');
    expect(byTitle(json, 'Traffic').targets[0].expr).toBe('sum(rate(orders_requests_total{job="orders"}[$__rate_interval]))');
    expect(byTitle(json, 'Latency percentiles').targets.map((t: any) => t.legendFormat)).toEqual(['p50', 'p90', 'p99']);
  });

  test('a long service name still gives a valid uid', () => {
    const d = new GoldenSignalsDashboard(Testing.chart(), 'G', { serviceName: 'A Very Long Service Name That Goes On And On' });
    expect(d.uid).toMatch(/^[a-z0-9_-]{1,40}$/);
  });

  test('fails on an invalid selector from the pack', () => {
    const d = GoldenSignalsDashboard.forRulePack(Testing.chart(), 'G', { ...PACK, selector: 'job=frontend' });
    expect(() => d.renderJson(DATASOURCES)).toThrow(/dashboard "golden-frontend" panel "Instances up" \(id 5, panels\[4\] at x=18,y=1\) target A: invalid PromQL at position 11/);
  });

  test('fails on an empty service name and bad thresholds', () => {
    expect(() => new GoldenSignalsDashboard(Testing.chart(), 'G', { serviceName: ' ' })).toThrow(/'serviceName' is empty/);
    expect(() => new GoldenSignalsDashboard(Testing.chart(), 'G', { serviceName: 'x', errorThresholdsPercent: [5, 1] }))
      .toThrow(/'errorThresholdsPercent' must be two increasing positive percentages. Received: \[5,1\]/);
  });
});

describe('self-monitoring dashboards', () => {
  test('job names default to the Service names and are props', () => {
    const c = Testing.chart();
    const exprs = (d: GrafanaDashboard) => queries(d.renderModel(DATASOURCES)).map((q) => q.expr).join('\n');
    expect(exprs(new PrometheusDashboard(c, 'P'))).toContain('prometheus_rule_evaluation_failures_total{job="prometheus"}');
    expect(exprs(new AlertmanagerDashboard(c, 'A'))).toContain('alertmanager_notifications_failed_total{job="alertmanager"}');
    expect(exprs(new LokiDashboard(c, 'L'))).toContain('loki_discarded_samples_total{job=~"loki(-.*)?"}');
    expect(exprs(new AlloyDashboard(c, 'Y'))).toContain('loki_write_sent_entries_total{job="alloy-logs"}');
    expect(exprs(new LokiDashboard(c, 'L2', { job: 'logs', uid: 'my-loki' }))).toContain('loki_distributor_lines_received_total{job=~"logs(-.*)?"}');
    expect(exprs(new LokiDashboard(c, 'L3', { job: 'a.b', uid: 'dot-loki' }))).toContain('up{job=~"a\\\\.b(-.*)?"}');
  });

  test('default jobs select the targets of the emitted ServiceMonitors (Services of AlloyLogs and Loki)', () => {
    // job = the monitored Service's name (no jobLabel on these ServiceMonitors)
    const app = new App();
    const chart = new Chart(app, 'c');
    const loki = new Loki(chart, 'Loki', { namespace: 'monitoring', mode: LokiMode.DISTRIBUTED, objectStorage: ObjectStorage.s3({ region: 'eu-west-1', bucket: 'loki-chunks', credentials: StorageCredentials.fromSecret('s3') }) });
    const alloy = new AlloyLogs(chart, 'Alloy', { namespace: 'agents' });
    alloy.addLogsDestination(loki);
    const objs = synthApp(app);
    const jobs = objs.filter((o) => o.kind === 'Service' && o.metadata.labels?.['lgtm.cdk8s.io/scrape'] !== 'false'
      && ['loki', 'alloy'].includes(o.metadata.labels?.['app.kubernetes.io/name'])).map((o) => o.metadata.name as string);
    expect(jobs).toContain('alloy-logs');
    expect(jobs).toContain('loki-distributor');
    const lokiRe = /^loki(-.*)?$/;
    for (const j of jobs) expect(j === 'alloy-logs' || lokiRe.test(j)).toBe(true);
    const c = Testing.chart();
    const exprs = (d: GrafanaDashboard) => queries(d.renderModel(DATASOURCES)).map((q) => q.expr).join('\n');
    expect(exprs(new AlloyDashboard(c, 'Y'))).toContain(`up{job="${alloy.name}"}`);
    expect(exprs(new LokiDashboard(c, 'L'))).toContain('up{job=~"loki(-.*)?"}');
  });

  test('the signals the issue asks for are there', () => {
    const titles = (d: GrafanaDashboard) => flatPanels(d.renderModel(DATASOURCES).panels).map((p) => p.title);
    const s = new StackDashboards(Testing.chart(), 'S');
    expect(titles(s.prometheus)).toEqual(expect.arrayContaining(['Targets up', 'Samples ingested per second', 'Head series', 'Rule evaluation failures per second']));
    expect(titles(s.alertmanager)).toEqual(expect.arrayContaining(['Active alerts by state', 'Notifications failed per second']));
    expect(titles(s.loki)).toEqual(expect.arrayContaining(['Lines received per second', 'Request errors per second (5xx) by route', 'Discarded samples per second']));
    expect(titles(s.alloy)).toEqual(expect.arrayContaining(['Log lines sent per second', 'Write errors and retries per second', 'Unhealthy components']));
  });

  test('fails on an empty job', () => {
    expect(() => new PrometheusDashboard(Testing.chart(), 'P', { job: '' })).toThrow(/'job' is empty/);
  });
});
