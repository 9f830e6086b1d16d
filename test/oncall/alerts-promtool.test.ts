/**
 * GrafanaOnCall's alerts through `promtool test rules` (the pinned promtool; `LGTM_ENGINES_BIN`): each
 * alert fires on a failing series and stays silent on a healthy one, and not before its pending period.
 * The rule file is the rendered PrometheusRule's spec, unchanged.
 */
import { Chart, Testing } from 'cdk8s';
import { Grafana } from '../../src/grafana';
import { GrafanaOnCall, OnCallDatabase, OnCallRedis } from '../../src/oncall';
import { find, synthApp } from '../harness';
import { AlertCase, checkRules, testRules } from '../rules/promtool';

function ruleFile(): any {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'monitoring' });
  const grafana = new Grafana(chart, 'Grafana', { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } });
  new GrafanaOnCall(chart, 'OnCall', {
    database: OnCallDatabase.postgres({ host: 'db', user: 'oncall', passwordSecret: { secretName: 'oncall-db', key: 'password' } }),
    redis: OnCallRedis.inCluster({ passwordSecret: { secretName: 'oncall-redis', key: 'password' } }),
    secret: { name: 'oncall' },
    grafana,
  });
  // the archived-upstream warning is printed at synth (tested in oncall.test.ts)
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return find(synthApp(app), 'PrometheusRule', 'oncall-alerts', 'monitoring').spec;
  } finally {
    warn.mockRestore();
  }
}

const RULES = ruleFile();
const labelsOf = (alert: string): Record<string, string> => RULES.groups[0].rules.find((r: any) => r.alert === alert).labels;

const UP = 'up{namespace="monitoring", job="oncall", pod="oncall-abc"}';
const CELERY = 'kube_deployment_status_replicas_available{namespace="monitoring", deployment="oncall-celery"}';
const JOB = 'kube_job_status_failed{namespace="monitoring", job_name="oncall-migrate"}';

const CASES: AlertCase[] = [
  { name: 'engine down fires after 5m', input: [{ series: UP, values: '0x15' }], evalTime: '10m', alertname: 'OnCallEngineDown', expected: [{ namespace: 'monitoring', job: 'oncall', pod: 'oncall-abc', ...labelsOf('OnCallEngineDown') }] },
  { name: 'engine down is pending at 4m', input: [{ series: UP, values: '0x15' }], evalTime: '4m', alertname: 'OnCallEngineDown', expected: [] },
  { name: 'engine up is silent', input: [{ series: UP, values: '1x15' }], evalTime: '10m', alertname: 'OnCallEngineDown', expected: [] },
  { name: 'engine not scraped fires (absent)', input: [{ series: 'up{namespace="monitoring", job="grafana"}', values: '1x15' }], evalTime: '10m', alertname: 'OnCallEngineDown', expected: [{ namespace: 'monitoring', job: 'oncall', ...labelsOf('OnCallEngineDown') }] },
  { name: 'no celery worker fires', input: [{ series: CELERY, values: '0x15' }], evalTime: '10m', alertname: 'OnCallCeleryWorkersUnavailable', expected: [{ namespace: 'monitoring', deployment: 'oncall-celery', ...labelsOf('OnCallCeleryWorkersUnavailable') }] },
  { name: 'one celery worker is silent (edge)', input: [{ series: CELERY, values: '1x15' }], evalTime: '10m', alertname: 'OnCallCeleryWorkersUnavailable', expected: [] },
  { name: 'a failed migration fires', input: [{ series: JOB, values: '1x5' }], evalTime: '3m', alertname: 'OnCallMigrationFailed', expected: [{ namespace: 'monitoring', job_name: 'oncall-migrate', ...labelsOf('OnCallMigrationFailed') }] },
  { name: 'a migration without failures is silent (edge)', input: [{ series: JOB, values: '0x5' }], evalTime: '3m', alertname: 'OnCallMigrationFailed', expected: [] },
];

test('the rendered rules pass promtool check rules', () => {
  const r = checkRules(RULES);
  expect(r.output).toContain('SUCCESS');
  expect(r.ok).toBe(true);
});

test(`every OnCall alert fires on failure and stays silent when healthy (${CASES.length} promtool cases, 3 alerts)`, () => {
  const alerts = new Set(CASES.map((c) => c.alertname));
  expect([...alerts].sort()).toEqual(RULES.groups[0].rules.map((r: any) => r.alert).sort());
  const r = testRules(RULES, CASES);
  expect(r.output).toContain('SUCCESS');
  expect(r.ok).toBe(true);
});
