/**
 * The typed model of `mimir.yaml` for **Mimir 3.1.1** (`Images.MIMIR`), and the one place where its
 * camelCase fields are mapped to upstream keys. Every key rendered here exists in the 3.0-era
 * configuration reference (`../shared/config-reference/mimir-keys.json`) and none of them is among the
 * keys 3.1.0 removed or renamed (the tests run `check-keys.mjs` on every rendered file and fail on its
 * 3.1.0 notes too). Internal: not part of the jsii API.
 *
 * Classic architecture only (`ingest_storage.enabled: false`): the Kafka-based ingest path of Mimir 3
 * needs a Kafka cluster the library would have to run and size.
 */
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorageBackend } from '../storage/object-storage';

/** The pinned Mimir version this model is written against. */
export const MIMIR_CONFIG_VERSION = '3.1.1';

/** Ports Mimir listens on. */
export const MIMIR_PORTS = { http: 8080, grpc: 9095, memberlist: 7946 } as const;

/** Where the data volume is mounted. */
export const MIMIR_DATA = '/data';

/** Default per-tenant limits (`limits`). */
export interface MimirLimitsModel {
  readonly maxGlobalSeriesPerUser: number;
  /** Samples/s per tenant. */
  readonly ingestionRate: number;
  readonly ingestionBurstSize: number;
  /** Go duration, `0s` keeps blocks forever. */
  readonly retention: string;
}

/** The whole file. */
export interface MimirConfigModel {
  readonly multitenancy: boolean;
  readonly logLevel: string;
  readonly storage: ObjectStorageBinding;
  /** memberlist `dns+host:port` to join. */
  readonly memberlistJoin: string;
  readonly memberlistClusterLabel: string;
  readonly replicationFactor: number;
  readonly zoneAware: boolean;
  readonly storeGatewayReplicationFactor: number;
  /** Query-scheduler `host:port` (distributed mode). */
  readonly schedulerAddress?: string;
  readonly limits: MimirLimitsModel;
  /** The ruler with rules from local files (`ruler_storage.backend: local`). @default - the ruler reads the rules bucket */
  readonly ruler?: MimirRulerModel;
  /** Mimir's own Alertmanager. @default - not run */
  readonly alertmanager?: MimirAlertmanagerModel;
}

/** The ruler: rules read from a local directory (one sub-directory per tenant). */
export interface MimirRulerModel {
  readonly rulesDirectory: string;
  /** Go duration: how often the ruler re-reads the rules. */
  readonly pollInterval: string;
  /** Go duration: default evaluation interval. */
  readonly evaluationInterval: string;
  /** The Alertmanager API base URL every tenant's alerts go to. */
  readonly alertmanagerUrl?: string;
}

/** Mimir's multi-tenant Alertmanager. */
export interface MimirAlertmanagerModel {
  readonly dataDir: string;
  /** The URL the Alertmanager is reached at (links in notifications). */
  readonly externalUrl: string;
  readonly fallbackConfigFile: string;
  readonly replicationFactor: number;
}

/** One bucket client (`blocks_storage`, `ruler_storage`, `alertmanager_storage`): the bucket of the common backend. */
export interface MimirBucketYaml {
  readonly s3?: { readonly bucket_name?: string };
  readonly gcs?: { readonly bucket_name?: string };
  readonly azure?: { readonly container_name?: string };
  readonly filesystem?: { readonly dir: string };
  readonly storage_prefix?: string;
}

/** `common.storage`. */
export interface MimirCommonStorageYaml {
  readonly backend: 's3' | 'gcs' | 'azure' | 'filesystem';
  readonly s3?: {
    readonly endpoint?: string;
    readonly region?: string;
    readonly access_key_id?: string;
    readonly secret_access_key?: string;
    readonly insecure?: boolean;
    readonly bucket_lookup_type?: 'path';
  };
  readonly azure?: { readonly account_name: string; readonly account_key?: string; readonly endpoint_suffix?: string };
}

