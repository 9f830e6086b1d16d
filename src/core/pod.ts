import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { PortSpec } from './kube';
import { portRef, quantity } from './objects';
import { ResourcePreset } from './resources';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/**
 * Typed pod-level building blocks (`k8s.Container`, `k8s.PodTemplateSpec`, `k8s.Probe`) with the
 * library's defaults: Pod Security "restricted", mandatory resources, `IfNotPresent` pulls, no token
 * unless asked for.
 */

/** A container, with restricted security defaults and mandatory resources. */
export interface ContainerOptions {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly command?: string[];
  readonly env?: k8s.EnvVar[];
  readonly ports?: PortSpec[];
  readonly volumeMounts?: k8s.VolumeMount[];
  readonly resources: ResourcePreset;
  readonly readinessProbe?: k8s.Probe;
  readonly livenessProbe?: k8s.Probe;
  readonly startupProbe?: k8s.Probe;
  readonly lifecycle?: k8s.Lifecycle;
  /** Overrides the restricted security context (documented exceptions only). */
  readonly securityContext?: k8s.SecurityContext;
}

/** Renders a container. */
export function kubeContainer(c: ContainerOptions): k8s.Container {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    command: c.command,
    args: c.args,
    env: c.env && c.env.length > 0 ? c.env : undefined,
    ports: c.ports && c.ports.length > 0
      ? c.ports.map((p) => ({ name: p.name, containerPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' }))
      : undefined,
    resources: c.resources._toK8s(),
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    startupProbe: c.startupProbe,
    lifecycle: c.lifecycle,
    securityContext: c.securityContext ?? restrictedContainerSecurityContext(),
    volumeMounts: c.volumeMounts && c.volumeMounts.length > 0 ? c.volumeMounts : undefined,
  };
}

/** Probe timings. */
export interface ProbeTimingOptions {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

function timing(opts: ProbeTimingOptions) {
  return {
    initialDelaySeconds: opts.initialDelaySeconds ?? 10,
    periodSeconds: opts.periodSeconds ?? 10,
    timeoutSeconds: opts.timeoutSeconds ?? 5,
    failureThreshold: opts.failureThreshold ?? 3,
  };
}

/** An HTTP GET probe on a named (or numbered) port. */
export function httpGetProbe(path: string, port: string | number, opts: ProbeTimingOptions = {}): k8s.Probe {
  return { httpGet: { path, port: portRef(port) }, ...timing(opts) };
}

/** A TCP probe. */
export function tcpProbe(port: string | number, opts: ProbeTimingOptions = {}): k8s.Probe {
  return { tcpSocket: { port: portRef(port) }, ...timing(opts) };
}

/** A command probe. */
export function execProbe(command: string[], opts: ProbeTimingOptions = {}): k8s.Probe {
  return { exec: { command }, ...timing(opts) };
}

/** A pod template. */
export interface PodTemplateOptions {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly serviceAccountName?: string;
  /** @default false */
  readonly automountServiceAccountToken?: boolean;
  readonly containers: k8s.Container[];
  readonly initContainers?: k8s.Container[];
  readonly volumes?: k8s.Volume[];
  /** Overrides the restricted pod security context (documented exceptions only). */
  readonly securityContext?: k8s.PodSecurityContext;
  readonly affinity?: k8s.Affinity;
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
  readonly terminationGracePeriodSeconds?: number;
  readonly hostNetwork?: boolean;
  readonly hostPid?: boolean;
  readonly tolerations?: k8s.Toleration[];
  readonly nodeSelector?: Record<string, string>;
  readonly priorityClassName?: string;
  readonly dnsPolicy?: string;
}

/** Renders a pod template. */
export function kubePodTemplate(p: PodTemplateOptions): k8s.PodTemplateSpec {
  return {
    metadata: {
      labels: p.labels,
      annotations: p.annotations && Object.keys(p.annotations).length > 0 ? p.annotations : undefined,
    },
    spec: {
      serviceAccountName: p.serviceAccountName,
      automountServiceAccountToken: p.automountServiceAccountToken ?? false,
      hostNetwork: p.hostNetwork ? true : undefined,
      hostPid: p.hostPid ? true : undefined,
      dnsPolicy: p.dnsPolicy,
      priorityClassName: p.priorityClassName,
      securityContext: p.securityContext ?? restrictedPodSecurityContext(),
      initContainers: p.initContainers && p.initContainers.length > 0 ? p.initContainers : undefined,
      containers: p.containers,
      volumes: p.volumes && p.volumes.length > 0 ? p.volumes : undefined,
      affinity: p.affinity,
      topologySpreadConstraints: p.topologySpreadConstraints,
      tolerations: p.tolerations && p.tolerations.length > 0 ? p.tolerations : undefined,
      nodeSelector: p.nodeSelector && Object.keys(p.nodeSelector).length > 0 ? p.nodeSelector : undefined,
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
    },
  };
}

/** A read-only (or read-write) hostPath volume. */
export function hostPathVolume(name: string, path: string, type: string): k8s.Volume {
  return { name, hostPath: { path, type } };
}

/** An emptyDir volume with a size limit. */
export function emptyDirVolume(name: string, sizeLimit: string, medium?: string): k8s.Volume {
  return { name, emptyDir: { medium, sizeLimit: quantity(sizeLimit) } };
}

/** A claim template for a StatefulSet (see `KubeStatefulSetWithClaims` for the defaulted apiVersion/kind). */
export function volumeClaim(name: string, sizeGi: number, storageClassName?: string, accessModes: string[] = ['ReadWriteOnce']): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name },
    spec: {
      accessModes,
      storageClassName,
      volumeMode: 'Filesystem',
      resources: { requests: { storage: quantity(`${sizeGi}Gi`) } },
    },
  };
}

/** Soft (or hard) pod anti-affinity across nodes for pods with these labels. */
export function antiAffinityAcrossNodes(selector: Record<string, string>, required = false): k8s.Affinity {
  const term: k8s.PodAffinityTerm = { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' };
  return required
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

/** Zone topology spread (soft). */
export function zoneSpreadConstraints(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }];
}
