/**
 * How a workload authenticates to its object store. Never inline: either a reference to a Secret the
 * user manages (keys are injected as environment variables with `secretKeyRef` and referenced from the
 * config file as `${VAR}`, expanded by the backend's `-config.expand-env=true`), or workload identity
 * (annotations on the ServiceAccount: EKS IRSA, GKE Workload Identity, Azure Workload Identity).
 */

/** Which keys of the Secret hold which credential. */
export interface SecretCredentialsOptions {
  /**
   * S3: key holding the access key id.
   * @default 'accessKeyId'
   */
  readonly accessKeyIdKey?: string;
  /**
   * S3: key holding the secret access key.
   * @default 'secretAccessKey'
   */
  readonly secretAccessKeyKey?: string;
  /**
   * Azure Blob: key holding the storage account key.
   * @default 'accountKey'
   */
  readonly accountKeyKey?: string;
  /**
   * GCS: key holding the service-account JSON key file.
   * @default 'key.json'
   */
  readonly serviceAccountJsonKey?: string;
}

/** Options for workload-identity credentials. */
export interface WorkloadIdentityOptions {
  /**
   * Annotations for the workload's ServiceAccount, e.g.
   * `{ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/loki' }` (EKS IRSA),
   * `{ 'iam.gke.io/gcp-service-account': 'loki@project.iam.gserviceaccount.com' }` (GKE),
   * `{ 'azure.workload.identity/client-id': '<client id>' }` (Azure; the pod label
   * `azure.workload.identity/use: "true"` is added automatically for Azure storage).
   */
  readonly serviceAccountAnnotations: { [key: string]: string };
}

/** Kinds of credential source. */
export enum StorageCredentialsKind {
  /** Keys from a Kubernetes Secret (environment variables / mounted key file). */
  SECRET = 'secret',
  /** Workload identity through ServiceAccount annotations. */
  WORKLOAD_IDENTITY = 'workload-identity',
}

/** Credentials for an object store (see the module comment). */
export class StorageCredentials {
  /**
   * Keys from an existing Secret in the workload's namespace. The Secret is never created by the library
   * (no default keys). Missing keys make the pod fail to start (`CreateContainerConfigError`), which is
   * loud, not silent.
   */
  public static fromSecret(secretName: string, options: SecretCredentialsOptions = {}): StorageCredentials {
    return new StorageCredentials(StorageCredentialsKind.SECRET, secretName, options, {});
  }

  /** Workload identity: no keys anywhere, the cloud provider trusts the ServiceAccount. */
  public static workloadIdentity(options: WorkloadIdentityOptions): StorageCredentials {
    return new StorageCredentials(StorageCredentialsKind.WORKLOAD_IDENTITY, undefined, {}, { ...options.serviceAccountAnnotations });
  }

  /** Ambient credentials (node instance profile, or a server that needs none). Prefer the other two. */
  public static ambient(): StorageCredentials {
    return new StorageCredentials(StorageCredentialsKind.WORKLOAD_IDENTITY, undefined, {}, {});
  }

  /** The kind of credential source. */
  public readonly kind: StorageCredentialsKind;
  /** The Secret name (for `SECRET`). */
  public readonly secretName?: string;
  /** Keys of the Secret. */
  public readonly secretKeys: SecretCredentialsOptions;
  /** ServiceAccount annotations (for `WORKLOAD_IDENTITY`). */
  public readonly serviceAccountAnnotations: { [key: string]: string };

  private constructor(kind: StorageCredentialsKind, secretName: string | undefined, secretKeys: SecretCredentialsOptions,
    annotations: { [key: string]: string }) {
    this.kind = kind;
    this.secretName = secretName;
    this.secretKeys = secretKeys;
    this.serviceAccountAnnotations = annotations;
  }
}
