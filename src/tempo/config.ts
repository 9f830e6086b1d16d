/**
 * The typed model of `tempo.yaml` for **Tempo 2.10.8** (`Images.TEMPO`), and the one place where its
 * camelCase fields are mapped to upstream keys. Every key rendered here exists in the 2.10.8
 * configuration reference (`../shared/config-reference/tempo-keys.json`; the tests run `check-keys.mjs`
 * on every rendered file). Internal: not part of the jsii API.
 *
 * Why 2.10 and not 3.0: Tempo 3.0's distributed mode writes through Kafka (a new stateful system the
 * library would have to run and size), and 3.0 removes the ingester and compactor this model configures.
 * 2.10's classic architecture scales without Kafka: several `scalable-single-binary` replicas that share
 * object storage and a memberlist ring (the upstream "scalable monolithic" mode).
 */
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorageBackend } from '../storage/object-storage';

/** The pinned Tempo version this model is written against. */
export const TEMPO_CONFIG_VERSION = '2.10.8';

/** Ports Tempo listens on. */
export const TEMPO_PORTS = { http: 3200, grpc: 9095, otlpGrpc: 4317, otlpHttp: 4318, memberlist: 7946 } as const;

/** Where the data volume is mounted. */
export const TEMPO_DATA = '/var/tempo';

/** One remote-write destination of the metrics-generator. */
export interface TempoRemoteWriteModel {
  readonly url: string;
  readonly sendExemplars: boolean;
  readonly headers?: Record<string, string>;
}

/** The metrics-generator, rendered only when it is on. */
export interface TempoMetricsGeneratorModel {
  /** Processors for every tenant (`overrides.defaults.metrics_generator.processors`). */
  readonly processors: string[];
  readonly remoteWrite: TempoRemoteWriteModel[];
  readonly externalLabels: Record<string, string>;
  /** Span-metrics / service-graph dimensions (span or resource attribute names). */
  readonly dimensions: string[];
}

/** The whole file. */
export interface TempoConfigModel {
  /** `all` (monolithic) or `scalable-single-binary`. */
  readonly target: string;
  readonly multitenancy: boolean;
  readonly logLevel: string;
  /** Block retention as a Go duration (`336h`). */
  readonly blockRetention: string;
  readonly storage: ObjectStorageBinding;
  /** memberlist `host:port` to join (scalable mode). */
  readonly memberlistJoin?: string;
  readonly memberlistClusterLabel?: string;
  readonly replicationFactor: number;
  readonly metricsGenerator?: TempoMetricsGeneratorModel;
  /** Per-trace size limit in bytes. */
  readonly maxBytesPerTrace?: number;
  /** Per-tenant ingestion limits (`overrides.defaults.ingestion`), from the sizing. */
  readonly ingestion?: TempoIngestionModel;
}

/** `overrides.defaults.ingestion` (Tempo 2.10.8). */
export interface TempoIngestionModel {
  readonly rateStrategy: string;
  readonly rateLimitBytes: number;
  readonly burstSizeBytes: number;
  readonly maxTracesPerUser: number;
}

/*
 * The upstream shape of `tempo.yaml` (Tempo 2.10.8), as far as the library renders it. Field names are
 * the upstream keys (snake_case) of `../shared/config-reference/tempo-keys.json` (grafana/tempo v2.10.8,
 * docs/sources/tempo/configuration/manifest.md), so a misspelt key is a compile error here and the
 * check-keys test catches a key the pinned version lacks. Optional fields left `undefined` are not
 * written.
 */

/** `*.ring` (and `ingester.lifecycler.ring`). */
export interface TempoRingYaml {
  readonly kvstore: { readonly store: string };
  readonly replication_factor?: number;
}

/** `storage.trace.s3`. */
export interface TempoS3Yaml {
  readonly bucket: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly access_key?: string;
  readonly secret_key?: string;
  readonly forcepathstyle?: boolean;
  readonly insecure?: boolean;
}

/** `storage.trace.azure`. */
export interface TempoAzureYaml {
  readonly container_name: string;
  readonly storage_account_name: string;
  readonly storage_account_key?: string;
  readonly endpoint_suffix?: string;
  readonly use_federated_token?: boolean;
}

/** `storage.trace`. */
export interface TempoTraceStorageYaml {
  readonly backend: string;
  readonly wal: { readonly path: string };
  readonly local?: { readonly path: string };
  readonly s3?: TempoS3Yaml;
  readonly gcs?: { readonly bucket_name: string };
  readonly azure?: TempoAzureYaml;
}

/** One `metrics_generator.storage.remote_write[]` entry (a Prometheus remote-write config). */
export interface TempoRemoteWriteYaml {
  readonly url: string;
  readonly send_exemplars: boolean;
  readonly headers?: Record<string, string>;
}

/** `metrics_generator`. */
export interface TempoMetricsGeneratorYaml {
  readonly ring: TempoRingYaml;
  readonly registry: { readonly external_labels: Record<string, string> };
  readonly processor: {
    readonly service_graphs: { readonly dimensions?: string[] };
    readonly span_metrics: { readonly dimensions?: string[] };
  };
  readonly storage: { readonly path: string; readonly remote_write: TempoRemoteWriteYaml[] };
  readonly traces_storage: { readonly path: string };
}

/** An OTLP receiver protocol (`distributor.receivers.otlp.protocols.*`). */
export interface TempoReceiverProtocolYaml {
  readonly endpoint: string;
}

