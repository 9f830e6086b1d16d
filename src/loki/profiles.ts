/** Sizing of each `LokiProfile`: replicas, replication factor, resources, caches. Internal. */
import { Size } from 'cdk8s';
import { LimitsModel } from './config';
import { LokiProfile, LokiReplicas } from './modes';
import { LokiSizing } from './sizing';
import { ResourcePreset } from '../core/resources';

export interface ProfileSpec {
  readonly rf: number;
  readonly replicas: Required<LokiReplicas>;
  readonly resultsCacheMb: number;
  readonly chunkCacheMb: number;
  readonly volumeGi: number;
  readonly limits: LimitsModel;
  readonly monolithic: ResourcePreset;
  readonly res: Record<string, ResourcePreset>;
  readonly maxConcurrent: number;
}

export const PROFILES: Record<LokiProfile, ProfileSpec> = {
  [LokiProfile.SMALL]: {
    rf: 1,
    replicas: { distributor: 1, ingester: 1, querier: 1, queryFrontend: 1, queryScheduler: 1, indexGateway: 1 },
    resultsCacheMb: 64,
    chunkCacheMb: 128,
    volumeGi: 10,
    limits: { ingestionRateMb: 4, ingestionBurstSizeMb: 6, maxGlobalStreamsPerUser: 5000 },
    monolithic: ResourcePreset.custom({ cpuMillis: 500, memory: Size.gibibytes(1) }),
    res: {
      'distributor': ResourcePreset.SMALL,
      'ingester': ResourcePreset.MEDIUM,
      'querier': ResourcePreset.MEDIUM,
      'query-frontend': ResourcePreset.SMALL,
      'query-scheduler': ResourcePreset.MICRO,
      'index-gateway': ResourcePreset.SMALL,
      'compactor': ResourcePreset.SMALL,
    },
    maxConcurrent: 4,
  },
  [LokiProfile.PRODUCTION]: {
    rf: 3,
    replicas: { distributor: 3, ingester: 3, querier: 3, queryFrontend: 2, queryScheduler: 2, indexGateway: 2 },
    resultsCacheMb: 256,
    chunkCacheMb: 512,
    volumeGi: 50,
    limits: { ingestionRateMb: 10, ingestionBurstSizeMb: 20, maxGlobalStreamsPerUser: 10000 },
    monolithic: ResourcePreset.LARGE,
    res: {
      'distributor': ResourcePreset.MEDIUM,
      'ingester': ResourcePreset.LARGE,
      'querier': ResourcePreset.custom({ cpuMillis: 1000, memory: Size.gibibytes(2) }),
      'query-frontend': ResourcePreset.MEDIUM,
      'query-scheduler': ResourcePreset.SMALL,
      'index-gateway': ResourcePreset.MEDIUM,
      'compactor': ResourcePreset.MEDIUM,
    },
    maxConcurrent: 8,
  },
};

/** The spec of a `LokiSizing`: its replicas, resources, caches and ingestion limits, the rest from PRODUCTION. */
export function sizedSpec(z: LokiSizing): ProfileSpec {
  const base = PROFILES[LokiProfile.PRODUCTION];
  return {
    ...base,
    rf: z.replicationFactor,
    resultsCacheMb: z.resultsCacheMb,
    chunkCacheMb: z.chunkCacheMb,
    replicas: {
      distributor: z.distributor.replicas,
      ingester: z.ingester.replicas,
      querier: z.querier.replicas,
      queryFrontend: z.queryFrontend.replicas,
      queryScheduler: z.queryScheduler.replicas,
      indexGateway: z.indexGateway.replicas,
    },
    limits: { ...base.limits, ingestionRateMb: z.ingestionRateMb, ingestionBurstSizeMb: z.ingestionBurstSizeMb },
    res: {
      'distributor': z.distributor.resources,
      'ingester': z.ingester.resources,
      'querier': z.querier.resources,
      'query-frontend': z.queryFrontend.resources,
      'query-scheduler': z.queryScheduler.resources,
      'index-gateway': z.indexGateway.resources,
      'compactor': z.compactor.resources,
    },
  };
}
