import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ProfileSpec, StackProfile, StackProfileKind } from './profile';
import { AlloyCollector, AlloyCollectorProps } from '../alloy/collector';
import { AlloyLogs, AlloyLogsProps } from '../alloy/logs';
import { CollectorSizing } from '../alloy/sizing';
import { Beyla } from '../beyla/beyla';
import { compareText } from '../core/collate';
import { fail, show } from '../core/errors';
import { IDatasourceProvider, IMetricsStore, IRemoteWriteTarget, ITracesBackend } from '../core/interfaces';
import { validateNamespace } from '../core/names';
import { Namespace } from '../core/namespace';
import { ResourcePreset } from '../core/resources';
import { validateSharedProps } from '../core/validation';
import { ClusterEventsAnnotationOptions, KubernetesDashboards } from '../dashboards/kubernetes';
import { StackDashboards } from '../dashboards/self-monitoring';
import { Grafana, GrafanaProps } from '../grafana/grafana';
import { Loki, LokiProps } from '../loki/loki';
import { LokiMode, LokiProfile } from '../loki/modes';
import { Mimir, MimirMode, MimirProps } from '../mimir/mimir';
import { LgtmNetworkPolicies, LgtmNetworkPoliciesProps } from '../network/network-policies';
import { OtelCollector, OtelCollectorProps } from '../otel/collector';
import { Alertmanager, AlertmanagerProps } from '../prometheus/alertmanager';
import { PrometheusOperatorCrds } from '../prometheus/crds';
import { KubeStateMetrics, KubeStateMetricsProps, NodeExporter, NodeExporterProps } from '../prometheus/exporters';
import { KubeletMonitor, KubeletMonitorProps } from '../prometheus/kubelet';
import { PrometheusOperator, PrometheusOperatorProps } from '../prometheus/operator';
import { Prometheus, PrometheusProps } from '../prometheus/prometheus';
import { Pyroscope, PyroscopeProps } from '../pyroscope/pyroscope';
import { KubernetesWorkloadRules } from '../rules/kubernetes-workloads';
import { StackSelfMonitoringRules } from '../rules/self-monitoring';
import { ObjectStorage } from '../storage/object-storage';
import { TempoWorkload } from '../tempo/sizing';
import { Tempo, TempoMode, TempoProps } from '../tempo/tempo';

/** The span rate the production profile sizes Tempo for when `tempo.workload` is not given. */
const TEMPO_PRODUCTION_WORKLOAD: TempoWorkload = { spansPerSecond: 10_000 };

/**
 * Which components a `LgtmStack` renders. Every switch defaults to on, except `pyroscope` and `beyla`
 * (the profile decides: on in production for Pyroscope, off for Beyla, whose eBPF probes need a recent
 * kernel and a privileged namespace), `mimir` (on in production unless a `metricsStore` is given),
 * `otelCollector` (off: Alloy is the stack's collector) and `networkPolicies` (off).
 */
export interface StackComponents {
  /** The prometheus-operator CRDs (their own Chart, applied first). Off when the cluster gets them elsewhere. @default true */
  readonly crds?: boolean;
  /** The Prometheus Operator. Off when another stack or install runs it (one per cluster). @default true */
  readonly prometheusOperator?: boolean;
  /** Prometheus. @default true */
  readonly prometheus?: boolean;
  /** Alertmanager. @default true */
  readonly alertmanager?: boolean;
  /** node-exporter (in the agents namespace). @default true */
  readonly nodeExporter?: boolean;
  /** kube-state-metrics. @default true */
  readonly kubeStateMetrics?: boolean;
  /** The kubelet and cAdvisor ServiceMonitor. @default true */
  readonly kubeletMonitor?: boolean;
  /** Loki. @default true */
  readonly loki?: boolean;
  /** Grafana. @default true */
  readonly grafana?: boolean;
  /** Tempo. @default true */
  readonly tempo?: boolean;
  /** The Alloy log DaemonSet (in the agents namespace). @default true */
  readonly logsAgent?: boolean;
  /** The Alloy central OTLP collector. @default true */
  readonly collector?: boolean;
  /** Pyroscope. @default - on in the production profile, off in minikube */
  readonly pyroscope?: boolean;
  /** Beyla eBPF auto-instrumentation (in the agents namespace). @default false */
  readonly beyla?: boolean;
  /** An OpenTelemetry Collector (contrib) beside Alloy. @default false */
  readonly otelCollector?: boolean;
  /** The rule packs (stack self-monitoring, Kubernetes workloads). @default true */
  readonly rules?: boolean;
  /**
   * The shipped dashboards: the stack dashboards, and the Kubernetes compute dashboards (cluster,
   * namespace, pod, workload, nodes) when Prometheus, node-exporter, kube-state-metrics and the kubelet
   * monitor are on, with the collector's cluster events as annotations when it ships them to the stack's Loki.
   * @default true
   */
  readonly dashboards?: boolean;
  /** The stack's Namespaces (with their Pod Security labels). @default true */
  readonly namespaces?: boolean;
  /**
   * Mimir, the long-term metrics store: Prometheus remote-writes into it, the collector sends OTLP
   * metrics to it, Grafana gets it as a datasource. Distributed on object storage in the production
   * profile, Monolithic on a PVC in minikube.
   * @default - on in the production profile unless `metricsStore` is given, off in minikube
   */
  readonly mimir?: boolean;
  /**
   * NetworkPolicies from the wiring graph (`LgtmNetworkPolicies`): default-deny ingress in the stack's
   * namespaces, one allow rule per connection of the stack. Created last, in their own Chart; nothing may
   * connect to the stack's workloads afterwards except through `networkPolicies.admissions`.
   * @default false
   */
  readonly networkPolicies?: boolean;
}

