/** Internal: the neutral binding of an `ObjectStorage` (not part of the jsii API). */
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ObjectStorageBackend } from './object-storage';

/** Environment variable names the credentials are injected as (referenced from configs as `${NAME}`). */
export const ENV_S3_ACCESS_KEY_ID = 'OBJSTORE_S3_ACCESS_KEY_ID';
export const ENV_S3_SECRET_ACCESS_KEY = 'OBJSTORE_S3_SECRET_ACCESS_KEY';
export const ENV_AZURE_ACCOUNT_KEY = 'OBJSTORE_AZURE_ACCOUNT_KEY';
/** Where a GCS key file from a Secret is mounted. */
export const GCS_KEY_DIR = '/var/run/secrets/objstore-gcs';

/**
 * The neutral binding consumers map to their config keys (internal, not part of the jsii API).
 * Credentials appear only as env-var references (`${NAME}`) or file paths.
 */
export interface ObjectStorageBinding {
  readonly backend: ObjectStorageBackend;
  /** Resolved per-purpose buckets (undefined for filesystem). */
  readonly buckets?: { chunks: string; ruler: string; admin: string };
  readonly s3?: {
    endpoint?: string;
    region?: string;
    forcePathStyle: boolean;
    insecure: boolean;
    accessKeyIdRef?: string;
    secretAccessKeyRef?: string;
  };
  readonly gcs?: { serviceAccountFile?: string };
  readonly azure?: { accountName: string; accountKeyRef?: string; endpointSuffix?: string; useFederatedToken: boolean };
  readonly filesystem?: { sizeGi: number; storageClass?: string };
  /** Env vars the pod needs (secretKeyRef only). */
  readonly env: k8s.EnvVar[];
  /** Volumes and mounts the pod needs (Secret key files). */
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  /** Annotations for the workload's ServiceAccount (workload identity). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Labels for the pod template (Azure workload identity). */
  readonly podLabels: Record<string, string>;
  /** Whether configs must be rendered with env expansion (`-config.expand-env=true`). */
  readonly expandEnv: boolean;
}

