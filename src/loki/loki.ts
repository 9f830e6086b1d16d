import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { lokiAlerts } from './alerts';
import { deepMerge, LimitsModel, LOKI_CONFIG_VERSION, LOKI_INDEX_PERIOD_HOURS, LOKI_SCHEMA_START, LokiConfigModel, renderLimits, renderLokiConfig } from './config';
import { distributedTopology } from './distributed';
import { LokiMode, LokiProfile, LokiReplicas } from './modes';
import { monolithicTopology } from './monolithic';
import { PROFILES, ProfileSpec, sizedSpec } from './profiles';
import { LokiSizing, LokiWorkload } from './sizing';
import { LokiTenancy } from './tenancy';
import { validateTenantId } from './tenant-id';
import { DATA, GRPC, HTTP, renderTarget, SCRAPE_LABEL, TopologyContext, TopologyServiceOptions, WorkloadContext } from './topology';
import { Component } from '../core/component';
import { ConfigFiles, renderYaml } from '../core/config';
import { checkLokiOverride } from '../core/config-keys/check';
import { goDuration } from '../core/duration';
import { addLgtmValidation, fail, show } from '../core/errors';
import { Images, imageVersion } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, ILogsBackend, IOtlpLogsBackend } from '../core/interfaces';
import { kubeService, PortSpec, ServiceRef } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { requireLokiRule } from '../core/logql-rules';
import { requireValidLogQL } from '../core/query';
import { ResourcePreset } from '../core/resources';
import { Toleration } from '../core/scheduling';
import { StorageOptions } from '../core/storage';
import { IAlertmanager } from '../prometheus/routing';
import { checkRuleFileAlertName, RuleFileAlert, ruleFileAlert } from '../rules/alert-fields';
import { AlertingRuleProps } from '../rules/alert-rule';
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorage } from '../storage/object-storage';

/** Per-tenant limits. */
export interface LokiLimits {
  /**
   * Per-tenant ingestion rate in MB/s.
   * @default 4 (SMALL) / 10 (PRODUCTION)
   */
  readonly ingestionRateMb?: number;
  /**
   * Per-tenant ingestion burst in MB.
   * @default 6 (SMALL) / 20 (PRODUCTION)
   */
  readonly ingestionBurstSizeMb?: number;
  /**
   * Active streams per tenant across the cluster.
   * @default 5000 (SMALL) / 10000 (PRODUCTION)
   */
  readonly maxGlobalStreamsPerUser?: number;
  /**
   * How long this tenant's logs are kept (a multiple of 24h, at least 24h).
   * @default - the instance `retention`
   */
  readonly retention?: Duration;
}

/**
 * A LogQL alerting rule evaluated by Loki's ruler (Monolithic mode): the library's rule-file alert
 * (`AlertingRuleProps`, with a LogQL metric query as `expr`) plus the group it is evaluated in.
 */
export interface LokiAlertingRuleProps extends AlertingRuleProps {
  /**
   * Rule group.
   * @default 'loki-alerts'
   */
  readonly group?: string;
}

