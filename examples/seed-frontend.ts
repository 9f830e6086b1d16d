/**
 * The seed scenario: a `frontend` Service in namespace `dev` (label `tier: web`, port `http`,
 * `/metrics` every 15 s), its ServiceMonitor, a Prometheus and an Alertmanager that routes critical
 * alerts to Slack (webhook URL from the Secret `alertmanager-slack`, key `webhook-url`, created out of
 * band), and the alerts PodNotReady, PodCrashLooping, HighMemoryUsage, HighErrorRate and an
 * error-budget burn-rate alert.
 *
 * Rendered into dist/seed-frontend/. It expects the prometheus-operator CRDs and operator of
 * dist/reference/ (00-crds.yaml, 10-metrics.yaml) in the cluster; it is a standalone scenario, not meant
 * to be synced next to the reference stack; its monitoring side lives in its own namespace `seed-monitoring`, so no
 * object of it is also defined by dist/reference/ (a test over dist/ checks it).
 */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Alertmanager, AlertMatcher, AlertReceiver, AlertSeverity, GoldenSignalsRules, KubeletMonitor,
  KubernetesWorkloadRules, KubeStateMetrics, Namespace, Prometheus, ServiceMonitor, Slo,
  SloIndicator,
} from '../src';

export const SEED_NAMESPACE = 'dev';
export const SEED_MONITORING_NAMESPACE = 'seed-monitoring';

export function buildSeedFrontend(app: App): void {
  const ns = new Chart(app, '01-namespaces');
  for (const name of [SEED_NAMESPACE, SEED_MONITORING_NAMESPACE]) {
    new Namespace(ns, name, { name });
  }

  // The application: a cdk8s-plus Service, as an application team would write it.
  const appChart = new Chart(app, '10-frontend');
  const frontend = new kplus.Service(appChart, 'frontend', {
    metadata: { name: 'frontend', namespace: SEED_NAMESPACE, labels: { 'tier': 'web', 'app.kubernetes.io/name': 'frontend' } },
    ports: [{ name: 'http', port: 8080 }],
  });
  frontend.selectLabel('app.kubernetes.io/name', 'frontend');
  ServiceMonitor.forService(appChart, 'frontend-monitor', frontend, {
    endpoints: [{ port: 'http', path: '/metrics', interval: Duration.seconds(15) }],
  });

  // The seed's own thresholds and severities (its platform.rules group, evaluated every 30 s), as
  // overrides of the packs rather than a hand-written rule.
  new KubernetesWorkloadRules(appChart, 'workload-rules', {
    namespace: SEED_NAMESPACE,
    watchNamespaces: [SEED_NAMESPACE],
    alertOverrides: {
      PodNotReady: { severity: AlertSeverity.CRITICAL, pendingFor: Duration.minutes(2) },
      PodCrashLooping: { severity: AlertSeverity.WARNING, pendingFor: Duration.minutes(5) },
      HighMemoryUsage: { severity: AlertSeverity.WARNING, pendingFor: Duration.minutes(5), threshold: 0.8 },
    },
    groupOverrides: { 'kubernetes-workloads': { interval: Duration.seconds(30) } },
  });
  const golden = new GoldenSignalsRules(appChart, 'frontend-golden-signals', {
    namespace: SEED_NAMESPACE,
    alertOverrides: { HighErrorRate: { severity: AlertSeverity.CRITICAL, pendingFor: Duration.minutes(2), threshold: 0.05 } },
    groupOverrides: { 'frontend.golden-signals': { interval: Duration.seconds(30) } },
    serviceName: 'frontend',
    requestsMetric: 'frontend_requests_total',
    latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
    errorMatcher: 'status=~"5.."', // the seed's counter labels responses with `status`, not `code`
  });
  new Slo(appChart, 'frontend-availability', {
    namespace: SEED_NAMESPACE,
    service: 'frontend',
    objective: 0.999,
    indicator: SloIndicator.fromGoldenSignals(golden),
  });

  // The monitoring side.
  const mon = new Chart(app, '20-monitoring');
  const prometheus = new Prometheus(mon, 'prometheus', { namespace: SEED_MONITORING_NAMESPACE });
  // cAdvisor's container_memory_working_set_bytes for HighMemoryUsage, from the kube-system/kubelet
  // Service that the reference operator maintains
  new KubeletMonitor(mon, 'kubelet', { namespace: SEED_MONITORING_NAMESPACE });
  // kube_pod_status_ready, kube_pod_container_status_restarts_total and the memory limits the workload
  // alerts read: the scenario is self-contained
  new KubeStateMetrics(mon, 'kube-state-metrics', { namespace: SEED_MONITORING_NAMESPACE });
  const slackCritical = AlertReceiver.slack('slack-critical', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#frontend-alerts' });
  const teamWebhook = AlertReceiver.webhook('team-webhook', { url: { secretName: 'alertmanager-team-webhook', key: 'url' } });
  const alertmanager = new Alertmanager(mon, 'alertmanager', {
    namespace: SEED_MONITORING_NAMESPACE,
    replicas: 1, // a development cluster; production keeps the default of 3
    defaultReceiver: teamWebhook,
    receivers: [slackCritical, teamWebhook],
    routes: [
      { receiver: slackCritical, matchers: [AlertMatcher.eq('severity', 'critical')] },
      // the routes split by severity: every severity the packs emit has its route (checked at synth)
      { receiver: teamWebhook, matchers: [AlertMatcher.regex('severity', 'warning|info')] },
    ],
  });
  prometheus.addAlertmanager(alertmanager);
}
