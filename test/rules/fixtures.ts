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
    alert: 'PodNotReady', evalTime: '30m',
    fire: [s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="false"}`, '1x40')],
    calm: [s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="true"}`, '1x40'), s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="false"}`, '0x40')],
    moreCalm: [[s(`kube_pod_status_ready{${KSM}, pod="web-1", condition="false"}`, '0x20 1x20')]],
  },
  {
    alert: 'PodCrashLooping', evalTime: '30m',
    fire: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="web-1", container="app", reason="CrashLoopBackOff"}`, '1x40')],
    calm: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="web-1", container="app", reason="CrashLoopBackOff"}`, '0x40')],
  },
  {
    alert: 'HighMemoryUsage', evalTime: '30m',
    fire: [s('container_memory_working_set_bytes{namespace="dev", pod="w", container="app", image="i"}', '901x40'), s(`kube_pod_container_resource_limits{${KSM}, pod="w", container="app", resource="memory"}`, '1000x40')],
    calm: [s('container_memory_working_set_bytes{namespace="dev", pod="w", container="app", image="i"}', '900x40'), s(`kube_pod_container_resource_limits{${KSM}, pod="w", container="app", resource="memory"}`, '1000x40')],
    moreCalm: [[s('container_memory_working_set_bytes{namespace="dev", pod="w", container="app", image="i"}', '5000x40')]],
  },
  {
    alert: 'KubeContainerWaiting', evalTime: '70m',
    fire: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="w", container="app", reason="ImagePullBackOff"}`, '1x80')],
    calm: [s(`kube_pod_container_status_waiting_reason{${KSM}, pod="w", container="app", reason="ImagePullBackOff"}`, '0x80')],
    moreCalm: [[s(`kube_pod_container_status_waiting_reason{${KSM}, pod="w", container="app", reason="ImagePullBackOff"}`, '0x30 1x50')]],
  },
  {
    alert: 'KubeDeploymentReplicasMismatch', evalTime: '40m',
    fire: [s(`kube_deployment_spec_replicas{${KSM}, deployment="web"}`, '3x50'), s(`kube_deployment_status_replicas_available{${KSM}, deployment="web"}`, '2x50'), s(`kube_deployment_status_replicas_updated{${KSM}, deployment="web"}`, '3x50')],
    calm: [s(`kube_deployment_spec_replicas{${KSM}, deployment="web"}`, '3x50'), s(`kube_deployment_status_replicas_available{${KSM}, deployment="web"}`, '3x50'), s(`kube_deployment_status_replicas_updated{${KSM}, deployment="web"}`, '3x50')],
  },
  {
    alert: 'KubeDeploymentRolloutStuck', evalTime: '40m',
    fire: [s(`kube_deployment_status_condition{${KSM}, deployment="web", condition="Progressing", status="false"}`, '1x50')],
    calm: [s(`kube_deployment_status_condition{${KSM}, deployment="web", condition="Progressing", status="false"}`, '0x50'), s(`kube_deployment_status_condition{${KSM}, deployment="web", condition="Progressing", status="true"}`, '1x50')],
  },
  {
    alert: 'KubeStatefulSetReplicasMismatch', evalTime: '40m',
    fire: [s(`kube_statefulset_status_replicas_ready{${KSM}, statefulset="db"}`, '1x50'), s(`kube_statefulset_replicas{${KSM}, statefulset="db"}`, '3x50'), s(`kube_statefulset_status_replicas_updated{${KSM}, statefulset="db"}`, '3x50')],
    calm: [s(`kube_statefulset_status_replicas_ready{${KSM}, statefulset="db"}`, '3x50'), s(`kube_statefulset_replicas{${KSM}, statefulset="db"}`, '3x50'), s(`kube_statefulset_status_replicas_updated{${KSM}, statefulset="db"}`, '3x50')],
  },
  {
    alert: 'KubeDaemonSetRolloutStuck', evalTime: '40m',
    fire: [s(`kube_daemonset_status_number_available{${KSM}, daemonset="agent"}`, '4x50'), s(`kube_daemonset_status_desired_number_scheduled{${KSM}, daemonset="agent"}`, '5x50'), s(`kube_daemonset_status_updated_number_scheduled{${KSM}, daemonset="agent"}`, '5x50')],
    calm: [s(`kube_daemonset_status_number_available{${KSM}, daemonset="agent"}`, '5x50'), s(`kube_daemonset_status_desired_number_scheduled{${KSM}, daemonset="agent"}`, '5x50'), s(`kube_daemonset_status_updated_number_scheduled{${KSM}, daemonset="agent"}`, '5x50')],
  },
  {
    alert: 'KubeDaemonSetMisScheduled', evalTime: '40m',
    fire: [s(`kube_daemonset_status_number_misscheduled{${KSM}, daemonset="agent"}`, '1x50')],
    calm: [s(`kube_daemonset_status_number_misscheduled{${KSM}, daemonset="agent"}`, '0x50')],
  },
  {
    alert: 'KubeJobFailed', evalTime: '40m',
    fire: [s(`kube_job_failed{${KSM}, job_name="migrate", condition="true"}`, '1x50')],
    calm: [s(`kube_job_failed{${KSM}, job_name="migrate", condition="true"}`, '0x50'), s(`kube_job_failed{${KSM}, job_name="migrate", condition="false"}`, '1x50')],
  },
  {
    // start time 0 and active: at 12h (43200 s) it is at the edge, one minute later over it
    alert: 'KubeJobNotCompleted', evalTime: '721m',
    fire: [s(`kube_job_status_start_time{${KSM}, job_name="backup"}`, '0x730'), s(`kube_job_status_active{${KSM}, job_name="backup"}`, '1x730')],
    calm: [s(`kube_job_status_start_time{${KSM}, job_name="backup"}`, '60x730'), s(`kube_job_status_active{${KSM}, job_name="backup"}`, '1x730')],
    moreCalm: [[s(`kube_job_status_start_time{${KSM}, job_name="backup"}`, '0x730'), s(`kube_job_status_active{${KSM}, job_name="backup"}`, '0x730')]],
  },
  {
    alert: 'KubeHpaMaxedOut', evalTime: '40m',
    fire: [s(`kube_horizontalpodautoscaler_status_current_replicas{${KSM}, horizontalpodautoscaler="web"}`, '10x50'), s(`kube_horizontalpodautoscaler_spec_max_replicas{${KSM}, horizontalpodautoscaler="web"}`, '10x50')],
    calm: [s(`kube_horizontalpodautoscaler_status_current_replicas{${KSM}, horizontalpodautoscaler="web"}`, '9x50'), s(`kube_horizontalpodautoscaler_spec_max_replicas{${KSM}, horizontalpodautoscaler="web"}`, '10x50')],
  },
  {
    // 0.25 is the edge: 25 of 100 periods throttled per minute stays silent, 26 fires
    alert: 'CPUThrottlingHigh', evalTime: '40m',
    fire: [s('container_cpu_cfs_throttled_periods_total{namespace="dev", pod="w", container="app"}', '0+26x50'), s('container_cpu_cfs_periods_total{namespace="dev", pod="w", container="app"}', '0+100x50')],
    calm: [s('container_cpu_cfs_throttled_periods_total{namespace="dev", pod="w", container="app"}', '0+25x50'), s('container_cpu_cfs_periods_total{namespace="dev", pod="w", container="app"}', '0+100x50')],
  },
  {
    alert: 'KubeQuotaAlmostFull', evalTime: '40m',
    fire: [s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="used"}`, '91x50'), s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="hard"}`, '100x50')],
    calm: [s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="used"}`, '90x50'), s(`kube_resourcequota{${KSM}, resourcequota="q", resource="pods", type="hard"}`, '100x50')],
  },
  {
    alert: 'KubePersistentVolumeFillingUp', evalTime: '10m',
    fire: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '29x20'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x20')],
    calm: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '30x20'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x20')],
  },
  {
    alert: 'KubePersistentVolumeFillingUpSoon', evalTime: '70m',
    fire: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '140-1x100'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x100')],
    calm: [s(`kubelet_volume_stats_available_bytes{${PVC}}`, '150x100'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x100')],
    moreCalm: [[s(`kubelet_volume_stats_available_bytes{${PVC}}`, '900-1x100'), s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x100')]],
  },
  {
    alert: 'KubePersistentVolumeInodesFillingUp', evalTime: '10m',
    fire: [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '29x20'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x20')],
    calm: [s(`kubelet_volume_stats_inodes_free{${PVC}}`, '30x20'), s(`kubelet_volume_stats_inodes{${PVC}}`, '1000x20')],
  },
  {
    alert: 'KubePersistentVolumeErrors', evalTime: '10m',
    fire: [s('kube_persistentvolume_status_phase{job="kube-state-metrics", persistentvolume="pv-1", phase="Failed"}', '1x20')],
    calm: [s('kube_persistentvolume_status_phase{job="kube-state-metrics", persistentvolume="pv-1", phase="Failed"}', '0x20'), s('kube_persistentvolume_status_phase{job="kube-state-metrics", persistentvolume="pv-1", phase="Bound"}', '1x20')],
  },
];

/** GoldenSignalsRules (service frontend, defaults). */
export const GOLDEN_FIXTURES: AlertFixture[] = [
  {
    alert: 'HighErrorRate', evalTime: '20m',
    fire: [s('frontend_requests_total{job="frontend", code="200"}', '0+94x30'), s('frontend_requests_total{job="frontend", code="500"}', '0+6x30')],
    calm: [s('frontend_requests_total{job="frontend", code="200"}', '0+95x30'), s('frontend_requests_total{job="frontend", code="500"}', '0+5x30')],
  },
  {
    alert: 'HighLatency', evalTime: '20m',
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
    alert: 'PrometheusNotificationsFailing', evalTime: '25m',
    fire: [s(`prometheus_notifications_errors_total{${P}, alertmanager="a"}`, '0+2x30'), s(`prometheus_notifications_sent_total{${P}, alertmanager="a"}`, '0+100x30')],
    calm: [s(`prometheus_notifications_errors_total{${P}, alertmanager="a"}`, '0+1x30'), s(`prometheus_notifications_sent_total{${P}, alertmanager="a"}`, '0+100x30')],
  },
  { alert: 'PrometheusNotConnectedToAlertmanagers', evalTime: '20m', fire: [s(`prometheus_notifications_alertmanagers_discovered{${P}}`, '0x30')], calm: [s(`prometheus_notifications_alertmanagers_discovered{${P}}`, '1x30')] },
  {
    alert: 'AlertmanagerNotificationsFailing', evalTime: '15m',
    fire: [s(`alertmanager_notifications_failed_total{${AM}, instance="a", integration="slack"}`, '0+2x20'), s(`alertmanager_notifications_total{${AM}, instance="a", integration="slack"}`, '0+100x20')],
    calm: [s(`alertmanager_notifications_failed_total{${AM}, instance="a", integration="slack"}`, '0+1x20'), s(`alertmanager_notifications_total{${AM}, instance="a", integration="slack"}`, '0+100x20')],
  },
  { alert: 'PrometheusConfigReloadFailed', evalTime: '20m', fire: [s(`prometheus_config_last_reload_successful{${P}}`, '0x30')], calm: [s(`prometheus_config_last_reload_successful{${P}}`, '1x30')] },
  { alert: 'AlertmanagerConfigReloadFailed', evalTime: '20m', fire: [s(`alertmanager_config_last_reload_successful{${AM}, instance="a"}`, '0x30')], calm: [s(`alertmanager_config_last_reload_successful{${AM}, instance="a"}`, '1x30')] },
  {
    alert: 'PrometheusOperatorReconcileErrors', evalTime: '20m',
    fire: [s(`prometheus_operator_reconcile_errors_total{${OP}, controller="prometheus"}`, '0+11x30'), s(`prometheus_operator_reconcile_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
    calm: [s(`prometheus_operator_reconcile_errors_total{${OP}, controller="prometheus"}`, '0+10x30'), s(`prometheus_operator_reconcile_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
  },
  { alert: 'PrometheusTSDBCompactionsFailing', evalTime: '25m', fire: [s(`prometheus_tsdb_compactions_failed_total{${P}}`, '0+1x30')], calm: [s(`prometheus_tsdb_compactions_failed_total{${P}}`, '0x30')] },
  { alert: 'PrometheusSDRefreshFailure', evalTime: '30m', fire: [s(`prometheus_sd_refresh_failures_total{${P}, mechanism="kubernetes"}`, '0+1x40')], calm: [s(`prometheus_sd_refresh_failures_total{${P}, mechanism="kubernetes"}`, '0x40')] },
  { alert: 'PrometheusKubernetesListWatchFailures', evalTime: '25m', fire: [s(`prometheus_sd_kubernetes_failures_total{${P}}`, '0+1x30')], calm: [s(`prometheus_sd_kubernetes_failures_total{${P}}`, '0x30')] },
  {
    alert: 'PrometheusNotificationQueueRunningFull', evalTime: '25m',
    fire: [s(`prometheus_notifications_queue_length{${P}}`, '0+400x30'), s(`prometheus_notifications_queue_capacity{${P}}`, '10000x30')],
    calm: [s(`prometheus_notifications_queue_length{${P}}`, '10x30'), s(`prometheus_notifications_queue_capacity{${P}}`, '10000x30')],
  },
  {
    alert: 'PrometheusNotIngestingSamples', evalTime: '20m',
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
    alert: 'PrometheusRemoteWriteFailures', evalTime: '25m',
    fire: [s(`prometheus_remote_storage_samples_failed_total{${P}, remote_name="mimir"}`, '0+2x30'), s(`prometheus_remote_storage_samples_total{${P}, remote_name="mimir"}`, '0+98x30')],
    calm: [s(`prometheus_remote_storage_samples_failed_total{${P}, remote_name="mimir"}`, '0+1x30'), s(`prometheus_remote_storage_samples_total{${P}, remote_name="mimir"}`, '0+99x30')],
  },
  {
    alert: 'AlertmanagerClusterMembersInconsistent', evalTime: '25m',
    fire: [s(`alertmanager_cluster_members{${AM}, instance="a"}`, '1x30'), s(`alertmanager_cluster_members{${AM}, instance="b"}`, '2x30')],
    calm: [s(`alertmanager_cluster_members{${AM}, instance="a"}`, '2x30'), s(`alertmanager_cluster_members{${AM}, instance="b"}`, '2x30')],
  },
  { alert: 'PrometheusOperatorSyncFailed', evalTime: '20m', fire: [s(`prometheus_operator_syncs{${OP}, controller="prometheus", status="failed"}`, '1x30')], calm: [s(`prometheus_operator_syncs{${OP}, controller="prometheus", status="failed"}`, '0x30')] },
  { alert: 'PrometheusOperatorRejectedResources', evalTime: '20m', fire: [s(`prometheus_operator_managed_resources{${OP}, resource="servicemonitors", state="rejected"}`, '1x30')], calm: [s(`prometheus_operator_managed_resources{${OP}, resource="servicemonitors", state="rejected"}`, '0x30')] },
  {
    alert: 'PrometheusOperatorWatchErrors', evalTime: '25m',
    fire: [s(`prometheus_operator_watch_operations_failed_total{${OP}, controller="prometheus"}`, '0+41x30'), s(`prometheus_operator_watch_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
    calm: [s(`prometheus_operator_watch_operations_failed_total{${OP}, controller="prometheus"}`, '0+40x30'), s(`prometheus_operator_watch_operations_total{${OP}, controller="prometheus"}`, '0+100x30')],
  },
  {
    alert: 'StackVolumeFillingUp', evalTime: '70m',
    fire: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '140-1x100'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x100')],
    calm: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '150x100'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x100')],
    moreCalm: [[s('kubelet_volume_stats_available_bytes{namespace="dev", persistentvolumeclaim="x"}', '140-1x100'), s('kubelet_volume_stats_capacity_bytes{namespace="dev", persistentvolumeclaim="x"}', '1000x100')]],
  },
  {
    alert: 'StackVolumeAlmostFull', evalTime: '10m',
    fire: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '29x20'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x20')],
    calm: [s(`kubelet_volume_stats_available_bytes{${SPVC}}`, '30x20'), s(`kubelet_volume_stats_capacity_bytes{${SPVC}}`, '1000x20')],
  },
];

