import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { labelSelectorMatches, namespaceNameSelector, namespaceOf, PROMETHEUS_MARKER, selectedObjects } from './common';
import { KubeletMonitor } from './kubelet';
import { PodMonitor, ServiceMonitor } from './monitors';
import type { IAlertmanager } from './routing';
import { AppIndex, appIndex, prepareEachPass } from '../core/app-index';
import { Component } from '../core/component';
import { promDuration, requireAtLeast, requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';
import { Images, imageVersion } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, IRemoteWriteTarget, requireRemoteWriteTarget } from '../core/interfaces';
import { standardLabels } from '../core/labels';
import { renderedMatchNames } from '../core/monitor-match-names';
import { validateNamespace } from '../core/names';
import { objectMeta } from '../core/objects';
import { CR_ANNOTATIONS } from '../core/prometheus-operator';
import { ResourcePreset } from '../core/resources';
import { toKubeTolerations, Toleration } from '../core/scheduling';
import { restrictedPodSecurityContext } from '../core/security';
import { StorageOptions } from '../core/storage';
import * as crd from '../imports/monitoring-prometheuses-monitoring.coreos.com';

/** The TSDB head block spans 2h: retention below it deletes data before it is even compacted. */
const MIN_RETENTION = Duration.hours(2);

/** Selector fields of the Prometheus CR per selected kind. */
const SELECTOR_FIELDS: Record<string, [string, string]> = {
  ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
  PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
  PrometheusRule: ['ruleSelector', 'ruleNamespaceSelector'],
  Probe: ['probeSelector', 'probeNamespaceSelector'],
};

/** The ServiceAccount token the kubelet and the API server authenticate (rotated by the kubelet). */
const SA_TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** The cluster CA, mounted next to the token. */
const SA_CA_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

/**
 * A scrape class of a Prometheus (`spec.scrapeClasses[]`): settings a ServiceMonitor or PodMonitor
 * takes by naming the class in its `scrapeClass`. The file fields are paths inside the Prometheus
 * container; they apply where the monitor's endpoint sets no credentials or CA of its own.
 */
export interface ScrapeClass {
  /** Name the monitors refer to (lowercase letters, digits and '-'). */
  readonly name: string;
  /**
   * Apply this class to every monitor that names no class (at most one class per Prometheus).
   * @default false
   */
  readonly isDefault?: boolean;
  /** File holding the bearer token sent with every scrape (`authorization.credentialsFile`). @default - none */
  readonly credentialsFile?: string;
  /** CA bundle the targets' certificates are verified against (`tlsConfig.caFile`). @default - none */
  readonly caFile?: string;
  /** Client certificate for mutual TLS (`tlsConfig.certFile`, with `keyFile`). @default - none */
  readonly certFile?: string;
  /** Client key for mutual TLS (`tlsConfig.keyFile`, with `certFile`). @default - none */
  readonly keyFile?: string;
}

