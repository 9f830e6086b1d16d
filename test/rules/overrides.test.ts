import { Chart, Duration, Testing } from 'cdk8s';
import { Alertmanager, AlertMatcher, AlertReceiver } from '../../src/prometheus';
import { AlertSeverity, GoldenSignalsRules, KubernetesWorkloadRules, StackSelfMonitoringRules } from '../../src/rules';
import { find, synthApp } from '../harness';

function setup() {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'c', { namespace: 'monitoring' }) };
}

function alertOf(pack: { toRuleFile(): any }, name: string): any {
  for (const g of pack.toRuleFile().groups) for (const r of g.rules) if (r.alert === name) return r;
  return undefined;
}

describe('pack overrides', () => {
  test('severity, pending period, threshold, labels, annotations, runbook at construction', () => {
    const { chart } = setup();
    const pack = new KubernetesWorkloadRules(chart, 'w', {
      alertOverrides: {
        PodNotReady: { severity: AlertSeverity.CRITICAL, pendingFor: Duration.minutes(2), labels: { team: 'web' }, annotations: { dashboard: 'https://grafana/d/x' }, runbookUrl: 'https://runbooks.example.com/pod' },
        HighMemoryUsage: { threshold: 0.8 },
        KubePersistentVolumeFillingUpSoon: { thresholdValues: { freeRatio: 0.2, horizonHours: 48 } },
      },
      groupOverrides: { 'kubernetes-workloads': { interval: Duration.seconds(30) } },
    });
    const r = alertOf(pack, 'PodNotReady');
    expect(r).toMatchObject({ for: '2m', labels: { severity: 'critical', team: 'web' }, annotations: { runbook_url: 'https://runbooks.example.com/pod', dashboard: 'https://grafana/d/x' } });
    expect(alertOf(pack, 'HighMemoryUsage').expr).toMatch(/> 0.8$/);
    expect(alertOf(pack, 'HighMemoryUsage').annotations.description).toMatch(/above 80 % of its memory limit/);
    expect(alertOf(pack, 'KubePersistentVolumeFillingUpSoon').expr).toMatch(/< 0.2\nand\npredict_linear\(.*\[6h\], 48 \* 3600\) < 0/);
    expect(pack.toRuleFile().groups.find((g: any) => g.name === 'kubernetes-workloads').interval).toBe('30s');
  });

  test('after construction: overrides reach the synthesized object, merged over earlier ones', () => {
    const { app, chart } = setup();
    const pack = new KubernetesWorkloadRules(chart, 'w', { alertOverrides: { PodCrashLooping: { labels: { team: 'a' } } } });
    pack.overrideAlert('PodCrashLooping', { severity: AlertSeverity.CRITICAL, labels: { tier: 'web' } });
    pack.overrideGroup('kubernetes-apps', { interval: Duration.minutes(2) });
    pack.disableAlert('KubeHpaMaxedOut');
    const obj = find(synthApp(app), 'PrometheusRule', 'kubernetes-workloads', 'monitoring');
    const rules = obj.spec.groups.flatMap((g: any) => g.rules);
    expect(rules.find((x: any) => x.alert === 'PodCrashLooping').labels).toEqual({ severity: 'critical', team: 'a', tier: 'web' });
    expect(rules.some((x: any) => x.alert === 'KubeHpaMaxedOut')).toBe(false);
    expect(obj.spec.groups.find((g: any) => g.name === 'kubernetes-apps').interval).toBe('2m');
    expect(pack.describeAlerts().find((a) => a.alert === 'KubeHpaMaxedOut')!.enabled).toBe(false);
    pack.enableAlert('KubeHpaMaxedOut');
    expect(alertOf(pack, 'KubeHpaMaxedOut')).toBeDefined();
  });

  test('a group whose alerts are all disabled is not rendered', () => {
    const { chart } = setup();
    const pack = new KubernetesWorkloadRules(chart, 'w');
    for (const a of pack.describeAlerts().filter((x) => x.group === 'kubernetes-storage')) pack.disableAlert(a.alert);
    expect(pack.toRuleFile().groups.map((g: any) => g.name)).not.toContain('kubernetes-storage');
  });

  test('golden signals: each alert its own pending period and severity', () => {
    const { chart } = setup();
    const pack = new GoldenSignalsRules(chart, 'g', {
      serviceName: 'frontend',
      requestsMetric: 'frontend_requests_total',
      latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
      alertOverrides: {
        HighErrorRate: { pendingFor: Duration.minutes(2), threshold: 0.05 },
        HighLatency: { pendingFor: Duration.minutes(10), severity: AlertSeverity.INFO, threshold: 0.3 },
      },
    });
    expect(alertOf(pack, 'HighErrorRate')).toMatchObject({ for: '2m', labels: { severity: 'critical' } });
    expect(alertOf(pack, 'HighLatency')).toMatchObject({ for: '10m', labels: { severity: 'info' }, expr: 'service:frontend_request_duration_seconds:p99_5m{service="frontend"} > 0.3' });
    expect(alertOf(pack, 'HighErrorRate').annotations.description).toMatch(/for 2m\.$/);
  });

  test('runbookBaseUrl links every alert', () => {
    const { chart } = setup();
    const pack = new StackSelfMonitoringRules(chart, 's', { runbookBaseUrl: 'https://runbooks.example.com/stack/' });
    expect(alertOf(pack.prometheusRules!, 'PrometheusDown').annotations.runbook_url).toBe('https://runbooks.example.com/stack/PrometheusDown');
  });

  describe('bad input', () => {
    test('an unknown alert name fails with the nearest name', () => {
      const { chart } = setup();
      const pack = new KubernetesWorkloadRules(chart, 'w');
      expect(() => pack.overrideAlert('PodNotReddy', { severity: AlertSeverity.CRITICAL }))
        .toThrow(/\[c\/w\] KubernetesWorkloadRules has no alert 'PodNotReddy'. Received: "PodNotReddy"; expected: one of the pack's alerts: PodNotReady, .*Fix: did you mean 'PodNotReady'\?/);
      expect(() => new KubernetesWorkloadRules(chart, 'w2', { name: 'w2', alertOverrides: { HighMemoryUsag: { threshold: 0.8 } } }))
        .toThrow(/has no alert 'HighMemoryUsag'.*Fix: did you mean 'HighMemoryUsage'/);
      expect(() => pack.disableAlert('Nope')).toThrow(/has no alert 'Nope'/);
      expect(() => pack.overrideGroup('kubernetes-app', {})).toThrow(/has no rule group 'kubernetes-app'.*Fix: use 'kubernetes-apps'/);
    });

    test('a threshold outside its valid range fails', () => {
      const { chart } = setup();
      const pack = new KubernetesWorkloadRules(chart, 'w');
      for (const bad of [80, 0, 1, -0.1, NaN]) {
        expect(() => pack.overrideAlert('HighMemoryUsage', { threshold: bad }))
          .toThrow(/HighMemoryUsage: threshold 'memoryRatio' is outside its valid range. Received: .*; expected: ratio of the working set to the memory limit, 0 < x < 1 \(default 0.9\). Fix: pass a ratio, not a percentage/);
      }
      expect(() => pack.overrideAlert('KubeJobNotCompleted', { threshold: -5 })).toThrow(/threshold 'maxRuntimeSeconds' is outside its valid range/);
      expect(() => pack.overrideAlert('PodCrashLooping', { threshold: 2 })).toThrow(/'threshold' is for alerts with exactly one threshold; PodCrashLooping has none/);
      expect(() => pack.overrideAlert('KubePersistentVolumeFillingUpSoon', { threshold: 0.2 })).toThrow(/use thresholdValues: \{ freeRatio: 0.2 \}/);
      expect(() => pack.overrideAlert('KubePersistentVolumeFillingUpSoon', { thresholdValues: { freeRatios: 0.2 } })).toThrow(/has no threshold 'freeRatios'.*Fix: use 'freeRatio'/);
    });

    test('invalid override labels, pending period and runbook fail', () => {
      const { chart } = setup();
      const pack = new KubernetesWorkloadRules(chart, 'w');
      expect(() => pack.overrideAlert('PodNotReady', { labels: { severity: 'page' } })).toThrow(/label 'severity' is set through the 'severity' prop/);
      expect(() => pack.overrideAlert('PodNotReady', { labels: { 'bad-name': 'x' } })).toThrow(/invalid label name 'bad-name'/);
      expect(() => pack.overrideAlert('PodNotReady', { pendingFor: Duration.minutes(0) })).toThrow(/pendingFor' must be a positive duration/);
      expect(() => pack.overrideAlert('PodNotReady', { runbookUrl: 'runbooks/pod' })).toThrow(/'runbookUrl' is not an http\(s\) URL/);
      expect(() => pack.overrideAlert('PodNotReady', { severity: 'page' as AlertSeverity })).toThrow(/'severity' is not an AlertSeverity/);
      expect(() => pack.overrideGroup('kubernetes-apps', { interval: Duration.seconds(0) })).toThrow(/interval' must be a positive duration/);
      // a failed override leaves the alert as it was
      expect(alertOf(pack, 'PodNotReady').labels).toEqual({ severity: 'warning' });
    });

    test('a severity no Alertmanager route handles fails at synth when the routes split by severity', () => {
      const { app, chart } = setup();
      const pager = AlertReceiver.pagerDuty('pager', { routingKey: { secretName: 'pd', key: 'key' } });
      const team = AlertReceiver.webhook('team', { url: { secretName: 'hook', key: 'url' } });
      new Alertmanager(chart, 'am', {
        defaultReceiver: team,
        receivers: [pager],
        routes: [
          { receiver: pager, matchers: [AlertMatcher.eq('severity', 'critical')] },
          { receiver: team, matchers: [AlertMatcher.regex('severity', 'warning')] },
        ],
      });
      const pack = new KubernetesWorkloadRules(chart, 'w');
      expect(() => app.synth()).toThrow(/severity 'info' of 2 alert\(s\) of this pack \(CPUThrottlingHigh, KubeQuotaAlmostFull\) has no route in Alertmanager c\/am, which routes by severity. Received: routes matching severity="critical", severity=~"warning"; expected: a route whose severity matcher matches 'info'.*Fix: add a route/);
      pack.overrideAlert('CPUThrottlingHigh', { severity: AlertSeverity.WARNING });
      pack.disableAlert('KubeQuotaAlmostFull');
      expect(() => app.synth()).not.toThrow();
    });

    test('a severity route that continues to the default receiver needs no route per severity', () => {
      const { app, chart } = setup();
      const slack = AlertReceiver.slack('slack', { apiUrl: { secretName: 's', key: 'url' } });
      const oncall = AlertReceiver.webhook('oncall', { url: { secretName: 'o', key: 'url' } });
      new Alertmanager(chart, 'am', { defaultReceiver: oncall, receivers: [slack], routes: [{ receiver: slack, matchers: [AlertMatcher.eq('severity', 'critical')], continueMatching: true }] });
      new KubernetesWorkloadRules(chart, 'w');
      expect(() => app.synth()).not.toThrow();
    });
  });
});
