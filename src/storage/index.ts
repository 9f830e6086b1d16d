// Public API of the storage module: one object-storage abstraction (S3-compatible, GCS, Azure, filesystem)
// consumed by Loki now and by Tempo, Mimir and Pyroscope later, plus an in-cluster S3 server (SeaweedFS).
export { StorageCredentials, StorageCredentialsKind, SecretCredentialsOptions, WorkloadIdentityOptions } from './credentials';
export {
  ObjectStorage,
  ObjectStorageBackend,
  ObjectStorageBuckets,
  S3StorageOptions,
  GcsStorageOptions,
  AzureStorageOptions,
  FilesystemStorageOptions,
} from './object-storage';
export { SeaweedFs, SeaweedFsProps, SeaweedFsBucketOptions } from './seaweedfs';