/** The upstream shape of `mimir.yaml` (the keys this library renders, snake_case as in Mimir 3.1.1). */
export interface MimirYaml {
  readonly multitenancy_enabled: boolean;
  readonly usage_stats: { readonly enabled: boolean };
  readonly server: {
    readonly http_listen_port: number;
    readonly grpc_listen_port: number;
    readonly log_level: string;
    readonly graceful_shutdown_timeout: string;
  };
  readonly common: { readonly storage: MimirCommonStorageYaml };
  readonly blocks_storage: MimirBucketYaml & { readonly tsdb: { readonly dir: string }; readonly bucket_store: { readonly sync_dir: string } };
  readonly ruler_storage: MimirBucketYaml & { readonly backend?: 'local'; readonly local?: { readonly directory: string } };
  readonly alertmanager_storage: MimirBucketYaml;
  readonly ingest_storage: { readonly enabled: boolean };
  readonly memberlist: { readonly join_members: string[]; readonly bind_port: number; readonly cluster_label: string };
  readonly ingester: {
    readonly ring: {
      readonly replication_factor: number;
      readonly zone_awareness_enabled?: boolean;
      readonly tokens_file_path: string;
      readonly unregister_on_shutdown?: boolean;
    };
  };
  readonly store_gateway: { readonly sharding_ring: { readonly replication_factor: number } };
  readonly compactor: { readonly data_dir: string };
  readonly ruler: {
    readonly rule_path: string;
    readonly poll_interval?: string;
    readonly evaluation_interval?: string;
  };
  readonly alertmanager?: {
    readonly data_dir: string;
    readonly external_url: string;
    readonly fallback_config_file: string;
    readonly sharding_ring: { readonly replication_factor: number };
  };
  readonly activity_tracker: { readonly filepath: string };
  readonly frontend?: { readonly scheduler_address: string };
  readonly frontend_worker?: { readonly scheduler_address: string };
  readonly limits: MimirLimitsYaml;
}

/** `limits` of `mimir.yaml`. */
export interface MimirLimitsYaml {
  readonly max_global_series_per_user: number;
  readonly ingestion_rate: number;
  readonly ingestion_burst_size: number;
  readonly compactor_blocks_retention_period: string;
  /** Per-tenant Alertmanager client of the ruler (Mimir 3 moved `ruler.alertmanager_url` here). */
  readonly ruler_alertmanager_client_config?: { readonly alertmanager_url: string };
}

function bucketConfig(s: ObjectStorageBinding, bucket: string | undefined, dir: string): MimirBucketYaml {
  switch (s.backend) {
    case ObjectStorageBackend.S3:
      return { s3: { bucket_name: bucket } };
    case ObjectStorageBackend.GCS:
      return { gcs: { bucket_name: bucket } };
    case ObjectStorageBackend.AZURE:
      return { azure: { container_name: bucket } };
    default:
      return { filesystem: { dir } };
  }
}

/** `common.storage`: the backend, endpoint and credentials every bucket client shares. */
function commonStorage(s: ObjectStorageBinding): MimirCommonStorageYaml {
  switch (s.backend) {
    case ObjectStorageBackend.S3:
      return {
        backend: 's3',
        s3: {
          endpoint: s.s3!.endpoint ?? (s.s3!.region ? `s3.${s.s3!.region}.amazonaws.com` : undefined),
          region: s.s3!.region,
          access_key_id: s.s3!.accessKeyIdRef,
          secret_access_key: s.s3!.secretAccessKeyRef,
          insecure: s.s3!.insecure || undefined,
          bucket_lookup_type: s.s3!.forcePathStyle ? 'path' : undefined,
        },
      };
    case ObjectStorageBackend.GCS:
      return { backend: 'gcs' };
    case ObjectStorageBackend.AZURE:
      return {
        backend: 'azure',
        azure: {
          account_name: s.azure!.accountName,
          account_key: s.azure!.accountKeyRef,
          endpoint_suffix: s.azure!.endpointSuffix,
        },
      };
    default:
      return { backend: 'filesystem' };
  }
}

