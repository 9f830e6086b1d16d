/**
 * The production stack: `LgtmStack` with the production profile, the scenario of the LGTM guide with
 * Mimir, Pyroscope, Alloy, Beyla and MinIO (here SeaweedFS) object storage, and the production notes of
 * the OpenTelemetry hub guide (no default password, remote storage for Prometheus, distributed Loki and
 * Tempo on object storage, HA, restricted network access, monitoring the monitors). Rendered into
 * dist/production/, self-contained in namespaces `lgtm-prod` (restricted), `lgtm-prod-agents`
 * (privileged: node-exporter, the log DaemonSet with the journal, Beyla) and `prod-apps` (the
 * applications Beyla instruments):
 *
 * - `production-12-long-term-metrics`: Mimir Distributed (replication factor 3, sized for 1M active
 *   series) on its own buckets; Prometheus (2 replicas) remote-writes into it, the Alloy collector sends
 *   the OTLP metrics of applications and Beyla and the annotation-discovered targets to it, Grafana
 *   queries it (datasource `mimir`);
 * - Loki Distributed, Tempo scalable (sized by `TempoSizing` for 10,000 spans/s: 4 replicas) and
 *   Pyroscope (3 replicas in one ring, replication factor 3) on the S3 bucket `lgtm-data`, with
 *   PodDisruptionBudgets and pods spread across zones and nodes (test/stack/ha.test.ts checks every
 *   backend); Alertmanager (3) routes to Grafana OnCall's webhook;
 * - the collectors sized for 200 nodes (`CollectorSizing`); cluster events and the kubelet/containerd
 *   journal to Loki; pods annotated `k8s.grafana.com/scrape: "true"` scraped without a ServiceMonitor;
 * - `production-20-object-storage`: an in-cluster SeaweedFS S3 server standing in for the cloud
 *   bucket (replace `s3.toObjectStorage(...)` with `ObjectStorage.s3({...})`, `.gcs` or `.azure`);
 * - `production-90-network-policies`: default-deny ingress in `lgtm-prod` and `lgtm-prod-agents`, one
 *   allow rule per connection of the wiring graph, and two documented admissions (the ingress
 *   controller to Grafana, the applications of `prod-apps` to the collector's OTLP ports).
 *
 * The prometheus-operator CRDs come from dist/reference/00-crds.yaml (one folder defines them); the stack
 * runs its own operator, like dist/minikube: dist/production, dist/minikube and dist/reference are
 * alternative stacks for one cluster. Secrets created out of band are listed in PREREQUISITES.md.
 */
import { App, Chart } from 'cdk8s';
import { AlertReceiver, LgtmStack, SeaweedFs, StackProfile } from '../src';

export const PRODUCTION_NAMESPACE = 'lgtm-prod';
export const PRODUCTION_AGENTS_NAMESPACE = 'lgtm-prod-agents';
export const PRODUCTION_APPS_NAMESPACE = 'prod-apps';
/** The ingress controller's namespace (outside the app): it serves Grafana. */
export const INGRESS_NAMESPACE = 'ingress-nginx';

export function buildProduction(app: App): LgtmStack {
  const namespace = PRODUCTION_NAMESPACE;
  // the bucket server first: the stack's NetworkPolicies (created last) see its connections
  const s3 = new SeaweedFs(new Chart(app, 'production-20-object-storage'), 'SeaweedFs', {
    namespace,
    credentialsSecret: 'lgtm-s3',
    buckets: ['lgtm-data', 'mimir-blocks', 'mimir-ruler'],
  });
  const oncall = AlertReceiver.webhook('oncall', { url: { secretName: 'alertmanager-oncall', key: 'url' } });
  const stack = new LgtmStack(app, 'production', {
    profile: StackProfile.PRODUCTION,
    namespace,
    agentsNamespace: PRODUCTION_AGENTS_NAMESPACE,
    appNamespaces: [PRODUCTION_APPS_NAMESPACE],
    clusterName: 'production',
    clusterNodes: 200,
    // CRDs are cluster-wide: dist/reference/00-crds.yaml defines them (a stack of your own keeps them on)
    components: { crds: false, beyla: true, networkPolicies: true },
    objectStorage: s3.toObjectStorage({ bucket: 'lgtm-data' }),
    mimir: { objectStorage: s3.toObjectStorage({ buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler', admin: 'mimir-ruler' } }) },
    alertmanager: { defaultReceiver: oncall },
    grafana: { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } },
    collector: { clusterEvents: {}, autodiscovery: {} },
    logsAgent: { journal: {} },
    networkPolicies: {
      externalNamespaces: [INGRESS_NAMESPACE],
      admissions: [
        {
          fromNamespace: INGRESS_NAMESPACE,
          toNamespace: namespace,
          toPodLabels: { 'app.kubernetes.io/name': 'grafana' },
          ports: [3000],
          reason: 'the ingress controller serves Grafana to its users',
        },
        {
          fromNamespace: PRODUCTION_APPS_NAMESPACE,
          toNamespace: namespace,
          toPodLabels: { 'app.kubernetes.io/instance': 'alloy-collector' },
          ports: [4317, 4318],
          reason: 'the applications of prod-apps push OTLP traces, metrics and logs to the collector',
        },
      ],
    },
  });
  // the bucket server is outside the stack: its down and S3-error alerts join the stack's self-monitoring
  stack.selfMonitoringRules?.watchComponent(s3);
  return stack;
}