/** Properties of `Prometheus`. */
export interface PrometheusProps {
  /** Name of the Prometheus resource, its Service and ServiceAccount. @default 'prometheus' */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Container image. @default Images.PROMETHEUS */
  readonly image?: string;
  /** Replicas (each scrapes everything: an HA pair doubles memory, not capacity). @default 1 */
  readonly replicas?: number;
  /** How long samples are kept; at least 2h (one TSDB block). @default Duration.days(15) */
  readonly retention?: Duration;
  /**
   * Size limit of the TSDB (oldest blocks are deleted first); must fit on the volume.
   * @default - 85 % of `storage.size`, so the volume never fills up
   */
  readonly retentionSize?: Size;
  /** The PVC each replica gets. @default - 50 GiB on the cluster's default StorageClass */
  readonly storage?: StorageOptions;
  /** CPU/memory. @default ResourcePreset.MEDIUM */
  readonly resources?: ResourcePreset;
  /** Emit a ServiceMonitor for Prometheus itself. @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on that ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /**
   * Emit a PodDisruptionBudget (`maxUnavailable: 1`) for the Prometheus pods.
   * @default - true when more than one replica runs
   */
  readonly podDisruptionBudget?: boolean;
  /** Node labels the Prometheus pods must match. @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations of the Prometheus pods. @default - none */
  readonly tolerations?: Toleration[];
  /** Default scrape interval. @default Duration.seconds(30) */
  readonly scrapeInterval?: Duration;
  /** Rule evaluation interval. @default Duration.seconds(30) */
  readonly evaluationInterval?: Duration;
  /** Labels added to every series and alert leaving this Prometheus (remote write, Alertmanager). @default - none */
  readonly externalLabels?: { [key: string]: string };
  /** Store exemplars (trace IDs attached to samples; Grafana links them to Tempo). @default false */
  readonly exemplarStorage?: boolean;
  /**
   * Accept remote writes on `/api/v1/write` (Tempo's metrics-generator writes span metrics here).
   * When on, this Prometheus is an `IRemoteWriteTarget`.
   * @default false
   */
  readonly enableRemoteWriteReceiver?: boolean;
  /**
   * Namespaces whose ServiceMonitors, PodMonitors, PrometheusRules and Probes are selected (and where
   * discovery RBAC is granted).
   * @default - its own namespace plus every namespace in which the app defines a monitor or rule
   */
  readonly watchNamespaces?: string[];
  /** Watch every namespace (RBAC through a ClusterRole). @default false */
  readonly watchAllNamespaces?: boolean;
  /**
   * Labels a monitor or rule must carry to be selected.
   * @default - every monitor and rule in the watched namespaces is selected (no hidden label)
   */
  readonly monitorSelector?: { [key: string]: string };
  /**
   * Scrape classes in addition to `Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS`, which every Prometheus
   * defines. (Scrape classes are an experimental field of the operator's Prometheus CRD.)
   * @default - only `Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS`
   */
  readonly scrapeClasses?: ScrapeClass[];
  /** Grafana datasource UID. @default 'prometheus' */
  readonly datasourceUid?: string;
  /** Grafana datasource name. @default 'Prometheus' */
  readonly datasourceName?: string;
}

/** Options of `addRemoteWrite`. */
export interface RemoteWriteOptions {
  /** Queue name (shown in Prometheus' metrics). @default - derived from the target */
  readonly name?: string;
  /** Send exemplars (needs `exemplarStorage`). @default - true when exemplar storage is on */
  readonly sendExemplars?: boolean;
}

/**
 * A Prometheus server run by the Prometheus Operator (`monitoring.coreos.com/v1` Prometheus).
 *
 * Emits the Prometheus resource, a ServiceAccount with discovery RBAC for exactly the namespaces it
 * watches, a Service (`http-web` 9090) and a ServiceMonitor for itself. By default it selects every
 * ServiceMonitor, PodMonitor, PrometheusRule and Probe in the namespaces it watches, and it watches every
 * namespace where the app defines one (computed at synth from the construct tree).
 */
export class Prometheus extends Component implements IDatasourceProvider, IRemoteWriteTarget {
  /**
   * The scrape class every Prometheus of this library defines (not the default): the Prometheus
   * ServiceAccount token as `authorization.credentialsFile` (rotated by the kubelet, never copied into
   * a Secret) and the cluster CA as `tlsConfig.caFile`. Monitors of apiserver-style endpoints that
   * authorize the scraper by its ServiceAccount (the kubelet) name it in `scrapeClass`.
   */
  public static readonly SERVICE_ACCOUNT_SCRAPE_CLASS = 'kubernetes-service-account';

  /** The scrape classes this Prometheus defines (`spec.scrapeClasses`), in order. */
  public readonly scrapeClasses: ScrapeClass[];
  /** The Prometheus custom resource (same as `workload`). */
  public readonly apiObject: ApiObject;
  private rwReceiver: boolean;

  private readonly props: PrometheusProps;
  private readonly remoteWrites: crd.PrometheusSpecRemoteWrite[] = [];
  private readonly alertmanagers: IAlertmanager[] = [];
  private readonly rbacNamespaces = new Set<string>();
  private readonly exemplars: boolean;

