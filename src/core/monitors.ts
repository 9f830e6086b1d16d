import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { appIndex } from './app-index';
import { nearest } from './config-keys/check';
import { promDuration, requirePositive } from './duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from './errors';
import { ServiceRef } from './kube';
import { declareMatchNames } from './monitor-match-names';
import { nameFromId, resolveNamespace, validateNamespace } from './names';
import { objectMeta } from './objects';
import { CR_ANNOTATIONS, prometheusesIn, SelectingPrometheus } from './prometheus-operator';
import { declareProducedMetrics } from './provenance/registry';
import { validateSharedProps } from './validation';
import * as pm from '../imports/monitoring-podmonitors-monitoring.coreos.com';
import * as sm from '../imports/monitoring-servicemonitors-monitoring.coreos.com';

/** Scheme Prometheus uses to scrape a target. */
export enum ScrapeScheme {
  /** Plain HTTP. */
  HTTP = 'http',
  /** HTTPS. */
  HTTPS = 'https',
}

/** Relabeling actions (Prometheus `relabel_config.action`). */
export enum RelabelAction {
  /** Replace `targetLabel` with `replacement` (regex capture groups available). */
  REPLACE = 'replace',
  /** Keep targets/series whose joined source labels match `regex`. */
  KEEP = 'keep',
  /** Drop targets/series whose joined source labels match `regex`. */
  DROP = 'drop',
  /** Set `targetLabel` to the modulus of a hash of the source labels. */
  HASHMOD = 'hashmod',
  /** Copy labels whose names match `regex` to the names given by `replacement`. */
  LABELMAP = 'labelmap',
  /** Drop labels whose names match `regex`. */
  LABELDROP = 'labeldrop',
  /** Keep only labels whose names match `regex`. */
  LABELKEEP = 'labelkeep',
  /** Lower-case the joined source labels into `targetLabel`. */
  LOWERCASE = 'lowercase',
  /** Upper-case the joined source labels into `targetLabel`. */
  UPPERCASE = 'uppercase',
  /** Keep when the joined source labels equal `targetLabel`. */
  KEEPEQUAL = 'keepequal',
  /** Drop when the joined source labels equal `targetLabel`. */
  DROPEQUAL = 'dropequal',
}

/** One relabeling step (rendered to the operator's `RelabelConfig`). */
export interface Relabeling {
  /** Labels whose values are joined and matched. @default - none */
  readonly sourceLabels?: string[];
  /** Separator for the joined source labels. @default ';' */
  readonly separator?: string;
  /** Label written by replace/hashmod/lowercase/uppercase. @default - none */
  readonly targetLabel?: string;
  /** Regular expression (RE2). @default '(.*)' */
  readonly regex?: string;
  /** Modulus for `HASHMOD`. @default - none */
  readonly modulus?: number;
  /** Replacement value. @default '$1' */
  readonly replacement?: string;
  /** Action. @default RelabelAction.REPLACE */
  readonly action?: RelabelAction;
}

/** TLS settings Prometheus uses when scraping an https endpoint (the operator's `SafeTLSConfig` file fields). */
export interface ScrapeTlsConfig {
  /**
   * Skip verification of the target's certificate. Needed for targets with self-signed serving
   * certificates (most kubelets).
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
  /**
   * Path of a CA bundle inside the Prometheus container, e.g. the cluster CA
   * `/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`.
   * @default - the system roots
   */
  readonly caFile?: string;
  /** Server name to verify the certificate against. @default - the target's host */
  readonly serverName?: string;
}