/** Overrides of Beyla in a `LgtmStack` (the stack wires its OTLP target). */
export interface StackBeylaOptions {
  /** Namespaces whose pods Beyla instruments. @default - the stack's `appNamespaces` */
  readonly namespaces?: string[];
  /** Ports Beyla instruments. @default - none (namespaces only) */
  readonly ports?: number[];
  /** CPU and memory. @default - the profile's */
  readonly resources?: ResourcePreset;
  /** Container image. @default Images.BEYLA */
  readonly image?: string;
}

/** Properties of `LgtmStack`. */
export interface LgtmStackProps {
  /** Sizing and durability: `StackProfile.MINIKUBE` or `StackProfile.PRODUCTION`. */
  readonly profile: StackProfile;
  /** Namespace of the stack (Pod Security "restricted"). @default 'monitoring' */
  readonly namespace?: string;
  /** Namespace of the node agents (Pod Security "privileged"). @default - `<namespace>-agents` */
  readonly agentsNamespace?: string;
  /**
   * Namespaces of the applications the stack watches: created with the stack (Pod Security
   * "restricted"), watched by Prometheus, instrumented by Beyla.
   * @default - none
   */
  readonly appNamespaces?: string[];
  /** Which components to render. @default - see `StackComponents` */
  readonly components?: StackComponents;
  /**
   * Object storage of Loki, Tempo and Pyroscope. Required by the production profile (which refuses the
   * filesystem backend).
   * @default - filesystem PVCs (minikube only)
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * A long-term metrics store (Mimir): Prometheus remote-writes into it, the collector sends OTLP metrics
   * to it, Grafana gets it as a datasource.
   * @default - Prometheus' local TSDB only
   */
  readonly metricsStore?: IMetricsStore;
  /**
   * Overrides of the stack's own Mimir (`components.mimir`). `mimir.objectStorage` is required in the
   * production profile: Mimir keeps its blocks in buckets of its own (Pyroscope and Mimir both write the
   * tenant directory `anonymous/`, so one shared bucket would mix their blocks).
   * @default - the profile's: Distributed, sized for 1,000,000 active series (production); Monolithic on a PVC (minikube)
   */
  readonly mimir?: MimirProps;
  /**
   * Nodes of the cluster: sizes the Alloy collectors in the production profile (`CollectorSizing`:
   * about 100m and 128Mi per collector up to 50 nodes, 500m and 1Gi up to 1,000 nodes). The minikube
   * profile is one node.
   * @default 50 (production), 1 (minikube)
   */
  readonly clusterNodes?: number;
  /**
   * Options of the NetworkPolicies (`components.networkPolicies`): admissions for an ingress controller
   * or applications that push to the collector, namespaces outside the app.
   * @default - the stack's own namespaces, no admissions
   */
  readonly networkPolicies?: LgtmNetworkPoliciesProps;
  /** `cluster` external label on every metric and log line. @default - the stack's namespace */
  readonly clusterName?: string;
  /** Overrides of the operator (merged over the profile). @default - the profile's */
  readonly prometheusOperator?: PrometheusOperatorProps;
  /** Overrides of Prometheus. @default - the profile's */
  readonly prometheus?: PrometheusProps;
  /** Alertmanager: its receivers (required while Alertmanager is on) and overrides. @default - required unless `components.alertmanager` is false */
  readonly alertmanager?: AlertmanagerProps;
  /** Overrides of node-exporter. @default - the profile's */
  readonly nodeExporter?: NodeExporterProps;
  /** Overrides of kube-state-metrics. @default - the profile's */
  readonly kubeStateMetrics?: KubeStateMetricsProps;
  /** Overrides of the kubelet ServiceMonitor. @default - the profile's */
  readonly kubeletMonitor?: KubeletMonitorProps;
  /** Overrides of Loki. @default - the profile's */
  readonly loki?: LokiProps;
  /** Grafana: its admin Secret (required while Grafana is on) and overrides. @default - required unless `components.grafana` is false */
  readonly grafana?: GrafanaProps;
  /** Overrides of Tempo. @default - the profile's */
  readonly tempo?: TempoProps;
  /** Overrides of the Alloy log DaemonSet. @default - the profile's */
  readonly logsAgent?: AlloyLogsProps;
  /** Overrides of the Alloy central collector. @default - the profile's */
  readonly collector?: AlloyCollectorProps;
  /** Overrides of Pyroscope. @default - the profile's */
  readonly pyroscope?: PyroscopeProps;
  /** Overrides of Beyla. @default - the profile's */
  readonly beyla?: StackBeylaOptions;
  /** Overrides of the OpenTelemetry Collector. @default - the profile's */
  readonly otelCollector?: OtelCollectorProps;
}

/** The stacks of one app, for the clash check. */
const STACKS = Symbol.for('cdk8s-lgtm.LgtmStack.registry');
interface StackRecord { readonly path: string; readonly namespaces: string[]; readonly singletons: string[] }

/**
 * The whole LGTM stack, composed and wired by reference: the Prometheus Operator and its CRDs,
 * Prometheus, Alertmanager, node-exporter, kube-state-metrics, the kubelet monitor, Loki, Grafana (a
 * datasource for every backend, correlations wired), Tempo (its metrics-generator writing into
 * Prometheus), the Alloy log DaemonSet and central OTLP collector, optionally Pyroscope, Beyla and an
 * OpenTelemetry Collector, the rule packs and the stack dashboards.
 *
 * Pass the App as scope: the stack adds its own Charts to the App, named `<id>-00-crds`,
 * `<id>-01-namespaces`, `<id>-10-metrics`, `<id>-12-long-term-metrics`, `<id>-30-logs`,
 * `<id>-35-log-collection`, `<id>-40-traces`, `<id>-42-profiles`, `<id>-45-collection`, `<id>-50-grafana`
 * and `<id>-90-network-policies` (`charts`), so that with one file per chart the files are named
 * `lgtm-00-crds.yaml`, ... without a hash and sort in apply order: the CRDs first. In another scope
 * (a Chart), the Charts are the stack's children and cdk8s adds a path hash to their file names. Each component is a `public readonly` member, undefined when switched off; its props
 * are the profile's, overridden by the matching prop of the stack.
 */
