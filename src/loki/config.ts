/**
 * The typed model of `loki.yaml` for **Loki 3.7.6** (`Images.LOKI`), and the one place where its
 * camelCase fields are mapped to upstream keys. Every key rendered here exists in the 3.7.6
 * configuration reference (`../shared/config-reference/loki-keys.json`; the tests run `check-keys.mjs`
 * on every rendered file). Internal: not part of the jsii API.
 */
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorageBackend } from '../storage/object-storage';

/** The pinned Loki version this model is written against. */
export const LOKI_CONFIG_VERSION = '3.7.6';

/**
 * First day of the tsdb v13 schema period. FIXED: it must never derive from the clock, because a
 * moving `from` date re-interprets stored data on every synth. A later schema (v14, ...) is added as a
 * new period with its own fixed date, never by changing this one.
 */
export const LOKI_SCHEMA_START = '2024-04-01';
/** The index period of tsdb v13 (retention must be a multiple of it). */
export const LOKI_INDEX_PERIOD_HOURS = 24;

/** One schema period. */
export interface SchemaPeriodModel {
  readonly from: string;
  readonly store: 'tsdb';
  readonly objectStore: string;
  readonly schema: 'v13';
  readonly indexPrefix: string;
  readonly indexPeriodHours: number;
}

/** Per-tenant limits (`limits_config` and runtime `overrides`). */
export interface LimitsModel {
  readonly ingestionRateMb?: number;
  readonly ingestionBurstSizeMb?: number;
  readonly maxGlobalStreamsPerUser?: number;
  readonly perStreamRateLimit?: string;
  readonly perStreamRateLimitBurst?: string;
  readonly retentionPeriod?: string;
  readonly rejectOldSamples?: boolean;
  readonly rejectOldSamplesMaxAge?: string;
  readonly maxQuerySeries?: number;
  readonly maxQueryParallelism?: number;
  readonly queryTimeout?: string;
}

/** The whole file. */
export interface LokiConfigModel {
  readonly authEnabled: boolean;
  readonly server: {
    readonly httpListenPort: number;
    readonly grpcListenPort: number;
    readonly logLevel: string;
    readonly gracefulShutdownTimeout?: string;
  };
  readonly common: {
    readonly pathPrefix: string;
    readonly replicationFactor: number;
    readonly instanceAddr?: string;
    readonly ringStore: 'inmemory' | 'memberlist';
    readonly compactorAddress?: string;
  };
  readonly storage: ObjectStorageBinding;
  /** Directories under the data mount. */
  readonly dirs: {
    readonly chunks: string;
    readonly rules: string;
    readonly tsdbIndex: string;
    readonly tsdbCache: string;
    readonly wal: string;
    readonly compactor: string;
    readonly rulerWal: string;
    readonly rulerTemp: string;
  };
  readonly memberlist?: { readonly joinMembers: string[]; readonly clusterLabel: string };
  readonly schema: SchemaPeriodModel[];
  readonly indexGatewayAddress?: string;
  readonly ingester: { readonly flushOnShutdown: boolean; readonly chunkIdlePeriod: string };
  readonly compactor: { readonly retentionEnabled: boolean; readonly compactionInterval: string; readonly retentionDeleteDelay: string };
  readonly limits: LimitsModel;
  readonly frontend?: { readonly schedulerAddress: string; readonly tailProxyUrl: string };
  readonly frontendWorker?: { readonly schedulerAddress: string };
  readonly querier: { readonly maxConcurrent: number };
  readonly caches: { readonly resultsCacheMb: number; readonly chunkCacheMb: number };
  readonly ruler: { readonly localDirectory: string; readonly alertmanagerUrl?: string };
  readonly runtimeConfigFile?: string;
}

/** Maps per-tenant limits to upstream keys (shared by `limits_config` and runtime `overrides`). */
export function renderLimits(l: LimitsModel): Record<string, unknown> {
  return {
    ingestion_rate_mb: l.ingestionRateMb,
    ingestion_burst_size_mb: l.ingestionBurstSizeMb,
    max_global_streams_per_user: l.maxGlobalStreamsPerUser,
    per_stream_rate_limit: l.perStreamRateLimit,
    per_stream_rate_limit_burst: l.perStreamRateLimitBurst,
    retention_period: l.retentionPeriod,
    reject_old_samples: l.rejectOldSamples,
    reject_old_samples_max_age: l.rejectOldSamplesMaxAge,
    max_query_series: l.maxQuerySeries,
    max_query_parallelism: l.maxQueryParallelism,
    query_timeout: l.queryTimeout,
  };
}

/** The `object_store` / `delete_request_store` name of a backend. */
export function objectStoreName(b: ObjectStorageBackend): string {
  return b; // 's3' | 'gcs' | 'azure' | 'filesystem' are Loki's names too
}