/** A scrape endpoint of a ServiceMonitor or PodMonitor. */
export interface ScrapeEndpoint {
  /** Name of the Service port (ServiceMonitor) or container port (PodMonitor). */
  readonly port: string;
  /** HTTP path. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default - the Prometheus `scrapeInterval` */
  readonly interval?: Duration;
  /** Scrape timeout; at most `interval`. @default - the Prometheus default (10s, capped at the interval) */
  readonly scrapeTimeout?: Duration;
  /** Scheme. @default ScrapeScheme.HTTP */
  readonly scheme?: ScrapeScheme;
  /** Relabelings applied to targets before scraping. @default - none */
  readonly relabelings?: Relabeling[];
  /** Relabelings applied to scraped series before ingestion. @default - none */
  readonly metricRelabelings?: Relabeling[];
  /** Keep the target's labels when they clash with server-side labels. @default false */
  readonly honorLabels?: boolean;
  /**
   * Use the timestamps the target exposes (`false` stamps samples with the scrape time; kube-prometheus
   * turns them off for cAdvisor).
   * @default - Prometheus' default (true)
   */
  readonly honorTimestamps?: boolean;
  /**
   * File in the Prometheus container holding a bearer token sent with every scrape, typically the
   * ServiceAccount token `/var/run/secrets/kubernetes.io/serviceaccount/token` (rotated by the kubelet;
   * the operator's `authorization` field only takes Secret references).
   * @default - no token
   */
  readonly bearerTokenFile?: string;
  /** TLS settings (https endpoints only). @default - none */
  readonly tlsConfig?: ScrapeTlsConfig;
}

/** Options shared by ServiceMonitor and PodMonitor. */
export interface MonitorOptions {
  /** Stable object name. @default - the monitored Service's name (factories), else the construct id in kebab-case */
  readonly name?: string;
  /** Extra labels on the monitor object. @default - none */
  readonly labels?: { [key: string]: string };
  /**
   * Namespaces whose Services/Pods are discovered.
   * @default - the monitor's own namespace
   */
  readonly targetNamespaces?: string[];
  /** Label whose value becomes the `job` label. @default - the Service (or Pod controller) name */
  readonly jobLabel?: string;
  /**
   * Metric names the scraped application exposes, e.g. `['http_requests_total',
   * 'http_request_duration_seconds_bucket']`. The synth check that every alert, recording rule and
   * dashboard query has a source in the app counts them as produced (the library knows the metrics of
   * the components it ships, not those of your applications).
   * @default - none declared
   */
  readonly metrics?: string[];
  /**
   * Scrape class of the selecting Prometheus applied to every endpoint (`spec.scrapeClass`), e.g.
   * `Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS` (the Prometheus ServiceAccount token as
   * `authorization.credentialsFile` and the cluster CA as `tlsConfig.caFile`). The operator rejects a
   * monitor whose class the selecting Prometheus does not define, so every Prometheus of the app that
   * selects the monitor must define it (checked at synth).
   * @default - the selecting Prometheus' default scrape class, if it has one
   */
  readonly scrapeClass?: string;
}

/** Properties of a `ServiceMonitor`. */
export interface ServiceMonitorProps extends MonitorOptions {
  /** Namespace of the ServiceMonitor object. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Labels the monitored Services carry (`spec.selector.matchLabels`). Must not be empty. */
  readonly selector: { [key: string]: string };
  /** Endpoints to scrape. At least one. */
  readonly endpoints: ScrapeEndpoint[];
}

/** Options of `ServiceMonitor.forService`. */
export interface ServiceMonitorForServiceOptions extends MonitorOptions {
  /**
   * Namespace of the ServiceMonitor object, e.g. the namespace a Prometheus watches. When it differs
   * from the Service's, the monitor discovers the Service in the Service's namespace.
   * @default - the Service's namespace
   */
  readonly namespace?: string;
  /**
   * Endpoints to scrape (port names must exist on the Service; checked at synth).
   * @default - one endpoint on the Service's first named port, path '/metrics'
   */
  readonly endpoints?: ScrapeEndpoint[];
}


/** An endpoint after validation, in the operator's field names (shared by both monitor kinds). */
interface CheckedEndpoint {
  readonly port: string;
  readonly path: string;
  readonly scheme: ScrapeScheme;
  readonly interval?: string;
  readonly scrapeTimeout?: string;
  readonly honorLabels?: boolean;
  readonly honorTimestamps?: boolean;
  readonly bearerTokenFile?: string;
  readonly tlsConfig?: ScrapeTlsConfig;
  readonly relabelings?: Relabeling[];
  readonly metricRelabelings?: Relabeling[];
}

