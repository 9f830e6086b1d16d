import { Construct } from 'constructs';
import { GrafanaDashboard } from './grafana-dashboard';
import {
  PromQuery, dashboardLink, datasourceVariable, finish, newDashboard, queryVariable, quote, row, statPanel, timeseriesPanel,
} from './sdk';
import { DatasourceKind } from '../core/interfaces';
import { declareMetricPack } from '../core/provenance/registry';
import { validateSharedProps, validateSharedPropsAt } from '../core/validation';

/** Identity options of one Kubernetes compute or node dashboard. */
export interface KubernetesDashboardProps {
  /**
   * Stable dashboard UID.
   * @default - a fixed uid per dashboard ('k8s-compute-cluster', 'k8s-compute-namespace', 'k8s-compute-pod', 'k8s-compute-workload', 'node-exporter-nodes')
   */
  readonly uid?: string;
  /**
   * Title.
   * @default - 'Kubernetes / Compute Resources / Cluster' and so on
   */
  readonly title?: string;
  /**
   * Folder the dashboard is provisioned into.
   * @default 'Kubernetes'
   */
  readonly folder?: string;
  /**
   * Show the cluster events that the Alloy collector's `clusterEvents` pipeline ships to Loki as
   * annotations on the time-series panels (the events of the selected namespaces, pods or workloads).
   * @default - no event annotations
   */
  readonly clusterEvents?: ClusterEventsAnnotationOptions;
}

/**
 * The cluster-events annotation of the Kubernetes dashboards. It queries the labels that
 * `loki.source.kubernetes_events` and the collector's `loki.process` stage write: `job`, `namespace`,
 * and `kind`, `name` (the involved object) and `reason`.
 */
export interface ClusterEventsAnnotationOptions {
  /**
   * UID of the Loki datasource that holds the events.
   * @default - the Grafana's only Loki datasource (rendering fails when it has none or several)
   */
  readonly logsDatasourceUid?: string;
  /**
   * `job` label of the event lines (`clusterEvents.jobName` of the collector).
   * @default 'integrations/kubernetes/eventhandler'
   */
  readonly jobName?: string;
  /**
   * Also show events of type Normal (scheduling, image pulls, scaling), not only Warning events.
   * @default false
   */
  readonly includeNormalEvents?: boolean;
}

/** The `job` of `loki.source.kubernetes_events` when the collector's `clusterEvents.jobName` is unset. */
const DEFAULT_EVENTS_JOB = 'integrations/kubernetes/eventhandler';

/** A Loki annotation query of the dashboard JSON model (Grafana 13: the query in `target`). */
interface LokiAnnotation {
  readonly name: string;
  readonly datasource: { readonly type: string; readonly uid?: string };
  readonly enable: boolean;
  readonly hide: boolean;
  readonly iconColor: string;
  readonly target: { readonly refId: string; readonly expr: string };
  readonly titleFormat: string;
  readonly textFormat: string;
  readonly tagKeys: string;
  readonly instant: boolean;
}

const FOLDER = 'Kubernetes';
const TAG = 'kubernetes-compute';
/** The dashboards' uids: links between the levels use them. */
const UID = {
  cluster: 'k8s-compute-cluster',
  namespace: 'k8s-compute-namespace',
  pod: 'k8s-compute-pod',
  workload: 'k8s-compute-workload',
  nodes: 'node-exporter-nodes',
};
const DS = { type: DatasourceKind.PROMETHEUS, uid: '${datasource}' };
const RATE = '$__rate_interval';

/** Container series of cAdvisor, without the pod-level cgroup and pause-container series (`container!=""`). */
const containers = (extra = '') => `container!="", image!="", namespace=~"$namespace", pod=~"$pod"${extra}`;
/** Pods that still hold their requests: Pending or Running (completed pods keep their kube-state-metrics series). */
const ACTIVE_PODS = '(max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"}) == 1)';
const requests = (resource: string, extra = '') => `sum by (namespace, pod, container) (kube_pod_container_resource_requests{resource="${resource}", namespace=~"$namespace", pod=~"$pod"${extra}}) * on (namespace, pod) group_left () ${ACTIVE_PODS}`;
const limits = (resource: string, extra = '') => `sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="${resource}", namespace=~"$namespace", pod=~"$pod"${extra}}) * on (namespace, pod) group_left () ${ACTIVE_PODS}`;
const cpu = (extra = '') => `rate(container_cpu_usage_seconds_total{${containers(extra)}}[${RATE}])`;
const memory = (extra = '') => `container_memory_working_set_bytes{${containers(extra)}}`;
const throttled = (by: string, extra = '') =>
  `sum by (${by}) (increase(container_cpu_cfs_throttled_periods_total{${containers(extra)}}[${RATE}])) / sum by (${by}) (increase(container_cpu_cfs_periods_total{${containers(extra)}}[${RATE}]))`;
