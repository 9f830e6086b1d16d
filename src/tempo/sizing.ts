/**
 * Sizing of a scalable Tempo 2.10 from the expected span rate (public API: `TempoSizing.forWorkload`).
 *
 * Calibrated on Tempo's published "Size the cluster" guide (grafana.com/docs/tempo/latest/setup/size/,
 * "Example sample cluster sizing", the version with ingesters and compactors, i.e. the classic 2.x
 * architecture; the 3.0 page names live-stores and block-builders instead), which gives per-component
 * ratios of the received traffic:
 *
 * | component | published | taken here |
 * |---|---|---|
 * | distributor | 1 per 10 MB/s, 2 CPU, 2 GB | 1 per 10 MB/s, 2 CPU, 2 GiB |
 * | ingester | 1 per 3-5 MB/s, 2.5 CPU, 4-20 GB | 1 per 4 MB/s, 2.5 CPU, 4 GiB |
 * | querier | 1 per 1-2 MB/s, CPU "dependent", 4-20 GB | 1 per 1.5 MB/s, 1 CPU (assumed), 4 GiB |
 * | query-frontend | 2 (HA), CPU and memory "dependent" | 2 |
 * | compactor | 1 per 3-5 MB/s, 1 CPU, 4-20 GB | 1 per 4 MB/s, 1 CPU, 4 GiB |
 *
 * (the middle of each published replica range, the lower end of each memory range: the guide says trace
 * composition decides; raise `resources` for large traces). The span rate becomes bytes with the average
 * span size, default 500 bytes ("a typical span size of around 500 bytes", Tempo's "Manage trace
 * ingestion"; Tempo 3.0's deployment-modes page puts 25-35 MB/s at 55k-80k spans/s, about 450 bytes).
 *
 * The library runs Tempo 2.10 as `scalable-single-binary` replicas: every pod runs one of each
 * component. So the pod count is the largest component count (the querier's, 1 per 1.5 MB/s), never
 * below 3 (ingester replication factor 3), and each pod gets the per-1.5 MB/s share of every
 * volume-scaled component (0.15 distributor + 0.375 ingester + 1 querier + 0.375 compactor: 2.6 CPU,
 * 7.3 GiB) plus an allowance for its query-frontend (250m, 1 GiB: assumed; each pod's frontend sees a
 * share of the queries). Below 3 full pods (4.5 MB/s) the pods shrink with the load, to a floor. Beyond
 * 100 MB/s (about 200k spans/s at 500 bytes, 67 pods) the sizing refuses: collocated ingesters and
 * queriers at that volume are what upstream warns about, and Tempo 3.0's microservices mode (with
 * Kafka) is the upstream answer. Tempo 2.10 has no in-process cache (only memcached or redis under
 * `cache.caches[]`), and the library renders none, so the sizing gives no cache size. See
 * `docs/components/traces.md` for the table of what 1k, 10k and 100k spans/s give.
 */
import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { ResourcePreset } from '../core/resources';

/** The workload a Tempo is sized for. */
export interface TempoWorkload {
  /** Expected spans received per second (before replication: what the collectors send). */
  readonly spansPerSecond: number;
  /**
   * Average encoded size of a span in bytes (received bytes/s = spansPerSecond x averageSpanBytes).
   * @default 500 (Tempo's "typical span size")
   */
  readonly averageSpanBytes?: number;
  /**
   * How long traces are kept: the Tempo's retention when it sets none, and the bucket estimate.
   * @default Duration.days(14)
   */
  readonly retention?: Duration;
  /**
   * Expected trace-by-ID lookups per second (each pod's querier is assumed to serve 10/s).
   * @default - the volume decides the querier count (the guide's "typical search patterns")
   */
  readonly traceByIdQueriesPerSecond?: number;
  /**
   * Capped variant: requests equal to limits (CPU and memory), for clusters that require Guaranteed QoS.
   * @default false (no CPU limit, memory limit 1.5x the request)
   */
  readonly capped?: boolean;
}

/** The per-tenant ingestion limits of the sizing (`overrides.defaults.ingestion`). */
export interface TempoIngestionLimits {
  /** `rate_strategy`: `global` (the rate is the tenant's across the cluster). */
  readonly rateStrategy: string;
  /** `rate_limit_bytes`: 1.5x the received bytes/s, never below the upstream default 15,000,000. */
  readonly rateLimitBytes: number;
  /** `burst_size_bytes`: at least the rate, never below the upstream default 20,000,000. */
  readonly burstSizeBytes: number;
  /** `max_traces_per_user` (live traces per ingester): twice the expected, never below the upstream default 10,000. */
  readonly maxTracesPerUser: number;
}

/** What the published guide's microservices layout would run at this volume (for comparison). */
export interface TempoComponentCounts {
  /** Distributors (1 per 10 MB/s). */
  readonly distributor: number;
  /** Ingesters (1 per 4 MB/s, at least 3). */
  readonly ingester: number;
  /** Queriers (1 per 1.5 MB/s). */
  readonly querier: number;
  /** Query-frontends (2). */
  readonly queryFrontend: number;
  /** Compactors (1 per 4 MB/s). */
  readonly compactor: number;
}

