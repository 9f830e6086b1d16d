import { ApiObject, Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { mimirAlerts, mimirRulerAlerts } from './alerts';
import { MIMIR_CONFIG_VERSION, MIMIR_DATA, MIMIR_PORTS, MimirYaml, renderMimirConfig } from './config';
import {
  MIMIR_ALERTMANAGER_FALLBACK, MIMIR_ALERTMANAGER_PREFIX, MIMIR_ALERTMANAGER_VOLUME, MIMIR_RULES_DIR, MimirAlertmanagerOptions,
  mimirAlertmanagerFallback, mimirAlertmanagerSecrets, MimirRuleGroupProps, MimirRulerOptions, MimirRulerSetup, optionalTargetReplicas,
} from './ruler';
import { MimirLimits, MimirSizing, MimirTargetSize, MimirWorkload } from './sizing';
import { MimirTenancy, validateMimirTenantId } from './tenancy';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { goDuration, requireAtLeast } from '../core/duration';
import { fail, show } from '../core/errors';
import { Images, imageVersion } from '../core/images';
import { DatasourceInfo, DatasourceKind, IMetricsStore } from '../core/interfaces';
import { kubeService, PortSpec, ServiceRef } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { KubeStatefulSetWithClaims, objectMeta } from '../core/objects';
import { emptyDirVolume, httpGetProbe, kubeContainer, volumeClaim, zoneSpreadConstraints } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { PrometheusRule, RuleGroup } from '../rules/prometheus-rule';
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorage } from '../storage/object-storage';

/** How Mimir runs. */
export enum MimirMode {
  /** One StatefulSet running every target (`-target=all`), on a PVC (development) or object storage. */
  MONOLITHIC = 'monolithic',
  /**
   * The classic architecture (no Kafka): distributor, ingester (optionally zone-aware), querier,
   * query-frontend, query-scheduler, store-gateway and compactor as separate workloads, joined by a
   * memberlist ring over a headless Service. Object storage required.
   */
  DISTRIBUTED = 'distributed',
}

/** Replicas per target in Distributed mode (each defaults to the sizing's value). */
export interface MimirReplicas {
  /** @default - from the sizing */
  readonly distributor?: number;
  /** @default - from the sizing (a multiple of 3) */
  readonly ingester?: number;
  /** @default - from the sizing */
  readonly querier?: number;
  /** @default - from the sizing */
  readonly queryFrontend?: number;
  /** @default - from the sizing */
  readonly queryScheduler?: number;
  /** @default - from the sizing */
  readonly storeGateway?: number;
  /** @default - from the sizing */
  readonly compactor?: number;
}

/** Props of {@link Mimir}. */
export interface MimirProps extends ComponentProps {
  /** @default MimirMode.MONOLITHIC */
  readonly mode?: MimirMode;
  /**
   * Where blocks and rules live. Distributed mode requires object storage.
   * @default ObjectStorage.filesystem({ size: Size.gibibytes(10) })
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * Tenancy; decides `multitenancy_enabled` and the `X-Scope-OrgID` every writer and Grafana send.
   * @default MimirTenancy.single()
   */
  readonly tenancy?: MimirTenancy;
  /**
   * The workload Mimir is sized for: replicas, requests and limits, PVC sizes and tenant limits are
   * derived from it (`MimirSizing`).
   * @default - 1,000,000 active series in Distributed mode (the published small layout), 200,000 in Monolithic mode
   */
  readonly workload?: MimirWorkload;
  /**
   * Replicas per target (Distributed mode), over the sizing.
   * @default - the sizing's replicas
   */
  readonly targetReplicas?: MimirReplicas;
  /**
   * Replication factor of the ingester ring. At most the number of ingesters (and of zones).
   * @default 1 (Monolithic) / 3 (Distributed)
   */
  readonly replicationFactor?: number;
  /**
   * Zone-aware replication of the ingesters: one StatefulSet per zone, replicas of a series in
   * different zones, ingesters of different zones never on the same node. At least 3 zones.
   * @default - not zone-aware
   */
  readonly ingesterZones?: string[];
  /**
   * Default per-tenant limits, over the sizing's.
   * @default - the sizing's limits (never the upstream 150,000 series when the workload is larger)
   */
  readonly limits?: MimirLimits;
  /**
   * How long blocks are kept (`compactor_blocks_retention_period`), at least 24h.
   * @default Duration.days(15) with filesystem storage, Duration.days(365) with object storage
   */
  readonly retention?: Duration;
  /**
   * Grafana datasource UID.
   * @default 'mimir'
   */
  readonly datasourceUid?: string;
  /**
   * Run Mimir's ruler for rule groups added with `addRuleGroup` (rules rendered into one ConfigMap per
   * tenant, read with `ruler_storage.backend: local`). Monolithic: the ruler of `-target=all`;
   * Distributed: a `ruler` Deployment.
   * @default - no rule groups can be added (Monolithic's `-target=all` still runs an idle ruler)
   */
  readonly ruler?: MimirRulerOptions;
  /**
   * Run Mimir's own multi-tenant Alertmanager (Monolithic: `-target=all,alertmanager`; Distributed: an
   * `alertmanager` StatefulSet). The ruler sends its alerts to it unless `ruler.alertmanager` is set.
   * @default - not run
   */
  readonly alertmanager?: MimirAlertmanagerOptions;
}

