import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { OtelCollectorConfig, OtelComponentKind, OtelExporter, OtelExtension, OtelProcessor, OtelReceiver, OtelSignal } from './config';
import { OTELCOL_TELEMETRY_PORT } from './constants';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { addLgtmValidation, LgtmErrorDetails } from '../core/errors';
import { Images } from '../core/images';
import { IOtlpLogsBackend, IRemoteWriteTarget, ITracesBackend, requireRemoteWriteTarget } from '../core/interfaces';
import { PortSpec } from '../core/kube';
import { enableRemoteWriteReceiver, otlpEndpoints } from '../core/otlp';
import { httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';

/** Props of {@link OtelCollector}. */
export interface OtelCollectorProps extends ComponentProps {
  /**
   * Traces go here over OTLP/gRPC (Tempo).
   * @default - no traces pipeline
   */
  readonly tracesBackend?: ITracesBackend;
  /**
   * Logs go here over OTLP/HTTP (Loki's native OTLP endpoint).
   * @default - no logs pipeline
   */
  readonly logsBackend?: IOtlpLogsBackend;
  /**
   * Metrics are remote-written here (a Prometheus of this app, whose receiver is then turned on, or Mimir).
   * @default - metrics only on the Prometheus exporter
   */
  readonly metricsTarget?: IRemoteWriteTarget;
  /**
   * Expose received metrics on a Prometheus scrape endpoint (9464) and scrape it.
   * @default true
   */
  readonly prometheusExporter?: boolean;
  /**
   * Add Kubernetes attributes (namespace, pod, workload) to everything received (needs a ClusterRole
   * reading pods, namespaces and replicasets).
   * @default true
   */
  readonly k8sAttributes?: boolean;
}

/** The image runs as this user (otel/opentelemetry-collector-contrib Dockerfile). */
const OTELCOL_UID = 10001;
const HEALTH_PORT = 13133;

/**
 * The OpenTelemetry Collector (contrib) as a gateway Deployment: OTLP in on 4317/4318, memory limiter,
 * Kubernetes attributes and batching, traces to Tempo over OTLP, logs to Loki's native OTLP endpoint,
 * metrics by remote write and on a Prometheus exporter (9464). The config is a typed
 * {@link OtelCollectorConfig} (`collector.collectorConfig`): add components and pipelines to it; every pipeline
 * reference and listening port is checked at synth.
 */
export class OtelCollector extends Component implements ITracesBackend {
  /** The typed collector config (add components and pipelines before synth). */
  public readonly collectorConfig: OtelCollectorConfig;
  /** The ConfigMap holding `config.yaml`. */
  public readonly config: ConfigFiles;

  /** OTLP/gRPC `host:port` of the Service (apps and agents send here). */
  public readonly otlpGrpcAddress: string;
  /** OTLP/HTTP base URL of the Service. */
  public readonly otlpHttpUrl: string;
  /** No tenant header. */
  public readonly tracesTenantId?: string;

  private readonly props: OtelCollectorProps;

  constructor(scope: Construct, id: string, props: OtelCollectorProps = {}) {
    super(scope, id, props, { appName: 'opentelemetry-collector', name: 'otel-collector', image: Images.OTEL_COLLECTOR_CONTRIB });
    if (props.metricsTarget !== undefined) requireRemoteWriteTarget(this, "'metricsTarget'", props.metricsTarget);
    this.props = props;
    const replicas = this._replicas(1);
    this.collectorConfig = this.configureDefaultConfig(props);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('config.yaml', () => this.collectorConfig.render());
    const k8sAttributes = props.k8sAttributes ?? true;
    this._addServiceAccount(k8sAttributes);
    if (k8sAttributes) {
      this._addClusterRole([
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      ]);
    }
    const ports = this.ports();
    this._addService({ ports });
    this.configureWorkload(replicas, ports);
    this._addPodDisruptionBudget(replicas);
    this._addServiceMonitor({
      endpoints: ports.filter((p) => p.name === 'metrics' || p.name === 'prom-exporter').map((p) => ({ port: p.name, path: '/metrics' })),
    });
    ({ otlpGrpcAddress: this.otlpGrpcAddress, otlpHttpUrl: this.otlpHttpUrl } = otlpEndpoints(this.service));
    enableRemoteWriteReceiver(props.metricsTarget);
    addLgtmValidation(this, () => this.configErrors());
  }

  private configureDefaultConfig(props: OtelCollectorProps): OtelCollectorConfig {
    const c = new OtelCollectorConfig();
    c.add(OtelReceiver.otlp());
    c.add(OtelProcessor.memoryLimiter());
    const enrich = props.k8sAttributes ?? true;
    if (enrich) c.add(OtelProcessor.k8sAttributes());
    c.add(OtelProcessor.batch());
    c.add(OtelExtension.healthCheck(HEALTH_PORT));
    const processors = ['memory_limiter', ...(enrich ? ['k8sattributes'] : []), 'batch'];
    if (props.tracesBackend) {
      const e = c.add(OtelExporter.otlpTraces('traces', props.tracesBackend));
      c.addPipeline({ signal: OtelSignal.TRACES, receivers: ['otlp'], processors, exporters: [e.id] });
    }
    if (props.logsBackend) {
      const e = c.add(OtelExporter.otlpLogs('logs', props.logsBackend));
      c.addPipeline({ signal: OtelSignal.LOGS, receivers: ['otlp'], processors, exporters: [e.id] });
    }
    const metricsExporters: string[] = [];
    if (props.metricsTarget) metricsExporters.push(c.add(OtelExporter.remoteWrite('metrics', props.metricsTarget)).id);
    if (props.prometheusExporter ?? true) metricsExporters.push(c.add(OtelExporter.prometheus()).id);
    if (metricsExporters.length > 0) c.addPipeline({ signal: OtelSignal.METRICS, receivers: ['otlp'], processors, exporters: metricsExporters });
    return c;
  }

  /** Service ports, from the listening ports of the config (computed once, at construction). */
  private ports(): PortSpec[] {
    const out: PortSpec[] = [];
    for (const r of this.collectorConfig.componentsOf(OtelComponentKind.RECEIVER)) {
      if (r.type === 'otlp') {
        out.push({ name: 'otlp-grpc', port: r.listenPorts[0], appProtocol: 'grpc' }, { name: 'otlp-http', port: r.listenPorts[1] });
      }
    }
    for (const e of this.collectorConfig.componentsOf(OtelComponentKind.EXPORTER)) {
      if (e.type === 'prometheus') out.push({ name: 'prom-exporter', port: e.listenPorts[0] });
    }
    out.push({ name: 'metrics', port: OTELCOL_TELEMETRY_PORT });
    return out;
  }

  private configureWorkload(replicas: number, ports: PortSpec[]): void {
    const ctr = kubeContainer({
      name: 'otel-collector',
      image: this.image,
      args: ['--config=/etc/otelcol/config.yaml'],
      env: [
        // GOMEMLIMIT from the container limit keeps the Go heap under it (the memory_limiter's companion)
        { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: k8s.Quantity.fromString('1') } } },
      ],
      ports: [...ports, { name: 'health', port: HEALTH_PORT }],
      resources: this._resources(ResourcePreset.SMALL),
      readinessProbe: httpGetProbe('/', 'health', { initialDelaySeconds: 5 }),
      livenessProbe: httpGetProbe('/', 'health', { initialDelaySeconds: 15 }),
      volumeMounts: [{ name: 'config', mountPath: '/etc/otelcol', readOnly: true }],
    });
    this._addDeployment({
      replicas,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      template: this._podTemplate({
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        // k8sattributes watches pods with this token
        automountServiceAccountToken: this.props.k8sAttributes ?? true,
        securityContext: restrictedPodSecurityContext(OTELCOL_UID),
        containers: [ctr],
        volumes: [{ name: 'config', configMap: { name: this.config.name } }],
        terminationGracePeriodSeconds: 30,
      }),
    });
  }

  private configErrors(): LgtmErrorDetails[] {
    const out = this.collectorConfig._validate();
    for (const e of this.collectorConfig.componentsOf(OtelComponentKind.EXPORTER)) {
      for (const d of e.destinations) {
        if (d.node.root !== this.node.root) {
          out.push({
            problem: `exporter '${e.id}' points at a construct of another app`,
            received: d.node.path || '<root>',
            expected: 'a destination construct of the same cdk8s App (its Service is emitted with this one)',
            fix: 'create the destination in this App',
          });
        }
      }
    }
    const declared = new Set(this.service.ports.map((p) => p.port));
    for (const p of this.collectorConfig.listenPorts) {
      if (!declared.has(p) && p !== HEALTH_PORT) {
        out.push({
          problem: `the config listens on port ${p}, which is not on the collector's Service`,
          received: String(p),
          expected: `one of ${[...declared].join(', ')}`,
          fix: 'add receivers and exporters that listen before the Service is created (pass them through the props)',
        });
      }
    }
    return out;
  }
}