/** Maps the neutral storage binding to a Loki storage block (`common.storage` / `ruler.storage`). */
function renderStorage(s: ObjectStorageBinding, bucket: 'chunks' | 'ruler', dirs: LokiConfigModel['dirs']): Record<string, unknown> {
  switch (s.backend) {
    case ObjectStorageBackend.FILESYSTEM:
      return { filesystem: { chunks_directory: dirs.chunks, rules_directory: dirs.rules } };
    case ObjectStorageBackend.S3:
      return {
        s3: {
          endpoint: s.s3!.endpoint,
          region: s.s3!.region,
          bucketnames: s.buckets![bucket],
          access_key_id: s.s3!.accessKeyIdRef,
          secret_access_key: s.s3!.secretAccessKeyRef,
          s3forcepathstyle: s.s3!.forcePathStyle,
          insecure: s.s3!.insecure,
        },
      };
    case ObjectStorageBackend.GCS:
      // Key-file credentials reach the client through GOOGLE_APPLICATION_CREDENTIALS (set on the pod).
      return { gcs: { bucket_name: s.buckets![bucket] } };
    case ObjectStorageBackend.AZURE:
      return {
        azure: {
          account_name: s.azure!.accountName,
          account_key: s.azure!.accountKeyRef,
          container_name: s.buckets![bucket],
          endpoint_suffix: s.azure!.endpointSuffix,
          use_federated_token: s.azure!.useFederatedToken || undefined,
        },
      };
  }
  throw new Error(`unknown backend ${s.backend}`);
}

/** Renders the model to the upstream `loki.yaml` structure (before the untyped override is merged). */
export function renderLokiConfig(m: LokiConfigModel): Record<string, unknown> {
  const store = objectStoreName(m.storage.backend);
  return {
    auth_enabled: m.authEnabled,
    server: {
      http_listen_port: m.server.httpListenPort,
      grpc_listen_port: m.server.grpcListenPort,
      log_level: m.server.logLevel,
      graceful_shutdown_timeout: m.server.gracefulShutdownTimeout,
    },
    common: {
      path_prefix: m.common.pathPrefix,
      replication_factor: m.common.replicationFactor,
      instance_addr: m.common.instanceAddr,
      ring: { kvstore: { store: m.common.ringStore } },
      compactor_address: m.common.compactorAddress,
      storage: renderStorage(m.storage, 'chunks', m.dirs),
    },
    memberlist: m.memberlist
      ? { join_members: m.memberlist.joinMembers, cluster_label: m.memberlist.clusterLabel, abort_if_cluster_join_fails: false, rejoin_interval: '1m' }
      : undefined,
    schema_config: {
      configs: m.schema.map((p) => ({
        from: p.from,
        store: p.store,
        object_store: p.objectStore,
        schema: p.schema,
        index: { prefix: p.indexPrefix, period: `${p.indexPeriodHours}h` },
      })),
    },
    storage_config: {
      tsdb_shipper: {
        active_index_directory: m.dirs.tsdbIndex,
        cache_location: m.dirs.tsdbCache,
        index_gateway_client: m.indexGatewayAddress ? { server_address: m.indexGatewayAddress } : undefined,
      },
    },
    ingester: {
      chunk_idle_period: m.ingester.chunkIdlePeriod,
      wal: { enabled: true, dir: m.dirs.wal, flush_on_shutdown: m.ingester.flushOnShutdown },
    },
    compactor: {
      working_directory: m.dirs.compactor,
      compaction_interval: m.compactor.compactionInterval,
      retention_enabled: m.compactor.retentionEnabled,
      retention_delete_delay: m.compactor.retentionDeleteDelay,
      delete_request_store: store,
    },
    limits_config: renderLimits(m.limits),
    frontend: m.frontend ? { scheduler_address: m.frontend.schedulerAddress, tail_proxy_url: m.frontend.tailProxyUrl } : undefined,
    frontend_worker: m.frontendWorker ? { scheduler_address: m.frontendWorker.schedulerAddress } : undefined,
    querier: { max_concurrent: m.querier.maxConcurrent },
    query_range: {
      cache_results: true,
      results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: m.caches.resultsCacheMb } } },
    },
    chunk_store_config: {
      chunk_cache_config: { embedded_cache: { enabled: true, max_size_mb: m.caches.chunkCacheMb } },
    },
    ruler: {
      // Rules come from a ConfigMap rendered by the construct (GitOps), so the ruler reads local files.
      storage: { type: 'local', local: { directory: m.ruler.localDirectory } },
      rule_path: m.dirs.rulerTemp,
      wal: { dir: m.dirs.rulerWal },
      alertmanager_url: m.ruler.alertmanagerUrl,
      enable_api: true,
    },
    runtime_config: m.runtimeConfigFile ? { file: m.runtimeConfigFile } : undefined,
    analytics: { reporting_enabled: false },
  };
}

/** Deep merge: `override` wins; objects merge recursively, arrays and scalars are replaced. */
export function deepMerge(base: any, override: any): any {
  if (override === undefined) return base;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return override;
  if (override === null || typeof override !== 'object' || Array.isArray(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}
