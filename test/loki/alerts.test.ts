/** Loki's own alerts through the real rule engine (the pinned promtool): check rules + unit tests. */
import { App, Chart } from 'cdk8s';
import { Loki } from '../../src/loki';
import { find, synthApp } from '../harness';
import { AlertCase, checkRules, testRules } from '../rules/promtool';

describe('Loki alerts with promtool', () => {
  const app = new App();
  new Loki(new Chart(app, 'c'), 'Loki', { namespace: 'monitoring' });
  const rule = find(synthApp(app), 'PrometheusRule', 'loki-alerts', 'monitoring');
  const ruleFile = { groups: rule.spec.groups };
  const sel = 'namespace="monitoring", job="loki", pod="loki-0"';

  test('promtool check rules', () => {
    const r = checkRules(ruleFile);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });

  test('alerts fire on the metrics Loki 3.x exposes, and stay silent otherwise', () => {
    const cases: AlertCase[] = [
      {
        name: 'rate-limited tenant',
        input: [{ series: `loki_discarded_samples_total{${sel}, tenant="team-a", reason="rate_limited"}`, values: '0+60x40' }],
        evalTime: '30m',
        alertname: 'LokiIngestionRateLimited',
        expected: [{ severity: 'warning', namespace: 'monitoring', tenant: 'team-a', reason: 'rate_limited' }],
      },
      {
        name: 'other discard reasons do not page',
        input: [{ series: `loki_discarded_samples_total{${sel}, tenant="team-a", reason="line_too_long"}`, values: '0+60x40' }],
        evalTime: '30m',
        alertname: 'LokiIngestionRateLimited',
        expected: [],
      },
      {
        name: 'flush failures',
        input: [{ series: `loki_ingester_chunks_flush_failures_total{${sel}}`, values: '0+1x40' }],
        evalTime: '30m',
        alertname: 'LokiChunkFlushFailures',
        expected: [{ severity: 'critical', namespace: 'monitoring', pod: 'loki-0' }],
      },
      {
        name: 'WAL disk full',
        input: [
          { series: `loki_ingester_wal_disk_full_failures_total{${sel}}`, values: '0 0 0 5 10 15 20 25 30 35' },
          { series: `loki_ingester_wal_corruptions_total{${sel}}`, values: '0x10' },
        ],
        evalTime: '8m',
        alertname: 'LokiWALFailures',
        expected: [{ severity: 'critical', namespace: 'monitoring', pod: 'loki-0' }],
      },
      {
        name: '5xx errors',
        input: [
          { series: `loki_request_duration_seconds_count{${sel}, route="loki_api_v1_push", status_code="500"}`, values: '0+30x40' },
          { series: `loki_request_duration_seconds_count{${sel}, route="loki_api_v1_push", status_code="204"}`, values: '0+70x40' },
        ],
        evalTime: '30m',
        alertname: 'LokiRequestErrors',
        expected: [{ severity: 'critical', namespace: 'monitoring', job: 'loki', route: 'loki_api_v1_push' }],
      },
    ];
    const r = testRules(ruleFile, cases);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });
});
