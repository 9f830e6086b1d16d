import { Duration, Size } from 'cdk8s';
import { ResourcePreset } from '../core/resources';

/** Which sizing and durability a `LgtmStack` is built for. */
export enum StackProfileKind {
  /** A laptop cluster (minikube, kind): one node, a few GiB of RAM. */
  MINIKUBE = 'minikube',
  /** A production cluster: several nodes and zones, object storage. */
  PRODUCTION = 'production',
}

/**
 * What a profile sets for one component: replicas and resources (requests, with limits above the requests
 * where a profile allows bursting). Internal.
 */
export interface ProfileComponentSpec {
  readonly replicas?: number;
  readonly resources?: ResourcePreset;
}

/** The whole spec of a profile. Internal. */
export interface ProfileSpec {
  readonly kind: StackProfileKind;
  /** Prometheus TSDB retention. */
  readonly prometheusRetention: Duration;
  /** Loki retention. */
  readonly lokiRetention: Duration;
  /** Tempo retention. */
  readonly tempoRetention: Duration;
  /** Size of the PVCs (Prometheus, Loki/Tempo/Pyroscope filesystem storage). */
  readonly volumeSize: Size;
  /** The config-reloader sidecar the operator injects into Prometheus and Alertmanager pods. */
  readonly configReloader: ResourcePreset;
  /** Whether object storage is required (and filesystem storage refused). */
  readonly requiresObjectStorage: boolean;
  /** Whether every workload runs more than one replica where the component can. */
  readonly highAvailability: boolean;
  /** Whether Prometheus discovers monitors and rules in every namespace. */
  readonly watchAllNamespaces: boolean;
  /** Components switched on by default (beyond the core). */
  readonly pyroscope: boolean;
  readonly beyla: boolean;
  readonly operator: ProfileComponentSpec;
  readonly prometheus: ProfileComponentSpec;
  readonly alertmanager: ProfileComponentSpec;
  readonly nodeExporter: ProfileComponentSpec;
  readonly kubeStateMetrics: ProfileComponentSpec;
  readonly grafana: ProfileComponentSpec;
  readonly loki: ProfileComponentSpec;
  readonly tempo: ProfileComponentSpec;
  readonly logsAgent: ProfileComponentSpec;
  readonly collector: ProfileComponentSpec;
  readonly pyroscopeSpec: ProfileComponentSpec;
  readonly beylaSpec: ProfileComponentSpec;
  readonly otelCollector: ProfileComponentSpec;
  /** The stack's own Mimir: whether it is on by default (when no `metricsStore` is given), and its Monolithic pod. */
  readonly mimir: ProfileComponentSpec & { readonly enabled: boolean };
}

const mi = (n: number) => Size.mebibytes(n);
/** Requests as given, a memory limit above them (a laptop's node has room to burst; the requests are what the scheduler reserves). */
const burst = (cpuMillis: number, requestMi: number, limitMi: number) =>
  ResourcePreset.custom({ cpuMillis, memory: mi(requestMi), memoryLimit: mi(limitMi) });

/**
 * The minikube figures (memory requests; limits in brackets). They sum to 1,002 Mi over the output, one node:
 * see docs/PROFILES.md for why each still works.
 */
const MINIKUBE: ProfileSpec = {
  kind: StackProfileKind.MINIKUBE,
  prometheusRetention: Duration.hours(2),
  // Loki's index period is 24h: a shorter retention would delete the index being written
  lokiRetention: Duration.hours(24),
  tempoRetention: Duration.hours(2),
  volumeSize: Size.gibibytes(2),
  configReloader: ResourcePreset.custom({ cpuMillis: 5, memory: mi(20), memoryLimit: mi(40) }),
  requiresObjectStorage: false,
  highAvailability: false,
  watchAllNamespaces: true,
  pyroscope: false,
  beyla: false,
  operator: { replicas: 1, resources: burst(20, 48, 128) },
  prometheus: { replicas: 1, resources: burst(50, 256, 768) },
  alertmanager: { replicas: 1, resources: burst(10, 64, 128) },
  nodeExporter: { resources: burst(10, 32, 64) },
  kubeStateMetrics: { resources: burst(10, 64, 128) },
  grafana: { replicas: 1, resources: burst(50, 128, 512) },
  loki: { replicas: 1, resources: burst(50, 128, 512) },
  tempo: { replicas: 1, resources: burst(20, 96, 512) },
  logsAgent: { resources: burst(20, 64, 256) },
  collector: { replicas: 1, resources: burst(20, 64, 256) },
  pyroscopeSpec: { replicas: 1, resources: burst(20, 96, 512) },
  beylaSpec: { resources: burst(20, 64, 256) },
  otelCollector: { replicas: 1, resources: burst(20, 64, 256) },
  // off by default (the 1 GiB budget); when switched on, one Monolithic pod
  mimir: { enabled: false, replicas: 1, resources: burst(50, 256, 1024) },
};

