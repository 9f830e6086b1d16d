/**
 * Options of the collection features of the Alloy collectors that match Grafana's Kubernetes monitoring
 * chart: cluster events to Loki, and annotation autodiscovery of scrape targets and profiles (central
 * collector) and of Pod logs (node agent). (The builders are in ./collection-internal.)
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

/** Which Pods the node agent ships logs of, under logs autodiscovery. */
export enum PodLogsDiscovery {
  /** Every Pod, except those annotated `<gatherAnnotation>: "false"` (the chart's `discovery: all`). */
  ALL = 'all',
  /** Only the Pods annotated `<gatherAnnotation>: "true"` (the chart's `discovery: annotation`). */
  ANNOTATED = 'annotated',
}

/** The annotation names of logs autodiscovery. Every name is a Kubernetes annotation key. */
export interface LogsAutodiscoveryAnnotations {
  /** Opt-in (`"true"`) or opt-out (`"false"`) annotation. @default 'k8s.grafana.com/logs.autogather' */
  readonly gatherAnnotation?: string;
  /** Value of the `job` label of the Pod's log lines. @default 'k8s.grafana.com/logs.job' */
  readonly jobAnnotation?: string;
}

/**
 * Options of logs autodiscovery on the node agent (`AlloyLogsProps.autodiscovery`): Pods opt in or out of
 * log collection with an annotation, set the `job` label with another, and chosen annotations become log
 * labels, as in Grafana's Kubernetes monitoring chart. eBPF profiling on the same agent is not affected.
 */
export interface LogsAutodiscoveryOptions {
  /** Every Pod unless it opts out, or only the Pods that opt in. @default PodLogsDiscovery.ALL */
  readonly discovery?: PodLogsDiscovery;
  /** The annotation names. @default - the `k8s.grafana.com/logs.*` names of Grafana's chart */
  readonly annotations?: LogsAutodiscoveryAnnotations;
  /**
   * Log labels copied from Pod annotations: label name to annotation key, e.g.
   * `{ team: 'example.com/team' }`. A Pod without the annotation gets no such label. Keep them few and of
   * low cardinality: every distinct value is a new Loki stream.
   * @default - none
   */
  readonly labelsFromAnnotations?: { [label: string]: string };
  /**
   * Never ship the logs of the Pods in these namespaces (applied after the agent's `namespaces`).
   * @default - none excluded
   */
  readonly excludeNamespaces?: string[];
}

/** A pprof profile type discovered through `profiles.grafana.com/<type>.*` annotations. */
export enum ProfileType {
  /** CPU (`profile.process_cpu`, `/debug/pprof/profile`). */
  CPU = 'cpu',
  /** Heap (`profile.memory`). */
  MEMORY = 'memory',
  /** Blocking (`profile.block`). */
  BLOCK = 'block',
  /** Mutex contention (`profile.mutex`). */
  MUTEX = 'mutex',
  /** Goroutines (`profile.goroutine`). */
  GOROUTINE = 'goroutine',
  /** fgprof wall-clock profiles (`profile.fgprof`). */
  FGPROF = 'fgprof',
  /** godeltaprof heap (`profile.godeltaprof_memory`). */
  GODELTAPROF_MEMORY = 'godeltaprof_memory',
  /** godeltaprof mutex (`profile.godeltaprof_mutex`). */
  GODELTAPROF_MUTEX = 'godeltaprof_mutex',
  /** godeltaprof block (`profile.godeltaprof_block`). */
  GODELTAPROF_BLOCK = 'godeltaprof_block',
}

/**
 * Options of profiles autodiscovery on the central collector (`AlloyCollectorProps.profilesAutodiscovery`),
 * with the annotations of Grafana's Kubernetes monitoring chart: for each type, a Pod sets
 * `<prefix>/<type>.scrape: "true"` and either `<prefix>/<type>.port` (a container port number) or
 * `<prefix>/<type>.port_name` (a container port name; the number wins when both are set), and optionally
 * `<prefix>/<type>.path` and `<prefix>/<type>.scheme` (`http` or `https`). The port must be declared in
 * the Pod spec. Each type is scraped by its own `pyroscope.scrape` into the collector's `profilesBackend`.
 */
export interface ProfilesAutodiscoveryOptions {
  /** Prefix of the annotation names (a DNS subdomain). @default 'profiles.grafana.com' */
  readonly annotationPrefix?: string;
  /** The profile types discovered. @default [ProfileType.CPU, ProfileType.MEMORY] */
  readonly types?: ProfileType[];
  /** Discover Pods in these namespaces only. @default - every namespace */
  readonly namespaces?: string[];
  /** Never profile the Pods in these namespaces. @default - none excluded */
  readonly excludeNamespaces?: string[];
}
