import { ApiObject, Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { lokiAlerts } from './alerts';
import { deepMerge, LimitsModel, LOKI_CONFIG_VERSION, LOKI_INDEX_PERIOD_HOURS, LOKI_SCHEMA_START, LokiConfigModel, renderLimits, renderLokiConfig } from './config';
import { LokiTenancy } from './tenancy';
import { validateTenantId } from './tenant-id';
import { CHECKSUM_ANNOTATION, ConfigFiles, renderYaml } from '../core/config';
import { goDuration } from '../core/duration';
import { addLgtmValidation, fail, show } from '../core/errors';
import { Images, imageVersion } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, ILogsBackend } from '../core/interfaces';
import { container, httpProbe, kubeObject, kubeService, podTemplate, PortSpec, ServiceRef, spreadAcrossNodes, volumeClaimTemplate, zoneSpread } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { validateName, validateNamespace } from '../core/names';
import { requireValidLogQL } from '../core/query';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { ServiceMonitor } from '../prometheus/monitors';
import { IAlertmanager } from '../prometheus/routing';
import { checkRuleFileAlertName, RuleFileAlert, ruleFileAlert } from '../rules/alert-fields';
import { AlertingRuleProps } from '../rules/alert-rule';
import { PrometheusRule } from '../rules/prometheus-rule';
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorage } from '../storage/object-storage';

/** How Loki is deployed (SimpleScalable is deprecated upstream and not offered). */
export enum LokiMode {
  /** One StatefulSet running every target (`-target=all`): tens of GB/day; filesystem or object storage. */
  MONOLITHIC = 'monolithic',
  /**
   * Distributor, ingester, querier, query-frontend, query-scheduler, compactor and index-gateway as
   * separate workloads, a memberlist ring, replication. Object storage required.
   */
  DISTRIBUTED = 'distributed',
}

/** Sizing profile: replicas, replication factor, resources and cache sizes. */
export enum LokiProfile {
  /** Development and small clusters: one replica each, replication factor 1, small caches (64/128 MB). */
  SMALL = 'small',
  /** Production: replication factor 3, three ingesters, two of every stateless target, 256/512 MB caches. */
  PRODUCTION = 'production',
}

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

