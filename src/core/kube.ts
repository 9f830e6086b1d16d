import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { objectMeta } from './objects';
import { ResourcePreset } from './resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/**
 * Low-level helpers that emit plain Kubernetes objects with exact control over every field (Pod Security
 * "restricted" needs `seccompProfile` and `capabilities.drop`, which cdk8s-plus does not set). Every
 * object gets an explicit, stable `metadata.name` and `metadata.namespace`.
 */
export interface ObjectMeta {
  /** Stable name. */
  readonly name: string;
  /** Namespace (omitted for cluster-scoped objects). */
  readonly namespace?: string;
  /** Labels. */
  readonly labels?: Record<string, string>;
  /** Annotations. */
  readonly annotations?: Record<string, string>;
}

/** Emits one Kubernetes object. */
export function kubeObject(
  scope: Construct, id: string, apiVersion: string, kind: string, metadata: ObjectMeta, body: Record<string, any>,
): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion,
    kind,
    metadata: {
      name: metadata.name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      ...(metadata.labels ? { labels: metadata.labels } : {}),
      ...(metadata.annotations && Object.keys(metadata.annotations).length > 0 ? { annotations: metadata.annotations } : {}),
    },
    ...body,
  });
}

/** A port of a Service (and the matching container port). */
export interface PortSpec {
  /** Port name (IANA_SVC_NAME: at most 15 chars, lowercase). */
  readonly name: string;
  /** Service and container port. */
  readonly port: number;
  /** Container port, when it differs from `port`. @default port */
  readonly targetPort?: number;
  /** @default 'TCP' */
  readonly protocol?: string;
  /** @default - none */
  readonly appProtocol?: string;
}

/** Description of an emitted Service, used to compute URLs and to check wiring. */
export class ServiceRef {
  constructor(
    /** Service name. */
    public readonly name: string,
    /** Namespace. */
    public readonly namespace: string,
    /** Ports. */
    public readonly ports: PortSpec[],
    /** The Service object. */
    public readonly apiObject: ApiObject,
  ) {}

  /** In-cluster DNS name (`name.namespace.svc`; resolvable from any namespace through the search path). */
  public get host(): string {
    return `${this.name}.${this.namespace}.svc`;
  }

  /** The port with this name; throws if the service has none. */
  public port(name: string): PortSpec {
    const p = this.ports.find((x) => x.name === name);
    if (!p) throw new Error(`Service ${this.namespace}/${this.name} has no port named '${name}' (ports: ${this.ports.map((x) => x.name).join(', ')})`);
    return p;
  }

  /** URL for a named port, e.g. `http://loki.monitoring.svc:3100`. */
  public url(portName: string, scheme: string = 'http', path: string = ''): string {
    return `${scheme}://${this.host}:${this.port(portName).port}${path}`;
  }

  /** `host:port` for a named port (gRPC clients, memberlist). */
  public address(portName: string): string {
    return `${this.host}:${this.port(portName).port}`;
  }
}

/** Options for {@link kubeService}. */
export interface ServiceOptions extends ObjectMeta {
  /** Pod selector. */
  readonly selector: Record<string, string>;
  /** Ports. */
  readonly ports: PortSpec[];
  /** Headless (`clusterIP: None`), for StatefulSet DNS and memberlist. */
  readonly headless?: boolean;
  /** Publish not-ready addresses (memberlist join during start-up). */
  readonly publishNotReadyAddresses?: boolean;
}

/** Emits a Service (typed `k8s.KubeService`) and returns a {@link ServiceRef}. */
export function kubeService(scope: Construct, id: string, o: ServiceOptions): ServiceRef {
  const obj = new k8s.KubeService(scope, id, {
    metadata: objectMeta(o),
    spec: {
      clusterIp: o.headless ? 'None' : undefined,
      type: o.headless ? undefined : 'ClusterIP',
      publishNotReadyAddresses: o.publishNotReadyAddresses ? true : undefined,
      selector: o.selector,
      ports: o.ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: k8s.IntOrString.fromNumber(p.targetPort ?? p.port),
        protocol: p.protocol ?? 'TCP',
        appProtocol: p.appProtocol,
      })),
    },
  });
  return new ServiceRef(o.name, o.namespace!, o.ports, obj);
}

