import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Relabeling, RelabelAction, ScrapeEndpoint, ScrapeScheme, ServiceMonitor } from './monitors';
import { KubeletServiceOptions, PrometheusOperator } from './operator';
import { appIndex } from '../core/app-index';
import { requirePositive } from '../core/duration';
import { addLgtmValidation, LgtmErrorDetails, show } from '../core/errors';
import { validateName, validateNamespace } from '../core/names';
import { validateSharedProps } from '../core/validation';

/**
 * The scrape class carrying the ServiceAccount token the kubelet authenticates (TokenReview) and
 * authorizes (SubjectAccessReview `nodes/metrics`), and the cluster CA (`Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS`;
 * a constant here, so that this module does not import the Prometheus construct, which imports it).
 */
const SERVICE_ACCOUNT_SCRAPE_CLASS = 'kubernetes-service-account';

/**
 * Labels the prometheus-operator 0.93 kubelet controller sets on the Service, Endpoints and
 * EndpointSlices it maintains (pkg/kubelet/controller.go); kube-prometheus selects on the first.
 */
const KUBELET_SERVICE_LABELS: Record<string, string> = {
  'app.kubernetes.io/name': 'kubelet',
  'k8s-app': 'kubelet',
  'app.kubernetes.io/managed-by': 'prometheus-operator',
};

/** How Prometheus verifies the kubelet's serving certificate. */
export enum KubeletTlsVerification {
  /**
   * Do not verify it (kube-prometheus default). Kubelets serve self-signed certificates unless the
   * cluster runs them with `serverTLSBootstrap: true`; the bearer token still authenticates Prometheus.
   */
  INSECURE_SKIP_VERIFY = 'insecure-skip-verify',
  /**
   * Verify it against the cluster CA (`/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`, the
   * `tlsConfig.caFile` of the scrape class). Only
   * for clusters whose kubelets have CA-signed serving certificates with the node IPs as SANs
   * (`serverTLSBootstrap: true` and approved CSRs); scrapes fail with x509 errors otherwise.
   */
  CLUSTER_CA = 'cluster-ca',
}

/** Properties of `KubeletMonitor`. */
export interface KubeletMonitorProps {
  /** Name of the ServiceMonitor (and the `job` label stays `kubelet` regardless). @default 'kubelet' */
  readonly name?: string;
  /** Namespace of the ServiceMonitor object: one the Prometheus watches. @default 'monitoring' */
  readonly namespace?: string;
  /**
   * The kubelet Service the Prometheus Operator maintains (`PrometheusOperator` `kubeletService`).
   * @default - kube-system/kubelet
   */
  readonly kubeletService?: KubeletServiceOptions;
  /** Scrape interval of every endpoint. @default Duration.seconds(30) */
  readonly interval?: Duration;
  /** Scrape `/metrics/cadvisor` (container CPU, memory, filesystem, network). @default true */
  readonly cadvisor?: boolean;
  /** Scrape `/metrics/probes` (liveness/readiness/startup probe results). @default true */
  readonly probes?: boolean;
  /** Verification of the kubelet's serving certificate. @default KubeletTlsVerification.INSECURE_SKIP_VERIFY */
  readonly tlsVerification?: KubeletTlsVerification;
  /**
   * Extra metric relabelings for `/metrics/cadvisor`, applied after the built-in drops (e.g. to drop
   * more series).
   * @default - none
   */
  readonly cadvisorMetricRelabelings?: Relabeling[];
  /** Extra labels on the ServiceMonitor object. @default - none */
  readonly labels?: { [key: string]: string };
}

/**
 * Drops of kube-prometheus' kubelet ServiceMonitor for `/metrics/cadvisor` (kube-prometheus 0.17):
 * unused high-cardinality series. Nothing here touches `container_memory_working_set_bytes` (used by
 * `KubernetesWorkloadRules` `HighMemoryUsage`) or `container_cpu_*`.
 */
const CADVISOR_DROPS: Relabeling[] = [
  { action: RelabelAction.DROP, sourceLabels: ['__name__'], regex: 'container_(network_tcp_usage_total|network_udp_usage_total|tasks_state|cpu_load_average_10s)' },
  // metadata series of non-pod cgroups (systemd slices etc.). cAdvisor exposes `pod=""`/`namespace=""`
  // on them, and with honorLabels that empty label keeps the target's namespace="kube-system" off
  // (an empty label is no label), so both are empty here
  {
    action: RelabelAction.DROP,
    sourceLabels: ['__name__', 'pod', 'namespace'],
    regex: '(container_spec_.*|container_file_descriptors|container_sockets|container_threads_max|container_threads|container_start_time_seconds|container_last_seen);;',
  },
  { action: RelabelAction.DROP, sourceLabels: ['__name__', 'container'], regex: '(container_blkio_device_usage_total);.+' },
];