/** Replica counts for Distributed mode (each defaults to the profile's value). */
export interface LokiReplicas {
  /** @default 1 (SMALL) / 3 (PRODUCTION) */
  readonly distributor?: number;
  /** @default 1 (SMALL) / 3 (PRODUCTION) */
  readonly ingester?: number;
  /** @default 1 (SMALL) / 3 (PRODUCTION) */
  readonly querier?: number;
  /** @default 1 (SMALL) / 2 (PRODUCTION) */
  readonly queryFrontend?: number;
  /** @default 1 (SMALL) / 2 (PRODUCTION) */
  readonly queryScheduler?: number;
  /** @default 1 (SMALL) / 2 (PRODUCTION) */
  readonly indexGateway?: number;
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
  /** Namespace. */
  readonly namespace: string;
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
   * Where chunks and index live. Distributed mode requires object storage.
   * @default ObjectStorage.filesystem({ size: Size.gibibytes(10) })
   */
  readonly storage?: ObjectStorage;
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
   * Replicas per target (Distributed mode).
   * @default - the profile's replicas
   */
  readonly replicas?: LokiReplicas;
  /**
   * Size of the data/WAL PVC of the Monolithic pod when it uses object storage, and of each ingester,
   * compactor and index-gateway PVC in Distributed mode. (With filesystem storage the PVC size is the
   * storage's `size`.)
   * @default Size.gibibytes(10) (SMALL) / Size.gibibytes(50) (PRODUCTION)
   */
  readonly volumeSize?: Size;
  /**
   * Storage class of the PVCs.
   * @default - the filesystem storage's class, else the cluster default
   */
  readonly storageClass?: string;
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
  readonly monitoring?: boolean;
  /**
   * Extra labels on the ServiceMonitor and PrometheusRule (to match a Prometheus selector).
   * @default - none
   */
  readonly monitoringLabels?: { [key: string]: string };
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

const HTTP: PortSpec = { name: 'http', port: 3100 };
const GRPC: PortSpec = { name: 'grpc', port: 9095 };
const MEMBERLIST: PortSpec = { name: 'tcp-memberlist', port: 7946 };
const LOKI_UID = 10001; // the user of the grafana/loki image
const DATA = '/var/loki';
const SCRAPE_LABEL = 'lgtm.cdk8s.io/scrape';

interface ProfileSpec {
  readonly rf: number;
  readonly replicas: Required<LokiReplicas>;
  readonly resultsCacheMb: number;
  readonly chunkCacheMb: number;
  readonly volumeGi: number;
  readonly limits: LimitsModel;
  readonly monolithic: ResourcePreset;
  readonly res: Record<string, ResourcePreset>;
  readonly maxConcurrent: number;
}

const PROFILES: Record<LokiProfile, ProfileSpec> = {
  [LokiProfile.SMALL]: {
    rf: 1,
    replicas: { distributor: 1, ingester: 1, querier: 1, queryFrontend: 1, queryScheduler: 1, indexGateway: 1 },
    resultsCacheMb: 64,
    chunkCacheMb: 128,
    volumeGi: 10,
    limits: { ingestionRateMb: 4, ingestionBurstSizeMb: 6, maxGlobalStreamsPerUser: 5000 },
    monolithic: ResourcePreset.custom({ cpuMillis: 500, memory: Size.gibibytes(1) }),
    res: {
      'distributor': ResourcePreset.SMALL,
      'ingester': ResourcePreset.MEDIUM,
      'querier': ResourcePreset.MEDIUM,
      'query-frontend': ResourcePreset.SMALL,
      'query-scheduler': ResourcePreset.MICRO,
      'index-gateway': ResourcePreset.SMALL,
      'compactor': ResourcePreset.SMALL,
    },
    maxConcurrent: 4,
  },
  [LokiProfile.PRODUCTION]: {
    rf: 3,
    replicas: { distributor: 3, ingester: 3, querier: 3, queryFrontend: 2, queryScheduler: 2, indexGateway: 2 },
    resultsCacheMb: 256,
    chunkCacheMb: 512,
    volumeGi: 50,
    limits: { ingestionRateMb: 10, ingestionBurstSizeMb: 20, maxGlobalStreamsPerUser: 10000 },
    monolithic: ResourcePreset.LARGE,
    res: {
      'distributor': ResourcePreset.MEDIUM,
      'ingester': ResourcePreset.LARGE,
      'querier': ResourcePreset.custom({ cpuMillis: 1000, memory: Size.gibibytes(2) }),
      'query-frontend': ResourcePreset.MEDIUM,
      'query-scheduler': ResourcePreset.SMALL,
      'index-gateway': ResourcePreset.MEDIUM,
      'compactor': ResourcePreset.MEDIUM,
    },
    maxConcurrent: 8,
  },
};

interface ComponentSpec {
  readonly target: string;
  readonly stateful: boolean;
  readonly replicas: number;
  readonly service: ServiceRef;
  /** The headless Service that governs a StatefulSet's pod DNS (`serviceName`, immutable). @default service */
  readonly governingService?: ServiceRef;
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * Grafana Loki 3.7.6 in Monolithic or Distributed mode, with a typed `loki.yaml` (fixed tsdb v13 schema
 * date, compactor retention, per-tenant limits, explicit tenancy, profile-sized caches, WAL on a PVC),
 * its own ServiceMonitor and alerts. Implements `IDatasourceProvider` (Grafana) and `ILogsBackend`
 * (collectors push to `pushUrl`).
 */
export class Loki extends Construct implements IDatasourceProvider, ILogsBackend {
  /** The Loki version the config is rendered for. */
  public static readonly VERSION = LOKI_CONFIG_VERSION;
  /** The fixed first day of the schema (never derived from the clock). */
  public static readonly SCHEMA_START = LOKI_SCHEMA_START;