/** Network series are per pod (the pod's sandbox), not per container. */
const network = (dir: 'receive' | 'transmit', by: string, extra = '') =>
  `sum by (${by}) (rate(container_network_${dir}_bytes_total{namespace=~"$namespace", pod=~"$pod"${extra}}[${RATE}]))`;
const restarts = (by: string, extra = '') =>
  `sum by (${by}) (increase(kube_pod_container_status_restarts_total{namespace=~"$namespace", pod=~"$pod"${extra}}[${RATE}]))`;

interface Level {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Stream matchers of the events the level shows, after `job` (its variables only). */
  readonly events: string;
  /** Built when a dashboard is (the SDK loads on first use, not when this module does). */
  readonly variables: () => Array<ReturnType<typeof queryVariable>>;
  readonly rows: Array<{ title: string; panels: Panel[] }>;
}

interface Panel {
  readonly kind: 'stat' | 'ts';
  readonly title: string;
  readonly unit: string;
  readonly queries: PromQuery[];
  readonly description?: string;
  readonly stack?: boolean;
}

const namespaceVar = () => queryVariable('namespace', 'namespace', 'label_values(kube_pod_info, namespace)');
const podVar = () => queryVariable('pod', 'pod', 'label_values(kube_pod_info{namespace=~"$namespace"}, pod)');

function build(level: Level, props: KubernetesDashboardProps): { [key: string]: any } {
  const b = newDashboard(props.title ?? level.title, props.uid ?? level.uid, [TAG], level.description)
    .withVariable(datasourceVariable('datasource', DatasourceKind.PROMETHEUS, 'Data source'));
  for (const v of level.variables()) b.withVariable(v);
  b.link(dashboardLink('Cluster', UID.cluster, 'Kubernetes / Compute Resources / Cluster'))
    .link(dashboardLink('Namespace', UID.namespace, 'Kubernetes / Compute Resources / Namespace (Pods)'))
    .link(dashboardLink('Workload', UID.workload, 'Kubernetes / Compute Resources / Workload'))
    .link(dashboardLink('Pod', UID.pod, 'Kubernetes / Compute Resources / Pod'))
    .link(dashboardLink('Nodes', UID.nodes, 'Node Exporter / Nodes'));
  for (const r of level.rows) {
    b.withRow(row(r.title));
    for (const p of r.panels) {
      const o = { title: p.title, unit: p.unit, queries: p.queries, description: p.description };
      if (p.kind === 'stat') b.withPanel(statPanel(DS, { ...o, width: 4 }));
      else b.withPanel(timeseriesPanel(DS, { ...o, min: 0, stack: p.stack }));
    }
  }
  const json = finish(b);
  if (props.clusterEvents) json.annotations.list.push(eventsAnnotation(level, props.clusterEvents));
  return json;
}

function eventsAnnotation(level: Level, o: ClusterEventsAnnotationOptions): LokiAnnotation {
  const job = o.jobName ?? DEFAULT_EVENTS_JOB;
  const expr = `{job=${quote(job)}, ${level.events}}${o.includeNormalEvents ? '' : ' |= "type=Warning"'}`;
  return {
    name: 'Kubernetes events',
    datasource: o.logsDatasourceUid ? { type: DatasourceKind.LOKI, uid: o.logsDatasourceUid } : { type: DatasourceKind.LOKI },
    enable: true,
    hide: false,
    iconColor: 'orange',
    target: { refId: 'Anno', expr },
    titleFormat: '{{reason}}: {{kind}} {{namespace}}/{{name}}',
    textFormat: '',
    tagKeys: 'kind,reason',
    instant: false,
  };
}

