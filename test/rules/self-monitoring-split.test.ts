/**
 * StackSelfMonitoringRules as one checked pack per component: parts, stable alert names, overrides
 * routed by alert name, parts switched off, the provenance check per part, and watchComponent.
 */
import { App, Chart, Duration, Testing } from 'cdk8s';
import { Alertmanager, AlertReceiver, KubeletMonitor, Prometheus, PrometheusOperator, PrometheusOperatorCrds } from '../../src/prometheus';
import {
  AlertSeverity, AlertmanagerSelfMonitoringRules, PrometheusOperatorSelfMonitoringRules, PrometheusSelfMonitoringRules,
  StackComponentRules, StackSelfMonitoringRules, StackVolumeRules,
} from '../../src/rules';

const chart = () => new Chart(Testing.app(), 'c', { namespace: 'monitoring' });
const component = (app: string, svc: string, ns = 'monitoring'): any =>
  ({ node: { path: `fake/${svc}` }, labels: { 'app.kubernetes.io/name': app }, service: { name: svc, namespace: ns } });
const alertOf = (pack: { toRuleFile(): any }, name: string) =>
  pack.toRuleFile().groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === name);

/** The alert names the single pack had (docs/ALERTS.md and dashboards refer to them). */
const STABLE = [
  'PrometheusDown', 'AlertmanagerDown', 'PrometheusOperatorDown', 'PrometheusRuleEvaluationFailures', 'PrometheusNotificationsFailing',
  'PrometheusNotConnectedToAlertmanagers', 'AlertmanagerNotificationsFailing', 'PrometheusConfigReloadFailed', 'AlertmanagerConfigReloadFailed',
  'PrometheusOperatorReconcileErrors', 'PrometheusTSDBCompactionsFailing', 'PrometheusSDRefreshFailure', 'PrometheusKubernetesListWatchFailures',
  'PrometheusNotificationQueueRunningFull', 'PrometheusNotIngestingSamples', 'PrometheusMissingRuleEvaluations', 'PrometheusTargetLimitHit',
  'PrometheusScrapeSampleLimitHit', 'PrometheusTSDBReloadsFailing', 'PrometheusRemoteWriteFailures', 'AlertmanagerClusterMembersInconsistent',
  'PrometheusOperatorSyncFailed', 'PrometheusOperatorRejectedResources', 'PrometheusOperatorWatchErrors', 'StackVolumeFillingUp', 'StackVolumeAlmostFull',
];