const HTTP: PortSpec = { name: 'http', port: MIMIR_PORTS.http };
const GRPC: PortSpec = { name: 'grpc', port: MIMIR_PORTS.grpc };
const MEMBERLIST: PortSpec = { name: 'tcp-memberlist', port: MIMIR_PORTS.memberlist };
/** Services with this label set to `true` are scraped (each pod through exactly one Service). */
const SCRAPE_LABEL = 'lgtm.cdk8s.io/scrape';
/** The pod label of an ingester's zone (zone-aware replication). */
const ZONE_LABEL = 'lgtm.cdk8s.io/zone';
/** The image runs as this user (the mimir-distributed chart's securityContext). */
const MIMIR_UID = 10001;
/** The targets that read or write the bucket. */
const STORAGE_TARGETS = new Set(['all', 'ingester', 'querier', 'store-gateway', 'compactor', 'ruler', 'alertmanager']);
const ZONE_NAME = /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/;

/** One Mimir target and how it runs. Internal. */
interface TargetSpec {
  /** `-target=` value. */
  readonly target: string;
  /** Object-name suffix (the target, or `ingester-<zone>`). */
  readonly suffix: string;
  readonly stateful: boolean;
  readonly size: MimirTargetSize;
  /** The Service governing the StatefulSet's pod DNS. */
  readonly governingService?: ServiceRef;
  readonly terminationGracePeriodSeconds: number;
  readonly zone?: string;
  readonly extraArgs?: string[];
  /** Extra volumes and mounts (the rule ConfigMaps of the ruler). */
  readonly volumes?: k8s.Volume[];
  readonly volumeMounts?: k8s.VolumeMount[];
}

/**
 * Grafana Mimir 3.1.1, long-term metrics storage: Monolithic (`-target=all`, a PVC or object storage) or
 * Distributed in the classic architecture (distributor, ingester optionally zone-aware, querier,
 * query-frontend, query-scheduler, store-gateway, compactor; memberlist over a headless Service;
 * PDBs; ingesters given 20 minutes to shut down). A typed `mimir.yaml` rendered at synth into a
 * ConfigMap whose hash rolls the pods; sizing from the expected active series (`workload`); explicit
 * tenancy; its own ServiceMonitor and alerts.
 *
 * Implements `IRemoteWriteTarget` (`prometheus.addRemoteWrite(mimir)`, Alloy and the OpenTelemetry
 * Collector as `metricsTarget`: the push URL and tenant header are read from it) and
 * `IDatasourceProvider` (`grafana.addDatasource(mimir)`: a Prometheus-type datasource at `/prometheus`).
 *
 * Shared props (`ComponentProps`): `replicas` (Monolithic only, 1), `storage` (PVC class, and size of the
 * Monolithic pod and of each ingester), `resources` (the Monolithic pod).
 */
export class Mimir extends Component implements IMetricsStore {
  /** The Mimir version the config is rendered for. */
  public static readonly VERSION = MIMIR_CONFIG_VERSION;

  /** Mode. */
  public readonly mode: MimirMode;
  /** The sizing replicas, resources, PVCs and limits were derived from. */
  public readonly sizing: MimirSizing;
  /** Replication factor of the ingester ring. */
  public readonly replicationFactor: number;
  /** Ingester zones (empty: not zone-aware). */
  public readonly ingesterZones: string[];
  /** Ingesters in total (over every zone). */
  public readonly ingesters: number;
  /** The tenant writers and Grafana send as `X-Scope-OrgID`. @default - tenancy off, no header */
  public readonly tenantId?: string;
  /** The config files (`mimir.yaml`). */
  public readonly config: ConfigFiles;
  /** The headless Service memberlist joins (every pod of this Mimir). */
  public readonly memberlistService: ServiceRef;
  /** The Service writers push to (Monolithic Service or distributor; the same as `service`). */
  public readonly writeService: ServiceRef;
  /** The Service Grafana queries (Monolithic Service or query-frontend). */
  public readonly readService: ServiceRef;
  /** Every Service emitted. */
  public readonly services: ServiceRef[] = [];
  /** Every workload (one StatefulSet in Monolithic mode, one per target and zone in Distributed mode). */
  public readonly workloads: ApiObject[] = [];
  /** Every PodDisruptionBudget (one per target in Distributed mode, all ingester zones sharing one). */
  public readonly podDisruptionBudgets: k8s.KubePodDisruptionBudget[] = [];
  /** The Service of the ruler (Distributed mode; Monolithic: the main Service). @default - no ruler */
  public readonly rulerService?: ServiceRef;
  /** The Service of Mimir's own Alertmanager (Monolithic: the main Service). @default - not run */
  public readonly alertmanagerService?: ServiceRef;