export class LgtmStack extends Construct {
  /** The profile the stack was built with. */
  public readonly profile: StackProfile;
  /** Namespace of the stack. */
  public readonly namespace: string;
  /** Namespace of the node agents. */
  public readonly agentsNamespace: string;
  /** The prometheus-operator CRDs. */
  public readonly crds?: PrometheusOperatorCrds;
  /** The Prometheus Operator. */
  public readonly prometheusOperator?: PrometheusOperator;
  /** Prometheus. */
  public readonly prometheus?: Prometheus;
  /** Alertmanager. */
  public readonly alertmanager?: Alertmanager;
  /** node-exporter. */
  public readonly nodeExporter?: NodeExporter;
  /** kube-state-metrics. */
  public readonly kubeStateMetrics?: KubeStateMetrics;
  /** The kubelet and cAdvisor ServiceMonitor. */
  public readonly kubeletMonitor?: KubeletMonitor;
  /** Loki. */
  public readonly loki?: Loki;
  /** Grafana. */
  public readonly grafana?: Grafana;
  /** Tempo. */
  public readonly tempo?: Tempo;
  /** The Alloy log DaemonSet. */
  public readonly logsAgent?: AlloyLogs;
  /** The Alloy central collector. */
  public readonly collector?: AlloyCollector;
  /** Pyroscope. */
  public readonly pyroscope?: Pyroscope;
  /** Beyla. */
  public readonly beyla?: Beyla;
  /** The OpenTelemetry Collector. */
  public readonly otelCollector?: OtelCollector;
  /** Stack self-monitoring rules. */
  public readonly selfMonitoringRules?: StackSelfMonitoringRules;
  /** Kubernetes workload rules. */
  public readonly workloadRules?: KubernetesWorkloadRules;
  /** The stack dashboards. */
  public readonly dashboards?: StackDashboards;
  /**
   * The Kubernetes compute dashboards (needs Prometheus, node-exporter, kube-state-metrics and the kubelet
   * monitor), with the cluster events as Loki annotations when the collector ships them to the stack's Loki.
   */
  public readonly kubernetesDashboards?: KubernetesDashboards;
  /** The stack's own Mimir (`components.mimir`). */
  public readonly mimir?: Mimir;
  /** The long-term metrics store the stack writes to: `metricsStore`, or the stack's own Mimir. */
  public readonly metricsStore?: IMetricsStore;
  /** The NetworkPolicies (`components.networkPolicies`). */
  public readonly networkPolicies?: LgtmNetworkPolicies;
  /** The collector sizing the profile applied (production). */
  public readonly collectorSizing?: CollectorSizing;
  /**
   * The Charts the stack adds, in apply order. With the App as scope they are the App's children, named
   * `<id>-<NN>-<part>` (files `lgtm-10-metrics.yaml`), so their file names carry no hash; in any other
   * scope they are the stack's children.
   */
  public readonly charts: Chart[] = [];