  constructor(scope: Construct, id: string, props: PrometheusProps = {}) {
    super(scope, id, props, { appName: 'prometheus', component: 'server', name: 'prometheus', image: Images.PROMETHEUS });
    Object.defineProperty(this, PROMETHEUS_MARKER, { value: true });
    this.props = props;
    this.rwReceiver = props.enableRemoteWriteReceiver ?? false;
    this.exemplars = props.exemplarStorage ?? false;
    for (const ns of props.watchNamespaces ?? []) validateNamespace(this, 'watchNamespaces', ns);
    this.scrapeClasses = checkScrapeClasses(this, props.scrapeClasses ?? []);

    const retention = props.retention ?? Duration.days(15);
    requireAtLeast(this, 'retention', retention, MIN_RETENTION, 'Prometheus cuts a TSDB block every 2h; a shorter retention deletes data before it is compacted');
    requirePositive(this, 'scrapeInterval', props.scrapeInterval);
    requirePositive(this, 'evaluationInterval', props.evaluationInterval);
    const storage = this._storage(Size.gibibytes(50));
    const retentionMiB = props.retentionSize ? props.retentionSize.toMebibytes() : Math.floor(storage.size.toMebibytes() * 0.85);
    if (!(retentionMiB > 0) || retentionMiB > storage.size.toMebibytes()) {
      fail(this, {
        problem: "'retentionSize' must be positive and fit on the volume",
        received: `${retentionMiB}MiB (volume ${storage.size.toMebibytes()}MiB)`,
        expected: 'at most \'storage.size\' (leave ~15 % headroom for the WAL and compaction)',
        fix: "lower 'retentionSize' or raise 'storage.size'",
      });
    }
    const replicas = this._replicas(1);

    this._addServiceAccount(true);
    // Scraping apiserver-style `/metrics` endpoints that check RBAC needs this non-resource URL; the
    // kubelet authorizes `/metrics*` with a SubjectAccessReview for `nodes/metrics` get (granted only when
    // this Prometheus selects a KubeletMonitor).
    this._addClusterRole(() => [
      { nonResourceUrLs: ['/metrics'], verbs: ['get'] },
      ...(this.scrapesKubelet ? [{ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }] : []),
      ...(props.watchAllNamespaces ? discoveryRules() : []),
    ]);
    // The operator labels the pods with app.kubernetes.io/name=prometheus and instance=<CR name> only.
    const podSelector = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': this.name };
    this._addService({ selector: podSelector, ports: [{ name: 'http-web', port: 9090 }] });

    this.apiObject = new crd.Prometheus(this, 'Resource', {
      metadata: objectMeta({ name: this.name, namespace: this.namespace, labels: this.labels, annotations: CR_ANNOTATIONS }),
      spec: Lazy.any({ produce: () => this.renderSpec(replicas, retention, retentionMiB, storage) }) as unknown as crd.PrometheusSpec,
    });
    this._setWorkload(this.apiObject);
    this._addServiceMonitor({ endpoints: [{ port: 'http-web' }] });
    this._addPodDisruptionBudget(replicas, podSelector);

    // Discovery RBAC for the namespaces it watches: created at the start of each validation pass, before
    // the app-wide checks (which then see the Roles) and before anything renders, when the monitors of
    // the whole app are known.
    prepareEachPass(this, 0, () => this.materializeRbac());
  }

  /** The namespaces whose monitors and rules this Prometheus selects (computed from the app). */
  public get watchedNamespaces(): string[] {
    return this.watchedIn(new AppIndex(this.node.root));
  }

  /** `watchedNamespaces` from an index of the app (computed once per index). */
  private watchedIn(index: AppIndex): string[] {
    return index.memo(this, 'watchedNamespaces', () => {
      if (this.props.watchNamespaces) return [...new Set([...this.props.watchNamespaces])].sort();
      const found = new Set<string>([this.namespace]);
      const sel = this.props.monitorSelector ? { matchLabels: this.props.monitorSelector } : {};
      for (const o of selectedObjects(this, index)) {
        const ns = namespaceOf(o);
        if (ns && labelSelectorMatches(sel, index.labelsOf(o))) found.add(ns);
      }
      return [...found].sort();
    });
  }

  /** Whether the remote-write receiver is on (the prop, or a writer such as Tempo's metrics-generator turned it on). */
  public get remoteWriteReceiverEnabled(): boolean {
    return this.rwReceiver;
  }

  /**
   * Turns the remote-write receiver on (idempotent). Called by the components that write into this
   * Prometheus (Tempo's metrics-generator, collectors), so that enabling the writer also enables the
   * receiver; rendered lazily, so a call after construction still reaches the resource.
   */
  public acceptRemoteWrites(): void {
    this.rwReceiver = true;
  }

