/**
 * Sizing of a distributed Mimir from workload numbers (public API: `MimirSizing.forWorkload`).
 *
 * Calibrated on the published layouts of the mimir-distributed chart (`small.yaml`, about 1M active
 * series at a 15 s scrape interval, about 66k samples/s and 5 queries/s; `large.yaml`, about 10M
 * series, 660k samples/s, 50 queries/s), as summarised in the project reference:
 *
 * | published | small (1M) | large (10M) |
 * |---|---|---|
 * | ingesters | 3 x (3.5 CPU, 8 GiB request / 12 GiB limit, 50 GiB disk) | 27 |
 * | distributors | 2 x (2 CPU, 4 GiB) | 12 |
 * | store-gateways | 3 | - |
 *
 * and on Mimir's capacity-planning guidance for what is not published (querier about 1 core per 2-3
 * queries/s; store-gateway and compactor disk proportional to blocks). Requests are set at 70 %
 * utilisation and there is no CPU limit; the capped variant sets requests equal to limits. See
 * `docs/components/mimir.md` for the formulas and the 100k / 1M / 10M table.
 *
 * Caches (recommended sizes only, nothing is rendered: Mimir's caches are memcached, which this library
 * does not deploy yet): both layouts run 3 replicas of each memcached cache at the chart's default
 * `allocatedMemory` (chunks 8192 MB, index 2048 MB, metadata 512 MB, results 512 MB, request
 * floor(1.2 x allocatedMemory)), `large.yaml` raising the results cache to 1024 MB. Below 1M series the
 * per-replica memory shrinks with the load to a floor (ours), like every pod; the results cache follows
 * the query rate from 512 MB at 5 queries/s to 1024 MB at 50.
 */
import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { ResourcePreset } from '../core/resources';

/** The workload a Mimir is sized for. */
export interface MimirWorkload {
  /** Expected active series (after replication is NOT counted: the series your writers send). */
  readonly activeSeries: number;
  /**
   * Scrape interval of the writers (samples/s = activeSeries / interval).
   * @default Duration.seconds(15)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Expected queries per second.
   * @default - 5 per million active series (the published layouts' ratio)
   */
  readonly queriesPerSecond?: number;
  /**
   * Capped variant: requests equal to limits (CPU and memory), for clusters that require it (Guaranteed QoS).
   * @default false (requests at 70 % utilisation, no CPU limit, memory limit 1.5x the request)
   */
  readonly capped?: boolean;
}

/** Size of one Mimir target. */
export interface MimirTargetSize {
  /** Pods. */
  readonly replicas: number;
  /** CPU and memory of each pod. */
  readonly resources: ResourcePreset;
  /**
   * PVC of each pod (stateful targets).
   * @default - no PVC
   */
  readonly volume?: Size;
}

/** Recommended size of one Mimir memcached cache (not rendered: see `MimirSizing`). */
export interface MimirCacheSize {
  /** memcached pods. */
  readonly replicas: number;
  /** Memory memcached may use for items, per pod, in MB (memcached `-m`, the chart's `allocatedMemory`). */
  readonly memoryMb: number;
  /** Largest item, in MB (memcached `-I`, the chart's `maxItemMemory`). */
  readonly maxItemMb: number;
  /** Memory request of each pod: floor(1.2 x memoryMb) MiB, the chart's rule (connections, slabs overhead). */
  readonly memoryRequest: Size;
}

/** Default per-tenant limits of Mimir. */
export interface MimirLimits {
  /**
   * Active series per tenant across the cluster (`max_global_series_per_user`; upstream default 150,000).
   * @default - from the sizing, else 150000
   */
  readonly maxGlobalSeriesPerUser?: number;
  /**
   * Samples/s per tenant (`ingestion_rate`; upstream default 10,000).
   * @default - from the sizing, else 10000
   */
  readonly ingestionRate?: number;
  /**
   * Samples per burst (`ingestion_burst_size`; upstream default 200,000). At least `ingestionRate`.
   * @default - from the sizing, else 200000
   */
  readonly ingestionBurstSize?: number;
}

/** Calibration constants (see the file comment and docs/components/mimir.md). */
export const MIMIR_SIZING = {
  replicationFactor: 3,
  /** In-memory series (active series x RF) per ingester: small 3M/3 = 1M, large 30M/27 = 1.11M. */
  inMemorySeriesPerIngester: 1_120_000,
  /** Samples/s per distributor: small 66.7k -> 2, large 667k -> 12. */
  samplesPerDistributor: 56_000,
  /** Active series per store-gateway (3 at 1M, rounded up to a multiple of 3 zones). */
  seriesPerStoreGateway: 2_000_000,
  /** Queries/s per querier. */
  queriesPerQuerier: 2.5,
  /** Queries/s per query-frontend. */
  queriesPerFrontend: 25,
  /** Active series per compactor. */
  seriesPerCompactor: 20_000_000,
  /** The reference point every per-pod size is calibrated at (the small layout's pod sizes). */
  referenceSeries: 1_000_000,
  referenceSamplesPerSecond: 1_000_000 / 15,
  /** Default queries/s per million series. */
  queriesPerMillionSeries: 5,
  /** Uncapped memory limit over the request (8 GiB / 12 GiB published for ingesters). */
  memoryLimitFactor: 1.5,
} as const;

