import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { AlertPack, AlertPackOptions } from './pack';
import { PackAlertDefinition, nonNegative, positive, ratio } from './pack-definition';
import { requireMatchers, series } from './promql';

/**
 * Where the cluster runs: decides which control-plane groups of `KubernetesSystemRules` are on. A
 * managed control plane hides the scheduler and controller-manager (and usually kube-proxy's metrics),
 * so alerts on them would fire forever there.
 */
export enum KubernetesDistribution {
  /** Amazon EKS: API-server metrics through the `kubernetes` Service; scheduler, controller-manager hidden. */
  EKS = 'eks',
  /** Google GKE: API-server metrics through the `kubernetes` Service; scheduler, controller-manager hidden; kube-proxy replaced by Dataplane V2 on new clusters. */
  GKE = 'gke',
  /** Azure AKS: API-server metrics through the `kubernetes` Service; scheduler, controller-manager hidden. */
  AKS = 'aks',
  /** minikube: every component runs as a static pod and can be scraped (bind its metrics to 0.0.0.0). */
  MINIKUBE = 'minikube',
  /** A self-managed (kubeadm-style) cluster: every component can be scraped. */
  SELF_MANAGED = 'self-managed',
}

/** Properties for `KubernetesSystemRules`. */
export interface KubernetesSystemRulesProps extends AlertPackOptions {
  /**
   * The cluster's distribution: the preset for `apiServer`, `scheduler`, `controllerManager` and `kubeProxy`.
   * @default - none: only the node and kubelet groups (safe on every cluster)
   */
  readonly distribution?: KubernetesDistribution;
  /** API-server alerts (needs a monitor with job `apiserver`). @default - from `distribution` */
  readonly apiServer?: boolean;
  /** Scheduler alerts (job `kube-scheduler`). @default - from `distribution` */
  readonly scheduler?: boolean;
  /** Controller-manager alerts (job `kube-controller-manager`). @default - from `distribution` */
  readonly controllerManager?: boolean;
  /** kube-proxy alerts (job `kube-proxy`). @default - from `distribution` */
  readonly kubeProxy?: boolean;
  /**
   * Label matchers selecting kube-state-metrics' series.
   * @default 'job="kube-state-metrics"'
   */
  readonly kubeStateMetricsSelector?: string;
  /**
   * Label matchers selecting the kubelet's own `/metrics` (the `KubeletMonitor`'s job and path label).
   * @default 'job="kubelet", metrics_path="/metrics"'
   */
  readonly kubeletSelector?: string;
}

interface Preset { apiServer: boolean; scheduler: boolean; controllerManager: boolean; kubeProxy: boolean }
const PRESETS: Record<KubernetesDistribution, Preset> = {
  [KubernetesDistribution.EKS]: { apiServer: true, scheduler: false, controllerManager: false, kubeProxy: false },
  [KubernetesDistribution.GKE]: { apiServer: true, scheduler: false, controllerManager: false, kubeProxy: false },
  [KubernetesDistribution.AKS]: { apiServer: true, scheduler: false, controllerManager: false, kubeProxy: false },
  [KubernetesDistribution.MINIKUBE]: { apiServer: true, scheduler: true, controllerManager: true, kubeProxy: true },
  [KubernetesDistribution.SELF_MANAGED]: { apiServer: true, scheduler: true, controllerManager: true, kubeProxy: true },
};

/**
 * Cluster health after the kubernetes-mixin's system groups (our expressions): nodes (not ready,
 * unreachable, flapping, pressure, overcommit) from kube-state-metrics; the kubelet (down, PLEG and pod
 * start latency, certificate expiry and renewal, client errors, version skew) from its `/metrics`; and
 * the control plane (API server, scheduler, controller-manager, kube-proxy), whose groups follow the
 * `distribution` preset. A control-plane alert left out by the preset can be switched on with `enableAlert`.
 */
export class KubernetesSystemRules extends AlertPack {
  /** Which control-plane groups are on. */
  public readonly apiServer: boolean;
  /** Scheduler group on. */
  public readonly scheduler: boolean;
  /** Controller-manager group on. */
  public readonly controllerManager: boolean;
  /** kube-proxy group on. */
  public readonly kubeProxy: boolean;

