/**
 * The dist/ apps by name: what each shows and which stack it adds to, without their builders (so that a
 * reader of the list, such as the Argo CD app, does not load every example). examples/apps.ts joins
 * each with its builder.
 */

/** One dist/ app, without its builder. */
export interface AppInfo {
  /** Folder under dist/. */
  readonly name: string;
  /** What it shows. */
  readonly description: string;
  /**
   * The complete stack this folder adds to (it relies on that stack's CRDs and operator, and may place
   * objects in its namespaces). A folder without it is a complete stack in its own namespaces. Either
   * way, no object is defined by two folders (test/dist-unique.test.ts).
   */
  readonly additionTo?: string;
}

export const APP_LIST: AppInfo[] = [
  { name: 'reference', description: 'The reference LGTM stack (what Argo CD syncs)' },
  { name: 'argocd', description: 'Argo CD Applications that point at dist/ folders' },
  { name: 'seed-frontend', description: 'Seed scenario: frontend ServiceMonitor, workload/golden-signal/SLO alerts, critical alerts to Slack', additionTo: 'reference' },
  { name: 'otel-hub', description: 'OpenTelemetry Collector hub (contrib) with Tempo, Loki, Prometheus and correlated Grafana datasources, in namespace otel-hub', additionTo: 'reference' },
  { name: 'alloy-beyla-pyroscope', description: 'Alloy central collector, Beyla eBPF auto-instrumentation and Pyroscope profiles, in namespaces o11y and o11y-agents', additionTo: 'reference' },
  { name: 'loki-distributed', description: 'Distributed Loki (production profile) on an in-cluster S3-compatible store (SeaweedFS)', additionTo: 'reference' },
  { name: 'mimir-production', description: 'Distributed Mimir sized for 1M series on SeaweedFS S3, with Prometheus and Alloy remote-writing to it and Grafana querying it, in namespace mimir-prod', additionTo: 'reference' },
  { name: 'minikube', description: 'LgtmStack, minikube profile: the whole stack within 1 GiB of memory requests, in namespaces lgtm and lgtm-agents' },
  { name: 'app-instrumentation', description: 'Addition to minikube: a demo service in namespace demo with its ServiceMonitor, golden-signal rules, an SLO and OTLP traces', additionTo: 'minikube' },
  { name: 'promtail-legacy', description: 'Promtail tailing host files with job labels into Loki, Tempo and Grafana, in namespaces plgt and plgt-agents' },
  { name: 'k8s-monitoring', description: 'Grafana k8s-monitoring features: cluster events, journal, annotation autodiscovery, PodMonitors, OpenCost, Kepler, in namespaces k8s-mon and k8s-mon-agents', additionTo: 'reference' },
  { name: 'production', description: 'LgtmStack, production profile: Mimir, Loki, Tempo, Pyroscope on object storage, HA with PDBs and spread, Alloy sized for 200 nodes, Beyla, NetworkPolicies, in namespaces lgtm-prod, lgtm-prod-agents and prod-apps' },
];