function identity(scope: Construct, id: string, level: Level, props: KubernetesDashboardProps) {
  validateSharedPropsAt(scope, id, 'KubernetesDashboardProps', props);
  return { uid: props.uid ?? level.uid, title: props.title ?? level.title, folder: props.folder ?? FOLDER, json: build(level, props) };
}

const ratio = (num: string, den: string) => `(${num}) / (${den})`;
const sumAll = (q: string) => `sum(${q})`;

const CLUSTER: Level = {
  uid: UID.cluster,
  title: 'Kubernetes / Compute Resources / Cluster',
  description: 'CPU, memory and network of the whole cluster by namespace, against what the nodes can allocate (cAdvisor and kube-state-metrics); the namespace and pod variables narrow it down',
  events: 'namespace=~"$namespace"',
  variables: () => [namespaceVar(), podVar()],
  rows: [
    {
      title: 'Headlines',
      panels: [
        { kind: 'stat', title: 'CPU utilisation', unit: 'percentunit', queries: [{ expr: ratio(sumAll(cpu()), 'sum(kube_node_status_allocatable{resource="cpu"})'), instant: true }] },
        { kind: 'stat', title: 'CPU requests commitment', unit: 'percentunit', queries: [{ expr: ratio(sumAll(requests('cpu')), 'sum(kube_node_status_allocatable{resource="cpu"})'), instant: true }] },
        { kind: 'stat', title: 'CPU limits commitment', unit: 'percentunit', queries: [{ expr: ratio(sumAll(limits('cpu')), 'sum(kube_node_status_allocatable{resource="cpu"})'), instant: true }] },
        { kind: 'stat', title: 'Memory utilisation', unit: 'percentunit', queries: [{ expr: ratio(sumAll(memory()), 'sum(kube_node_status_allocatable{resource="memory"})'), instant: true }] },
        { kind: 'stat', title: 'Memory requests commitment', unit: 'percentunit', queries: [{ expr: ratio(sumAll(requests('memory')), 'sum(kube_node_status_allocatable{resource="memory"})'), instant: true }] },
        { kind: 'stat', title: 'Memory limits commitment', unit: 'percentunit', queries: [{ expr: ratio(sumAll(limits('memory')), 'sum(kube_node_status_allocatable{resource="memory"})'), instant: true }] },
      ],
    },
    {
      title: 'CPU',
      panels: [
        { kind: 'ts', title: 'CPU usage by namespace', unit: 'short', stack: true, queries: [{ expr: `sum by (namespace) (${cpu()})`, legend: '{{namespace}}' }] },
        { kind: 'ts', title: 'CPU requests by namespace', unit: 'short', stack: true, queries: [{ expr: `sum by (namespace) (${requests('cpu')})`, legend: '{{namespace}}' }] },
      ],
    },
    {
      title: 'Memory',
      panels: [
        { kind: 'ts', title: 'Memory usage (working set) by namespace', unit: 'bytes', stack: true, queries: [{ expr: `sum by (namespace) (${memory()})`, legend: '{{namespace}}' }] },
        { kind: 'ts', title: 'Memory requests by namespace', unit: 'bytes', stack: true, queries: [{ expr: `sum by (namespace) (${requests('memory')})`, legend: '{{namespace}}' }] },
      ],
    },
    {
      title: 'Network',
      panels: [
        { kind: 'ts', title: 'Receive bandwidth by namespace', unit: 'Bps', queries: [{ expr: network('receive', 'namespace'), legend: '{{namespace}}' }] },
        { kind: 'ts', title: 'Transmit bandwidth by namespace', unit: 'Bps', queries: [{ expr: network('transmit', 'namespace'), legend: '{{namespace}}' }] },
      ],
    },
  ],
};

