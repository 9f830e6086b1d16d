import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { PrometheusRule, PrometheusRuleOptions } from './prometheus-rule';
import { requireMatchers, series } from './promql';
import { requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';
import { validateNamespace } from '../core/names';
import { declareMetricPack } from '../core/provenance/registry';

/** Properties for `KubernetesWorkloadRules`. */
export interface KubernetesWorkloadRulesProps extends PrometheusRuleOptions {
  /**
   * Only alert on pods in these namespaces.
   * @default - all namespaces
   */
  readonly watchNamespaces?: string[];
  /**
   * Label matchers selecting kube-state-metrics' series. The rules expect the pod's own `namespace` and
   * `pod` labels (kube-state-metrics scraped with `honorLabels: true`).
   * @default 'job="kube-state-metrics"'
   */
  readonly kubeStateMetricsSelector?: string;
  /**
   * Extra label matchers for cAdvisor's `container_memory_working_set_bytes` (the rules already require
   * `container!=""` and `image!=""`, which drop the pod-level and pause-container series).
   * @default - none
   */
  readonly cadvisorSelector?: string;
  /**
   * Share of the memory limit above which `HighMemoryUsage` fires (0 < x < 1).
   * @default 0.9
   */
  readonly memoryThreshold?: number;
  /**
   * How long a condition must hold before an alert fires.
   * @default Duration.minutes(15)
   */
  readonly pendingFor?: Duration;
}

/**
 * Workload health from kube-state-metrics and cAdvisor: `PodNotReady`, `PodCrashLooping` and
 * `HighMemoryUsage` (working set near the container's memory limit).
 *
 * Safe on managed clusters (EKS, GKE, AKS): it only uses kube-state-metrics and the kubelet's cAdvisor,
 * never the scheduler, controller-manager, etcd or API-server metrics that a hidden control plane does
 * not expose (alerts on those would fire forever there).
 */
export class KubernetesWorkloadRules extends PrometheusRule {
  /** The namespace matcher added to every selector (empty for all namespaces). */
  public readonly namespaceMatcher: string;

  constructor(scope: Construct, id: string, props: KubernetesWorkloadRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'kubernetes-workloads' });
    declareMetricPack(this);
    const namespaces = props.watchNamespaces ?? [];
    namespaces.forEach((n, i) => validateNamespace(this, `watchNamespaces[${i}]`, n));
    if (props.watchNamespaces && namespaces.length === 0) {
      fail(this, {
        problem: "'watchNamespaces' is empty",
        received: '[]',
        expected: 'at least one namespace, or leave it unset for all namespaces',
        fix: "remove 'watchNamespaces' to watch every namespace",
      });
    }
    this.namespaceMatcher = namespaces.length === 0 ? '' : namespaces.length === 1 ? `namespace="${namespaces[0]}"` : `namespace=~"${namespaces.join('|')}"`;
    const ksm = requireMatchers(this, 'kubeStateMetricsSelector', props.kubeStateMetricsSelector ?? 'job="kube-state-metrics"');
    const cadvisor = requireMatchers(this, 'cadvisorSelector', props.cadvisorSelector);
    const threshold = props.memoryThreshold ?? 0.9;
    if (!(threshold > 0 && threshold < 1)) {
      fail(this, {
        problem: "'memoryThreshold' must be between 0 and 1 (exclusive)",
        received: show(threshold),
        expected: 'a share of the limit such as 0.9 (90 %)',
        fix: 'pass a ratio, not a percentage: 90 % is 0.9',
      });
    }
    requirePositive(this, 'pendingFor', props.pendingFor);
    const pendingFor = props.pendingFor ?? Duration.minutes(15);
    const ns = this.namespaceMatcher;
    const pct = Decimal.of(threshold).mul(Decimal.parse('100')).toString();

    this.addGroup({ name: 'kubernetes-workloads' })
      .addAlert({
        alert: 'PodNotReady',
        // Pods of completed Jobs are not ready either: they are excluded through their Succeeded phase.
        // A pod that is never scheduled has no Ready condition (kube-state-metrics emits no
        // kube_pod_status_ready series for it), so a Pending/Unknown phase counts as not ready too.
        expr: [
          '(',
          `  (max by (namespace, pod) (${series('kube_pod_status_ready', ksm, ns, 'condition="false"')}) == 1)`,
          '  unless on (namespace, pod)',
          `  (max by (namespace, pod) (${series('kube_pod_status_phase', ksm, ns, 'phase="Succeeded"')}) == 1)`,
          ')',
          'or',
          `(max by (namespace, pod) (${series('kube_pod_status_phase', ksm, ns, 'phase=~"Pending|Unknown"')}) == 1)`,
        ].join('\n'),
        pendingFor,
        severity: AlertSeverity.WARNING,
        summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready',
        description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been in a non-ready state for longer than its pending period.',
      })
      .addAlert({
        alert: 'PodCrashLooping',
        expr: `max_over_time(${series('kube_pod_container_status_waiting_reason', ksm, ns, 'reason="CrashLoopBackOff"')}[5m]) >= 1`,
        pendingFor,
        severity: AlertSeverity.WARNING,
        summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
        description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is waiting in CrashLoopBackOff.',
      })
      .addAlert({
        alert: 'HighMemoryUsage',
        expr: [
          `max by (namespace, pod, container) (${series('container_memory_working_set_bytes', cadvisor, ns, 'container!=""', 'image!=""')})`,
          '/',
          `max by (namespace, pod, container) (${series('kube_pod_container_resource_limits', ksm, ns, 'resource="memory"')})`,
          `> ${Decimal.of(threshold).toString()}`,
        ].join('\n'),
        pendingFor,
        severity: AlertSeverity.WARNING,
        summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit',
        description: `The working set of container {{ $labels.container }} is above ${pct} % of its memory limit; it will be OOM-killed when it reaches the limit.`,
      });
  }
}