  constructor(scope: Construct, id: string, props: LgtmStackProps) {
    super(scope, id);
    validateSharedProps(this, props);
    if (!props.profile || !(props.profile instanceof StackProfile)) {
      fail(this, { problem: "'profile' is missing", received: show(props.profile), expected: 'StackProfile.MINIKUBE or StackProfile.PRODUCTION', fix: 'pass profile: StackProfile.MINIKUBE for a laptop cluster' });
    }
    const profile = props.profile;
    const p = profile._spec;
    this.profile = profile;
    this.namespace = validateNamespace(this, 'namespace', props.namespace ?? 'monitoring');
    this.agentsNamespace = validateNamespace(this, 'agentsNamespace', props.agentsNamespace ?? `${this.namespace}-agents`);
    const appNamespaces = [...new Set(props.appNamespaces ?? [])];
    appNamespaces.forEach((n) => validateNamespace(this, 'appNamespaces', n));
    const on = resolveSwitches(props.components ?? {}, p, props.metricsStore !== undefined);

    validateNamespaces(this, this.namespace, this.agentsNamespace, appNamespaces);
    validateDependencies(this, on);
    validateProfileOverrides(this, profile, props, on);
    validateMetricsStore(this, profile, props, on);
    registerStack(this, [this.namespace, this.agentsNamespace, ...appNamespaces], on);
    // charts as the App's children when the App is the scope: file names without a path hash
    const atRoot = scope.node.scope === undefined;
    const chartScope: Construct = atRoot ? scope : this;
    const chartPrefix = atRoot ? `${id}-` : '';
    const chart = (part: string): Chart => {
      const c = new Chart(chartScope, `${chartPrefix}${part}`);
      this.charts.push(c);
      return c;
    };

    const namespace = this.namespace;
    const agents = this.agentsNamespace;
    const cluster = props.clusterName ?? namespace;
    const prod = p.kind === StackProfileKind.PRODUCTION;
    const storage = { size: p.volumeSize };
    const objectStorage = props.objectStorage ?? ObjectStorage.filesystem({ size: p.volumeSize });
    const sizing = prod ? CollectorSizing.forNodes(this, props.clusterNodes ?? 50) : undefined;
    this.collectorSizing = sizing;
    const collectorSpec = sizing ? { replicas: sizing.collectorReplicas, resources: sizing.collector } : p.collector;
    const logsAgentResources = sizing ? sizing.nodeAgent : p.logsAgent.resources;

    if (on.crds) this.crds = new PrometheusOperatorCrds(chart('00-crds'), 'Crds');
    if (on.namespaces) {
      const c = chart('01-namespaces');
      new Namespace(c, 'Namespace', { name: namespace });
      const nodeAgents = on.nodeExporter || on.logsAgent || on.beyla;
      if (nodeAgents) Namespace.forNodeAgents(c, 'AgentsNamespace', { name: agents });
      for (const n of appNamespaces) new Namespace(c, `App-${n}`, { name: n });
    }

    // long-term metrics: the stack's own Mimir unless a store is given
    if (on.mimir) {
      this.mimir = new Mimir(chart('12-long-term-metrics'), 'Mimir', {
        mode: prod ? MimirMode.DISTRIBUTED : MimirMode.MONOLITHIC,
        ...(prod ? {} : { resources: p.mimir.resources, storage: { size: p.volumeSize } }),
        ...props.mimir,
        namespace: props.mimir?.namespace ?? namespace,
      });
    }
    const metricsStore: IMetricsStore | undefined = props.metricsStore ?? this.mimir;
    this.metricsStore = metricsStore;

    // metrics and alerting
    const metrics = chart('10-metrics');
    if (on.prometheusOperator) {
      this.prometheusOperator = new PrometheusOperator(metrics, 'Operator', {
        resources: p.operator.resources,
        configReloaderResources: p.configReloader,
        ...props.prometheusOperator,
        namespace: props.prometheusOperator?.namespace ?? namespace,
      });
    }
    if (on.prometheus) {
      const watch = props.prometheus?.watchNamespaces
        ?? (appNamespaces.length > 0 && !p.watchAllNamespaces ? [namespace, agents, ...appNamespaces] : undefined);
      this.prometheus = new Prometheus(metrics, 'Prometheus', {
        replicas: p.prometheus.replicas,
        resources: p.prometheus.resources,
        retention: p.prometheusRetention,
        storage,
        exemplarStorage: true,
        externalLabels: { cluster },
        watchAllNamespaces: watch ? undefined : (p.watchAllNamespaces || undefined),
        ...props.prometheus,
        watchNamespaces: watch,
        namespace: props.prometheus?.namespace ?? namespace,
      });
      if (metricsStore) this.prometheus.addRemoteWrite(metricsStore);
    }
    if (on.alertmanager) {
      if (!props.alertmanager) {
        fail(this, {
          problem: "Alertmanager is on but 'alertmanager' gives it no receiver",
          received: 'alertmanager: undefined',
          expected: 'alertmanager: { defaultReceiver: AlertReceiver.slack(...) } (alerts never go to a silent receiver)',
          fix: "pass 'alertmanager' with a defaultReceiver, or switch it off with components: { alertmanager: false }",
        });
      }
      this.alertmanager = new Alertmanager(metrics, 'Alertmanager', {
        replicas: p.alertmanager.replicas,
        resources: p.alertmanager.resources,
        storage: { size: prod ? p.volumeSize : storage.size },
        ...props.alertmanager,
        namespace: props.alertmanager.namespace ?? namespace,
      });
      this.prometheus?.addAlertmanager(this.alertmanager);
    }
    if (on.kubeStateMetrics) {
      this.kubeStateMetrics = new KubeStateMetrics(metrics, 'KubeStateMetrics', {
        resources: p.kubeStateMetrics.resources, ...props.kubeStateMetrics, namespace: props.kubeStateMetrics?.namespace ?? namespace,
      });
    }
    if (on.nodeExporter) {
      this.nodeExporter = new NodeExporter(metrics, 'NodeExporter', {
        resources: p.nodeExporter.resources, ...props.nodeExporter, namespace: props.nodeExporter?.namespace ?? agents,
      });
    }
    if (on.kubeletMonitor) {
      this.kubeletMonitor = new KubeletMonitor(metrics, 'KubeletMonitor', { ...props.kubeletMonitor, namespace: props.kubeletMonitor?.namespace ?? namespace });
    }
    if (on.rules) {
      // one checked pack per part: the parts whose component is off are left out
      this.selfMonitoringRules = new StackSelfMonitoringRules(metrics, 'SelfMonitoringRules', {
        namespace,
        alertmanagerAlerts: this.alertmanager !== undefined,
        operatorAlerts: this.prometheusOperator !== undefined,
        volumeAlerts: this.kubeletMonitor !== undefined,
      });
      this.workloadRules = new KubernetesWorkloadRules(metrics, 'WorkloadRules', { namespace });
    }

    // logs
    if (on.loki) {
      const logs = chart('30-logs');
      this.loki = new Loki(logs, 'Loki', {
        mode: prod ? LokiMode.DISTRIBUTED : LokiMode.MONOLITHIC,
        profile: prod ? LokiProfile.PRODUCTION : LokiProfile.SMALL,
        objectStorage,
        resources: prod ? undefined : p.loki.resources,
        retention: p.lokiRetention,
        alertmanager: this.alertmanager,
        ...props.loki,
        namespace: props.loki?.namespace ?? namespace,
      });
    }
    if (on.logsAgent && this.loki) {
      const c = chart('35-log-collection');
      this.logsAgent = new AlloyLogs(c, 'AlloyLogs', {
        resources: logsAgentResources, externalLabels: { cluster }, ...props.logsAgent, namespace: props.logsAgent?.namespace ?? agents,
      });
      this.logsAgent.addLogsDestination(this.loki);
    }

    // traces and profiles
    const metricsTarget: IRemoteWriteTarget | undefined = this.prometheus ?? metricsStore;
    if (on.tempo) {
      // production: scalable, sized by TempoSizing from the span rate (10,000 spans/s unless given)
      const tempoWorkload = prod ? props.tempo?.workload ?? TEMPO_PRODUCTION_WORKLOAD : undefined;
      this.tempo = new Tempo(chart('40-traces'), 'Tempo', {
        mode: prod ? TempoMode.SCALABLE : TempoMode.MONOLITHIC,
        replicas: p.tempo.replicas,
        resources: p.tempo.resources,
        objectStorage,
        retention: tempoWorkload?.retention ? undefined : p.tempoRetention,
        workload: tempoWorkload,
        metricsGenerator: this.prometheus ? { remoteWriteTarget: this.prometheus } : undefined,
        ...props.tempo,
        namespace: props.tempo?.namespace ?? namespace,
      });
    }
    if (on.pyroscope) {
      this.pyroscope = new Pyroscope(chart('42-profiles'), 'Pyroscope', {
        replicas: p.pyroscopeSpec.replicas,
        resources: p.pyroscopeSpec.resources,
        objectStorage,
        ...props.pyroscope,
        namespace: props.pyroscope?.namespace ?? namespace,
      });
    }
    const collection = on.collector || on.otelCollector || on.beyla ? chart('45-collection') : undefined;
    if (on.collector && collection) {
      this.collector = new AlloyCollector(collection, 'Collector', {
        replicas: collectorSpec.replicas,
        resources: collectorSpec.resources,
        tracesBackend: this.tempo,
        logsBackend: this.loki,
        metricsTarget: metricsStore ?? metricsTarget,
        profilesBackend: this.pyroscope,
        ...props.collector,
        namespace: props.collector?.namespace ?? namespace,
      });
    }
    if (on.otelCollector && collection) {
      this.otelCollector = new OtelCollector(collection, 'OtelCollector', {
        replicas: p.otelCollector.replicas,
        resources: p.otelCollector.resources,
        tracesBackend: this.tempo,
        logsBackend: this.loki,
        metricsTarget: metricsStore ?? metricsTarget,
        ...props.otelCollector,
        namespace: props.otelCollector?.namespace ?? namespace,
      });
    }
    if (on.beyla && collection) {
      const target: ITracesBackend = (this.collector ?? this.otelCollector)!;
      this.beyla = new Beyla(collection, 'Beyla', {
        namespace: agents,
        otlpTarget: target,
        namespaces: props.beyla?.namespaces ?? (appNamespaces.length > 0 ? appNamespaces : undefined),
        ports: props.beyla?.ports,
        resources: props.beyla?.resources ?? p.beylaSpec.resources,
        image: props.beyla?.image,
      });
    }

    // Grafana: a datasource for every backend (correlations wired by kind), the stack dashboards
    if (on.grafana) {
      if (!props.grafana) {
        fail(this, {
          problem: "Grafana is on but 'grafana' names no admin Secret",
          received: 'grafana: undefined',
          expected: "grafana: { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } } (no default password)",
          fix: "pass 'grafana' with an adminSecret, or switch it off with components: { grafana: false }",
        });
      }
      const external = props.grafana.database?.external ?? false;
      const grafanaChart = chart('50-grafana');
      this.grafana = new Grafana(grafanaChart, 'Grafana', {
        replicas: prod && external ? 2 : 1,
        resources: p.grafana.resources,
        ...props.grafana,
        namespace: props.grafana.namespace ?? namespace,
      });
      const sources: Array<IDatasourceProvider | undefined> = [
        this.prometheus, metricsStore, this.alertmanager, this.loki, this.tempo, this.pyroscope,
      ];
      for (const s of sources) if (s) this.grafana.addDatasource(s);
      if (on.dashboards && (this.prometheus || metricsStore)) {
        this.dashboards = new StackDashboards(grafanaChart, 'StackDashboards', {
          metricsDatasourceUid: this.prometheus ? this.prometheus.datasourceInfo.uid : metricsStore!.datasourceInfo.uid,
          components: [this.grafana, this.prometheusOperator, this.tempo, this.pyroscope, this.otelCollector]
            .filter((c): c is NonNullable<typeof c> => c !== undefined),
        });
        for (const d of this.dashboards.all) this.grafana.addDashboard(d);
      }
      // the Kubernetes compute dashboards read cAdvisor, kube-state-metrics and node-exporter: only with all three
      if (on.dashboards && this.prometheus && this.kubeletMonitor && this.kubeStateMetrics && this.nodeExporter) {
        // the events next to the workload they concern: Loki annotations, when the events reach the stack's Loki
        const clusterEvents: ClusterEventsAnnotationOptions | undefined = this.loki && this.collector?.eventsBackend === this.loki
          ? { logsDatasourceUid: this.loki.datasourceInfo.uid, jobName: props.collector?.clusterEvents?.jobName }
          : undefined;
        this.kubernetesDashboards = new KubernetesDashboards(grafanaChart, 'KubernetesDashboards', { clusterEvents });
        for (const d of this.kubernetesDashboards.all) this.grafana.addDashboard(d);
      }
    }

    // "down or absent" and failure alerts for every component the stack renders and scrapes (Beyla has no
    // scrape endpoint: it is watched through kube-state-metrics)
    if (this.selfMonitoringRules) {
      const scraped = [
        this.kubeStateMetrics, this.nodeExporter, this.loki, this.logsAgent, this.tempo, this.pyroscope,
        this.collector, this.otelCollector, this.grafana,
      ];
      for (const c of scraped) if (c?.serviceMonitor) this.selfMonitoringRules.watchComponent(c);
      if (this.beyla && this.kubeStateMetrics) this.selfMonitoringRules.watchComponent(this.beyla);
    }

    if (prod) spreadReplicas(this, this.charts);
    this.charts.sort((a, b) => compareText(a.node.id, b.node.id));

    // the policies are drawn at synth from the wiring of the whole app (anything added after this too)
    if (on.networkPolicies) {
      const owned = [namespace, ...(on.nodeExporter || on.logsAgent || on.beyla ? [agents] : [])];
      this.networkPolicies = new LgtmNetworkPolicies(chart('90-network-policies'), 'NetworkPolicies', {
        namespaces: owned,
        ...props.networkPolicies,
      });
    }
  }
}