/**
 * memcached caches of the published layouts (mimir-distributed `values.yaml` defaults, 3 replicas each in
 * `small.yaml` and `large.yaml`, `large.yaml` results cache 1024 MB) and our floors below 1M series.
 */
const CACHES: Record<string, { memMb: number; minMb: number; maxItemMb: number; memMbAtLarge?: number }> = {
  chunks: { memMb: 8192, minMb: 1024, maxItemMb: 1 },
  index: { memMb: 2048, minMb: 256, maxItemMb: 5 },
  metadata: { memMb: 512, minMb: 64, maxItemMb: 1 },
  results: { memMb: 512, minMb: 64, maxItemMb: 5, memMbAtLarge: 1024 },
};
const CACHE_REPLICAS = 3;

/** One cache: `load` scales it below the small layout, `queryLoad` (x 5 queries/s) the results cache above. */
function cache(kind: string, load: number, queryLoad: number): MimirCacheSize {
  const c = CACHES[kind];
  let mb = Math.max(c.minMb, roundUpTo(c.memMb * Math.min(1, load), 64));
  if (c.memMbAtLarge !== undefined && queryLoad > 1) {
    mb = Math.max(mb, roundUpTo(c.memMb + ((c.memMbAtLarge - c.memMb) * (Math.min(10, queryLoad) - 1)) / 9, 64));
  }
  return { replicas: CACHE_REPLICAS, memoryMb: mb, maxItemMb: c.maxItemMb, memoryRequest: Size.mebibytes(Math.floor(mb * 1.2)) };
}

/** Per-pod sizes at the reference point (small layout) and their floors. */
interface PodSpec { cpuMillis: number; memMi: number; minCpuMillis: number; minMemMi: number }
const PODS: Record<string, PodSpec> = {
  ingester: { cpuMillis: 3500, memMi: 8 * 1024, minCpuMillis: 500, minMemMi: 1024 },
  distributor: { cpuMillis: 2000, memMi: 4 * 1024, minCpuMillis: 250, minMemMi: 512 },
  storeGateway: { cpuMillis: 1000, memMi: 2 * 1024, minCpuMillis: 250, minMemMi: 512 },
  querier: { cpuMillis: 1000, memMi: 2 * 1024, minCpuMillis: 250, minMemMi: 512 },
  queryFrontend: { cpuMillis: 500, memMi: 1024, minCpuMillis: 100, minMemMi: 256 },
  queryScheduler: { cpuMillis: 200, memMi: 256, minCpuMillis: 100, minMemMi: 128 },
  compactor: { cpuMillis: 1000, memMi: 2 * 1024, minCpuMillis: 250, minMemMi: 512 },
};

const roundUpTo = (n: number, step: number) => Math.ceil(n / step) * step;

function pod(kind: string, load: number, capped: boolean): ResourcePreset {
  const p = PODS[kind];
  const f = Math.min(1, load);
  const cpu = Math.max(p.minCpuMillis, roundUpTo(p.cpuMillis * f, 50));
  const mem = Math.max(p.minMemMi, roundUpTo(p.memMi * f, 64));
  const limit = roundUpTo(mem * MIMIR_SIZING.memoryLimitFactor, 64);
  return capped
    ? ResourcePreset.custom({ cpuMillis: cpu, memory: Size.mebibytes(limit), cpuLimitMillis: cpu, memoryLimit: Size.mebibytes(limit) })
    : ResourcePreset.custom({ cpuMillis: cpu, memory: Size.mebibytes(mem), memoryLimit: Size.mebibytes(limit) });
}

/**
 * Replicas, requests and limits, PVC sizes, tenant limits and recommended cache sizes of a distributed Mimir, derived from the
 * expected active series (and scrape interval and query rate). Every value grows monotonically with
 * the input. Give it to `Mimir` as `workload` (the construct computes it and validates the input with
 * its path), or compute it with `MimirSizing.forWorkload` to inspect it.
 */
export class MimirSizing {
  /** Sizes a distributed Mimir for `workload` (fails on zero, negative or non-finite numbers). */
  public static forWorkload(workload: MimirWorkload): MimirSizing {
    return MimirSizing._compute({ node: { path: 'MimirSizing.forWorkload' } } as unknown as IConstruct, 'workload', workload);
  }

