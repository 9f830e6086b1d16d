import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { OTELCOL_TELEMETRY_PORT, OtelCollectorConfig, OtelComponentKind, OtelExporter, OtelExtension, OtelProcessor, OtelReceiver, OtelSignal } from './config';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { addLgtmValidation, LgtmErrorDetails } from '../core/errors';
import { imageVersion, Images } from '../core/images';
import { IOtlpLogsBackend, IRemoteWriteTarget, ITracesBackend } from '../core/interfaces';
import { container, httpProbe, kubeObject, kubeService, PortSpec, podTemplate, ServiceRef } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { childName, validateName, validateNamespace } from '../core/names';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { ServiceMonitor } from '../prometheus/monitors';
import { Prometheus } from '../prometheus/prometheus';

/** Props of {@link OtelCollector}. */
export interface OtelCollectorProps {
  /**
   * Object name.
   * @default 'otel-collector'
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the Chart's namespace, else 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Image (the contrib distribution).
   * @default Images.OTEL_COLLECTOR_CONTRIB
   */
  readonly image?: string;
  /**
   * Replicas of the gateway Deployment.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Resources.
   * @default ResourcePreset.SMALL
   */
  readonly resources?: ResourcePreset;
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
  /**
   * Emit a ServiceMonitor for the collector's own metrics (8888) and the Prometheus exporter.
   * @default true
   */
  readonly serviceMonitor?: boolean;
}

/** The image runs as this user (otel/opentelemetry-collector-contrib Dockerfile). */
const OTELCOL_UID = 10001;
const HEALTH_PORT = 13133;

/**
 * The OpenTelemetry Collector (contrib) as a gateway Deployment: OTLP in on 4317/4318, memory limiter,
 * Kubernetes attributes and batching, traces to Tempo over OTLP, logs to Loki's native OTLP endpoint,
 * metrics by remote write and on a Prometheus exporter (9464). The config is a typed
 * {@link OtelCollectorConfig} (`collector.config`): add components and pipelines to it; every pipeline
 * reference and listening port is checked at synth.
 */
export class OtelCollector extends Construct {
  /** Object name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The typed collector config (add components and pipelines before synth). */
  public readonly config: OtelCollectorConfig;
  /** The Service (OTLP, Prometheus exporter, own metrics). */
  public readonly service: ServiceRef;
  /** The ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The Deployment. */
  public readonly workload: ApiObject;
  /** The ServiceMonitor (undefined when `serviceMonitor: false`). */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The ConfigMap holding `config.yaml`. */
  public readonly configFiles: ConfigFiles;

  private readonly props: OtelCollectorProps;