/** A container, with restricted security defaults and mandatory resources. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly command?: string[];
  readonly env?: Record<string, any>[];
  readonly ports?: PortSpec[];
  readonly volumeMounts?: Record<string, any>[];
  readonly resources: ResourcePreset;
  readonly readinessProbe?: Record<string, any>;
  readonly livenessProbe?: Record<string, any>;
  readonly startupProbe?: Record<string, any>;
  readonly lifecycle?: Record<string, any>;
  /** Overrides the restricted security context (documented exceptions only). */
  readonly securityContext?: Record<string, any>;
}

/** Renders a container. */
export function container(c: ContainerSpec): Record<string, any> {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(c.env && c.env.length > 0 ? { env: c.env } : {}),
    ...(c.ports && c.ports.length > 0
      ? { ports: c.ports.map((p) => ({ name: p.name, containerPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })) }
      : {}),
    resources: c.resources._toKube(),
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    ...(c.livenessProbe ? { livenessProbe: c.livenessProbe } : {}),
    ...(c.startupProbe ? { startupProbe: c.startupProbe } : {}),
    ...(c.lifecycle ? { lifecycle: c.lifecycle } : {}),
    securityContext: c.securityContext ?? restrictedContainerSecurityContext(),
    ...(c.volumeMounts && c.volumeMounts.length > 0 ? { volumeMounts: c.volumeMounts } : {}),
  };
}

/** Probe timings. */
export interface ProbeTiming {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/** An HTTP GET probe on a named port. */
export function httpProbe(path: string, port: string | number, opts: ProbeTiming = {}): Record<string, any> {
  return {
    httpGet: { path, port },
    initialDelaySeconds: opts.initialDelaySeconds ?? 10,
    periodSeconds: opts.periodSeconds ?? 10,
    timeoutSeconds: opts.timeoutSeconds ?? 5,
    failureThreshold: opts.failureThreshold ?? 3,
  };
}

/** A pod template. */
export interface PodTemplateSpec {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly containers: Record<string, any>[];
  readonly initContainers?: Record<string, any>[];
  readonly volumes?: Record<string, any>[];
  /** Overrides the restricted pod security context (documented exceptions only). */
  readonly securityContext?: Record<string, any>;
  readonly affinity?: Record<string, any>;
  readonly topologySpreadConstraints?: Record<string, any>[];
  readonly terminationGracePeriodSeconds?: number;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly tolerations?: Record<string, any>[];
  readonly nodeSelector?: Record<string, string>;
  readonly priorityClassName?: string;
  readonly dnsPolicy?: string;
}

/** Renders a pod template. */
export function podTemplate(p: PodTemplateSpec): Record<string, any> {
  return {
    metadata: {
      labels: p.labels,
      ...(p.annotations && Object.keys(p.annotations).length > 0 ? { annotations: p.annotations } : {}),
    },
    spec: {
      ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
      automountServiceAccountToken: p.automountServiceAccountToken ?? false,
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.hostPID ? { hostPID: true } : {}),
      ...(p.dnsPolicy ? { dnsPolicy: p.dnsPolicy } : {}),
      ...(p.priorityClassName ? { priorityClassName: p.priorityClassName } : {}),
      securityContext: p.securityContext ?? restrictedPodSecurityContext(),
      ...(p.initContainers && p.initContainers.length > 0 ? { initContainers: p.initContainers } : {}),
      containers: p.containers,
      ...(p.volumes && p.volumes.length > 0 ? { volumes: p.volumes } : {}),
      ...(p.affinity ? { affinity: p.affinity } : {}),
      ...(p.topologySpreadConstraints ? { topologySpreadConstraints: p.topologySpreadConstraints } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: p.terminationGracePeriodSeconds } : {}),
    },
  };
}

/**
 * A fully defaulted volumeClaimTemplate (apiVersion, kind, volumeMode) so Argo CD does not report the
 * StatefulSet OutOfSync forever (argo-cd#11143).
 */
export function volumeClaimTemplate(name: string, sizeGi: number, storageClassName?: string, accessModes: string[] = ['ReadWriteOnce']): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: {
      accessModes,
      ...(storageClassName ? { storageClassName } : {}),
      volumeMode: 'Filesystem',
      resources: { requests: { storage: `${sizeGi}Gi` } },
    },
  };
}

/** Soft pod anti-affinity across nodes for pods with these labels. */
export function spreadAcrossNodes(selector: Record<string, string>, required = false): Record<string, any> {
  const term = { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' };
  return required
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

/** Zone topology spread (soft). */
export function zoneSpread(selector: Record<string, string>): Record<string, any>[] {
  return [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }];
}