/** The switches with their defaults. */
function resolveSwitches(c: StackComponents, p: ProfileSpec, storeGiven: boolean): Required<StackComponents> {
  return {
    crds: c.crds ?? true,
    prometheusOperator: c.prometheusOperator ?? true,
    prometheus: c.prometheus ?? true,
    alertmanager: c.alertmanager ?? true,
    nodeExporter: c.nodeExporter ?? true,
    kubeStateMetrics: c.kubeStateMetrics ?? true,
    kubeletMonitor: c.kubeletMonitor ?? true,
    loki: c.loki ?? true,
    grafana: c.grafana ?? true,
    tempo: c.tempo ?? true,
    logsAgent: c.logsAgent ?? true,
    collector: c.collector ?? true,
    pyroscope: c.pyroscope ?? p.pyroscope,
    beyla: c.beyla ?? p.beyla,
    otelCollector: c.otelCollector ?? false,
    rules: c.rules ?? true,
    dashboards: c.dashboards ?? true,
    namespaces: c.namespaces ?? true,
    mimir: c.mimir ?? (p.mimir.enabled && !storeGiven),
    networkPolicies: c.networkPolicies ?? false,
  };
}

/**
 * What each component needs: every enabled component's needs must be enabled too (first match wins).
 * The CRDs and the operator are cluster-wide and may come from elsewhere (another stack of the app, a
 * separate Argo CD Application), so switching them off is never refused.
 */
