/**
 * Metric provenance of Grafana-managed alert rules: the same policy as PrometheusRules and dashboards (a
 * shipped rule on a metric nothing scrapes fails the synth, the user's own rule warns).
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from '../../src';
import { resolveAll } from '../../src/core/app-checks';
import { metricProvenanceFindings } from '../../src/core/provenance/check';
import { declareMetricPack } from '../../src/core/provenance/registry';
import { Grafana } from '../../src/grafana';
import { Loki } from '../../src/loki';
import { Prometheus } from '../../src/prometheus';

function setup() {
  const app = Testing.app();
  const chart = new Chart(app, 'mon', { namespace: 'monitoring' });
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: 'monitoring' });
  const loki = new Loki(chart, 'Loki', { namespace: 'monitoring' });
  const grafana = new Grafana(chart, 'Grafana', { namespace: 'monitoring', adminSecret: { name: 'grafana-admin', userKey: 'u', passwordKey: 'p' } });
  grafana.addDatasource(prometheus);
  grafana.addDatasource(loki);
  return { app, chart, prometheus, loki, grafana };
}
const findings = (app: ReturnType<typeof Testing.app>) => metricProvenanceFindings(app.node.findAll(), resolveAll(app).objects);
const rule = (alert: string, expr: string, datasource: any) =>
  ({ alert, expr, datasource, threshold: 1, severity: AlertSeverity.WARNING, summary: alert });

describe('Grafana-managed alert rules', () => {
  const afterTest: Array<() => void> = [];
  afterEach(() => afterTest.splice(0).forEach((f) => f()));

  test("a user's rule on a metric nothing scrapes is a warning, with the rule named", () => {
    const { app, grafana, prometheus } = setup();
    grafana.alerting.addAlertRule(rule('Queue deep', 'max(app_queue_depth)', prometheus));
    const f = findings(app);
    expect(f.map((x) => [x.metric, x.pack, x.scope.node.path])).toEqual([['app_queue_depth', false, 'mon/Grafana']]);
    expect(f[0].details.problem).toBe('[mon/Grafana] Grafana alert rule "Queue deep" queries app_queue_depth, which no scraped target in the app produces and no known exporter lists: the rule never sees a series (an alert on it can never fire)');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).not.toThrow();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[WARNING\] mon\/Grafana: Grafana alert rule "Queue deep" queries app_queue_depth/));
    } finally {
      warn.mockRestore();
    }
  });

  test('a known metric names the construct to add; a scraped one, a recorded one and a LogQL rule are fine', () => {
    const { app, grafana, prometheus, loki } = setup();
    grafana.alerting.addAlertRule(rule('Nodes', 'count(node_uname_info)', prometheus));
    grafana.alerting.addAlertRule(rule('Errors', 'sum(rate(prometheus_http_requests_total{code=~"5.."}[5m]))', prometheus));
    grafana.alerting.addAlertRule(rule('Log errors', 'sum(count_over_time({namespace="dev"} |= "error" [5m]))', loki));
    const f = findings(app);
    expect(f.map((x) => x.metric)).toEqual(['node_uname_info']);
    expect(f[0].details.fix).toBe("add NodeExporter to the app, or declare the metric on the monitor that scrapes it (metrics: ['node_uname_info'])");
  });

  test('a rule given by datasource uid is checked when the uid is a Prometheus-type datasource', () => {
    const { app, grafana, prometheus } = setup();
    grafana.alerting.addAlertRule({ ...rule('By uid', 'max(app_queue_depth)', undefined), datasourceUid: prometheus.datasourceInfo.uid });
    expect(findings(app).map((x) => x.metric)).toEqual(['app_queue_depth']);
  });

  test("a shipped pack's rule on a metric without a source fails the synth with the five parts", () => {
    const { app, chart, grafana, prometheus } = setup();
    const pack = new Construct(chart, 'Pack');
    declareMetricPack(pack);
    grafana.alerting._addAlertRule(rule('Operator rejects', 'max(prometheus_operator_managed_resources{state="rejected"})', prometheus), pack);
    grafana.alerting.addAlertRule(rule('Mine', 'max(app_queue_depth)', prometheus));
    expect(findings(app).map((x) => [x.metric, x.pack, x.scope.node.path])).toEqual([
      ['app_queue_depth', false, 'mon/Grafana'],
      ['prometheus_operator_managed_resources', true, 'mon/Pack'],
    ]);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    afterTest.push(() => warn.mockRestore());
    expect(() => app.synth()).toThrow(/\[mon\/Pack\] Grafana alert rule "Operator rejects" queries prometheus_operator_managed_resources, which no scraped target in the app produces: the rule never sees a series \(an alert on it can never fire\)\. Received: the query "max\(prometheus_operator_managed_resources\{state=\\"rejected\\"\}\)"; expected: a scraped target that exposes prometheus_operator_managed_resources: prometheus-operator v0\.93\.\d[\s\S]*Fix: add PrometheusOperator \(with its ServiceMonitor, the default\) to the app, or remove the pack/);
  });
});
