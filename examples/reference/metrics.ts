/** Metrics and alerting part of the reference stack (issue 3). */
import { App, Chart } from 'cdk8s';
import {
  Alertmanager, AlertMatcher, AlertReceiver, IDatasourceProvider, KubeletMonitor,
  KubernetesSystemRules, KubernetesWorkloadRules, KubeStateMetrics, NodeExporter, NodeExporterRules, Prometheus,
  PrometheusOperator, PrometheusOperatorCrds, StackSelfMonitoringRules,
} from '../../src';

export interface MetricsParts {
  /** The Prometheus (datasource for Grafana). */
  readonly prometheus?: IDatasourceProvider;
  /** The Alertmanager (datasource for Grafana). */
  readonly alertmanager?: IDatasourceProvider;
  /** The stack's self-monitoring pack: the other parts add their components with `watchComponent`. */
  readonly selfMonitoring?: StackSelfMonitoringRules;
  /** The Prometheus Operator (its dashboard). */
  readonly operator?: PrometheusOperator;
}

/**
 * - `00-crds`: the prometheus-operator CRDs (sync wave -10, server-side apply), first in apply order;
 * - `10-metrics`: operator, Prometheus (remote-write receiver for Tempo's metrics-generator, exemplar
 *   storage), Alertmanager (on-call webhook by default, critical alerts also to Slack), kube-state-metrics,
 *   node-exporter (in the agents namespace), the kubelet/cAdvisor ServiceMonitor (targets in kube-system,
 *   maintained by the operator), self-monitoring and workload rules.
 *
 * Credentials live in Secrets created out of band: `alertmanager-oncall` (key `url`) and
 * `alertmanager-slack` (key `webhook-url`) in the stack namespace.
 */
export function addMetrics(app: App, namespace: string, agentsNamespace: string): MetricsParts {
  new PrometheusOperatorCrds(new Chart(app, '00-crds'), 'PrometheusOperatorCrds');

  const chart = new Chart(app, '10-metrics');
  const operator = new PrometheusOperator(chart, 'Operator', { namespace });
  const prometheus = new Prometheus(chart, 'Prometheus', {
    namespace,
    enableRemoteWriteReceiver: true,
    exemplarStorage: true,
    externalLabels: { cluster: 'reference' },
  });
  const oncall = AlertReceiver.webhook('oncall', { url: { secretName: 'alertmanager-oncall', key: 'url' } });
  const slackCritical = AlertReceiver.slack('slack-critical', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts-critical' });
  const alertmanager = new Alertmanager(chart, 'Alertmanager', {
    namespace,
    defaultReceiver: oncall,
    receivers: [oncall, slackCritical],
    routes: [
      // critical alerts reach Slack and (continue) the on-call tool
      { receiver: slackCritical, matchers: [AlertMatcher.eq('severity', 'critical')], continueMatching: true },
    ],
  });
  prometheus.addAlertmanager(alertmanager);
  const ksm = new KubeStateMetrics(chart, 'KubeStateMetrics', { namespace });
  const nodeExporter = new NodeExporter(chart, 'NodeExporter', { namespace: agentsNamespace });
  // kubelet /metrics (kubelet_volume_stats_* for StackVolumeFillingUp) and /metrics/cadvisor
  // (container_memory_working_set_bytes for HighMemoryUsage), via the operator's kube-system/kubelet Service
  new KubeletMonitor(chart, 'KubeletMonitor', { namespace });
  // the full packs; every series they read is scraped above (no control-plane group: the reference
  // stack ships no API-server or scheduler monitor, so `distribution` is left unset)
  const selfMonitoring = new StackSelfMonitoringRules(chart, 'SelfMonitoringRules', { namespace, components: [ksm, nodeExporter] });
  new KubernetesWorkloadRules(chart, 'WorkloadRules', { namespace });
  new KubernetesSystemRules(chart, 'SystemRules', { namespace });
  new NodeExporterRules(chart, 'NodeExporterRules', { namespace });
  return { prometheus, alertmanager, selfMonitoring, operator };
}