const NEEDS: Array<{ component: keyof StackComponents; needs: Array<keyof StackComponents>; why: string }> = [
  { component: 'alertmanager', needs: ['prometheus'], why: 'without Prometheus no alert reaches it' },
  { component: 'nodeExporter', needs: ['prometheus'], why: 'its ServiceMonitor would be selected by no Prometheus' },
  { component: 'kubeStateMetrics', needs: ['prometheus'], why: 'its ServiceMonitor would be selected by no Prometheus' },
  { component: 'kubeletMonitor', needs: ['prometheus'], why: 'its ServiceMonitor would be selected by no Prometheus' },
  { component: 'rules', needs: ['prometheus'], why: 'no Prometheus would evaluate the rule packs' },
  { component: 'logsAgent', needs: ['loki'], why: 'the log DaemonSet pushes to Loki' },
  { component: 'collector', needs: ['tempo'], why: 'the collector sends traces to Tempo' },
  { component: 'otelCollector', needs: ['tempo'], why: 'the collector sends traces to Tempo' },
  { component: 'beyla', needs: ['collector'], why: 'Beyla sends its traces and metrics over OTLP to the collector' },
  { component: 'dashboards', needs: ['grafana'], why: 'the dashboards are provisioned by Grafana' },
];

function validateDependencies(scope: IConstruct, on: Required<StackComponents>): void {
  for (const n of NEEDS) {
    if (!on[n.component]) continue;
    // Beyla may send to the OpenTelemetry Collector instead of Alloy
    const missing = n.needs.filter((x) => !on[x] && !(n.component === 'beyla' && x === 'collector' && on.otelCollector));
    if (missing.length === 0) continue;
    fail(scope, {
      problem: `'${n.component}' is on but needs ${missing.map((m) => `'${m}'`).join(' and ')}, which is off (${n.why})`,
      received: `components: { ${[n.component, ...missing].map((x) => `${x}: ${on[x]}`).join(', ')} }`,
      expected: `${missing.map((m) => `'${m}'`).join(' and ')} on whenever '${n.component}' is on`,
      fix: `drop '${missing[0]}: false', or switch '${n.component}' off too`,
    });
  }
}

function validateNamespaces(scope: IConstruct, namespace: string, agents: string, apps: string[]): void {
  if (agents === namespace) {
    fail(scope, {
      problem: "'agentsNamespace' is the stack's own namespace",
      received: show(agents),
      expected: 'a separate namespace: node agents need Pod Security "privileged", the stack enforces "restricted"',
      fix: `drop 'agentsNamespace' (default '${namespace}-agents') or name another namespace`,
    });
  }
  for (const a of apps) {
    if (a === namespace || a === agents) {
      fail(scope, {
        problem: "'appNamespaces' names a namespace of the stack itself",
        received: show(a),
        expected: `namespaces other than ${show(namespace)} and ${show(agents)}`,
        fix: `remove ${show(a)} from 'appNamespaces'`,
      });
    }
  }
}

