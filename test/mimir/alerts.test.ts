/** Mimir's own "down or absent" and failure alerts through the real rule engine (the pinned promtool). */
import { App, Chart } from 'cdk8s';
import { Mimir } from '../../src/mimir';
import { find, synthApp } from '../harness';
import { AlertCase, checkRules, testRules } from '../rules/promtool';

describe('Mimir alerts with promtool', () => {
  const app = new App();
  new Mimir(new Chart(app, 'c'), 'Mimir', { namespace: 'monitoring' });
  const rule = find(synthApp(app), 'PrometheusRule', 'mimir-alerts', 'monitoring');
  const ruleFile = { groups: rule.spec.groups };
  const sel = 'namespace="monitoring", job="mimir", pod="mimir-0"';
  const req = (code: string, v: string) => ({ series: `cortex_request_duration_seconds_count{${sel}, route="api_v1_push", status_code="${code}"}`, values: v });

  test('promtool check rules', () => {
    const r = checkRules(ruleFile);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });

  test('down, absent and 5xx alerts fire on failing series and stay silent at their edges', () => {
    const cases: AlertCase[] = [
      { name: 'a pod fails its scrapes', input: [{ series: `up{${sel}}`, values: '0x20' }], evalTime: '10m', alertname: 'MimirDown', expected: [{ severity: 'critical', namespace: 'monitoring', job: 'mimir', pod: 'mimir-0' }] },
      { name: 'no Mimir target at all', input: [{ series: 'up{namespace="monitoring", job="other"}', values: '1x20' }], evalTime: '10m', alertname: 'MimirDown', expected: [{ severity: 'critical', namespace: 'monitoring' }] },
      { name: 'up', input: [{ series: `up{${sel}}`, values: '1x20' }], evalTime: '10m', alertname: 'MimirDown', expected: [] },
      { name: 'down for less than 5 minutes', input: [{ series: `up{${sel}}`, values: '1x7 0x13' }], evalTime: '10m', alertname: 'MimirDown', expected: [] },
      // the threshold is 1 % of a route's requests (counts per second kept whole, so the ratio is exact)
      { name: '2 % 5xx', input: [req('500', '0+120x30'), req('200', '0+5880x30')], evalTime: '25m', alertname: 'MimirRequestErrors', expected: [{ severity: 'critical', namespace: 'monitoring', job: 'mimir', route: 'api_v1_push' }] },
      { name: '1 % 5xx is the edge', input: [req('500', '0+60x30'), req('200', '0+5940x30')], evalTime: '25m', alertname: 'MimirRequestErrors', expected: [] },
      { name: '4xx do not count', input: [req('429', '0+50x30'), req('200', '0+50x30')], evalTime: '25m', alertname: 'MimirRequestErrors', expected: [] },
    ];
    const r = testRules(ruleFile, cases);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });
});