/**
 * The generated enums of the two CRDs spell the same values as `ScrapeScheme` / `RelabelAction`; this
 * maps a value of ours onto the generated enum type.
 */
function sameValue<T>(value: string): T {
  return value as unknown as T;
}

/** Validates one endpoint (fails on bad durations, paths, TLS and file fields). */
function checkEndpoint(scope: IConstruct, e: ScrapeEndpoint, i: number, kind: 'ServiceMonitor' | 'PodMonitor'): CheckedEndpoint {
  if (!e.port) {
    fail(scope, {
      problem: `endpoints[${i}].port is empty`,
      received: show(e.port),
      expected: 'the name of a port, e.g. "http-metrics"',
      fix: 'name the port to scrape (ports are referenced by name so a renumbering does not break scraping)',
    });
  }
  requirePositive(scope, `endpoints[${i}].interval`, e.interval);
  requirePositive(scope, `endpoints[${i}].scrapeTimeout`, e.scrapeTimeout);
  if (e.interval && e.scrapeTimeout && e.scrapeTimeout.toMilliseconds() > e.interval.toMilliseconds()) {
    fail(scope, {
      problem: `endpoints[${i}] (port '${e.port}'): 'scrapeTimeout' (${promDuration(e.scrapeTimeout)}) must not be greater than 'interval' (${promDuration(e.interval)})`,
      received: `scrapeTimeout ${promDuration(e.scrapeTimeout)}, interval ${promDuration(e.interval)}`,
      expected: 'scrapeTimeout <= interval (Prometheus rejects the scrape config otherwise)',
      fix: `lower 'scrapeTimeout' to ${promDuration(e.interval)} or less, or raise 'interval'`,
    });
  }
  const path = e.path ?? '/metrics';
  if (!path.startsWith('/')) {
    fail(scope, {
      problem: `endpoints[${i}].path must start with '/'`,
      received: show(path),
      expected: 'an absolute HTTP path such as "/metrics"',
      fix: `use "/${path}"`,
    });
  }
  const scheme = e.scheme ?? ScrapeScheme.HTTP;
  if (e.tlsConfig && scheme !== ScrapeScheme.HTTPS) {
    fail(scope, {
      problem: `endpoints[${i}] (port '${e.port}') has a 'tlsConfig' but scrapes over ${scheme}`,
      received: `scheme ${show(scheme)}`,
      expected: 'scheme: ScrapeScheme.HTTPS with a tlsConfig',
      fix: "set 'scheme: ScrapeScheme.HTTPS' or remove 'tlsConfig'",
    });
  }
  for (const [key, file] of [['bearerTokenFile', e.bearerTokenFile], ['tlsConfig.caFile', e.tlsConfig?.caFile]] as const) {
    if (file !== undefined && kind === 'PodMonitor') {
      // The 0.93 PodMonitor CRD has neither field (only Secret/ConfigMap references).
      fail(scope, {
        problem: `endpoints[${i}].${key} is not supported by a PodMonitor`,
        received: show(file),
        expected: 'a ServiceMonitor for file-based credentials (PodMonitor endpoints only take Secret references)',
        fix: 'scrape through a Service with a ServiceMonitor, or remove the field',
      });
    }
    if (file !== undefined && !file.startsWith('/')) {
      fail(scope, {
        problem: `endpoints[${i}].${key} must be an absolute path inside the Prometheus container`,
        received: show(file),
        expected: 'e.g. "/var/run/secrets/kubernetes.io/serviceaccount/token"',
        fix: 'pass the absolute path of a file mounted into the Prometheus pod',
      });
    }
  }
  return {
    port: e.port,
    path,
    scheme,
    interval: e.interval ? promDuration(e.interval) : undefined,
    scrapeTimeout: e.scrapeTimeout ? promDuration(e.scrapeTimeout) : undefined,
    honorLabels: e.honorLabels ? true : undefined,
    honorTimestamps: e.honorTimestamps,
    bearerTokenFile: e.bearerTokenFile || undefined,
    tlsConfig: e.tlsConfig,
    relabelings: e.relabelings && e.relabelings.length > 0 ? e.relabelings : undefined,
    metricRelabelings: e.metricRelabelings && e.metricRelabelings.length > 0 ? e.metricRelabelings : undefined,
  };
}

