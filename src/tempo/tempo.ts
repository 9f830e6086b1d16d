import { ApiObject, Chart, Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { tempoAlerts } from './alerts';
import { renderTempoConfig, TEMPO_CONFIG_VERSION, TEMPO_DATA, TEMPO_PORTS, TempoMetricsGeneratorModel } from './config';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { goDuration, requireAtLeast } from '../core/duration';
import { addLgtmValidation, fail, show } from '../core/errors';
import { imageVersion, Images } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, IRemoteWriteTarget, ITracesBackend } from '../core/interfaces';
import { container, httpProbe, kubeObject, kubeService, PortSpec, podTemplate, ServiceRef, spreadAcrossNodes, volumeClaimTemplate } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { validateName, validateNamespace } from '../core/names';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { ServiceMonitor } from '../prometheus/monitors';
import { Prometheus } from '../prometheus/prometheus';
import { PrometheusRule } from '../rules/prometheus-rule';
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
export interface TempoProps {
  /**
   * Object name (StatefulSet, Service, ConfigMap, ServiceAccount).
   * @default 'tempo'
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the Chart's namespace, else 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Image.
   * @default Images.TEMPO
   */
  readonly image?: string;
  /** @default TempoMode.MONOLITHIC */
  readonly mode?: TempoMode;
  /**
   * Pods in SCALABLE mode (at least 3: ingester replication factor 3 needs three).
   * @default 3 (SCALABLE), 1 (MONOLITHIC)
   */
  readonly replicas?: number;
  /**
   * Where trace blocks live. SCALABLE mode requires object storage.
   * @default ObjectStorage.filesystem({ size: Size.gibibytes(10) })
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * Size of the data PVC (WAL, generator WAL) when blocks go to object storage. With filesystem storage
   * the PVC size is the storage's `size`.
   * @default Size.gibibytes(10)
   */
  readonly volumeSize?: Size;
  /**
   * Storage class of the data PVC.
   * @default - the filesystem storage's class, else the cluster default
   */
  readonly storageClass?: string;
  /**
   * How long trace blocks are kept (`compactor.compaction.block_retention`), at least 1h.
   * @default Duration.days(14)
   */
  readonly retention?: Duration;
  /**
   * The metrics-generator (service graphs, span metrics, remote write, receiver flag: one switch).
   * @default - off
   */
  readonly metricsGenerator?: TempoMetricsGeneratorOptions;
  /**
   * Resources of each pod.
   * @default ResourcePreset.MEDIUM
   */
  readonly resources?: ResourcePreset;
  /**
   * Emit a ServiceMonitor and Tempo's alerts.
   * @default true
   */
  readonly serviceMonitor?: boolean;
  /**
   * Extra labels on the ServiceMonitor and PrometheusRule (to match a Prometheus selector).
   * @default - none
   */
  readonly monitoringLabels?: { [key: string]: string };
  /**
   * Grafana datasource UID.
   * @default 'tempo'
   */
  readonly datasourceUid?: string;
}

const HTTP: PortSpec = { name: 'http', port: TEMPO_PORTS.http };
const GRPC: PortSpec = { name: 'grpc', port: TEMPO_PORTS.grpc };
const OTLP_GRPC: PortSpec = { name: 'otlp-grpc', port: TEMPO_PORTS.otlpGrpc, appProtocol: 'grpc' };
const OTLP_HTTP: PortSpec = { name: 'otlp-http', port: TEMPO_PORTS.otlpHttp };
const MEMBERLIST: PortSpec = { name: 'tcp-memberlist', port: TEMPO_PORTS.memberlist };
/** The image runs as this user (grafana/tempo Dockerfile). */
const TEMPO_UID = 10001;

/**
 * Grafana Tempo 2.10.8: OTLP gRPC (4317) and HTTP (4318) receivers on, on its Service; monolithic on a
 * PVC or object storage, or scalable (`scalable-single-binary` replicas on object storage); block
 * retention; its own ServiceMonitor and alerts; and one switch for the metrics-generator (service
 * graphs, span metrics, remote write and the target Prometheus' receiver flag together).
 *
 * Implements `IDatasourceProvider` (`grafana.addDatasource(tempo)` wires traces to logs, metrics and
 * profiles, the service map and exemplars) and `ITracesBackend` (collectors send OTLP to it).
 */
