import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { ResourcePreset } from '../core/resources';

/** The largest cluster the upstream figures cover. */
const MAX_NODES = 1000;

/**
 * Resources of the Alloy collectors by cluster size, from the upstream figures (docs/COLLECTION.md,
 * "Sizing"): about 100m CPU and 128Mi per collector up to 50 nodes, 500m and 1Gi up to 1,000 nodes.
 * `collector` is per replica of the central `AlloyCollector` (two replicas: the load is shared by the
 * cluster), `nodeAgent` per pod of the `AlloyLogs` DaemonSet (its load is one node's, whatever the
 * cluster size). Pass them as the components' `resources`:
 *
 * ```ts
 * const sizing = CollectorSizing.forNodes(this, 200);
 * new AlloyCollector(chart, 'Alloy', { resources: sizing.collector, replicas: sizing.collectorReplicas, ... });
 * ```
 */
export class CollectorSizing {
  /**
   * The sizing for a cluster of `nodes` nodes (1 to 1,000). `scope` names the construct in the error.
   */
  public static forNodes(scope: IConstruct, nodes: number): CollectorSizing {
    if (!Number.isInteger(nodes) || nodes < 1) {
      fail(scope, { problem: 'the node count is not a positive integer', received: show(nodes), expected: 'the number of nodes of the cluster, 1 or more', fix: 'pass the node count, e.g. CollectorSizing.forNodes(this, 50)' });
    }
    if (nodes > MAX_NODES) {
      fail(scope, {
        problem: `${nodes} nodes is beyond the upstream sizing figures (up to ${MAX_NODES} nodes)`,
        received: show(nodes),
        expected: `1 to ${MAX_NODES} nodes`,
        fix: 'size the collector from its active series (about 0.4 CPU and 11 GiB per million series, Alloy docs "Estimate resource usage") and pass resources explicitly',
      });
    }
    return nodes <= 50
      ? new CollectorSizing(nodes, ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(128) }))
      : new CollectorSizing(nodes, ResourcePreset.custom({ cpuMillis: 500, memory: Size.gibibytes(1) }));
  }

  /** Resources of one central collector replica. */
  public readonly collector: ResourcePreset;
  /** Replicas of the central collector (two: HA, scrape load shared by the cluster). */
  public readonly collectorReplicas: number;
  /** Resources of one node-agent pod (one node's logs, whatever the cluster size). */
  public readonly nodeAgent: ResourcePreset;
  /** The node count the sizing was made for. */
  public readonly nodes: number;

  private constructor(nodes: number, collector: ResourcePreset) {
    this.nodes = nodes;
    this.collector = collector;
    this.collectorReplicas = 2;
    this.nodeAgent = ResourcePreset.MICRO;
  }
}