/** A relabeling in the operator's fields, typed as `T` (the two CRDs declare identical structs). */
function relabeling<T, A>(r: Relabeling): T {
  return {
    sourceLabels: r.sourceLabels,
    separator: r.separator,
    targetLabel: r.targetLabel || undefined,
    regex: r.regex,
    modulus: r.modulus,
    replacement: r.replacement,
    action: sameValue<A>(r.action ?? RelabelAction.REPLACE),
  } as T;
}

/**
 * The endpoint fields ServiceMonitor and PodMonitor share, typed as the CRD's endpoint struct `T` (the
 * two CRDs declare the same fields with their own generated names; `R`/`M` are the relabeling structs and
 * `A`/`B` their action enums, `S` the scheme enum). cdk8s sorts keys at output, so the caller's extra
 * fields may follow.
 */
function endpointBase<T, S, R, A, M, B>(e: CheckedEndpoint): T {
  return {
    port: e.port,
    path: e.path,
    scheme: sameValue<S>(e.scheme),
    interval: e.interval,
    scrapeTimeout: e.scrapeTimeout,
    honorLabels: e.honorLabels,
    honorTimestamps: e.honorTimestamps,
    relabelings: e.relabelings?.map((r) => relabeling<R, A>(r)),
    metricRelabelings: e.metricRelabelings?.map((r) => relabeling<M, B>(r)),
  } as T;
}

function serviceMonitorEndpoint(e: CheckedEndpoint): sm.ServiceMonitorSpecEndpoints {
  return {
    ...endpointBase<sm.ServiceMonitorSpecEndpoints, sm.ServiceMonitorSpecEndpointsScheme,
      sm.ServiceMonitorSpecEndpointsRelabelings, sm.ServiceMonitorSpecEndpointsRelabelingsAction,
      sm.ServiceMonitorSpecEndpointsMetricRelabelings, sm.ServiceMonitorSpecEndpointsMetricRelabelingsAction>(e),
    bearerTokenFile: e.bearerTokenFile,
    tlsConfig: e.tlsConfig ? {
      insecureSkipVerify: e.tlsConfig.insecureSkipVerify,
      caFile: e.tlsConfig.caFile || undefined,
      serverName: e.tlsConfig.serverName || undefined,
    } : undefined,
  };
}

function podMonitorEndpoint(e: CheckedEndpoint): pm.PodMonitorSpecPodMetricsEndpoints {
  return {
    ...endpointBase<pm.PodMonitorSpecPodMetricsEndpoints, pm.PodMonitorSpecPodMetricsEndpointsScheme,
      pm.PodMonitorSpecPodMetricsEndpointsRelabelings, pm.PodMonitorSpecPodMetricsEndpointsRelabelingsAction,
      pm.PodMonitorSpecPodMetricsEndpointsMetricRelabelings, pm.PodMonitorSpecPodMetricsEndpointsMetricRelabelingsAction>(e),
    tlsConfig: e.tlsConfig ? { insecureSkipVerify: e.tlsConfig.insecureSkipVerify, serverName: e.tlsConfig.serverName || undefined } : undefined,
  };
}

/** What a monitor needs to know about the Service it targets, to check port names at synth. */
interface TargetService {
  readonly description: string;
  readonly portNames: () => string[];
}

/** What ServiceMonitor and PodMonitor expose (used by the shared helpers below). */
interface MonitorLike extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
}

function selectionErrors(self: MonitorLike, kind: string): LgtmErrorDetails[] {
  const index = appIndex(self);
  const proms = prometheusesIn(self, index);
  if (proms.length === 0) return []; // the Prometheus lives in another app: nothing to check here
  const selects = (p: SelectingPrometheus) =>
    (p._selectsIn ? p._selectsIn(index, kind, self.namespace, self.labels) : p.selects(kind, self.namespace, self.labels));
  if (proms.some(selects)) return [];
  return [{
    problem: `no Prometheus in the app selects ${kind} ${self.namespace}/${self.name}: its targets would never be scraped`,
    received: `namespace ${show(self.namespace)}, labels ${show(self.labels)}; Prometheus instances: ${proms.map((p) => p.describeSelection(kind)).join('; ')}`,
    expected: `a Prometheus whose ${kind} selector matches these labels and whose watched namespaces include ${show(self.namespace)}`,
    fix: `add ${show(self.namespace)} to the Prometheus 'watchNamespaces' (or leave 'watchNamespaces' unset so it follows the monitors), or change the monitor's labels to match 'monitorSelector'`,
  }];
}