const PRODUCTION: ProfileSpec = {
  kind: StackProfileKind.PRODUCTION,
  prometheusRetention: Duration.days(15),
  lokiRetention: Duration.days(30),
  tempoRetention: Duration.days(14),
  volumeSize: Size.gibibytes(50),
  configReloader: ResourcePreset.custom({ cpuMillis: 10, memory: mi(50) }),
  requiresObjectStorage: true,
  highAvailability: true,
  watchAllNamespaces: false,
  pyroscope: true,
  beyla: false,
  operator: { replicas: 1, resources: ResourcePreset.MICRO },
  prometheus: { replicas: 2, resources: ResourcePreset.LARGE },
  alertmanager: { replicas: 3, resources: ResourcePreset.MICRO },
  nodeExporter: {},
  kubeStateMetrics: {},
  grafana: { resources: ResourcePreset.custom({ cpuMillis: 250, memory: mi(512) }) },
  loki: {},
  // scalable, sized by TempoSizing from the span rate (10,000 spans/s unless `tempo.workload` is given)
  tempo: {},
  logsAgent: { resources: ResourcePreset.SMALL },
  collector: { replicas: 2, resources: ResourcePreset.MEDIUM },
  // HA: 3 pods in one memberlist ring, ingester replication factor 3, on object storage
  pyroscopeSpec: { replicas: 3, resources: ResourcePreset.MEDIUM },
  beylaSpec: {},
  otelCollector: { replicas: 2, resources: ResourcePreset.MEDIUM },
  // Distributed, sized by MimirSizing from the workload (1M active series unless given)
  mimir: { enabled: true },
};

/**
 * Sizing and durability of a `LgtmStack`.
 *
 * - `MINIKUBE`: single replicas, filesystem storage on small PVCs, short retention (Prometheus and Tempo
 *   2 h, Loki 24 h), tiny requests: the whole stack, Tempo and Alloy included, requests about 1,002 Mi
 *   of memory. Prometheus discovers monitors in every namespace, so applications deployed later are
 *   scraped without touching the stack.
 * - `PRODUCTION`: HA (Prometheus 2, Alertmanager 3, Loki Distributed with replication factor 3, Tempo
 *   scalable sized by `TempoSizing` (10,000 spans/s unless `tempo.workload` is given), Pyroscope with
 *   3 replicas in one ring (replication factor 3), 2 collector members sized by `CollectorSizing` from
 *   the node count),
 *   Mimir Distributed (replication factor 3, sized for 1M active series) as the long-term metrics store
 *   unless one is given, object storage required, PodDisruptionBudgets, pods spread across zones and
 *   nodes, longer retention.
 */
export class StackProfile {
  /** A laptop cluster (see the class docs). */
  public static readonly MINIKUBE = new StackProfile(MINIKUBE);
  /** A production cluster (see the class docs). */
  public static readonly PRODUCTION = new StackProfile(PRODUCTION);

  /** Which profile this is. */
  public readonly kind: StackProfileKind;

  private constructor(private readonly spec: ProfileSpec) {
    this.kind = spec.kind;
  }

  /**
   * The profile's figures.
   * @internal
   */
  public get _spec(): ProfileSpec {
    return this.spec;
  }
}
