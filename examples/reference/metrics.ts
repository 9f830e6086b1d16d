/** Metrics and alerting part of the reference stack (issue 3). */
import { App, Chart } from 'cdk8s';
import {
  Alertmanager, AlertMatcher, AlertReceiver, IDatasourceProvider, KubeletMonitor,
  KubernetesWorkloadRules, KubeStateMetrics, NodeExporter, Prometheus, PrometheusOperator,
  PrometheusOperatorCrds, StackSelfMonitoringRules,
} from '../../src';

export interface MetricsParts {
  /** The Prometheus (datasource for Grafana). */
  readonly prometheus?: IDatasourceProvider;
  /** The Alertmanager (datasource for Grafana). */
  readonly alertmanager?: IDatasourceProvider;
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
  new PrometheusOperator(chart, 'Operator', { namespace });
  const prometheus = new Prometheus(chart, 'Prometheus', {
    namespace,
    enableRemoteWriteReceiver: true,
    exemplarStorage: true,
    externalLabels: { cluster: 'reference' },
  });
  const alertmanager = new Alertmanager(chart, 'Alertmanager', {
    namespace,
    defaultReceiver: 'oncall',
    receivers: [
      AlertReceiver.webhook('oncall', { url: { secretName: 'alertmanager-oncall', key: 'url' } }),
      AlertReceiver.slack('slack-critical', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts-critical' }),
    ],
    routes: [
      // critical alerts reach Slack and (continue) the on-call tool
      { receiver: 'slack-critical', matchers: [AlertMatcher.eq('severity', 'critical')], continueMatching: true },
    ],
  });
  prometheus.addAlertmanager(alertmanager);
  new KubeStateMetrics(chart, 'KubeStateMetrics', { namespace });
  new NodeExporter(chart, 'NodeExporter', { namespace: agentsNamespace });
  // kubelet /metrics (kubelet_volume_stats_* for StackVolumeFillingUp) and /metrics/cadvisor
  // (container_memory_working_set_bytes for HighMemoryUsage), via the operator's kube-system/kubelet Service
  new KubeletMonitor(chart, 'KubeletMonitor', { namespace });
  new StackSelfMonitoringRules(chart, 'SelfMonitoringRules', { namespace });
  new KubernetesWorkloadRules(chart, 'WorkloadRules', { namespace });
  return { prometheus, alertmanager };
}
