/**
 * Sizing of a distributed Loki from the expected ingest volume (public API: `LokiSizing.forWorkload`).
 *
 * Calibrated on Loki's published "Size the cluster" guide (microservices mode, p90 utilisation), tier
 * "less than 3 TB/day", taken at its upper end (3,000 GB/day, about 35 MB/s):
 *
 * | target | CPU request | memory request | replicas |
 * |---|---|---|---|
 * | ingester | 2 | 4 Gi | 6 |
 * | distributor | 2 | 0.5 Gi | 4 |
 * | index-gateway | 0.5 | 2 Gi | 4 |
 * | querier | 1 | 1 Gi | 10 |
 * | query-frontend | 1 | 2 Gi | 2 |
 * | query-scheduler | 1 | 0.5 Gi | 2 |
 * | compactor | 2 | 10 Gi | 1 (singleton) |
 *
 * and on the next tier's published ingester (90 at 2 CPU / 6 Gi), distributor (40 at 2 CPU / 1 Gi) and
 * index-gateway (10 at 0.5 / 4 Gi) counts at 30 TB/day. Replica counts grow with the volume (piecewise
 * linear between the two published points), never below the HA floor (3 ingesters for replication
 * factor 3, 2 of every stateless target); below 3 TB/day the per-pod requests shrink with the load, to a
 * floor. Above 30 TB/day the guide has no numbers (it recommends memcached-extstore and per-cluster
 * tuning), so the sizing refuses. Requests only, no CPU limit; memory limit 1.5x the request, or requests
 * equal to limits in the capped variant. See `docs/components/logs.md` for the table of what 100 GB,
 * 1 TB, 3 TB and 30 TB/day give.
 *
 * Caches: the guide puts the results and chunk caches in memcached; this library renders Loki's
 * in-process `embedded_cache` instead (one per pod, bounded by `max_size_mb`), so the cache size is
 * derived from the volume and added on top of the published pod memory, to the request and the limit
 * alike, of every target that fills it: the results cache (`query_range.results_cache`) on the
 * query-frontends, the chunk cache (`chunk_store_config.chunk_cache_config`) on the queriers (reads) and
 * the ingesters (they write flushed chunks back into it). Linear in the load from the 3 TB/day point
 * (results 256 MB, chunks 512 MB: the PRODUCTION profile's values), between a floor (128 / 256 MB, above
 * the upstream default of 100 MB) and a cap (1 GB / 2 GB: an in-process cache beyond that is better
 * served by memcached, which the guide recommends at that scale).
 */
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { ResourcePreset } from '../core/resources';

/** The workload a Loki is sized for. */
export interface LokiWorkload {
  /** Expected log volume ingested per day, in GB (uncompressed, as the distributors receive it). */
  readonly ingestGbPerDay: number;
  /**
   * Capped variant: requests equal to limits (CPU and memory), for clusters that require Guaranteed QoS.
   * @default false (no CPU limit, memory limit 1.5x the request)
   */
  readonly capped?: boolean;
}

/** Size of one Loki target. */
export interface LokiTargetSize {
  /** Pods. */
  readonly replicas: number;
  /** CPU and memory of each pod. */
  readonly resources: ResourcePreset;
}

/** Calibration constants (see the file comment). */
export const LOKI_SIZING = {
  /** The published tier the per-pod sizes come from (GB/day). */
  referenceGbPerDay: 3_000,
  /** The largest volume with published numbers (GB/day). */
  maxGbPerDay: 30_000,
  replicationFactor: 3,
  memoryLimitFactor: 1.5,
  /** Embedded results cache (MB) at the reference tier, floor and cap. */
  resultsCacheMbAt3: 256,
  resultsCacheMinMb: 128,
  resultsCacheMaxMb: 1024,
  /** Embedded chunk cache (MB) at the reference tier, floor and cap. */
  chunkCacheMbAt3: 512,
  chunkCacheMinMb: 256,
  chunkCacheMaxMb: 2048,
} as const;

/** Which targets hold which embedded cache (their memory is added to these pods). */
const CACHE_HOLDERS: Record<string, 'results' | 'chunk'> = {
  'query-frontend': 'results',
  'querier': 'chunk',
  'ingester': 'chunk',
};

/** An embedded cache size (MB) for `gb`/day: linear in the load from the 3 TB/day point, floor and cap. */
function cacheMb(gb: number, at3: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, roundUpTo((at3 * gb) / LOKI_SIZING.referenceGbPerDay, 64)));
}