  /** Sends every sample to a remote-write target (Mimir, or another Prometheus with the receiver on). */
  public addRemoteWrite(target: IRemoteWriteTarget, options: RemoteWriteOptions = {}): void {
    requireRemoteWriteTarget(this, "'addRemoteWrite' was given a construct that", target);
    const url = target.remoteWriteUrl;
    if (!/^https?:\/\/.+/.test(url)) {
      fail(this, { problem: 'remote-write target URL is not an http(s) URL', received: show(url), expected: 'http(s)://host:port/path', fix: 'check the target construct' });
    }
    if (target === this) {
      fail(this, { problem: 'a Prometheus cannot remote-write to itself', received: this.node.path, expected: 'another remote-write target', fix: 'pass Mimir or another Prometheus' });
    }
    this.remoteWrites.push({
      url,
      name: options.name ?? target.node.id.toLowerCase(),
      headers: target.remoteWriteTenantId ? { 'X-Scope-OrgID': target.remoteWriteTenantId } : undefined,
      sendExemplars: (options.sendExemplars ?? this.exemplars) ? true : undefined,
    });
  }

  /** Sends alerts to an Alertmanager (address and port taken from its Service). */
  public addAlertmanager(alertmanager: IAlertmanager): void {
    this.alertmanagers.push(alertmanager);
  }

  /** `http://<name>.<namespace>.svc:9090/api/v1/write`; only when `enableRemoteWriteReceiver` is on. */
  public get remoteWriteUrl(): string {
    if (!this.remoteWriteReceiverEnabled) {
      fail(this, {
        problem: 'this Prometheus does not accept remote writes',
        received: 'enableRemoteWriteReceiver: false',
        expected: 'enableRemoteWriteReceiver: true on a Prometheus used as a remote-write target',
        fix: 'set `enableRemoteWriteReceiver: true` on the Prometheus (or send to Mimir)',
      });
    }
    return this.service.url('http-web', 'http', '/api/v1/write');
  }

  /** Datasource for Grafana, computed from the Service. */
  public get datasourceInfo(): DatasourceInfo {
    return {
      kind: DatasourceKind.PROMETHEUS,
      name: this.props.datasourceName ?? 'Prometheus',
      uid: this.props.datasourceUid ?? 'prometheus',
      url: this.service.url('http-web'),
      serviceName: this.service.name,
      serviceNamespace: this.service.namespace,
      servicePort: this.service.port('http-web').port,
      implementation: 'prometheus',
    };
  }

  /** Names of the scrape classes this Prometheus defines. */
  public get scrapeClassNames(): string[] {
    return this.scrapeClasses.map((c) => c.name);
  }

  /** True when this Prometheus selects an object of `kind` in `namespace` carrying `labels`. */
  public selects(kind: string, namespace: string, labels: { [key: string]: string }): boolean {
    return this._selectsIn(new AppIndex(this.node.root), kind, namespace, labels);
  }

  /** @internal `selects` from an index of the app (the app-wide checks share one). */
  public _selectsIn(index: AppIndex, kind: string, namespace: string, labels: { [key: string]: string }): boolean {
    if (!SELECTOR_FIELDS[kind]) return false;
    const nsOk = this.props.watchAllNamespaces || index.memo(this, 'watchedSet', () => new Set(this.watchedIn(index))).has(namespace);
    const sel = this.props.monitorSelector ? { matchLabels: this.props.monitorSelector } : {};
    return !!nsOk && labelSelectorMatches(sel, labels);
  }

  /** Describes what this Prometheus selects (for error messages). */
  public describeSelection(_kind: string): string {
    const ns = this.props.watchAllNamespaces ? 'all namespaces' : `namespaces ${show(this.watchedNamespaces)}`;
    return `${this.namespace}/${this.name} watches ${ns} with labels ${show(this.props.monitorSelector ?? {})}`;
  }

