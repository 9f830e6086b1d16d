/**
 * promtool fixtures of every pack alert, as data: for each alert a failing input (the alert must fire at
 * `evalTime`) and a healthy one (it must stay silent), the healthy one sitting exactly at the threshold
 * where the alert has one (the edge: the comparison is strict). `pack-promtool.test.ts` turns them into
 * `promtool test rules` cases, so the number of tests grows with this table.
 */
import { InputSeries } from './promtool';

export interface AlertFixture {
  readonly alert: string;
  readonly evalTime: string;
  /** Series that make the alert fire. */
  readonly fire: InputSeries[];
  /** Series of a healthy system (at the threshold edge when the alert has a threshold). */
  readonly calm: InputSeries[];
  /** More silent cases (pending period not reached, other edge, other namespace...). */
  readonly moreCalm?: InputSeries[][];
}

const s = (series: string, values: string): InputSeries => ({ series, values });
const KSM = 'job="kube-state-metrics", namespace="dev"';
const P = 'job="prometheus", namespace="monitoring", instance="p:9090"';
const AM = 'job="alertmanager", namespace="monitoring"';
const OP = 'job="prometheus-operator", namespace="monitoring", instance="o:8080"';
const PVC = 'namespace="dev", persistentvolumeclaim="data"';
const SPVC = 'namespace="monitoring", persistentvolumeclaim="prometheus-db"';