interface TargetSpec {
  /** Replicas at 3 TB/day and (where published) at 30 TB/day. */
  readonly at3: number;
  readonly at30?: number;
  /** HA floor. */
  readonly min: number;
  readonly cpuMillis: number;
  readonly memMi: number;
  readonly minCpuMillis: number;
  readonly minMemMi: number;
  /** Per-pod memory at 30 TB/day where the next tier publishes a larger pod. */
  readonly memMiAt30?: number;
}

const TARGETS: Record<string, TargetSpec> = {
  'ingester': { at3: 6, at30: 90, min: 3, cpuMillis: 2000, memMi: 4096, memMiAt30: 6144, minCpuMillis: 500, minMemMi: 1024 },
  'distributor': { at3: 4, at30: 40, min: 2, cpuMillis: 2000, memMi: 512, memMiAt30: 1024, minCpuMillis: 250, minMemMi: 256 },
  'index-gateway': { at3: 4, at30: 10, min: 2, cpuMillis: 500, memMi: 2048, memMiAt30: 4096, minCpuMillis: 100, minMemMi: 512 },
  'querier': { at3: 10, min: 2, cpuMillis: 1000, memMi: 1024, minCpuMillis: 250, minMemMi: 512 },
  'query-frontend': { at3: 2, min: 2, cpuMillis: 1000, memMi: 2048, minCpuMillis: 100, minMemMi: 256 },
  'query-scheduler': { at3: 2, min: 2, cpuMillis: 1000, memMi: 512, minCpuMillis: 100, minMemMi: 128 },
  'compactor': { at3: 1, min: 1, cpuMillis: 2000, memMi: 10240, minCpuMillis: 250, minMemMi: 1024 },
};

const roundUpTo = (n: number, step: number) => Math.ceil(n / step) * step;

/** Piecewise linear through (0, 0), (3 TB, at3) and (30 TB, at30). */
function interpolate(gb: number, at3: number, at30: number): number {
  const r = LOKI_SIZING.referenceGbPerDay;
  if (gb <= r) return (at3 * gb) / r;
  return at3 + ((at30 - at3) * (gb - r)) / (LOKI_SIZING.maxGbPerDay - r);
}

function target(kind: string, gb: number, capped: boolean, caches: { results: number; chunk: number }): LokiTargetSize {
  const t = TARGETS[kind];
  const load = gb / LOKI_SIZING.referenceGbPerDay;
  const wanted = t.at30 !== undefined ? interpolate(gb, t.at3, t.at30) : t.at3 * load;
  const replicas = kind === 'compactor' ? 1 : Math.max(t.min, Math.ceil(wanted - 1e-9));
  // below the reference tier each pod shrinks with the load (to a floor), so a small volume on the HA
  // floor of replicas does not request the 3 TB/day pods; per-pod size and replicas each only grow
  const perPod = Math.min(1, load);
  const memBase = gb > LOKI_SIZING.referenceGbPerDay && t.memMiAt30 !== undefined
    ? interpolate(gb, t.memMi, t.memMiAt30) : t.memMi * perPod;
  const cpu = Math.max(t.minCpuMillis, roundUpTo(t.cpuMillis * perPod, 50));
  const base = Math.max(t.minMemMi, roundUpTo(memBase, 64));
  // the embedded cache is bounded (max_size_mb), so it is added as is to the request and the limit
  const holder = CACHE_HOLDERS[kind];
  const cache = holder === undefined ? 0 : caches[holder];
  const mem = base + cache;
  const limit = roundUpTo(base * LOKI_SIZING.memoryLimitFactor, 64) + cache;
  const resources = capped
    ? ResourcePreset.custom({ cpuMillis: cpu, memory: Size.mebibytes(limit), cpuLimitMillis: cpu, memoryLimit: Size.mebibytes(limit) })
    : ResourcePreset.custom({ cpuMillis: cpu, memory: Size.mebibytes(mem), memoryLimit: Size.mebibytes(limit) });
  return { replicas, resources };
}

/**
 * Replicas, requests and limits, embedded cache sizes and the default per-tenant ingestion limits of a distributed Loki,
 * derived from the expected ingest volume. Every value grows monotonically with the input. Give it to
 * `Loki` as `workload` (the construct computes it and validates the input with its path), or compute it
 * with `LokiSizing.forWorkload` to inspect it.
 */
