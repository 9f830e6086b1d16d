import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Component } from '../core/component';
import { fail, show } from '../core/errors';
import { Images } from '../core/images';
import { validateName, validateNamespace } from '../core/names';
import { httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { Toleration } from '../core/scheduling';

/** Where the operator maintains the kubelet Service (and its Endpoints/EndpointSlices). */
export interface KubeletServiceOptions {
  /** Namespace of the Service. @default 'kube-system' */
  readonly namespace?: string;
  /** Name of the Service. @default 'kubelet' */
  readonly name?: string;
}

/** Properties of `PrometheusOperator`. */
export interface PrometheusOperatorProps {
  /** Name of the Deployment, Service, ServiceAccount and ClusterRole(Binding). @default 'prometheus-operator' */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Operator image. @default Images.PROMETHEUS_OPERATOR */
  readonly image?: string;
  /** Config-reloader sidecar image the operator injects into Prometheus/Alertmanager pods. @default Images.PROMETHEUS_CONFIG_RELOADER */
  readonly configReloaderImage?: string;
  /** CPU/memory. @default ResourcePreset.MICRO */
  readonly resources?: ResourcePreset;
  /** Emit a ServiceMonitor for the operator's own metrics. @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on the ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /** Node labels the pod must match. @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations. @default - none */
  readonly tolerations?: Toleration[];
  /**
   * Let the operator maintain a headless `kube-system/kubelet` Service, labeled
   * `app.kubernetes.io/name: kubelet`, whose Endpoints and EndpointSlices list every node's kubelet
   * (ports `https-metrics` 10250, `cadvisor` 4194, `http-metrics` 10255): what `KubeletMonitor` scrapes.
   * Needs write access to Services and Endpoint(Slice)s, which the upstream ClusterRole grants anyway.
   * @default true
   */
  readonly manageKubeletService?: boolean;
  /**
   * Namespace and name of the kubelet Service (only with `manageKubeletService`).
   * @default - kube-system/kubelet
   */
  readonly kubeletService?: KubeletServiceOptions;
  /**
   * Requests and limits of the config-reloader sidecar the operator injects into every Prometheus and
   * Alertmanager pod (`--config-reloader-{cpu,memory}-{request,limit}`).
   * @default - the operator's defaults (10m CPU, 50Mi memory, requests and limits)
   */
  readonly configReloaderResources?: ResourcePreset;
}

/**
 * The Prometheus Operator: Deployment, ServiceAccount, ClusterRole/Binding (the rules of the upstream
 * bundle, nothing more), Service (`http` 8080) and a ServiceMonitor for its own metrics.
 * Its CRDs come from `PrometheusOperatorCrds` (apply them first).
 */
export class PrometheusOperator extends Component {
  /** Namespace of the kubelet Service the operator maintains; undefined when `manageKubeletService` is off. */
  public readonly kubeletServiceNamespace?: string;
  /** Name of the kubelet Service the operator maintains; undefined when `manageKubeletService` is off. */
  public readonly kubeletServiceName?: string;

  constructor(scope: Construct, id: string, props: PrometheusOperatorProps = {}) {
    super(scope, id, props, { appName: 'prometheus-operator', component: 'controller', name: 'prometheus-operator', image: Images.PROMETHEUS_OPERATOR });
    const reloader = props.configReloaderImage ?? Images.PROMETHEUS_CONFIG_RELOADER;
    const manageKubelet = props.manageKubeletService ?? true;
    if (manageKubelet) {
      this.kubeletServiceNamespace = validateNamespace(this, 'kubeletService.namespace', props.kubeletService?.namespace ?? 'kube-system');
      this.kubeletServiceName = validateName(this, 'kubeletService.name', props.kubeletService?.name ?? 'kubelet', 63);
    } else if (props.kubeletService) {
      fail(this, {
        problem: "'kubeletService' is set but 'manageKubeletService' is false",
        received: show(props.kubeletService),
        expected: 'either a managed kubelet Service (manageKubeletService: true) or none',
        fix: "remove 'kubeletService', or drop 'manageKubeletService: false'",
      });
    }

    this._addServiceAccount(true);
    this._addClusterRole(operatorRules());
    const args = [
      `--prometheus-config-reloader=${reloader}`,
      '--web.listen-address=:8080',
      // Endpoints for Prometheus' default `Endpoints` discovery role, EndpointSlices for the
      // `EndpointSlice` role; with both on, the operator labels the Endpoints
      // `endpointslice.kubernetes.io/skip-mirror` so kube-controller-manager does not mirror them into
      // slices that fight the operator's (kube-prometheus 0.17 runs both the same way).
      ...reloaderResourceArgs(props.configReloaderResources),
      ...(manageKubelet ? [`--kubelet-service=${this.kubeletServiceNamespace}/${this.kubeletServiceName}`, '--kubelet-endpoints=true', '--kubelet-endpointslice=true'] : []),
    ];
    this._addDeployment({
      replicas: 1,
      template: this._podTemplate({
        automountServiceAccountToken: true,
        containers: [kubeContainer({
          name: 'prometheus-operator',
          image: this.image,
          args,
          env: [{ name: 'GOGC', value: '30' }],
          ports: [{ name: 'http', port: 8080 }],
          resources: this._resources(ResourcePreset.MICRO),
          readinessProbe: httpGetProbe('/healthz', 'http', { initialDelaySeconds: 5 }),
          livenessProbe: httpGetProbe('/healthz', 'http', { initialDelaySeconds: 15 }),
        })],
      }),
    });
    this._addService({ ports: [{ name: 'http', port: 8080 }] });
    this._addServiceMonitor({ endpoints: [{ port: 'http' }] });
  }

  /** The Deployment (same as `workload`). */
  public get deployment(): ApiObject {
    return this.workload;
  }
}

/**
 * The operator's ClusterRole: example/rbac/prometheus-operator/prometheus-operator-cluster-role.yaml of the
 * upstream repository (0.84 line), plus the `status` subresources that the 0.93 CRDs declare and
 * `discovery.k8s.io` EndpointSlices, which the kubelet-service controller of 0.93 writes.
 *
 * What the kubelet controller (pkg/kubelet/controller.go) does: list nodes; get/create/update the
 * Service and the Endpoints; list/get/create/update/delete EndpointSlices, which it creates with an
 * ownerReference (blockOwnerDeletion) to the Service, hence `services/finalizers` update.
 */
function operatorRules(): k8s.PolicyRule[] {
  return [
    {
      apiGroups: ['monitoring.coreos.com'],
      resources: [
        'alertmanagers', 'alertmanagers/finalizers', 'alertmanagers/status', 'alertmanagerconfigs',
        'prometheuses', 'prometheuses/finalizers', 'prometheuses/status',
        'prometheusagents', 'prometheusagents/finalizers', 'prometheusagents/status',
        'thanosrulers', 'thanosrulers/finalizers', 'thanosrulers/status',
        'scrapeconfigs', 'scrapeconfigs/status', 'servicemonitors', 'servicemonitors/status',
        'podmonitors', 'podmonitors/status', 'probes', 'probes/status', 'prometheusrules', 'prometheusrules/status',
      ],
      verbs: ['*'],
    },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['*'] },
    { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['*'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] },
    { apiGroups: [''], resources: ['services', 'services/finalizers'], verbs: ['get', 'create', 'update', 'delete'] },
    { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'create', 'update', 'delete'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'create', 'list', 'update', 'delete'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['events'], verbs: ['patch', 'create'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['patch', 'create'] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get'] },
  ];
}

/** The operator flags that size the config-reloader sidecar. */
function reloaderResourceArgs(resources: ResourcePreset | undefined): string[] {
  if (!resources) return [];
  const r = resources._toKube();
  return [
    `--config-reloader-cpu-request=${r.requests.cpu}`,
    `--config-reloader-memory-request=${r.requests.memory}`,
    ...(r.limits.cpu ? [`--config-reloader-cpu-limit=${r.limits.cpu}`] : []),
    `--config-reloader-memory-limit=${r.limits.memory}`,
  ];
}