const NAMESPACE: Level = {
  uid: UID.namespace,
  title: 'Kubernetes / Compute Resources / Namespace (Pods)',
  description: 'CPU, memory, throttling, restarts and network of the pods of the selected namespaces',
  events: 'namespace=~"$namespace", kind="Pod", name=~"$pod"',
  variables: () => [namespaceVar(), podVar()],
  rows: [
    {
      title: 'CPU',
      panels: [
        { kind: 'ts', title: 'CPU usage by pod', unit: 'short', stack: true, queries: [{ expr: `sum by (pod) (${cpu()})`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'CPU throttling by pod', description: 'Share of CFS periods in which the pod was throttled (CPU limit reached).', unit: 'percentunit', queries: [{ expr: throttled('pod'), legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Memory',
      panels: [
        { kind: 'ts', title: 'Memory usage (working set) by pod', unit: 'bytes', stack: true, queries: [{ expr: `sum by (pod) (${memory()})`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Memory usage against limits by pod', description: 'Working set divided by the memory limit (pods without a limit have no series).', unit: 'percentunit', queries: [{ expr: `sum by (pod) (${memory()}) / sum by (pod) (${limits('memory')})`, legend: '{{pod}}' }] },
      ],
    },
    {
      title: 'Restarts and network',
      panels: [
        { kind: 'ts', title: 'Container restarts by pod', unit: 'short', queries: [{ expr: restarts('pod'), legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Network by pod', unit: 'Bps', queries: [{ expr: network('receive', 'pod'), legend: 'rx {{pod}}' }, { expr: network('transmit', 'pod'), legend: 'tx {{pod}}' }] },
      ],
    },
  ],
};

const POD: Level = {
  uid: UID.pod,
  title: 'Kubernetes / Compute Resources / Pod',
  description: 'CPU and memory of each container of the selected pods, against their requests and limits; throttling, restarts and network',
  events: 'namespace=~"$namespace", kind="Pod", name=~"$pod"',
  variables: () => [namespaceVar(), podVar()],
  rows: [
    {
      title: 'CPU',
      panels: [
        {
          kind: 'ts',
          title: 'CPU usage by container',
          unit: 'short',
          queries: [
            { expr: `sum by (container) (${cpu()})`, legend: '{{container}}' },
            { expr: `sum by (container) (${requests('cpu')})`, legend: 'request {{container}}' },
            { expr: `sum by (container) (${limits('cpu')})`, legend: 'limit {{container}}' },
          ],
        },
        { kind: 'ts', title: 'CPU throttling by container', unit: 'percentunit', queries: [{ expr: throttled('container'), legend: '{{container}}' }] },
      ],
    },
    {
      title: 'Memory',
      panels: [
        {
          kind: 'ts',
          title: 'Memory usage (working set) by container',
          unit: 'bytes',
          queries: [
            { expr: `sum by (container) (${memory()})`, legend: '{{container}}' },
            { expr: `sum by (container) (${requests('memory')})`, legend: 'request {{container}}' },
            { expr: `sum by (container) (${limits('memory')})`, legend: 'limit {{container}}' },
          ],
        },
        { kind: 'ts', title: 'Container restarts', unit: 'short', queries: [{ expr: restarts('container'), legend: '{{container}}' }] },
      ],
    },
    {
      title: 'Network',
      panels: [
        { kind: 'ts', title: 'Receive bandwidth', unit: 'Bps', queries: [{ expr: network('receive', 'pod'), legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Transmit bandwidth', unit: 'Bps', queries: [{ expr: network('transmit', 'pod'), legend: '{{pod}}' }] },
      ],
    },
  ],
};

/** Pods of the selected workloads: their owner (ReplicaSet, StatefulSet, DaemonSet, Job) from kube-state-metrics. */
const OWNED = 'max by (namespace, pod) (kube_pod_owner{namespace=~"$namespace", pod=~"$pod", owner_name=~"$workload"})';
const WORKLOAD: Level = {
  uid: UID.workload,
  title: 'Kubernetes / Compute Resources / Workload',
  description: "CPU and memory of the pods of the selected workloads (the pods' owner: a Deployment's ReplicaSet, a StatefulSet, DaemonSet or Job)",
  // the owners' own events (a ReplicaSet creating pods, a Job failing) and those of their pods
  events: 'namespace=~"$namespace", name=~"$workload|$pod"',
  variables: () => [
    namespaceVar(),
    queryVariable('workload', 'workload', 'label_values(kube_pod_owner{namespace=~"$namespace"}, owner_name)'),
    queryVariable('pod', 'pod', 'label_values(kube_pod_owner{namespace=~"$namespace", owner_name=~"$workload"}, pod)'),
  ],
  rows: [
    {
      title: 'Usage',
      panels: [
        { kind: 'ts', title: 'CPU usage by pod', unit: 'short', stack: true, queries: [{ expr: `sum by (namespace, pod) (${cpu()}) * on (namespace, pod) group_left () ${OWNED}`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Memory usage (working set) by pod', unit: 'bytes', stack: true, queries: [{ expr: `sum by (namespace, pod) (${memory()}) * on (namespace, pod) group_left () ${OWNED}`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'CPU throttling by pod', unit: 'percentunit', queries: [{ expr: `(${throttled('namespace, pod')}) * on (namespace, pod) group_left () ${OWNED}`, legend: '{{pod}}' }] },
        { kind: 'ts', title: 'Container restarts by pod', unit: 'short', queries: [{ expr: `${restarts('namespace, pod')} * on (namespace, pod) group_left () ${OWNED}`, legend: '{{pod}}' }] },
      ],
    },
  ],
};

const nodeSel = 'instance=~"$instance"';
const NODES: Level = {
  uid: UID.nodes,
  title: 'Node Exporter / Nodes',
  description: 'CPU, load, memory, disk and network of the selected nodes (node-exporter), and the pods that use the most CPU on them (cAdvisor)',
  // Node events have no namespace; the node name is node-exporter's instance (see the pods panel)
  events: 'kind="Node", name=~"$instance"',
  variables: () => [
    queryVariable('instance', 'node', 'label_values(node_uname_info, instance)'),
    namespaceVar(),
    podVar(),
  ],
  rows: [
    {
      title: 'CPU',
      panels: [
        { kind: 'ts', title: 'CPU usage', unit: 'percentunit', queries: [{ expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle", ${nodeSel}}[${RATE}]))`, legend: '{{instance}}' }] },
        {
          kind: 'ts',
          title: 'Load average (1m) per core',
          unit: 'short',
          queries: [{ expr: `node_load1{${nodeSel}} / on (instance) count by (instance) (node_cpu_seconds_total{mode="idle", ${nodeSel}})`, legend: '{{instance}}' }],
        },
        {
          kind: 'ts',
          title: 'CPU usage by pod on the nodes',
          description: 'The kubelet labels cAdvisor series with the node name, which node-exporter uses as its instance.',
          unit: 'short',
          stack: true,
          queries: [{ expr: `topk(10, sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${containers(', node=~"$instance"')}}[${RATE}])))`, legend: '{{namespace}}/{{pod}}' }],
        },
      ],
    },
    {
      title: 'Memory',
      panels: [
        { kind: 'ts', title: 'Memory utilisation', unit: 'percentunit', queries: [{ expr: `1 - node_memory_MemAvailable_bytes{${nodeSel}} / node_memory_MemTotal_bytes{${nodeSel}}`, legend: '{{instance}}' }] },
        { kind: 'ts', title: 'Major page faults', unit: 'short', queries: [{ expr: `rate(node_vmstat_pgmajfault{${nodeSel}}[${RATE}])`, legend: '{{instance}}' }] },
      ],
    },
    {
      title: 'Disk',
      panels: [
        {
          kind: 'ts',
          title: 'Filesystem space used',
          unit: 'percentunit',
          queries: [{ expr: `1 - node_filesystem_avail_bytes{${nodeSel}, fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{${nodeSel}, fstype!~"tmpfs|overlay|squashfs"}`, legend: '{{instance}} {{mountpoint}}' }],
        },
        { kind: 'ts', title: 'Disk I/O time', description: 'Share of time the device was busy.', unit: 'percentunit', queries: [{ expr: `rate(node_disk_io_time_seconds_total{${nodeSel}}[${RATE}])`, legend: '{{instance}} {{device}}' }] },
      ],
    },
    {
      title: 'Network',
      panels: [
        { kind: 'ts', title: 'Network received', unit: 'Bps', queries: [{ expr: `sum by (instance) (rate(node_network_receive_bytes_total{${nodeSel}, device!="lo"}[${RATE}]))`, legend: '{{instance}}' }] },
        { kind: 'ts', title: 'Network transmitted', unit: 'Bps', queries: [{ expr: `sum by (instance) (rate(node_network_transmit_bytes_total{${nodeSel}, device!="lo"}[${RATE}]))`, legend: '{{instance}}' }] },
      ],
    },
  ],
};

/**
 * "Kubernetes / Compute Resources / Cluster": cluster CPU and memory utilisation and commitment (requests
 * and limits of running pods against what the nodes can allocate), usage by namespace, network. Needs
 * `KubeStateMetrics` and `KubeletMonitor` (cAdvisor) in the app.
 */
export class KubernetesClusterDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: KubernetesDashboardProps = {}) {
    super(scope, id, identity(scope, id, CLUSTER, props));
    declareMetricPack(this);
  }
}

/** "Kubernetes / Compute Resources / Namespace (Pods)": CPU, memory, throttling, restarts and network by pod. */
export class KubernetesNamespaceDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: KubernetesDashboardProps = {}) {
    super(scope, id, identity(scope, id, NAMESPACE, props));
    declareMetricPack(this);
  }
}

/** "Kubernetes / Compute Resources / Pod": each container against its requests and limits. */
export class KubernetesPodDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: KubernetesDashboardProps = {}) {
    super(scope, id, identity(scope, id, POD, props));
    declareMetricPack(this);
  }
}

/** "Kubernetes / Compute Resources / Workload": the pods of the selected owners (ReplicaSet, StatefulSet, DaemonSet, Job). */
export class KubernetesWorkloadDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: KubernetesDashboardProps = {}) {
    super(scope, id, identity(scope, id, WORKLOAD, props));
    declareMetricPack(this);
  }
}

/** "Node Exporter / Nodes": CPU, load, memory, filesystems, disk and network per node. Needs `NodeExporter`. */
export class NodeExporterNodesDashboard extends GrafanaDashboard {
  constructor(scope: Construct, id: string, props: KubernetesDashboardProps = {}) {
    super(scope, id, identity(scope, id, NODES, props));
    declareMetricPack(this);
  }
}

/** Properties for `KubernetesDashboards`. */
export interface KubernetesDashboardsProps {
  /**
   * Folder of the dashboards.
   * @default 'Kubernetes'
   */
  readonly folder?: string;
  /**
   * Cluster events (from the Alloy collector's `clusterEvents` pipeline, in Loki) as annotations on every
   * dashboard of the set.
   * @default - no event annotations
   */
  readonly clusterEvents?: ClusterEventsAnnotationOptions;
}

/**
 * The Kubernetes compute dashboards (cluster, namespace, pod, workload) and Node Exporter / Nodes, linked
 * to each other (the header links keep the time range and the namespace and pod variables):
 * `new KubernetesDashboards(this, 'Kubernetes').all.forEach((d) => grafana.addDashboard(d))`.
 */
export class KubernetesDashboards extends Construct {
  /** Cluster level. */
  public readonly cluster: KubernetesClusterDashboard;
  /** Namespace level (the pods of the selected namespaces). */
  public readonly namespacePods: KubernetesNamespaceDashboard;
  /** Pod level. */
  public readonly pod: KubernetesPodDashboard;
  /** Workload level. */
  public readonly workload: KubernetesWorkloadDashboard;
  /** Nodes. */
  public readonly nodes: NodeExporterNodesDashboard;

  constructor(scope: Construct, id: string, props: KubernetesDashboardsProps = {}) {
    super(scope, id);
    validateSharedProps(this, props);
    const common = { folder: props.folder, clusterEvents: props.clusterEvents };
    this.cluster = new KubernetesClusterDashboard(this, 'Cluster', common);
    this.namespacePods = new KubernetesNamespaceDashboard(this, 'Namespace', common);
    this.pod = new KubernetesPodDashboard(this, 'Pod', common);
    this.workload = new KubernetesWorkloadDashboard(this, 'Workload', common);
    this.nodes = new NodeExporterNodesDashboard(this, 'Nodes', common);
  }

  /** Every dashboard, for `grafana.addDashboard`. */
  public get all(): GrafanaDashboard[] {
    return [this.cluster, this.namespacePods, this.pod, this.workload, this.nodes];
  }
}
