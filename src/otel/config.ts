/**
 * A typed model of the OpenTelemetry Collector (contrib) configuration: receivers, processors,
 * exporters, extensions and pipelines. Components are created with static factories only, so every
 * component that exists renders to a config block the pinned collector accepts (every rendered file is
 * checked with `otelcol validate` on a collector built from the same release in the test-suite).
 * Destinations are given by object reference (`ITracesBackend`, `IOtlpLogsBackend`,
 * `IRemoteWriteTarget`); their URLs are read from the emitted Services.
 */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { OTELCOL_TELEMETRY_PORT } from './constants';
import { OtelConfigError } from './errors';
import { LgtmErrorDetails, show } from '../core/errors';
import { IOtlpLogsBackend, IRemoteWriteTarget, ITracesBackend } from '../core/interfaces';


/** Kinds of collector components. */
export enum OtelComponentKind {
  /** A receiver (`receivers:`). */
  RECEIVER = 'receivers',
  /** A processor (`processors:`). */
  PROCESSOR = 'processors',
  /** An exporter (`exporters:`). */
  EXPORTER = 'exporters',
  /** An extension (`extensions:`). */
  EXTENSION = 'extensions',
}

/** Telemetry signals (pipeline types). */
export enum OtelSignal {
  /** Traces. */
  TRACES = 'traces',
  /** Metrics. */
  METRICS = 'metrics',
  /** Logs. */
  LOGS = 'logs',
}

const ID_PART = /^[a-z][a-z0-9_]*$/;
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * One collector component: its kind, its id (`type` or `type/name`), the ports it listens on and its
 * config block. Created by the factories of `OtelReceiver`, `OtelProcessor`, `OtelExporter` and
 * `OtelExtension`.
 */
export class OtelComponent {
  /** The component id as pipelines name it (`otlp`, `otlphttp/loki`). */
  public readonly id: string;

  protected constructor(
    /** Component kind. */
    public readonly kind: OtelComponentKind,
    /** Component type, e.g. `otlp`. */
    public readonly type: string,
    private readonly body: { [key: string]: any },
    name?: string,
    /** Ports it listens on (receivers, the prometheus exporter, extensions). */
    public readonly listenPorts: number[] = [],
    /** Constructs it sends to (checked to be in the same app). */
    public readonly destinations: IConstruct[] = [],
  ) {
    if (!ID_PART.test(type)) throw new OtelConfigError('invalid component type', show(type), 'lowercase letters, digits and _', 'use a collector component type');
    if (name !== undefined && !NAME_PART.test(name)) {
      throw new OtelConfigError('invalid component name', show(name), "letters, digits, '_', '.', '-', starting with a letter or digit", "e.g. 'tempo'");
    }
    this.id = name === undefined ? type : `${type}/${name}`;
  }

  /** The config block (deep copy). */
  public renderBody(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.body));
  }
}

/** Options of the OTLP receiver. */
export interface OtlpReceiverOptions {
  /** Name part of the id (`otlp/<name>`). @default - `otlp` */
  readonly name?: string;
  /** gRPC port. @default 4317 */
  readonly grpcPort?: number;
  /** HTTP port. @default 4318 */
  readonly httpPort?: number;
}

function port(p: number | undefined, dflt: number): number {
  const v = p ?? dflt;
  if (!Number.isInteger(v) || v < 1 || v > 65535) throw new OtelConfigError('invalid port', show(v), 'an integer from 1 to 65535', 'pass a valid port number');
  return v;
}

/** Receivers. */
export class OtelReceiver extends OtelComponent {
  /** OTLP over gRPC (4317) and HTTP (4318), listening on every interface of the pod. */
  public static otlp(options: OtlpReceiverOptions = {}): OtelReceiver {
    const g = port(options.grpcPort, 4317);
    const h = port(options.httpPort, 4318);
    return new OtelReceiver('otlp', options.name, {
      protocols: { grpc: { endpoint: `0.0.0.0:${g}` }, http: { endpoint: `0.0.0.0:${h}` } },
    }, [g, h]);
  }

  private constructor(type: string, name: string | undefined, body: { [key: string]: any }, ports: number[]) {
    super(OtelComponentKind.RECEIVER, type, body, name, ports);
  }
}

