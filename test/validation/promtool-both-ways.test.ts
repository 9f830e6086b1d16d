/**
 * The same bad rules fail both ways: at synth (the library's checks) and in the real engine's checker
 * (`promtool check rules`); and the valid twin of each passes both.
 */
import { App, Chart } from 'cdk8s';
import { PrometheusRule } from '../../src';
import { checkRules, promtoolBinary } from '../rules/promtool';

interface Rule {
  readonly expr: string;
  readonly summary?: string;
  readonly labels?: Record<string, string>;
}

const CASES: Array<[string, Rule, Rule, RegExp]> = [
  ['rate() of an instant vector', { expr: 'rate(http_requests_total) > 0' }, { expr: 'rate(http_requests_total[5m]) > 0' }, /expected type range vector/],
  ['wrong arity', { expr: 'abs(up, up) > 0' }, { expr: 'abs(up) > 0' }, /expected 1 argument/],
  ['range vector in a comparison', { expr: 'up[5m] > 0' }, { expr: 'up > 0' }, /binary expression must contain only scalar and instant vector types/],
  ['scalar comparison without bool', { expr: '1 > 0' }, { expr: '1 > bool 0' }, /BOOL modifier/],
  ['aggregation parameter of the wrong type', { expr: 'topk(up, 3)' }, { expr: 'topk(3, up)' }, /aggregation parameter/],
  ['unclosed template action', { expr: 'up == 0', summary: '{{ $labels.instance is down' }, { expr: 'up == 0', summary: '{{ $labels.instance }} is down' }, /unclosed action/],
  ['unknown template function', { expr: 'up == 0', summary: '{{ $value | humanise }}' }, { expr: 'up == 0', summary: '{{ $value | humanize }}' }, /function "humanise" not defined/],
  ['if without end', { expr: 'up == 0', labels: { team: '{{ if $labels.team }}x' } }, { expr: 'up == 0', labels: { team: '{{ if $labels.team }}x{{ end }}' } }, /unexpected EOF/],
  ['undefined template variable', { expr: 'up == 0', summary: '{{ $foo }}' }, { expr: 'up == 0', summary: '{{ $value }}' }, /undefined variable "\$foo"/],
];

function ruleFile(r: { expr: string; summary?: string; labels?: Record<string, string> }): any {
  return { groups: [{ name: 'g', rules: [{ alert: 'A', expr: r.expr, labels: r.labels, annotations: r.summary ? { summary: r.summary } : undefined }] }] };
}

function synthFails(r: { expr: string; summary?: string; labels?: Record<string, string> }): string | undefined {
  try {
    const app = new App();
    new PrometheusRule(new Chart(app, 'c'), 'r', { namespace: 'monitoring', groups: [{ name: 'g', alerts: [{ alert: 'A', ...r }] }] });
    app.synthYaml();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

beforeAll(() => {
  promtoolBinary(); // fails with the build command when the pinned promtool is missing
});

describe.each(CASES)('%s', (_name, bad, good, message) => {
  test('fails at synth with the message', () => {
    expect(synthFails(bad)).toMatch(message);
  });
  test('fails promtool check rules', () => {
    const r = checkRules(ruleFile(bad));
    expect(r.ok).toBe(false);
  });
  test('the corrected rule passes both', () => {
    expect(synthFails(good)).toBeUndefined();
    const r = checkRules(ruleFile(good));
    expect(r.output).toContain('SUCCESS');
  });
});
