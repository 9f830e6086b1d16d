import { App, Chart, Duration, Testing } from 'cdk8s';
import { AlertSeverity, PrometheusRule } from '../../src/rules';
import { find, promqlErrors, schemaErrors, synthApp } from '../harness';
import { checkRules, PROMETHEUS_VERSION, promtoolVersion } from './promtool';

function chart(namespace: string | undefined = 'dev'): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'rules', { namespace }) };
}

describe('PrometheusRule', () => {
  test('promtool is the pinned Prometheus (engines/prometheus)', () => {
    const v = promtoolVersion();
    console.log(`promtool --version: ${v}`);
    expect(v).toContain(`promtool, version ${PROMETHEUS_VERSION} (`);
  });

  test('carries SkipDryRunOnMissingResource like every other monitoring.coreos.com object (Argo CD before the CRD exists)', () => {
    const { app, chart: c } = chart();
    new PrometheusRule(c, 'up', { groups: [{ name: 'g', alerts: [{ alert: 'Down', expr: 'up == 0', severity: AlertSeverity.WARNING }] }] });
    const obj = find(synthApp(app), 'PrometheusRule', 'up', 'dev');
    expect(obj.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
  });

  test('renders groups, alerts and records into a monitoring.coreos.com/v1 PrometheusRule', () => {
    const { app, chart: c } = chart();
    const rule = new PrometheusRule(c, 'frontend', {
      groups: [{
        name: 'frontend.rules',
        interval: Duration.seconds(30),
        limit: 100,
        recordingRules: [{ record: 'job:frontend_requests:rate5m', expr: 'sum by (job) (rate(frontend_requests_total[5m]))', labels: { team: 'web' } }],
        alerts: [{
          alert: 'FrontendDown',
          expr: 'up{job="frontend"} == 0',
          pendingFor: Duration.minutes(5),
          keepFiringFor: Duration.minutes(2),
          severity: AlertSeverity.CRITICAL,
          labels: { team: 'web' },
          summary: 'frontend {{ $labels.instance }} is down',
          description: 'no scrape for 5m',
          runbookUrl: 'https://runbooks.example.com/FrontendDown',
          annotations: { dashboard: 'https://grafana.example.com/d/frontend' },
        }],
      }],
    });
    const objs = synthApp(app);
    const obj = find(objs, 'PrometheusRule', 'frontend', 'dev');
    expect(obj.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(obj.metadata.labels['app.kubernetes.io/part-of']).toBe('cdk8s-lgtm');
    expect(obj.spec.groups).toEqual([{
      name: 'frontend.rules',
      interval: '30s',
      limit: 100,
      rules: [
        { record: 'job:frontend_requests:rate5m', expr: 'sum by (job) (rate(frontend_requests_total[5m]))', labels: { team: 'web' } },
        {
          alert: 'FrontendDown',
          expr: 'up{job="frontend"} == 0',
          for: '5m',
          keep_firing_for: '2m',
          labels: { severity: 'critical', team: 'web' },
          annotations: {
            summary: 'frontend {{ $labels.instance }} is down',
            description: 'no scrape for 5m',
            runbook_url: 'https://runbooks.example.com/FrontendDown',
            dashboard: 'https://grafana.example.com/d/frontend',
          },
        },
      ],
    }]);
    expect(schemaErrors(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
    const check = checkRules(rule.toRuleFile());
    expect(check.output).toMatch(/SUCCESS: 2 rules found/);
    expect(check.ok).toBe(true);
  });

  test('severity defaults to warning; no `for` when pendingFor is unset', () => {
    const { chart: c } = chart();
    const rule = new PrometheusRule(c, 'r');
    rule.addGroup({ name: 'g' }).addAlert({ alert: 'A', expr: 'vector(1)' });
    expect(rule.toRuleFile().groups[0].rules[0]).toEqual({ alert: 'A', expr: 'vector(1)', labels: { severity: 'warning' } });
  });

  test('rules added after construction are rendered (lazy)', () => {
    const { app, chart: c } = chart();
    const rule = new PrometheusRule(c, 'late', { name: 'late-rules' });
    const g = rule.addGroup({ name: 'g1' });
    g.addRecord({ record: 'a:b:sum', expr: 'sum(up)' });
    rule.addGroup({ name: 'g2' }).addAlert({ alert: 'Late', expr: 'a:b:sum < 1' });
    g.addRecord({ record: 'a:b:count', expr: 'count(up)' });
    const obj = find(synthApp(app), 'PrometheusRule', 'late-rules', 'dev');
    expect(obj.spec.groups.map((x: any) => [x.name, x.rules.map((r: any) => r.record ?? r.alert)])).toEqual([
      ['g1', ['a:b:sum', 'a:b:count']],
      ['g2', ['Late']],
    ]);
  });

  test('namespace comes from the prop, else from the chart', () => {
    const { chart: c } = chart('team-a');
    expect(new PrometheusRule(c, 'a').namespace).toBe('team-a');
    expect(new PrometheusRule(c, 'b', { namespace: 'monitoring' }).namespace).toBe('monitoring');
  });

  test('the same alert name is allowed with different severities', () => {
    const { chart: c } = chart();
    const g = new PrometheusRule(c, 'r').addGroup({ name: 'g' });
    g.addAlert({ alert: 'DiskFull', expr: 'vector(1)', severity: AlertSeverity.WARNING });
    expect(() => g.addAlert({ alert: 'DiskFull', expr: 'vector(1)', severity: AlertSeverity.CRITICAL })).not.toThrow();
  });

  test('a record may repeat with different labels', () => {
    const { chart: c } = chart();
    const g = new PrometheusRule(c, 'r').addGroup({ name: 'g' });
    g.addRecord({ record: 'slo:x:ratio', expr: 'vector(1)', labels: { slo: 'a' } });
    expect(() => g.addRecord({ record: 'slo:x:ratio', expr: 'vector(2)', labels: { slo: 'b' } })).not.toThrow();
  });

  describe('bad input', () => {
    test('fails on invalid PromQL, naming group/alert and the position', () => {
      const { chart: c } = chart();
      const g = new PrometheusRule(c, 'r').addGroup({ name: 'frontend.rules' });
      expect(() => g.addAlert({ alert: 'HighErrorRate', expr: 'sum(rate(http_requests_total[5m]) > 0.05' }))
        .toThrow(/\[rules\/r\] frontend\.rules\/HighErrorRate: invalid PromQL at position \d+/);
      expect(() => g.addRecord({ record: 'a:b:rate5m', expr: 'rate(x[5m]' }))
        .toThrow(/frontend\.rules\/a:b:rate5m: invalid PromQL at position 10[\s\S]*\^/);
    });

    test('fails on an invalid label name', () => {
      const { chart: c } = chart();
      const g = new PrometheusRule(c, 'r').addGroup({ name: 'g' });
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', labels: { 'team-name': 'web' } }))
        .toThrow(/g\/A: invalid label name 'team-name'.*Fix: rename it, e\.g\. "team_name"/);
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', labels: { __name__: 'x' } }))
        .toThrow(/invalid label name '__name__'.*does not start with "__"/);
      expect(() => g.addRecord({ record: 'a:b', expr: 'vector(1)', labels: { '1x': 'y' } }))
        .toThrow(/g\/a:b: invalid label name '1x'/);
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', labels: { severity: 'critical' } }))
        .toThrow(/label 'severity' is set through the 'severity' prop/);
    });

    test('fails on an invalid annotation name', () => {
      const { chart: c } = chart();
      const g = new PrometheusRule(c, 'r').addGroup({ name: 'g' });
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', annotations: { 'runbook-url': 'x' } }))
        .toThrow(/g\/A: invalid annotation name 'runbook-url'.*e\.g\. "runbook_url"/);
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', summary: 's', annotations: { summary: 'again' } }))
        .toThrow(/annotation 'summary' is set twice/);
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', runbookUrl: 'runbooks/A' }))
        .toThrow(/'runbookUrl' is not an http\(s\) URL/);
    });

    test('fails on an invalid record name', () => {
      const { chart: c } = chart();
      const g = new PrometheusRule(c, 'r').addGroup({ name: 'g' });
      expect(() => g.addRecord({ record: 'job:http-requests:rate5m', expr: 'vector(1)' }))
        .toThrow(/recording rule name is not a valid metric name. Received: "job:http-requests:rate5m"/);
    });

    test('fails on duplicate rule names in a group', () => {
      const { chart: c } = chart();
      const g = new PrometheusRule(c, 'r').addGroup({ name: 'g' });
      g.addAlert({ alert: 'HighErrorRate', expr: 'vector(1)', severity: AlertSeverity.CRITICAL });
      expect(() => g.addAlert({ alert: 'HighErrorRate', expr: 'vector(2)', severity: AlertSeverity.CRITICAL }))
        .toThrow(/g\/HighErrorRate: duplicate alert name in group 'g'. Received: a second alert 'HighErrorRate' with severity 'critical'/);
      g.addRecord({ record: 'a:b:sum', expr: 'vector(1)' });
      expect(() => g.addRecord({ record: 'a:b:sum', expr: 'vector(2)' }))
        .toThrow(/g\/a:b:sum: duplicate recording rule in group 'g'/);
    });

    test('fails on duplicate group names', () => {
      const { chart: c } = chart();
      const rule = new PrometheusRule(c, 'r');
      rule.addGroup({ name: 'g' });
      expect(() => rule.addGroup({ name: 'g' })).toThrow(/duplicate rule group name 'g'/);
    });

    test('fails on zero or negative pendingFor / keepFiringFor / interval', () => {
      const { chart: c } = chart();
      const rule = new PrometheusRule(c, 'r');
      const g = rule.addGroup({ name: 'g' });
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', pendingFor: Duration.seconds(0) }))
        .toThrow(/'g\/A: pendingFor' must be a positive duration. Received: 0ms/);
      // cdk8s refuses negative Durations itself, before any construct sees them.
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', pendingFor: Duration.seconds(-30) }))
        .toThrow(/Duration amounts cannot be negative. Received: -30/);
      expect(() => g.addAlert({ alert: 'A', expr: 'vector(1)', keepFiringFor: Duration.seconds(0) }))
        .toThrow(/'g\/A: keepFiringFor' must be a positive duration/);
      expect(() => rule.addGroup({ name: 'h', interval: Duration.seconds(0) }))
        .toThrow(/'h: interval' must be a positive duration/);
      expect(() => rule.addGroup({ name: 'i', limit: -1 })).toThrow(/i: 'limit' must be a non-negative integer/);
    });

    test('fails without a namespace', () => {
      const app = Testing.app();
      const c = new Chart(app, 'no-ns');
      expect(() => new PrometheusRule(c, 'r')).toThrow(/'namespace' is not set and the enclosing Chart has no namespace/);
    });

    test('fails at synth on an empty group', () => {
      const { app, chart: c } = chart();
      new PrometheusRule(c, 'r').addGroup({ name: 'empty' });
      expect(() => app.synth()).toThrow(/rule groups without rules. Received: \["empty"\]/);
    });
  });
});
