import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { addSynthWarning, PROMTAIL_DEPRECATION } from './deprecation';
import { validateHostPath } from '../alloy/host-path';
import { Component } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { addLgtmValidation, fail, show } from '../core/errors';
import { Images } from '../core/images';
import { ILogsBackend } from '../core/interfaces';
import { logsDestinationErrors } from '../core/logs-destinations';
import { AGENTS_NAMESPACE } from '../core/names';
import { emptyDirVolume, hostPathVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { requireValidLogQL } from '../core/query';
import { ResourcePreset } from '../core/resources';
import { TOLERATE_ALL, Toleration } from '../core/scheduling';

/** Promtail's HTTP port (the Grafana chart's default): `/metrics`, `/ready`. */
const HTTP_PORT = 3101;
const CONFIG_DIR = '/etc/promtail';
const POSITIONS_DIR = '/var/lib/promtail';
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A Promtail pipeline stage (the subset the library types). Created with the static factories.
 */
export class PromtailStage {
  /** Parses the CRI log format (containerd, CRI-O): needed for files under /var/log/pods. */
  public static cri(): PromtailStage {
    return new PromtailStage({ cri: {} });
  }

  /** Parses the Docker JSON log format (nodes on the dockershim runtime). */
  public static docker(): PromtailStage {
    return new PromtailStage({ docker: {} });
  }

  /** Extracts fields from JSON lines: extracted name → JMESPath expression. */
  public static json(expressions: { [name: string]: string }): PromtailStage {
    return new PromtailStage({ json: { expressions: sortedCopy(expressions) } });
  }

  /** Turns extracted values into labels (keep these few and low-cardinality). */
  public static labels(names: string[]): PromtailStage {
    return new PromtailStage({ labels: Object.fromEntries([...names].sort().map((n) => [n, ''])) }, names);
  }

  /** Turns extracted values into structured metadata (for high-cardinality values such as trace IDs). */
  public static structuredMetadata(names: string[]): PromtailStage {
    return new PromtailStage({ structured_metadata: Object.fromEntries([...names].sort().map((n) => [n, ''])) }, names);
  }

  /** Adds fixed labels. */
  public static staticLabels(labels: { [name: string]: string }): PromtailStage {
    return new PromtailStage({ static_labels: sortedCopy(labels) }, Object.keys(labels));
  }

  /**
   * Drops lines matching a LogQL selector with optional line filters, e.g. `{job="backend"} |= "debug"`
   * (a `match` stage with `action: drop`; parsed at synth).
   */
  public static dropMatching(selector: string): PromtailStage {
    return new PromtailStage({ match: { selector, action: 'drop', drop_counter_reason: 'drop_filter' } }, [], selector);
  }

  private constructor(
    private readonly rendered: { [key: string]: any },
    private readonly labelNames: string[] = [],
    private readonly logql?: string,
  ) {}

  /** @internal */
  public _render(scope: IConstruct, where: string): { [key: string]: any } {
    for (const n of this.labelNames) requireLabelName(scope, where, n);
    if (this.logql !== undefined) {
      requireValidLogQL(scope, where, this.logql);
      if (!this.logql.trim().startsWith('{')) {
        fail(scope, {
          problem: `${where}: a drop stage needs a stream selector`,
          received: show(this.logql),
          expected: 'a LogQL selector with optional line filters, e.g. {job="backend"} |= "debug"',
          fix: 'start the expression with a stream selector',
        });
      }
    }
    return this.rendered;
  }
}

function sortedCopy(m: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
}

function requireLabelName(scope: IConstruct, where: string, name: string): void {
  if (!LABEL_NAME.test(name) || name.startsWith('__')) {
    fail(scope, {
      problem: `${where}: '${name}' is not a valid Loki label name`,
      received: show(name),
      expected: 'letters, digits and underscores, not starting with a digit or "__"',
      fix: `rename it, e.g. ${show(name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[0-9_]+/, '') || 'label')}`,
    });
  }
}

/** Files under a host directory tailed with a fixed `job` label (e.g. `job=backend`). */
export interface PromtailStaticTarget {
  /** The `job` label. */
  readonly job: string;
  /** Absolute host directory holding the files; mounted read-only. */
  readonly hostPath: string;
  /**
   * Glob of the files under `hostPath`.
   * @default '*.log'
   */
  readonly include?: string;
  /**
   * More labels for these streams.
   * @default - none
   */
  readonly labels?: { [name: string]: string };
  /**
   * Pipeline stages.
   * @default - none
   */
  readonly pipelineStages?: PromtailStage[];
}

/** Properties of {@link Promtail}. */
export interface PromtailProps {
  /** Stable object name. @default 'promtail' */
  readonly name?: string;
  /**
   * Namespace: the node-agent namespace (Promtail needs host paths and root; `Namespace.forNodeAgents`).
   * @default - the Chart's namespace, else 'monitoring-agents'
   */
  readonly namespace?: string;
  /** @default Images.PROMTAIL */
  readonly image?: string;
  /** @default ResourcePreset.MICRO */
  readonly resources?: ResourcePreset;
  /**
   * Host directory for the positions file (durable: never /tmp or an emptyDir).
   * @default '/var/lib/promtail/<name>'
   */
  readonly positionsHostPath?: string;
  /**
   * Tail the logs of the Pods on each node (`kubernetes_sd_configs` role pod, files under
   * /var/log/pods, labels namespace/pod/container/app/job).
   * @default true
   */
  readonly kubernetesPods?: boolean;
  /**
   * Pipeline stages of the Pod logs job.
   * @default - cri, json (level, trace_id), labels [level], structured metadata [trace_id]
   */
  readonly kubernetesPodStages?: PromtailStage[];
  /**
   * Host files tailed with a `job` label.
   * @default - none
   */
  readonly staticTargets?: PromtailStaticTarget[];
  /** Labels added to every stream (client `external_labels`). @default - none */
  readonly externalLabels?: { [name: string]: string };
  /** Tolerations. @default - every taint (the logs of every node, control plane included) */
  readonly tolerations?: Toleration[];
  /** Node labels the pods must match. @default - every node */
  readonly nodeSelector?: { [key: string]: string };
  /** Emit a ServiceMonitor for Promtail's metrics. @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on the ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
}

/**
 * Promtail as a DaemonSet, for users following older guides (files under a host path with `job`
 * labels; Kubernetes Pod logs). Typed `promtail.yaml` (server, durable positions,
 * clients from `addLogsDestination(loki)`, scrape configs with pipeline stages).
 *
 * @deprecated Promtail reached end of life on 2026-03-02 (LTS ended 2026-02-28; its code was removed
 * upstream in Loki 3.7). Use `AlloyLogs`; migrate an existing config with
 * `alloy convert --source-format=promtail --output=config.alloy promtail.yaml`.
 */
export class Promtail extends Component {
  /** The ConfigMap holding `promtail.yaml`. */
  public readonly config: ConfigFiles;

  private readonly props: PromtailProps;
  private readonly destinations: ILogsBackend[] = [];
  private readonly staticTargets: PromtailStaticTarget[] = [];

  constructor(scope: Construct, id: string, props: PromtailProps = {}) {
    super(scope, id, props, { appName: 'promtail', name: 'promtail', image: Images.PROMTAIL, namespace: AGENTS_NAMESPACE });
    addSynthWarning(this, PROMTAIL_DEPRECATION);
    this.props = props;
    const positions = validateHostPath(this, 'positionsHostPath', props.positionsHostPath ?? `/var/lib/promtail/${this.name}`, true);
    for (const k of Object.keys(props.externalLabels ?? {})) requireLabelName(this, 'externalLabels', k);
    for (const t of props.staticTargets ?? []) this.addStaticTarget(t);
    if (props.kubernetesPods === false && this.staticTargets.length === 0) {
      fail(this, {
        problem: 'Promtail has nothing to tail',
        received: 'kubernetesPods: false and no staticTargets',
        expected: 'Pod logs, static targets, or both',
        fix: 'leave kubernetesPods on, or add staticTargets',
      });
    }

    this._addServiceAccount(false);
    // kubernetes_sd_configs role pod lists/watches Pods; files are read from the node, not the API.
    this._addClusterRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('promtail.yaml', () => this.buildConfig());

    const ports = [{ name: 'http', port: HTTP_PORT }];
    const podsOn = props.kubernetesPods ?? true;
    this._addDaemonSet({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
      template: this._podTemplate({
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        automountServiceAccountToken: podsOn,
        defaultTolerations: TOLERATE_ALL,
        // Documented exception: root, to read the 0640 root-owned files under /var/log/pods and the
        // static host paths; no capabilities, no privilege escalation, read-only root filesystem.
        securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [kubeContainer({
          name: 'promtail',
          image: this.image,
          args: [`-config.file=${CONFIG_DIR}/promtail.yaml`],
          // Promtail drops discovered Pods whose __host__ differs from HOSTNAME: make it the node name.
          env: [{ name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          ports,
          resources: this._resources(ResourcePreset.MICRO),
          readinessProbe: httpGetProbe('/ready', 'http'),
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: false,
            runAsUser: 0,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
          volumeMounts: [
            { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
            { name: 'positions', mountPath: POSITIONS_DIR },
            ...(podsOn ? [{ name: 'pods', mountPath: '/var/log/pods', readOnly: true }] : []),
            ...this.staticTargets.map((_, i) => ({ name: `static-${i}`, mountPath: staticMount(i), readOnly: true })),
            { name: 'tmp', mountPath: '/tmp' },
          ],
        })],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          hostPathVolume('positions', positions, 'DirectoryOrCreate'),
          ...(podsOn ? [hostPathVolume('pods', '/var/log/pods', 'Directory')] : []),
          ...this.staticTargets.map((t, i) => hostPathVolume(`static-${i}`, t.hostPath, 'Directory')),
          emptyDirVolume('tmp', '64Mi'),
        ],
      }),
    });

    this._addService({ ports });
    this._addServiceMonitor({ endpoints: [{ port: 'http', path: '/metrics' }] });
    addLgtmValidation(this, () => logsDestinationErrors(`Promtail '${this.name}'`, this.destinations, 'promtail.addLogsDestination(loki)'));
  }

  /** The DaemonSet (same as `workload`). */
  public get daemonSet(): ApiObject {
    return this.workload;
  }

  /** Pushes to a logs backend (a `clients[]` entry with its `pushUrl` and `tenantId`). */
  public addLogsDestination(backend: ILogsBackend): void {
    if (this.destinations.includes(backend)) {
      fail(this, { problem: `logs destination '${backend.node.path}' is added twice`, received: show(backend.node.path), expected: 'each backend once', fix: 'call addLogsDestination() once per backend' });
    }
    this.destinations.push(backend);
  }

  /** The push URLs of the clients (for wiring checks). */
  public get pushUrls(): string[] {
    return this.destinations.map((d) => d.pushUrl);
  }

  private addStaticTarget(t: PromtailStaticTarget): void {
    const i = this.staticTargets.length;
    if (!t.job || !/^[A-Za-z0-9_./-]+$/.test(t.job)) {
      fail(this, { problem: `staticTargets[${i}].job is empty or has characters other than letters, digits, _ . / -`, received: show(t.job), expected: 'a job name such as "backend"', fix: 'use a short job name' });
    }
    if (this.staticTargets.some((x) => x.job === t.job)) {
      fail(this, { problem: `staticTargets: job '${t.job}' is defined twice`, received: show(t.job), expected: 'one static target per job', fix: 'merge the two targets or rename one job' });
    }
    validateHostPath(this, `staticTargets[${i}].hostPath`, t.hostPath, false);
    const include = t.include ?? '*.log';
    if (include.startsWith('/') || include.split('/').includes('..') || include.length === 0) {
      fail(this, { problem: `staticTargets[${i}].include must be a glob relative to hostPath`, received: show(include), expected: 'e.g. "*.log" or "app/*.log"', fix: 'put the directory in hostPath and the file pattern in include' });
    }
    for (const k of Object.keys(t.labels ?? {})) requireLabelName(this, `staticTargets[${i}].labels`, k);
    this.staticTargets.push(t);
  }

  /** The typed promtail.yaml (Promtail 3.6 keys), built at synth time. */
  private buildConfig(): any {
    const podStages = this.props.kubernetesPodStages ?? [
      PromtailStage.cri(),
      PromtailStage.json({ level: 'level', trace_id: 'trace_id' }),
      PromtailStage.labels(['level']),
      PromtailStage.structuredMetadata(['trace_id']),
    ];
    const scrapeConfigs: any[] = [];
    if (this.props.kubernetesPods ?? true) {
      scrapeConfigs.push({
        job_name: 'kubernetes-pods',
        kubernetes_sd_configs: [{ role: 'pod' }],
        pipeline_stages: podStages.map((s, i) => s._render(this, `kubernetesPodStages[${i}]`)),
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: '__host__' },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app'], separator: ';', regex: '^;*([^;]+)(;.*)?$', target_label: 'app' },
          { source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: 'job' },
          { source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: '__path__', replacement: '/var/log/pods/*$1/*.log' },
        ],
      });
    }
    this.staticTargets.forEach((t, i) => {
      scrapeConfigs.push({
        job_name: t.job,
        static_configs: [{
          targets: ['localhost'],
          labels: { ...sortedCopy(t.labels ?? {}), job: t.job, __path__: `${staticMount(i)}/${t.include ?? '*.log'}` },
        }],
        ...(t.pipelineStages && t.pipelineStages.length > 0
          ? { pipeline_stages: t.pipelineStages.map((s, j) => s._render(this, `staticTargets[${i}].pipelineStages[${j}]`)) }
          : {}),
      });
    });
    const ext = this.props.externalLabels ?? {};
    const external = Object.keys(ext).length > 0 ? sortedCopy(ext) : undefined;
    return {
      server: { http_listen_port: HTTP_PORT, grpc_listen_port: 0, log_level: 'info' },
      positions: { filename: `${POSITIONS_DIR}/positions.yaml` },
      clients: this.destinations.map((d) => ({
        url: d.pushUrl,
        ...(d.tenantId !== undefined ? { tenant_id: d.tenantId } : {}),
        ...(external ? { external_labels: external } : {}),
      })),
      scrape_configs: scrapeConfigs,
    };
  }
}

function staticMount(i: number): string {
  return `/var/log/static/${i}`;
}
