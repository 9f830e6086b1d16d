import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { AlertPack, AlertPackOptions } from './pack';
import { nonNegative, positive, ratio } from './pack-definition';
import { requireMatchers, series } from './promql';
import { requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';
import { validateNamespace } from '../core/names';
import { declareMetricPack } from '../core/provenance/registry';

/** Properties for `KubernetesWorkloadRules`. */
export interface KubernetesWorkloadRulesProps extends AlertPackOptions {
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
   * Default pending period of `PodNotReady`, `PodCrashLooping` and `HighMemoryUsage` (each alert can be
   * changed with `alertOverrides` / `overrideAlert`).
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
export class KubernetesWorkloadRules extends AlertPack {
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
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
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
    const pct = (t: string) => Decimal.parse(t).mul(Decimal.parse('100')).toString();
    const ksmMetrics = (...m: string[]) => m;

    const group = 'kubernetes-workloads';
    const def = this._defineAlert.bind(this);
    def({
      group,
      alert: 'PodNotReady',
      // Pods of completed Jobs are not ready either: they are excluded through their Succeeded phase.
      // A pod that is never scheduled has no Ready condition (kube-state-metrics emits no
      // kube_pod_status_ready series for it), so a Pending/Unknown phase counts as not ready too.
      query: () => [
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
      details: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been in a non-ready state for longer than its pending period.',
      metrics: ksmMetrics('kube_pod_status_ready', 'kube_pod_status_phase'),
    });
    def({
      group,
      alert: 'PodCrashLooping',
      query: () => `max_over_time(${series('kube_pod_container_status_waiting_reason', ksm, ns, 'reason="CrashLoopBackOff"')}[5m]) >= 1`,
      pendingFor,
      severity: AlertSeverity.WARNING,
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
      details: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is waiting in CrashLoopBackOff.',
      metrics: ['kube_pod_container_status_waiting_reason'],
    });
    def({
      group,
      alert: 'HighMemoryUsage',
      thresholds: [ratio('memoryRatio', threshold, 'ratio of the working set to the memory limit')],
      query: (t) => [
        `max by (namespace, pod, container) (${series('container_memory_working_set_bytes', cadvisor, ns, 'container!=""', 'image!=""')})`,
        '/',
        `max by (namespace, pod, container) (${series('kube_pod_container_resource_limits', ksm, ns, 'resource="memory"')})`,
        `> ${t.memoryRatio}`,
      ].join('\n'),
      pendingFor,
      severity: AlertSeverity.WARNING,
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit',
      details: (t) => `The working set of container {{ $labels.container }} is above ${pct(t.memoryRatio)} % of its memory limit; it will be OOM-killed when it reaches the limit.`,
      metrics: ['container_memory_working_set_bytes', 'kube_pod_container_resource_limits'],
    });

    // kubernetes-apps of the mixin, our expressions
    const apps = 'kubernetes-apps';
    def({
      group: apps,
      alert: 'KubeContainerWaiting',
      query: () => `sum by (namespace, pod, container) (${series('kube_pod_container_status_waiting_reason', ksm, ns, 'reason!="CrashLoopBackOff"')}) > 0`,
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.WARNING,
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting for an hour',
      details: 'The container never started: an image pull error, a missing ConfigMap or Secret, or a failed init container is the usual cause.',
      metrics: ['kube_pod_container_status_waiting_reason'],
    });
    def({
      group: apps,
      alert: 'KubeDeploymentReplicasMismatch',
      query: () => [
        `(${series('kube_deployment_spec_replicas', ksm, ns)} > ${series('kube_deployment_status_replicas_available', ksm, ns)})`,
        'and',
        `(changes(${series('kube_deployment_status_replicas_updated', ksm, ns)}[10m]) == 0)`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has fewer available replicas than desired',
      details: 'The rollout is not progressing and some replicas have been unavailable for 15 minutes.',
      metrics: ['kube_deployment_spec_replicas', 'kube_deployment_status_replicas_available', 'kube_deployment_status_replicas_updated'],
    });
    def({
      group: apps,
      alert: 'KubeDeploymentRolloutStuck',
      query: () => `${series('kube_deployment_status_condition', ksm, ns, 'condition="Progressing"', 'status!="true"')} == 1`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} rollout is stuck',
      details: 'The Deployment reports Progressing=false: its progress deadline was exceeded.',
      metrics: ['kube_deployment_status_condition'],
    });
    def({
      group: apps,
      alert: 'KubeStatefulSetReplicasMismatch',
      query: () => [
        `(${series('kube_statefulset_status_replicas_ready', ksm, ns)} != ${series('kube_statefulset_replicas', ksm, ns)})`,
        'and',
        `(changes(${series('kube_statefulset_status_replicas_updated', ksm, ns)}[10m]) == 0)`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not the desired number of ready replicas',
      details: 'Some replicas have not been ready for 15 minutes and no update is in progress.',
      metrics: ['kube_statefulset_status_replicas_ready', 'kube_statefulset_replicas', 'kube_statefulset_status_replicas_updated'],
    });
    def({
      group: apps,
      alert: 'KubeDaemonSetRolloutStuck',
      query: () => [
        `(${series('kube_daemonset_status_number_available', ksm, ns)} < ${series('kube_daemonset_status_desired_number_scheduled', ksm, ns)})`,
        'and',
        `(changes(${series('kube_daemonset_status_updated_number_scheduled', ksm, ns)}[5m]) == 0)`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has unavailable pods',
      details: 'Some nodes have had no available pod of this DaemonSet for 15 minutes and the rollout is not moving.',
      metrics: ['kube_daemonset_status_number_available', 'kube_daemonset_status_desired_number_scheduled', 'kube_daemonset_status_updated_number_scheduled'],
    });
    def({
      group: apps,
      alert: 'KubeDaemonSetMisScheduled',
      query: () => `${series('kube_daemonset_status_number_misscheduled', ksm, ns)} > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} runs pods on nodes it should not',
      details: '{{ $value }} pods run where the DaemonSet\'s node selector or tolerations no longer allow them.',
      metrics: ['kube_daemonset_status_number_misscheduled'],
    });
    def({
      group: apps,
      alert: 'KubeJobFailed',
      query: () => `${series('kube_job_failed', ksm, ns, 'condition="true"')} > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed',
      details: 'The Job reached its backoff limit; remove it once the cause is fixed to clear the alert.',
      metrics: ['kube_job_failed'],
    });
    def({
      group: apps,
      alert: 'KubeJobNotCompleted',
      thresholds: [positive('maxRuntimeSeconds', 43200, 'seconds a Job may run')],
      query: (t) => [
        `time() - max by (namespace, job_name) (${series('kube_job_status_start_time', ksm, ns)}`,
        `  and on (namespace, job_name) ${series('kube_job_status_active', ksm, ns)} > 0) > ${t.maxRuntimeSeconds}`,
      ].join('\n'),
      severity: AlertSeverity.WARNING,
      summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} has been running for too long',
      details: (t) => `The Job has active pods and started more than ${t.maxRuntimeSeconds} seconds ago.`,
      metrics: ['kube_job_status_start_time', 'kube_job_status_active'],
    });
    def({
      group: apps,
      alert: 'KubeHpaMaxedOut',
      query: () => [
        `${series('kube_horizontalpodautoscaler_status_current_replicas', ksm, ns)}`,
        `  == ${series('kube_horizontalpodautoscaler_spec_max_replicas', ksm, ns)}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} runs at its maximum replicas',
      details: 'The autoscaler cannot add capacity: raise maxReplicas or look at the load.',
      metrics: ['kube_horizontalpodautoscaler_status_current_replicas', 'kube_horizontalpodautoscaler_spec_max_replicas'],
    });

    def({
      group: apps,
      alert: 'KubePdbNotEnoughHealthyPods',
      thresholds: [nonNegative('missingPods', 0, 'healthy pods missing below the budget\'s desired count', true)],
      query: (t) => [
        `${series('kube_poddisruptionbudget_status_desired_healthy', ksm, ns)}`,
        `  - ${series('kube_poddisruptionbudget_status_current_healthy', ksm, ns)}`,
        `> ${t.missingPods}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has {{ $value }} healthy pods too few',
      details: 'The budget cannot allow any voluntary disruption: node drains and cluster upgrades block until its pods are healthy again.',
      metrics: ['kube_poddisruptionbudget_status_desired_healthy', 'kube_poddisruptionbudget_status_current_healthy'],
    });

    // kubernetes-resources
    const res = 'kubernetes-resources';
    def({
      group: res,
      alert: 'CPUThrottlingHigh',
      thresholds: [ratio('throttledRatio', 0.25, 'share of CFS periods throttled')],
      query: (t) => [
        `sum by (namespace, pod, container) (increase(${series('container_cpu_cfs_throttled_periods_total', cadvisor, ns, 'container!=""')}[5m]))`,
        '/',
        `sum by (namespace, pod, container) (increase(${series('container_cpu_cfs_periods_total', cadvisor, ns, 'container!=""')}[5m]))`,
        `> ${t.throttledRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.INFO,
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is CPU-throttled {{ $value | humanizePercentage }} of the time',
      details: (t) => `More than ${pct(t.throttledRatio)} % of its CFS periods were throttled: its CPU limit is too low for its load.`,
      metrics: ['container_cpu_cfs_throttled_periods_total', 'container_cpu_cfs_periods_total'],
    });
    def({
      group: res,
      alert: 'KubeQuotaAlmostFull',
      thresholds: [ratio('usedRatio', 0.9, 'share of the quota used')],
      query: (t) => [
        `${series('kube_resourcequota', ksm, ns, 'type="used"')}`,
        `  / ignoring (type) (${series('kube_resourcequota', ksm, ns, 'type="hard"')} > 0)`,
        `> ${t.usedRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.INFO,
      summary: 'Namespace {{ $labels.namespace }} uses {{ $value | humanizePercentage }} of its {{ $labels.resource }} quota',
      details: 'New pods or objects will be refused when the quota is full.',
      metrics: ['kube_resourcequota'],
    });

    // kubernetes-storage
    const st = 'kubernetes-storage';
    const vol = (m: string) => series(m, ns, 'persistentvolumeclaim!=""');
    def({
      group: st,
      alert: 'KubePersistentVolumeFillingUp',
      thresholds: [ratio('freeRatio', 0.03, 'share of the volume still free')],
      query: (t) => `${vol('kubelet_volume_stats_available_bytes')} / ${vol('kubelet_volume_stats_capacity_bytes')} < ${t.freeRatio}`,
      pendingFor: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} free',
      details: 'Writes to the volume will fail when it is full: grow the PVC or delete data.',
      metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
    });
    def({
      group: st,
      alert: 'KubePersistentVolumeFillingUpSoon',
      thresholds: [ratio('freeRatio', 0.15, 'share of the volume still free'), positive('horizonHours', 96, 'hours until full, by the 6h trend')],
      query: (t) => [
        `(${vol('kubelet_volume_stats_available_bytes')} / ${vol('kubelet_volume_stats_capacity_bytes')}) < ${t.freeRatio}`,
        'and',
        `predict_linear(${vol('kubelet_volume_stats_available_bytes')}[6h], ${t.horizonHours} * 3600) < 0`,
      ].join('\n'),
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.WARNING,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is predicted to fill up',
      details: (t) => `Less than ${pct(t.freeRatio)} % is free and the 6h trend reaches zero within ${t.horizonHours} hours.`,
      metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'],
    });
    def({
      group: st,
      alert: 'KubePersistentVolumeInodesFillingUp',
      thresholds: [ratio('freeRatio', 0.03, 'share of inodes still free')],
      query: (t) => `${vol('kubelet_volume_stats_inodes_free')} / ${vol('kubelet_volume_stats_inodes')} < ${t.freeRatio}`,
      pendingFor: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} of its inodes free',
      details: 'No file can be created on the volume once its inodes run out.',
      metrics: ['kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes'],
    });
    def({
      group: st,
      alert: 'KubePersistentVolumeInodesFillingUpSoon',
      thresholds: [ratio('freeRatio', 0.15, 'share of inodes still free'), positive('horizonHours', 96, 'hours until none is free, by the 6h trend')],
      query: (t) => [
        `(${vol('kubelet_volume_stats_inodes_free')} / ${vol('kubelet_volume_stats_inodes')}) < ${t.freeRatio}`,
        'and',
        `predict_linear(${vol('kubelet_volume_stats_inodes_free')}[6h], ${t.horizonHours} * 3600) < 0`,
      ].join('\n'),
      pendingFor: Duration.hours(1),
      severity: AlertSeverity.WARNING,
      summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is predicted to run out of inodes',
      details: (t) => `Less than ${pct(t.freeRatio)} % of its inodes are free and the 6h trend reaches zero within ${t.horizonHours} hours: many small files (caches, chunks) use them up before the space.`,
      metrics: ['kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes'],
    });
    def({
      group: st,
      alert: 'KubePersistentVolumeErrors',
      query: () => `${series('kube_persistentvolume_status_phase', ksm, 'phase=~"Failed|Pending"')} > 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      // PersistentVolumes belong to no namespace: a pack scoped to some namespaces leaves them out
      enabled: namespaces.length === 0,
      summary: 'PersistentVolume {{ $labels.persistentvolume }} is {{ $labels.phase }}',
      details: 'The volume cannot be bound or has failed: the pods using it cannot start.',
      metrics: ['kube_persistentvolume_status_phase'],
    });
    this._applyOverrides(props);
  }
}