/**
 * The operator refuses a monitor that names a scrape class the selecting Prometheus does not define
 * (`scrapeClass "x" not found in Prometheus scrapeClasses`): the monitor is dropped from its config.
 */
function scrapeClassErrors(self: MonitorLike, kind: string, scrapeClass: string | undefined): LgtmErrorDetails[] {
  if (scrapeClass === undefined) return [];
  const index = appIndex(self);
  const selecting = prometheusesIn(self, index).filter((p) =>
    (p._selectsIn ? p._selectsIn(index, kind, self.namespace, self.labels) : p.selects(kind, self.namespace, self.labels)));
  return selecting.filter((p) => p.scrapeClassNames !== undefined && !p.scrapeClassNames.includes(scrapeClass)).map((p) => {
    const near = nearest(scrapeClass, p.scrapeClassNames ?? []);
    return {
      problem: `${kind} ${self.namespace}/${self.name} names scrape class ${show(scrapeClass)}, which the Prometheus ${p.node.path} selecting it does not define: the operator would refuse the monitor and nothing would be scraped`,
      received: `scrapeClass ${show(scrapeClass)}; that Prometheus defines ${show(p.scrapeClassNames ?? [])}`,
      expected: 'the name of a scrape class of every Prometheus that selects the monitor',
      fix: near ? `use scrapeClass ${show(near)}, or add a scrape class ${show(scrapeClass)} to the Prometheus 'scrapeClasses'` : `add a scrape class ${show(scrapeClass)} to the Prometheus 'scrapeClasses'`,
    };
  });
}

/** A scrape class name (the CRD only asks for a non-empty string; we keep them DNS-label-like). */
const SCRAPE_CLASS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What ServiceMonitor and PodMonitor props share. */
interface MonitorCommonProps {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: { [key: string]: string };
  readonly targetNamespaces?: string[];
  readonly jobLabel?: string;
  readonly metrics?: string[];
  readonly scrapeClass?: string;
  readonly selector: { [key: string]: string };
  readonly endpoints: ScrapeEndpoint[];
}