describe('StackSelfMonitoringRules parts', () => {
  test('one PrometheusRule per part, every former alert name kept, one group per part', () => {
    const c = chart();
    const rules = new StackSelfMonitoringRules(c, 'self', { components: [component('loki', 'loki'), component('grafana', 'grafana')] });
    expect(rules.packs.map((p) => [p.constructor.name, p.name, p.groupNames])).toEqual([
      ['PrometheusSelfMonitoringRules', 'lgtm-stack-self-monitoring-prometheus', ['lgtm-stack.prometheus']],
      ['AlertmanagerSelfMonitoringRules', 'lgtm-stack-self-monitoring-alertmanager', ['lgtm-stack.alertmanager']],
      ['PrometheusOperatorSelfMonitoringRules', 'lgtm-stack-self-monitoring-operator', ['lgtm-stack.prometheus-operator']],
      ['StackVolumeRules', 'lgtm-stack-self-monitoring-volumes', ['lgtm-stack.storage']],
      ['StackComponentRules', 'lgtm-stack-self-monitoring-loki', ['lgtm-stack.loki']],
      ['StackComponentRules', 'lgtm-stack-self-monitoring-grafana', ['lgtm-stack.grafana']],
    ]);
    expect(rules.alertNames).toEqual(expect.arrayContaining([...STABLE, 'LokiDown', 'GrafanaDown', 'GrafanaRequestErrors']));
    expect(new Set(rules.alertNames).size).toBe(rules.alertNames.length);
    expect(rules.packs.every((p) => p.namespace === 'monitoring')).toBe(true);
    expect(rules.describeAlerts().map((a) => a.alert)).toEqual(rules.alertNames);
  });

  test('each part stands alone, with its job and namespace', () => {
    const c = chart();
    expect(new PrometheusSelfMonitoringRules(c, 'p', { job: 'prom', stackNamespace: 'obs' }).selector).toBe('job="prom", namespace="obs"');
    expect(new AlertmanagerSelfMonitoringRules(c, 'a').selector).toBe('job="alertmanager", namespace="monitoring"');
    const op = new PrometheusOperatorSelfMonitoringRules(c, 'o', { alertOverrides: { PrometheusOperatorDown: { severity: AlertSeverity.CRITICAL } } });
    expect(alertOf(op, 'PrometheusOperatorDown').labels.severity).toBe('critical');
    expect(alertOf(new StackVolumeRules(c, 'v', { stackNamespace: 'data' }), 'StackVolumeAlmostFull').expr).toContain('namespace="data"');
    expect(() => new PrometheusSelfMonitoringRules(c, 'bad', { job: '' })).toThrow(/\[c\/bad\] 'job' is empty\. Received: ""; expected: the job label of the component's targets, e\.g\. "prometheus"/);
  });

  test('overrides reach the part that has the alert, at construction and later', () => {
    const rules = new StackSelfMonitoringRules(chart(), 'self', {
      alertOverrides: { AlertmanagerDown: { pendingFor: Duration.minutes(2) }, StackVolumeAlmostFull: { threshold: 0.05 } },
      groupOverrides: { 'lgtm-stack.storage': { interval: Duration.seconds(30) } },
      runbookBaseUrl: 'https://runbooks.example.com',
    });
    expect(alertOf(rules.alertmanagerRules!, 'AlertmanagerDown').for).toBe('2m');
    expect(alertOf(rules.volumeRules!, 'StackVolumeAlmostFull').expr).toContain('< 0.05');
    expect(rules.volumeRules!.toRuleFile().groups[0].interval).toBe('30s');
    expect(alertOf(rules.operatorRules!, 'PrometheusOperatorDown').annotations.runbook_url).toBe('https://runbooks.example.com/PrometheusOperatorDown');
    rules.disableAlert('PrometheusTargetLimitHit');
    expect(alertOf(rules.prometheusRules!, 'PrometheusTargetLimitHit')).toBeUndefined();
    rules.enableAlert('PrometheusTargetLimitHit');
    rules.overrideAlert('PrometheusHighQueryLoad', { threshold: 0.9, severity: AlertSeverity.CRITICAL });
    expect(alertOf(rules.prometheusRules!, 'PrometheusHighQueryLoad')).toMatchObject({ labels: { severity: 'critical' } });
    expect(alertOf(rules.prometheusRules!, 'PrometheusHighQueryLoad').expr).toMatch(/> 0\.9$/);
  });

  test('bad input: an unknown alert or group (nearest name), an override of a part that is off', () => {
    const rules = new StackSelfMonitoringRules(chart(), 'self', { alertmanagerAlerts: false });
    expect(() => rules.overrideAlert('PrometheusDwn', {})).toThrow(/\[c\/self\] StackSelfMonitoringRules has no alert 'PrometheusDwn'\. Received: "PrometheusDwn"; expected: one of the pack's alerts: PrometheusDown, .*Fix: did you mean 'PrometheusDown'\?/);
    expect(() => rules.overrideGroup('lgtm-stack.storag', {})).toThrow(/has no rule group 'lgtm-stack\.storag'.*Fix: use 'lgtm-stack\.storage'/);
    expect(rules.alertmanagerRules).toBeUndefined();
    expect(() => rules.disableAlert('AlertmanagerDown')).toThrow(/has no alert 'AlertmanagerDown'/);
    expect(() => new StackSelfMonitoringRules(chart(), 'x', { alertOverrides: { StackVolumeAlmostFull: { threshold: 3 } } }))
      .toThrow(/StackVolumeAlmostFull: threshold 'freeRatio' is outside its valid range/);
    expect(() => new StackSelfMonitoringRules(chart(), 'y', { stackNamespace: 'Bad_NS' })).toThrow(/stackNamespace/);
  });

  test('watchComponent: a pack per kind, a second component of a kind widens its alerts; other constructs fail', () => {
    const rules = new StackSelfMonitoringRules(chart(), 'self');
    rules.watchComponent(component('alloy', 'alloy-logs'));
    rules.watchComponent(component('alloy', 'alloy-collector'));
    rules.watchComponent(component('alloy', 'alloy-collector'));
    const alloy = rules.packs.find((p) => p.groupNames.includes('lgtm-stack.alloy')) as StackComponentRules;
    expect(alloy.componentKind).toBe('alloy');
    expect(alertOf(alloy, 'AlloyDown').expr.match(/absent/g)).toHaveLength(2);
    expect(alertOf(alloy, 'AlloyComponentsUnhealthy').expr).toContain('service=~"alloy-collector(-.*)?"');
    expect(() => rules.watchComponent(component('mimir', 'mimir')))
      .toThrow(/the self-monitoring rules got a component they have no alerts for\. Received: fake\/mimir \(app\.kubernetes\.io\/name "mimir"\); expected: a component with a Service and a ServiceMonitor: Loki, Tempo, Grafana, Alloy/);
    const loki = new StackComponentRules(chart(), 'loki', { component: component('loki', 'loki') });
    expect(() => loki.watch(component('tempo', 'tempo'))).toThrow(/watch\(\) got a Tempo, but this pack watches Loki components/);
    expect(() => new StackComponentRules(chart(), 'none', { component: component('prometheus', 'prometheus') })).toThrow(/\[c\/none\] the self-monitoring rules got a component/);
  });
});

describe('each part is checked at synth like the other packs', () => {
  function app(extra: (c: Chart, prometheus: Prometheus) => void) {
    const a = new App();
    new PrometheusOperatorCrds(new Chart(a, 'crds'), 'Crds');
    const c = new Chart(a, 'mon', { namespace: 'monitoring' });
    const prometheus = new Prometheus(c, 'Prometheus', { namespace: 'monitoring' });
    new PrometheusOperator(c, 'Operator', { namespace: 'monitoring' });
    new KubeletMonitor(c, 'Kubelet', { namespace: 'monitoring' });
    extra(c, prometheus);
    return a;
  }

  test('without an Alertmanager, its part fails the synth naming the construct to add', () => {
    const a = app((c) => new StackSelfMonitoringRules(c, 'Self'));
    expect(() => a.synth()).toThrow(/\[mon\/Self\/Alertmanager\] alert "AlertmanagerNotificationsFailing" of group "lgtm-stack\.alertmanager" queries alertmanager_notifications_failed_total, which no scraped target in the app produces: the rule never sees a series \(an alert on it can never fire\)\.[\s\S]*Fix: add Alertmanager \(with its ServiceMonitor, the default\) to the app, or remove the pack/);
  });

  test('with the part switched off, or with an Alertmanager, the synth passes', () => {
    expect(() => app((c) => new StackSelfMonitoringRules(c, 'Self', { alertmanagerAlerts: false })).synth()).not.toThrow();
    const withAm = app((c, prometheus) => {
      const r = AlertReceiver.webhook('hook', { url: { secretName: 'hook', key: 'url' } });
      prometheus.addAlertmanager(new Alertmanager(c, 'Alertmanager', { namespace: 'monitoring', defaultReceiver: r, receivers: [r] }));
      new StackSelfMonitoringRules(c, 'Self');
    });
    expect(() => withAm.synth()).not.toThrow();
  });

  test('a watched component that is not scraped fails its part', () => {
    const a = app((c) => new StackSelfMonitoringRules(c, 'Self', { alertmanagerAlerts: false, components: [component('grafana', 'grafana')] }));
    expect(() => a.synth()).toThrow(/\[mon\/Self\/Grafana\] alert "GrafanaRequestErrors" of group "lgtm-stack\.grafana" queries grafana_http_request_duration_seconds_count[\s\S]*Fix: add Grafana \(with its ServiceMonitor, the default\) to the app/);
  });
});