  constructor(scope: Construct, id: string, props: KubernetesSystemRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'kubernetes-system' });
    const none: Preset = { apiServer: false, scheduler: false, controllerManager: false, kubeProxy: false };
    const preset = props.distribution ? PRESETS[props.distribution] : none;
    this.apiServer = props.apiServer ?? preset.apiServer;
    this.scheduler = props.scheduler ?? preset.scheduler;
    this.controllerManager = props.controllerManager ?? preset.controllerManager;
    this.kubeProxy = props.kubeProxy ?? preset.kubeProxy;
    const ksm = requireMatchers(this, 'kubeStateMetricsSelector', props.kubeStateMetricsSelector ?? 'job="kube-state-metrics"');
    const kubelet = requireMatchers(this, 'kubeletSelector', props.kubeletSelector ?? 'job="kubelet", metrics_path="/metrics"');
    const def = (group: string, d: Omit<PackAlertDefinition, 'group'>) => this._defineAlert({ group: `kubernetes-system.${group}`, ...d });
    const down = (job: string) => `absent(${series('up', `job="${job}"`)} == 1)`;

    def('nodes', {
      alert: 'KubeNodeNotReady',
      query: () => `${series('kube_node_status_condition', ksm, 'condition="Ready"', 'status="true"')} == 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Node {{ $labels.node }} is not ready',
      details: 'Its pods are evicted after the eviction timeout: check the kubelet and the node\'s resources.',
      metrics: ['kube_node_status_condition'],
    });
    def('nodes', {
      alert: 'KubeNodeUnreachable',
      query: () => `${series('kube_node_spec_taint', ksm, 'key="node.kubernetes.io/unreachable"', 'effect="NoSchedule"')} == 1`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Node {{ $labels.node }} is unreachable',
      details: 'The control plane has lost contact with the node\'s kubelet.',
      metrics: ['kube_node_spec_taint'],
    });
    def('nodes', {
      alert: 'KubeNodeReadinessFlapping',
      thresholds: [positive('changes', 2, 'Ready changes in 15 minutes', true)],
      query: (t) => `sum by (node) (changes(${series('kube_node_status_condition', ksm, 'condition="Ready"', 'status="true"')}[15m])) > ${t.changes}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Node {{ $labels.node }} flaps between ready and not ready',
      details: 'It changed readiness {{ $value }} times in 15 minutes.',
      metrics: ['kube_node_status_condition'],
    });
    def('nodes', {
      alert: 'KubeNodePressure',
      query: () => `${series('kube_node_status_condition', ksm, 'condition=~"MemoryPressure|DiskPressure|PIDPressure"', 'status="true"')} == 1`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.INFO,
      summary: 'Node {{ $labels.node }} reports {{ $labels.condition }}',
      details: 'The kubelet evicts pods while the pressure lasts.',
      metrics: ['kube_node_status_condition'],
    });
    for (const [resource, title] of [['cpu', 'CPU'], ['memory', 'Memory']]) {
      const alloc = series('kube_node_status_allocatable', ksm, `resource="${resource}"`);
      def('nodes', {
        alert: `Kube${title}Overcommit`,
        query: () => [
          `sum(${series('kube_pod_container_resource_requests', ksm, `resource="${resource}"`)}) - (sum(${alloc}) - max(${alloc})) > 0`,
          `and (sum(${alloc}) - max(${alloc})) > 0`,
        ].join('\n'),
        pendingFor: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: `The cluster has overcommitted ${resource} requests`,
        details: `The pods request more ${resource} than the cluster has once its largest node fails: they could not all be rescheduled.`,
        metrics: ['kube_pod_container_resource_requests', 'kube_node_status_allocatable'],
      });
    }
    // quotas: the namespaces' hard requests against what the nodes can allocate (a quota of 'cpu' and
    // 'requests.cpu' limits the same thing: the smaller counts)
    for (const [resource, title] of [['cpu', 'CPU'], ['memory', 'Memory']]) {
      def('nodes', {
        alert: `Kube${title}QuotaOvercommit`,
        thresholds: [positive('overcommitRatio', 1.5, `ratio of the ${resource} the resource quotas allow (hard) to the ${resource} the nodes can allocate`)],
        query: (t) => [
          `sum(min by (namespace, resourcequota) (${series('kube_resourcequota', ksm, 'type="hard"', `resource=~"${resource}|requests.${resource}"`)}))`,
          `/ sum(${series('kube_node_status_allocatable', ksm, `resource="${resource}"`)})`,
          `> ${t.overcommitRatio}`,
        ].join('\n'),
        pendingFor: Duration.minutes(5),
        severity: AlertSeverity.WARNING,
        summary: `The resource quotas allow {{ $value | humanizePercentage }} of the cluster's allocatable ${resource}`,
        details: (t) => `The namespaces' quotas together allow more than ${t.overcommitRatio} times the ${resource} the nodes can allocate: pods admitted within their quota may not be schedulable.`,
        metrics: ['kube_resourcequota', 'kube_node_status_allocatable'],
      });
    }

    def('kubelet', {
      alert: 'KubeletDown',
      query: () => `(${series('up', kubelet)} == 0)\nor\nabsent(${series('up', kubelet)})`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      summary: 'The kubelet of {{ $labels.instance }} is down or not scraped',
      details: 'No container or volume metrics from that node: the workload alerts are blind there.',
      metrics: ['up'],
    });
    def('kubelet', {
      alert: 'KubeletPlegDurationHigh',
      thresholds: [positive('seconds', 10, 'p99 PLEG relist duration in seconds')],
      query: (t) => `histogram_quantile(0.99, sum by (instance, le) (rate(${series('kubelet_pleg_relist_duration_seconds_bucket', kubelet)}[5m]))) >= ${t.seconds}`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: 'The kubelet of {{ $labels.instance }} relists pods slowly ({{ $value }}s at p99)',
      details: 'The container runtime is slow or overloaded: the node may turn NotReady.',
      metrics: ['kubelet_pleg_relist_duration_seconds_bucket'],
    });
    def('kubelet', {
      alert: 'KubeletPodStartUpLatencyHigh',
      thresholds: [positive('seconds', 60, 'p99 pod worker duration in seconds')],
      query: (t) => `histogram_quantile(0.99, sum by (instance, le) (rate(${series('kubelet_pod_worker_duration_seconds_bucket', kubelet)}[5m]))) > ${t.seconds}`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Pods take {{ $value }}s to start on {{ $labels.instance }} (p99)',
      details: 'Image pulls, volume mounts or the runtime are slow on the node.',
      metrics: ['kubelet_pod_worker_duration_seconds_bucket'],
    });
    for (const [side, title] of [['client', 'Client'], ['server', 'Server']]) {
      def('kubelet', {
        alert: `Kubelet${title}CertificateExpiration`,
        thresholds: [positive('seconds', 604800, 'seconds of validity left')],
        query: (t) => `${series(`kubelet_certificate_manager_${side}_ttl_seconds`, kubelet)} < ${t.seconds}`,
        severity: AlertSeverity.WARNING,
        summary: `The kubelet ${side} certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}`,
        details: 'Certificate rotation is not working on the node.',
        metrics: [`kubelet_certificate_manager_${side}_ttl_seconds`],
      });
    }
    def('kubelet', {
      alert: 'KubeletClientCertificateRenewalErrors',
      query: () => `increase(${series('kubelet_certificate_manager_client_expiration_renew_errors', kubelet)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The kubelet of {{ $labels.instance }} fails to renew its client certificate',
      details: 'It loses access to the API server when the certificate expires.',
      metrics: ['kubelet_certificate_manager_client_expiration_renew_errors'],
    });
    def('kubelet', {
      alert: 'KubeletServerCertificateRenewalErrors',
      query: () => `increase(${series('kubelet_server_expiration_renew_errors', kubelet)}[5m]) > 0`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The kubelet of {{ $labels.instance }} fails to renew its serving certificate',
      details: 'Scrapes and kubectl logs/exec to the node fail when it expires.',
      metrics: ['kubelet_server_expiration_renew_errors'],
    });
    def('kubelet', {
      alert: 'KubeClientErrors',
      thresholds: [ratio('errorRatio', 0.01, 'ratio of 5xx answers to the API client')],
      query: (t) => [
        `sum by (instance, job) (rate(${series('rest_client_requests_total', kubelet, 'code=~"5.."')}[5m]))`,
        `/ sum by (instance, job) (rate(${series('rest_client_requests_total', kubelet)}[5m])) > ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The kubelet of {{ $labels.instance }} gets {{ $value | humanizePercentage }} errors from the API server',
      details: 'The API server is overloaded or unreachable from the node.',
      metrics: ['rest_client_requests_total'],
    });
    def('kubelet', {
      alert: 'KubeVersionMismatch',
      query: () => `count(count by (git_version) (label_replace(${series('kubernetes_build_info', kubelet)}, "git_version", "$1", "git_version", "(v[0-9]*\\\\.[0-9]*).*"))) > 1`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Kubelets run {{ $value }} different minor versions',
      details: 'An upgrade is half done: finish it within the version-skew policy.',
      metrics: ['kubernetes_build_info'],
    });

    def('kubelet', {
      alert: 'KubeNodeEviction',
      thresholds: [nonNegative('evictions', 0, 'pods evicted in 15 minutes')],
      query: (t) => `sum by (namespace, job, instance, node, eviction_signal) (increase(${series('kubelet_evictions', kubelet)}[15m])) > ${t.evictions}`,
      severity: AlertSeverity.INFO,
      summary: 'The kubelet of {{ $labels.instance }} evicts pods on {{ $labels.eviction_signal }}',
      details: 'The node crossed an eviction threshold, usually pods using more memory or ephemeral storage than they request: set requests and limits that match their use.',
      metrics: ['kubelet_evictions'],
    });

    const api = 'job="apiserver"';
    def('apiserver', {
      alert: 'KubeAPIDown',
      query: () => down('apiserver'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      enabled: this.apiServer,
      summary: 'No API server target is up',
      details: 'The API server disappeared from Prometheus: its targets fail or are not discovered.',
      metrics: ['up'],
    });
    def('apiserver', {
      alert: 'KubeAPIErrorsHigh',
      thresholds: [ratio('errorRatio', 0.03, 'ratio of 5xx answers')],
      query: (t) => [
        `sum by (verb) (rate(${series('apiserver_request_total', api, 'code=~"5.."')}[5m]))`,
        `/ sum by (verb) (rate(${series('apiserver_request_total', api)}[5m])) > ${t.errorRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.CRITICAL,
      enabled: this.apiServer,
      summary: 'The API server answers {{ $value | humanizePercentage }} of {{ $labels.verb }} requests with 5xx',
      details: 'Controllers and kubectl fail: check etcd and the API server logs.',
      metrics: ['apiserver_request_total'],
    });
    def('apiserver', {
      alert: 'KubeAPITerminatedRequests',
      thresholds: [ratio('terminatedRatio', 0.2, 'ratio of requests terminated by flow control')],
      query: (t) => [
        `sum(rate(${series('apiserver_request_terminations_total', api)}[10m]))`,
        `/ (sum(rate(${series('apiserver_request_total', api)}[10m])) + sum(rate(${series('apiserver_request_terminations_total', api)}[10m]))) > ${t.terminatedRatio}`,
      ].join('\n'),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      enabled: this.apiServer,
      summary: 'The API server terminates {{ $value | humanizePercentage }} of its incoming requests',
      details: 'Priority and fairness sheds load: a client floods the API server.',
      metrics: ['apiserver_request_terminations_total', 'apiserver_request_total'],
    });
    def('apiserver', {
      alert: 'KubeClientCertificateExpiration',
      thresholds: [positive('seconds', 86400, 'seconds of validity left of the soonest-expiring client certificates')],
      query: (t) => [
        `histogram_quantile(0.01, sum by (job, le) (rate(${series('apiserver_client_certificate_expiration_seconds_bucket', api)}[5m]))) < ${t.seconds}`,
        `and on (job) sum by (job) (rate(${series('apiserver_client_certificate_expiration_seconds_count', api)}[5m])) > 0`,
      ].join('\n'),
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      enabled: this.apiServer,
      summary: 'A client certificate used against the API server expires within {{ $value | humanizeDuration }}',
      details: 'The client will be refused when it expires: rotate it.',
      metrics: ['apiserver_client_certificate_expiration_seconds_bucket', 'apiserver_client_certificate_expiration_seconds_count'],
    });
    def('apiserver', {
      alert: 'KubeAggregatedAPIDown',
      thresholds: [ratio('availableRatio', 0.85, 'share of the last 10 minutes the APIService was available')],
      query: (t) => `(1 - max by (name, namespace) (avg_over_time(${series('aggregator_unavailable_apiservice', api)}[10m]))) < ${t.availableRatio}`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      enabled: this.apiServer,
      summary: 'Aggregated API {{ $labels.name }} is unavailable',
      details: 'kubectl and controllers using that API group (metrics.k8s.io, ...) fail.',
      metrics: ['aggregator_unavailable_apiservice'],
    });
    def('scheduler', {
      alert: 'KubeSchedulerDown',
      query: () => down('kube-scheduler'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      enabled: this.scheduler,
      summary: 'No kube-scheduler target is up',
      details: 'New pods stay Pending while no scheduler runs.',
      metrics: ['up'],
    });
    def('controller-manager', {
      alert: 'KubeControllerManagerDown',
      query: () => down('kube-controller-manager'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      enabled: this.controllerManager,
      summary: 'No kube-controller-manager target is up',
      details: 'Deployments, ReplicaSets, Jobs and node lifecycle stop being reconciled.',
      metrics: ['up'],
    });
    def('kube-proxy', {
      alert: 'KubeProxyDown',
      query: () => down('kube-proxy'),
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.CRITICAL,
      enabled: this.kubeProxy,
      summary: 'No kube-proxy target is up',
      details: 'Service routing is not updated on the nodes.',
      metrics: ['up'],
    });
    this._applyOverrides(props);
  }
}