/** Mimir, the given store, the sizing and the policy options: each only where the stack uses it. */
function validateMetricsStore(scope: IConstruct, profile: StackProfile, props: LgtmStackProps, on: Required<StackComponents>): void {
  const p = profile._spec;
  const prod = p.kind === StackProfileKind.PRODUCTION;
  if (on.mimir && props.metricsStore) {
    fail(scope, {
      problem: "'components.mimir' is on and 'metricsStore' is given: the stack would write to two long-term stores",
      received: `components.mimir: true, metricsStore: ${props.metricsStore.node.path}`,
      expected: 'one long-term metrics store: the stack\'s own Mimir, or the given one',
      fix: "drop 'components.mimir' to use the given store, or drop 'metricsStore' to let the stack run Mimir",
    });
  }
  if (props.mimir && !on.mimir) {
    fail(scope, {
      problem: "'mimir' overrides are given, but the stack renders no Mimir",
      received: `mimir: {...}, ${props.metricsStore ? `metricsStore: ${props.metricsStore.node.path}` : `components.mimir: false (profile ${show(profile.kind)})`}`,
      expected: "'mimir' only together with the stack's own Mimir",
      fix: props.metricsStore ? "drop 'mimir' (the given metricsStore is configured where it is created)" : "pass components: { mimir: true }, or drop 'mimir'",
    });
  }
  if (on.mimir && prod) {
    const own = props.mimir?.objectStorage;
    if (!own) {
      fail(scope, {
        problem: 'profile "production" runs Mimir on object storage, and \'mimir.objectStorage\' is not given',
        received: 'mimir.objectStorage: undefined',
        expected: "mimir: { objectStorage: ObjectStorage.s3({ buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler' }, ... }) }: buckets of Mimir's own (Mimir and Pyroscope both write the tenant directory 'anonymous/')",
        fix: "pass 'mimir.objectStorage', or 'metricsStore' (a Mimir created elsewhere), or components: { mimir: false }",
      });
    }
    const shared = props.objectStorage && !own.isFilesystem && !props.objectStorage.isFilesystem
      && own.backend === props.objectStorage.backend && own._bind(scope).buckets?.chunks === props.objectStorage._bind(scope).buckets?.chunks;
    if (shared) {
      fail(scope, {
        problem: "'mimir.objectStorage' uses the bucket of 'objectStorage' (Loki, Tempo, Pyroscope)",
        received: `bucket ${show(own._bind(scope).buckets?.chunks)} in both`,
        expected: "a bucket of Mimir's own (Mimir and Pyroscope both write the tenant directory 'anonymous/')",
        fix: "give 'mimir.objectStorage' its own bucket, e.g. buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler' }",
      });
    }
  }
  if (props.clusterNodes !== undefined && !prod && props.clusterNodes !== 1) {
    fail(scope, {
      problem: `'clusterNodes: ${props.clusterNodes}' contradicts profile ${show(profile.kind)}`,
      received: `clusterNodes: ${show(props.clusterNodes)}`,
      expected: '1 (the minikube profile sizes everything for one node)',
      fix: "drop 'clusterNodes', or use StackProfile.PRODUCTION, which sizes the collectors from it",
    });
  }
  if (props.networkPolicies && !on.networkPolicies) {
    fail(scope, {
      problem: "'networkPolicies' options are given, but the NetworkPolicies are off",
      received: 'networkPolicies: {...}, components.networkPolicies: false',
      expected: "'networkPolicies' only with components: { networkPolicies: true }",
      fix: "pass components: { networkPolicies: true }, or drop 'networkPolicies'",
    });
  }
}

/** A profile's invariants cannot be overridden away: the override contradicts the profile. */
function validateProfileOverrides(scope: IConstruct, profile: StackProfile, props: LgtmStackProps, on: Required<StackComponents>): void {
  const p = profile._spec;
  const contradiction = (what: string, received: string, expected: string, fix: string): never => fail(scope, {
    problem: `${what} contradicts profile ${show(profile.kind)}`, received, expected, fix,
  });
  const stores: Array<[string, ObjectStorage | undefined, boolean]> = [
    ['objectStorage', props.objectStorage, on.loki || on.tempo || on.pyroscope],
    ['loki.objectStorage', props.loki?.objectStorage, on.loki],
    ['tempo.objectStorage', props.tempo?.objectStorage, on.tempo],
    ['pyroscope.objectStorage', props.pyroscope?.objectStorage, on.pyroscope],
    ['mimir.objectStorage', props.mimir?.objectStorage, on.mimir],
  ];
  if (p.requiresObjectStorage) {
    for (const [prop, store, used] of stores) {
      if (used && store?.isFilesystem) {
        contradiction(`filesystem storage in '${prop}'`, `${prop}: ObjectStorage.filesystem(...)`,
          'an object store (ObjectStorage.s3/gcs/azure): production replicas share blocks through it',
          `pass ObjectStorage.s3({...}) (or gcs/azure) as '${prop}', or use StackProfile.MINIKUBE for a one-node cluster`);
      }
    }
    const needsStore = [['loki', on.loki, props.loki?.objectStorage], ['tempo', on.tempo, props.tempo?.objectStorage], ['pyroscope', on.pyroscope, props.pyroscope?.objectStorage]] as const;
    for (const [c, used, own] of needsStore) {
      if (used && !own && !props.objectStorage) {
        fail(scope, {
          problem: `profile "production" needs object storage for ${c}, and none is given`,
          received: 'objectStorage: undefined',
          expected: 'objectStorage: ObjectStorage.s3({...}) (or gcs/azure), shared by Loki, Tempo and Pyroscope',
          fix: `pass 'objectStorage', or '${c}.objectStorage', or switch ${c} off`,
        });
      }
    }
  }
  const replicaProps: Array<[string, number | undefined, boolean]> = [
    ['prometheus.replicas', props.prometheus?.replicas, true],
    ['alertmanager.replicas', props.alertmanager?.replicas, true],
    ['tempo.replicas', props.tempo?.replicas, true],
    ['pyroscope.replicas', props.pyroscope?.replicas, true],
    ['collector.replicas', props.collector?.replicas, true],
    ['otelCollector.replicas', props.otelCollector?.replicas, true],
    ['grafana.replicas', props.grafana?.replicas, false],
  ];
  for (const [prop, n, ha] of replicaProps) {
    if (n === undefined) continue;
    if (p.highAvailability && ha && n < 2) {
      contradiction(`'${prop}: ${n}'`, `${prop}: ${n}`, 'at least 2 replicas (the production profile is highly available)',
        `drop '${prop}', or use StackProfile.MINIKUBE for a single-replica stack`);
    }
    if (!p.highAvailability && n > 1) {
      contradiction(`'${prop}: ${n}'`, `${prop}: ${n}`, '1 replica (the minikube profile runs one of each, on filesystem storage, within 1 GiB of requests)',
        `drop '${prop}', or use StackProfile.PRODUCTION (object storage, HA)`);
    }
  }
  if (p.highAvailability) {
    const pdbs: Array<[string, boolean | undefined]> = [
      ['prometheus.podDisruptionBudget', props.prometheus?.podDisruptionBudget],
      ['alertmanager.podDisruptionBudget', props.alertmanager?.podDisruptionBudget],
      ['loki.podDisruptionBudget', props.loki?.podDisruptionBudget],
      ['tempo.podDisruptionBudget', props.tempo?.podDisruptionBudget],
      ['pyroscope.podDisruptionBudget', props.pyroscope?.podDisruptionBudget],
      ['collector.podDisruptionBudget', props.collector?.podDisruptionBudget],
    ];
    for (const [prop, v] of pdbs) {
      if (v === false) {
        contradiction(`'${prop}: false'`, `${prop}: false`, 'PodDisruptionBudgets on every replicated component (the production profile)',
          `drop '${prop}'`);
      }
    }
    if (props.loki?.mode === LokiMode.MONOLITHIC) {
      contradiction("'loki.mode: MONOLITHIC'", 'loki.mode: LokiMode.MONOLITHIC', 'LokiMode.DISTRIBUTED (replication factor 3 on object storage)', "drop 'loki.mode'");
    }
    if (props.tempo?.mode === TempoMode.MONOLITHIC) {
      contradiction("'tempo.mode: MONOLITHIC'", 'tempo.mode: TempoMode.MONOLITHIC', 'TempoMode.SCALABLE (replicas on object storage)', "drop 'tempo.mode'");
    }
    if (props.mimir?.mode === MimirMode.MONOLITHIC) {
      contradiction("'mimir.mode: MONOLITHIC'", 'mimir.mode: MimirMode.MONOLITHIC', 'MimirMode.DISTRIBUTED (replication factor 3 on object storage)', "drop 'mimir.mode'");
    }
  } else {
    if (props.loki?.mode === LokiMode.DISTRIBUTED) {
      contradiction("'loki.mode: DISTRIBUTED'", 'loki.mode: LokiMode.DISTRIBUTED', 'LokiMode.MONOLITHIC (one pod within the minikube budget)', "drop 'loki.mode', or use StackProfile.PRODUCTION");
    }
    if (props.tempo?.mode === TempoMode.SCALABLE) {
      contradiction("'tempo.mode: SCALABLE'", 'tempo.mode: TempoMode.SCALABLE', 'TempoMode.MONOLITHIC (one pod within the minikube budget)', "drop 'tempo.mode', or use StackProfile.PRODUCTION");
    }
    if (props.mimir?.mode === MimirMode.DISTRIBUTED) {
      contradiction("'mimir.mode: DISTRIBUTED'", 'mimir.mode: MimirMode.DISTRIBUTED', 'MimirMode.MONOLITHIC (one pod on a PVC)', "drop 'mimir.mode', or use StackProfile.PRODUCTION");
    }
  }
}