  constructor(scope: Construct, id: string, props: OtelCollectorProps = {}) {
    super(scope, id);
    this.props = props;
    this.name = validateName(this, 'name', props.name ?? 'otel-collector', 40);
    this.namespace = validateNamespace(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'monitoring');
    this.config = this.configureDefaultConfig(props);

    const image = props.image ?? Images.OTEL_COLLECTOR_CONTRIB;
    const labels = standardLabels({ name: 'opentelemetry-collector', instance: this.name, version: imageVersion(image) });
    const selector = selectorLabels({ name: 'opentelemetry-collector', instance: this.name });
    this.configFiles = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels });
    this.configFiles._addYaml('config.yaml', () => this.config.render());
    this.serviceAccount = kubeObject(this, 'ServiceAccount', 'v1', 'ServiceAccount', { name: this.name, namespace: this.namespace, labels }, { automountServiceAccountToken: false });
    if (props.k8sAttributes ?? true) this.configureRbac(labels);
    const ports = this.ports();
    this.service = kubeService(this, 'Service', { name: this.name, namespace: this.namespace, labels, selector, ports });
    this.workload = this.configureWorkload(image, labels, selector, ports);
    if (props.serviceMonitor ?? true) {
      this.serviceMonitor = ServiceMonitor.forServiceRef(this, 'ServiceMonitor', this.service, {
        endpoints: ports.filter((p) => p.name === 'metrics' || p.name === 'prom-exporter').map((p) => ({ port: p.name, path: '/metrics' })),
      });
    }
    if (props.metricsTarget instanceof Prometheus) props.metricsTarget.acceptRemoteWrites();
    addLgtmValidation(this, () => this.configErrors());
  }

  private configureDefaultConfig(props: OtelCollectorProps): OtelCollectorConfig {
    const c = new OtelCollectorConfig();
    c.add(OtelReceiver.otlp());
    c.add(OtelProcessor.memoryLimiter());
    const k8s = props.k8sAttributes ?? true;
    if (k8s) c.add(OtelProcessor.k8sAttributes());
    c.add(OtelProcessor.batch());
    c.add(OtelExtension.healthCheck(HEALTH_PORT));
    const processors = ['memory_limiter', ...(k8s ? ['k8sattributes'] : []), 'batch'];
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
    for (const r of this.config.componentsOf(OtelComponentKind.RECEIVER)) {
      if (r.type === 'otlp') {
        out.push({ name: 'otlp-grpc', port: r.listenPorts[0], appProtocol: 'grpc' }, { name: 'otlp-http', port: r.listenPorts[1] });
      }
    }
    for (const e of this.config.componentsOf(OtelComponentKind.EXPORTER)) {
      if (e.type === 'prometheus') out.push({ name: 'prom-exporter', port: e.listenPorts[0] });
    }
    out.push({ name: 'metrics', port: OTELCOL_TELEMETRY_PORT });
    return out;
  }

  private configureRbac(labels: Record<string, string>): void {
    const roleName = childName(this.namespace, this.name);
    const clusterScoped = (o: ApiObject) => {
      // cluster-scoped: never the Chart's namespace
      if (Chart.of(this).namespace) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    };
    clusterScoped(kubeObject(this, 'ClusterRole', 'rbac.authorization.k8s.io/v1', 'ClusterRole', { name: roleName, labels }, {
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      ],
    }));
    clusterScoped(kubeObject(this, 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { name: roleName, labels }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    }));
  }

  private configureWorkload(image: string, labels: Record<string, string>, selector: Record<string, string>, ports: PortSpec[]): ApiObject {
    const replicas = this.props.replicas ?? 1;
    const ctr = container({
      name: 'otel-collector',
      image,
      args: ['--config=/etc/otelcol/config.yaml'],
      env: [
        // GOMEMLIMIT from the container limit keeps the Go heap under it (the memory_limiter's companion)
        { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1' } } },
      ],
      ports: [...ports, { name: 'health', port: HEALTH_PORT }],
      resources: this.props.resources ?? ResourcePreset.SMALL,
      readinessProbe: httpProbe('/', 'health', { initialDelaySeconds: 5 }),
      livenessProbe: httpProbe('/', 'health', { initialDelaySeconds: 15 }),
      volumeMounts: [{ name: 'config', mountPath: '/etc/otelcol', readOnly: true }],
    });
    return kubeObject(this, 'Deployment', 'apps/v1', 'Deployment', { name: this.name, namespace: this.namespace, labels }, {
      spec: {
        replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: podTemplate({
          labels,
          annotations: { [CHECKSUM_ANNOTATION]: this.configFiles.checksum },
          serviceAccountName: this.name,
          // k8sattributes watches pods with this token
          automountServiceAccountToken: this.props.k8sAttributes ?? true,
          securityContext: restrictedPodSecurityContext(OTELCOL_UID),
          containers: [ctr],
          volumes: [{ name: 'config', configMap: { name: this.configFiles.name } }],
          terminationGracePeriodSeconds: 30,
        }),
      },
    });
  }

  private configErrors(): LgtmErrorDetails[] {
    const out = this.config.validate();
    for (const e of this.config.componentsOf(OtelComponentKind.EXPORTER)) {
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
    for (const p of this.config.listenPorts) {
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