export class Tempo extends Construct implements IDatasourceProvider, ITracesBackend {
  /** The Tempo version the config is rendered for. */
  public static readonly VERSION = TEMPO_CONFIG_VERSION;

  /** Object name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Mode. */
  public readonly mode: TempoMode;
  /** Number of pods. */
  public readonly replicas: number;
  /** The Service in front of the pods (HTTP, gRPC, OTLP gRPC/HTTP). */
  public readonly service: ServiceRef;
  /** The headless Service (pod DNS, memberlist). */
  public readonly headlessService: ServiceRef;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The StatefulSet. */
  public readonly workload: ApiObject;
  /** The ServiceMonitor (undefined when `serviceMonitor: false`). */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The config files (`tempo.yaml`). */
  public readonly config: ConfigFiles;
  /** Whether the metrics-generator is on. */
  public readonly metricsGeneratorEnabled: boolean;

  private readonly props: TempoProps;
  private readonly binding: ObjectStorageBinding;
  private readonly retention: Duration;
  private readonly remoteWriteTarget?: IRemoteWriteTarget;

  constructor(scope: Construct, id: string, props: TempoProps = {}) {
    super(scope, id);
    this.props = props;
    // resolve
    this.name = validateName(this, 'name', props.name ?? 'tempo', 40);
    this.namespace = validateNamespace(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'monitoring');
    this.mode = props.mode ?? TempoMode.MONOLITHIC;
    this.replicas = props.replicas ?? (this.mode === TempoMode.SCALABLE ? 3 : 1);
    this.retention = props.retention ?? Duration.days(14);
    const storage = props.objectStorage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) });

    // validate
    this.validateMode(storage);
    requireAtLeast(this, 'retention', this.retention, Duration.hours(1), 'Tempo cuts and compacts blocks over hours; a shorter retention deletes traces before they are queryable');
    this.binding = storage._bind(this);
    this.metricsGeneratorEnabled = props.metricsGenerator !== undefined;
    this.remoteWriteTarget = this.validateMetricsGenerator(props.metricsGenerator);

    // render
    const image = props.image ?? Images.TEMPO;
    const version = imageVersion(image);
    const labels = standardLabels({ name: 'tempo', instance: this.name, version });
    const selector = selectorLabels({ name: 'tempo', instance: this.name });
    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels });
    this.config._addYaml('tempo.yaml', () => this.renderConfig());
    this.serviceAccount = kubeObject(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
      name: this.name, namespace: this.namespace, labels, annotations: this.binding.serviceAccountAnnotations,
    }, { automountServiceAccountToken: false });
    this.service = kubeService(this, 'Service', {
      name: this.name, namespace: this.namespace, labels: { ...labels, 'lgtm.cdk8s.io/scrape': 'true' }, selector,
      ports: [HTTP, GRPC, OTLP_GRPC, OTLP_HTTP],
    });
    this.headlessService = kubeService(this, 'Headless', {
      name: `${this.name}-headless`, namespace: this.namespace, labels, selector, headless: true, publishNotReadyAddresses: true,
      ports: this.mode === TempoMode.SCALABLE ? [HTTP, GRPC, MEMBERLIST] : [HTTP, GRPC],
    });
    this.workload = this.configureWorkload(image, labels, selector);
    if (props.serviceMonitor ?? true) this.serviceMonitor = this.configureMonitoring(labels);
    if (this.remoteWriteTarget) this.configureRemoteWriteTarget(this.remoteWriteTarget);
  }

  /** OTLP/gRPC `host:port` of the Service. */
  public get otlpGrpcAddress(): string {
    return this.service.address(OTLP_GRPC.name);
  }

  /** OTLP/HTTP base URL of the Service. */
  public get otlpHttpUrl(): string {
    return this.service.url(OTLP_HTTP.name);
  }

  /** Tenancy is off: no tenant header. */
  public get tracesTenantId(): string | undefined {
    return undefined;
  }

  /** The Grafana datasource, computed from the Service. */
  public get datasourceInfo(): DatasourceInfo {
    return {
      kind: DatasourceKind.TEMPO,
      name: 'Tempo',
      uid: this.props.datasourceUid ?? 'tempo',
      url: this.service.url(HTTP.name),
      serviceName: this.service.name,
      serviceNamespace: this.service.namespace,
      servicePort: HTTP.port,
    };
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
    if (!Number.isInteger(this.replicas) || this.replicas < min || this.replicas > max) {
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

  /** For a Prometheus of this app, the switch turns on its remote-write receiver. */
  private configureRemoteWriteTarget(target: IRemoteWriteTarget): void {
    if (target instanceof Prometheus) target.acceptRemoteWrites();
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

  private renderConfig(): Record<string, any> {
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
    });
  }

  private volumeGi(): number {
    if (this.binding.filesystem) return this.binding.filesystem.sizeGi;
    const size = this.props.volumeSize ?? Size.gibibytes(10);
    const gi = Math.ceil(size.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) / 1024);
    if (!(gi >= 1)) {
      fail(this, { problem: "'volumeSize' is too small", received: `${size.toMebibytes()}Mi`, expected: 'at least 1Gi', fix: 'pass Size.gibibytes(10) or more' });
    }
    return gi;
  }

  private configureWorkload(image: string, labels: Record<string, string>, selector: Record<string, string>): ApiObject {
    const scalable = this.mode === TempoMode.SCALABLE;
    const args = ['-config.file=/etc/tempo/tempo.yaml'];
    if (this.binding.expandEnv) args.push('-config.expand-env=true');
    const ctr = container({
      name: 'tempo',
      image,
      args,
      env: this.binding.env,
      ports: scalable ? [HTTP, GRPC, OTLP_GRPC, OTLP_HTTP, MEMBERLIST] : [HTTP, GRPC, OTLP_GRPC, OTLP_HTTP],
      resources: this.props.resources ?? ResourcePreset.MEDIUM,
      readinessProbe: httpProbe('/ready', HTTP.name, { initialDelaySeconds: 20 }),
      volumeMounts: [
        { name: 'config', mountPath: '/etc/tempo', readOnly: true },
        { name: 'data', mountPath: TEMPO_DATA },
        { name: 'tmp', mountPath: '/tmp' },
        ...this.binding.volumeMounts,
      ],
    });
    const template = podTemplate({
      labels: { ...labels, ...this.binding.podLabels },
      annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
      serviceAccountName: this.name,
      securityContext: restrictedPodSecurityContext(TEMPO_UID),
      containers: [ctr],
      volumes: [
        { name: 'config', configMap: { name: this.config.name } },
        { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
        ...this.binding.volumes,
      ],
      // the ingester flushes its WAL on shutdown
      terminationGracePeriodSeconds: 300,
      ...(scalable ? { affinity: spreadAcrossNodes(selector) } : {}),
    });
    return kubeObject(this, 'StatefulSet', 'apps/v1', 'StatefulSet', { name: this.name, namespace: this.namespace, labels }, {
      spec: {
        serviceName: this.headlessService.name,
        replicas: this.replicas,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template,
        volumeClaimTemplates: [volumeClaimTemplate('data', this.volumeGi(), this.props.storageClass ?? this.binding.filesystem?.storageClass)],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
  }

  private configureMonitoring(labels: Record<string, string>): ServiceMonitor {
    const extra = this.props.monitoringLabels ?? {};
    const sm = new ServiceMonitor(this, 'ServiceMonitor', {
      name: this.name,
      namespace: this.namespace,
      labels: { ...labels, ...extra },
      selector: { ...selectorLabels({ name: 'tempo', instance: this.name }), 'lgtm.cdk8s.io/scrape': 'true' },
      endpoints: [{ port: HTTP.name, path: '/metrics', interval: Duration.seconds(30) }],
    });
    new PrometheusRule(this, 'Alerts', {
      name: `${this.name}-alerts`,
      namespace: this.namespace,
      metadataLabels: { ...extra },
      groups: [{ name: 'tempo', alerts: tempoAlerts(this.namespace, this.name, this.metricsGeneratorEnabled) }],
    });
    return sm;
  }
}

/** Fails (at synth) when `target` belongs to another app than `scope`. */
export function sameApp(scope: IConstruct, target: IConstruct, what: string) {
  if (target.node.root === scope.node.root) return [];
  return [{
    problem: `${what} is a construct of another app`,
    received: target.node.path || '<root>',
    expected: 'a construct of the same cdk8s App (its Service is emitted with this one)',
    fix: 'create the target in this App, or give the other app\'s endpoint as an external datasource',
  }];
}