/**
 * Two stacks in one app must not write the same objects: namespaces are theirs alone, and the
 * cluster-wide parts (CRDs, the operator and its kubelet Service, node-exporter's host port) exist once.
 */
function registerStack(stack: LgtmStack, namespaces: string[], on: Required<StackComponents>): void {
  const root = stack.node.root as any;
  const records: StackRecord[] = root[STACKS] ?? (root[STACKS] = []);
  const singletons = (['crds', 'prometheusOperator', 'nodeExporter'] as const).filter((s) => on[s]);
  for (const r of records) {
    const shared = namespaces.filter((n) => r.namespaces.includes(n));
    if (shared.length > 0) {
      fail(stack, {
        problem: `two LgtmStacks write to namespace ${show(shared[0])}: their objects (prometheus, loki, grafana, ...) would clash by name`,
        received: `namespaces ${show(namespaces)}, and ${show(r.namespaces)} of the stack at ${r.path}`,
        expected: 'each stack in namespaces of its own',
        fix: `give this stack another 'namespace' (and 'agentsNamespace'/'appNamespaces'), e.g. namespace: '${shared[0]}-2'`,
      });
    }
    const both = singletons.filter((s) => r.singletons.includes(s));
    if (both.length > 0) {
      fail(stack, {
        problem: `two LgtmStacks both render the cluster-wide '${both[0]}' (one per cluster: CRDs, the operator, node-exporter's host port 9100)`,
        received: `components.${both.join(', components.')} on in this stack and in the stack at ${r.path}`,
        expected: 'the cluster-wide components in one stack only',
        fix: `switch them off in the second stack: components: { ${both.map((b) => `${b}: false`).join(', ')} }`,
      });
    }
  }
  records.push({ path: stack.node.path, namespaces, singletons });
}

/**
 * Production: every replicated workload spreads its pods across zones and nodes (preferred, so a
 * one-zone cluster still schedules), where the component does not place them itself.
 */
function spreadReplicas(stack: LgtmStack, charts: Chart[]): void {
  const seen = new Set<IConstruct>();
  for (const c of [stack, ...charts].flatMap((x) => x.node.findAll())) {
    if (seen.has(c)) continue;
    seen.add(c);
    if (!(c instanceof ApiObject)) continue;
    const kind = c.kind;
    const json = c.toJson();
    if ((kind === 'Prometheus' || kind === 'Alertmanager') && (json.spec?.replicas ?? 1) > 1 && !json.spec?.topologySpreadConstraints) {
      const selector = { matchLabels: { [kind === 'Prometheus' ? 'prometheus' : 'alertmanager']: json.metadata.name } };
      c.addJsonPatch(JsonPatch.add('/spec/topologySpreadConstraints', spread(selector)));
    } else if ((kind === 'Deployment' || kind === 'StatefulSet') && (json.spec?.replicas ?? 1) > 1
      && !json.spec?.template?.spec?.topologySpreadConstraints) {
      c.addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', spread(json.spec.selector)));
    }
  }
}

function spread(labelSelector: any): any[] {
  return [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}
