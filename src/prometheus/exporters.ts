import { ApiObject, Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Component } from '../core/component';
import { Images } from '../core/images';
import { AGENTS_NAMESPACE } from '../core/names';
import { hostPathVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { TOLERATE_ALL, Toleration } from '../core/scheduling';
import { RESTRICTED_UID } from '../core/security';

/** Properties of `NodeExporter`. */
export interface NodeExporterProps {
  /** Name of the DaemonSet, Service and ServiceAccount. @default 'node-exporter' */
  readonly name?: string;
  /**
   * Namespace. It needs Pod Security "privileged" (host network, host PID, host paths): keep it apart
   * from the "restricted" stack namespace (`Namespace.forNodeAgents`).
   * @default - the Chart's namespace, else 'monitoring-agents'
   */
  readonly namespace?: string;
  /** Image. @default Images.NODE_EXPORTER */
  readonly image?: string;
  /** CPU/memory. @default - 100m / 180Mi (kube-prometheus) */
  readonly resources?: ResourcePreset;
  /** Emit a ServiceMonitor (instance label = node name). @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on the ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /** Node labels the pods must match. @default - every node */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations. @default - every taint (host metrics of every node, control plane included) */
  readonly tolerations?: Toleration[];
}

const NODE_EXPORTER_PORT = 9100;

/**
 * node-exporter on every node (DaemonSet). Documented security exception: host network (so the
 * node's network statistics are the host's), host PID (process counts), and read-only hostPath mounts
 * of `/proc`, `/sys` and `/`. The container itself runs as nobody, read-only, with no capabilities.
 */
export class NodeExporter extends Component {
  constructor(scope: Construct, id: string, props: NodeExporterProps = {}) {
    super(scope, id, props, { appName: 'node-exporter', component: 'exporter', name: 'node-exporter', image: Images.NODE_EXPORTER, namespace: AGENTS_NAMESPACE });
    this._addServiceAccount(false);
    this._addDaemonSet({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
      template: this._podTemplate({
        hostNetwork: true,
        hostPid: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        defaultTolerations: TOLERATE_ALL,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: RESTRICTED_UID,
          runAsGroup: RESTRICTED_UID,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [kubeContainer({
          name: 'node-exporter',
          image: this.image,
          args: [
            `--web.listen-address=:${NODE_EXPORTER_PORT}`,
            '--path.procfs=/host/proc',
            '--path.sysfs=/host/sys',
            '--path.rootfs=/host/root',
            '--path.udev.data=/host/root/run/udev/data',
            '--no-collector.wifi',
            '--no-collector.hwmon',
            '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/k3s/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)',
            '--collector.netclass.ignored-devices=^(veth.*|[a-f0-9]{15})$',
            '--collector.netdev.device-exclude=^(veth.*|[a-f0-9]{15})$',
          ],
          ports: [{ name: 'metrics', port: NODE_EXPORTER_PORT }],
          resources: this._resources(ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(180) })),
          readinessProbe: httpGetProbe('/', 'metrics', { initialDelaySeconds: 5 }),
          livenessProbe: httpGetProbe('/', 'metrics', { initialDelaySeconds: 15 }),
          volumeMounts: [
            { name: 'proc', mountPath: '/host/proc', readOnly: true },
            { name: 'sys', mountPath: '/host/sys', readOnly: true },
            { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
          ],
        })],
        volumes: [
          hostPathVolume('proc', '/proc', 'Directory'),
          hostPathVolume('sys', '/sys', 'Directory'),
          hostPathVolume('root', '/', 'Directory'),
        ],
      }),
    });
    this._addService({ headless: true, ports: [{ name: 'metrics', port: NODE_EXPORTER_PORT }] });
    this._addServiceMonitor({
      jobLabel: 'app.kubernetes.io/name',
      endpoints: [{
        port: 'metrics',
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'instance' }],
      }],
    });
  }

  /** The DaemonSet (same as `workload`). */
  public get daemonSet(): ApiObject {
    return this.workload;
  }
}

/**
 * The resources kube-state-metrics exports: its default set minus `secrets` (least privilege), with
 * `endpointslices` (discovery.k8s.io) instead of the deprecated `endpoints` (deprecated in Kubernetes
 * 1.33; kube-state-metrics 2.19 exports both).
 */
const KSM_RESOURCES: Array<[string, string[]]> = [
  ['', ['configmaps', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'resourcequotas', 'services']],
  ['apps', ['daemonsets', 'deployments', 'replicasets', 'statefulsets']],
  ['batch', ['cronjobs', 'jobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['certificates.k8s.io', ['certificatesigningrequests']],
  ['discovery.k8s.io', ['endpointslices']],
  ['storage.k8s.io', ['storageclasses', 'volumeattachments']],
  ['admissionregistration.k8s.io', ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['coordination.k8s.io', ['leases']],
];

/** Properties of `KubeStateMetrics`. */
export interface KubeStateMetricsProps {
  /** Name of the Deployment, Service and RBAC objects. @default 'kube-state-metrics' */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Image. @default Images.KUBE_STATE_METRICS */
  readonly image?: string;
  /** CPU/memory. @default - 100m / 190Mi (kube-prometheus) */
  readonly resources?: ResourcePreset;
  /** Emit a ServiceMonitor (both ports; `honorLabels` on the object metrics). @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on the ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /** Node labels the pod must match. @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations. @default - none */
  readonly tolerations?: Toleration[];
}

/**
 * kube-state-metrics: object state as metrics (`kube_pod_status_ready`, `kube_pod_container_status_restarts_total`,
 * ...). ClusterRole with list/watch on exactly the resources it exports; Secrets are not exported (their
 * list permission would let it read every Secret's data).
 */
export class KubeStateMetrics extends Component {
  constructor(scope: Construct, id: string, props: KubeStateMetricsProps = {}) {
    super(scope, id, props, { appName: 'kube-state-metrics', component: 'exporter', name: 'kube-state-metrics', image: Images.KUBE_STATE_METRICS });
    this._addServiceAccount(true);
    this._addClusterRole(KSM_RESOURCES.map(([g, r]) => ({ apiGroups: [g], resources: r, verbs: ['list', 'watch'] })));
    const resources = KSM_RESOURCES.flatMap(([, r]) => r).sort();
    this._addDeployment({
      replicas: 1,
      template: this._podTemplate({
        automountServiceAccountToken: true,
        containers: [kubeContainer({
          name: 'kube-state-metrics',
          image: this.image,
          args: ['--port=8080', '--telemetry-port=8081', `--resources=${resources.join(',')}`],
          ports: [{ name: 'http-metrics', port: 8080 }, { name: 'telemetry', port: 8081 }],
          resources: this._resources(ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(190) })),
          livenessProbe: httpGetProbe('/livez', 'http-metrics', { initialDelaySeconds: 5 }),
          readinessProbe: httpGetProbe('/readyz', 'telemetry', { initialDelaySeconds: 5 }),
        })],
      }),
    });
    this._addService({ ports: [{ name: 'http-metrics', port: 8080 }, { name: 'telemetry', port: 8081 }] });
    this._addServiceMonitor({
      jobLabel: 'app.kubernetes.io/name',
      endpoints: [{ port: 'http-metrics', honorLabels: true }, { port: 'telemetry' }],
    });
  }

  /** The Deployment (same as `workload`). */
  public get deployment(): ApiObject {
    return this.workload;
  }
}
