import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ENV_AZURE_ACCOUNT_KEY, ENV_S3_ACCESS_KEY_ID, ENV_S3_SECRET_ACCESS_KEY, GCS_KEY_DIR, ObjectStorageBinding } from './binding';
import { StorageCredentials, StorageCredentialsKind } from './credentials';
import { fail, show } from '../core/errors';

/**
 * A backend-neutral description of where a component keeps its blocks/chunks. Loki consumes it now;
 * Tempo, Mimir and Pyroscope map the same description to their own keys later. Each factory only
 * *describes* the store; the consumer calls `_bind(scope)` at construction time, which validates (with
 * the consumer's construct path in the message) and returns the neutral binding its renderer maps.
 *
 * The library never creates buckets in cloud stores (that is infrastructure-as-code territory) and never
 * inlines credentials.
 */

/** The object-store backends. */
export enum ObjectStorageBackend {
  /** Any S3-compatible endpoint (AWS S3, SeaweedFS, Ceph RGW, R2, ...). */
  S3 = 's3',
  /** Google Cloud Storage. */
  GCS = 'gcs',
  /** Azure Blob Storage. */
  AZURE = 'azure',
  /** A filesystem volume (a PVC): single-node only. */
  FILESYSTEM = 'filesystem',
}

/** Per-purpose bucket names. Backends use what they need (Loki: chunks, ruler; Mimir: all three). */
export interface ObjectStorageBuckets {
  /** Chunks/blocks/traces bucket. */
  readonly chunks: string;
  /**
   * Ruler rule storage (for components that store rules in the bucket).
   * @default - the chunks bucket
   */
  readonly ruler?: string;
  /**
   * Admin/alertmanager state bucket (Mimir).
   * @default - the chunks bucket
   */
  readonly admin?: string;
}

/** Options for an S3-compatible store. */
export interface S3StorageOptions {
  /**
   * Endpoint as `host[:port]` (a scheme is accepted and stripped; `http://` implies `insecure: true`).
   * @default - AWS S3 for `region`
   */
  readonly endpoint?: string;
  /**
   * Region.
   * @default - none (required by AWS S3, ignored by most S3-compatible servers)
   */
  readonly region?: string;
  /**
   * The bucket (used for every purpose unless `buckets` says otherwise). One of `bucket`/`buckets` is required.
   * @default - none
   */
  readonly bucket?: string;
  /**
   * Per-purpose buckets.
   * @default - `bucket` for every purpose
   */
  readonly buckets?: ObjectStorageBuckets;
  /** Credentials: a Secret reference or workload identity. */
  readonly credentials: StorageCredentials;
  /**
   * Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers.
   * @default false
   */
  readonly forcePathStyle?: boolean;
  /**
   * Plain HTTP instead of HTTPS (in-cluster servers only).
   * @default false
   */
  readonly insecure?: boolean;
}

/** Options for Google Cloud Storage. */
export interface GcsStorageOptions {
  /**
   * The bucket. One of `bucket`/`buckets` is required.
   * @default - none
   */
  readonly bucket?: string;
  /**
   * Per-purpose buckets.
   * @default - `bucket` for every purpose
   */
  readonly buckets?: ObjectStorageBuckets;
  /** Credentials: a Secret with a service-account key file, or GKE workload identity. */
  readonly credentials: StorageCredentials;
}

/** Options for Azure Blob Storage. */
export interface AzureStorageOptions {
  /** Storage account name. */
  readonly accountName: string;
  /**
   * The container. One of `bucket`/`buckets` is required.
   * @default - none
   */
  readonly bucket?: string;
  /**
   * Per-purpose containers.
   * @default - `bucket` for every purpose
   */
  readonly buckets?: ObjectStorageBuckets;
  /** Credentials: a Secret with the account key, or Azure workload identity (federated token). */
  readonly credentials: StorageCredentials;
  /**
   * Endpoint suffix for sovereign clouds.
   * @default - the public cloud (`blob.core.windows.net`)
   */
  readonly endpointSuffix?: string;
}

