/** Tempo's own failure alerts through the real rule engine (the pinned promtool); `TempoDown` is the pack's. */
import { App, Chart } from 'cdk8s';
import { Tempo } from '../../src/tempo';
import { find, synthApp } from '../harness';
import { AlertCase, checkRules, testRules } from '../rules/promtool';

describe('Tempo alerts with promtool', () => {
  const app = new App();
  new Tempo(new Chart(app, 'c'), 'Tempo', { namespace: 'monitoring' });
  const rule = find(synthApp(app), 'PrometheusRule', 'tempo-alerts', 'monitoring');
  const ruleFile = { groups: rule.spec.groups };
  const sel = 'namespace="monitoring", job="tempo", pod="tempo-0"';
  const req = (code: string, v: string) => ({ series: `tempo_request_duration_seconds_count{${sel}, route="opentelemetry_proto_collector_trace_v1_traceservice_export", status_code="${code}"}`, values: v });
  const route = 'opentelemetry_proto_collector_trace_v1_traceservice_export';

  test('promtool check rules', () => {
    const r = checkRules(ruleFile);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });

  test('request errors, flush and compaction failures fire on failing series and stay silent at their edges', () => {
    const cases: AlertCase[] = [
      // the threshold is 10 % of a route's requests
      { name: '11 % 5xx', input: [req('500', '0+11x30'), req('200', '0+89x30')], evalTime: '25m', alertname: 'TempoRequestErrors', expected: [{ severity: 'critical', namespace: 'monitoring', job: 'tempo', route }] },
      { name: '10 % 5xx is the edge', input: [req('500', '0+10x30'), req('200', '0+90x30')], evalTime: '25m', alertname: 'TempoRequestErrors', expected: [] },
      { name: 'flushes failing', input: [{ series: `tempo_ingester_failed_flushes_total{${sel}}`, values: '0+1x70' }], evalTime: '65m', alertname: 'TempoIngesterFlushesFailing', expected: [{ severity: 'critical', namespace: 'monitoring', pod: 'tempo-0' }] },
      { name: 'two failed flushes in an hour is the edge', input: [{ series: `tempo_ingester_failed_flushes_total{${sel}}`, values: '0x10 1x20 2x40' }], evalTime: '65m', alertname: 'TempoIngesterFlushesFailing', expected: [] },
      { name: 'compactions failing', input: [{ series: `tempodb_compaction_errors_total{${sel}}`, values: '0+1x70' }], evalTime: '65m', alertname: 'TempoCompactionsFailing', expected: [{ severity: 'critical', namespace: 'monitoring' }] },
      { name: 'no compaction error', input: [{ series: `tempodb_compaction_errors_total{${sel}}`, values: '3x70' }], evalTime: '65m', alertname: 'TempoCompactionsFailing', expected: [] },
    ];
    const r = testRules(ruleFile, cases);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });
});