/** Options of the batch processor. */
export interface BatchProcessorOptions {
  /** Send a batch after this long even when it is not full. @default Duration.seconds(5) */
  readonly timeout?: Duration;
  /** Items that trigger a send. @default 8192 */
  readonly sendBatchSize?: number;
  /** Upper bound of a batch. @default 16384 */
  readonly sendBatchMaxSize?: number;
}

/** Options of the memory limiter. */
export interface MemoryLimiterOptions {
  /** Soft limit as a percentage of the container memory limit. @default 80 */
  readonly limitPercentage?: number;
  /** Spike allowance as a percentage of the memory limit. @default 25 */
  readonly spikeLimitPercentage?: number;
}

/** Processors. */
export class OtelProcessor extends OtelComponent {
  /** Batches telemetry before export (fewer, larger requests). */
  public static batch(options: BatchProcessorOptions = {}): OtelProcessor {
    const size = options.sendBatchSize ?? 8192;
    const max = options.sendBatchMaxSize ?? 16384;
    if (!(size >= 1 && max >= size)) throw new OtelConfigError('invalid batch sizes', `sendBatchSize ${size}, sendBatchMaxSize ${max}`, '1 <= sendBatchSize <= sendBatchMaxSize', 'raise sendBatchMaxSize or lower sendBatchSize');
    return new OtelProcessor('batch', undefined, {
      timeout: `${(options.timeout ?? Duration.seconds(5)).toSeconds()}s`,
      send_batch_size: size,
      send_batch_max_size: max,
    });
  }

  /** Refuses data before the process runs out of memory (first processor of every pipeline). */
  public static memoryLimiter(options: MemoryLimiterOptions = {}): OtelProcessor {
    const l = options.limitPercentage ?? 80;
    const s = options.spikeLimitPercentage ?? 25;
    if (!(l > 0 && l <= 100 && s > 0 && s < l)) throw new OtelConfigError('invalid memory limiter percentages', `limit ${l}%, spike ${s}%`, '0 < spikeLimitPercentage < limitPercentage <= 100', 'e.g. 80 and 25');
    return new OtelProcessor('memory_limiter', undefined, { check_interval: '1s', limit_percentage: l, spike_limit_percentage: s });
  }

  /**
   * Adds Kubernetes attributes (namespace, pod, workload, node) to everything received, looked up by the
   * sender's pod IP. Needs read access to pods, namespaces and replicasets (the collector's ClusterRole).
   */
  public static k8sAttributes(): OtelProcessor {
    return new OtelProcessor('k8sattributes', undefined, {
      auth_type: 'serviceAccount',
      passthrough: false,
      extract: {
        metadata: [
          'k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.node.name',
          'k8s.deployment.name', 'k8s.statefulset.name', 'k8s.daemonset.name', 'k8s.container.name',
        ],
      },
      pod_association: [
        { sources: [{ from: 'resource_attribute', name: 'k8s.pod.ip' }] },
        { sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] },
        { sources: [{ from: 'connection' }] },
      ],
    });
  }

  private constructor(type: string, name: string | undefined, body: { [key: string]: any }) {
    super(OtelComponentKind.PROCESSOR, type, body, name);
  }
}

/** Options of the Prometheus exporter. */
export interface PrometheusExporterOptions {
  /** Port the scrape endpoint listens on. @default 9464 */
  readonly port?: number;
}

function tenantHeader(tenant: string | undefined): { [key: string]: string } | undefined {
  return tenant ? { 'X-Scope-OrgID': tenant } : undefined;
}