/** Options for a filesystem store: the PVC (the same fields as `StorageOptions`). */
export interface FilesystemStorageOptions {
  /**
   * Size of the PVC.
   * @default Size.gibibytes(10)
   */
  readonly size?: Size;
  /**
   * StorageClass of the PVC.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

// S3 bucket naming rules (also accepted by GCS and, lowercased, by Azure containers).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An object store for chunks/blocks (see the file comment). */
export class ObjectStorage {
  /** Any S3-compatible endpoint. */
  public static s3(options: S3StorageOptions): ObjectStorage {
    return new ObjectStorage(ObjectStorageBackend.S3, options);
  }

  /** Google Cloud Storage. */
  public static gcs(options: GcsStorageOptions): ObjectStorage {
    return new ObjectStorage(ObjectStorageBackend.GCS, options);
  }

  /** Azure Blob Storage. */
  public static azure(options: AzureStorageOptions): ObjectStorage {
    return new ObjectStorage(ObjectStorageBackend.AZURE, options);
  }

  /**
   * A filesystem volume (PVC). Single-node only: every replica would see a different disk, so
   * components fail at synth when it is used with more than one replica or in a distributed mode.
   */
  public static filesystem(options: FilesystemStorageOptions = {}): ObjectStorage {
    return new ObjectStorage(ObjectStorageBackend.FILESYSTEM, options);
  }

  private constructor(
    /** The backend. */
    public readonly backend: ObjectStorageBackend,
    private readonly options: any,
  ) {}

  /** True for the filesystem backend (single node only). */
  public get isFilesystem(): boolean {
    return this.backend === ObjectStorageBackend.FILESYSTEM;
  }