/** Selector of a watched component's Service `svc` in namespace monitoring. */
const C = (svc: string) => `namespace="monitoring", service="${svc}", job="${svc}", instance="i"`;
for (const [kind, svc] of [['Loki', 'loki'], ['Tempo', 'tempo'], ['Grafana', 'grafana'], ['Alloy', 'alloy-logs'], ['KubeStateMetrics', 'kube-state-metrics'], ['NodeExporter', 'node-exporter'], ['Pyroscope', 'pyroscope'], ['OtelCollector', 'otel-collector']]) {
  SELF_FIXTURES.push({ alert: `${kind}Down`, evalTime: '10m', fire: [up(C(svc), '0x20')], calm: [up(C(svc), '1x20')], moreCalm: [[up(C(svc), '1x10 0x10')]] });
  SELF_FIXTURES.push({ alert: `${kind}Down`, evalTime: '10m', fire: [up('namespace="monitoring", service="other"', '1x20')], calm: [up(C(svc), '1x20')] });
}
SELF_FIXTURES.push(
  {
    alert: 'GrafanaRequestErrors', evalTime: '25m',
    fire: [s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="500"}`, '0+6x30'), s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="200"}`, '0+94x30')],
    calm: [s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="500"}`, '0+5x30'), s(`grafana_http_request_duration_seconds_count{${C('grafana')}, handler="/api/ds/query", status_code="200"}`, '0+95x30')],
  },
  {
    alert: 'AlloyComponentsUnhealthy', evalTime: '25m',
    fire: [s(`alloy_component_controller_running_components{${C('alloy-logs')}, health_type="unhealthy"}`, '1x30')],
    calm: [s(`alloy_component_controller_running_components{${C('alloy-logs')}, health_type="unhealthy"}`, '0x30'), s(`alloy_component_controller_running_components{${C('alloy-logs')}, health_type="healthy"}`, '7x30')],
  },
  { alert: 'AlloyConfigReloadFailed', evalTime: '20m', fire: [s(`alloy_config_last_load_successful{${C('alloy-logs')}}`, '0x30')], calm: [s(`alloy_config_last_load_successful{${C('alloy-logs')}}`, '1x30')] },
  {
    alert: 'KubeStateMetricsListErrors', evalTime: '25m',
    fire: [s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="error"}`, '0+2x30'), s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="success"}`, '0+98x30')],
    calm: [s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="error"}`, '0+1x30'), s(`kube_state_metrics_list_total{${C('kube-state-metrics')}, resource="pods", result="success"}`, '0+99x30')],
  },
  { alert: 'NodeExporterCollectorFailed', evalTime: '25m', fire: [s(`node_scrape_collector_success{${C('node-exporter')}, collector="filesystem"}`, '0x30')], calm: [s(`node_scrape_collector_success{${C('node-exporter')}, collector="filesystem"}`, '1x30')] },
  {
    alert: 'PyroscopeRequestErrors', evalTime: '25m',
    fire: [s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="503"}`, '0+6x30'), s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="200"}`, '0+94x30')],
    calm: [s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="503"}`, '0+5x30'), s(`pyroscope_request_duration_seconds_count{${C('pyroscope')}, route="ingest", status_code="200"}`, '0+95x30')],
  },
  { alert: 'OtelCollectorExportFailures', evalTime: '25m', fire: [s(`otelcol_exporter_send_failed_spans_total{${C('otel-collector')}, exporter="otlp/tempo"}`, '0+5x30')], calm: [s(`otelcol_exporter_send_failed_spans_total{${C('otel-collector')}, exporter="otlp/tempo"}`, '0x30')] },
  { alert: 'OtelCollectorExportFailures', evalTime: '25m', fire: [s(`otelcol_exporter_send_failed_log_records_total{${C('otel-collector')}, exporter="otlphttp/loki"}`, '0+5x30')], calm: [s(`otelcol_exporter_send_failed_metric_points_total{${C('otel-collector')}, exporter="prometheusremotewrite"}`, '0x30')] },
);
