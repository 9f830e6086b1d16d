/**
 * Loki's Distributed topology: distributor, ingester, querier, query-frontend, query-scheduler,
 * compactor and index-gateway as separate workloads, joined by a memberlist ring. Every StatefulSet is
 * governed by a headless Service (stable pod DNS). Internal.
 */
import { GRPC, HTTP, MEMBERLIST, TargetSpec, TopologyContext } from './topology';

/** The targets and Services of a Distributed Loki. */
export function distributedTopology(ctx: TopologyContext): TargetSpec[] {
  const n = ctx.name;
  // Memberlist gossip over a headless Service that includes not-ready pods (join during start-up).
  ctx.service('Memberlist', `${n}-memberlist`, undefined, [MEMBERLIST], { headless: true, publishNotReady: true, scrape: false });
  const ports = [HTTP, GRPC];
  const distributor = ctx.service('Distributor', `${n}-distributor`, 'distributor', ports, {}, true);
  return [
    { target: 'distributor', stateful: false, replicas: ctx.replicas('distributor'), service: distributor },
    {
      target: 'ingester',
      stateful: true,
      replicas: ctx.replicas('ingester'),
      service: ctx.service('Ingester', `${n}-ingester-headless`, 'ingester', ports, { headless: true }),
      // Flushing every in-memory chunk to object storage on shutdown can take minutes.
      terminationGracePeriodSeconds: 300,
    },
    { target: 'querier', stateful: false, replicas: ctx.replicas('querier'), service: ctx.service('Querier', `${n}-querier`, 'querier', ports) },
    { target: 'query-frontend', stateful: false, replicas: ctx.replicas('queryFrontend'), service: ctx.service('QueryFrontend', `${n}-query-frontend`, 'query-frontend', ports) },
    {
      target: 'query-scheduler',
      stateful: false,
      replicas: ctx.replicas('queryScheduler'),
      // Headless: frontends and queriers resolve every scheduler address and connect to each.
      service: ctx.service('QueryScheduler', `${n}-query-scheduler`, 'query-scheduler', ports, { headless: true, publishNotReady: true }),
    },
    {
      target: 'compactor',
      stateful: true,
      replicas: 1,
      // Clients (compactorAddress) use the ClusterIP Service; the StatefulSet is governed by a headless
      // one, which gives the pod its stable DNS name.
      service: ctx.service('Compactor', `${n}-compactor`, 'compactor', ports),
      governingService: ctx.service('CompactorHeadless', `${n}-compactor-headless`, 'compactor', ports, { headless: true, scrape: false }),
    },
    {
      target: 'index-gateway',
      stateful: true,
      replicas: ctx.replicas('indexGateway'),
      service: ctx.service('IndexGateway', `${n}-index-gateway-headless`, 'index-gateway', ports, { headless: true }),
    },
  ];
}
