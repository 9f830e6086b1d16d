/**
 * Every pack of the library with every alert defined (control-plane groups on, every component kind
 * watched), for the generated tables of docs/ALERTS.md and the coverage test.
 */
import { Chart, Testing } from 'cdk8s';
import {
  AlertPack, GoldenSignalsRules, KubernetesDistribution, KubernetesSystemRules, KubernetesWorkloadRules,
  NodeExporterRules, ProbeRules, StackSelfMonitoringRules,
} from '../../src/rules';

const KINDS: Array<[string, string]> = [
  ['loki', 'loki'], ['tempo', 'tempo'], ['grafana', 'grafana'], ['alloy', 'alloy'], ['kube-state-metrics', 'kube-state-metrics'],
  ['node-exporter', 'node-exporter'], ['pyroscope', 'pyroscope'], ['opentelemetry-collector', 'otel-collector'],
  ['seaweedfs', 'seaweedfs'], ['opencost', 'opencost'], ['kepler', 'kepler'], ['promtail', 'promtail'],
];

export function allPacks(): AlertPack[] {
  const chart = new Chart(Testing.app(), 'docs', { namespace: 'monitoring' });
  const components = KINDS.map(([app, svc]) => ({ node: { path: svc }, labels: { 'app.kubernetes.io/name': app }, service: { name: svc, namespace: 'monitoring' } })) as any[];
  // Beyla has no Service: watched by its DaemonSet
  components.push({ node: { path: 'beyla' }, labels: { 'app.kubernetes.io/name': 'beyla' }, name: 'beyla', namespace: 'monitoring-agents' });
  return [
    new KubernetesWorkloadRules(chart, 'KubernetesWorkloadRules'),
    new KubernetesSystemRules(chart, 'KubernetesSystemRules', { distribution: KubernetesDistribution.SELF_MANAGED }),
    new NodeExporterRules(chart, 'NodeExporterRules'),
    // one pack per component: Prometheus, Alertmanager, the operator, volumes, and each watched kind
    ...new StackSelfMonitoringRules(chart, 'StackSelfMonitoringRules', { components }).packs,
    new GoldenSignalsRules(chart, 'GoldenSignalsRules', { serviceName: 'frontend', requestsMetric: 'frontend_requests_total', latencyBucketMetric: 'frontend_request_duration_seconds_bucket' }),
    new ProbeRules(chart, 'ProbeRules'),
  ];
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** The generated part of docs/ALERTS.md: one table per pack class (the component kinds share one). */
export function renderAlertTables(): string {
  const out: string[] = [];
  let last = '';
  for (const p of allPacks()) {
    const title = p.constructor.name;
    if (title !== last) {
      if (last) out.push('');
      out.push(`### \`${title}\``, '', '| alert | group | severity | for | thresholds (default, valid range) | summary |', '|---|---|---|---|---|---|');
      last = title;
    }
    for (const a of p.describeAlerts()) {
      const th = a.thresholds.map((t) => `\`${t.name}\` = ${t.defaultValue} (${esc(t.unit)}; ${t.range})`).join('<br/>') || '—';
      out.push(`| \`${a.alert}\` | ${a.group} | ${a.severity}${a.enabled ? '' : ' (off unless its preset or \`enableAlert\`)'} | ${a.pendingPeriod || '—'} | ${th} | ${esc(a.summary)} |`);
    }
  }
  out.push('');
  return out.join('\n');
}
