// Public API of the storage module: one object-storage abstraction (S3-compatible, GCS, Azure, filesystem)
// consumed by Loki now and by Tempo, Mimir and Pyroscope later, plus an in-cluster S3 server (SeaweedFS).
// (The neutral binding consumers map to their keys lives in ./binding and is internal.)
export * from './credentials';
export * from './object-storage';
export * from './seaweedfs';