  /** The Prometheus spec (rendered at synth: remote writes and Alertmanagers may be added later). */
  private renderSpec(replicas: number, retention: Duration, retentionMiB: number,
    storage: { sizeGi: number; storageClassName?: string }): crd.PrometheusSpec {
    const props = this.props;
    const labelSelector = props.monitorSelector ? { matchLabels: props.monitorSelector } : {};
    const nsSelector = props.watchAllNamespaces ? {} : namespaceNameSelector(this.watchedNamespaces);
    const q = (v: string) => crd.PrometheusSpecResourcesLimits.fromString(v);
    const res = this._resources(ResourcePreset.MEDIUM)._toKube();
    return {
      image: this.image,
      version: `v${imageVersion(this.image)}`,
      replicas,
      serviceAccountName: this.name,
      podMetadata: { labels: this.labels },
      retention: promDuration(retention),
      retentionSize: `${Math.floor(retentionMiB)}MiB`,
      storage: {
        volumeClaimTemplate: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'prometheus-db' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: storage.storageClassName,
            volumeMode: 'Filesystem',
            resources: { requests: { storage: crd.PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests.fromString(`${storage.sizeGi}Gi`) } },
          },
        },
      },
      resources: {
        requests: Object.fromEntries(Object.entries(res.requests).map(([k, v]) => [k, q(v)])),
        limits: Object.fromEntries(Object.entries(res.limits).map(([k, v]) => [k, q(v)])),
      },
      scrapeClasses: this.scrapeClasses.map((c) => ({
        name: c.name,
        default: c.isDefault ? true : undefined,
        authorization: c.credentialsFile ? { credentialsFile: c.credentialsFile } : undefined,
        tlsConfig: c.caFile || c.certFile || c.keyFile ? { caFile: c.caFile, certFile: c.certFile, keyFile: c.keyFile } : undefined,
      })),
      scrapeInterval: promDuration(props.scrapeInterval ?? Duration.seconds(30)),
      evaluationInterval: promDuration(props.evaluationInterval ?? Duration.seconds(30)),
      externalLabels: props.externalLabels && Object.keys(props.externalLabels).length > 0 ? props.externalLabels : undefined,
      enableFeatures: this.exemplars ? ['exemplar-storage'] : undefined,
      enableRemoteWriteReceiver: this.remoteWriteReceiverEnabled ? true : undefined,
      serviceMonitorSelector: labelSelector,
      serviceMonitorNamespaceSelector: nsSelector,
      podMonitorSelector: labelSelector,
      podMonitorNamespaceSelector: nsSelector,
      ruleSelector: labelSelector,
      ruleNamespaceSelector: nsSelector,
      probeSelector: labelSelector,
      probeNamespaceSelector: nsSelector,
      remoteWrite: this.remoteWrites.length > 0 ? this.remoteWrites : undefined,
      alerting: this.alertmanagers.length > 0
        ? {
          alertmanagers: this.alertmanagers.map((am) => ({
            namespace: am.namespace,
            name: am.service.name,
            port: crd.PrometheusSpecAlertingAlertmanagersPort.fromString('http-web'),
            apiVersion: crd.PrometheusSpecAlertingAlertmanagersApiVersion.V2,
          })),
        }
        : undefined,
      nodeSelector: props.nodeSelector && Object.keys(props.nodeSelector).length > 0 ? props.nodeSelector : undefined,
      tolerations: toKubeTolerations(props.tolerations) as crd.PrometheusSpecTolerations[] | undefined,
      securityContext: restrictedPodSecurityContext() as crd.PrometheusSpecSecurityContext,
    };
  }

  /** True when this Prometheus selects a `KubeletMonitor` (it then needs `nodes/metrics`). */
  public get scrapesKubelet(): boolean {
    const index = new AppIndex(this.node.root);
    return index.ofClass(KubeletMonitor).some((c) => this._selectsIn(index, 'ServiceMonitor', c.serviceMonitor.namespace, c.serviceMonitor.labels));
  }

  /**
   * Namespaces where this Prometheus discovers targets: the watched ones, every namespace a selected
   * ServiceMonitor/PodMonitor names in `namespaceSelector.matchNames` (ours and any other library's),
   * and the Alertmanagers' namespaces.
   */
  private discoveryNamespaces(): string[] {
    const index = appIndex(this); // runs in a validation
    const out = new Set<string>(this.watchedIn(index));
    for (const [kind, monitors] of [['ServiceMonitor', index.ofClass(ServiceMonitor)], ['PodMonitor', index.ofClass(PodMonitor)]] as const) {
      for (const c of monitors) if (this._selectsIn(index, kind, c.namespace, c.labels)) for (const ns of c.targetNamespaces) out.add(ns);
    }
    for (const o of selectedObjects(this, index)) {
      if (o.kind !== 'ServiceMonitor' && o.kind !== 'PodMonitor') continue;
      const ns = namespaceOf(o);
      if (!ns || !this._selectsIn(index, o.kind, ns, index.labelsOf(o))) continue;
      for (const target of matchNamesOf(o)) out.add(target);
    }
    for (const am of this.alertmanagers) out.add(am.namespace);
    return [...out].sort();
  }

  private materializeRbac(): void {
    if (this.props.watchAllNamespaces) return;
    for (const ns of this.discoveryNamespaces()) {
      if (this.rbacNamespaces.has(ns)) continue;
      this.rbacNamespaces.add(ns);
      // no version label: these objects are created at validation time, one per discovered namespace
      this._addRole(ns, discoveryRules(), standardLabels({ name: 'prometheus', instance: this.name, component: 'server' }));
    }
  }
}