  /** @internal */
  public static _compute(scope: IConstruct, prop: string, w: MimirWorkload): MimirSizing {
    const positive = (what: string, v: unknown, hint: string) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        fail(scope, {
          problem: `'${prop}.${what}' must be a positive number`,
          received: show(v),
          expected: `a finite number > 0 (${hint})`,
          fix: `set '${prop}.${what}' to the expected ${hint} (greater than zero)`,
        });
      }
    };
    positive('activeSeries', w.activeSeries, 'active series your writers send');
    if (w.queriesPerSecond !== undefined) positive('queriesPerSecond', w.queriesPerSecond, 'queries per second');
    if (w.scrapeInterval !== undefined) positive('scrapeInterval', w.scrapeInterval.toSeconds({ integral: false }), 'scrape interval in seconds');
    return new MimirSizing(w);
  }

  /** The input. */
  public readonly workload: MimirWorkload;
  /** Samples/s written (active series / scrape interval). */
  public readonly samplesPerSecond: number;
  /** Queries/s assumed. */
  public readonly queriesPerSecond: number;
  /** Replication factor of the ingester ring. */
  public readonly replicationFactor: number;
  /** Distributors. */
  public readonly distributor: MimirTargetSize;
  /** Ingesters (with their PVC), a multiple of 3 so they split evenly over 3 zones. */
  public readonly ingester: MimirTargetSize;
  /** Store-gateways (with their PVC). */
  public readonly storeGateway: MimirTargetSize;
  /** Queriers. */
  public readonly querier: MimirTargetSize;
  /** Query-frontends. */
  public readonly queryFrontend: MimirTargetSize;
  /** Query-schedulers. */
  public readonly queryScheduler: MimirTargetSize;
  /** Compactors (with their PVC). */
  public readonly compactor: MimirTargetSize;
  /** Default per-tenant limits that let one tenant write the whole workload with headroom. */
  public readonly limits: MimirLimits;
  /** Recommended memcached results cache (query-frontends); not rendered. */
  public readonly resultsCache: MimirCacheSize;
  /** Recommended memcached chunks cache (queriers, store-gateways); not rendered. */
  public readonly chunksCache: MimirCacheSize;
  /** Recommended memcached index cache (store-gateways); not rendered. */
  public readonly indexCache: MimirCacheSize;
  /** Recommended memcached metadata cache (store-gateways, queriers, compactors); not rendered. */
  public readonly metadataCache: MimirCacheSize;

  private constructor(w: MimirWorkload) {
    const c = MIMIR_SIZING;
    const capped = w.capped ?? false;
    const series = w.activeSeries;
    const interval = w.scrapeInterval?.toSeconds({ integral: false }) ?? 15;
    this.workload = w;
    this.samplesPerSecond = Math.ceil(series / interval);
    this.queriesPerSecond = w.queriesPerSecond ?? (c.queriesPerMillionSeries * series) / 1_000_000;
    this.replicationFactor = c.replicationFactor;
    const load = series / c.referenceSeries;
    const writeLoad = this.samplesPerSecond / c.referenceSamplesPerSecond;
    const queryLoad = this.queriesPerSecond / c.queriesPerMillionSeries;

    const ingesters = Math.max(3, roundUpTo(Math.ceil((series * c.replicationFactor) / c.inMemorySeriesPerIngester), 3));
    this.ingester = {
      replicas: ingesters,
      resources: pod('ingester', load, capped),
      volume: Size.gibibytes(Math.max(10, Math.ceil(50 * Math.min(1, load)))),
    };
    this.distributor = { replicas: Math.max(2, Math.ceil(this.samplesPerSecond / c.samplesPerDistributor)), resources: pod('distributor', writeLoad, capped) };
    const storeGateways = Math.max(3, roundUpTo(Math.ceil(series / c.seriesPerStoreGateway), 3));
    this.storeGateway = {
      replicas: storeGateways,
      resources: pod('storeGateway', load, capped),
      // index-headers of every block, spread over the store-gateways (replicated 3 times)
      volume: Size.gibibytes(Math.max(10, Math.ceil((10 * load * 3) / storeGateways))),
    };
    this.querier = { replicas: Math.max(2, Math.ceil(this.queriesPerSecond / c.queriesPerQuerier)), resources: pod('querier', queryLoad, capped) };
    this.queryFrontend = { replicas: Math.max(2, Math.ceil(this.queriesPerSecond / c.queriesPerFrontend)), resources: pod('queryFrontend', queryLoad, capped) };
    this.queryScheduler = { replicas: 2, resources: pod('queryScheduler', queryLoad, capped) };
    const compactors = Math.max(1, Math.ceil(series / c.seriesPerCompactor));
    this.compactor = {
      replicas: compactors,
      resources: pod('compactor', load, capped),
      // source and output blocks of the largest compaction
      volume: Size.gibibytes(Math.max(20, Math.ceil((15 * load) / compactors))),
    };
    this.resultsCache = cache('results', load, queryLoad);
    this.chunksCache = cache('chunks', load, queryLoad);
    this.indexCache = cache('index', load, queryLoad);
    this.metadataCache = cache('metadata', load, queryLoad);
    const rate = Math.max(10_000, roundUpTo(this.samplesPerSecond * 1.5, 1000));
    this.limits = {
      maxGlobalSeriesPerUser: Math.max(150_000, roundUpTo(series * 1.5, 10_000)),
      ingestionRate: rate,
      ingestionBurstSize: Math.max(200_000, rate * 10),
    };
  }
}
