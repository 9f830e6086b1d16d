// Deployment modes and sizing profiles of `Loki` (public API).

/** How Loki is deployed (SimpleScalable is deprecated upstream and not offered). */
export enum LokiMode {
  /** One StatefulSet running every target (`-target=all`): tens of GB/day; filesystem or object storage. */
  MONOLITHIC = 'monolithic',
  /**
   * Distributor, ingester, querier, query-frontend, query-scheduler, compactor and index-gateway as
   * separate workloads, a memberlist ring, replication. Object storage required.
   */
  DISTRIBUTED = 'distributed',
}

/** Sizing profile: replicas, replication factor, resources and cache sizes. */
export enum LokiProfile {
  /** Development and small clusters: one replica each, replication factor 1, small caches (64/128 MB). */
  SMALL = 'small',
  /** Production: replication factor 3, three ingesters, two of every stateless target, 256/512 MB caches. */
  PRODUCTION = 'production',
}

/** Replica counts for Distributed mode (each defaults to the profile's value). */
export interface LokiReplicas {
  /** @default 1 (SMALL) / 3 (PRODUCTION) */
  readonly distributor?: number;
  /** @default 1 (SMALL) / 3 (PRODUCTION) */
  readonly ingester?: number;
  /** @default 1 (SMALL) / 3 (PRODUCTION) */
  readonly querier?: number;
  /** @default 1 (SMALL) / 2 (PRODUCTION) */
  readonly queryFrontend?: number;
  /** @default 1 (SMALL) / 2 (PRODUCTION) */
  readonly queryScheduler?: number;
  /** @default 1 (SMALL) / 2 (PRODUCTION) */
  readonly indexGateway?: number;
}