/** Calibration constants (see the file comment). */
export const TEMPO_SIZING = {
  defaultSpanBytes: 500,
  replicationFactor: 3,
  /** The largest volume sized (MB/s). */
  maxMbPerSecond: 100,
  /** The largest pod count (the Tempo construct's SCALABLE range). */
  maxPods: 100,
  /** Received MB/s per replica of each component (the guide's ratios). */
  mbPerDistributor: 10,
  mbPerIngester: 4,
  mbPerQuerier: 1.5,
  mbPerCompactor: 4,
  /** Trace-by-ID lookups/s one pod's querier serves (assumed, not published). */
  queriesPerPod: 10,
  memoryLimitFactor: 1.5,
  /** Assumed for the live-trace limit (not published): spans per trace, seconds a trace stays live. */
  spansPerTrace: 5,
  liveTraceSeconds: 20,
  /** Seconds of replicated traffic a pod's WAL holds (complete_block_timeout 15m + a head block 10m), x2 headroom. */
  walSeconds: 1500,
} as const;

/** Per-component pod sizes taken from the guide (millicores, MiB). */
const COMPONENT = {
  distributor: { cpu: 2000, mem: 2048 },
  ingester: { cpu: 2500, mem: 4096 },
  querier: { cpu: 1000, mem: 4096 },
  compactor: { cpu: 1000, mem: 4096 },
} as const;
/** The query-frontend allowance of each pod (assumed). */
const FRONTEND = { cpu: 250, mem: 1024 } as const;
/** The smallest pod. */
const FLOOR = { cpu: 500, mem: 1024 } as const;

const roundUpTo = (n: number, step: number) => Math.ceil(n / step) * step;

/** CPU and memory of one full pod: the share of every component per querier's 1.5 MB/s, plus its frontend. */
function fullPod(): { cpu: number; mem: number } {
  const c = TEMPO_SIZING;
  const share = (mbPer: number) => c.mbPerQuerier / mbPer;
  const parts: Array<[number, { cpu: number; mem: number }]> = [
    [share(c.mbPerDistributor), COMPONENT.distributor],
    [share(c.mbPerIngester), COMPONENT.ingester],
    [1, COMPONENT.querier],
    [share(c.mbPerCompactor), COMPONENT.compactor],
  ];
  return {
    cpu: parts.reduce<number>((s, [n, p]) => s + n * p.cpu, FRONTEND.cpu),
    mem: parts.reduce<number>((s, [n, p]) => s + n * p.mem, FRONTEND.mem),
  };
}

/**
 * Replicas, requests and limits, the PVC size and the per-tenant ingestion limits of a scalable Tempo
 * (`TempoMode.SCALABLE`), derived from the expected span rate. Every value grows monotonically with the
 * input. Give it to `Tempo` as `workload` (the construct computes it and validates the input with its
 * path), or compute it with `TempoSizing.forWorkload` to inspect it.
 */
export class TempoSizing {
  /** Sizes a scalable Tempo for `workload` (fails on zero, negative, non-finite or unsized volumes). */
  public static forWorkload(workload: TempoWorkload): TempoSizing {
    return TempoSizing._compute({ node: { path: 'TempoSizing.forWorkload' } } as unknown as IConstruct, 'workload', workload);
  }