/** Maps the model to the upstream YAML structure (snake_case keys of Mimir 3.1.1). */
export function renderMimirConfig(m: MimirConfigModel): MimirYaml {
  const s = m.storage;
  // Purposes sharing a bucket get distinct prefixes (Mimir refuses to start when two storages overlap,
  // and the compactor would read `rules/` as a tenant).
  const b = s.buckets;
  const prefix = (mine: string | undefined, others: Array<string | undefined>, name: string) =>
    (b !== undefined && others.includes(mine) ? name : undefined);
  return {
    multitenancy_enabled: m.multitenancy,
    usage_stats: { enabled: false },
    server: {
      http_listen_port: MIMIR_PORTS.http,
      grpc_listen_port: MIMIR_PORTS.grpc,
      log_level: m.logLevel,
      graceful_shutdown_timeout: '30s',
    },
    common: { storage: commonStorage(s) },
    blocks_storage: {
      ...bucketConfig(s, s.buckets?.chunks, `${MIMIR_DATA}/blocks`),
      storage_prefix: prefix(b?.chunks, [b?.ruler, b?.admin], 'blocks'),
      tsdb: { dir: `${MIMIR_DATA}/tsdb` },
      bucket_store: { sync_dir: `${MIMIR_DATA}/tsdb-sync` },
    },
    // the ruler reads the rules rendered into ConfigMaps (GitOps) when it is configured, else the bucket
    ruler_storage: m.ruler
      ? { backend: 'local', local: { directory: m.ruler.rulesDirectory } }
      : { ...bucketConfig(s, b?.ruler, `${MIMIR_DATA}/rules`), storage_prefix: prefix(b?.ruler, [b?.chunks, b?.admin], 'rules') },
    // Alertmanager state (and tenant configs loaded with mimirtool); validated at start-up even when the
    // Alertmanager is not run: its own bucket or prefix
    alertmanager_storage: { ...bucketConfig(s, b?.admin, `${MIMIR_DATA}/alertmanager`), storage_prefix: prefix(b?.admin, [b?.chunks, b?.ruler], 'alertmanager') },
    ingest_storage: { enabled: false },
    memberlist: {
      join_members: [m.memberlistJoin],
      bind_port: MIMIR_PORTS.memberlist,
      cluster_label: m.memberlistClusterLabel,
    },
    ingester: {
      ring: {
        replication_factor: m.replicationFactor,
        zone_awareness_enabled: m.zoneAware || undefined,
        tokens_file_path: `${MIMIR_DATA}/tokens`,
        // zone-aware ingesters keep their ring entry over a restart (no resharding on each rollout)
        unregister_on_shutdown: m.zoneAware ? false : undefined,
      },
    },
    store_gateway: { sharding_ring: { replication_factor: m.storeGatewayReplicationFactor } },
    compactor: { data_dir: `${MIMIR_DATA}/compactor` },
    ruler: {
      rule_path: `${MIMIR_DATA}/ruler`,
      poll_interval: m.ruler?.pollInterval,
      evaluation_interval: m.ruler?.evaluationInterval,
    },
    ...(m.alertmanager
      ? {
        alertmanager: {
          data_dir: m.alertmanager.dataDir,
          external_url: m.alertmanager.externalUrl,
          fallback_config_file: m.alertmanager.fallbackConfigFile,
          sharding_ring: { replication_factor: m.alertmanager.replicationFactor },
        },
      }
      : {}),
    activity_tracker: { filepath: `${MIMIR_DATA}/metrics-activity.log` },
    ...(m.schedulerAddress
      ? { frontend: { scheduler_address: m.schedulerAddress }, frontend_worker: { scheduler_address: m.schedulerAddress } }
      : {}),
    limits: {
      max_global_series_per_user: m.limits.maxGlobalSeriesPerUser,
      ingestion_rate: m.limits.ingestionRate,
      ingestion_burst_size: m.limits.ingestionBurstSize,
      compactor_blocks_retention_period: m.limits.retention,
      ruler_alertmanager_client_config: m.ruler?.alertmanagerUrl ? { alertmanager_url: m.ruler.alertmanagerUrl } : undefined,
    },
  };
}
