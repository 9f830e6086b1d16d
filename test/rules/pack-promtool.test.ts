/**
 * Every alert of every pack through `promtool test rules`, generated from test/rules/fixtures.ts: each
 * alert fires on its failing input and stays silent on its healthy one (at the threshold edge where it has
 * one). The rule files are the packs' own output, unchanged.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { AlertFixture, GOLDEN_FIXTURES, NODE_FIXTURES, PROBE_FIXTURES, SELF_FIXTURES, SYSTEM_FIXTURES, WORKLOAD_FIXTURES } from './fixtures';
import { checkRules, runPromtool } from './promtool';
import { AlertPack, GoldenSignalsRules, KubernetesDistribution, KubernetesSystemRules, KubernetesWorkloadRules, NodeExporterRules, ProbeRules, StackComponentRules, StackSelfMonitoringRules } from '../../src/rules';

function chart() {
  return new Chart(Testing.app(), 'c', { namespace: 'monitoring' });
}

/** A component as `watchComponent` sees it (its app label and Service). */
function component(app: string, svc: string): any {
  return { node: { path: `fake/${svc}` }, labels: { 'app.kubernetes.io/name': app }, service: { name: svc, namespace: 'monitoring' } };
}

export function packs(): Array<[string, AlertPack, AlertFixture[]]> {
  const self = new StackSelfMonitoringRules(chart(), 'self', {
    components: [
      component('loki', 'loki'), component('tempo', 'tempo'), component('grafana', 'grafana'), component('alloy', 'alloy-logs'),
      component('kube-state-metrics', 'kube-state-metrics'), component('node-exporter', 'node-exporter'), component('pyroscope', 'pyroscope'),
      component('opentelemetry-collector', 'otel-collector'), component('seaweedfs', 'seaweedfs'), component('opencost', 'opencost'),
      component('kepler', 'kepler'), component('promtail', 'promtail'),
      // Beyla has no Service: watched by its DaemonSet
      { node: { path: 'fake/beyla' }, labels: { 'app.kubernetes.io/name': 'beyla' }, name: 'beyla', namespace: 'monitoring-agents' } as any,
    ],
  });
  return [
    ['KubernetesWorkloadRules', new KubernetesWorkloadRules(chart(), 'w'), WORKLOAD_FIXTURES],
    ['GoldenSignalsRules', new GoldenSignalsRules(chart(), 'g', { serviceName: 'frontend', requestsMetric: 'frontend_requests_total', latencyBucketMetric: 'frontend_request_duration_seconds_bucket' }), GOLDEN_FIXTURES],
    ...self.packs.map((p): [string, AlertPack, AlertFixture[]] => [
      p instanceof StackComponentRules ? `StackComponentRules (${p.componentKind})` : p.constructor.name, p, SELF_FIXTURES.filter((f) => p.alertNames.includes(f.alert)),
    ]),
    ['NodeExporterRules', new NodeExporterRules(chart(), 'n'), NODE_FIXTURES],
    ['KubernetesSystemRules', new KubernetesSystemRules(chart(), 'k', { distribution: KubernetesDistribution.SELF_MANAGED }), SYSTEM_FIXTURES],
    ['ProbeRules', new ProbeRules(chart(), 'p'), PROBE_FIXTURES],
  ];
}

function firingTest(name: string, alert: string, input: any[], evalTime: string, fires: boolean): any {
  return {
    name,
    interval: '1m',
    input_series: input,
    promql_expr_test: [{
      expr: `max(ALERTS{alertname=${JSON.stringify(alert)}, alertstate="firing"})`,
      eval_time: evalTime,
      exp_samples: fires ? [{ labels: '{}', value: 1 }] : [],
    }],
  };
}

/** The promtool cases of one pack's fixtures. */
export function casesOf(fixtures: AlertFixture[]): any[] {
  const out: any[] = [];
  fixtures.forEach((f, i) => {
    out.push(firingTest(`${f.alert} #${i} fires`, f.alert, f.fire, f.evalTime, true));
    out.push(firingTest(`${f.alert} #${i} healthy/edge`, f.alert, f.calm, f.evalTime, false));
    (f.moreCalm ?? []).forEach((c, j) => out.push(firingTest(`${f.alert} #${i} silent ${j}`, f.alert, c, f.evalTime, false)));
  });
  return out;
}

let total = 0;
const ONLY = process.env.LGTM_PACKS;
describe.each(packs().filter(([n]) => !ONLY || ONLY.split(',').includes(n)))('%s', (_name, pack, fixtures) => {
  test('every enabled alert has a fixture', () => {
    const enabled = pack.describeAlerts().filter((a) => a.enabled).map((a) => a.alert);
    expect(enabled.filter((a) => !fixtures.some((f) => f.alert === a))).toEqual([]);
    expect(fixtures.filter((f) => !enabled.includes(f.alert)).map((f) => f.alert)).toEqual([]);
  });

  test('promtool check rules and test rules', () => {
    const ruleFile = pack.toRuleFile();
    const check = checkRules(ruleFile);
    if (!check.ok) throw new Error(check.output);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-packs-'));
    try {
      fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify(ruleFile, { lineWidth: 0 }));
      const tests = casesOf(fixtures);
      total += tests.length;
      fs.writeFileSync(path.join(dir, 'tests.yaml'), YAML.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }, { lineWidth: 0 }));
      const r = runPromtool(['test', 'rules', path.join(dir, 'tests.yaml')]);
      if (!r.ok) throw new Error(r.output);
      expect(r.output).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  // the count the note reports: `promtool test rules` cases over every pack alert
  if (total > 0) process.stdout.write(`pack promtool cases: ${total}\n`);
});