/**
 * Scrapes every node's kubelet the way kube-prometheus does: a ServiceMonitor on the Service the
 * Prometheus Operator maintains (`PrometheusOperator` `manageKubeletService`, default
 * `kube-system/kubelet`), port `https-metrics` (10250), paths `/metrics` (kubelet, including
 * `kubelet_volume_stats_*`), `/metrics/cadvisor` (`container_*`) and `/metrics/probes`.
 *
 * - https with the Prometheus ServiceAccount token, through the scrape class
 *   `Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS` that every `Prometheus` defines (its
 *   `authorization.credentialsFile` and `tlsConfig.caFile`: the 0.93 ServiceMonitor CRD's own
 *   `authorization` only takes a Secret reference, whose token would never rotate, and its
 *   `bearerTokenFile` is deprecated). A Prometheus that selects this monitor without defining the class
 *   fails at synth. The kubelet authorizes the token with a
 *   SubjectAccessReview for `nodes/metrics` get, which every `Prometheus` selecting this monitor grants
 *   its ServiceAccount (ClusterRole) automatically, plus discovery RBAC in the kubelet Service's namespace.
 * - `honorLabels: true`: cAdvisor's and the volume stats' own `namespace`/`pod`/`container` labels win
 *   over the target's (`namespace="kube-system"`), which the rule packs need.
 * - `honorTimestamps: false` on cAdvisor (kube-prometheus: its timestamps break staleness handling).
 * - A `keep` relabeling on the Service name, so a second kubelet Service with the same labels (another
 *   operator in the cluster) is not scraped twice.
 * - `jobLabel: app.kubernetes.io/name` → `job="kubelet"`, and a `metrics_path` label per endpoint.
 */
export class KubeletMonitor extends Construct {
  /**
   * Labels the prometheus-operator 0.93 kubelet controller sets on the kubelet Service, Endpoints and
   * EndpointSlices (the monitor selects on `app.kubernetes.io/name`).
   */
  public static readonly SERVICE_LABELS: { [key: string]: string } = { ...KUBELET_SERVICE_LABELS };

  /** The ServiceMonitor. */
  public readonly serviceMonitor: ServiceMonitor;
  /** Namespace of the kubelet Service. */
  public readonly kubeletServiceNamespace: string;
  /** Name of the kubelet Service. */
  public readonly kubeletServiceName: string;

  constructor(scope: Construct, id: string, props: KubeletMonitorProps = {}) {
    super(scope, id);
    validateSharedProps(this, props, { required: true });
    const name = validateName(this, 'name', props.name ?? 'kubelet', 63);
    const namespace = validateNamespace(this, 'namespace', props.namespace ?? 'monitoring');
    this.kubeletServiceNamespace = validateNamespace(this, 'kubeletService.namespace', props.kubeletService?.namespace ?? 'kube-system');
    this.kubeletServiceName = validateName(this, 'kubeletService.name', props.kubeletService?.name ?? 'kubelet', 63);
    requirePositive(this, 'interval', props.interval);
    const interval = props.interval ?? Duration.seconds(30);
    // the CA file comes from the scrape class (the operator merges it into the endpoint's tlsConfig)
    const tlsConfig = (props.tlsVerification ?? KubeletTlsVerification.INSECURE_SKIP_VERIFY) === KubeletTlsVerification.CLUSTER_CA
      ? undefined
      : { insecureSkipVerify: true };

    const endpoint = (path: string, extra: Partial<ScrapeEndpoint> = {}): ScrapeEndpoint => ({
      port: 'https-metrics',
      path,
      scheme: ScrapeScheme.HTTPS,
      interval,
      honorLabels: true,
      tlsConfig,
      relabelings: [
        // only the Service this monitor is for (the label selector alone would match any operator's)
        { action: RelabelAction.KEEP, sourceLabels: ['__meta_kubernetes_service_name'], regex: this.kubeletServiceName },
        { action: RelabelAction.REPLACE, sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' },
      ],
      ...extra,
    });
    const endpoints: ScrapeEndpoint[] = [endpoint('/metrics')];
    if (props.cadvisor ?? true) {
      endpoints.push(endpoint('/metrics/cadvisor', {
        honorTimestamps: false,
        metricRelabelings: [...CADVISOR_DROPS, ...(props.cadvisorMetricRelabelings ?? [])],
      }));
    }
    if (props.probes ?? true) endpoints.push(endpoint('/metrics/probes'));

    this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
      name,
      namespace,
      labels: { 'app.kubernetes.io/name': 'kubelet', ...(props.labels ?? {}) },
      selector: { 'app.kubernetes.io/name': KUBELET_SERVICE_LABELS['app.kubernetes.io/name'] },
      targetNamespaces: [this.kubeletServiceNamespace],
      jobLabel: 'app.kubernetes.io/name',
      scrapeClass: SERVICE_ACCOUNT_SCRAPE_CLASS,
      endpoints,
    });

    addLgtmValidation(this, () => this.operatorErrors());
  }

  /** When the app contains Prometheus Operators, one of them must maintain the Service scraped here. */
  private operatorErrors(): LgtmErrorDetails[] {
    const operators = appIndex(this).ofClass(PrometheusOperator);
    if (operators.length === 0) return []; // the operator lives in another app
    const want = `${this.kubeletServiceNamespace}/${this.kubeletServiceName}`;
    const managed = operators.map((o) => (o.kubeletServiceName ? `${o.kubeletServiceNamespace}/${o.kubeletServiceName}` : undefined));
    if (managed.includes(want)) return [];
    return [{
      problem: `KubeletMonitor scrapes the kubelet Service ${want}, but no Prometheus Operator in the app maintains it: nothing would be scraped`,
      received: `operators maintain: ${show(managed.map((m) => m ?? '(none: manageKubeletService is false)'))}`,
      expected: `a PrometheusOperator with manageKubeletService (default) and kubeletService ${want}`,
      fix: "use the same 'kubeletService' on the PrometheusOperator and the KubeletMonitor (default kube-system/kubelet), and do not set manageKubeletService: false",
    }];
  }
}