  private readonly props: MimirProps;
  private readonly tenancy: MimirTenancy;
  private readonly binding: ObjectStorageBinding;
  private readonly retention: Duration;
  private readonly limits: Required<MimirLimits>;
  private readonly storeGateways: number;
  private schedulerService?: ServiceRef;
  private readonly rulerSetup?: MimirRulerSetup;

  constructor(scope: Construct, id: string, props: MimirProps = {}) {
    super(scope, id, props, { appName: 'mimir', name: 'mimir', image: Images.MIMIR, nameMaxLength: 30 });
    this.props = props;
    // resolve and validate
    this.mode = props.mode ?? MimirMode.MONOLITHIC;
    const distributed = this.mode === MimirMode.DISTRIBUTED;
    this.tenancy = props.tenancy ?? MimirTenancy.single();
    if (this.tenancy.multitenancyEnabled) validateMimirTenantId(this, 'tenancy', this.tenancy.tenantId as string);
    this.tenantId = this.tenancy.tenantId;
    this.sizing = MimirSizing._compute(this, 'workload', props.workload ?? { activeSeries: distributed ? 1_000_000 : 200_000 });
    const storage = props.objectStorage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) });
    this.validateMode(storage);
    this.binding = storage._bind(this);
    this.retention = props.retention ?? Duration.days(storage.isFilesystem ? 15 : 365);
    requireAtLeast(this, 'retention', this.retention, Duration.hours(24), 'Mimir compacts blocks into 24h ranges; a shorter retention deletes blocks before they are compacted');
    this.ingesterZones = this.validateZones(props.ingesterZones);
    this.ingesters = distributed ? this.zoneRounded(this.replicaCount('ingester')) : 1;
    this.replicationFactor = this.resolveReplicationFactor();
    this.storeGateways = distributed ? this.replicaCount('storeGateway') : 1;
    this.limits = this.resolveLimits(props.limits);

    // render
    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('mimir.yaml', () => this.renderConfig());
    const amSecrets = props.alertmanager ? mimirAlertmanagerSecrets(this, props.alertmanager) : undefined;
    if (props.alertmanager) this.config._addYaml(MIMIR_ALERTMANAGER_FALLBACK, () => mimirAlertmanagerFallback(props.alertmanager!));
    if (props.ruler) {
      const names = { name: this.name, namespace: this.namespace, labels: this.labels };
      this.rulerSetup = new MimirRulerSetup(this, props.ruler, this.tenancy, names, () => this.rulerAlertmanagerUrl);
    }
    if (!distributed) {
      optionalTargetReplicas(this, 'ruler.replicas', props.ruler?.replicas, 1, false);
      optionalTargetReplicas(this, 'alertmanager.replicas', props.alertmanager?.replicas, 1, false);
      if (props.alertmanager?.storage) {
        fail(this, {
          problem: "'alertmanager.storage' needs Distributed mode (Monolithic keeps the Alertmanager's data on its one PVC)",
          received: show(props.alertmanager.storage),
          expected: "mode: MimirMode.DISTRIBUTED, or the Monolithic pod's 'storage'",
          fix: "drop 'alertmanager.storage', or use mode: MimirMode.DISTRIBUTED with object storage",
        });
      }
    }
    this._addServiceAccount(false, this.binding.serviceAccountAnnotations);
    this.memberlistService = this.addTargetService('Memberlist', `${this.name}-gossip-ring`, undefined, [MEMBERLIST], { headless: true, publishNotReady: true, scrape: false });
    const targets = distributed ? this.distributedTargets(amSecrets) : this.monolithicTargets(amSecrets);
    for (const t of targets) this.workloads.push(this.renderTarget(t));
    this._setWorkload(this.workloads[0]);
    this.writeService = this.service;
    this.readService = distributed ? this.services.find((s) => s.name === `${this.name}-query-frontend`)! : this.service;
    this.rulerService = props.ruler ? (distributed ? this.serviceNamed(`${this.name}-ruler`) : this.service) : undefined;
    this.alertmanagerService = props.alertmanager ? (distributed ? this.serviceNamed(`${this.name}-alertmanager`) : this.service) : undefined;
    // Every Service that fronts pods exactly once carries SCRAPE_LABEL=true (the gossip Service does
    // not, so no pod is scraped twice).
    this._addSelfMonitoring({
      port: HTTP.name,
      interval: Duration.seconds(30),
      serviceSelector: { 'app.kubernetes.io/name': 'mimir', 'app.kubernetes.io/instance': this.name, [SCRAPE_LABEL]: 'true' },
      alertGroup: 'mimir',
      alerts: () => mimirAlerts(this.namespace, this.name),
    });
    if ((props.serviceMonitor ?? true) && (props.ruler || props.alertmanager)) this.rulerMonitoring();
  }

  /** The remote-write (push) URL: `/api/v1/push` on the write-path Service. */
  public get remoteWriteUrl(): string {
    return this.writeService.url(HTTP.name, 'http', '/api/v1/push');
  }

  /** The tenant writers send as `X-Scope-OrgID` (multi-tenancy only). */
  public get remoteWriteTenantId(): string | undefined {
    return this.tenancy.tenantId;
  }

  /** The Prometheus-compatible query URL (`/prometheus` on the read-path Service). */
  public get queryUrl(): string {
    return this.readService.url(HTTP.name, 'http', '/prometheus');
  }

  /** The Grafana datasource (Prometheus type, Mimir flavour), computed from the read-path Service. */
  public get datasourceInfo(): DatasourceInfo {
    return {
      kind: DatasourceKind.PROMETHEUS,
      name: 'Mimir',
      uid: this.props.datasourceUid ?? 'mimir',
      url: this.queryUrl,
      serviceName: this.readService.name,
      serviceNamespace: this.readService.namespace,
      servicePort: HTTP.port,
      tenantId: this.tenancy.tenantId,
      implementation: 'mimir',
    };
  }

  /** The API base URL of Mimir's own Alertmanager (`/alertmanager`). @default - not run */
  public get alertmanagerUrl(): string | undefined {
    return this.alertmanagerService?.url(HTTP.name, 'http', MIMIR_ALERTMANAGER_PREFIX);
  }

  /** The Alertmanager the ruler sends alerts to: `ruler.alertmanager`, else Mimir's own. @default - none */
  public get rulerAlertmanagerUrl(): string | undefined {
    return this.props.ruler?.alertmanager?.alertmanagerUrl ?? this.alertmanagerUrl;
  }

  /**
   * Adds a rule group evaluated by Mimir's ruler for one tenant (`tenant`, default: the default tenant).
   * The group is validated like every `PrometheusRule` group (PromQL parsed and type-checked, names,
   * durations, duplicates) and rendered into the tenant's rule ConfigMap; no PrometheusRule object is
   * emitted, so the in-cluster Prometheus does not evaluate it too.
   */
  public addRuleGroup(group: MimirRuleGroupProps): RuleGroup {
    if (group === null || typeof group !== 'object') {
      fail(this, {
        problem: 'addRuleGroup needs a rule group',
        received: show(group),
        expected: '{ name, alerts?, recordingRules?, tenant?, ruleNamespace? }',
        fix: "pass the group's props, e.g. { name: 'http', alerts: [...] }",
      });
    }
    if (!this.rulerSetup) {
      fail(this, {
        problem: `rule group '${group?.name}' targets the Mimir ruler, which this Mimir does not run`,
        received: 'MimirProps without ruler',
        expected: 'MimirProps.ruler set (e.g. ruler: {}), with an Alertmanager for alerting rules',
        fix: 'pass ruler: {} (and alertmanager: { defaultReceiver } or ruler: { alertmanager }) to the Mimir, or add the group to a PrometheusRule evaluated by Prometheus',
      });
    }
    return this.rulerSetup.addGroup(group);
  }

  /** The rule file of one tenant and ruler namespace (`{ groups }`, as `promtool check rules` reads it). */
  public ruleFile(tenant: string, ruleNamespace: string): any {
    return this.rulerSetup?.ruleFile(tenant, ruleNamespace) ?? { groups: [] };
  }

  // ---------------------------------------------------------------------------------------------------

  private serviceNamed(name: string): ServiceRef {
    return this.services.find((s) => s.name === name)!;
  }

  private validateMode(storage: ObjectStorage): void {
    const distributed = this.mode === MimirMode.DISTRIBUTED;
    if (distributed && storage.isFilesystem) {
      fail(this, {
        problem: 'Distributed mode needs object storage: filesystem blocks are local to one pod',
        received: 'ObjectStorage.filesystem(...)',
        expected: 'ObjectStorage.s3(...), .gcs(...) or .azure(...) (e.g. an in-cluster SeaweedFs(...).toObjectStorage())',
        fix: "pass 'objectStorage', or use mode: MimirMode.MONOLITHIC for filesystem storage",
      });
    }
    const replicas = this.props.replicas;
    if (replicas !== undefined && (distributed || replicas !== 1)) {
      fail(this, {
        problem: `'replicas' does not apply to ${this.mode} mode`,
        received: show(replicas),
        expected: distributed ? "'targetReplicas' per target" : '1 (one monolithic pod)',
        fix: distributed ? "set 'targetReplicas' (e.g. { ingester: 6 }) or give a larger 'workload'" : 'use mode: MimirMode.DISTRIBUTED (with object storage) to scale out',
      });
    }
    if (!distributed && (this.props.targetReplicas || this.props.ingesterZones)) {
      fail(this, {
        problem: `'${this.props.targetReplicas ? 'targetReplicas' : 'ingesterZones'}' needs Distributed mode`,
        received: show(this.props.targetReplicas ?? this.props.ingesterZones),
        expected: 'mode: MimirMode.DISTRIBUTED',
        fix: 'set mode: MimirMode.DISTRIBUTED with object storage, or drop the prop',
      });
    }
  }

  private validateZones(zones: string[] | undefined): string[] {
    if (zones === undefined) return [];
    const distinct = [...new Set(zones)];
    if (distinct.length < 3 || distinct.length !== zones.length) {
      fail(this, {
        problem: distinct.length !== zones.length ? "'ingesterZones' repeats a zone" : `zone-aware replication needs at least 3 zones, got ${distinct.length}`,
        received: show(zones),
        expected: "at least 3 distinct zone names, e.g. ['zone-a', 'zone-b', 'zone-c'] (one replica of each series per zone)",
        fix: "give 3 zones, or leave 'ingesterZones' unset for replication without zones",
      });
    }
    for (const z of zones) {
      if (!ZONE_NAME.test(z)) {
        fail(this, {
          problem: "'ingesterZones' has an invalid zone name",
          received: show(z),
          expected: 'lowercase letters, digits and -, at most 20 characters (it becomes part of object names)',
          fix: "use names such as 'zone-a'",
        });
      }
    }
    return zones;
  }

  /** Ingesters rounded up to fill every zone evenly. */
  private zoneRounded(n: number): number {
    const z = this.ingesterZones.length;
    return z === 0 ? n : Math.ceil(n / z) * z;
  }

  private replicaCount(key: keyof MimirReplicas): number {
    const n = this.props.targetReplicas?.[key] ?? this.sizing[key].replicas;
    if (!Number.isInteger(n) || n < 1) {
      fail(this, {
        problem: `'targetReplicas.${key}' must be a positive integer`,
        received: show(n),
        expected: 'an integer >= 1',
        fix: `set targetReplicas.${key} to 1 or more, or leave it to the sizing`,
      });
    }
    return n;
  }

  private resolveReplicationFactor(): number {
    const distributed = this.mode === MimirMode.DISTRIBUTED;
    const zones = this.ingesterZones.length;
    const rf = this.props.replicationFactor ?? (distributed ? Math.min(3, this.ingesters) : 1);
    const max = zones > 0 ? Math.min(this.ingesters, zones) : this.ingesters;
    if (!Number.isInteger(rf) || rf < 1 || rf > max) {
      fail(this, {
        problem: `'replicationFactor' (${show(rf)}) must be between 1 and the number of ingesters (${this.ingesters})${zones > 0 ? ` and of zones (${zones})` : ''}`,
        received: show(rf),
        expected: `an integer from 1 to ${max}`,
        fix: distributed
          ? `raise 'targetReplicas.ingester' to at least ${rf}, or lower 'replicationFactor'`
          : 'Monolithic mode runs one ingester: leave replicationFactor unset, or use mode: MimirMode.DISTRIBUTED',
      });
    }
    return rf;
  }

  private resolveLimits(l: MimirLimits | undefined): Required<MimirLimits> {
    const s = this.sizing.limits;
    const out = {
      maxGlobalSeriesPerUser: l?.maxGlobalSeriesPerUser ?? s.maxGlobalSeriesPerUser!,
      ingestionRate: l?.ingestionRate ?? s.ingestionRate!,
      ingestionBurstSize: l?.ingestionBurstSize ?? Math.max(s.ingestionBurstSize!, l?.ingestionRate ?? 0),
    };
    for (const [k, v] of Object.entries(out)) {
      if (!Number.isInteger(v) || v <= 0) {
        fail(this, { problem: `'limits.${k}' must be a positive integer`, received: show(v), expected: 'an integer > 0', fix: `set limits.${k} to a positive value or leave it to the sizing` });
      }
    }
    if (out.ingestionBurstSize < out.ingestionRate) {
      fail(this, {
        problem: "'limits.ingestionBurstSize' is smaller than 'limits.ingestionRate'",
        received: `burst ${out.ingestionBurstSize}, rate ${out.ingestionRate}`,
        expected: 'burst >= rate (samples)',
        fix: 'raise the burst (10x the rate is a common choice)',
      });
    }
    return out;
  }

  private addTargetService(
    id: string, name: string, component: string | undefined, ports: PortSpec[],
    opts: { headless?: boolean; publishNotReady?: boolean; scrape?: boolean; main?: boolean },
  ): ServiceRef {
    const idn = { name: 'mimir', instance: this.name, component };
    const options = {
      id,
      name,
      labels: { ...standardLabels(idn), [SCRAPE_LABEL]: opts.scrape === false ? 'false' : 'true' },
      selector: selectorLabels(idn),
      ports,
      headless: opts.headless,
      publishNotReadyAddresses: opts.publishNotReady,
    };
    const ref = opts.main ? this._addService(options) : kubeService(this, id, { ...options, namespace: this.namespace });
    this.services.push(ref);
    return ref;
  }

  private monolithicTargets(amSecrets?: { volumes: k8s.Volume[]; volumeMounts: k8s.VolumeMount[] }): TargetSpec[] {
    this.addTargetService('Service', this.name, undefined, [HTTP, GRPC], { main: true });
    const fs = this.binding.filesystem;
    const volumeGi = this.props.storage?.size || !fs ? this._storage(this.sizing.ingester.volume!).sizeGi : fs.sizeGi;
    return [{
      target: 'all',
      suffix: '',
      stateful: true,
      size: { replicas: 1, resources: this._resources(this.sizing.ingester.resources), volume: Size.gibibytes(volumeGi) },
      governingService: this.memberlistService,
      // the ingester in the pod flushes its head and leaves the ring on shutdown
      terminationGracePeriodSeconds: 1200,
      volumes: [...(this.rulerSetup?.volumes() ?? []), ...(amSecrets?.volumes ?? [])],
      volumeMounts: [...(this.rulerSetup?.volumeMounts() ?? []), ...(amSecrets?.volumeMounts ?? [])],
    }];
  }

  private distributedTargets(amSecrets?: { volumes: k8s.Volume[]; volumeMounts: k8s.VolumeMount[] }): TargetSpec[] {
    const n = this.name;
    const ports = [HTTP, GRPC];
    const s = this.sizing;
    const size = (key: keyof MimirReplicas, base: MimirTargetSize, replicas?: number): MimirTargetSize =>
      ({ ...base, replicas: replicas ?? this.replicaCount(key) });
    this.addTargetService('Distributor', `${n}-distributor`, 'distributor', ports, { main: true });
    const ingesterSvc = this.addTargetService('Ingester', `${n}-ingester-headless`, 'ingester', ports, { headless: true });
    this.addTargetService('Querier', `${n}-querier`, 'querier', ports, {});
    this.addTargetService('QueryFrontend', `${n}-query-frontend`, 'query-frontend', ports, {});
    // headless: frontends and queriers resolve every scheduler address and connect to each
    this.schedulerService = this.addTargetService('QueryScheduler', `${n}-query-scheduler-headless`, 'query-scheduler', ports, { headless: true, publishNotReady: true });
    const storeGatewaySvc = this.addTargetService('StoreGateway', `${n}-store-gateway-headless`, 'store-gateway', ports, { headless: true });
    const compactorSvc = this.addTargetService('Compactor', `${n}-compactor-headless`, 'compactor', ports, { headless: true });
    const optional: TargetSpec[] = [];
    if (this.rulerSetup) {
      this.addTargetService('Ruler', `${n}-ruler`, 'ruler', ports, {});
      // the ruler evaluates queries with an internal querier: a querier's size
      const replicas = optionalTargetReplicas(this, 'ruler.replicas', this.props.ruler?.replicas, 2, true);
      optional.push({
        target: 'ruler',
        suffix: 'ruler',
        stateful: false,
        size: { ...s.querier, replicas },
        terminationGracePeriodSeconds: 180,
        volumes: this.rulerSetup.volumes(),
        volumeMounts: this.rulerSetup.volumeMounts(),
      });
    }
    if (this.props.alertmanager) {
      this.addTargetService('Alertmanager', `${n}-alertmanager`, 'alertmanager', ports, {});
      const amGoverning = this.addTargetService('AlertmanagerHeadless', `${n}-alertmanager-headless`, 'alertmanager', ports, { headless: true, publishNotReady: true, scrape: false });
      const replicas = optionalTargetReplicas(this, 'alertmanager.replicas', this.props.alertmanager.replicas, 3, true);
      optional.push({
        target: 'alertmanager',
        suffix: 'alertmanager',
        stateful: true,
        size: { replicas, resources: ResourcePreset.SMALL, volume: this.alertmanagerVolume().size },
        governingService: amGoverning,
        terminationGracePeriodSeconds: 60,
        volumes: amSecrets?.volumes,
        volumeMounts: amSecrets?.volumeMounts,
      });
    }

    const ingesterStorage = this.props.storage?.size ? this._storage(s.ingester.volume!).size : s.ingester.volume!;
    const ingesterSize = { ...s.ingester, volume: ingesterStorage };
    const zones = this.ingesterZones;
    const ingesters: TargetSpec[] = zones.length === 0
      ? [{ target: 'ingester', suffix: 'ingester', stateful: true, size: { ...ingesterSize, replicas: this.ingesters }, governingService: ingesterSvc, terminationGracePeriodSeconds: 1200 }]
      : zones.map((z) => ({
        target: 'ingester',
        suffix: `ingester-${z}`,
        stateful: true,
        size: { ...ingesterSize, replicas: this.ingesters / zones.length },
        governingService: ingesterSvc,
        terminationGracePeriodSeconds: 1200,
        zone: z,
        extraArgs: [`-ingester.ring.instance-availability-zone=${z}`],
      }));
    return [
      { target: 'distributor', suffix: 'distributor', stateful: false, size: size('distributor', s.distributor), terminationGracePeriodSeconds: 60 },
      ...ingesters,
      { target: 'querier', suffix: 'querier', stateful: false, size: size('querier', s.querier), terminationGracePeriodSeconds: 180 },
      { target: 'query-frontend', suffix: 'query-frontend', stateful: false, size: size('queryFrontend', s.queryFrontend), terminationGracePeriodSeconds: 180 },
      { target: 'query-scheduler', suffix: 'query-scheduler', stateful: false, size: size('queryScheduler', s.queryScheduler), terminationGracePeriodSeconds: 180 },
      { target: 'store-gateway', suffix: 'store-gateway', stateful: true, size: size('storeGateway', s.storeGateway, this.storeGateways), governingService: storeGatewaySvc, terminationGracePeriodSeconds: 120 },
      { target: 'compactor', suffix: 'compactor', stateful: true, size: size('compactor', s.compactor), governingService: compactorSvc, terminationGracePeriodSeconds: 900 },
      ...optional,
    ];
  }

  /** Renders the StatefulSet or Deployment of one target (and, in Distributed mode, its PodDisruptionBudget). */
  private renderTarget(t: TargetSpec): ApiObject {
    const distributed = this.mode === MimirMode.DISTRIBUTED;
    const component = distributed ? t.target : undefined;
    const idn = { name: 'mimir', instance: this.name, component, version: imageVersion(this.image) };
    const zoneLabels: Record<string, string> = t.zone ? { [ZONE_LABEL]: t.zone } : {};
    const selector = { ...selectorLabels(idn), ...zoneLabels };
    const labels = { ...standardLabels(idn), ...zoneLabels, ...this.binding.podLabels };
    const objName = t.suffix ? `${this.name}-${t.suffix}` : this.name;
    // Mimir's Alertmanager is not part of `all`
    const targetFlag = t.target === 'all' && this.props.alertmanager ? 'all,alertmanager' : t.target;
    const args = ['-config.file=/etc/mimir/mimir.yaml', `-target=${targetFlag}`, ...(t.extraArgs ?? [])];
    if (this.binding.expandEnv) args.push('-config.expand-env=true');
    const volumes: k8s.Volume[] = [
      { name: 'config', configMap: { name: this.config.name } },
      emptyDirVolume('tmp', '1Gi'),
      ...(this.binding.volumes as k8s.Volume[]),
      ...(t.volumes ?? []),
    ];
    if (!t.stateful) volumes.push(emptyDirVolume('data', '5Gi'));
    const template = this._podTemplate({
      labels,
      annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
      securityContext: restrictedPodSecurityContext(MIMIR_UID, MIMIR_UID),
      containers: [kubeContainer({
        name: 'mimir',
        image: this.image,
        args,
        // only the targets that open the bucket read its credentials
        env: STORAGE_TARGETS.has(t.target) ? this.binding.env as k8s.EnvVar[] : undefined,
        ports: [HTTP, GRPC, MEMBERLIST],
        resources: t.size.resources,
        readinessProbe: httpGetProbe('/ready', HTTP.name, { initialDelaySeconds: t.target === 'ingester' || t.target === 'all' ? 60 : 15 }),
        volumeMounts: [
          { name: 'config', mountPath: '/etc/mimir', readOnly: true },
          { name: 'data', mountPath: MIMIR_DATA },
          { name: 'tmp', mountPath: '/tmp' },
          ...(this.binding.volumeMounts as k8s.VolumeMount[]),
          ...(t.volumeMounts ?? []),
        ],
      })],
      volumes,
      terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
      affinity: distributed ? this.affinity(t, selector) : undefined,
      topologySpreadConstraints: distributed ? zoneSpreadConstraints(selector) : undefined,
    });
    const metadata = objectMeta({ name: objName, namespace: this.namespace, labels: { ...standardLabels(idn), ...zoneLabels } });
    const sid = t.suffix || 'all';
    let workload: ApiObject;
    if (t.stateful) {
      const sizeGi = Math.ceil(t.size.volume!.toGibibytes());
      workload = new KubeStatefulSetWithClaims(this, `${sid}-StatefulSet`, {
        metadata,
        spec: {
          serviceName: t.governingService!.name,
          replicas: t.size.replicas,
          // ingesters restart one by one (each leaves the ring before the next stops); others in parallel
          podManagementPolicy: t.target === 'ingester' || t.target === 'all' ? 'OrderedReady' : 'Parallel',
          updateStrategy: { type: 'RollingUpdate' },
          selector: { matchLabels: selector },
          template,
          volumeClaimTemplates: [volumeClaim('data', sizeGi, t.target === 'alertmanager'
            ? this.alertmanagerVolume().storageClassName
            : this.props.storage?.storageClassName ?? this.binding.filesystem?.storageClass)],
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        },
      });
    } else {
      workload = new k8s.KubeDeployment(this, `${sid}-Deployment`, {
        metadata,
        spec: {
          replicas: t.size.replicas,
          selector: { matchLabels: selector },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
          template,
        },
      });
    }
    // one PDB per target; the ingester zones share one, so at most one ingester in all zones is disrupted
    const firstZone = !t.zone || t.zone === this.ingesterZones[0];
    if (distributed && firstZone && (this.props.podDisruptionBudget ?? true)) {
      const pdbSelector = selectorLabels(idn);
      this.podDisruptionBudgets.push(new k8s.KubePodDisruptionBudget(this, `${t.target}-PDB`, {
        metadata: objectMeta({ name: `${this.name}-${t.target}`, namespace: this.namespace, labels: standardLabels(idn) }),
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: pdbSelector } },
      }));
    }
    return workload;
  }

  /** Soft anti-affinity across nodes; ingesters of different zones never share a node. */
  private affinity(t: TargetSpec, selector: Record<string, string>): k8s.Affinity {
    const soft: k8s.WeightedPodAffinityTerm = { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' } };
    if (!t.zone) return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [soft] } };
    const ingesterSelector = selectorLabels({ name: 'mimir', instance: this.name, component: 'ingester' });
    return {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [soft],
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: ingesterSelector, matchExpressions: [{ key: ZONE_LABEL, operator: 'NotIn', values: [t.zone] }] },
          topologyKey: 'kubernetes.io/hostname',
        }],
      },
    };
  }

  private renderConfig(): MimirYaml {
    const distributed = this.mode === MimirMode.DISTRIBUTED;
    return renderMimirConfig({
      multitenancy: this.tenancy.multitenancyEnabled,
      logLevel: 'info',
      storage: this.binding,
      memberlistJoin: `dns+${this.memberlistService.address(MEMBERLIST.name)}`,
      memberlistClusterLabel: `${this.namespace}.${this.name}`,
      replicationFactor: this.replicationFactor,
      zoneAware: this.ingesterZones.length > 0,
      storeGatewayReplicationFactor: Math.min(3, this.storeGateways),
      schedulerAddress: distributed ? this.schedulerService!.address(GRPC.name) : undefined,
      limits: { ...this.limits, retention: goDuration(this.retention) },
      ruler: this.rulerSetup ? {
        rulesDirectory: MIMIR_RULES_DIR,
        pollInterval: '1m',
        evaluationInterval: goDuration(this.rulerSetup.evaluationInterval),
        alertmanagerUrl: this.rulerAlertmanagerUrl,
      } : undefined,
      alertmanager: this.props.alertmanager ? {
        dataDir: `${MIMIR_DATA}/alertmanager-data`,
        externalUrl: this.alertmanagerUrl!,
        fallbackConfigFile: `/etc/mimir/${MIMIR_ALERTMANAGER_FALLBACK}`,
        replicationFactor: distributed ? Math.min(3, this.props.alertmanager.replicas ?? 3) : 1,
      } : undefined,
    });
  }

  /** The PVC of each Alertmanager pod (`alertmanager.storage`). */
  private alertmanagerVolume(): { size: Size; storageClassName?: string } {
    const st = this.props.alertmanager?.storage;
    const size = st?.size ?? MIMIR_ALERTMANAGER_VOLUME;
    const gi = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!(gi >= 1) || !Number.isInteger(gi)) {
      fail(this, {
        problem: "'alertmanager.storage.size' must be a whole number of GiB, at least 1",
        received: `${size.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`,
        expected: 'e.g. Size.gibibytes(1)',
        fix: 'pass a whole number of gibibytes, or leave it unset (1Gi)',
      });
    }
    return { size, storageClassName: st?.storageClassName };
  }

  /** Alerts of the ruler and of Mimir's Alertmanager (a PrometheusRule of their own). */
  private rulerMonitoring(): void {
    new PrometheusRule(this, 'RulerAlerts', {
      name: `${this.name}-ruler-alerts`,
      namespace: this.namespace,
      metadataLabels: { ...(this.props.serviceMonitorLabels ?? {}) },
      groups: [{ name: 'mimir-ruler', alerts: mimirRulerAlerts(this.namespace, this.name, !!this.props.ruler, !!this.props.alertmanager) }],
    });
  }
}
