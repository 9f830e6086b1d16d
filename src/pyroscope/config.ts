/**
 * The upstream shape of Pyroscope's `config.yaml` for **Pyroscope 1.18.0** (`Images.PYROSCOPE`), as far as
 * the library renders it, and the one place where the neutral storage binding is mapped to its keys.
 * Field names are the upstream keys (snake_case) of the pinned version's reference
 * (grafana/pyroscope v1.18.0, docs/sources/configure-server/reference-configuration-parameters/index.md,
 * published at grafana.com/docs/pyroscope/v1.18.x/configure-server/reference-configuration-parameters/),
 * so a misspelt key is a compile error. Optional fields left `undefined` are not written. Internal: not
 * part of the jsii API.
 */
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorageBackend } from '../storage/object-storage';

/** The pinned Pyroscope version this shape is written against. */
export const PYROSCOPE_CONFIG_VERSION = '1.18.0';

/** `storage.s3`. */
export interface PyroscopeS3Yaml {
  readonly bucket_name: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly access_key_id?: string;
  readonly secret_access_key?: string;
  readonly insecure?: boolean;
  readonly force_path_style?: boolean;
}

/** `storage.azure`. */
export interface PyroscopeAzureYaml {
  readonly container_name: string;
  readonly account_name: string;
  readonly account_key?: string;
  readonly endpoint_suffix?: string;
}

/** `storage` (the object store client). */
export interface PyroscopeStorageYaml {
  readonly backend: string;
  readonly filesystem?: { readonly dir: string };
  readonly s3?: PyroscopeS3Yaml;
  readonly gcs?: { readonly bucket_name: string };
  readonly azure?: PyroscopeAzureYaml;
}

/** A hash ring's key-value store (`*.ring.kvstore`, `*.sharding_ring.kvstore`). */
export interface PyroscopeKvYaml {
  readonly store: string;
}

/** The whole `config.yaml`. */
export interface PyroscopeYaml {
  readonly target: string;
  readonly server: { readonly http_listen_port: number };
  /** Replicated only: the ingester ring on memberlist with its replication factor. */
  readonly ingester?: { readonly lifecycler: { readonly ring: { readonly kvstore: PyroscopeKvYaml; readonly replication_factor: number } } };
  /** Replicated only: every store-gateway block on `replication_factor` gateways. */
  readonly store_gateway?: { readonly sharding_ring: { readonly kvstore: PyroscopeKvYaml; readonly replication_factor: number } };
  /** Replicated only: the gossip ring of the replicas. */
  readonly memberlist?: { readonly join_members: string[]; readonly bind_port: number; readonly cluster_label: string };
  readonly pyroscopedb: { readonly data_path: string };
  readonly storage: PyroscopeStorageYaml;
  readonly self_profiling: { readonly disable_push: boolean };
  readonly analytics: { readonly reporting_enabled: boolean };
}

/** What the file is rendered from. */
export interface PyroscopeConfigModel {
  readonly httpPort: number;
  /** The data mount (local blocks; the filesystem bucket lives under it). */
  readonly dataDir: string;
  readonly storage: ObjectStorageBinding;
  /** Replicated (`target: all` on every pod, one ring): the memberlist peers and the replication factor. */
  readonly cluster?: PyroscopeClusterModel;
}

/** The ring of a replicated Pyroscope. */
export interface PyroscopeClusterModel {
  /** `dns+<headless service>:7946`. */
  readonly joinMembers: string;
  readonly bindPort: number;
  readonly clusterLabel: string;
  readonly replicationFactor: number;
}

function storageBlock(b: ObjectStorageBinding, dataDir: string): PyroscopeStorageYaml {
  switch (b.backend) {
    case ObjectStorageBackend.FILESYSTEM:
      return { backend: b.backend, filesystem: { dir: `${dataDir}/shared` } };
    case ObjectStorageBackend.S3:
      return {
        backend: b.backend,
        s3: {
          bucket_name: b.buckets!.chunks,
          endpoint: b.s3!.endpoint ?? (b.s3!.region ? `s3.${b.s3!.region}.amazonaws.com` : undefined),
          region: b.s3!.region,
          access_key_id: b.s3!.accessKeyIdRef,
          secret_access_key: b.s3!.secretAccessKeyRef,
          insecure: b.s3!.insecure || undefined,
          force_path_style: b.s3!.forcePathStyle || undefined,
        },
      };
    case ObjectStorageBackend.GCS:
      return { backend: b.backend, gcs: { bucket_name: b.buckets!.chunks } };
    case ObjectStorageBackend.AZURE:
      return {
        backend: b.backend,
        azure: {
          container_name: b.buckets!.chunks,
          account_name: b.azure!.accountName,
          account_key: b.azure!.accountKeyRef,
          endpoint_suffix: b.azure!.endpointSuffix,
        },
      };
  }
  return { backend: b.backend };
}

/** Maps the model to the upstream `config.yaml` structure (single binary, `target: all`). */
export function renderPyroscopeConfig(m: PyroscopeConfigModel): PyroscopeYaml {
  const c = m.cluster;
  // the ingester ring's documented default store is consul: a replicated Pyroscope names memberlist
  const memberlist: PyroscopeKvYaml = { store: 'memberlist' };
  return {
    target: 'all',
    server: { http_listen_port: m.httpPort },
    ingester: c ? { lifecycler: { ring: { kvstore: memberlist, replication_factor: c.replicationFactor } } } : undefined,
    store_gateway: c ? { sharding_ring: { kvstore: memberlist, replication_factor: c.replicationFactor } } : undefined,
    memberlist: c ? { join_members: [c.joinMembers], bind_port: c.bindPort, cluster_label: c.clusterLabel } : undefined,
    pyroscopedb: { data_path: m.dataDir },
    storage: storageBlock(m.storage, m.dataDir),
    self_profiling: { disable_push: true },
    analytics: { reporting_enabled: false },
  };
}
