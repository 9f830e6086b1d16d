/**
 * Options of the collection features of the central Alloy collector that match Grafana's Kubernetes
 * monitoring chart: cluster events to Loki and annotation autodiscovery of scrape targets. (The builders
 * are in ./collection-internal.)
 */
import { ILogsBackend } from '../core/interfaces';

/** Options of the cluster-events feature (`AlloyCollectorProps.clusterEvents`). */
export interface ClusterEventsOptions {
  /**
   * Where the events go (Loki's push API).
   * @default - the collector's `logsBackend`
   */
  readonly logsBackend?: ILogsBackend;
  /**
   * Collect the events of these namespaces only.
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * Value of the `job` label of the event lines.
   * @default 'integrations/kubernetes/eventhandler'
   */
  readonly jobName?: string;
}

/**
 * The annotation names of annotation autodiscovery. Every name is a Kubernetes annotation key
 * (`[prefix/]name`). A Pod or Service opts in with `<scrapeAnnotation>: "true"`.
 */
export interface AutodiscoveryAnnotations {
  /** Opt-in annotation; its value must be `"true"`. @default 'k8s.grafana.com/scrape' */
  readonly scrapeAnnotation?: string;
  /** Port number to scrape. @default 'k8s.grafana.com/metrics.portNumber' */
  readonly portAnnotation?: string;
  /** Metrics path. @default 'k8s.grafana.com/metrics.path' */
  readonly pathAnnotation?: string;
  /** `http` or `https`. @default 'k8s.grafana.com/metrics.scheme' */
  readonly schemeAnnotation?: string;
  /** Scrape interval, a Prometheus duration such as `30s`. @default 'k8s.grafana.com/metrics.scrapeInterval' */
  readonly intervalAnnotation?: string;
}

/**
 * Options of annotation autodiscovery (`AlloyCollectorProps.autodiscovery`): Pods and Services that carry
 * the opt-in annotation are scraped at the annotated port, path, scheme and interval, and the samples are
 * remote-written into the collector's `metricsTarget`.
 *
 * Coexistence with ServiceMonitors and PodMonitors (nothing is scraped twice): a Pod that a ServiceMonitor
 * (through a Service of the app) or a PodMonitor of the same app selects is dropped from autodiscovery,
 * and a Service endpoint whose Pod is annotated itself is scraped through the Pod only. Monitors that are
 * not part of the app are unknown at synth: do not annotate what they select.
 */
export interface AnnotationAutodiscoveryOptions {
  /** The annotation names. @default - the `k8s.grafana.com/...` names of Grafana's chart */
  readonly annotations?: AutodiscoveryAnnotations;
  /**
   * Discover Pods and Services in these namespaces only.
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * Also discover annotated Services (their endpoints are scraped pod by pod).
   * @default true
   */
  readonly services?: boolean;
}