function hostPort(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** Exporters. */
export class OtelExporter extends OtelComponent {
  /** Traces over OTLP/gRPC to a traces backend (Tempo), plaintext inside the cluster. */
  public static otlpTraces(name: string, backend: ITracesBackend): OtelExporter {
    return new OtelExporter('otlp', name, {
      endpoint: backend.otlpGrpcAddress,
      tls: { insecure: true },
      headers: tenantHeader(backend.tracesTenantId),
      sending_queue: { enabled: true, queue_size: 1000 },
      retry_on_failure: { enabled: true },
    }, [], [backend]);
  }

  /** Logs over OTLP/HTTP to Loki's native OTLP endpoint (the `loki` exporter was removed upstream). */
  public static otlpLogs(name: string, backend: IOtlpLogsBackend): OtelExporter {
    return new OtelExporter('otlphttp', name, {
      endpoint: backend.otlpLogsUrl,
      headers: tenantHeader(backend.tenantId),
      sending_queue: { enabled: true, queue_size: 1000 },
      retry_on_failure: { enabled: true },
    }, [], [backend]);
  }

  /** Metrics by Prometheus remote write (Prometheus with its receiver on, Mimir). */
  public static remoteWrite(name: string, target: IRemoteWriteTarget): OtelExporter {
    return new OtelExporter('prometheusremotewrite', name, {
      endpoint: target.remoteWriteUrl,
      headers: tenantHeader(target.remoteWriteTenantId),
      resource_to_telemetry_conversion: { enabled: true },
      retry_on_failure: { enabled: true },
    }, [], [target]);
  }

  /** A Prometheus scrape endpoint (OpenMetrics, so exemplars survive), by default on 9464. */
  public static prometheus(options: PrometheusExporterOptions = {}): OtelExporter {
    const p = port(options.port, 9464);
    return new OtelExporter('prometheus', undefined, {
      endpoint: `0.0.0.0:${p}`,
      enable_open_metrics: true,
      resource_to_telemetry_conversion: { enabled: true },
    }, [p]);
  }

  /** Logs a summary of what passes (for debugging a pipeline). */
  public static debug(): OtelExporter {
    return new OtelExporter('debug', undefined, { verbosity: 'basic' }, []);
  }

  /** The URL or address it sends to (undefined for local exporters). */
  public get endpoint(): string | undefined {
    return this.renderBody().endpoint;
  }

  /** `host:port` it sends to (undefined for local exporters). */
  public get endpointHostPort(): string | undefined {
    const e = this.endpoint;
    return e && this.destinations.length > 0 ? hostPort(e) : undefined;
  }

  private constructor(type: string, name: string | undefined, body: { [key: string]: any }, ports: number[], destinations: IConstruct[] = []) {
    super(OtelComponentKind.EXPORTER, type, body, name, ports, destinations);
  }
}

/** Extensions. */
export class OtelExtension extends OtelComponent {
  /** The health endpoint the kubelet probes (`/` on 13133). */
  public static healthCheck(healthPort: number = 13133): OtelExtension {
    const p = port(healthPort, 13133);
    return new OtelExtension('health_check', undefined, { endpoint: `0.0.0.0:${p}` }, [p]);
  }

  private constructor(type: string, name: string | undefined, body: { [key: string]: any }, ports: number[]) {
    super(OtelComponentKind.EXTENSION, type, body, name, ports);
  }
}

/** A pipeline: receivers → processors → exporters for one signal. Components are named by id. */
export interface OtelPipelineProps {
  /** The signal. */
  readonly signal: OtelSignal;
  /** Name part (`traces/<name>`). @default - the signal alone */
  readonly name?: string;
  /** Receiver ids, e.g. `['otlp']`. */
  readonly receivers: string[];
  /** Processor ids in order. @default - none */
  readonly processors?: string[];
  /** Exporter ids. */
  readonly exporters: string[];
}


/**
 * A whole collector config. Components and pipelines are added in any order; the `OtelCollector` reports
 * every pipeline reference to a component that is not defined, duplicate ids, ports bound twice and
 * empty pipelines (at synth, through the `OtelCollector` it belongs to); `render()` returns the config structure (deterministic: insertion order).
 */
export class OtelCollectorConfig {
  private readonly components: OtelComponent[] = [];
  private readonly pipelines: OtelPipelineProps[] = [];

  /** Adds a component; fails when a component of the same kind and id exists. Returns it. */
  public add(component: OtelComponent): OtelComponent {
    if (this.components.some((c) => c.kind === component.kind && c.id === component.id)) {
      throw new OtelConfigError(`${component.kind.replace(/s$/, '')} '${component.id}' is defined twice`, show(component.id), 'a unique id per kind', 'give the second one another name');
    }
    this.components.push(component);
    return component;
  }

  /** Adds a pipeline (checked at synth). */
  public addPipeline(pipeline: OtelPipelineProps): void {
    this.pipelines.push(pipeline);
  }

  /** The components of one kind. */
  public componentsOf(kind: OtelComponentKind): OtelComponent[] {
    return this.components.filter((c) => c.kind === kind);
  }

  /** Every port the collector listens on (its own telemetry included). */
  public get listenPorts(): number[] {
    return [OTELCOL_TELEMETRY_PORT, ...this.components.flatMap((c) => c.listenPorts)];
  }

  /**
   * The problems of this config (empty when it is valid); the collector reports them at synth.
   * @internal
   */
  public _validate(): LgtmErrorDetails[] {
    const out: LgtmErrorDetails[] = [];
    const ids = (k: OtelComponentKind) => this.componentsOf(k).map((c) => c.id);
    const seenPipelines = new Set<string>();
    for (const p of this.pipelines) {
      const pid = p.name ? `${p.signal}/${p.name}` : p.signal;
      if (seenPipelines.has(pid)) {
        out.push({ problem: `pipeline '${pid}' is defined twice`, received: show(pid), expected: 'one pipeline per signal and name', fix: 'give the second pipeline another name' });
      }
      seenPipelines.add(pid);
      const refs: Array<[string, string[], OtelComponentKind]> = [
        ['receivers', p.receivers, OtelComponentKind.RECEIVER],
        ['processors', p.processors ?? [], OtelComponentKind.PROCESSOR],
        ['exporters', p.exporters, OtelComponentKind.EXPORTER],
      ];
      for (const [field, list, kind] of refs) {
        if (field !== 'processors' && list.length === 0) {
          out.push({ problem: `pipeline '${pid}' has no ${field}`, received: '[]', expected: `at least one ${field.replace(/s$/, '')} id`, fix: `add a ${field.replace(/s$/, '')} to the pipeline` });
        }
        for (const id of list) {
          if (!ids(kind).includes(id)) {
            out.push({
              problem: `pipeline '${pid}' names ${field.replace(/s$/, '')} '${id}', which is not defined`,
              received: show(id),
              expected: `one of the defined ${field}: ${show(ids(kind))}`,
              fix: `add the ${field.replace(/s$/, '')} with config.add(...) or correct the id`,
            });
          }
        }
      }
    }
    const byPort = new Map<number, string[]>();
    byPort.set(OTELCOL_TELEMETRY_PORT, ['service.telemetry']);
    for (const c of this.components) for (const p of c.listenPorts) byPort.set(p, [...(byPort.get(p) ?? []), `${c.kind.replace(/s$/, '')} '${c.id}'`]);
    for (const [p, users] of [...byPort.entries()].sort((a, b) => a[0] - b[0])) {
      if (users.length > 1) {
        out.push({ problem: `port ${p} is bound by more than one component`, received: users.join(', '), expected: 'each listening port used once', fix: 'give one of them another port' });
      }
    }
    return out;
  }

  /** The config structure (`receivers`, `processors`, `exporters`, `extensions`, `service`). */
  public render(): { [key: string]: any } {
    const section = (k: OtelComponentKind) => {
      const out: { [key: string]: any } = {};
      for (const c of this.componentsOf(k)) out[c.id] = c.renderBody();
      return out;
    };
    const pipelines: { [key: string]: any } = {};
    for (const p of this.pipelines) {
      pipelines[p.name ? `${p.signal}/${p.name}` : p.signal] = {
        receivers: [...p.receivers],
        ...(p.processors && p.processors.length > 0 ? { processors: [...p.processors] } : {}),
        exporters: [...p.exporters],
      };
    }
    const extensions = this.componentsOf(OtelComponentKind.EXTENSION).map((c) => c.id);
    return {
      receivers: section(OtelComponentKind.RECEIVER),
      processors: section(OtelComponentKind.PROCESSOR),
      exporters: section(OtelComponentKind.EXPORTER),
      extensions: section(OtelComponentKind.EXTENSION),
      service: {
        ...(extensions.length > 0 ? { extensions } : {}),
        telemetry: {
          logs: { level: 'info' },
          metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: OTELCOL_TELEMETRY_PORT } } } }] },
        },
        pipelines,
      },
    };
  }
}