  /** Object name prefix. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Mode. */
  public readonly mode: LokiMode;
  /** Replication factor. */
  public readonly replicationFactor: number;
  /** The ConfigMap holding `loki.yaml` and `runtime.yaml`. */
  public readonly configMap: ApiObject;
  /** The Service collectors push to (monolithic Service or distributor). */
  public readonly writeService: ServiceRef;
  /** The Service Grafana queries (monolithic Service or query-frontend). */
  public readonly readService: ServiceRef;
  /** Every Service emitted, by name. */
  public readonly services: ServiceRef[] = [];

  private readonly config: ConfigFiles;
  private readonly props: LokiProps;
  private readonly tenancy: LokiTenancy;
  private readonly binding: ObjectStorageBinding;
  private readonly profileSpec: ProfileSpec;
  private readonly retentionHours: number;
  private readonly tenantLimits = new Map<string, LimitsModel>();
  private readonly rules: Array<{ group: string; body: RuleFileAlert }> = [];
  private readonly rulesConfig?: ConfigFiles;
  private overrides: any;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    this.props = props;
    this.name = validateName(this, 'name', props.name ?? 'loki', 30);
    this.namespace = validateNamespace(this, 'namespace', props.namespace);
    this.mode = props.mode ?? LokiMode.MONOLITHIC;
    const profile = props.profile ?? LokiProfile.SMALL;
    this.profileSpec = PROFILES[profile];
    this.tenancy = props.tenancy ?? LokiTenancy.single();
    if (this.tenancy.tenantId !== undefined) validateTenantId(this, 'tenancy', this.tenancy.tenantId);
    this.overrides = props.configOverride;