/** Validated identity of a monitor (name, namespace, labels, the namespaces it discovers in). */
function monitorIdentity(scope: Construct, kind: 'ServiceMonitor' | 'PodMonitor', props: MonitorCommonProps) {
  // runtime types first (a JavaScript caller's '30s' for an endpoint's Duration), by the monitor's props struct
  validateSharedProps(scope, props, { required: true });
  const name = nameFromId(scope, 'name', props.name, 63);
  const namespace = resolveNamespace(scope, props.namespace);
  const targetNamespaces = props.targetNamespaces ?? [namespace];
  for (const ns of targetNamespaces) validateNamespace(scope, 'targetNamespaces', ns);
  const what = kind === 'ServiceMonitor' ? 'Service' : 'Pod';
  if (Object.keys(props.selector).length === 0) {
    fail(scope, {
      problem: `${kind} '${name}' has an empty selector: it would scrape every ${what} in its namespaces`,
      received: show(props.selector),
      expected: kind === 'ServiceMonitor' ? 'the labels of the Service(s) to monitor, e.g. { "app.kubernetes.io/name": "frontend" }' : 'the labels of the Pods to scrape',
      fix: kind === 'ServiceMonitor'
        ? 'pass the Service labels as `selector` (a cdk8s-plus Service passed to forService() needs at least one metadata label)'
        : 'pass the pod template labels as `selector`',
    });
  }
  if (props.endpoints.length === 0) {
    const example = kind === 'ServiceMonitor' ? 'http' : 'metrics';
    fail(scope, {
      problem: `a ${kind} needs at least one endpoint`,
      received: '[]',
      expected: `one endpoint per ${kind === 'ServiceMonitor' ? 'port' : 'container port'} to scrape`,
      fix: `pass \`endpoints: [{ port: "${example}" }]\``,
    });
  }
  if (props.scrapeClass !== undefined && !(typeof props.scrapeClass === 'string' && SCRAPE_CLASS_NAME.test(props.scrapeClass))) {
    fail(scope, {
      problem: `${kind} '${name}': 'scrapeClass' is not a scrape class name`,
      received: show(props.scrapeClass),
      expected: 'the name of a scrape class the selecting Prometheus defines, e.g. Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS ("kubernetes-service-account")',
      fix: "pass the name of one of the Prometheus 'scrapeClasses' (or leave 'scrapeClass' unset)",
    });
  }
  const endpoints = props.endpoints.map((e, i) => checkEndpoint(scope, e, i, kind));
  (props.metrics ?? []).forEach((m, i) => {
    if (typeof m !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m)) {
      fail(scope, {
        problem: `metrics[${i}] is not a Prometheus metric name`,
        received: show(m),
        expected: 'a name matching [a-zA-Z_:][a-zA-Z0-9_:]*, exactly as /metrics exposes it (a histogram as its _bucket, _sum and _count series)',
        fix: 'list the metric names the application exposes, e.g. "http_requests_total"',
      });
    }
  });
  if (props.metrics) declareProducedMetrics(scope, props.metrics);
  return { name, namespace, labels: { ...(props.labels ?? {}) }, targetNamespaces, endpoints };
}

/** The spec fields ServiceMonitor and PodMonitor render alike. */
function monitorSpecBase(props: MonitorCommonProps) {
  return {
    jobLabel: props.jobLabel || undefined,
    scrapeClass: props.scrapeClass,
    selector: { matchLabels: props.selector },
    namespaceSelector: props.targetNamespaces ? { matchNames: props.targetNamespaces } : undefined,
  };
}

/**
 * A `ServiceMonitor`: Prometheus scrapes the endpoints of every Service matching `selector` in
 * `targetNamespaces`. Ports are referenced by name; `forService()` checks at synth that the port exists.
 */
export class ServiceMonitor extends Construct {
  /**
   * Monitors a cdk8s-plus Service (its labels become the selector; it must carry at least one label).
   * The ServiceMonitor is created in the Service's namespace unless `namespace` says otherwise.
   */
  public static forService(scope: Construct, id: string, service: kplus.Service, options: ServiceMonitorForServiceOptions = {}): ServiceMonitor {
    const labels = service.metadata.toJson().labels ?? {};
    const namespace = service.metadata.namespace ?? 'default';
    return ServiceMonitor.forTarget(scope, id, service.name, namespace, labels, {
      description: `Service ${namespace}/${service.name}`,
      portNames: () => service.ports.map((p) => p.name).filter((n): n is string => !!n),
    }, options);
  }

  /** Monitors a Service emitted by this library (a `ServiceRef`). */
  public static forServiceRef(scope: Construct, id: string, service: ServiceRef, options: ServiceMonitorForServiceOptions = {}): ServiceMonitor {
    const labels = service.apiObject.metadata.toJson().labels ?? {};
    return ServiceMonitor.forTarget(scope, id, service.name, service.namespace, labels, {
      description: `Service ${service.namespace}/${service.name}`,
      portNames: () => service.ports.map((p) => p.name),
    }, options);
  }

  private static forTarget(scope: Construct, id: string, serviceName: string, serviceNamespace: string, labels: Record<string, string>,
    target: TargetService, options: ServiceMonitorForServiceOptions): ServiceMonitor {
    const selector = { ...labels };
    delete selector['app.kubernetes.io/version']; // changes on upgrade; never select on it
    const endpoints = options.endpoints ?? [{ port: target.portNames()[0] ?? '' }];
    const namespace = options.namespace ?? serviceNamespace;
    // a monitor outside the Service's namespace discovers the Service where it is
    const targetNamespaces = options.targetNamespaces ?? (namespace !== serviceNamespace ? [serviceNamespace] : undefined);
    const m = new ServiceMonitor(scope, id, { ...options, name: options.name ?? serviceName, namespace, targetNamespaces, selector, endpoints });
    m.target = target;
    return m;
  }