/** The built-in class plus the user's, validated (names, one default, absolute paths, cert with key). */
function checkScrapeClasses(scope: Construct, user: ScrapeClass[]): ScrapeClass[] {
  const builtIn: ScrapeClass = { name: Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS, credentialsFile: SA_TOKEN_FILE, caFile: SA_CA_FILE };
  const seen = new Set<string>([builtIn.name]);
  user.forEach((c, i) => {
    const at = `scrapeClasses[${i}]`;
    if (typeof c?.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.name) || c.name.length > 63) {
      fail(scope, {
        problem: `${at}.name is not a scrape class name`,
        received: show(c?.name),
        expected: 'lowercase letters, digits and "-", at most 63 characters, e.g. "mtls"',
        fix: "name the scrape class, e.g. { name: 'mtls', ... }",
      });
    }
    if (seen.has(c.name)) {
      fail(scope, {
        problem: `${at}.name ${show(c.name)} is defined twice${c.name === builtIn.name ? ' (every Prometheus defines it already)' : ''}: the operator keys scrape classes by name`,
        received: show(c.name),
        expected: `a name not yet used: ${show([...seen])} are taken`,
        fix: c.name === builtIn.name ? 'remove it (monitors name Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS as it is), or pick another name' : 'give each scrape class its own name',
      });
    }
    seen.add(c.name);
    for (const key of ['credentialsFile', 'caFile', 'certFile', 'keyFile'] as const) {
      const file = c[key];
      if (file !== undefined && !(typeof file === 'string' && file.startsWith('/') && !/[\s]/.test(file))) {
        fail(scope, {
          problem: `${at}.${key} must be an absolute path inside the Prometheus container`,
          received: show(file),
          expected: `e.g. "${key === 'credentialsFile' ? SA_TOKEN_FILE : SA_CA_FILE}"`,
          fix: 'pass the absolute path of a file mounted into the Prometheus pod',
        });
      }
    }
    if (!!c.certFile !== !!c.keyFile) {
      fail(scope, {
        problem: `${at} (${show(c.name)}) sets ${c.certFile ? 'certFile without keyFile' : 'keyFile without certFile'}: Prometheus refuses the TLS config`,
        received: `certFile ${show(c.certFile)}, keyFile ${show(c.keyFile)}`,
        expected: 'both certFile and keyFile (a client certificate and its key), or neither',
        fix: `set ${c.certFile ? "'keyFile'" : "'certFile'"} as well, or remove the other`,
      });
    }
    if (!c.credentialsFile && !c.caFile && !c.certFile) {
      fail(scope, {
        problem: `${at} (${show(c.name)}) sets nothing: a monitor naming it would be scraped as without a class`,
        received: show(c),
        expected: 'at least one of credentialsFile, caFile, certFile + keyFile',
        fix: 'set the credentials or TLS files the class stands for, or remove it',
      });
    }
  });
  const defaults = user.filter((c) => c.isDefault).map((c) => c.name);
  if (defaults.length > 1) {
    fail(scope, {
      problem: 'more than one scrape class is the default: the operator refuses the Prometheus ("multiple default scrape classes defined")',
      received: `default classes ${show(defaults)}`,
      expected: 'at most one scrape class with isDefault: true',
      fix: `keep isDefault on ${show(defaults[0])} only`,
    });
  }
  return [builtIn, ...user.map((c) => ({ ...c }))];
}

/**
 * `spec.namespaceSelector.matchNames` of a monitor object built by any library (resolved at synth);
 * `[]` when absent (own namespace, already watched) or unreadable.
 */
function matchNamesOf(o: ApiObject): string[] {
  try {
    // a monitor of this library answers without a resolve (the object is resolved once, by the dry run)
    const names = renderedMatchNames(o) ?? o.toJson()?.spec?.namespaceSelector?.matchNames;
    return Array.isArray(names) ? names.filter((n: unknown): n is string => typeof n === 'string' && n.length > 0) : [];
  } catch {
    return []; // its own validation reports why it cannot render
  }
}

/** What service discovery reads (kube-prometheus `prometheus-roleSpecificNamespaces`). */
function discoveryRules(): k8s.PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
  ];
}

