import { ApiObject, Duration, Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { tempoAlerts } from './alerts';
import { renderTempoConfig, TEMPO_CONFIG_VERSION, TEMPO_DATA, TEMPO_PORTS, TempoMetricsGeneratorModel, TempoYaml } from './config';
import { TempoSizing, TempoWorkload } from './sizing';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { serviceDatasource } from '../core/datasource';
import { goDuration, requireAtLeast } from '../core/duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { Images } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, IRemoteWriteTarget, ITracesBackend } from '../core/interfaces';
import { PortSpec, ServiceRef } from '../core/kube';
import { enableRemoteWriteReceiver, OTLP_GRPC_PORT, OTLP_HTTP_PORT, otlpEndpoints } from '../core/otlp';
import { antiAffinityAcrossNodes, emptyDirVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorage } from '../storage/object-storage';

/** How Tempo runs. */
export enum TempoMode {
  /** One pod running every component (`target: all`), on a PVC or object storage. */
  MONOLITHIC = 'monolithic',
  /**
   * Several identical pods (`target: scalable-single-binary`) sharing object storage and a memberlist
   * ring, with ingester replication. Tempo 2.10's classic architecture: no Kafka. Object storage required.
   */
  SCALABLE = 'scalable',
}

/**
 * The metrics-generator: ONE switch. Giving this struct turns on the service-graph and span-metrics
 * processors, the generator's remote write into `remoteWriteTarget`, and (for a `Prometheus` of this
 * app) that Prometheus' remote-write receiver, all together (the service graph stays empty when any one
 * of them is missing, tempo#1896).
 */
export interface TempoMetricsGeneratorOptions {
  /** Where the generated metrics go (a Prometheus of this app, or Mimir). Required. */
  readonly remoteWriteTarget?: IRemoteWriteTarget;
  /**
   * Extra span or resource attributes to keep as labels of span metrics and service-graph edges.
   * @default - none (service, span name, kind and status only)
   */
  readonly dimensions?: string[];
  /**
   * Send exemplars (trace IDs) with the span metrics, so Grafana links metrics to traces.
   * @default true
   */
  readonly sendExemplars?: boolean;
}

/** Props of {@link Tempo}. */
export interface TempoProps extends ComponentProps {
  /** @default TempoMode.MONOLITHIC */
  readonly mode?: TempoMode;
  /**
   * Where trace blocks live. SCALABLE mode requires object storage.
   * @default ObjectStorage.filesystem({ size: Size.gibibytes(10) })
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * How long trace blocks are kept (`compactor.compaction.block_retention`), at least 1h.
   * @default - the workload's retention, else Duration.days(14)
   */
  readonly retention?: Duration;
  /**
   * The workload a SCALABLE Tempo is sized for: replicas, requests and limits, the data PVC and the
   * per-tenant ingestion limits are derived from the span rate (`TempoSizing`, calibrated on Tempo's
   * published "Size the cluster" guide). Explicit `replicas`, `resources` and `storage` still win.
   * @default - not sized (3 replicas of ResourcePreset.MEDIUM in SCALABLE mode)
   */
  readonly workload?: TempoWorkload;
  /**
   * The metrics-generator (service graphs, span metrics, remote write, receiver flag: one switch).
   * @default - off
   */
  readonly metricsGenerator?: TempoMetricsGeneratorOptions;
  /**
   * Grafana datasource UID.
   * @default 'tempo'
   */
  readonly datasourceUid?: string;
}

const SCRAPE_LABEL = 'lgtm.cdk8s.io/scrape';
const HTTP: PortSpec = { name: 'http', port: TEMPO_PORTS.http };
const GRPC: PortSpec = { name: 'grpc', port: TEMPO_PORTS.grpc };
const OTLP_GRPC: PortSpec = { ...OTLP_GRPC_PORT, port: TEMPO_PORTS.otlpGrpc };
const OTLP_HTTP: PortSpec = { ...OTLP_HTTP_PORT, port: TEMPO_PORTS.otlpHttp };
const MEMBERLIST: PortSpec = { name: 'tcp-memberlist', port: TEMPO_PORTS.memberlist };
/** The image runs as this user (grafana/tempo Dockerfile). */
const TEMPO_UID = 10001;

/**
 * Grafana Tempo 2.10.8: OTLP gRPC (4317) and HTTP (4318) receivers on, on its Service; monolithic on a
 * PVC or object storage, or scalable (`scalable-single-binary` replicas on object storage); block
 * retention; its own ServiceMonitor and alerts; and one switch for the metrics-generator (service
 * graphs, span metrics, remote write and the target Prometheus' receiver flag together).
 *
 * Shared props (`ComponentProps`): `replicas` (default 1; SCALABLE 3, at least 3), `storage` (the data
 * PVC: WAL, generator WAL, and the blocks with filesystem storage; default the filesystem storage's size,
 * else 10Gi), `resources` (default MEDIUM). In SCALABLE mode `workload` (`TempoSizing`) derives the
 * replicas, resources, PVC and per-tenant ingestion limits from the span rate instead.
 *
 * Implements `IDatasourceProvider` (`grafana.addDatasource(tempo)` wires traces to logs, metrics and
 * profiles, the service map and exemplars) and `ITracesBackend` (collectors send OTLP to it).
 */
export class Tempo extends Component implements IDatasourceProvider, ITracesBackend {
  /** The Tempo version the config is rendered for. */
  public static readonly VERSION = TEMPO_CONFIG_VERSION;

  /** Mode. */
  public readonly mode: TempoMode;
  /** Number of pods. */
  public readonly replicas: number;
  /** The headless Service (pod DNS, memberlist). */
  public readonly headlessService: ServiceRef;
  /** The config files (`tempo.yaml`). */
  public readonly config: ConfigFiles;
  /** Whether the metrics-generator is on. */
  public readonly metricsGeneratorEnabled: boolean;
  /** OTLP/gRPC `host:port` of the Service. */
  public readonly otlpGrpcAddress: string;
  /** OTLP/HTTP base URL of the Service. */
  public readonly otlpHttpUrl: string;
  /** Tenancy is off: no tenant header. */
  public readonly tracesTenantId?: string;
  /** The sizing derived from `workload` (undefined when none is given). */
  public readonly sizing?: TempoSizing;

  private readonly props: TempoProps;
  private readonly binding: ObjectStorageBinding;
  private readonly retention: Duration;
  private readonly remoteWriteTarget?: IRemoteWriteTarget;

  constructor(scope: Construct, id: string, props: TempoProps = {}) {
    super(scope, id, props, { appName: 'tempo', name: 'tempo', image: Images.TEMPO });
    this.props = props;
    // resolve
    this.mode = props.mode ?? TempoMode.MONOLITHIC;
    this.sizing = props.workload !== undefined ? this.resolveSizing(props) : undefined;
    this.replicas = this._replicas(this.sizing?.replicas ?? (this.mode === TempoMode.SCALABLE ? 3 : 1));
    this.retention = props.retention ?? this.sizing?.retention ?? Duration.days(14);
    const storage = props.objectStorage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) });

    // validate
    this.validateMode(storage);
    requireAtLeast(this, 'retention', this.retention, Duration.hours(1), 'Tempo cuts and compacts blocks over hours; a shorter retention deletes traces before they are queryable');
    this.binding = storage._bind(this);
    this.metricsGeneratorEnabled = props.metricsGenerator !== undefined;
    this.remoteWriteTarget = this.validateMetricsGenerator(props.metricsGenerator);

    // render
    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('tempo.yaml', () => this.renderConfig());
    const sa = this._addServiceAccount(false);
    for (const [k, v] of Object.entries(this.binding.serviceAccountAnnotations)) sa.metadata.addAnnotation(k, v);
    // the scrape label tells the main Service from the headless one (the ServiceMonitor selects it alone)
    this._addService({ ports: [HTTP, GRPC, OTLP_GRPC, OTLP_HTTP], labels: { ...this.labels, [SCRAPE_LABEL]: 'true' } });
    ({ otlpGrpcAddress: this.otlpGrpcAddress, otlpHttpUrl: this.otlpHttpUrl } = otlpEndpoints(this.service));
    this.headlessService = this._addService({
      id: 'Headless',
      name: `${this.name}-headless`,
      headless: true,
      publishNotReadyAddresses: true,
      ports: this.mode === TempoMode.SCALABLE ? [HTTP, GRPC, MEMBERLIST] : [HTTP, GRPC],
    });
    this.configureWorkload();
    this._addPodDisruptionBudget(this.replicas);
    this._addSelfMonitoring({ port: HTTP.name, alertGroup: 'tempo', alerts: () => tempoAlerts(this.namespace, this.name, this.metricsGeneratorEnabled) });
    // the one switch: writing into a Prometheus of this app turns its remote-write receiver on
    enableRemoteWriteReceiver(this.remoteWriteTarget);
  }

  /** The StatefulSet (same as `workload`). */
  public get statefulSet(): ApiObject {
    return this.workload;
  }

  /** The Grafana datasource, computed from the Service. */
  public get datasourceInfo(): DatasourceInfo {
    return serviceDatasource(this.service, { kind: DatasourceKind.TEMPO, name: 'Tempo', uid: this.props.datasourceUid ?? 'tempo', port: HTTP });
  }

  private resolveSizing(props: TempoProps): TempoSizing {
    if (this.mode !== TempoMode.SCALABLE) {
      fail(this, {
        problem: "'workload' sizes a scalable Tempo: the published sizing guide is for replicated components",
        received: `mode: ${show(this.mode)}`,
        expected: 'mode: TempoMode.SCALABLE (with object storage)',
        fix: 'set mode: TempoMode.SCALABLE, or leave out workload and size the monolithic pod with resources',
      });
    }
    const w = props.workload!;
    if (props.retention !== undefined && w.retention !== undefined
      && props.retention.toSeconds({ integral: false }) !== w.retention.toSeconds({ integral: false })) {
      fail(this, {
        problem: "'retention' and 'workload.retention' contradict each other",
        received: `retention: ${goDuration(props.retention)}, workload.retention: ${goDuration(w.retention)}`,
        expected: 'one of them (or both the same)',
        fix: "drop 'retention' (the workload's retention sets the block retention)",
      });
    }
    return TempoSizing._compute(this, 'workload', w);
  }

  private validateMode(storage: ObjectStorage): void {
    if (this.mode === TempoMode.SCALABLE && storage.isFilesystem) {
      fail(this, {
        problem: 'a scalable Tempo needs object storage: filesystem blocks are local to one pod',
        received: 'ObjectStorage.filesystem(...)',
        expected: 'ObjectStorage.s3(...), .gcs(...) or .azure(...) (e.g. SeaweedFs(...).toObjectStorage())',
        fix: "pass 'objectStorage', or use mode: TempoMode.MONOLITHIC for a PVC",
      });
    }
    const min = this.mode === TempoMode.SCALABLE ? 3 : 1;
    const max = this.mode === TempoMode.SCALABLE ? 100 : 1;
    if (this.replicas < min || this.replicas > max) {
      fail(this, {
        problem: `'replicas' is out of range for ${this.mode} mode`,
        received: show(this.replicas),
        expected: this.mode === TempoMode.SCALABLE ? 'an integer from 3 to 100 (ingester replication factor 3)' : '1',
        fix: this.mode === TempoMode.SCALABLE ? 'pass replicas >= 3' : 'use mode: TempoMode.SCALABLE (with object storage) to run more pods',
      });
    }
  }

  private validateMetricsGenerator(mg: TempoMetricsGeneratorOptions | undefined): IRemoteWriteTarget | undefined {
    if (!mg) return undefined;
    if (!mg.remoteWriteTarget) {
      fail(this, {
        problem: "the metrics-generator is enabled but has no 'remoteWriteTarget'",
        received: 'metricsGenerator: { remoteWriteTarget: undefined }',
        expected: 'a remote-write target of this app, e.g. { remoteWriteTarget: prometheus } or a Mimir',
        fix: "pass 'metricsGenerator.remoteWriteTarget', or leave 'metricsGenerator' unset to keep it off",
      });
    }
    for (const d of mg.dimensions ?? []) {
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(d)) {
        fail(this, {
          problem: "'metricsGenerator.dimensions' has an invalid attribute name",
          received: show(d),
          expected: 'an OpenTelemetry attribute name such as http.method or deployment.environment',
          fix: 'use the attribute key as the instrumentation sets it',
        });
      }
    }
    const target = mg.remoteWriteTarget;
    addLgtmValidation(this, () => sameApp(this, target, "'metricsGenerator.remoteWriteTarget'"));
    return target;
  }

  private generatorModel(): TempoMetricsGeneratorModel | undefined {
    const t = this.remoteWriteTarget;
    const mg = this.props.metricsGenerator;
    if (!t || !mg) return undefined;
    return {
      processors: ['service-graphs', 'span-metrics'],
      remoteWrite: [{
        url: t.remoteWriteUrl,
        sendExemplars: mg.sendExemplars ?? true,
        headers: t.remoteWriteTenantId ? { 'X-Scope-OrgID': t.remoteWriteTenantId } : undefined,
      }],
      externalLabels: { source: 'tempo' },
      dimensions: [...(mg.dimensions ?? [])],
    };
  }

  private renderConfig(): TempoYaml {
    const scalable = this.mode === TempoMode.SCALABLE;
    return renderTempoConfig({
      target: scalable ? 'scalable-single-binary' : 'all',
      multitenancy: false,
      logLevel: 'info',
      blockRetention: goDuration(this.retention),
      storage: this.binding,
      memberlistJoin: scalable ? `dns+${this.headlessService.address(MEMBERLIST.name)}` : undefined,
      memberlistClusterLabel: scalable ? `${this.namespace}.${this.name}` : undefined,
      replicationFactor: scalable ? 3 : 1,
      metricsGenerator: this.generatorModel(),
      ingestion: this.sizing?.limits,
    });
  }

  private configureWorkload(): void {
    const scalable = this.mode === TempoMode.SCALABLE;
    const args = ['-config.file=/etc/tempo/tempo.yaml'];
    if (this.binding.expandEnv) args.push('-config.expand-env=true');
    const ctr = kubeContainer({
      name: 'tempo',
      image: this.image,
      args,
      env: this.binding.env as k8s.EnvVar[],
      ports: scalable ? [HTTP, GRPC, OTLP_GRPC, OTLP_HTTP, MEMBERLIST] : [HTTP, GRPC, OTLP_GRPC, OTLP_HTTP],
      resources: this._resources(this.sizing?.resources ?? ResourcePreset.MEDIUM),
      readinessProbe: httpGetProbe('/ready', HTTP.name, { initialDelaySeconds: 20 }),
      volumeMounts: [
        { name: 'config', mountPath: '/etc/tempo', readOnly: true },
        { name: 'data', mountPath: TEMPO_DATA },
        { name: 'tmp', mountPath: '/tmp' },
        ...(this.binding.volumeMounts as k8s.VolumeMount[]),
      ],
    });
    this._addStatefulSet({
      serviceName: this.headlessService.name,
      replicas: this.replicas,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      template: this._podTemplate({
        labels: { ...this.labels, ...this.binding.podLabels },
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        securityContext: restrictedPodSecurityContext(TEMPO_UID),
        containers: [ctr],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          emptyDirVolume('tmp', '1Gi'),
          ...(this.binding.volumes as k8s.Volume[]),
        ],
        // the ingester flushes its WAL on shutdown
        terminationGracePeriodSeconds: 300,
        affinity: scalable ? antiAffinityAcrossNodes(this.selectorLabels) : undefined,
      }),
      volumeClaimTemplates: [this._volumeClaim('data', this.sizing?.volume ?? Size.gibibytes(this.binding.filesystem?.sizeGi ?? 10), this.binding.filesystem?.storageClass)],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  }

}

/** Fails (at synth) when `target` belongs to another app than `scope`. */
function sameApp(scope: IConstruct, target: IConstruct, what: string): LgtmErrorDetails[] {
  if (target.node.root === scope.node.root) return [];
  return [{
    problem: `${what} is a construct of another app`,
    received: target.node.path || '<root>',
    expected: 'a construct of the same cdk8s App (its Service is emitted with this one)',
    fix: 'create the target in this App, or give the other app\'s endpoint as an external datasource',
  }];
}