/** The whole `tempo.yaml`. */
export interface TempoYaml {
  readonly target: string;
  readonly multitenancy_enabled: boolean;
  readonly stream_over_http_enabled: boolean;
  readonly usage_report: { readonly reporting_enabled: boolean };
  readonly server: {
    readonly http_listen_port: number;
    readonly grpc_listen_port: number;
    readonly log_level: string;
    readonly graceful_shutdown_timeout: string;
  };
  readonly distributor: {
    readonly receivers: {
      readonly otlp: { readonly protocols: { readonly grpc: TempoReceiverProtocolYaml; readonly http: TempoReceiverProtocolYaml } };
    };
    readonly ring: TempoRingYaml;
  };
  readonly ingester: { readonly lifecycler: { readonly ring: TempoRingYaml }; readonly flush_all_on_shutdown: boolean };
  readonly memberlist?: { readonly join_members: string[]; readonly bind_port: number; readonly cluster_label?: string };
  readonly compactor: { readonly ring: TempoRingYaml; readonly compaction: { readonly block_retention: string } };
  readonly metrics_generator?: TempoMetricsGeneratorYaml;
  readonly storage: { readonly trace: TempoTraceStorageYaml };
  readonly overrides: {
    readonly defaults: {
      readonly ingestion?: {
        readonly rate_strategy: string;
        readonly rate_limit_bytes: number;
        readonly burst_size_bytes: number;
        readonly max_traces_per_user: number;
      };
      readonly global?: { readonly max_bytes_per_trace: number };
      readonly metrics_generator?: { readonly processors: string[] };
    };
  };
}

function storageBlock(s: ObjectStorageBinding): TempoTraceStorageYaml {
  const backend = s.backend === ObjectStorageBackend.FILESYSTEM ? 'local' : s.backend;
  const common: TempoTraceStorageYaml = { backend, wal: { path: `${TEMPO_DATA}/wal` } };
  switch (s.backend) {
    case ObjectStorageBackend.FILESYSTEM:
      return { ...common, local: { path: `${TEMPO_DATA}/blocks` } };
    case ObjectStorageBackend.S3:
      return {
        ...common,
        s3: {
          bucket: s.buckets!.chunks,
          endpoint: s.s3!.endpoint ?? (s.s3!.region ? `s3.${s.s3!.region}.amazonaws.com` : undefined),
          region: s.s3!.region,
          access_key: s.s3!.accessKeyIdRef,
          secret_key: s.s3!.secretAccessKeyRef,
          forcepathstyle: s.s3!.forcePathStyle || undefined,
          insecure: s.s3!.insecure || undefined,
        },
      };
    case ObjectStorageBackend.GCS:
      return { ...common, gcs: { bucket_name: s.buckets!.chunks } };
    case ObjectStorageBackend.AZURE:
      return {
        ...common,
        azure: {
          container_name: s.buckets!.chunks,
          storage_account_name: s.azure!.accountName,
          storage_account_key: s.azure!.accountKeyRef,
          endpoint_suffix: s.azure!.endpointSuffix,
          use_federated_token: s.azure!.useFederatedToken || undefined,
        },
      };
  }
  return common;
}

/** Maps the model to the upstream YAML structure (snake_case keys of Tempo 2.10.8). */
export function renderTempoConfig(m: TempoConfigModel): TempoYaml {
  const mg = m.metricsGenerator;
  const ring: TempoRingYaml = m.memberlistJoin ? { kvstore: { store: 'memberlist' } } : { kvstore: { store: 'inmemory' } };
  return {
    target: m.target,
    multitenancy_enabled: m.multitenancy,
    stream_over_http_enabled: true,
    usage_report: { reporting_enabled: false },
    server: {
      http_listen_port: TEMPO_PORTS.http,
      grpc_listen_port: TEMPO_PORTS.grpc,
      log_level: m.logLevel,
      graceful_shutdown_timeout: '30s',
    },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `0.0.0.0:${TEMPO_PORTS.otlpGrpc}` },
            http: { endpoint: `0.0.0.0:${TEMPO_PORTS.otlpHttp}` },
          },
        },
      },
      ring,
    },
    ingester: {
      lifecycler: { ring: { ...ring, replication_factor: m.replicationFactor } },
      // flush the WAL's complete blocks on shutdown so a rolling restart loses nothing
      flush_all_on_shutdown: true,
    },
    memberlist: m.memberlistJoin
      ? { join_members: [m.memberlistJoin], bind_port: TEMPO_PORTS.memberlist, cluster_label: m.memberlistClusterLabel }
      : undefined,
    compactor: {
      ring,
      compaction: { block_retention: m.blockRetention },
    },
    metrics_generator: mg
      ? {
        ring,
        registry: { external_labels: mg.externalLabels },
        processor: {
          service_graphs: { dimensions: mg.dimensions.length > 0 ? mg.dimensions : undefined },
          span_metrics: { dimensions: mg.dimensions.length > 0 ? mg.dimensions : undefined },
        },
        storage: {
          path: `${TEMPO_DATA}/generator/wal`,
          remote_write: mg.remoteWrite.map((r) => ({ url: r.url, send_exemplars: r.sendExemplars, headers: r.headers })),
        },
        traces_storage: { path: `${TEMPO_DATA}/generator/traces` },
      }
      : undefined,
    storage: { trace: storageBlock(m.storage) },
    overrides: {
      defaults: {
        ingestion: m.ingestion
          ? {
            rate_strategy: m.ingestion.rateStrategy,
            rate_limit_bytes: m.ingestion.rateLimitBytes,
            burst_size_bytes: m.ingestion.burstSizeBytes,
            max_traces_per_user: m.ingestion.maxTracesPerUser,
          }
          : undefined,
        global: m.maxBytesPerTrace !== undefined ? { max_bytes_per_trace: m.maxBytesPerTrace } : undefined,
        metrics_generator: mg ? { processors: mg.processors } : undefined,
      },
    },
  };
}
