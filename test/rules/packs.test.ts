import { Chart, Duration, Testing } from 'cdk8s';
import { AlertSeverity, GoldenSignalsRules, KubernetesWorkloadRules, PrometheusRule, StackSelfMonitoringRules } from '../../src/rules';
import { find, promqlErrors, schemaErrors, synthApp } from '../harness';
import { AlertCase, checkRules, testRules } from './promtool';

function newChart(namespace = 'dev') {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'rules', { namespace }) };
}

/** promtool check rules + test rules, with the output in the failure message. */
function expectPromtool(rule: PrometheusRule, cases: AlertCase[]): void {
  const check = checkRules(rule.toRuleFile());
  if (!check.ok) throw new Error(`promtool check rules failed:\n${check.output}`);
  const t = testRules(rule.toRuleFile(), cases);
  if (!t.ok) throw new Error(`promtool test rules failed:\n${t.output}`);
  expect(t.output).toMatch(/SUCCESS/);
}

/** Every alert named in the cases must appear in a firing case and in a silent case (pack-promtool.test.ts covers every alert). */
function expectEveryAlertCovered(rule: PrometheusRule, cases: AlertCase[]): void {
  const alerts = new Set<string>(rule.toRuleFile().groups.flatMap((g: any) => g.rules.filter((r: any) => r.alert).map((r: any) => r.alert)));
  for (const a of [...alerts].filter((x) => cases.some((c) => c.alertname === x))) {
    expect(cases.some((c) => c.alertname === a && c.expected.length > 0)).toBe(true);
    expect(cases.some((c) => c.alertname === a && c.expected.length === 0)).toBe(true);
  }
}