/** Properties for {@link Loki}. */
export interface LokiProps {
  /**
   * Namespace.
   * @default - the Chart's namespace, else 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Stable object name (prefix of every object).
   * @default 'loki'
   */
  readonly name?: string;
  /**
   * Deployment mode.
   * @default LokiMode.MONOLITHIC
   */
  readonly mode?: LokiMode;
  /**
   * Sizing profile.
   * @default LokiProfile.SMALL
   */
  readonly profile?: LokiProfile;
  /**
   * The workload a Distributed Loki is sized for: replicas, requests and limits, embedded cache sizes and
   * the per-tenant ingestion limits are derived from the daily ingest volume (`LokiSizing`, calibrated on
   * Loki's published sizing tiers), with the PRODUCTION profile's replication factor and volumes.
   * Explicit `targetReplicas` and `limits` still win. Not with `profile` (they would contradict).
   * @default - sized by the profile
   */
  readonly workload?: LokiWorkload;
  /**
   * Where chunks and index live. Distributed mode requires object storage.
   * @default ObjectStorage.filesystem({ size: Size.gibibytes(10) })
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * The PVCs: the data/WAL volume of the Monolithic pod, and of each ingester, compactor and
   * index-gateway in Distributed mode.
   * @default - the filesystem object storage's size and class with filesystem storage, else
   * 10 GiB (SMALL) / 50 GiB (PRODUCTION) on the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;
  /**
   * Tenancy; decides `auth_enabled`.
   * @default LokiTenancy.single()
   */
  readonly tenancy?: LokiTenancy;
  /**
   * How long logs are kept (compactor retention). A multiple of the 24h index period, at least 24h.
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
  /**
   * Default per-tenant limits.
   * @default - the profile's limits
   */
  readonly limits?: LokiLimits;
  /**
   * Replication factor of the ingester ring. At most the number of ingesters.
   * @default 1 (Monolithic or SMALL) / 3 (Distributed PRODUCTION)
   */
  readonly replicationFactor?: number;
  /**
   * Replicas per target (Distributed mode; Monolithic runs one pod).
   * @default - the profile's replicas
   */
  readonly targetReplicas?: LokiReplicas;
  /**
   * Resources of the Monolithic pod.
   * @default - 500m / 1Gi (SMALL), ResourcePreset.LARGE (PRODUCTION)
   */
  readonly resources?: ResourcePreset;
  /**
   * Image.
   * @default Images.LOKI
   */
  readonly image?: string;
  /**
   * Alertmanager the ruler notifies (`ruler.alertmanager_url` is read from its Service).
   * @default - none; adding an alerting rule without it fails at synth
   */
  readonly alertmanager?: IAlertmanager;
  /**
   * Emit a ServiceMonitor and a PrometheusRule with Loki's own alerts.
   * @default true
   */
  readonly serviceMonitor?: boolean;
  /**
   * Extra labels on the ServiceMonitor and PrometheusRule (to match a Prometheus selector).
   * @default - none
   */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /**
   * Emit a PodDisruptionBudget (`maxUnavailable: 1`) for each Distributed target.
   * @default true (Distributed mode; Monolithic runs one pod)
   */
  readonly podDisruptionBudget?: boolean;
  /**
   * Node labels the pods must match.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations of the pods.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Grafana datasource UID.
   * @default 'loki'
   */
  readonly datasourceUid?: string;
  /**
   * Untyped last-resort override, deep-merged into `loki.yaml` after everything else (upstream keys,
   * snake_case). Keys are still checked against the 3.7.6 reference by the tests of the caller.
   * @default - none
   */
  readonly configOverride?: { [key: string]: any };
}

/**
 * Grafana Loki 3.7.6 in Monolithic or Distributed mode, with a typed `loki.yaml` (fixed tsdb v13 schema
 * date, compactor retention, per-tenant limits, explicit tenancy, profile-sized caches, WAL on a PVC),
 * its own ServiceMonitor and alerts. Implements `IDatasourceProvider` (Grafana) and `ILogsBackend`
 * (collectors push to `pushUrl`).
 */
export class Loki extends Component implements IDatasourceProvider, ILogsBackend, IOtlpLogsBackend {
  /** The Loki version the config is rendered for. */
  public static readonly VERSION = LOKI_CONFIG_VERSION;
  /** The fixed first day of the schema (never derived from the clock). */
  public static readonly SCHEMA_START = LOKI_SCHEMA_START;

  /** Mode. */
  public readonly mode: LokiMode;
  /** Replication factor. */
  public readonly replicationFactor: number;
  /** The Service collectors push to (monolithic Service or distributor; the same as `service`). */
  public readonly writeService: ServiceRef;
  /** The Service Grafana queries (monolithic Service or query-frontend). */
  public readonly readService: ServiceRef;
  /** Every Service emitted, by name. */
  public readonly services: ServiceRef[] = [];
  /** Every workload (one StatefulSet in Monolithic mode, one per target in Distributed mode). */
  public readonly workloads: ApiObject[] = [];

  /** The config files (`loki.yaml` and `runtime.yaml`; `config.apiObject` is the ConfigMap). */
  public readonly config: ConfigFiles;
  private readonly props: LokiProps;
  private readonly tenancy: LokiTenancy;
  private readonly binding: ObjectStorageBinding;
  /** The sizing derived from `workload` (undefined when the profile sizes Loki). */
  public readonly sizing?: LokiSizing;
  private readonly profileSpec: ProfileSpec;
  private readonly retentionHours: number;
  private readonly tenantLimits = new Map<string, LimitsModel>();
  private readonly rules: Array<{ group: string; body: RuleFileAlert }> = [];
  private readonly rulesConfig?: ConfigFiles;
  private overrides: any;

