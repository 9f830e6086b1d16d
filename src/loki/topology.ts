/**
 * The shape both Loki topologies share (monolithic.ts, distributed.ts): the targets to run, the
 * Services in front of them, and the typed rendering of one target's workload. Internal.
 */
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { LokiMode } from './modes';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { PortSpec, ServiceRef } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { KubeStatefulSetWithClaims, objectMeta } from '../core/objects';
import { antiAffinityAcrossNodes, emptyDirVolume, httpGetProbe, kubeContainer, kubePodTemplate, volumeClaim, zoneSpreadConstraints } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { Toleration, toKubeTolerations } from '../core/scheduling';
import { restrictedPodSecurityContext } from '../core/security';
import { ObjectStorageBinding } from '../storage/binding';

export const HTTP: PortSpec = { name: 'http', port: 3100 };
export const GRPC: PortSpec = { name: 'grpc', port: 9095 };
export const MEMBERLIST: PortSpec = { name: 'tcp-memberlist', port: 7946 };
/** Services with this label set to `true` are scraped (each pod through exactly one Service). */
export const SCRAPE_LABEL = 'lgtm.cdk8s.io/scrape';
const LOKI_UID = 10001; // the user of the grafana/loki image
/** The data mount of every Loki pod. */
export const DATA = '/var/loki';

/** One Loki target (`-target=...`) and how it runs. */
export interface TargetSpec {
  readonly target: string;
  readonly stateful: boolean;
  readonly replicas: number;
  readonly service: ServiceRef;
  /** The headless Service that governs a StatefulSet's pod DNS (`serviceName`, immutable). @default service */
  readonly governingService?: ServiceRef;
  readonly terminationGracePeriodSeconds?: number;
}

/** Options of a Service of a topology. */
export interface TopologyServiceOptions {
  readonly headless?: boolean;
  readonly publishNotReady?: boolean;
  /** Whether the ServiceMonitor scrapes the pods through this Service. @default true */
  readonly scrape?: boolean;
}

/** What a topology needs from the Loki it belongs to. */
export interface TopologyContext {
  readonly name: string;
  /** Emits a Service (`main` marks the one that becomes `loki.service`). */
  service(id: string, name: string, component: string | undefined, ports: PortSpec[], opts?: TopologyServiceOptions, main?: boolean): ServiceRef;
  /** Replicas of a Distributed target (validated). */
  replicas(key: 'distributor' | 'ingester' | 'querier' | 'queryFrontend' | 'queryScheduler' | 'indexGateway'): number;
}

/** Everything the workload of one target is rendered from. */
export interface WorkloadContext {
  readonly scope: IConstruct & { readonly node: IConstruct['node'] };
  readonly mode: LokiMode;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly version: string;
  readonly config: ConfigFiles;
  readonly rulesConfig?: ConfigFiles;
  readonly ruleTenant: string;
  readonly binding: ObjectStorageBinding;
  /** Resources by target. */
  readonly resources: Record<string, ResourcePreset>;
  readonly volumeGi: number;
  readonly storageClassName?: string;
  readonly podDisruptionBudget?: boolean;
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: Toleration[];
}

/** Renders the StatefulSet or Deployment of one target (and its PodDisruptionBudget in Distributed mode). */
export function renderTarget(ctx: WorkloadContext, c: TargetSpec): k8s.KubeDeployment | k8s.KubeStatefulSet {
  const idn = { name: 'loki', instance: ctx.name, component: c.target, version: ctx.version };
  const labels = { ...standardLabels(idn), ...ctx.binding.podLabels };
  const selector = selectorLabels(idn);
  const objName = ctx.mode === LokiMode.MONOLITHIC ? ctx.name : `${ctx.name}-${c.target}`;
  const distributed = ctx.mode === LokiMode.DISTRIBUTED;
  const args = ['-config.file=/etc/loki/loki.yaml', `-target=${c.target}`];
  if (ctx.binding.expandEnv) args.push('-config.expand-env=true');
  const volumeMounts: k8s.VolumeMount[] = [
    { name: 'config', mountPath: '/etc/loki', readOnly: true },
    { name: 'data', mountPath: DATA },
    { name: 'tmp', mountPath: '/tmp' },
    ...(ctx.binding.volumeMounts as k8s.VolumeMount[]),
  ];
  const volumes: k8s.Volume[] = [
    { name: 'config', configMap: { name: ctx.config.name } },
    emptyDirVolume('tmp', '1Gi'),
    ...(ctx.binding.volumes as k8s.Volume[]),
  ];
  if (!c.stateful) volumes.push(emptyDirVolume('data', '10Gi'));
  if (ctx.rulesConfig) {
    volumeMounts.push({ name: 'rules', mountPath: '/etc/loki/rules', readOnly: true });
    const t = ctx.ruleTenant;
    volumes.push({ name: 'rules', configMap: { name: ctx.rulesConfig.name, items: [{ key: `${t}.yaml`, path: `${t}/rules.yaml` }] } });
  }
  const annotations: Record<string, string> = { [CHECKSUM_ANNOTATION]: ctx.config.checksum };
  if (ctx.rulesConfig) annotations['checksum/rules'] = ctx.rulesConfig.checksum;
  const template = kubePodTemplate({
    labels,
    annotations,
    serviceAccountName: ctx.name,
    securityContext: restrictedPodSecurityContext(LOKI_UID),
    containers: [kubeContainer({
      name: 'loki',
      image: ctx.image,
      args,
      env: ctx.binding.env as k8s.EnvVar[],
      ports: distributed ? [HTTP, GRPC, MEMBERLIST] : [HTTP, GRPC],
      resources: ctx.resources[c.target],
      readinessProbe: httpGetProbe('/ready', 'http', { initialDelaySeconds: 15, timeoutSeconds: 1 }),
      volumeMounts,
    })],
    volumes,
    terminationGracePeriodSeconds: c.terminationGracePeriodSeconds ?? 30,
    affinity: distributed ? antiAffinityAcrossNodes(selector) : undefined,
    topologySpreadConstraints: distributed ? zoneSpreadConstraints(selector) : undefined,
    nodeSelector: ctx.nodeSelector,
    tolerations: toKubeTolerations(ctx.tolerations),
  });
  const metadata = objectMeta({ name: objName, namespace: ctx.namespace, labels: standardLabels(idn) });
  const scope = ctx.scope as unknown as Construct;
  let workload: k8s.KubeDeployment | k8s.KubeStatefulSet;
  if (c.stateful) {
    workload = new KubeStatefulSetWithClaims(scope, `${c.target}-StatefulSet`, {
      metadata,
      spec: {
        // the headless Service gives each pod stable DNS; serviceName is immutable, so it is fixed now
        serviceName: (c.governingService ?? c.service).name,
        replicas: c.replicas,
        // Ingesters restart one by one (each flushes before the next stops); others start in parallel.
        podManagementPolicy: c.target === 'ingester' || c.target === 'all' ? 'OrderedReady' : 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template,
        volumeClaimTemplates: [volumeClaim('data', ctx.volumeGi, ctx.storageClassName)],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
  } else {
    workload = new k8s.KubeDeployment(scope, `${c.target}-Deployment`, {
      metadata,
      spec: {
        replicas: c.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template,
      },
    });
  }
  if (distributed && (ctx.podDisruptionBudget ?? true)) {
    new k8s.KubePodDisruptionBudget(scope, `${c.target}-PDB`, {
      metadata: objectMeta({ name: objName, namespace: ctx.namespace, labels: standardLabels(idn) }),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
  return workload;
}