/** KubernetesWorkloadRules (default props). */
export const WORKLOAD_FIXTURES: AlertFixture[] = [
  {
    alert: 'PodNotReady',
    evalTime: '30m',
    fire: [s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="false"}`, '1x40')],
    calm: [s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="true"}`, '1x40'), s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="false"}`, '0x40')],
    moreCalm: [[s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="false"}`, '0x20 1x20')]],
  },
  {
    alert: 'PodCrashLooping',
    evalTime: '30m',
    fire: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="web-1", container="app", reason="CrashLoopBackOff"}`, '1x40')],
    calm: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="web-1", container="app", reason="CrashLoopBackOff"}`, '0x40')],
  },
  {
    alert: 'HighMemoryUsage',
    evalTime: '30m',
    fire: [s('container_memory_working_set_bytes{namespace="dev", pod="w", container="app", image="i"}', '901x40'), s(`kube_pod_container_resource_limits{${KSM}, pod="w", container="app", resource="memory"}`, '1000x40')],
    calm: [s('container_memory_working_set_bytes{namespace="dev", pod="w", container="app", image="i"}', '900x40'), s(`kube_pod_container_resource_limits{${KSM}, pod="w", container="app", resource="memory"}`, '1000x40')],
    moreCalm: [[s('container_memory_working_set_bytes{namespace="dev", pod="w", container="app", image="i"}', '5000x40')]],
  },
  {
    alert: 'KubeContainerWaiting',
    evalTime: '70m',
    fire: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="w", container="app", reason="ImagePullBackOff"}`, '1x80')],
    calm: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="w", container="app", reason="ImagePullBackOff"}`, '0x80')],
    moreCalm: [[s(`kube_pod_container_status_waiting_reason{${KSM}, pod="w", container="app", reason="ImagePullBackOff"}`, '0x30 1x50')]],
  },
  {
    alert: 'KubeDeploymentReplicasMismatch',
    evalTime: '40m',
    fire: [s(`kube_deployment_spec_replicas{${KSM}, deployment="web"}`, '3x50'), s(`kube_deployment_status_replicas_available{${KSM}, deployment="web"}`, '2x50'), s(`kube_deployment_status_replicas_updated{${KSM}, deployment="web"}`, '3x50')],
    calm: [s(`kube_deployment_spec_replicas{${KSM}, deployment="web"}`, '3x50'), s(`kube_deployment_status_replicas_available{${KSM}, deployment="web"}`, '3x50'), s(`kube_deployment_status_replicas_updated{${KSM}, deployment="web"}`, '3x50')],
  },
  {
    alert: 'KubeDeploymentRolloutStuck',
    evalTime: '40m',
    fire: [s(`kube_deployment_status_condition{${KSM}, deployment="web", condition="Progressing", status="false"}`, '1x50')],
    calm: [s(`kube_deployment_status_condition{${KSM}, deployment="web", condition="Progressing", status="false"}`, '0x50'), s(`kube_deployment_status_condition{${KSM}, deployment="web", condition="Progressing", status="true"}`, '1x50')],
  },
  {
    alert: 'KubeStatefulSetReplicasMismatch',
    evalTime: '40m',
    fire: [s(`kube_statefulset_status_replicas_ready{${KSM}, statefulset="db"}`, '1x50'), s(`kube_statefulset_replicas{${KSM}, statefulset="db"}`, '3x50'), s(`kube_statefulset_status_replicas_updated{${KSM}, statefulset="db"}`, '3x50')],
    calm: [s(`kube_statefulset_status_replicas_ready{${KSM}, statefulset="db"}`, '3x50'), s(`kube_statefulset_replicas{${KSM}, statefulset="db"}`, '3x50'), s(`kube_statefulset_status_replicas_updated{${KSM}, statefulset="db"}`, '3x50')],
  },
  {
    alert: 'KubeDaemonSetRolloutStuck',
    evalTime: '40m',
    fire: [s(`kube_daemonset_status_number_available{${KSM}, daemonset="agent"}`, '4x50'), s(`kube_daemonset_status_desired_number_scheduled{${KSM}, daemonset="agent"}`, '5x50'), s(`kube_daemonset_status_updated_number_scheduled{${KSM}, daemonset="agent"}`, '5x50')],
    calm: [s(`kube_daemonset_status_number_available{${KSM}, daemonset="agent"}`, '5x50'), s(`kube_daemonset_status_desired_number_scheduled{${KSM}, daemonset="agent"}`, '5x50'), s(`kube_daemonset_status_updated_number_scheduled{${KSM}, daemonset="agent"}`, '5x50')],
  },
  {
    alert: 'KubeDaemonSetMisScheduled',
    evalTime: '40m',
    fire: [s(`kube_daemonset_status_number_misscheduled{${KSM}, daemonset="agent"}`, '1x50')],
    calm: [s(`kube_daemonset_status_number_misscheduled{${KSM}, daemonset="agent"}`, '0x50')],
  },
  {
    alert: 'KubeJobFailed',
    evalTime: '40m',
    fire: [s(`kube_job_failed{${KSM}, job_name="migrate", condition="true"}`, '1x50')],
    calm: [s(`kube_job_failed{${KSM}, job_name="migrate", condition="true"}`, '0x50'), s(`kube_job_failed{${KSM}, job_name="migrate", condition="false"}`, '1x50')],
  },
  {
    // start time 0 and active: at 12h (43200 s) it is at the edge, one minute later over it
    alert: 'KubeJobNotCompleted',
    evalTime: '721m',
    fire: [s(`kube_job_status_start_time{${KSM}, job_name="backup"}`, '0x730'), s(`kube_job_status_active{${KSM}, job_name="backup"}`, '1x730')],
    calm: [s(`kube_job_status_start_time{${KSM}, job_name="backup"}`, '60x730'), s(`kube_job_status_active{${KSM}, job_name="backup"}`, '1x730')],
    moreCalm: [[s(`kube_job_status_start_time{${KSM}, job_name="backup"}`, '0x730'), s(`kube_job_status_active{${KSM}, job_name="backup"}`, '0x730')]],
  },
  {
    alert: 'KubeHpaMaxedOut',
    evalTime: '40m',
    fire: [s(`kube_horizontalpodautoscaler_status_current_replicas{${KSM}, horizontalpodautoscaler="web"}`, '10x50'), s(`kube_horizontalpodautoscaler_spec_max_replicas{${KSM}, horizontalpodautoscaler="web"}`, '10x50')],
    calm: [s(`kube_horizontalpodautoscaler_status_current_replicas{${KSM}, horizontalpodautoscaler="web"}`, '9x50'), s(`kube_horizontalpodautoscaler_spec_max_replicas{${KSM}, horizontalpodautoscaler="web"}`, '10x50')],
  },
  {
    // desired 3, current 3 is the edge (missingPods 0); short of one for 10 minutes is still pending
    alert: 'KubePdbNotEnoughHealthyPods',
    evalTime: '30m',
    fire: [s(`kube_poddisruptionbudget_status_desired_healthy{${KSM}, poddisruptionbudget="web"}`, '3x40'), s(`kube_poddisruptionbudget_status_current_healthy{${KSM}, poddisruptionbudget="web"}`, '2x40')],
    calm: [s(`kube_poddisruptionbudget_status_desired_healthy{${KSM}, poddisruptionbudget="web"}`, '3x40'), s(`kube_poddisruptionbudget_status_current_healthy{${KSM}, poddisruptionbudget="web"}`, '3x40')],
    moreCalm: [[s(`kube_poddisruptionbudget_status_desired_healthy{${KSM}, poddisruptionbudget="web"}`, '3x40'), s(`kube_poddisruptionbudget_status_current_healthy{${KSM}, poddisruptionbudget="web"}`, '3x20 2x20')]],
  },
  {
    // 0.25 is the edge: 25 of 100 periods throttled per minute stays silent, 26 fires
    alert: 'CPUThrottlingHigh',
    evalTime: '40m',
    fire: [s('container_cpu_cfs_throttled_periods_total{namespace="dev", pod="w", container="app"}', '0+26x50'), s('container_cpu_cfs_periods_total{namespace="dev", pod="w", container="app"}', '0+100x50')],
    calm: [s('container_cpu_cfs_throttled_periods_total{namespace="dev", pod="w", container="app"}', '0+25x50'), s('container_cpu_cfs_periods_total{namespace="dev", pod="w", container="app"}', '0+100x50')],
  },
  {
    alert: 'KubeQuotaAlmostFull',
    evalTime: '40m',
    fire: [s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="used"}`, '91x50'), s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="hard"}`, '100x50')],
    calm: [s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="used"}`, '90x50'), s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="hard"}`, '100x50')],
  },
  {
    alert: 'KubePersistentVolumeFillingUp',
    evalTime: '10m',
    fire: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '29x20'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x20')],
    calm: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '30x20'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x20')],
  },
  {
    alert: 'KubePersistentVolumeFillingUpSoon',
    evalTime: '70m',
    fire: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '140-1x100'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x100')],
    calm: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '150x100'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x100')],
    moreCalm: [[s(`kubelet_volume_stats_available_bytes{${PVC}}`, '900-1x100'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x100')]],
  },
  {
    alert: 'KubePersistentVolumeInodesFillingUp',
    evalTime: '10m',
    fire: [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '29x20'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x20')],
    calm: [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '30x20'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x20')],
  },
  {
    // 15 % free is the edge; a falling count with plenty free stays silent
    alert: 'KubePersistentVolumeInodesFillingUpSoon',
    evalTime: '70m',
    fire: [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '140-1x100'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x100')],
    calm: [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '150x100'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x100')],
    moreCalm: [
      [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '900-1x100'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x100')],
      [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '140x100'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x100')],
    ],
  },
  {
    alert: 'KubePersistentVolumeErrors',
    evalTime: '10m',
    fire: [s('kube_persistentvolume_status_phase{job="kube-state-metrics", persistentvolume="pv-1", phase="Failed"}', '1x20')],
    calm: [s('kube_persistentvolume_status_phase{job="kube-state-metrics", persistentvolume="pv-1", phase="Failed"}', '0x20'), s('kube_persistentvolume_status_phase{job="kube-state-metrics", persistentvolume="pv-1", phase="Bound"}', '1x20')],
  },
];

/** GoldenSignalsRules (service frontend, defaults). */
export const GOLDEN_FIXTURES: AlertFixture[] = [
  {
    alert: 'HighErrorRate',
    evalTime: '20m',
    fire: [s('frontend_requests_total{job="frontend", code="200"}', '0+94x30'), s('frontend_requests_total{job="frontend", code="500"}', '0+6x30')],
    calm: [s('frontend_requests_total{job="frontend", code="200"}', '0+95x30'), s('frontend_requests_total{job="frontend", code="500"}', '0+5x30')],
  },
  {
    alert: 'HighLatency',
    evalTime: '20m',
    fire: [s('frontend_request_duration_seconds_bucket{job="frontend", le="0.1"}', '0x30'), s('frontend_request_duration_seconds_bucket{job="frontend", le="1"}', '0+100x30'), s('frontend_request_duration_seconds_bucket{job="frontend", le="+Inf"}', '0+100x30')],
    calm: [s('frontend_request_duration_seconds_bucket{job="frontend", le="0.1"}', '0+100x30'), s('frontend_request_duration_seconds_bucket{job="frontend", le="1"}', '0+100x30'), s('frontend_request_duration_seconds_bucket{job="frontend", le="+Inf"}', '0+100x30')],
  },
];

const up = (sel: string, v: string) => s(`up{${sel}}`, v);
/** StackSelfMonitoringRules in namespace monitoring, with every component kind watched (see the test). */
export const SELF_FIXTURES: AlertFixture[] = [
  { alert: 'PrometheusDown', evalTime: '10m', fire: [up(P, '0x20')], calm: [up(P, '1x20')], moreCalm: [[up(P, '1x5 0x15')]] },
  { alert: 'AlertmanagerDown', evalTime: '10m', fire: [up(AM, '0x20')], calm: [up(AM, '1x20')] },
  { alert: 'PrometheusOperatorDown', evalTime: '15m', fire: [], calm: [up(OP, '1x20')] },
  { alert: 'PrometheusRuleEvaluationFailures', evalTime: '25m', fire: [s(`prometheus_rule_evaluation_failures_total{${P}, rule_group="g"}`, '0+1x30')], calm: [s(`prometheus_rule_evaluation_failures_total{${P}, rule_group="g"}`, '0x30')] },
  {
    alert: 'PrometheusNotificationsFailing',
    evalTime: '25m',
    fire: [s(`prometheus_notifications_errors_total{${P}, alertmanager="a"}`, '0+2x30'), s(`prometheus_notifications_sent_total{${P}, alertmanager="a"}`, '0+100x30')],
    calm: [s(`prometheus_notifications_errors_total{${P}, alertmanager="a"}`, '0+1x30'), s(`prometheus_notifications_sent_total{${P}, alertmanager="a"}`, '0+100x30')],
  },
  { alert: 'PrometheusNotConnectedToAlertmanagers', evalTime: '20m', fire: [s(`prometheus_notifications_alertmanagers_discovered{${P}}`, '0x30')], calm: [s(`prometheus_notifications_alertmanagers_discovered{${P}}`, '1x30')] },
  {
    alert: 'AlertmanagerNotificationsFailing',
    evalTime: '15m',
    fire: [s(`alertmanager_notifications_failed_total{${AM}, instance="a", integration="slack"}`, '0+2x20'), s(`alertmanager_notifications_total{${AM}, instance="a", integration="slack"}`, '0+100x20')],
    calm: [s(`alertmanager_notifications_failed_total{${AM}, instance="a", integration="slack"}`, '0+1x20'), s(`alertmanager_notifications_total{${AM}, instance="a", integration="slack"}`, '0+100x20')],
  },
  { alert: 'PrometheusConfigReloadFailed', evalTime: '20m', fire: [s(`prometheus_config_last_reload_successful{${P}}`, '0x30')], calm: [s(`prometheus_config_last_reload_successful{${P}}`, '1x30')] },
  { alert: 'AlertmanagerConfigReloadFailed', evalTime: '20m', fire: [s(`alertmanager_config_last_reload_successful{${AM}, instance="a"}`, '0x30')], calm: [s(`alertmanager_config_last_reload_successful{${AM}, instance="a"}`, '1x30')] },
  {
    alert: 'PrometheusOperatorReconcileErrors',
    evalTime: '20m',
    fire: [s(`prometheus_operator_reconcile_errors_total{${OP}, controller="prometheus"}`, '0+11x30'), s(`prometheus_operator_reconcile_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
    calm: [s(`prometheus_operator_reconcile_errors_total{${OP}, controller="prometheus"}`, '0+10x30'), s(`prometheus_operator_reconcile_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
  },
  { alert: 'PrometheusTSDBCompactionsFailing', evalTime: '25m', fire: [s(`prometheus_tsdb_compactions_failed_total{${P}}`, '0+1x30')], calm: [s(`prometheus_tsdb_compactions_failed_total{${P}}`, '0x30')] },
  { alert: 'PrometheusSDRefreshFailure', evalTime: '30m', fire: [s(`prometheus_sd_refresh_failures_total{${P}, mechanism="kubernetes"}`, '0+1x40')], calm: [s(`prometheus_sd_refresh_failures_total{${P}, mechanism="kubernetes"}`, '0x40')] },
  { alert: 'PrometheusKubernetesListWatchFailures', evalTime: '25m', fire: [s(`prometheus_sd_kubernetes_failures_total{${P}}`, '0+1x30')], calm: [s(`prometheus_sd_kubernetes_failures_total{${P}}`, '0x30')] },
  {
    alert: 'PrometheusNotificationQueueRunningFull',
    evalTime: '25m',
    fire: [s(`prometheus_notifications_queue_length{${P}}`, '0+400x30'), s(`prometheus_notifications_queue_capacity{${P}}`, '10000x30')],
    calm: [s(`prometheus_notifications_queue_length{${P}}`, '10x30'), s(`prometheus_notifications_queue_capacity{${P}}`, '10000x30')],
  },
  {
    alert: 'PrometheusNotIngestingSamples',
    evalTime: '20m',
    fire: [s(`prometheus_tsdb_head_samples_appended_total{${P}, type="float"}`, '100x30'), s(`prometheus_sd_discovered_targets{${P}, config="c", name="scrape"}`, '5x30')],
    calm: [s(`prometheus_tsdb_head_samples_appended_total{${P}, type="float"}`, '0+100x30'), s(`prometheus_sd_discovered_targets{${P}, config="c", name="scrape"}`, '5x30')],
    moreCalm: [[s(`prometheus_tsdb_head_samples_appended_total{${P}, type="float"}`, '100x30'), s(`prometheus_sd_discovered_targets{${P}, config="c", name="scrape"}`, '0x30')]],
  },
  { alert: 'PrometheusMissingRuleEvaluations', evalTime: '25m', fire: [s(`prometheus_rule_group_iterations_missed_total{${P}, rule_group="g"}`, '0+1x30')], calm: [s(`prometheus_rule_group_iterations_missed_total{${P}, rule_group="g"}`, '0x30')] },
  { alert: 'PrometheusTargetLimitHit', evalTime: '25m', fire: [s(`prometheus_target_scrape_pool_exceeded_target_limit_total{${P}}`, '0+1x30')], calm: [s(`prometheus_target_scrape_pool_exceeded_target_limit_total{${P}}`, '0x30')] },
  { alert: 'PrometheusScrapeSampleLimitHit', evalTime: '25m', fire: [s(`prometheus_target_scrapes_exceeded_sample_limit_total{${P}}`, '0+1x30')], calm: [s(`prometheus_target_scrapes_exceeded_sample_limit_total{${P}}`, '0x30')] },
  { alert: 'PrometheusTSDBReloadsFailing', evalTime: '25m', fire: [s(`prometheus_tsdb_reloads_failures_total{${P}}`, '0+1x30')], calm: [s(`prometheus_tsdb_reloads_failures_total{${P}}`, '0x30')] },
  {
    // failed / (failed + sent): 1 of 100 is the edge
    alert: 'PrometheusRemoteWriteFailures',
    evalTime: '25m',
    fire: [s(`prometheus_remote_storage_samples_failed_total{${P}, remote_name="mimir"}`, '0+2x30'), s(`prometheus_remote_storage_samples_total{${P}, remote_name="mimir"}`, '0+98x30')],
    calm: [s(`prometheus_remote_storage_samples_failed_total{${P}, remote_name="mimir"}`, '0+1x30'), s(`prometheus_remote_storage_samples_total{${P}, remote_name="mimir"}`, '0+99x30')],
  },
  {
    alert: 'AlertmanagerClusterMembersInconsistent',
    evalTime: '25m',
    fire: [s(`alertmanager_cluster_members{${AM}, instance="a"}`, '1x30'), s(`alertmanager_cluster_members{${AM}, instance="b"}`, '2x30')],
    calm: [s(`alertmanager_cluster_members{${AM}, instance="a"}`, '2x30'), s(`alertmanager_cluster_members{${AM}, instance="b"}`, '2x30')],
  },
  { alert: 'PrometheusOperatorSyncFailed', evalTime: '20m', fire: [s(`prometheus_operator_syncs{${OP}, controller="prometheus", status="failed"}`, '1x30')], calm: [s(`prometheus_operator_syncs{${OP}, controller="prometheus", status="failed"}`, '0x30')] },
  { alert: 'PrometheusOperatorRejectedResources', evalTime: '20m', fire: [s(`prometheus_operator_managed_resources{${OP}, resource="servicemonitors", state="rejected"}`, '1x30')], calm: [s(`prometheus_operator_managed_resources{${OP}, resource="servicemonitors", state="rejected"}`, '0x30')] },
  {
    alert: 'PrometheusOperatorWatchErrors',
    evalTime: '25m',
    fire: [s(`prometheus_operator_watch_operations_failed_total{${OP}, controller="prometheus"}`, '0+41x30'), s(`prometheus_operator_watch_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
    calm: [s(`prometheus_operator_watch_operations_failed_total{${OP}, controller="prometheus"}`, '0+40x30'), s(`prometheus_operator_watch_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
  },
  // the Prometheus and operator mixin alerts added with the split packs
  { alert: 'PrometheusDuplicateTimestamps', evalTime: '20m', fire: [s(`prometheus_target_scrapes_sample_duplicate_timestamp_total{${P}}`, '0+5x30')], calm: [s(`prometheus_target_scrapes_sample_duplicate_timestamp_total{${P}}`, '3x30')] },
  { alert: 'PrometheusOutOfOrderTimestamps', evalTime: '20m', fire: [s(`prometheus_target_scrapes_sample_out_of_order_total{${P}}`, '0+5x30')], calm: [s(`prometheus_target_scrapes_sample_out_of_order_total{${P}}`, '3x30')] },
  {
    // newest sample 300 s ahead of the newest sent one fires; exactly 120 s (the edge) does not
    alert: 'PrometheusRemoteWriteBehind',
    evalTime: '25m',
    fire: [s(`prometheus_remote_storage_highest_timestamp_in_seconds{${P}}`, '1000+60x30'), s(`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${P}, remote_name="mimir", url="http://mimir/push"}`, '700+60x30')],
    calm: [s(`prometheus_remote_storage_highest_timestamp_in_seconds{${P}}`, '1000+60x30'), s(`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${P}, remote_name="mimir", url="http://mimir/push"}`, '880+60x30')],
  },
  {
    alert: 'PrometheusRemoteWriteDesiredShards',
    evalTime: '25m',
    fire: [s(`prometheus_remote_storage_shards_desired{${P}, remote_name="mimir", url="u"}`, '11x30'), s(`prometheus_remote_storage_shards_max{${P}, remote_name="mimir", url="u"}`, '10x30')],
    calm: [s(`prometheus_remote_storage_shards_desired{${P}, remote_name="mimir", url="u"}`, '10x30'), s(`prometheus_remote_storage_shards_max{${P}, remote_name="mimir", url="u"}`, '10x30')],
  },
  { alert: 'PrometheusTargetSyncFailure', evalTime: '20m', fire: [s(`prometheus_target_sync_failed_total{${P}, scrape_job="web"}`, '0+1x30')], calm: [s(`prometheus_target_sync_failed_total{${P}, scrape_job="web"}`, '2x30')] },
  {
    // 16 of 20 concurrent queries is the 0.8 edge
    alert: 'PrometheusHighQueryLoad',
    evalTime: '25m',
    fire: [s(`prometheus_engine_queries{${P}}`, '17x30'), s(`prometheus_engine_queries_concurrent_max{${P}}`, '20x30')],
    calm: [s(`prometheus_engine_queries{${P}}`, '16x30'), s(`prometheus_engine_queries_concurrent_max{${P}}`, '20x30')],
  },
  {
    alert: 'PrometheusOperatorStatusUpdateErrors',
    evalTime: '20m',
    fire: [s(`prometheus_operator_status_update_errors_total{${OP}, controller="prometheus"}`, '0+11x30'), s(`prometheus_operator_status_update_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
    calm: [s(`prometheus_operator_status_update_errors_total{${OP}, controller="prometheus"}`, '0+10x30'), s(`prometheus_operator_status_update_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
  },
  {
    // 12 a minute is 0.2/s; 3 a minute (0.05/s) stays under the 0.1/s default
    alert: 'PrometheusOperatorNodeLookupErrors',
    evalTime: '20m',
    fire: [s(`prometheus_operator_node_address_lookup_errors_total{${OP}}`, '0+12x30')],
    calm: [s(`prometheus_operator_node_address_lookup_errors_total{${OP}}`, '0+3x30')],
  },
  {
    alert: 'StackVolumeFillingUp',
    evalTime: '70m',
    fire: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '140-1x100'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x100')],
    calm: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '150x100'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x100')],
    moreCalm: [[s('kubelet_volume_stats_available_bytes{namespace="dev", persistentvolumeclaim="x"}', '140-1x100'), s('kubelet_volume_stats_capacity_bytes{namespace="dev", persistentvolumeclaim="x"}', '1000x100')]],
  },
  {
    alert: 'StackVolumeAlmostFull',
    evalTime: '10m',
    fire: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '29x20'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x20')],
    calm: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '30x20'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x20')],
  },
];

/** Selector of a watched component's Service `svc` in namespace monitoring. */
const C = (svc: string) => `namespace="monitoring", service="${svc}", job="${svc}", instance="i"`;
for (const [kind, svc] of [['Loki', 'loki'], ['Tempo', 'tempo'], ['Grafana', 'grafana'], ['Alloy', 'alloy-logs'], ['KubeStateMetrics', 'kube-state-metrics'], ['NodeExporter', 'node-exporter'], ['Pyroscope', 'pyroscope'], ['OtelCollector', 'otel-collector'], ['SeaweedFS', 'seaweedfs'], ['OpenCost', 'opencost'], ['Kepler', 'kepler'], ['Promtail', 'promtail']]) {
  SELF_FIXTURES.push({ alert: `${kind}Down`, evalTime: '10m', fire: [up(C(svc), '0x20')], calm: [up(C(svc), '1x20')], moreCalm: [[up(C(svc), '1x10 0x10')]] });
  SELF_FIXTURES.push({ alert: `${kind}Down`, evalTime: '10m', fire: [up('namespace="monitoring", service="other"', '1x20')], calm: [up(C(svc), '1x20')] });
}
SELF_FIXTURES.push(
  {
    alert: 'GrafanaRequestErrors',
    evalTime: '25m',
    fire: [s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="500"}`, '0+6x30'), s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="200"}`, '0+94x30')],
    calm: [s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="500"}`, '0+5x30'), s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="200"}`, '0+95x30')],
  },
  {
    alert: 'AlloyComponentsUnhealthy',
    evalTime: '25m',
    fire: [s(`alloy_component_controller_running_components{${C('alloy-logs')}, health_type="unhealthy"}`, '1x30')],
    calm: [s(`alloy_component_controller_running_components{${C('alloy-logs')}, health_type="unhealthy"}`, '0x30'), s(`alloy_component_controller_running_components{${C('alloy-logs')}, health_type="healthy"}`, '7x30')],
  },
  { alert: 'AlloyConfigReloadFailed', evalTime: '20m', fire: [s(`alloy_config_last_load_successful{${C('alloy-logs')}}`, '0x30')], calm: [s(`alloy_config_last_load_successful{${C('alloy-logs')}}`, '1x30')] },
  {
    alert: 'KubeStateMetricsListErrors',
    evalTime: '25m',
    fire: [s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="error"}`, '0+2x30'), s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="success"}`, '0+98x30')],
    calm: [s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="error"}`, '0+1x30'), s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="success"}`, '0+99x30')],
  },
  { alert: 'NodeExporterCollectorFailed', evalTime: '25m', fire: [s(`node_scrape_collector_success{${C('node-exporter')}, collector="filesystem"}`, '0x30')], calm: [s(`node_scrape_collector_success{${C('node-exporter')}, collector="filesystem"}`, '1x30')] },
  {
    alert: 'PyroscopeRequestErrors',
    evalTime: '25m',
    fire: [s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="503"}`, '0+6x30'), s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="200"}`, '0+94x30')],
    calm: [s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="503"}`, '0+5x30'), s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="200"}`, '0+95x30')],
  },
  { alert: 'OtelCollectorExportFailures', evalTime: '25m', fire: [s(`otelcol_exporter_send_failed_spans_total{${C('otel-collector')}, exporter="otlp/tempo"}`, '0+5x30')], calm: [s(`otelcol_exporter_send_failed_spans_total{${C('otel-collector')}, exporter="otlp/tempo"}`, '0x30')] },
  { alert: 'OtelCollectorExportFailures', evalTime: '25m', fire: [s(`otelcol_exporter_send_failed_log_records_total{${C('otel-collector')}, exporter="otlphttp/loki"}`, '0+5x30')], calm: [s(`otelcol_exporter_send_failed_metric_points_total{${C('otel-collector')}, exporter="prometheusremotewrite"}`, '0x30')] },
  {
    // a flat drop counter (old drops) is the edge: only entries dropped now fire
    alert: 'PromtailDroppedEntries',
    evalTime: '25m',
    fire: [s(`promtail_dropped_entries_total{${C('promtail')}, host="loki:3100"}`, '0+3x30')],
    calm: [s(`promtail_dropped_entries_total{${C('promtail')}, host="loki:3100"}`, '12x30')],
  },
  {
    // 5 % of a request type answered with 5xx is the edge
    alert: 'SeaweedFSS3RequestErrors',
    evalTime: '25m',
    fire: [s(`SeaweedFS_s3_request_total{${C('seaweedfs')}, type="PUT", code="500", bucket="loki"}`, '0+6x30'), s(`SeaweedFS_s3_request_total{${C('seaweedfs')}, type="PUT", code="200", bucket="loki"}`, '0+94x30')],
    calm: [s(`SeaweedFS_s3_request_total{${C('seaweedfs')}, type="PUT", code="500", bucket="loki"}`, '0+5x30'), s(`SeaweedFS_s3_request_total{${C('seaweedfs')}, type="PUT", code="200", bucket="loki"}`, '0+95x30')],
    moreCalm: [[s(`SeaweedFS_s3_request_total{${C('seaweedfs')}, type="GET", code="404", bucket="loki"}`, '0+50x30'), s(`SeaweedFS_s3_request_total{${C('seaweedfs')}, type="GET", code="200", bucket="loki"}`, '0+50x30')]],
  },
  {
    // answers its scrapes but reports no node cost for 30 minutes
    alert: 'OpenCostNoCostData',
    evalTime: '35m',
    fire: [up(C('opencost'), '1x40')],
    calm: [up(C('opencost'), '1x40'), s(`node_total_hourly_cost{${C('opencost')}, node="n1"}`, '0.1x40')],
    moreCalm: [[up(C('opencost'), '0x40')], [up(C('opencost'), '1x40'), s(`node_total_hourly_cost{${C('opencost')}, node="n1"}`, '_x10 0.1x30')]],
  },
  {
    alert: 'KeplerNoEnergyReadings',
    evalTime: '35m',
    fire: [up(C('kepler'), '1x40'), s(`kepler_node_cpu_joules_total{${C('kepler')}, zone="package"}`, '100x40')],
    calm: [up(C('kepler'), '1x40'), s(`kepler_node_cpu_joules_total{${C('kepler')}, zone="package"}`, '0+60x40')],
    moreCalm: [[up(C('kepler'), '0x40')]],
  },
  { alert: 'KeplerNoEnergyReadings', evalTime: '35m', fire: [up(C('kepler'), '1x40')], calm: [up(C('kepler'), '1x40'), s(`kepler_node_cpu_joules_total{${C('kepler')}, zone="package"}`, '0+1x40')] },
);

/** Beyla, watched through kube-state-metrics (its DaemonSet `beyla` in monitoring-agents). */
const BDS = 'job="kube-state-metrics", namespace="monitoring-agents", daemonset="beyla"';
const beylaDs = (desired: string, available: string) => [s(`kube_daemonset_status_desired_number_scheduled{${BDS}}`, desired), s(`kube_daemonset_status_number_available{${BDS}}`, available)];
const restarts = (pod: string, container: string, v: string) => s(`kube_pod_container_status_restarts_total{job="kube-state-metrics", namespace="monitoring-agents", pod="${pod}", container="${container}"}`, v);
SELF_FIXTURES.push(
  // one node short for 10 minutes fires; all available is the edge; short for 9 minutes is still pending
  { alert: 'BeylaDown', evalTime: '15m', fire: beylaDs('3x20', '2x20'), calm: beylaDs('3x20', '3x20'), moreCalm: [beylaDs('3x20', '3x5 2x15')] },
  // the DaemonSet not reported at all
  { alert: 'BeylaDown', evalTime: '15m', fire: [s('kube_daemonset_status_desired_number_scheduled{job="kube-state-metrics", namespace="monitoring-agents", daemonset="other"}', '3x20')], calm: beylaDs('3x20', '3x20') },
  {
    // 3 restarts in 30 minutes fires, 2 is the edge; other containers and other DaemonSets' pods do not count
    alert: 'BeylaRestarting',
    evalTime: '35m',
    fire: [restarts('beyla-x7k2p', 'beyla', '0x10 1x10 3x20')],
    calm: [restarts('beyla-x7k2p', 'beyla', '0x10 1x10 2x20')],
    moreCalm: [[restarts('beyla-x7k2p', 'sidecar', '0+1x40')], [restarts('beyla-agent-x7k2p', 'beyla', '0+1x40')]],
  },
);

const NE = 'job="node-exporter", namespace="monitoring-agents", instance="n1"';
const FS = `${NE}, device="/dev/sda1", mountpoint="/", fstype="ext4"`;
const fsSeries = (avail: string, size: string, ro = '0x100') => [s(`node_filesystem_avail_bytes{${FS}}`, avail), s(`node_filesystem_size_bytes{${FS}}`, size), s(`node_filesystem_readonly{${FS}}`, ro)];
const filesSeries = (free: string, total: string, ro = '0x100') => [s(`node_filesystem_files_free{${FS}}`, free), s(`node_filesystem_files{${FS}}`, total), s(`node_filesystem_readonly{${FS}}`, ro)];
/** NodeExporterRules (defaults). */
export const NODE_FIXTURES: AlertFixture[] = [
  { alert: 'NodeFilesystemAlmostOutOfSpace', evalTime: '40m', fire: fsSeries('29x50', '1000x50'), calm: fsSeries('30x50', '1000x50'), moreCalm: [fsSeries('10x50', '1000x50', '1x100')] },
  { alert: 'NodeFilesystemSpaceFillingUp', evalTime: '70m', fire: fsSeries('140-1x100', '1000x100'), calm: fsSeries('150x100', '1000x100'), moreCalm: [fsSeries('149x100', '1000x100')] },
  { alert: 'NodeFilesystemAlmostOutOfFiles', evalTime: '70m', fire: filesSeries('29x100', '1000x100'), calm: filesSeries('30x100', '1000x100') },
  { alert: 'NodeFilesystemFilesFillingUp', evalTime: '70m', fire: filesSeries('190-1x100', '1000x100'), calm: filesSeries('200x100', '1000x100') },
  {
    alert: 'NodeNetworkReceiveErrs',
    evalTime: '70m',
    fire: [s(`node_network_receive_errs_total{${NE}, device="eth0"}`, '0+2x100'), s(`node_network_receive_packets_total{${NE}, device="eth0"}`, '0+100x100')],
    calm: [s(`node_network_receive_errs_total{${NE}, device="eth0"}`, '0+1x100'), s(`node_network_receive_packets_total{${NE}, device="eth0"}`, '0+100x100')],
  },
  {
    alert: 'NodeNetworkTransmitErrs',
    evalTime: '70m',
    fire: [s(`node_network_transmit_errs_total{${NE}, device="eth0"}`, '0+2x100'), s(`node_network_transmit_packets_total{${NE}, device="eth0"}`, '0+100x100')],
    calm: [s(`node_network_transmit_errs_total{${NE}, device="eth0"}`, '0+1x100'), s(`node_network_transmit_packets_total{${NE}, device="eth0"}`, '0+100x100')],
  },
  {
    // two carrier changes in 2 minutes is the edge; pod-side interfaces are left out
    alert: 'NodeNetworkInterfaceFlapping',
    evalTime: '20m',
    fire: [s(`node_network_carrier_changes_total{${NE}, device="eth0"}`, '0+2x30')],
    calm: [s(`node_network_carrier_changes_total{${NE}, device="eth0"}`, '0+1x30')],
    moreCalm: [[s(`node_network_carrier_changes_total{${NE}, device="cali0a1b2c"}`, '0+10x30')], [s(`node_network_carrier_changes_total{${NE}, device="eth0"}`, '0x18 0+10x1 10x11')]],
  },
  {
    alert: 'NodeHighNumberConntrackEntriesUsed',
    evalTime: '5m',
    fire: [s(`node_nf_conntrack_entries{${NE}}`, '76x10'), s(`node_nf_conntrack_entries_limit{${NE}}`, '100x10')],
    calm: [s(`node_nf_conntrack_entries{${NE}}`, '75x10'), s(`node_nf_conntrack_entries_limit{${NE}}`, '100x10')],
  },
  { alert: 'NodeClockSkewDetected', evalTime: '20m', fire: [s(`node_timex_offset_seconds{${NE}}`, '-0.06x30')], calm: [s(`node_timex_offset_seconds{${NE}}`, '0.05x30')] },
  {
    alert: 'NodeClockNotSynchronising',
    evalTime: '20m',
    fire: [s(`node_timex_sync_status{${NE}}`, '0x30'), s(`node_timex_maxerror_seconds{${NE}}`, '16x30')],
    calm: [s(`node_timex_sync_status{${NE}}`, '1x30'), s(`node_timex_maxerror_seconds{${NE}}`, '16x30')],
    moreCalm: [[s(`node_timex_sync_status{${NE}}`, '0x30'), s(`node_timex_maxerror_seconds{${NE}}`, '1x30')]],
  },
  {
    alert: 'NodeMemoryHighUtilization',
    evalTime: '20m',
    fire: [s(`node_memory_MemAvailable_bytes{${NE}}`, '99x30'), s(`node_memory_MemTotal_bytes{${NE}}`, '1000x30')],
    calm: [s(`node_memory_MemAvailable_bytes{${NE}}`, '100x30'), s(`node_memory_MemTotal_bytes{${NE}}`, '1000x30')],
  },
  {
    // idle 0.09 s/s of one CPU: 91 % busy fires; idle 0.1 s/s is the edge
    alert: 'NodeCPUHighUsage',
    evalTime: '25m',
    fire: [s(`node_cpu_seconds_total{${NE}, cpu="0", mode="idle"}`, '0+5.4x30')],
    calm: [s(`node_cpu_seconds_total{${NE}, cpu="0", mode="idle"}`, '0+6x30')],
  },
  {
    alert: 'NodeSystemSaturation',
    evalTime: '20m',
    fire: [s(`node_load1{${NE}}`, '4.1x30'), s(`node_cpu_seconds_total{${NE}, cpu="0", mode="idle"}`, '0+1x30'), s(`node_cpu_seconds_total{${NE}, cpu="1", mode="idle"}`, '0+1x30')],
    calm: [s(`node_load1{${NE}}`, '4x30'), s(`node_cpu_seconds_total{${NE}, cpu="0", mode="idle"}`, '0+1x30'), s(`node_cpu_seconds_total{${NE}, cpu="1", mode="idle"}`, '0+1x30')],
  },
  { alert: 'NodeDiskIOSaturation', evalTime: '40m', fire: [s(`node_disk_io_time_weighted_seconds_total{${NE}, device="sda"}`, '0+660x50')], calm: [s(`node_disk_io_time_weighted_seconds_total{${NE}, device="sda"}`, '0+600x50')] },
  { alert: 'NodeMemoryMajorPagesFaults', evalTime: '25m', fire: [s(`node_vmstat_pgmajfault{${NE}}`, '0+30060x30')], calm: [s(`node_vmstat_pgmajfault{${NE}}`, '0+30000x30')] },
  {
    alert: 'NodeRAIDDegraded',
    evalTime: '20m',
    fire: [s(`node_md_disks_required{${NE}, device="md0"}`, '2x30'), s(`node_md_disks{${NE}, device="md0", state="active"}`, '1x30')],
    calm: [s(`node_md_disks_required{${NE}, device="md0"}`, '2x30'), s(`node_md_disks{${NE}, device="md0", state="active"}`, '2x30')],
  },
  {
    alert: 'NodeBondingDegraded',
    evalTime: '10m',
    fire: [s(`node_bonding_slaves{${NE}, master="bond0"}`, '2x20'), s(`node_bonding_active{${NE}, master="bond0"}`, '1x20')],
    calm: [s(`node_bonding_slaves{${NE}, master="bond0"}`, '2x20'), s(`node_bonding_active{${NE}, master="bond0"}`, '2x20')],
  },
  {
    alert: 'NodeFileDescriptorLimit',
    evalTime: '20m',
    fire: [s(`node_filefd_allocated{${NE}}`, '71x30'), s(`node_filefd_maximum{${NE}}`, '100x30')],
    calm: [s(`node_filefd_allocated{${NE}}`, '70x30'), s(`node_filefd_maximum{${NE}}`, '100x30')],
  },
  { alert: 'NodeTextFileCollectorScrapeError', evalTime: '5m', fire: [s(`node_textfile_scrape_error{${NE}}`, '1x10')], calm: [s(`node_textfile_scrape_error{${NE}}`, '0x10')] },
];

const KS = 'job="kube-state-metrics"';
const KL = 'job="kubelet", metrics_path="/metrics", instance="10.0.0.1:10250"';
const alloc = (cpuA: string, cpuB: string) => [s(`kube_node_status_allocatable{${KS}, node="a", resource="cpu"}`, cpuA), s(`kube_node_status_allocatable{${KS}, node="b", resource="cpu"}`, cpuB)];
/** KubernetesSystemRules with distribution SELF_MANAGED (every group on). */
export const SYSTEM_FIXTURES: AlertFixture[] = [
  {
    alert: 'KubeNodeNotReady',
    evalTime: '20m',
    fire: [s(`kube_node_status_condition{${KS}, node="a", condition="Ready", status="true"}`, '0x30')],
    calm: [s(`kube_node_status_condition{${KS}, node="a", condition="Ready", status="true"}`, '1x30')],
  },
  { alert: 'KubeNodeUnreachable', evalTime: '20m', fire: [s(`kube_node_spec_taint{${KS}, node="a", key="node.kubernetes.io/unreachable", effect="NoSchedule"}`, '1x30')], calm: [] },
  {
    alert: 'KubeNodeReadinessFlapping',
    evalTime: '40m',
    fire: [s(`kube_node_status_condition{${KS}, node="a", condition="Ready", status="true"}`, '1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1')],
    // two changes in 15 minutes is the edge
    calm: [s(`kube_node_status_condition{${KS}, node="a", condition="Ready", status="true"}`, '1x20 0x1 1x20')],
  },
  {
    alert: 'KubeNodePressure',
    evalTime: '20m',
    fire: [s(`kube_node_status_condition{${KS}, node="a", condition="DiskPressure", status="true"}`, '1x30')],
    calm: [s(`kube_node_status_condition{${KS}, node="a", condition="DiskPressure", status="true"}`, '0x30')],
  },
  {
    // two nodes of 4 CPUs: losing one leaves 4; 4.5 requested fires, 4 is the edge
    alert: 'KubeCPUOvercommit',
    evalTime: '20m',
    fire: [...alloc('4x30', '4x30'), s(`kube_pod_container_resource_requests{${KS}, pod="p", container="c", resource="cpu"}`, '4.5x30')],
    calm: [...alloc('4x30', '4x30'), s(`kube_pod_container_resource_requests{${KS}, pod="p", container="c", resource="cpu"}`, '4x30')],
  },
  {
    alert: 'KubeMemoryOvercommit',
    evalTime: '20m',
    fire: [s(`kube_node_status_allocatable{${KS}, node="a", resource="memory"}`, '1000x30'), s(`kube_node_status_allocatable{${KS}, node="b", resource="memory"}`, '1000x30'), s(`kube_pod_container_resource_requests{${KS}, pod="p", container="c", resource="memory"}`, '1001x30')],
    calm: [s(`kube_node_status_allocatable{${KS}, node="a", resource="memory"}`, '1000x30'), s(`kube_node_status_allocatable{${KS}, node="b", resource="memory"}`, '1000x30'), s(`kube_pod_container_resource_requests{${KS}, pod="p", container="c", resource="memory"}`, '1000x30')],
  },
  {
    // two nodes of 4 CPUs (8): quotas of 12 CPUs are the 1.5 edge; a quota naming both cpu and
    // requests.cpu counts once, at the smaller value
    alert: 'KubeCPUQuotaOvercommit',
    evalTime: '20m',
    fire: [...alloc('4x30', '4x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="requests.cpu", type="hard"}`, '8x30'), s(`kube_resourcequota{${KS}, namespace="b", resourcequota="q", resource="cpu", type="hard"}`, '4.5x30')],
    calm: [...alloc('4x30', '4x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="requests.cpu", type="hard"}`, '8x30'), s(`kube_resourcequota{${KS}, namespace="b", resourcequota="q", resource="cpu", type="hard"}`, '4x30')],
    moreCalm: [
      [...alloc('4x30', '4x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="requests.cpu", type="hard"}`, '12x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="cpu", type="hard"}`, '40x30')],
      [...alloc('4x30', '4x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="requests.cpu", type="used"}`, '40x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="limits.cpu", type="hard"}`, '40x30')],
    ],
  },
  {
    alert: 'KubeMemoryQuotaOvercommit',
    evalTime: '20m',
    fire: [s(`kube_node_status_allocatable{${KS}, node="a", resource="memory"}`, '1000x30'), s(`kube_node_status_allocatable{${KS}, node="b", resource="memory"}`, '1000x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="requests.memory", type="hard"}`, '3001x30')],
    calm: [s(`kube_node_status_allocatable{${KS}, node="a", resource="memory"}`, '1000x30'), s(`kube_node_status_allocatable{${KS}, node="b", resource="memory"}`, '1000x30'), s(`kube_resourcequota{${KS}, namespace="a", resourcequota="q", resource="requests.memory", type="hard"}`, '3000x30')],
  },
  { alert: 'KubeletDown', evalTime: '20m', fire: [s(`up{${KL}}`, '0x30')], calm: [s(`up{${KL}}`, '1x30')], moreCalm: [[s(`up{${KL}}`, '1x10 0x20')]] },
  {
    alert: 'KubeletPlegDurationHigh',
    evalTime: '20m',
    fire: [s(`kubelet_pleg_relist_duration_seconds_bucket{${KL}, le="10"}`, '0x30'), s(`kubelet_pleg_relist_duration_seconds_bucket{${KL}, le="+Inf"}`, '0+10x30')],
    calm: [s(`kubelet_pleg_relist_duration_seconds_bucket{${KL}, le="1"}`, '0+10x30'), s(`kubelet_pleg_relist_duration_seconds_bucket{${KL}, le="10"}`, '0+10x30'), s(`kubelet_pleg_relist_duration_seconds_bucket{${KL}, le="+Inf"}`, '0+10x30')],
  },
  {
    alert: 'KubeletPodStartUpLatencyHigh',
    evalTime: '25m',
    fire: [s(`kubelet_pod_worker_duration_seconds_bucket{${KL}, le="60"}`, '0x30'), s(`kubelet_pod_worker_duration_seconds_bucket{${KL}, le="120"}`, '0+10x30'), s(`kubelet_pod_worker_duration_seconds_bucket{${KL}, le="+Inf"}`, '0+10x30')],
    calm: [s(`kubelet_pod_worker_duration_seconds_bucket{${KL}, le="10"}`, '0+10x30'), s(`kubelet_pod_worker_duration_seconds_bucket{${KL}, le="60"}`, '0+10x30'), s(`kubelet_pod_worker_duration_seconds_bucket{${KL}, le="+Inf"}`, '0+10x30')],
  },
  { alert: 'KubeletClientCertificateExpiration', evalTime: '5m', fire: [s(`kubelet_certificate_manager_client_ttl_seconds{${KL}}`, '604799x10')], calm: [s(`kubelet_certificate_manager_client_ttl_seconds{${KL}}`, '604800x10')] },
  { alert: 'KubeletServerCertificateExpiration', evalTime: '5m', fire: [s(`kubelet_certificate_manager_server_ttl_seconds{${KL}}`, '3600x10')], calm: [s(`kubelet_certificate_manager_server_ttl_seconds{${KL}}`, '604800x10')] },
  { alert: 'KubeletClientCertificateRenewalErrors', evalTime: '25m', fire: [s(`kubelet_certificate_manager_client_expiration_renew_errors{${KL}}`, '0+1x30')], calm: [s(`kubelet_certificate_manager_client_expiration_renew_errors{${KL}}`, '0x30')] },
  { alert: 'KubeletServerCertificateRenewalErrors', evalTime: '25m', fire: [s(`kubelet_server_expiration_renew_errors{${KL}}`, '0+1x30')], calm: [s(`kubelet_server_expiration_renew_errors{${KL}}`, '0x30')] },
  {
    alert: 'KubeClientErrors',
    evalTime: '25m',
    fire: [s(`rest_client_requests_total{${KL}, code="500"}`, '0+2x30'), s(`rest_client_requests_total{${KL}, code="200"}`, '0+98x30')],
    calm: [s(`rest_client_requests_total{${KL}, code="500"}`, '0+1x30'), s(`rest_client_requests_total{${KL}, code="200"}`, '0+99x30')],
  },
  {
    alert: 'KubeVersionMismatch',
    evalTime: '20m',
    fire: [s('kubernetes_build_info{job="kubelet", metrics_path="/metrics", instance="a", git_version="v1.31.2"}', '1x30'), s('kubernetes_build_info{job="kubelet", metrics_path="/metrics", instance="b", git_version="v1.32.0"}', '1x30')],
    calm: [s('kubernetes_build_info{job="kubelet", metrics_path="/metrics", instance="a", git_version="v1.31.2"}', '1x30'), s('kubernetes_build_info{job="kubelet", metrics_path="/metrics", instance="b", git_version="v1.31.5"}', '1x30')],
  },
  // no eviction in 15 minutes (a flat counter) is the edge of the default 0
  { alert: 'KubeNodeEviction', evalTime: '20m', fire: [s(`kubelet_evictions{${KL}, eviction_signal="memory.available"}`, '0+1x30')], calm: [s(`kubelet_evictions{${KL}, eviction_signal="memory.available"}`, '3x30')], moreCalm: [[s(`kubelet_evictions{${KL}, eviction_signal="memory.available"}`, '0+1x3 3x27')]] },
  { alert: 'KubeAPIDown', evalTime: '20m', fire: [s('up{job="apiserver", instance="a"}', '0x30')], calm: [s('up{job="apiserver", instance="a"}', '1x30')] },
  {
    alert: 'KubeAPIErrorsHigh',
    evalTime: '20m',
    fire: [s('apiserver_request_total{job="apiserver", verb="GET", code="500"}', '0+4x30'), s('apiserver_request_total{job="apiserver", verb="GET", code="200"}', '0+96x30')],
    calm: [s('apiserver_request_total{job="apiserver", verb="GET", code="500"}', '0+3x30'), s('apiserver_request_total{job="apiserver", verb="GET", code="200"}', '0+97x30')],
  },
  {
    alert: 'KubeAPITerminatedRequests',
    evalTime: '20m',
    fire: [s('apiserver_request_terminations_total{job="apiserver"}', '0+30x30'), s('apiserver_request_total{job="apiserver", code="200"}', '0+70x30')],
    calm: [s('apiserver_request_terminations_total{job="apiserver"}', '0+20x30'), s('apiserver_request_total{job="apiserver", code="200"}', '0+80x30')],
  },
  {
    alert: 'KubeClientCertificateExpiration',
    evalTime: '20m',
    fire: [s('apiserver_client_certificate_expiration_seconds_bucket{job="apiserver", le="3600"}', '0+10x30'), s('apiserver_client_certificate_expiration_seconds_bucket{job="apiserver", le="+Inf"}', '0+10x30'), s('apiserver_client_certificate_expiration_seconds_count{job="apiserver"}', '0+10x30')],
    calm: [s('apiserver_client_certificate_expiration_seconds_bucket{job="apiserver", le="86400"}', '0x30'), s('apiserver_client_certificate_expiration_seconds_bucket{job="apiserver", le="31536000"}', '0+10x30'), s('apiserver_client_certificate_expiration_seconds_bucket{job="apiserver", le="+Inf"}', '0+10x30'), s('apiserver_client_certificate_expiration_seconds_count{job="apiserver"}', '0+10x30')],
  },
  {
    alert: 'KubeAggregatedAPIDown',
    evalTime: '20m',
    fire: [s('aggregator_unavailable_apiservice{job="apiserver", name="v1beta1.metrics.k8s.io", namespace="kube-system"}', '1x30')],
    calm: [s('aggregator_unavailable_apiservice{job="apiserver", name="v1beta1.metrics.k8s.io", namespace="kube-system"}', '0x30')],
  },
  { alert: 'KubeSchedulerDown', evalTime: '20m', fire: [s('up{job="kube-scheduler"}', '0x30')], calm: [s('up{job="kube-scheduler"}', '1x30')] },
  { alert: 'KubeControllerManagerDown', evalTime: '20m', fire: [], calm: [s('up{job="kube-controller-manager"}', '1x30')] },
  { alert: 'KubeProxyDown', evalTime: '20m', fire: [s('up{job="kube-proxy"}', '0x30')], calm: [s('up{job="kube-proxy", instance="a"}', '1x30'), s('up{job="kube-proxy", instance="b"}', '0x30')] },
];

const PR = 'job="grafana-health", instance="http://grafana.monitoring.svc:3000/api/health"';
const BB = 'job="blackbox-exporter", namespace="monitoring", instance="b:9115"';
/** `probe_ssl_earliest_cert_expiry` for a certificate with `days` left at 30m (time() = 1800 then). */
const expiry = (days: number, extraSeconds = 0) => `${1800 + days * 86400 + extraSeconds}x40`;
/** ProbeRules (defaults). */
export const PROBE_FIXTURES: AlertFixture[] = [
  { alert: 'ProbeFailed', evalTime: '10m', fire: [s(`probe_success{${PR}}`, '0x20')], calm: [s(`probe_success{${PR}}`, '1x20')], moreCalm: [[s(`probe_success{${PR}}`, '1x7 0x13')]] },
  {
    alert: 'ProbeSlow',
    evalTime: '30m',
    fire: [s(`probe_duration_seconds{${PR}}`, '1.1x40')],
    calm: [s(`probe_duration_seconds{${PR}}`, '1x40')],
    moreCalm: [[s(`probe_duration_seconds{${PR}}`, '0.5x24 3x16')]],
  },
  {
    alert: 'ProbeSslCertificateExpiringSoon',
    evalTime: '30m',
    fire: [s(`probe_ssl_earliest_cert_expiry{${PR}}`, expiry(10))],
    calm: [s(`probe_ssl_earliest_cert_expiry{${PR}}`, expiry(14))],
    moreCalm: [[s(`probe_ssl_earliest_cert_expiry{${PR}}`, '1000x40')]],
  },
  {
    alert: 'ProbeSslCertificateExpired',
    evalTime: '30m',
    fire: [s(`probe_ssl_earliest_cert_expiry{${PR}}`, '1000x40')],
    calm: [s(`probe_ssl_earliest_cert_expiry{${PR}}`, expiry(0, 1))],
  },
  { alert: 'BlackboxExporterDown', evalTime: '10m', fire: [up(BB, '0x20')], calm: [up(BB, '1x20')], moreCalm: [[up(BB, '1x10 0x10')]] },
  { alert: 'BlackboxExporterDown', evalTime: '10m', fire: [up('job="other", namespace="monitoring"', '1x20')], calm: [up(BB, '1x20')] },
  { alert: 'BlackboxExporterConfigReloadFailed', evalTime: '20m', fire: [s(`blackbox_exporter_config_last_reload_successful{${BB}}`, '0x30')], calm: [s(`blackbox_exporter_config_last_reload_successful{${BB}}`, '1x30')] },
  { alert: 'BlackboxModuleUnknown', evalTime: '20m', fire: [s(`blackbox_module_unknown_total{${BB}}`, '0+1x30')], calm: [s(`blackbox_module_unknown_total{${BB}}`, '3x30')] },
];