    const storage = props.storage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) });
    if (this.mode === LokiMode.DISTRIBUTED && storage.isFilesystem) {
      fail(this, {
        problem: 'Distributed mode needs object storage: filesystem storage is single-node only',
        received: 'ObjectStorage.filesystem(...)',
        expected: 'ObjectStorage.s3(...), .gcs(...) or .azure(...) (e.g. an in-cluster SeaweedFs(...).toObjectStorage())',
        fix: 'pass object storage, or use mode: LokiMode.MONOLITHIC for filesystem storage',
      });
    }
    this.binding = storage._bind(this);
    this.retentionHours = this.validateRetention('retention', props.retention ?? Duration.days(7));

    // Replication factor vs ingesters.
    const ingesters = this.mode === LokiMode.MONOLITHIC ? 1 : this.replicaCount('ingester');
    const defaultRf = this.mode === LokiMode.MONOLITHIC ? 1 : Math.min(this.profileSpec.rf, ingesters);
    this.replicationFactor = props.replicationFactor ?? defaultRf;
    if (!Number.isInteger(this.replicationFactor) || this.replicationFactor < 1 || this.replicationFactor > ingesters) {
      fail(this, {
        problem: `'replicationFactor' (${this.replicationFactor}) must be between 1 and the number of ingesters (${ingesters})`,
        received: show(this.replicationFactor),
        expected: `an integer from 1 to ${ingesters}`,
        fix: this.mode === LokiMode.MONOLITHIC
          ? 'Monolithic mode runs one ingester: leave replicationFactor unset, or use mode: LokiMode.DISTRIBUTED'
          : `raise 'replicas.ingester' to at least ${this.replicationFactor}, or lower 'replicationFactor'`,
      });
    }
    this.validateLimits('limits', props.limits);

    const image = props.image ?? Images.LOKI;
    const version = imageVersion(image);
    const baseLabels = standardLabels({ name: 'loki', instance: this.name, version });

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: baseLabels });
    this.config._addYaml('loki.yaml', () => this.renderConfig());
    this.config._addYaml('runtime.yaml', () => this.renderRuntime());
    this.configMap = this.config.apiObject;

    if (this.mode === LokiMode.MONOLITHIC) {
      this.rulesConfig = new ConfigFiles(this, 'Rules', { name: `${this.name}-rules`, namespace: this.namespace, labels: baseLabels });
      this.rulesConfig._addFile(`${this.ruleTenant}.yaml`, () => this.renderRules());
    }

    kubeObject(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
      name: this.name,
      namespace: this.namespace,
      labels: baseLabels,
      annotations: this.binding.serviceAccountAnnotations,
    }, { automountServiceAccountToken: false });

    const components = this.mode === LokiMode.MONOLITHIC ? this.monolithic(baseLabels) : this.distributed(baseLabels);
    for (const c of components) this.workload(c, image, version);
    this.writeService = this.mode === LokiMode.MONOLITHIC ? components[0].service : components.find((c) => c.target === 'distributor')!.service;
    this.readService = this.mode === LokiMode.MONOLITHIC ? components[0].service : components.find((c) => c.target === 'query-frontend')!.service;

    if (props.monitoring ?? true) this.monitoring(baseLabels);
  }

  /** The push URL collectors use, computed from the emitted write-path Service. */
  public get pushUrl(): string {
    return this.writeService.url('http', 'http', '/loki/api/v1/push');
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
    this.overrides = deepMerge(this.overrides ?? {}, override);
  }

  // ---------------------------------------------------------------------------------------------------

  private replicaCount(key: keyof LokiReplicas): number {
    const n = this.props.replicas?.[key] ?? this.profileSpec.replicas[key];
    if (!Number.isInteger(n) || n < 1) {
      fail(this, {
        problem: `'replicas.${key}' must be a positive integer`,
        received: show(n),
        expected: 'an integer >= 1',
        fix: `set replicas.${key} to 1 or more`,
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

  private svc(id: string, name: string, component: string | undefined, ports: PortSpec[],
    opts: { headless?: boolean; publishNotReady?: boolean; scrape?: boolean } = {}): ServiceRef {
    const idn = { name: 'loki', instance: this.name, component };
    const ref = kubeService(this, id, {
      name,
      namespace: this.namespace,
      labels: { ...standardLabels(idn), [SCRAPE_LABEL]: opts.scrape === false ? 'false' : 'true' },
      selector: selectorLabels(idn),
      ports,
      headless: opts.headless,
      publishNotReadyAddresses: opts.publishNotReady,
    });
    this.services.push(ref);
    return ref;
  }

  private monolithic(_labels: Record<string, string>): ComponentSpec[] {
    const service = this.svc('Service', this.name, 'all', [HTTP, GRPC]);
    const governingService = this.svc('Headless', `${this.name}-headless`, 'all', [HTTP, GRPC], { headless: true, scrape: false });
    return [{ target: 'all', stateful: true, replicas: 1, service, governingService, terminationGracePeriodSeconds: 300 }];
  }

  private distributed(_labels: Record<string, string>): ComponentSpec[] {
    const n = this.name;
    // Memberlist gossip over a headless Service that includes not-ready pods (join during start-up).
    this.svc('Memberlist', `${n}-memberlist`, undefined, [MEMBERLIST], { headless: true, publishNotReady: true, scrape: false });
    const ports = [HTTP, GRPC];
    return [
      { target: 'distributor', stateful: false, replicas: this.replicaCount('distributor'), service: this.svc('Distributor', `${n}-distributor`, 'distributor', ports) },
      {
        target: 'ingester',
        stateful: true,
        replicas: this.replicaCount('ingester'),
        service: this.svc('Ingester', `${n}-ingester-headless`, 'ingester', ports, { headless: true }),
        // Flushing every in-memory chunk to object storage on shutdown can take minutes.
        terminationGracePeriodSeconds: 300,
      },
      { target: 'querier', stateful: false, replicas: this.replicaCount('querier'), service: this.svc('Querier', `${n}-querier`, 'querier', ports) },
      { target: 'query-frontend', stateful: false, replicas: this.replicaCount('queryFrontend'), service: this.svc('QueryFrontend', `${n}-query-frontend`, 'query-frontend', ports) },
      {
        target: 'query-scheduler',
        stateful: false,
        replicas: this.replicaCount('queryScheduler'),
        // Headless: frontends and queriers resolve every scheduler address and connect to each.
        service: this.svc('QueryScheduler', `${n}-query-scheduler`, 'query-scheduler', ports, { headless: true, publishNotReady: true }),
      },
      { target: 'compactor', stateful: true, replicas: 1, service: this.svc('Compactor', `${n}-compactor`, 'compactor', ports) },
      {
        target: 'index-gateway',
        stateful: true,
        replicas: this.replicaCount('indexGateway'),
        service: this.svc('IndexGateway', `${n}-index-gateway-headless`, 'index-gateway', ports, { headless: true }),
      },
    ];
  }

  private service(target: string): ServiceRef {
    const s = this.services.find((x) => x.name === `${this.name}-${target}` || x.name === `${this.name}-${target}-headless`);
    if (!s) throw new Error(`no service for ${target}`);
    return s;
  }

  private volumeGi(): number {
    if (this.mode === LokiMode.MONOLITHIC && this.binding.filesystem) return this.binding.filesystem.sizeGi;
    if (this.props.volumeSize) return Math.max(1, Math.ceil(this.props.volumeSize.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) / 1024));
    return this.profileSpec.volumeGi;
  }

  private workload(c: ComponentSpec, image: string, version: string): void {
    const idn = { name: 'loki', instance: this.name, component: c.target, version };
    const labels = { ...standardLabels(idn), ...this.binding.podLabels };
    const selector = selectorLabels(idn);
    const objName = this.mode === LokiMode.MONOLITHIC ? this.name : `${this.name}-${c.target}`;
    const distributed = this.mode === LokiMode.DISTRIBUTED;
    const args = ['-config.file=/etc/loki/loki.yaml', `-target=${c.target}`];
    if (this.binding.expandEnv) args.push('-config.expand-env=true');
    const resources = this.mode === LokiMode.MONOLITHIC
      ? this.props.resources ?? this.profileSpec.monolithic
      : this.profileSpec.res[c.target];
    const volumeMounts: Record<string, any>[] = [
      { name: 'config', mountPath: '/etc/loki', readOnly: true },
      { name: 'data', mountPath: DATA },
      { name: 'tmp', mountPath: '/tmp' },
      ...this.binding.volumeMounts,
    ];
    const volumes: Record<string, any>[] = [
      { name: 'config', configMap: { name: this.config.name } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
      ...this.binding.volumes,
    ];
    if (!c.stateful) volumes.push({ name: 'data', emptyDir: { sizeLimit: '10Gi' } });
    if (this.rulesConfig) {
      volumeMounts.push({ name: 'rules', mountPath: '/etc/loki/rules', readOnly: true });
      const t = this.ruleTenant;
      volumes.push({ name: 'rules', configMap: { name: this.rulesConfig.name, items: [{ key: `${t}.yaml`, path: `${t}/rules.yaml` }] } });
    }
    const ctr = container({
      name: 'loki',
      image,
      args,
      env: this.binding.env,
      ports: distributed ? [HTTP, GRPC, MEMBERLIST] : [HTTP, GRPC],
      resources,
      readinessProbe: httpProbe('/ready', 'http', { initialDelaySeconds: 15, timeoutSeconds: 1 }),
      volumeMounts,
    });
    const annotations: Record<string, string> = { [CHECKSUM_ANNOTATION]: this.config.checksum };
    if (this.rulesConfig) annotations['checksum/rules'] = this.rulesConfig.checksum;
    const template = podTemplate({
      labels,
      annotations,
      serviceAccountName: this.name,
      securityContext: restrictedPodSecurityContext(LOKI_UID),
      containers: [ctr],
      volumes,
      terminationGracePeriodSeconds: c.terminationGracePeriodSeconds ?? 30,
      ...(distributed ? { affinity: spreadAcrossNodes(selector), topologySpreadConstraints: zoneSpread(selector) } : {}),
    });
    const meta = { name: objName, namespace: this.namespace, labels: standardLabels(idn) };
    if (c.stateful) {
      kubeObject(this, `${c.target}-StatefulSet`, 'apps/v1', 'StatefulSet', meta, {
        spec: {
          // the headless Service gives each pod stable DNS; serviceName is immutable, so it is fixed now
          serviceName: (c.governingService ?? c.service).name,
          replicas: c.replicas,
          // Ingesters restart one by one (each flushes before the next stops); others start in parallel.
          podManagementPolicy: c.target === 'ingester' || c.target === 'all' ? 'OrderedReady' : 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          selector: { matchLabels: selector },
          template,
          volumeClaimTemplates: [volumeClaimTemplate('data', this.volumeGi(), this.props.storageClass ?? this.binding.filesystem?.storageClass)],
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        },
      });
    } else {
      kubeObject(this, `${c.target}-Deployment`, 'apps/v1', 'Deployment', meta, {
        spec: {
          replicas: c.replicas,
          selector: { matchLabels: selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template,
        },
      });
    }
    if (distributed) {
      kubeObject(this, `${c.target}-PDB`, 'policy/v1', 'PodDisruptionBudget', { name: objName, namespace: this.namespace, labels: standardLabels(idn) }, {
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
    }
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
        compactorAddress: distributed ? this.service('compactor').url('http') : undefined,
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
        ? { joinMembers: [`dns+${this.service('memberlist').address('tcp-memberlist')}`], clusterLabel: `${this.namespace}.${this.name}` }
        : undefined,
      schema: [{ from: LOKI_SCHEMA_START, store: 'tsdb', objectStore: this.binding.backend, schema: 'v13', indexPrefix: 'index_', indexPeriodHours: LOKI_INDEX_PERIOD_HOURS }],
      indexGatewayAddress: distributed ? `dns+${this.service('index-gateway').address('grpc')}` : undefined,
      ingester: { flushOnShutdown: true, chunkIdlePeriod: '30m' },
      compactor: { retentionEnabled: true, compactionInterval: '10m', retentionDeleteDelay: '2h' },
      limits: this.limitsModel(this.props.limits, true),
      frontend: distributed
        ? { schedulerAddress: this.service('query-scheduler').address('grpc'), tailProxyUrl: this.service('querier').url('http') }
        : undefined,
      frontendWorker: distributed ? { schedulerAddress: this.service('query-scheduler').address('grpc') } : undefined,
      querier: { maxConcurrent: this.profileSpec.maxConcurrent },
      caches: { resultsCacheMb: this.profileSpec.resultsCacheMb, chunkCacheMb: this.profileSpec.chunkCacheMb },
      ruler: { localDirectory: '/etc/loki/rules', alertmanagerUrl: this.props.alertmanager?.alertmanagerUrl },
      runtimeConfigFile: '/etc/loki/runtime.yaml',
    };
    return deepMerge(renderLokiConfig(model), this.overrides);
  }

  private renderRuntime(): any {
    const overrides: Record<string, any> = {};
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

  private monitoring(labels: Record<string, string>): void {
    const extra = this.props.monitoringLabels ?? {};
    // Every Service that fronts pods exactly once carries SCRAPE_LABEL=true (the memberlist and the
    // monolithic headless Services do not, so no pod is scraped twice).
    new ServiceMonitor(this, 'ServiceMonitor', {
      name: this.name,
      namespace: this.namespace,
      labels: { ...labels, ...extra },
      selector: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': this.name, [SCRAPE_LABEL]: 'true' },
      endpoints: [{ port: HTTP.name, path: '/metrics', interval: Duration.seconds(30) }],
    });
    new PrometheusRule(this, 'Alerts', {
      name: `${this.name}-alerts`,
      namespace: this.namespace,
      metadataLabels: { ...extra },
      groups: [{
        name: 'loki',
        alerts: lokiAlerts(this.namespace, this.name),
      }],
    });
  }
}