  /** The monitor object. */
  public readonly apiObject: ApiObject;
  /** Object name. */
  public readonly name: string;
  /** Namespace of the monitor object. */
  public readonly namespace: string;
  /** Labels of the monitor object (what the Prometheus `*Selector`s match). */
  public readonly labels: { [key: string]: string };
  /** Namespaces whose Services/Pods are discovered. */
  public readonly targetNamespaces: string[];
  private target?: TargetService;
  private readonly endpoints: ScrapeEndpoint[];

  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id);
    const checked = monitorIdentity(this, 'ServiceMonitor', props);
    ({ name: this.name, namespace: this.namespace, labels: this.labels, targetNamespaces: this.targetNamespaces } = checked);
    this.endpoints = props.endpoints;
    this.apiObject = new sm.ServiceMonitor(this, 'Resource', {
      metadata: objectMeta({ name: this.name, namespace: this.namespace, labels: this.labels, annotations: CR_ANNOTATIONS }),
      spec: { ...monitorSpecBase(props), endpoints: checked.endpoints.map(serviceMonitorEndpoint) },
    });
    declareMatchNames(this.apiObject, props.targetNamespaces ?? []);
    addLgtmValidation(this, () => selectionErrors(this, 'ServiceMonitor'));
    addLgtmValidation(this, () => scrapeClassErrors(this, 'ServiceMonitor', props.scrapeClass));
    addLgtmValidation(this, () => this.portErrors());
  }

  private portErrors(): LgtmErrorDetails[] {
    if (!this.target) return [];
    const ports = this.target.portNames();
    return this.endpoints
      .filter((e) => !ports.includes(e.port))
      .map((e) => ({
        problem: `ServiceMonitor ${this.namespace}/${this.name} scrapes port '${e.port}', which ${this.target!.description} does not have`,
        received: show(e.port),
        expected: `one of the Service's named ports: ${ports.length > 0 ? ports.map((p) => show(p)).join(', ') : '(the Service has no named ports)'}`,
        fix: 'use the name of an existing Service port (name the port on the Service if it has none)',
      }));
  }
}

/** Properties of a `PodMonitor`. */
export interface PodMonitorProps extends MonitorOptions {
  /** Namespace of the PodMonitor object. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Labels of the Pods to scrape (`spec.selector.matchLabels`). Must not be empty. */
  readonly selector: { [key: string]: string };
  /** Endpoints (container port names). At least one. */
  readonly endpoints: ScrapeEndpoint[];
}

/** A `PodMonitor`: Prometheus scrapes named container ports of the Pods matching `selector`. */
export class PodMonitor extends Construct {
  /** The monitor object. */
  public readonly apiObject: ApiObject;
  /** Object name. */
  public readonly name: string;
  /** Namespace of the monitor object. */
  public readonly namespace: string;
  /** Labels of the monitor object (what the Prometheus `*Selector`s match). */
  public readonly labels: { [key: string]: string };
  /** Namespaces whose Services/Pods are discovered. */
  public readonly targetNamespaces: string[];

  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id);
    const checked = monitorIdentity(this, 'PodMonitor', props);
    ({ name: this.name, namespace: this.namespace, labels: this.labels, targetNamespaces: this.targetNamespaces } = checked);
    this.apiObject = new pm.PodMonitor(this, 'Resource', {
      metadata: objectMeta({ name: this.name, namespace: this.namespace, labels: this.labels, annotations: CR_ANNOTATIONS }),
      spec: { ...monitorSpecBase(props), podMetricsEndpoints: checked.endpoints.map(podMonitorEndpoint) },
    });
    declareMatchNames(this.apiObject, props.targetNamespaces ?? []);
    addLgtmValidation(this, () => selectionErrors(this, 'PodMonitor'));
    addLgtmValidation(this, () => scrapeClassErrors(this, 'PodMonitor', props.scrapeClass));
  }
}