export class LokiSizing {
  /** Sizes a distributed Loki for `workload` (fails on zero, negative, non-finite or unpublished volumes). */
  public static forWorkload(workload: LokiWorkload): LokiSizing {
    return LokiSizing._compute({ node: { path: 'LokiSizing.forWorkload' } } as unknown as IConstruct, 'workload', workload);
  }

  /** @internal */
  public static _compute(scope: IConstruct, prop: string, w: LokiWorkload): LokiSizing {
    const v = (w as { ingestGbPerDay?: unknown } | undefined)?.ingestGbPerDay;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      fail(scope, {
        problem: `'${prop}.ingestGbPerDay' must be a positive number`,
        received: typeof v === 'number' && !Number.isFinite(v) ? String(v) : show(v),
        expected: 'a finite number of GB/day > 0 (the log volume the distributors receive)',
        fix: `set '${prop}.ingestGbPerDay' to the expected daily log volume in GB (greater than zero)`,
      });
    }
    if (v > LOKI_SIZING.maxGbPerDay) {
      fail(scope, {
        problem: `'${prop}.ingestGbPerDay' is beyond the published sizing tiers`,
        received: show(v),
        expected: `at most ${LOKI_SIZING.maxGbPerDay} GB/day (30 TB/day, the largest published tier)`,
        fix: 'size a cluster this large by hand: leave out workload and set targetReplicas, the target resources and limits explicitly',
      });
    }
    return new LokiSizing(w);
  }

  /** The input. */
  public readonly workload: LokiWorkload;
  /** Average ingest rate in MB/s (GB/day over 86,400 s). */
  public readonly ingestMbPerSecond: number;
  /** Replication factor of the ingester ring. */
  public readonly replicationFactor: number;
  /** Distributors. */
  public readonly distributor: LokiTargetSize;
  /** Ingesters. */
  public readonly ingester: LokiTargetSize;
  /** Queriers. */
  public readonly querier: LokiTargetSize;
  /** Query-frontends. */
  public readonly queryFrontend: LokiTargetSize;
  /** Query-schedulers. */
  public readonly queryScheduler: LokiTargetSize;
  /** Index-gateways. */
  public readonly indexGateway: LokiTargetSize;
  /** The compactor (a singleton upstream). */
  public readonly compactor: LokiTargetSize;
  /** Per-tenant ingestion rate (MB/s): 1.5x the average rate, never below the upstream default of 4. */
  public readonly ingestionRateMb: number;
  /** Per-tenant burst (MB): twice the rate. */
  public readonly ingestionBurstSizeMb: number;
  /**
   * Embedded results cache of each query-frontend (`query_range.results_cache.cache.embedded_cache.max_size_mb`),
   * in MB; included in the query-frontend memory.
   */
  public readonly resultsCacheMb: number;
  /**
   * Embedded chunk cache of each querier and ingester (`chunk_store_config.chunk_cache_config.embedded_cache.max_size_mb`),
   * in MB; included in the querier and ingester memory.
   */
  public readonly chunkCacheMb: number;

  private constructor(w: LokiWorkload) {
    const gb = w.ingestGbPerDay;
    const capped = w.capped ?? false;
    this.workload = w;
    this.ingestMbPerSecond = (gb * 1000) / 86_400;
    this.replicationFactor = LOKI_SIZING.replicationFactor;
    this.resultsCacheMb = cacheMb(gb, LOKI_SIZING.resultsCacheMbAt3, LOKI_SIZING.resultsCacheMinMb, LOKI_SIZING.resultsCacheMaxMb);
    this.chunkCacheMb = cacheMb(gb, LOKI_SIZING.chunkCacheMbAt3, LOKI_SIZING.chunkCacheMinMb, LOKI_SIZING.chunkCacheMaxMb);
    const caches = { results: this.resultsCacheMb, chunk: this.chunkCacheMb };
    this.ingester = target('ingester', gb, capped, caches);
    this.distributor = target('distributor', gb, capped, caches);
    this.indexGateway = target('index-gateway', gb, capped, caches);
    this.querier = target('querier', gb, capped, caches);
    this.queryFrontend = target('query-frontend', gb, capped, caches);
    this.queryScheduler = target('query-scheduler', gb, capped, caches);
    this.compactor = target('compactor', gb, capped, caches);
    this.ingestionRateMb = Math.max(4, Math.ceil(this.ingestMbPerSecond * 1.5));
    this.ingestionBurstSizeMb = this.ingestionRateMb * 2;
  }
}