  constructor(scope: Construct, id: string, props: LokiProps = {}) {
    super(scope, id, props, { appName: 'loki', name: 'loki', image: Images.LOKI, nameMaxLength: 30 });
    this.props = props;
    this.mode = props.mode ?? LokiMode.MONOLITHIC;
    this.sizing = props.workload !== undefined ? this.resolveSizing(props) : undefined;
    this.profileSpec = this.sizing ? sizedSpec(this.sizing) : PROFILES[props.profile ?? LokiProfile.SMALL];
    this.tenancy = props.tenancy ?? LokiTenancy.single();
    if (this.tenancy.tenantId !== undefined) validateTenantId(this, 'tenancy', this.tenancy.tenantId);
    this.overrides = checkLokiOverride(this, 'configOverride', props.configOverride);
    this.binding = this.bindObjectStorage(props.objectStorage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) }));
    this.retentionHours = this.validateRetention('retention', props.retention ?? Duration.days(7));
    this.replicationFactor = this.resolveReplicationFactor(props);
    this.validateLimits('limits', props.limits);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('loki.yaml', () => this.renderConfig());
    this.config._addYaml('runtime.yaml', () => this.renderRuntime());
    if (this.mode === LokiMode.MONOLITHIC) {
      this.rulesConfig = new ConfigFiles(this, 'Rules', { name: `${this.name}-rules`, namespace: this.namespace, labels: this.labels });
      this.rulesConfig._addFile(`${this.ruleTenant}.yaml`, () => this.renderRules());
    }
    this._addServiceAccount(false, this.binding.serviceAccountAnnotations);

    const topology: TopologyContext = {
      name: this.name,
      service: (sid, name, component, ports, opts, main) => this.addTopologyService(sid, name, component, ports, opts ?? {}, main ?? false),
      replicas: (key) => this.replicaCount(key),
    };
    const targets = this.mode === LokiMode.MONOLITHIC ? monolithicTopology(topology) : distributedTopology(topology);
    const workload = this.workloadContext();
    for (const t of targets) this.workloads.push(renderTarget(workload, t));
    this._setWorkload(this.workloads[0]);
    this.writeService = this.service;
    this.readService = this.mode === LokiMode.MONOLITHIC ? this.service : targets.find((c) => c.target === 'query-frontend')!.service;

    // Every Service that fronts pods exactly once carries SCRAPE_LABEL=true (the memberlist and the
    // governing headless Services do not, so no pod is scraped twice).
    this._addSelfMonitoring({
      port: HTTP.name,
      interval: Duration.seconds(30),
      serviceSelector: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': this.name, [SCRAPE_LABEL]: 'true' },
      alertGroup: 'loki',
      alerts: () => lokiAlerts(this.namespace, this.name),
    });
  }

  /** The push URL collectors use, computed from the emitted write-path Service. */
  public get pushUrl(): string {
    return this.writeService.url('http', 'http', '/loki/api/v1/push');
  }

  /** Loki's native OTLP endpoint (the exporter appends `/v1/logs`), on the write-path Service. */
  public get otlpLogsUrl(): string {
    return this.writeService.url('http', 'http', '/otlp');
  }

  /** The tenant collectors and Grafana send as `X-Scope-OrgID` (multi-tenancy only). */
  public get tenantId(): string | undefined {
    return this.tenancy.tenantId;
  }

  /** The Grafana datasource, computed from the read-path Service. */
  public get datasourceInfo(): DatasourceInfo {
    return {
      kind: DatasourceKind.LOKI,
      name: 'Loki',
      uid: this.props.datasourceUid ?? 'loki',
      url: this.readService.url('http'),
      serviceName: this.readService.name,
      serviceNamespace: this.readService.namespace,
      servicePort: this.readService.port('http').port,
      tenantId: this.tenancy.tenantId,
    };
  }

  /** Per-tenant limits (runtime `overrides`); the tenant id is validated as Loki does. */
  public addTenantLimits(tenantId: string, limits: LokiLimits): void {
    validateTenantId(this, 'addTenantLimits(tenantId)', tenantId);
    this.validateLimits(`addTenantLimits(${tenantId})`, limits);
    this.tenantLimits.set(tenantId, this.limitsModel(limits, false));
  }

  /**
   * A LogQL alerting rule evaluated by the ruler (Monolithic mode: the ruler runs in `-target=all`).
   * The expression is parsed at synth with Grafana's LogQL grammar.
   */
  public addAlertingRule(rule: LokiAlertingRuleProps): void {
    const group = rule.group ?? 'loki-alerts';
    checkRuleFileAlertName(this, group, rule.alert);
    const where = `${group}/${rule.alert}`;
    requireValidLogQL(this, `Loki alerting rule '${where}'`, rule.expr);
    requireLokiRule(this, { alert: rule.alert, expr: rule.expr, labels: rule.labels, annotations: rule.annotations }, group);
    const body = ruleFileAlert(this, where, rule);
    if (this.mode !== LokiMode.MONOLITHIC) {
      fail(this, {
        problem: 'LogQL alerting rules need the ruler, which this construct runs in Monolithic mode only',
        received: `mode ${this.mode}`,
        expected: 'LokiMode.MONOLITHIC',
        fix: 'evaluate the rule in Grafana alerting, or use Monolithic mode',
      });
    }
    if (this.rules.length === 0) {
      // alerts with nowhere to go would silently do nothing on a cluster
      addLgtmValidation(this, () => (this.props.alertmanager ? [] : [{
        problem: `Loki has ${this.rules.length} LogQL alerting rule(s) but no Alertmanager to notify`,
        received: this.rules.map((r) => r.body.alert).join(', '),
        expected: "the 'alertmanager' prop set to the Alertmanager the ruler sends to",
        fix: "pass alertmanager: myAlertmanager in LokiProps (it reads the Alertmanager's Service URL)",
      }]));
    }
    this.rules.push({ group, body });
  }

  /** Deep-merges an untyped override into `loki.yaml` (last resort; applied after `configOverride`). */
  public addConfigOverride(override: { [key: string]: any }): void {
    this.overrides = deepMerge(this.overrides ?? {}, checkLokiOverride(this, 'addConfigOverride', override));
  }

  // ---------------------------------------------------------------------------------------------------

  private resolveSizing(props: LokiProps): LokiSizing {
    if (this.mode !== LokiMode.DISTRIBUTED) {
      fail(this, {
        problem: "'workload' sizes a Distributed Loki: the published sizing tiers are for microservices mode",
        received: `mode: ${show(this.mode)}`,
        expected: 'mode: LokiMode.DISTRIBUTED (with object storage)',
        fix: 'set mode: LokiMode.DISTRIBUTED, or leave out workload and size the Monolithic pod with resources',
      });
    }
    if (props.profile !== undefined) {
      fail(this, {
        problem: "'workload' and 'profile' both size Loki and would contradict each other",
        received: `profile: ${show(props.profile)} and workload: ${show(props.workload)}`,
        expected: 'one of them',
        fix: 'leave out profile (the workload sizing derives the caches and uses the PRODUCTION replication factor and volumes)',
      });
    }
    return LokiSizing._compute(this, 'workload', props.workload!);
  }

  private replicaCount(key: keyof LokiReplicas): number {
    const n = this.props.targetReplicas?.[key] ?? this.profileSpec.replicas[key];
    if (!Number.isInteger(n) || n < 1) {
      fail(this, {
        problem: `'targetReplicas.${key}' must be a positive integer`,
        received: show(n),
        expected: 'an integer >= 1',
        fix: `set targetReplicas.${key} to 1 or more`,
      });
    }
    return n;
  }

  private validateRetention(prop: string, d: Duration): number {
    const hours = d.toHours({ integral: false });
    if (hours < LOKI_INDEX_PERIOD_HOURS) {
      fail(this, {
        problem: `'${prop}' is shorter than the index period (${LOKI_INDEX_PERIOD_HOURS}h)`,
        received: goDuration(d),
        expected: `at least ${LOKI_INDEX_PERIOD_HOURS}h, a multiple of ${LOKI_INDEX_PERIOD_HOURS}h`,
        fix: `set '${prop}' to Duration.days(1) or more (the compactor deletes whole index tables)`,
      });
    }
    if (hours % LOKI_INDEX_PERIOD_HOURS !== 0) {
      fail(this, {
        problem: `'${prop}' is not a multiple of the index period (${LOKI_INDEX_PERIOD_HOURS}h)`,
        received: goDuration(d),
        expected: `a multiple of ${LOKI_INDEX_PERIOD_HOURS}h`,
        fix: `round '${prop}' to whole days, e.g. Duration.days(${Math.ceil(hours / 24)})`,
      });
    }
    return hours;
  }

  private validateLimits(prop: string, l: LokiLimits | undefined): void {
    if (!l) return;
    const numbers = {
      ingestionRateMb: l.ingestionRateMb,
      ingestionBurstSizeMb: l.ingestionBurstSizeMb,
      maxGlobalStreamsPerUser: l.maxGlobalStreamsPerUser,
    };
    for (const [k, v] of Object.entries(numbers)) {
      if (v !== undefined && !(v > 0)) {
        fail(this, { problem: `'${prop}.${k}' must be positive`, received: show(v), expected: 'a number > 0', fix: `set ${k} to a positive value or leave it unset` });
      }
    }
    if (l.ingestionRateMb !== undefined && l.ingestionBurstSizeMb !== undefined && l.ingestionBurstSizeMb < l.ingestionRateMb) {
      fail(this, {
        problem: `'${prop}.ingestionBurstSizeMb' is smaller than 'ingestionRateMb'`,
        received: `burst ${l.ingestionBurstSizeMb}, rate ${l.ingestionRateMb}`,
        expected: 'burst >= rate',
        fix: 'raise the burst (1.5x the rate is a common choice)',
      });
    }
    if (l.retention) this.validateRetention(`${prop}.retention`, l.retention);
  }

  private limitsModel(l: LokiLimits | undefined, withDefaults: boolean): LimitsModel {
    const d = withDefaults ? this.profileSpec.limits : {};
    return {
      ingestionRateMb: l?.ingestionRateMb ?? d.ingestionRateMb,
      ingestionBurstSizeMb: l?.ingestionBurstSizeMb ?? d.ingestionBurstSizeMb,
      maxGlobalStreamsPerUser: l?.maxGlobalStreamsPerUser ?? d.maxGlobalStreamsPerUser,
      retentionPeriod: l?.retention ? `${l.retention.toHours({ integral: false })}h` : withDefaults ? `${this.retentionHours}h` : undefined,
      ...(withDefaults ? { rejectOldSamples: true, rejectOldSamplesMaxAge: '168h', maxQuerySeries: 500 } : {}),
    };
  }

  private bindObjectStorage(storage: ObjectStorage): ObjectStorageBinding {
    if (this.mode === LokiMode.DISTRIBUTED && storage.isFilesystem) {
      fail(this, {
        problem: 'Distributed mode needs object storage: filesystem storage is single-node only',
        received: 'ObjectStorage.filesystem(...)',
        expected: 'ObjectStorage.s3(...), .gcs(...) or .azure(...) (e.g. an in-cluster SeaweedFs(...).toObjectStorage())',
        fix: 'pass object storage, or use mode: LokiMode.MONOLITHIC for filesystem storage',
      });
    }
    return storage._bind(this);
  }

  private resolveReplicationFactor(props: LokiProps): number {
    const ingesters = this.mode === LokiMode.MONOLITHIC ? 1 : this.replicaCount('ingester');
    const defaultRf = this.mode === LokiMode.MONOLITHIC ? 1 : Math.min(this.profileSpec.rf, ingesters);
    const rf = props.replicationFactor ?? defaultRf;
    if (!Number.isInteger(rf) || rf < 1 || rf > ingesters) {
      fail(this, {
        problem: `'replicationFactor' (${rf}) must be between 1 and the number of ingesters (${ingesters})`,
        received: show(rf),
        expected: `an integer from 1 to ${ingesters}`,
        fix: this.mode === LokiMode.MONOLITHIC
          ? 'Monolithic mode runs one ingester: leave replicationFactor unset, or use mode: LokiMode.DISTRIBUTED'
          : `raise 'targetReplicas.ingester' to at least ${rf}, or lower 'replicationFactor'`,
      });
    }
    return rf;
  }

  private addTopologyService(
    id: string, name: string, component: string | undefined, ports: PortSpec[], opts: TopologyServiceOptions, main: boolean,
  ): ServiceRef {
    const idn = { name: 'loki', instance: this.name, component };
    const options = {
      id,
      name,
      labels: { ...standardLabels(idn), [SCRAPE_LABEL]: opts.scrape === false ? 'false' : 'true' },
      selector: selectorLabels(idn),
      ports,
      headless: opts.headless,
      publishNotReadyAddresses: opts.publishNotReady,
    };
    const ref = main ? this._addService(options) : kubeService(this, id, { ...options, namespace: this.namespace });
    this.services.push(ref);
    return ref;
  }

  private workloadContext(): WorkloadContext {
    const props = this.props;
    const fs = this.mode === LokiMode.MONOLITHIC ? this.binding.filesystem : undefined;
    const storage = props.storage?.size || !fs ? this._storage(Size.gibibytes(fs?.sizeGi ?? this.profileSpec.volumeGi)) : undefined;
    return {
      scope: this,
      mode: this.mode,
      name: this.name,
      namespace: this.namespace,
      image: this.image,
      version: imageVersion(this.image),
      config: this.config,
      rulesConfig: this.rulesConfig,
      ruleTenant: this.ruleTenant,
      binding: this.binding,
      resources: this.mode === LokiMode.MONOLITHIC ? { all: this._resources(this.profileSpec.monolithic) } : this.profileSpec.res,
      volumeGi: storage?.sizeGi ?? fs!.sizeGi,
      storageClassName: props.storage?.storageClassName ?? this.binding.filesystem?.storageClass,
      podDisruptionBudget: props.podDisruptionBudget,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
    };
  }

  private serviceOf(target: string): ServiceRef {
    const s = this.services.find((x) => x.name === `${this.name}-${target}` || x.name === `${this.name}-${target}-headless`);
    if (!s) throw new Error(`no service for ${target}`);
    return s;
  }

  private renderConfig(): any {
    const distributed = this.mode === LokiMode.DISTRIBUTED;
    const model: LokiConfigModel = {
      authEnabled: this.tenancy.authEnabled,
      server: { httpListenPort: HTTP.port, grpcListenPort: GRPC.port, logLevel: 'info' },
      common: {
        pathPrefix: DATA,
        replicationFactor: this.replicationFactor,
        instanceAddr: distributed ? undefined : '127.0.0.1',
        ringStore: distributed ? 'memberlist' : 'inmemory',
        compactorAddress: distributed ? this.serviceOf('compactor').url('http') : undefined,
      },
      storage: this.binding,
      dirs: {
        chunks: `${DATA}/chunks`,
        rules: `${DATA}/rules`,
        tsdbIndex: `${DATA}/tsdb-index`,
        tsdbCache: `${DATA}/tsdb-cache`,
        wal: `${DATA}/wal`,
        compactor: `${DATA}/compactor`,
        rulerWal: `${DATA}/ruler-wal`,
        rulerTemp: `${DATA}/rules-temp`,
      },
      memberlist: distributed
        ? { joinMembers: [`dns+${this.serviceOf('memberlist').address('tcp-memberlist')}`], clusterLabel: `${this.namespace}.${this.name}` }
        : undefined,
      schema: [{ from: LOKI_SCHEMA_START, store: 'tsdb', objectStore: this.binding.backend, schema: 'v13', indexPrefix: 'index_', indexPeriodHours: LOKI_INDEX_PERIOD_HOURS }],
      indexGatewayAddress: distributed ? `dns+${this.serviceOf('index-gateway').address('grpc')}` : undefined,
      ingester: { flushOnShutdown: true, chunkIdlePeriod: '30m' },
      compactor: { retentionEnabled: true, compactionInterval: '10m', retentionDeleteDelay: '2h' },
      limits: this.limitsModel(this.props.limits, true),
      frontend: distributed
        ? { schedulerAddress: this.serviceOf('query-scheduler').address('grpc'), tailProxyUrl: this.serviceOf('querier').url('http') }
        : undefined,
      frontendWorker: distributed ? { schedulerAddress: this.serviceOf('query-scheduler').address('grpc') } : undefined,
      querier: { maxConcurrent: this.profileSpec.maxConcurrent },
      caches: { resultsCacheMb: this.profileSpec.resultsCacheMb, chunkCacheMb: this.profileSpec.chunkCacheMb },
      ruler: { localDirectory: '/etc/loki/rules', alertmanagerUrl: this.props.alertmanager?.alertmanagerUrl },
      runtimeConfigFile: '/etc/loki/runtime.yaml',
    };
    return deepMerge(renderLokiConfig(model), this.overrides);
  }

  private renderRuntime(): any {
    const overrides: Record<string, unknown> = {};
    for (const t of [...this.tenantLimits.keys()].sort()) overrides[t] = renderLimits(this.tenantLimits.get(t)!);
    return { overrides };
  }

  /** The tenant the ruler evaluates rules for (`fake` is Loki's tenant when auth is off). */
  private get ruleTenant(): string {
    return this.tenancy.tenantId ?? 'fake';
  }

  private renderRules(): string {
    const groups = new Map<string, RuleFileAlert[]>();
    for (const r of this.rules) groups.set(r.group, [...(groups.get(r.group) ?? []), r.body]);
    return renderYaml({ groups: [...groups.entries()].map(([name, rules]) => ({ name, rules })) });
  }
}