describe('GoldenSignalsRules', () => {
  const seed = () => {
    const { app, chart } = newChart();
    const rules = new GoldenSignalsRules(chart, 'frontend', {
      serviceName: 'frontend',
      requestsMetric: 'frontend_requests_total',
      latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
    });
    return { app, rules };
  };

  test('exposes what a dashboard generator needs', () => {
    const { rules } = seed();
    expect({
      serviceName: rules.serviceName,
      requestsMetric: rules.requestsMetric,
      latencyBucketMetric: rules.latencyBucketMetric,
      selector: rules.selector,
      errorMatcher: rules.errorMatcher,
      recordedSelector: rules.recordedSelector,
      recordedRequestRate: rules.recordedRequestRate,
      recordedErrorRatio: rules.recordedErrorRatio,
      recordedLatencyP99: rules.recordedLatencyP99,
      errorRatioThreshold: rules.errorRatioThreshold,
      latencyThresholdSeconds: rules.latencyThresholdSeconds,
      name: rules.name,
      namespace: rules.namespace,
    }).toEqual({
      serviceName: 'frontend',
      requestsMetric: 'frontend_requests_total',
      latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
      selector: 'job="frontend"',
      errorMatcher: 'code=~"5.."',
      recordedSelector: 'service="frontend"',
      recordedRequestRate: 'service:frontend_requests:rate5m',
      recordedErrorRatio: 'service:frontend_requests_errors:ratio_rate5m',
      recordedLatencyP99: 'service:frontend_request_duration_seconds:p99_5m',
      errorRatioThreshold: '0.05',
      latencyThresholdSeconds: '0.5',
      name: 'frontend-golden-signals',
      namespace: 'dev',
    });
  });

  test('renders request rate, error ratio and p99 records, and both alerts', () => {
    const { app, rules } = seed();
    const objs = synthApp(app);
    const obj = find(objs, 'PrometheusRule', 'frontend-golden-signals', 'dev');
    const byName = Object.fromEntries(obj.spec.groups[0].rules.map((r: any) => [r.record ?? r.alert, r]));
    expect(byName['service:frontend_requests:rate5m'].expr).toBe('sum(rate(frontend_requests_total{job="frontend"}[5m]))');
    expect(byName['service:frontend_requests_errors:ratio_rate5m'].expr)
      .toBe('sum(rate(frontend_requests_total{job="frontend", code=~"5.."}[5m]))\n/\nsum(rate(frontend_requests_total{job="frontend"}[5m]))');
    expect(byName['service:frontend_request_duration_seconds:p99_5m'].expr)
      .toBe('histogram_quantile(0.99, sum by (le) (rate(frontend_request_duration_seconds_bucket{job="frontend"}[5m])))');
    expect(byName.HighErrorRate).toMatchObject({ expr: 'service:frontend_requests_errors:ratio_rate5m{service="frontend"} > 0.05', for: '5m', labels: { severity: 'critical', service: 'frontend' } });
    expect(byName.HighLatency).toMatchObject({ expr: 'service:frontend_request_duration_seconds:p99_5m{service="frontend"} > 0.5', for: '5m', labels: { severity: 'warning' } });
    expect(schemaErrors(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
    expect(rules.toRuleFile().groups[0].name).toBe('frontend.golden-signals');
  });

  test('thresholds, selector and severities are configurable, and rendered exactly', () => {
    const { chart } = newChart();
    const rules = new GoldenSignalsRules(chart, 'api', {
      serviceName: 'api',
      requestsMetric: 'http_requests_total',
      latencyBucketMetric: 'http_request_duration_seconds_bucket',
      selector: 'namespace="prod", service="api"',
      errorMatcher: 'status=~"5..|429"',
      errorRatioThreshold: 0.03, // 0.03 * 100 is 3.0000000000000004 in binary floating point
      latencyThreshold: Duration.millis(300),
      errorRateSeverity: AlertSeverity.WARNING,
      runbookBaseUrl: 'https://runbooks.example.com/',
    });
    const r = rules.toRuleFile().groups[0].rules;
    expect(r[1].expr).toContain('http_requests_total{namespace="prod", service="api", status=~"5..|429"}');
    expect(r[3].expr).toBe('service:http_requests_errors:ratio_rate5m{service="api"} > 0.03');
    expect(r[3].annotations.description).toMatch(/^More than 3 % of the requests/);
    expect(r[3].labels.severity).toBe('warning');
    expect(r[3].annotations.runbook_url).toBe('https://runbooks.example.com/HighErrorRate');
    expect(r[4].expr).toBe('service:http_request_duration_seconds:p99_5m{service="api"} > 0.3');
  });

  test('promtool: every alert fires on a failing series and stays silent on a healthy one', () => {
    const { rules } = seed();
    const labels = { service: 'frontend' };
    const req = (code: string, values: string) => ({ series: `frontend_requests_total{job="frontend", code="${code}"}`, values });
    const bucket = (le: string, values: string) => ({ series: `frontend_request_duration_seconds_bucket{job="frontend", le="${le}"}`, values });
    const cases: AlertCase[] = [
      { name: 'error ratio 10 %', input: [req('200', '0+90x30'), req('500', '0+10x30')], evalTime: '20m', alertname: 'HighErrorRate', expected: [{ ...labels, severity: 'critical' }] },
      { name: 'error ratio 1 %', input: [req('200', '0+99x30'), req('500', '0+1x30')], evalTime: '20m', alertname: 'HighErrorRate', expected: [] },
      { name: 'no 5xx series at all', input: [req('200', '0+99x30')], evalTime: '20m', alertname: 'HighErrorRate', expected: [] },
      { name: 'error ratio 10 % for less than 5m', input: [req('200', '0+90x30'), req('500', '0x20 0+10x10')], evalTime: '24m', alertname: 'HighErrorRate', expected: [] },
      { name: 'p99 ~0.99s', input: [bucket('0.1', '0x30'), bucket('1', '0+100x30'), bucket('+Inf', '0+100x30')], evalTime: '20m', alertname: 'HighLatency', expected: [{ ...labels, severity: 'warning' }] },
      { name: 'p99 ~0.1s', input: [bucket('0.1', '0+100x30'), bucket('1', '0+100x30'), bucket('+Inf', '0+100x30')], evalTime: '20m', alertname: 'HighLatency', expected: [] },
    ];
    expectEveryAlertCovered(rules, cases);
    expectPromtool(rules, cases);
  });

  test('promtool: annotation templates render ($value, humanizePercentage, runbook link)', () => {
    const { chart } = newChart();
    const rules = new GoldenSignalsRules(chart, 'frontend', {
      serviceName: 'frontend',
      requestsMetric: 'frontend_requests_total',
      latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
      runbookBaseUrl: 'https://runbooks.example.com/frontend',
    });
    const req = (code: string, values: string) => ({ series: `frontend_requests_total{job="frontend", code="${code}"}`, values });
    const t = testRules(rules.toRuleFile(), [{
      name: 'error ratio 10 % with annotations',
      input: [req('200', '0+90x30'), req('500', '0+10x30')],
      evalTime: '20m',
      alertname: 'HighErrorRate',
      expected: [{ service: 'frontend', severity: 'critical' }],
      expectedAnnotations: [{
        summary: 'frontend: 10% of requests fail',
        description: 'More than 5 % of the requests of frontend (code=~"5..") failed over 5m for 5m.',
        runbook_url: 'https://runbooks.example.com/frontend/HighErrorRate',
      }],
    }]);
    if (!t.ok) throw new Error(t.output);
  });

  describe('bad input', () => {
    test('fails on a latency metric that is not a _bucket series', () => {
      const { chart } = newChart();
      expect(() => new GoldenSignalsRules(chart, 'x', { serviceName: 'x', requestsMetric: 'x_total', latencyBucketMetric: 'x_duration_seconds' }))
        .toThrow(/'latencyBucketMetric' is not a valid metric name ending in '_bucket'. Received: "x_duration_seconds"/);
    });
    test('fails on a selector that is not a matcher list', () => {
      const { chart } = newChart();
      expect(() => new GoldenSignalsRules(chart, 'x', { serviceName: 'x', requestsMetric: 'x_total', latencyBucketMetric: 'x_bucket', selector: '{job="x"}' }))
        .toThrow(/'selector' is not a list of PromQL label matchers/);
      expect(() => new GoldenSignalsRules(chart, 'y', { serviceName: 'y', requestsMetric: 'x_total', latencyBucketMetric: 'x_bucket', errorMatcher: 'code=5xx' }))
        .toThrow(/'errorMatcher' is not a list of PromQL label matchers/);
    });
    test('fails on an error ratio given as a percentage', () => {
      const { chart } = newChart();
      expect(() => new GoldenSignalsRules(chart, 'x', { serviceName: 'x', requestsMetric: 'x_total', latencyBucketMetric: 'x_bucket', errorRatioThreshold: 5 }))
        .toThrow(/'errorRatioThreshold' must be between 0 and 1 \(exclusive\). Received: 5/);
    });
    test('fails on a zero latency threshold or pendingFor', () => {
      const { chart } = newChart();
      expect(() => new GoldenSignalsRules(chart, 'x', { serviceName: 'x', requestsMetric: 'x_total', latencyBucketMetric: 'x_bucket', latencyThreshold: Duration.millis(0) }))
        .toThrow(/'latencyThreshold' must be a positive duration/);
      expect(() => new GoldenSignalsRules(chart, 'y', { serviceName: 'y', requestsMetric: 'x_total', latencyBucketMetric: 'x_bucket', pendingFor: Duration.minutes(0) }))
        .toThrow(/'pendingFor' must be a positive duration/);
    });
  });
});

describe('KubernetesWorkloadRules', () => {
  const ksm = 'job="kube-state-metrics", namespace="dev", pod="web-1"';
  const cases: AlertCase[] = [
    {
      name: 'pod not ready',
      alertname: 'PodNotReady',
      evalTime: '30m',
      expected: [{ namespace: 'dev', pod: 'web-1', severity: 'warning' }],
      input: [{ series: `kube_pod_status_ready{${ksm}, condition="false"}`, values: '1x40' }, { series: `kube_pod_status_ready{${ksm}, condition="true"}`, values: '0x40' }],
    },
    {
      name: 'ready pod and completed job pod',
      alertname: 'PodNotReady',
      evalTime: '30m',
      expected: [],
      input: [
        { series: `kube_pod_status_ready{${ksm}, condition="true"}`, values: '1x40' },
        { series: `kube_pod_status_ready{${ksm}, condition="false"}`, values: '0x40' },
        { series: 'kube_pod_status_ready{job="kube-state-metrics", namespace="dev", pod="migrate-x", condition="false"}', values: '1x40' },
        { series: 'kube_pod_status_phase{job="kube-state-metrics", namespace="dev", pod="migrate-x", phase="Succeeded"}', values: '1x40' },
      ],
    },
    {
      name: 'pod never scheduled (Pending, no Ready condition)',
      alertname: 'PodNotReady',
      evalTime: '30m',
      expected: [{ namespace: 'dev', pod: 'web-2', severity: 'warning' }],
      input: [
        { series: 'kube_pod_status_phase{job="kube-state-metrics", namespace="dev", pod="web-2", phase="Pending"}', values: '1x40' },
        { series: 'kube_pod_status_phase{job="kube-state-metrics", namespace="dev", pod="web-2", phase="Running"}', values: '0x40' },
      ],
    },
    {
      name: 'running pod (phase series present)',
      alertname: 'PodNotReady',
      evalTime: '30m',
      expected: [],
      input: [
        { series: 'kube_pod_status_phase{job="kube-state-metrics", namespace="dev", pod="web-2", phase="Pending"}', values: '0x40' },
        { series: 'kube_pod_status_phase{job="kube-state-metrics", namespace="dev", pod="web-2", phase="Running"}', values: '1x40' },
        { series: 'kube_pod_status_ready{job="kube-state-metrics", namespace="dev", pod="web-2", condition="true"}', values: '1x40' },
      ],
    },
    {
      name: 'pod not ready for less than 15m',
      alertname: 'PodNotReady',
      evalTime: '30m',
      expected: [],
      input: [{ series: `kube_pod_status_ready{${ksm}, condition="false"}`, values: '0x20 1x20' }],
    },
    {
      name: 'crash looping',
      alertname: 'PodCrashLooping',
      evalTime: '30m',
      input: [{ series: `kube_pod_container_status_waiting_reason{${ksm}, container="app", reason="CrashLoopBackOff"}`, values: '1x40' }],
      expected: [{ job: 'kube-state-metrics', namespace: 'dev', pod: 'web-1', container: 'app', reason: 'CrashLoopBackOff', severity: 'warning' }],
    },
    {
      name: 'not crash looping',
      alertname: 'PodCrashLooping',
      evalTime: '30m',
      expected: [],
      input: [{ series: `kube_pod_container_status_waiting_reason{${ksm}, container="app", reason="CrashLoopBackOff"}`, values: '0x40' }],
    },
    {
      name: 'memory at 95 % of the limit',
      alertname: 'HighMemoryUsage',
      evalTime: '30m',
      input: [
        { series: 'container_memory_working_set_bytes{job="kubelet", namespace="dev", pod="web-1", container="app", image="web:1"}', values: '950x40' },
        { series: 'container_memory_working_set_bytes{job="kubelet", namespace="dev", pod="web-1", container="", image=""}', values: '990x40' },
        { series: `kube_pod_container_resource_limits{${ksm}, container="app", resource="memory", unit="byte"}`, values: '1000x40' },
      ],
      expected: [{ namespace: 'dev', pod: 'web-1', container: 'app', severity: 'warning' }],
    },
    {
      name: 'memory at 50 % of the limit',
      alertname: 'HighMemoryUsage',
      evalTime: '30m',
      expected: [],
      input: [
        { series: 'container_memory_working_set_bytes{job="kubelet", namespace="dev", pod="web-1", container="app", image="web:1"}', values: '500x40' },
        { series: `kube_pod_container_resource_limits{${ksm}, container="app", resource="memory", unit="byte"}`, values: '1000x40' },
      ],
    },
    {
      name: 'no memory limit',
      alertname: 'HighMemoryUsage',
      evalTime: '30m',
      expected: [],
      input: [{ series: 'container_memory_working_set_bytes{job="kubelet", namespace="dev", pod="web-1", container="app", image="web:1"}', values: '5000x40' }],
    },
  ];

  test('promtool: every alert fires on a failing series and stays silent on a healthy one', () => {
    const { app, chart } = newChart('monitoring');
    const rules = new KubernetesWorkloadRules(chart, 'workloads');
    expectEveryAlertCovered(rules, cases);
    expectPromtool(rules, cases);
    const objs = synthApp(app);
    expect(find(objs, 'PrometheusRule', 'kubernetes-workloads', 'monitoring')).toBeDefined();
    expect(schemaErrors(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
  });

  test('managed-cluster safe: no control-plane metrics', () => {
    const { chart } = newChart();
    const text = JSON.stringify(new KubernetesWorkloadRules(chart, 'w').toRuleFile());
    for (const cp of ['scheduler', 'controller_manager', 'etcd', 'apiserver', 'kube-proxy']) expect(text).not.toContain(cp);
  });

  test('namespace-scoped: alerts only for the watched namespaces', () => {
    const { chart } = newChart();
    const rules = new KubernetesWorkloadRules(chart, 'w', { watchNamespaces: ['prod'], memoryThreshold: 0.8, pendingFor: Duration.minutes(10) });
    expect(rules.namespaceMatcher).toBe('namespace="prod"');
    expect(new KubernetesWorkloadRules(chart, 'w2', { name: 'w2', watchNamespaces: ['a', 'b'] }).namespaceMatcher).toBe('namespace=~"a|b"');
    const ruleFile = rules.toRuleFile();
    expect(ruleFile.groups[0].rules[2].expr).toMatch(/> 0.8$/);
    expect(ruleFile.groups[0].rules[0].for).toBe('10m');
    const scoped: AlertCase[] = [
      { ...cases[0], name: 'not ready in dev (not watched)', expected: [], evalTime: '30m' },
      {
        name: 'not ready in prod',
        alertname: 'PodNotReady',
        evalTime: '30m',
        expected: [{ namespace: 'prod', pod: 'api-1', severity: 'warning' }],
        input: [{ series: 'kube_pod_status_ready{job="kube-state-metrics", namespace="prod", pod="api-1", condition="false"}', values: '1x40' }],
      },
    ];
    expectPromtool(rules, scoped);
  });

  test('fails on a threshold outside (0, 1) and on an empty namespace list', () => {
    const { chart } = newChart();
    expect(() => new KubernetesWorkloadRules(chart, 'a', { memoryThreshold: 90 })).toThrow(/'memoryThreshold' must be between 0 and 1/);
    expect(() => new KubernetesWorkloadRules(chart, 'b', { name: 'b', watchNamespaces: [] })).toThrow(/'watchNamespaces' is empty/);
    expect(() => new KubernetesWorkloadRules(chart, 'c', { name: 'c', watchNamespaces: ['Prod'] })).toThrow(/'watchNamespaces\[0\]' is not a valid Kubernetes (object )?name/);
  });
});

describe('StackSelfMonitoringRules', () => {
  const p = 'job="prometheus", namespace="monitoring", instance="10.0.0.1:9090"';
  const am = 'job="alertmanager", namespace="monitoring", instance="10.0.0.2:9093"';
  const op = 'job="prometheus-operator", namespace="monitoring", instance="10.0.0.3:8080"';
  const pl = { job: 'prometheus', namespace: 'monitoring', instance: '10.0.0.1:9090' };
  const aml = { job: 'alertmanager', namespace: 'monitoring', instance: '10.0.0.2:9093' };
  const pvc = 'namespace="monitoring", persistentvolumeclaim="prometheus-db-prometheus-0"';
  const cases: AlertCase[] = [
    { name: 'prometheus scrape failing', alertname: 'PrometheusDown', evalTime: '10m', input: [{ series: `up{${p}}`, values: '0x20' }], expected: [{ ...pl, severity: 'critical' }] },
    { name: 'prometheus target missing', alertname: 'PrometheusDown', evalTime: '10m', input: [{ series: 'up{job="other"}', values: '1x20' }], expected: [{ job: 'prometheus', namespace: 'monitoring', severity: 'critical' }] },
    { name: 'prometheus up', alertname: 'PrometheusDown', evalTime: '10m', input: [{ series: `up{${p}}`, values: '1x20' }], expected: [] },
    { name: 'alertmanager down', alertname: 'AlertmanagerDown', evalTime: '10m', input: [{ series: `up{${am}}`, values: '0x20' }], expected: [{ ...aml, severity: 'critical' }] },
    { name: 'alertmanager up', alertname: 'AlertmanagerDown', evalTime: '10m', input: [{ series: `up{${am}}`, values: '1x20' }], expected: [] },
    { name: 'operator missing', alertname: 'PrometheusOperatorDown', evalTime: '15m', input: [], expected: [{ job: 'prometheus-operator', namespace: 'monitoring', severity: 'warning' }] },
    { name: 'operator up', alertname: 'PrometheusOperatorDown', evalTime: '15m', input: [{ series: `up{${op}}`, values: '1x20' }], expected: [] },
    {
      name: 'rule evaluations failing',
      alertname: 'PrometheusRuleEvaluationFailures',
      evalTime: '25m',
      input: [{ series: `prometheus_rule_evaluation_failures_total{${p}, rule_group="/etc/rules.yaml;g"}`, values: '0+1x30' }],
      expected: [{ ...pl, rule_group: '/etc/rules.yaml;g', severity: 'critical' }],
    },
    { name: 'rule evaluations fine', alertname: 'PrometheusRuleEvaluationFailures', evalTime: '25m', input: [{ series: `prometheus_rule_evaluation_failures_total{${p}, rule_group="g"}`, values: '0x30' }], expected: [] },
    {
      name: 'notifications failing',
      alertname: 'PrometheusNotificationsFailing',
      evalTime: '25m',
      input: [
        { series: `prometheus_notifications_errors_total{${p}, alertmanager="http://10.0.0.2:9093/api/v2/alerts"}`, values: '0+1x30' },
        { series: `prometheus_notifications_sent_total{${p}, alertmanager="http://10.0.0.2:9093/api/v2/alerts"}`, values: '0+10x30' },
      ],
      expected: [{ ...pl, alertmanager: 'http://10.0.0.2:9093/api/v2/alerts', severity: 'critical' }],
    },
    {
      name: 'notifications fine',
      alertname: 'PrometheusNotificationsFailing',
      evalTime: '25m',
      input: [
        { series: `prometheus_notifications_errors_total{${p}, alertmanager="am"}`, values: '0x30' },
        { series: `prometheus_notifications_sent_total{${p}, alertmanager="am"}`, values: '0+10x30' },
      ],
      expected: [],
    },
    { name: 'no alertmanager discovered', alertname: 'PrometheusNotConnectedToAlertmanagers', evalTime: '20m', input: [{ series: `prometheus_notifications_alertmanagers_discovered{${p}}`, values: '0x30' }], expected: [{ ...pl, severity: 'warning' }] },
    { name: 'alertmanager discovered', alertname: 'PrometheusNotConnectedToAlertmanagers', evalTime: '20m', input: [{ series: `prometheus_notifications_alertmanagers_discovered{${p}}`, values: '2x30' }], expected: [] },
    {
      name: 'alertmanager notifications failing',
      alertname: 'AlertmanagerNotificationsFailing',
      evalTime: '15m',
      input: [
        { series: `alertmanager_notifications_failed_total{${am}, integration="slack", reason="clientError"}`, values: '0+1x20' },
        { series: `alertmanager_notifications_total{${am}, integration="slack"}`, values: '0+10x20' },
      ],
      expected: [{ ...aml, integration: 'slack', severity: 'critical' }],
    },
    {
      name: 'alertmanager notifications fine',
      alertname: 'AlertmanagerNotificationsFailing',
      evalTime: '15m',
      input: [
        { series: `alertmanager_notifications_failed_total{${am}, integration="slack"}`, values: '0x20' },
        { series: `alertmanager_notifications_total{${am}, integration="slack"}`, values: '0+10x20' },
      ],
      expected: [],
    },
    { name: 'prometheus reload failed', alertname: 'PrometheusConfigReloadFailed', evalTime: '20m', input: [{ series: `prometheus_config_last_reload_successful{${p}}`, values: '0x30' }], expected: [{ ...pl, severity: 'warning' }] },
    { name: 'prometheus reload fine', alertname: 'PrometheusConfigReloadFailed', evalTime: '20m', input: [{ series: `prometheus_config_last_reload_successful{${p}}`, values: '1x30' }], expected: [] },
    { name: 'alertmanager reload failed', alertname: 'AlertmanagerConfigReloadFailed', evalTime: '20m', input: [{ series: `alertmanager_config_last_reload_successful{${am}}`, values: '0x30' }], expected: [{ ...aml, severity: 'critical' }] },
    { name: 'alertmanager reload fine', alertname: 'AlertmanagerConfigReloadFailed', evalTime: '20m', input: [{ series: `alertmanager_config_last_reload_successful{${am}}`, values: '1x30' }], expected: [] },
    {
      name: 'operator reconcile errors',
      alertname: 'PrometheusOperatorReconcileErrors',
      evalTime: '20m',
      input: [
        { series: `prometheus_operator_reconcile_errors_total{${op}, controller="prometheus"}`, values: '0+1x30' },
        { series: `prometheus_operator_reconcile_operations_total{${op}, controller="prometheus"}`, values: '0+5x30' },
      ],
      expected: [{ job: 'prometheus-operator', namespace: 'monitoring', controller: 'prometheus', severity: 'warning' }],
    },
    {
      name: 'operator reconciles fine',
      alertname: 'PrometheusOperatorReconcileErrors',
      evalTime: '20m',
      input: [
        { series: `prometheus_operator_reconcile_errors_total{${op}, controller="prometheus"}`, values: '0x30' },
        { series: `prometheus_operator_reconcile_operations_total{${op}, controller="prometheus"}`, values: '0+5x30' },
      ],
      expected: [],
    },
    { name: 'compactions failing', alertname: 'PrometheusTSDBCompactionsFailing', evalTime: '25m', input: [{ series: `prometheus_tsdb_compactions_failed_total{${p}}`, values: '0+1x30' }], expected: [{ ...pl, severity: 'warning' }] },
    { name: 'compactions fine', alertname: 'PrometheusTSDBCompactionsFailing', evalTime: '25m', input: [{ series: `prometheus_tsdb_compactions_failed_total{${p}}`, values: '0x30' }], expected: [] },
    {
      name: 'volume filling up (trend)',
      alertname: 'StackVolumeFillingUp',
      evalTime: '70m',
      input: [
        { series: `kubelet_volume_stats_available_bytes{${pvc}}`, values: '140-1x100' },
        { series: `kubelet_volume_stats_capacity_bytes{${pvc}}`, values: '1000x100' },
      ],
      expected: [{ namespace: 'monitoring', persistentvolumeclaim: 'prometheus-db-prometheus-0', severity: 'warning' }],
    },
    {
      name: 'volume almost full',
      alertname: 'StackVolumeAlmostFull',
      evalTime: '10m',
      input: [
        { series: `kubelet_volume_stats_available_bytes{${pvc}}`, values: '20x20' },
        { series: `kubelet_volume_stats_capacity_bytes{${pvc}}`, values: '1000x20' },
      ],
      expected: [{ namespace: 'monitoring', persistentvolumeclaim: 'prometheus-db-prometheus-0', severity: 'critical' }],
    },
    {
      name: 'volume 5 % free',
      alertname: 'StackVolumeAlmostFull',
      evalTime: '10m',
      input: [
        { series: `kubelet_volume_stats_available_bytes{${pvc}}`, values: '50x20' },
        { series: `kubelet_volume_stats_capacity_bytes{${pvc}}`, values: '1000x20' },
      ],
      expected: [],
    },
    {
      name: 'volume mostly free; volumes of other namespaces ignored',
      alertname: 'StackVolumeFillingUp',
      evalTime: '70m',
      input: [
        { series: `kubelet_volume_stats_available_bytes{${pvc}}`, values: '900x100' },
        { series: `kubelet_volume_stats_capacity_bytes{${pvc}}`, values: '1000x100' },
        { series: 'kubelet_volume_stats_available_bytes{namespace="dev", persistentvolumeclaim="data"}', values: '10x100' },
        { series: 'kubelet_volume_stats_capacity_bytes{namespace="dev", persistentvolumeclaim="data"}', values: '1000x100' },
      ],
      expected: [],
    },
  ];

  test('defaults: job names of the stack, namespace of the rule', () => {
    const { chart } = newChart('monitoring');
    const rules = new StackSelfMonitoringRules(chart, 'self');
    expect(rules.name).toBe('lgtm-stack-self-monitoring');
    expect([rules.prometheusSelector, rules.alertmanagerSelector, rules.operatorSelector]).toEqual([
      'job="prometheus", namespace="monitoring"',
      'job="alertmanager", namespace="monitoring"',
      'job="prometheus-operator", namespace="monitoring"',
    ]);
    const custom = new StackSelfMonitoringRules(chart, 'custom', { name: 'custom', prometheusJob: 'prom', stackNamespace: 'obs' });
    expect(custom.prometheusSelector).toBe('job="prom", namespace="obs"');
  });

  test('promtool: every alert fires on a failing series and stays silent on a healthy one', () => {
    const { app, chart } = newChart('monitoring');
    const rules = new StackSelfMonitoringRules(chart, 'self');
    // the parts' rule files as one (promtool tests them together)
    const all = { toRuleFile: () => ({ groups: rules.packs.flatMap((part) => part.toRuleFile().groups) }) } as unknown as PrometheusRule;
    expectEveryAlertCovered(all, cases);
    expectPromtool(all, cases);
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
  });
});
