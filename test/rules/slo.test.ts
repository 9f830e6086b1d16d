import { Chart, Testing } from 'cdk8s';
import { GoldenSignalsRules, Slo, SloIndicator, SloProps } from '../../src/rules';
import { find, promqlErrors, schemaErrors, synthApp } from '../harness';
import { AlertCase, checkRules, testRules } from './promtool';

function newChart() {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'slo', { namespace: 'dev' }) };
}

const frontend = SloIndicator.requestRatio({ requestsMetric: 'frontend_requests_total', selector: 'job="frontend"' });

function slo(props: Partial<SloProps> = {}) {
  const { app, chart } = newChart();
  return { app, slo: new Slo(chart, 'frontend-slo', { service: 'frontend', objective: 0.999, indicator: frontend, ...props }) };
}

function alertExprs(s: Slo): string[] {
  return s.toRuleFile().groups[1].rules.map((r: any) => r.expr);
}

describe('Slo', () => {
  test('records SLIs for 5m, 30m, 1h, 2h, 6h, 1d, 3d and 30d plus objective and budget', () => {
    const { app, slo: s } = slo();
    const objs = synthApp(app);
    const obj = find(objs, 'PrometheusRule', 'frontend-availability-slo', 'dev');
    const records = obj.spec.groups[0].rules;
    expect(records.map((r: any) => r.record)).toEqual([
      ...['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => `slo:sli_error:ratio_rate${w}`),
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:error_budget_remaining:ratio',
    ]);
    expect(records[0].expr).toBe('(sum(rate(frontend_requests_total{job="frontend", code=~"5.."}[5m])) or vector(0))\n/\nsum(rate(frontend_requests_total{job="frontend"}[5m]))');
    expect(records[6].expr).toContain('[3d]');
    expect(records[7].expr).toBe('avg_over_time(slo:sli_error:ratio_rate5m{service="frontend", slo="availability"}[30d])');
    expect(records[8].expr).toBe('vector(0.999)');
    expect(records[9].expr).toBe('vector(0.001)');
    for (const r of records) expect(r.labels).toEqual({ service: 'frontend', slo: 'availability' });
    expect(s.errorBudget).toBe('0.001');
    expect(s.recordedSelector).toBe('service="frontend", slo="availability"');
    expect(schemaErrors(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
    const check = checkRules(s.toRuleFile());
    expect(check.output).toMatch(/SUCCESS: 13 rules found/);
  });

  test('page (14.4 over 1h&5m, 6 over 6h&30m) and ticket (3 over 1d&2h, 1 over 3d&6h) alerts with exact thresholds', () => {
    const { slo: s } = slo();
    const sel = '{service="frontend", slo="availability"}';
    const [page, ticket] = alertExprs(s);
    expect(page).toBe([
      `(slo:sli_error:ratio_rate1h${sel} > 0.0144`, 'and', `slo:sli_error:ratio_rate5m${sel} > 0.0144)`,
      'or',
      `(slo:sli_error:ratio_rate6h${sel} > 0.006`, 'and', `slo:sli_error:ratio_rate30m${sel} > 0.006)`,
    ].join('\n'));
    expect(ticket).toBe([
      `(slo:sli_error:ratio_rate1d${sel} > 0.003`, 'and', `slo:sli_error:ratio_rate2h${sel} > 0.003)`,
      'or',
      `(slo:sli_error:ratio_rate3d${sel} > 0.001`, 'and', `slo:sli_error:ratio_rate6h${sel} > 0.001)`,
    ].join('\n'));
    const labels = s.toRuleFile().groups[1].rules.map((r: any) => [r.alert, r.labels]);
    expect(labels).toEqual([
      ['ErrorBudgetBurn', { severity: 'critical', service: 'frontend', slo: 'availability', slo_alert: 'page' }],
      ['ErrorBudgetBurn', { severity: 'warning', service: 'frontend', slo: 'availability', slo_alert: 'ticket' }],
    ]);
  });

  test.each([
    // objective, budget, page 14.4x, page 6x, ticket 3x, ticket 1x (floats would give 0.014400000000000013, ...)
    [0.99, '0.01', '0.144', '0.06', '0.03', '0.01'],
    [0.995, '0.005', '0.072', '0.03', '0.015', '0.005'],
    [0.999, '0.001', '0.0144', '0.006', '0.003', '0.001'],
    [0.9995, '0.0005', '0.0072', '0.003', '0.0015', '0.0005'],
    [0.9999, '0.0001', '0.00144', '0.0006', '0.0003', '0.0001'],
    [0.99999, '0.00001', '0.000144', '0.00006', '0.00003', '0.00001'],
  ])('objective %p: budget %s, thresholds %s %s %s %s, no float noise', (objective, budget, p1, p2, t1, t2) => {
    const { slo: s } = slo({ objective: objective as number });
    expect(s.errorBudget).toBe(budget);
    expect([14.4, 6, 3, 1].map((b) => s.threshold(b))).toEqual([p1, p2, t1, t2]);
    const text = JSON.stringify(s.toRuleFile());
    for (const t of [p1, p2, t1, t2]) expect(text).toContain(`> ${t}`);
    expect(text).not.toMatch(/\d\.\d*(0{6,}|9{6,})[1-9]/);
  });

  test('promtool: page and ticket fire on a failing series and stay silent on a healthy one', () => {
    const { slo: s } = slo();
    const req = (code: string, values: string) => ({ series: `frontend_requests_total{job="frontend", code="${code}"}`, values });
    const labels = { service: 'frontend', slo: 'availability' };
    const page = { ...labels, severity: 'critical', slo_alert: 'page' };
    const ticket = { ...labels, severity: 'warning', slo_alert: 'ticket' };
    const cases: AlertCase[] = [
      { name: '2 % errors: page and ticket', alertname: 'ErrorBudgetBurn', evalTime: '70m', input: [req('200', '0+980x200'), req('500', '0+20x200')], expected: [page, ticket] },
      { name: '0.5 % errors: ticket only', alertname: 'ErrorBudgetBurn', evalTime: '3h', input: [req('200', '0+995x200'), req('500', '0+5x200')], expected: [ticket] },
      { name: '0.05 % errors: silent', alertname: 'ErrorBudgetBurn', evalTime: '3h', input: [req('200', '0+999.5x200'), req('500', '0+0.5x200')], expected: [] },
      { name: 'no 5xx series at all: silent', alertname: 'ErrorBudgetBurn', evalTime: '3h', input: [req('200', '0+1000x200')], expected: [] },
      {
        // A 10-minute outage that ended an hour ago: the short windows are clean again, so no page; the
        // 2h/1d windows still hold the burnt budget, so a ticket.
        name: 'short outage that is over: ticket, no page',
        alertname: 'ErrorBudgetBurn',
        evalTime: '130m',
        input: [req('200', '0+1000x60 60000x10 60000+1000x70'), req('500', '0x60 0+1000x10 10000x70')],
        expected: [ticket],
      },
    ];
    const t = testRules(s.toRuleFile(), cases);
    if (!t.ok) throw new Error(`promtool test rules failed:\n${t.output}`);
    expect(t.output).toMatch(/SUCCESS/);
  });

  test('indicator from a GoldenSignalsRules pack', () => {
    const { chart } = newChart();
    const gs = new GoldenSignalsRules(chart, 'gs', { serviceName: 'frontend', requestsMetric: 'frontend_requests_total', latencyBucketMetric: 'frontend_request_duration_seconds_bucket', errorMatcher: 'code=~"5..|429"' });
    const s = new Slo(chart, 'slo', { service: 'frontend', objective: 0.995, indicator: SloIndicator.fromGoldenSignals(gs) });
    expect(s.toRuleFile().groups[0].rules[0].expr).toContain('frontend_requests_total{job="frontend", code=~"5..|429"}[5m]');
  });

  test('indicator from two queries with a {{window}} placeholder (latency SLO)', () => {
    const { chart } = newChart();
    const s = new Slo(chart, 'latency', {
      service: 'frontend',
      sloName: 'latency',
      objective: 0.99,
      alertName: 'LatencyBudgetBurn',
      runbookUrl: 'https://runbooks.example.com/LatencyBudgetBurn',
      indicator: SloIndicator.queryRatio({
        errorQuery: 'sum(rate(frontend_request_duration_seconds_bucket{le="+Inf"}[{{window}}])) - sum(rate(frontend_request_duration_seconds_bucket{le="0.5"}[{{ .window }}]))',
        totalQuery: 'sum(rate(frontend_request_duration_seconds_bucket{le="+Inf"}[{{window}}]))',
      }),
    });
    expect(s.name).toBe('frontend-latency-slo');
    const file = s.toRuleFile();
    expect(file.groups[0].rules[1].expr).toBe('(sum(rate(frontend_request_duration_seconds_bucket{le="+Inf"}[30m])) - sum(rate(frontend_request_duration_seconds_bucket{le="0.5"}[30m])))\n/\n(sum(rate(frontend_request_duration_seconds_bucket{le="+Inf"}[30m])))');
    expect(file.groups[1].rules[0].alert).toBe('LatencyBudgetBurn');
    expect(file.groups[1].rules[0].annotations.runbook_url).toBe('https://runbooks.example.com/LatencyBudgetBurn');
    const check = checkRules(file);
    if (!check.ok) throw new Error(check.output);
  });

  describe('bad input', () => {
    test.each([[0], [1], [1.5], [-0.1], [NaN], [99.9]])('fails on objective %p', (objective) => {
      expect(() => slo({ objective })).toThrow(/SLO 'objective' must be strictly between 0 and 1. Received: .*expected: a ratio such as 0.999.*Fix: pass a ratio, not a percentage: 99.9 % is 0.999/);
    });

    test('fails on a query without the {{window}} placeholder', () => {
      expect(() => slo({ indicator: SloIndicator.queryRatio({ errorQuery: 'sum(rate(e[5m]))', totalQuery: 'sum(rate(t[{{window}}]))' }) }))
        .toThrow(/'indicator.errorQuery' has no \{\{window\}\} placeholder/);
    });

    test('fails on invalid PromQL in a query, with the position', () => {
      expect(() => slo({ indicator: SloIndicator.queryRatio({ errorQuery: 'sum(rate(e[{{window}}])', totalQuery: 'sum(rate(t[{{window}}]))' }) }))
        .toThrow(/'indicator.errorQuery': invalid PromQL at position \d+ \(with the window 5m substituted\)/);
    });

    test('fails on an invalid selector or service name', () => {
      expect(() => slo({ indicator: SloIndicator.requestRatio({ requestsMetric: 'x_total', selector: 'job=frontend' }) }))
        .toThrow(/'indicator.selector' is not a list of PromQL label matchers/);
      expect(() => slo({ name: 'x', service: 'front end' })).toThrow(/'service' must be a simple name/);
    });
  });
});
