/**
 * Distributed Loki 3.7.6 on S3-compatible storage (issue 4), rendered into dist/loki-distributed/.
 *
 * - `01-namespace`: namespace `loki` (Pod Security "restricted" enforced);
 * - `20-object-storage`: an in-cluster SeaweedFS S3 server (PVC, bucket `loki-chunks` created at start);
 * - `30-loki`: distributor, ingester (x3, replication factor 3), querier, query-frontend,
 *   query-scheduler, compactor and index-gateway, memberlist ring, PDBs, spread across nodes and zones,
 *   its own ServiceMonitor and alerts (production profile);
 * - `40-monitoring`: a Prometheus for the `loki` namespace that selects Loki's ServiceMonitor and alerts
 *   (one Prometheus per team namespace; the operator of dist/reference reconciles it). Without it, the
 *   monitors would be selected by nothing: synth would say so.
 *
 * Needs, created out of band: the Secret `loki-s3` in namespace `loki` with keys `accessKeyId` and
 * `secretAccessKey` (read by SeaweedFS and by Loki; no default keys), and the prometheus-operator CRDs
 * (dist/reference/00-crds.yaml) and operator (dist/reference/10-metrics.yaml) for the monitoring objects. To use a cloud bucket instead,
 * replace `s3.toObjectStorage(...)` with `ObjectStorage.s3({...})`, `.gcs({...})` or `.azure({...})`.
 */
import { App, Chart, Duration } from 'cdk8s';
import { Loki, LokiMode, LokiProfile, Namespace, Prometheus, SeaweedFs } from '../src';

export const LOKI_DISTRIBUTED_NAMESPACE = 'loki';

export function buildLokiDistributed(app: App): void {
  const ns = new Chart(app, '01-namespace');
  new Namespace(ns, 'Namespace', { name: LOKI_DISTRIBUTED_NAMESPACE });

  const storage = new SeaweedFs(new Chart(app, '20-object-storage'), 'SeaweedFs', {
    namespace: LOKI_DISTRIBUTED_NAMESPACE,
    credentialsSecret: 'loki-s3',
    buckets: ['loki-chunks'],
  });

  new Loki(new Chart(app, '30-loki'), 'Loki', {
    namespace: LOKI_DISTRIBUTED_NAMESPACE,
    mode: LokiMode.DISTRIBUTED,
    profile: LokiProfile.PRODUCTION,
    storage: storage.toObjectStorage({ bucket: 'loki-chunks' }),
    retention: Duration.days(30),
  });

  new Prometheus(new Chart(app, '40-monitoring'), 'Prometheus', {
    namespace: LOKI_DISTRIBUTED_NAMESPACE,
    replicas: 1,
    retention: Duration.days(7),
  });
}