  /**
   * Validates the description for `scope` and returns the neutral binding.
   * @internal
   */
  public _bind(scope: IConstruct): ObjectStorageBinding {
    const o = this.options;
    const empty = { env: [], volumes: [], volumeMounts: [], serviceAccountAnnotations: {}, podLabels: {}, expandEnv: false };
    if (this.backend === ObjectStorageBackend.FILESYSTEM) {
      const size: Size = o.size ?? Size.gibibytes(10);
      const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });
      if (!(mib >= 1024)) {
        fail(scope, {
          problem: "filesystem storage 'size' is too small",
          received: `${mib}Mi`,
          expected: 'at least 1Gi',
          fix: 'pass ObjectStorage.filesystem({ size: Size.gibibytes(10) }) or larger',
        });
      }
      return { ...empty, backend: this.backend, filesystem: { sizeGi: Math.ceil(mib / 1024), storageClass: o.storageClassName } };
    }
    const buckets = this.resolveBuckets(scope);
    const creds: StorageCredentials = o.credentials;
    if (!creds) {
      fail(scope, {
        problem: `${this.backend} storage has no credentials`,
        received: 'undefined',
        expected: 'StorageCredentials.fromSecret(...) or StorageCredentials.workloadIdentity(...)',
        fix: "pass 'credentials'; credentials are never inlined in props",
      });
    }
    const bySecret = creds.kind === StorageCredentialsKind.SECRET;
    const secretRef = (key: string) => ({ secretKeyRef: { name: creds.secretName!, key } });
    const sa = { ...creds.serviceAccountAnnotations };
    switch (this.backend) {
      case ObjectStorageBackend.S3: {
        let endpoint: string | undefined = o.endpoint;
        let insecure: boolean = o.insecure ?? false;
        if (endpoint !== undefined) {
          const m = /^(https?):\/\/([^/]+)\/?$/.exec(endpoint);
          if (m) {
            endpoint = m[2];
            if (m[1] === 'http' && o.insecure === undefined) insecure = true;
          } else if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(endpoint)) {
            fail(scope, {
              problem: "S3 'endpoint' is not a host[:port] or http(s)://host[:port] URL",
              received: show(endpoint),
              expected: "e.g. 's3.eu-west-1.amazonaws.com' or 'http://seaweedfs.monitoring.svc:8333'",
              fix: 'remove any path from the endpoint; the bucket is a separate option',
            });
          }
        }
        return {
          ...empty,
          backend: this.backend,
          buckets,
          s3: {
            endpoint,
            region: o.region,
            forcePathStyle: o.forcePathStyle ?? false,
            insecure,
            ...(bySecret ? { accessKeyIdRef: `\${${ENV_S3_ACCESS_KEY_ID}}`, secretAccessKeyRef: `\${${ENV_S3_SECRET_ACCESS_KEY}}` } : {}),
          },
          env: bySecret
            ? [
              { name: ENV_S3_ACCESS_KEY_ID, valueFrom: secretRef(creds.secretKeys.accessKeyIdKey ?? 'accessKeyId') },
              { name: ENV_S3_SECRET_ACCESS_KEY, valueFrom: secretRef(creds.secretKeys.secretAccessKeyKey ?? 'secretAccessKey') },
            ]
            : [],
          serviceAccountAnnotations: sa,
          expandEnv: bySecret,
        };
      }
      case ObjectStorageBackend.GCS: {
        const keyFile = creds.secretKeys.serviceAccountJsonKey ?? 'key.json';
        return {
          ...empty,
          backend: this.backend,
          buckets,
          gcs: { serviceAccountFile: bySecret ? `${GCS_KEY_DIR}/${keyFile}` : undefined },
          // The Google client libraries read the key file named by this variable.
          env: bySecret ? [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${GCS_KEY_DIR}/${keyFile}` }] : [],
          volumes: bySecret ? [{ name: 'objstore-gcs', secret: { secretName: creds.secretName!, items: [{ key: keyFile, path: keyFile }] } }] : [],
          volumeMounts: bySecret ? [{ name: 'objstore-gcs', mountPath: GCS_KEY_DIR, readOnly: true }] : [],
          serviceAccountAnnotations: sa,
        };
      }
      case ObjectStorageBackend.AZURE: {
        if (!o.accountName) {
          fail(scope, {
            problem: "Azure storage needs 'accountName'",
            received: show(o.accountName),
            expected: 'the storage account name',
            fix: "pass ObjectStorage.azure({ accountName: 'mystorageaccount', ... })",
          });
        }
        return {
          ...empty,
          backend: this.backend,
          buckets,
          azure: {
            accountName: o.accountName,
            accountKeyRef: bySecret ? `\${${ENV_AZURE_ACCOUNT_KEY}}` : undefined,
            endpointSuffix: o.endpointSuffix,
            useFederatedToken: !bySecret && Object.keys(sa).length > 0,
          },
          env: bySecret ? [{ name: ENV_AZURE_ACCOUNT_KEY, valueFrom: secretRef(creds.secretKeys.accountKeyKey ?? 'accountKey') }] : [],
          serviceAccountAnnotations: sa,
          podLabels: !bySecret && Object.keys(sa).length > 0 ? { 'azure.workload.identity/use': 'true' } : {},
          expandEnv: bySecret,
        };
      }
    }
    throw new Error(`unknown backend ${this.backend}`);
  }

  private resolveBuckets(scope: IConstruct): { chunks: string; ruler: string; admin: string } {
    const o = this.options;
    const chunks: string | undefined = o.buckets?.chunks ?? o.bucket;
    if (!chunks) {
      fail(scope, {
        problem: `${this.backend} object storage has no bucket`,
        received: `bucket: ${show(o.bucket)}, buckets: ${show(o.buckets)}`,
        expected: 'a bucket name (the component crashes at start without one)',
        fix: `pass ObjectStorage.${this.backend}({ bucket: 'loki-chunks', ... }) or 'buckets: { chunks: ... }'`,
      });
    }
    const out = { chunks, ruler: o.buckets?.ruler ?? chunks, admin: o.buckets?.admin ?? chunks };
    for (const [purpose, name] of Object.entries(out)) {
      if (!BUCKET_NAME.test(name) || name.includes('..')) {
        fail(scope, {
          problem: `${purpose} bucket name is not valid`,
          received: show(name),
          expected: '3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending alphanumeric',
          fix: "rename the bucket, e.g. 'loki-chunks'",
        });
      }
    }
    return out;
  }
}
