import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceMonitor } from './monitors';
import { Images, imageVersion } from '../core/images';
import { container, httpProbe, kubeObject, kubeService, podTemplate, ServiceRef } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { validateName, validateNamespace } from '../core/names';
import { ResourcePreset } from '../core/resources';

/** Properties of `PrometheusOperator`. */
export interface PrometheusOperatorProps {
  /** Name of the Deployment, Service, ServiceAccount and ClusterRole(Binding). @default 'prometheus-operator' */
  readonly name?: string;
  /** Namespace. @default 'monitoring' */
  readonly namespace?: string;
  /** Operator image. @default Images.PROMETHEUS_OPERATOR */
  readonly image?: string;
  /** Config-reloader sidecar image the operator injects into Prometheus/Alertmanager pods. @default Images.PROMETHEUS_CONFIG_RELOADER */
  readonly configReloaderImage?: string;
  /** CPU/memory. @default ResourcePreset.MICRO */
  readonly resources?: ResourcePreset;
  /**
   * Let the operator maintain a `kube-system/kubelet` Service with the kubelet endpoints (for
   * cAdvisor/kubelet ServiceMonitors). Needs write access to Services and Endpoint(Slice)s cluster-wide,
   * which the upstream bundle grants anyway.
   * @default true
   */
  readonly manageKubeletService?: boolean;
}

/**
 * The Prometheus Operator: Deployment, ServiceAccount, ClusterRole/Binding (the rules of the upstream
 * bundle, nothing more), Service (`http` 8080) and a ServiceMonitor for its own metrics.
 * Its CRDs come from `PrometheusOperatorCrds` (apply them first).
 */
export class PrometheusOperator extends Construct {
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service (`http` 8080). */
  public readonly service: ServiceRef;
  /** Its own ServiceMonitor. */
  public readonly serviceMonitor: ServiceMonitor;
  /** Name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: PrometheusOperatorProps = {}) {
    super(scope, id);
    this.name = validateName(this, 'name', props.name ?? 'prometheus-operator');
    this.namespace = validateNamespace(this, 'namespace', props.namespace ?? 'monitoring');
    const image = props.image ?? Images.PROMETHEUS_OPERATOR;
    const reloader = props.configReloaderImage ?? Images.PROMETHEUS_CONFIG_RELOADER;
    const id_ = { name: 'prometheus-operator', instance: this.name, component: 'controller', version: imageVersion(image) };
    const labels = standardLabels(id_);
    const selector = selectorLabels(id_);
    const manageKubelet = props.manageKubeletService ?? true;

    kubeObject(this, 'ServiceAccount', 'v1', 'ServiceAccount', { name: this.name, namespace: this.namespace, labels }, { automountServiceAccountToken: true });
    // Cluster-scoped names carry the namespace so two stacks in one cluster do not collide.
    const clusterName = `${this.namespace}-${this.name}`;
    kubeObject(this, 'ClusterRole', 'rbac.authorization.k8s.io/v1', 'ClusterRole', { name: clusterName, labels }, { rules: operatorRules() });
    kubeObject(this, 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { name: clusterName, labels }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });

    const args = [
      `--prometheus-config-reloader=${reloader}`,
      '--web.listen-address=:8080',
      ...(manageKubelet ? ['--kubelet-service=kube-system/kubelet'] : []),
    ];
    this.deployment = kubeObject(this, 'Deployment', 'apps/v1', 'Deployment', { name: this.name, namespace: this.namespace, labels }, {
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: podTemplate({
          labels,
          serviceAccountName: this.name,
          automountServiceAccountToken: true,
          containers: [container({
            name: 'prometheus-operator',
            image,
            args,
            env: [{ name: 'GOGC', value: '30' }],
            ports: [{ name: 'http', port: 8080 }],
            resources: props.resources ?? ResourcePreset.MICRO,
            readinessProbe: httpProbe('/healthz', 'http', { initialDelaySeconds: 5 }),
            livenessProbe: httpProbe('/healthz', 'http', { initialDelaySeconds: 15 }),
          })],
        }),
      },
    });

    this.service = kubeService(this, 'Service', { name: this.name, namespace: this.namespace, labels, selector, ports: [{ name: 'http', port: 8080 }] });
    this.serviceMonitor = ServiceMonitor.forServiceRef(this, 'ServiceMonitor', this.service, { endpoints: [{ port: 'http' }] });
  }
}

/**
 * The operator's ClusterRole: example/rbac/prometheus-operator/prometheus-operator-cluster-role.yaml of the
 * upstream repository (0.84 line), plus the `status` subresources that the 0.93 CRDs declare and
 * `discovery.k8s.io` EndpointSlices, which the kubelet-service controller of 0.93 writes.
 */
function operatorRules(): Record<string, any>[] {
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
