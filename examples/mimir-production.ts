/**
 * Distributed Mimir 3.1.1 sized for 1M active series on S3-compatible storage, rendered into
 * dist/mimir-production/, self-contained in namespace `mimir-prod`:
 *
 * - `01-namespace`: namespace `mimir-prod` (Pod Security "restricted" enforced);
 * - `20-object-storage`: an in-cluster SeaweedFS S3 server (PVC; buckets `mimir-blocks` and
 *   `mimir-ruler` created at start). Replace `s3.toObjectStorage(...)` with `ObjectStorage.s3({...})`,
 *   `.gcs({...})` or `.azure({...})` for a cloud bucket;
 * - `30-mimir`: distributor, zone-aware ingesters (3 zones, replication factor 3), querier,
 *   query-frontend, query-scheduler, store-gateway and compactor, memberlist ring, PDBs, spread across
 *   nodes and zones, replicas/requests/PVCs/tenant limits from `workload: { activeSeries: 1_000_000 }`,
 *   its own ServiceMonitor and alerts; the ruler (2 replicas) evaluating the long-term rule groups added
 *   with `mimir.addRuleGroup` (rendered into the ConfigMap `mimir-rules-anonymous`, never seen by
 *   Prometheus) and sending its alerts to Mimir's own Alertmanager (3 replicas, PVCs), whose fallback
 *   config routes every alert to an on-call webhook;
 * - `40-writers`: a Prometheus (run by the operator of dist/reference) remote-writing to Mimir and
 *   selecting Mimir's monitors and alerts, and an Alloy collector relaying the OTLP metrics of applications
 *   to Mimir (both read the push URL and tenant from the Mimir construct);
 * - `50-grafana`: Grafana with Mimir as its Prometheus-type datasource (`/prometheus` on the
 *   query-frontend).
 *
 * Needs, created out of band: the Secret `mimir-s3` (keys `accessKeyId`, `secretAccessKey`) and
 * `grafana-admin` (keys `admin-user`, `admin-password`) and `mimir-alertmanager-oncall` (key `url`, the
 * on-call webhook URL) in `mimir-prod` (see PREREQUISITES.md), and the
 * prometheus-operator CRDs and operator of dist/reference (00-crds.yaml, 10-metrics.yaml).
 */
import { App, Chart, Duration } from 'cdk8s';
import { AlertReceiver, AlertSeverity, AlloyCollector, Grafana, Mimir, MimirMode, Namespace, Prometheus, SeaweedFs } from '../src';

export const MIMIR_PRODUCTION_NAMESPACE = 'mimir-prod';

export function buildMimirProduction(app: App): void {
  const namespace = MIMIR_PRODUCTION_NAMESPACE;
  new Namespace(new Chart(app, '01-namespace'), 'Namespace', { name: namespace });

  const s3 = new SeaweedFs(new Chart(app, '20-object-storage'), 'SeaweedFs', {
    namespace,
    credentialsSecret: 'mimir-s3',
    buckets: ['mimir-blocks', 'mimir-ruler'],
  });

  const mimir = new Mimir(new Chart(app, '30-mimir'), 'Mimir', {
    namespace,
    mode: MimirMode.DISTRIBUTED,
    objectStorage: s3.toObjectStorage({ buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler', admin: 'mimir-ruler' } }),
    workload: { activeSeries: 1_000_000 },
    ingesterZones: ['zone-a', 'zone-b', 'zone-c'],
    retention: Duration.days(365),
    ruler: {},
    alertmanager: { defaultReceiver: AlertReceiver.webhook('oncall', { url: { secretName: 'mimir-alertmanager-oncall', key: 'url' } }) },
  });
  // evaluated by Mimir's ruler over the long-term series (not by the in-cluster Prometheus)
  mimir.addRuleGroup({
    name: 'long-term',
    interval: Duration.minutes(1),
    recordingRules: [{ record: 'namespace_job:up:sum', expr: 'sum by (namespace, job) (up)' }],
    alerts: [{
      alert: 'ScrapeTargetDown',
      expr: 'up == 0',
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'A scrape target is down.',
      description: '{{ $labels.job }} ({{ $labels.instance }}) has been down for 10 minutes.',
    }],
  });

  const writers = new Chart(app, '40-writers');
  // one replica: a pair would write every series twice (distinct prometheus_replica labels; Mimir's HA
  // deduplication is not configured by this library yet)
  const prometheus = new Prometheus(writers, 'Prometheus', { namespace, replicas: 1, retention: Duration.days(2) });
  prometheus.addRemoteWrite(mimir);
  // Alloy relays the OTLP metrics applications send (Prometheus scrapes the ServiceMonitors: no series twice)
  new AlloyCollector(writers, 'Alloy', { namespace, metricsTarget: mimir });

  const grafana = new Grafana(new Chart(app, '50-grafana'), 'Grafana', {
    namespace,
    adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  });
  grafana.addDatasource(mimir);
}
