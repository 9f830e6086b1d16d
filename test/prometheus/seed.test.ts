import { Testing } from 'cdk8s';
import { buildSeedFrontend } from '../../examples/seed-frontend';
import { find, K8sObject, promqlErrors, restrictedViolations, schemaErrors, synthApp, YAML } from '../harness';
import { amtoolCheckConfig } from './amtool';
import { configTexts, kubeletServiceObject, monitorSelectionErrors } from './selection';

let objs: K8sObject[];
beforeAll(() => {
  const app = Testing.app();
  buildSeedFrontend(app);
  objs = synthApp(app);
});

test('seed: schema, Pod Security, PromQL all clean', () => {
  expect(schemaErrors(objs)).toEqual([]);
  expect(restrictedViolations(objs)).toEqual([]);
  expect(promqlErrors(objs)).toEqual([]);
});

test('seed: the frontend ServiceMonitor and every rule are selected by the emitted Prometheus; ports exist', () => {
  // the kubelet Service is maintained by the operator of dist/reference/ (not part of this app)
  expect(monitorSelectionErrors(objs, [kubeletServiceObject('kube-system', 'kubelet')])).toEqual([]);
  expect(monitorSelectionErrors(objs)).toEqual([expect.stringMatching(/ServiceMonitor seed-monitoring\/kubelet: selects no emitted Service in kube-system/)]);
  const sm = find(objs, 'ServiceMonitor', 'frontend', 'dev');
  expect(sm.spec.selector.matchLabels).toEqual({ 'tier': 'web', 'app.kubernetes.io/name': 'frontend' });
  expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', scheme: 'http', interval: '15s' }]);
  expect(find(objs, 'Service', 'frontend', 'dev').metadata.labels.tier).toBe('web');
});

test('seed: the required alerts exist', () => {
  const alerts = objs.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert))).filter(Boolean);
  for (const a of ['PodNotReady', 'PodCrashLooping', 'HighMemoryUsage', 'HighErrorRate']) expect(alerts).toContain(a);
  expect(alerts.some((a: string) => /burn/i.test(a) || /ErrorBudget/i.test(a))).toBe(true);
});

test('seed: critical alerts route to Slack with the webhook URL from a Secret; amtool accepts the config', () => {
  const secret = find(objs, 'Secret', 'alertmanager-config', 'seed-monitoring');
  const cfg = Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString();
  const parsed = YAML.parse(cfg);
  // critical to Slack; the packs' other severities to the team webhook (every severity has its route)
  expect(parsed.route.routes).toEqual([
    { receiver: 'slack-critical', matchers: ['severity="critical"'] },
    { receiver: 'team-webhook', matchers: ['severity=~"warning|info"'] },
  ]);
  expect(parsed.receivers[0].slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/alertmanager-slack/webhook-url');
  expect(find(objs, 'Alertmanager', 'alertmanager', 'seed-monitoring').spec.secrets).toEqual(['alertmanager-slack', 'alertmanager-team-webhook']);
  expect(configTexts(objs).join('\n')).not.toMatch(/hooks\.slack\.com|api_url:|\burl: /);
  const res = amtoolCheckConfig(cfg);
  if (!res.ok) throw new Error(res.output);
  expect(res.output).toMatch(/SUCCESS/);
});