  /** @internal */
  public static _compute(scope: IConstruct, prop: string, w: TempoWorkload): TempoSizing {
    const positive = (what: string, v: unknown, hint: string) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        fail(scope, {
          problem: `'${prop}.${what}' must be a positive number`,
          received: typeof v === 'number' ? String(v) : show(v),
          expected: `a finite number > 0 (${hint})`,
          fix: `set '${prop}.${what}' to the expected ${hint} (greater than zero)`,
        });
      }
    };
    const input = (w ?? {}) as Partial<TempoWorkload>;
    positive('spansPerSecond', input.spansPerSecond, 'spans per second the collectors send');
    if (input.averageSpanBytes !== undefined) positive('averageSpanBytes', input.averageSpanBytes, 'average span size in bytes');
    if (input.traceByIdQueriesPerSecond !== undefined) positive('traceByIdQueriesPerSecond', input.traceByIdQueriesPerSecond, 'trace-by-ID lookups per second');
    if (input.retention !== undefined) positive('retention', input.retention.toSeconds({ integral: false }), 'retention');
    const c = TEMPO_SIZING;
    const mbps = (input.spansPerSecond! * (input.averageSpanBytes ?? c.defaultSpanBytes)) / 1_000_000;
    if (mbps > c.maxMbPerSecond) {
      fail(scope, {
        problem: `'${prop}' is beyond the range the scalable Tempo is sized for`,
        received: `${show(input.spansPerSecond)} spans/s x ${input.averageSpanBytes ?? c.defaultSpanBytes} bytes = ${mbps.toFixed(1)} MB/s`,
        expected: `at most ${c.maxMbPerSecond} MB/s (${Math.ceil(c.maxMbPerSecond / c.mbPerQuerier)} scalable-single-binary pods)`,
        fix: 'size a cluster this large by hand (leave out workload, set replicas, resources and storage), or run Tempo 3 microservices with Kafka',
      });
    }
    const qps = input.traceByIdQueriesPerSecond ?? 0;
    if (qps / c.queriesPerPod > c.maxPods) {
      fail(scope, {
        problem: `'${prop}.traceByIdQueriesPerSecond' is beyond the range the scalable Tempo is sized for`,
        received: show(qps),
        expected: `at most ${c.maxPods * c.queriesPerPod} lookups/s (${c.maxPods} pods at ${c.queriesPerPod}/s each)`,
        fix: 'lower it (a query-frontend cache or Tempo 3 microservices serve more), or size the cluster by hand',
      });
    }
    return new TempoSizing(w);
  }

  /** The input. */
  public readonly workload: TempoWorkload;
  /** Received MB/s (spans/s x average span bytes, decimal MB). */
  public readonly ingestMbPerSecond: number;
  /** Replication factor of the ingester ring. */
  public readonly replicationFactor: number;
  /** Pods (`scalable-single-binary` replicas). */
  public readonly replicas: number;
  /** CPU and memory of each pod. */
  public readonly resources: ResourcePreset;
  /** The data PVC of each pod (WAL, generator WAL). */
  public readonly volume: Size;
  /** Retention (the input's, default 14 days). */
  public readonly retention: Duration;
  /** Upper bound of the bucket's size in GB (received bytes over the retention, before compression; compaction removes the replicas). */
  public readonly objectStorageGb: number;
  /** The per-tenant ingestion limits. */
  public readonly limits: TempoIngestionLimits;
  /** The guide's microservices layout at this volume (what the pods collectively run). */
  public readonly components: TempoComponentCounts;

  private constructor(w: TempoWorkload) {
    const c = TEMPO_SIZING;
    const spanBytes = w.averageSpanBytes ?? c.defaultSpanBytes;
    const mbps = (w.spansPerSecond * spanBytes) / 1_000_000;
    this.workload = w;
    this.ingestMbPerSecond = mbps;
    this.replicationFactor = c.replicationFactor;
    const byVolume = Math.ceil(mbps / c.mbPerQuerier - 1e-9);
    const byQueries = Math.ceil((w.traceByIdQueriesPerSecond ?? 0) / c.queriesPerPod - 1e-9);
    this.replicas = Math.max(c.replicationFactor, byVolume, byQueries);
    this.components = {
      distributor: Math.max(1, Math.ceil(mbps / c.mbPerDistributor - 1e-9)),
      ingester: Math.max(c.replicationFactor, Math.ceil(mbps / c.mbPerIngester - 1e-9)),
      querier: Math.max(1, byVolume),
      queryFrontend: 2,
      compactor: Math.max(1, Math.ceil(mbps / c.mbPerCompactor - 1e-9)),
    };
    // below 3 full pods each pod shrinks with the load, to a floor; replicas and pod size each only grow
    const load = Math.min(1, mbps / (c.replicationFactor * c.mbPerQuerier));
    const full = fullPod();
    const cpu = Math.max(FLOOR.cpu, roundUpTo(full.cpu * load, 50));
    const mem = Math.max(FLOOR.mem, roundUpTo(full.mem * load, 64));
    const limit = roundUpTo(mem * c.memoryLimitFactor, 64);
    this.resources = w.capped
      ? ResourcePreset.custom({ cpuMillis: cpu, memory: Size.mebibytes(limit), cpuLimitMillis: cpu, memoryLimit: Size.mebibytes(limit) })
      : ResourcePreset.custom({ cpuMillis: cpu, memory: Size.mebibytes(mem), memoryLimit: Size.mebibytes(limit) });
    // each pod receives at most the querier's 1.5 MB/s (x RF as ingester); its WAL holds walSeconds of that, twice
    const perPodMbps = Math.min(mbps / c.replicationFactor, c.mbPerQuerier) * c.replicationFactor;
    this.volume = Size.gibibytes(Math.max(10, Math.ceil((perPodMbps * c.walSeconds * 2) / 1024)));
    this.retention = w.retention ?? Duration.days(14);
    this.objectStorageGb = Math.ceil((mbps * this.retention.toSeconds({ integral: false })) / 1000);
    const rate = Math.max(15_000_000, roundUpTo(mbps * 1_000_000 * 1.5, 1_000_000));
    const perIngesterSpans = Math.min(w.spansPerSecond / c.replicationFactor, (c.mbPerQuerier * 1_000_000) / spanBytes) * c.replicationFactor;
    this.limits = {
      rateStrategy: 'global',
      rateLimitBytes: rate,
      burstSizeBytes: Math.max(20_000_000, rate),
      maxTracesPerUser: Math.max(10_000, roundUpTo((2 * perIngesterSpans * c.liveTraceSeconds) / c.spansPerTrace, 1000)),
    };
  }
}
