/**
 * Loki's Monolithic topology: one StatefulSet running every target (`-target=all`), a Service for
 * clients and a headless Service that governs the StatefulSet's pod DNS. Internal.
 */
import { GRPC, HTTP, TargetSpec, TopologyContext } from './topology';

/** The targets and Services of a Monolithic Loki. */
export function monolithicTopology(ctx: TopologyContext): TargetSpec[] {
  const service = ctx.service('Service', ctx.name, 'all', [HTTP, GRPC], {}, true);
  const governingService = ctx.service('Headless', `${ctx.name}-headless`, 'all', [HTTP, GRPC], { headless: true, scrape: false });
  return [{ target: 'all', stateful: true, replicas: 1, service, governingService, terminationGracePeriodSeconds: 300 }];
}
