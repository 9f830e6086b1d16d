import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { LogsAutodiscoveryOptions } from './collection';
import { addLogsAutodiscovery, resolveLogsAutodiscovery } from './collection-internal';
import { validateHostPath } from './host-path';
import { AlloyBlock, AlloyConfig, AlloyValue } from './syntax';
import { toIdentifier } from './syntax-internal';
import { Component } from '../core/component';
import { ConfigFiles, CHECKSUM_ANNOTATION } from '../core/config';
import { addLgtmValidation, fail, show } from '../core/errors';
import { Images } from '../core/images';
import { ILogsBackend, IProfilesBackend } from '../core/interfaces';
import { logsDestinationErrors } from '../core/logs-destinations';
import { AGENTS_NAMESPACE, validateNamespace } from '../core/names';
import { emptyDirVolume, hostPathVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { requireValidLogQL } from '../core/query';
import { ResourcePreset } from '../core/resources';
import { TOLERATE_ALL, Toleration } from '../core/scheduling';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/security';

/** The UID/GID of the `alloy` user in the grafana/alloy image (Dockerfile `ARG UID="473"`). */
const ALLOY_UID = 473;
/** Alloy's HTTP server port (UI, `/metrics`, `/-/ready`). */
const ALLOY_HTTP_PORT = 12345;
/** Where the config file is mounted. */
const CONFIG_DIR = '/etc/alloy';
const CONFIG_FILE = 'config.alloy';
/** Where the durable host directory is mounted (`--storage.path`). */
const STORAGE_MOUNT = '/var/lib/alloy/data';
/** Label names Loki accepts. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Node logs from the systemd journal (`AlloyLogsProps.journal`). */
export interface JournalOptions {
  /**
   * The systemd units whose journal entries are shipped (labelled `unit`).
   * @default ['kubelet.service', 'containerd.service']
   */
  readonly units?: string[];
  /**
   * A group that may read the journal files on the nodes (`systemd-journal`, or `adm` on Debian and
   * Ubuntu); Alloy then keeps running as its non-root user with this supplemental group. The group ID
   * differs between distributions, so it has no default.
   * @default - Alloy runs as root (UID 0) with every capability dropped: root owns the journal files
   */
  readonly groupId?: number;
}

/** eBPF profiling of every process on the node (`AlloyLogsProps.ebpfProfiles`). */
export interface EbpfProfilesOptions {
  /** Where the profiles go (Pyroscope). */
  readonly profilesBackend: IProfilesBackend;
  /**
   * Samples per second.
   * @default 19 (Alloy's default)
   */
  readonly sampleRate?: number;
}

/**
 * The capabilities `pyroscope.ebpf` needs without privileged mode (Alloy 1.18 reference, "Required
 * privileges"): load eBPF programs, attach perf events, read /proc and ELF files of other processes, raise
 * the memlock limit, read the kernel log for verifier messages.
 */
const EBPF_PROFILING_CAPABILITIES = ['BPF', 'CHECKPOINT_RESTORE', 'DAC_READ_SEARCH', 'PERFMON', 'SYSLOG', 'SYS_PTRACE', 'SYS_RESOURCE'];

/** The host paths the journal reader mounts (read-only), with why. */
const JOURNAL_MOUNTS: Array<{ name: string; path: string; type: string }> = [
  // the persistent journal (Storage=persistent or auto with the directory present)
  { name: 'journal-var', path: '/var/log/journal', type: 'DirectoryOrCreate' },
  // the volatile journal (Storage=volatile, or before /var is mounted)
  { name: 'journal-run', path: '/run/log/journal', type: 'DirectoryOrCreate' },
  // the journal is stored under /var/log/journal/<machine-id>: the reader finds the local journal by it
  { name: 'machine-id', path: '/etc/machine-id', type: 'File' },
];
const UNIT = /^[A-Za-z0-9:_.@\\-]+\.(service|socket|scope|slice|mount|timer|target)$/;

/** Properties of {@link AlloyLogs}. */
export interface AlloyLogsProps {
  /**
   * Stable name of every object (DaemonSet, ServiceAccount, ConfigMap, Service).
   * @default 'alloy-logs'
   */
  readonly name?: string;
  /**
   * Namespace. The DaemonSet needs a host directory for its positions (a documented Pod Security
   * exception), so it belongs in the node-agent namespace (`Namespace.forNodeAgents`), not in the
   * "restricted" stack namespace.
   * @default - the Chart's namespace, else 'monitoring-agents'
   */
  readonly namespace?: string;
  /** @default Images.ALLOY */
  readonly image?: string;
  /**
   * Container resources.
   * @default ResourcePreset.MICRO (100m / 128Mi: the upstream sizing for clusters of up to ~50 nodes; use 500m / 1Gi up to 1,000 nodes)
   */
  readonly resources?: ResourcePreset;
  /**
   * Host directory for Alloy's `--storage.path` (read positions of every container log stream, component
   * state). It must survive pod restarts and node reboots, so it is never `/tmp` or an emptyDir.
   * @default '/var/lib/alloy/<name>'
   */
  readonly storageHostPath?: string;
  /**
   * Collect logs only from Pods in these namespaces.
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * Labels added to every log stream (`loki.write` `external_labels`), e.g. `{ cluster: 'prod' }`.
   * @default - none
   */
  readonly externalLabels?: { [key: string]: string };
  /**
   * JMESPath expression that extracts the log level from JSON log lines; it becomes the `level` label.
   * @default 'level'
   */
  readonly levelField?: string;
  /**
   * JMESPath expression that extracts the trace ID from JSON log lines; it becomes `trace_id` structured
   * metadata (not a label: one value per request would explode Loki's index).
   * @default 'trace_id'
   */
  readonly traceIdField?: string;
  /**
   * LogQL selectors (with optional line filters) of log lines to drop before they are sent,
   * e.g. `{namespace="kube-system", container="coredns"} |= "NOERROR"`. Each is parsed at synth.
   * @default - none
   */
  readonly dropSelectors?: string[];
  /**
   * Also ship the node's systemd journal entries of the kubelet and the container runtime
   * (`loki.source.journal`), labelled `unit`, `node` and `level`. Mounts `/var/log/journal`,
   * `/run/log/journal` and `/etc/machine-id` read-only (docs/COLLECTION.md).
   * @default - no journal
   */
  readonly journal?: JournalOptions;
  /**
   * Profile every process on the node with eBPF (`pyroscope.ebpf`) and push the profiles to Pyroscope.
   * Needs host PID, root and the capabilities in `AlloyLogs.EBPF_PROFILING_CAPABILITIES` (docs/COLLECTION.md).
   * @default - no eBPF profiling
   */
  readonly ebpfProfiles?: EbpfProfilesOptions;
  /**
   * Pods opt in or out of log collection with `k8s.grafana.com/logs.autogather`, set their `job` label
   * with `k8s.grafana.com/logs.job`, and chosen annotations become log labels, as in Grafana's
   * Kubernetes monitoring chart (annotation names configurable).
   * @default - every Pod of `namespaces`, no annotations read
   */
  readonly autodiscovery?: LogsAutodiscoveryOptions;
  /**
   * Tolerations.
   * @default - every taint, so the logs of every node (control plane included) are collected
   */
  readonly tolerations?: Toleration[];
  /**
   * Node labels the pods must match.
   * @default - every node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Emit a ServiceMonitor for Alloy's own metrics.
   * @default true
   */
  readonly serviceMonitor?: boolean;
  /**
   * Extra labels on the ServiceMonitor (to match a Prometheus `serviceMonitorSelector`).
   * @default - none
   */
  readonly serviceMonitorLabels?: { [key: string]: string };
}

interface Destination {
  readonly backend: ILogsBackend;
  readonly label: string;
}

/**
 * Grafana Alloy as a node-local log collector (DaemonSet): every Alloy pod discovers the Pods of its own
 * node, tails their container logs through the Kubernetes API (`loki.source.kubernetes`), labels them
 * with namespace, pod, container, app and job, parses JSON lines (lifting `level` to a label and
 * `trace_id` to structured metadata) and pushes them to every destination added with
 * `addLogsDestination(loki)`, at the backend's `pushUrl` and with its tenant.
 *
 * The config file is built with the typed Alloy syntax tree (`AlloyConfig`) at synth time; every
 * component, argument and block it renders exists in the Alloy 1.18.1 component reference (checked by
 * the tests). A config change rolls the pods (`checksum/config` annotation).
 *
 * Pod Security exceptions (see docs/components/alloy.md): a writable hostPath for `--storage.path`, and
 * a one-shot init container that runs as root with only `CAP_CHOWN` to hand that directory to the
 * non-root `alloy` user. Alloy itself runs as UID 473, read-only root filesystem, no capabilities.
 */
export class AlloyLogs extends Component {
  /** The capabilities the Alloy container gets with `ebpfProfiles` (the profiler's documented minimum, no privileged mode). */
  public static readonly EBPF_PROFILING_CAPABILITIES: string[] = [...EBPF_PROFILING_CAPABILITIES];

  /** The ConfigMap holding `config.alloy`. */
  public readonly config: ConfigFiles;
  /** The host directory holding Alloy's positions and state. */
  public readonly storageHostPath: string;

  private readonly props: AlloyLogsProps;
  private readonly destinations: Destination[] = [];
  private readonly dropSelectors: string[] = [];
  private readonly journalUnits?: string[];

  constructor(scope: Construct, id: string, props: AlloyLogsProps = {}) {
    super(scope, id, props, { appName: 'alloy', component: 'logs', name: 'alloy-logs', image: Images.ALLOY, namespace: AGENTS_NAMESPACE });
    this.props = props;
    this.storageHostPath = validateHostPath(this, 'storageHostPath', props.storageHostPath ?? `/var/lib/alloy/${this.name}`, true);
    for (const ns of props.namespaces ?? []) validateNamespace(this, 'namespaces[]', ns);
    for (const k of Object.keys(props.externalLabels ?? {})) this.requireLabelName('externalLabels', k);
    for (const f of [['levelField', props.levelField], ['traceIdField', props.traceIdField]] as const) {
      if (f[1] !== undefined && f[1].trim().length === 0) {
        fail(this, { problem: `'${f[0]}' is empty`, received: show(f[1]), expected: 'a JMESPath expression such as "level" or "attributes.level"', fix: `remove '${f[0]}' to use the default` });
      }
    }
    for (const s of props.dropSelectors ?? []) this.addDropFilter(s);
    if (props.autodiscovery) resolveLogsAutodiscovery(this, props.autodiscovery, props.namespaces);
    this.journalUnits = props.journal ? this.validateUnits(props.journal.units) : undefined;
    const gid = props.journal?.groupId;
    if (gid !== undefined && (!Number.isInteger(gid) || gid < 1 || gid > 2147483647)) {
      fail(this, { problem: "'journal.groupId' is not a group ID", received: show(gid), expected: 'a positive integer, the GID of systemd-journal (or adm) on the nodes', fix: 'run `getent group systemd-journal` on a node, or remove groupId to run the reader as root' });
    }
    const rate = props.ebpfProfiles?.sampleRate;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 1000)) {
      fail(this, { problem: "'ebpfProfiles.sampleRate' is out of range", received: show(rate), expected: 'an integer from 1 to 1000 samples per second', fix: 'remove it to use 19' });
    }
    // root: eBPF always; the journal unless a reading group is given
    const asRoot = props.ebpfProfiles !== undefined || (props.journal !== undefined && gid === undefined);
    const runUid = asRoot ? 0 : ALLOY_UID;

    const image = this.image;

    this._addServiceAccount(false);
    // Least privilege: discovery lists/watches Pods; loki.source.kubernetes reads pods/log. Nothing else
    // (no nodes: node-local discovery uses a field selector, not node objects).
    this._addClusterRole([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ]);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addFile(CONFIG_FILE, () => this.renderConfig());

    const ports = [{ name: 'http', port: ALLOY_HTTP_PORT }];
    const initStorage = kubeContainer({
      name: 'init-storage',
      image,
      // chown only: once the directory belongs to the alloy user, root without CAP_FOWNER could not chmod
      // it on the next start; kubelet's 0755 is fine (positions are not secret).
      command: ['/bin/sh', '-c', `chown ${runUid}:${runUid} ${STORAGE_MOUNT}`],
      resources: ResourcePreset.custom({ cpuMillis: 10, memory: ResourcePreset.NANO.spec.memory }),
      volumeMounts: [{ name: 'storage', mountPath: STORAGE_MOUNT }],
      // Documented exception: root with CAP_CHOWN only, for one chown of the host directory kubelet creates
      // as root (fsGroup does not apply to hostPath volumes). Exits before Alloy starts.
      securityContext: {
        ...restrictedContainerSecurityContext(),
        runAsNonRoot: false,
        runAsUser: 0,
        runAsGroup: 0,
        capabilities: { drop: ['ALL'], add: ['CHOWN'] },
      },
    });
    const alloy = kubeContainer({
      name: 'alloy',
      image,
      command: ['/bin/alloy'],
      args: [
        'run',
        `${CONFIG_DIR}/${CONFIG_FILE}`,
        `--storage.path=${STORAGE_MOUNT}`,
        `--server.http.listen-addr=0.0.0.0:${ALLOY_HTTP_PORT}`,
        '--stability.level=generally-available',
        '--disable-reporting',
      ],
      env: [
        // sys.env("HOSTNAME") in the config selects this node's Pods (field selector spec.nodeName).
        { name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      ],
      ports,
      resources: this._resources(ResourcePreset.MICRO),
      readinessProbe: httpGetProbe('/-/ready', 'http'),
      // No liveness probe: /-/healthy fails while any component is unhealthy (e.g. the API server is
      // briefly unreachable), and restarting the collector would not fix that (the upstream chart sets none).
      volumeMounts: [
        { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
        { name: 'storage', mountPath: STORAGE_MOUNT },
        { name: 'tmp', mountPath: '/tmp' },
        ...(props.journal ? JOURNAL_MOUNTS.map((m) => ({ name: m.name, mountPath: m.path, readOnly: true })) : []),
        ...(props.ebpfProfiles ? [{ name: 'kernel-tracing', mountPath: '/sys/kernel/tracing', readOnly: true }] : []),
      ],
      securityContext: this.alloySecurityContext(asRoot),
    });

    this._addDaemonSet({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
      template: this._podTemplate({
        annotations: {
          [CHECKSUM_ANNOTATION]: this.config.checksum,
          'kubectl.kubernetes.io/default-container': 'alloy',
          // the default AppArmor profile blocks attaching eBPF programs
          ...(props.ebpfProfiles ? { 'container.apparmor.security.beta.kubernetes.io/alloy': 'unconfined' } : {}),
        },
        // loki.source.kubernetes and discovery.kubernetes call the API server with this token.
        automountServiceAccountToken: true,
        // the profiler sees the processes of every pod on the node
        hostPid: props.ebpfProfiles !== undefined,
        securityContext: { ...restrictedPodSecurityContext(ALLOY_UID), ...(gid !== undefined && props.journal ? { supplementalGroups: [gid] } : {}) },
        initContainers: [initStorage],
        containers: [alloy],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          hostPathVolume('storage', this.storageHostPath, 'DirectoryOrCreate'),
          // the eBPF profiler keeps its symbol cache in /tmp/symb-cache
          emptyDirVolume('tmp', props.ebpfProfiles ? '2Gi' : '64Mi'),
          ...(props.journal ? JOURNAL_MOUNTS.map((m) => hostPathVolume(m.name, m.path, m.type)) : []),
          ...(props.ebpfProfiles ? [hostPathVolume('kernel-tracing', '/sys/kernel/tracing', 'Directory')] : []),
        ],
        defaultTolerations: TOLERATE_ALL,
        terminationGracePeriodSeconds: 30,
      }),
    });

    this._addService({ ports });
    this._addServiceMonitor({ endpoints: [{ port: 'http', path: '/metrics' }] });

    if (props.ebpfProfiles && props.ebpfProfiles.profilesBackend.node.root !== this.node.root) {
      const b = props.ebpfProfiles.profilesBackend;
      addLgtmValidation(this, () => [{
        problem: "'ebpfProfiles.profilesBackend' points at a construct of another app",
        received: b.node.path || '<root>',
        expected: 'a Pyroscope of the same cdk8s App (its Service is emitted with this one)',
        fix: 'create the Pyroscope in this App',
      }]);
    }
    addLgtmValidation(this, () => logsDestinationErrors(`AlloyLogs '${this.name}'`, this.destinations.map((d) => d.backend), 'alloy.addLogsDestination(loki)'));
    addLgtmValidation(this, () => {
      const dangling = this.buildConfig().danglingReferences();
      return dangling.length === 0 ? [] : [{ problem: 'the Alloy config references components that do not exist', received: dangling.join(', '), expected: 'references to components of the same file', fix: 'report this as a bug' }];
    });
  }

  /** The DaemonSet (same as `workload`). */
  public get daemonSet(): ApiObject {
    return this.workload;
  }

  /**
   * Sends the collected logs to a logs backend (Loki): a `loki.write` component whose endpoint URL is
   * the backend's `pushUrl` and whose `tenant_id` is the backend's `tenantId` (when tenancy is on).
   */
  public addLogsDestination(backend: ILogsBackend): void {
    if (this.destinations.some((d) => d.backend === backend)) {
      fail(this, {
        problem: `logs destination '${backend.node.path}' is added twice`,
        received: show(backend.node.path),
        expected: 'each backend once',
        fix: 'call addLogsDestination() once per backend',
      });
    }
    let label = toIdentifier(backend.node.id);
    for (let i = 2; this.destinations.some((d) => d.label === label); i++) label = `${toIdentifier(backend.node.id)}_${i}`;
    this.destinations.push({ backend, label });
  }

  /**
   * Drops log lines matching a LogQL selector with optional line filters (a `stage.match` with
   * `action = "drop"`), e.g. `{namespace="kube-system"} |= "level=debug"`. Fails at synth on invalid LogQL.
   */
  public addDropFilter(selector: string): void {
    requireValidLogQL(this, `drop filter ${this.dropSelectors.length}`, selector);
    if (!selector.trim().startsWith('{')) {
      fail(this, {
        problem: 'a drop filter must start with a stream selector',
        received: show(selector),
        expected: 'a LogQL log selector such as {namespace="kube-system"} |= "debug" (no metric queries)',
        fix: 'prefix the line filter with a stream selector, e.g. {namespace=~".+"} |= "debug"',
      });
    }
    if (/^\s*\{[^}]*\}\s*\|\s*(json|logfmt|regexp|pattern|unpack|line_format|label_format|unwrap|drop|keep)\b|\b(rate|count_over_time|sum|avg|topk)\s*\(/.test(selector)) {
      fail(this, {
        problem: 'a drop filter may only use a stream selector and line filters',
        received: show(selector),
        expected: 'a selector with |=, !=, |~ or !~ filters (what loki.process stage.match supports)',
        fix: 'remove parsers, formatters and metric functions from the selector',
      });
    }
    this.dropSelectors.push(selector);
  }

  /** Builds the Alloy configuration (at synth time; includes destinations added after construction). */
  public buildConfig(): AlloyConfig {
    const cfg = new AlloyConfig();

    // Node-local discovery: only Pods scheduled on this node (HOSTNAME is the node name, from the downward API).
    const discovery = cfg.addBlock(AlloyBlock.component('discovery.kubernetes', 'pods'))
      .addAttribute('role', AlloyValue.string('pod'))
      .addBlock(new AlloyBlock('selectors')
        .addAttribute('role', AlloyValue.string('pod'))
        .addAttribute('field', AlloyValue.concat([AlloyValue.string('spec.nodeName='), AlloyValue.env('HOSTNAME')])));
    if (this.props.namespaces && this.props.namespaces.length > 0) {
      discovery.addBlock(new AlloyBlock('namespaces').addAttribute('names', AlloyValue.stringList(this.props.namespaces)));
    }

    const rule = (sourceLabels: string[], targetLabel: string, extra: { separator?: string; regex?: string } = {}) => {
      const b = new AlloyBlock('rule').addAttribute('source_labels', AlloyValue.stringList(sourceLabels));
      if (extra.separator !== undefined) b.addAttribute('separator', AlloyValue.string(extra.separator));
      if (extra.regex !== undefined) b.addAttribute('regex', AlloyValue.string(extra.regex));
      return b.addAttribute('target_label', AlloyValue.string(targetLabel));
    };
    const relabel = cfg.addBlock(AlloyBlock.component('discovery.relabel', 'pods'))
      .addAttribute('targets', discovery.exportRef('targets'))
      .addBlock(rule(['__meta_kubernetes_namespace'], 'namespace'))
      .addBlock(rule(['__meta_kubernetes_pod_name'], 'pod'))
      .addBlock(rule(['__meta_kubernetes_pod_container_name'], 'container'))
      // app: the first non-empty of the app.kubernetes.io/name and app Pod labels
      .addBlock(rule(['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app'], 'app', { separator: ';', regex: '^;*([^;]+)(;.*)?$' }))
      .addBlock(rule(['__meta_kubernetes_namespace', '__meta_kubernetes_pod_container_name'], 'job', { separator: '/' }));

    const writers = this.destinations.map((d) => this.writer(d));
    const process = AlloyBlock.component('loki.process', 'pods')
      .addAttribute('forward_to', AlloyValue.array(writers.map((w) => w.exportRef('receiver'))));

    // logs autodiscovery filters and labels the log targets only (eBPF profiling reads `relabel` itself)
    const logTargets = this.props.autodiscovery
      ? addLogsAutodiscovery(cfg, resolveLogsAutodiscovery(this, this.props.autodiscovery, this.props.namespaces), relabel.exportRef('output'))
      : relabel;
    cfg.addBlock(AlloyBlock.component('loki.source.kubernetes', 'pods'))
      .addAttribute('targets', logTargets.exportRef('output'))
      .addAttribute('forward_to', AlloyValue.array([process.exportRef('receiver')]));

    for (const s of this.dropSelectors) {
      process.addBlock(new AlloyBlock('stage.match')
        .addAttribute('selector', AlloyValue.string(s))
        .addAttribute('action', AlloyValue.string('drop'))
        .addAttribute('drop_counter_reason', AlloyValue.string('drop_filter')));
    }
    // JSON lines: lift the level (label, few values) and the trace ID (structured metadata, one value
    // per request: never a label). Non-JSON lines pass through unchanged.
    process
      .addBlock(new AlloyBlock('stage.json').addAttribute('expressions', AlloyValue.stringMap({
        level: this.props.levelField ?? 'level',
        trace_id: this.props.traceIdField ?? 'trace_id',
      })))
      .addBlock(new AlloyBlock('stage.labels').addAttribute('values', AlloyValue.stringMap({ level: '' })))
      .addBlock(new AlloyBlock('stage.structured_metadata').addAttribute('values', AlloyValue.stringMap({ trace_id: '' })));
    cfg.addBlock(process);

    if (this.journalUnits) this.addJournal(cfg, writers);
    if (this.props.ebpfProfiles) this.addEbpfProfiles(cfg, relabel, this.props.ebpfProfiles);
    for (const w of writers) cfg.addBlock(w);
    return cfg;
  }

  /** The journal units shipped. @default - none when the journal is off */
  public get journalUnitNames(): string[] | undefined {
    return this.journalUnits ? [...this.journalUnits] : undefined;
  }

  private validateUnits(units: string[] | undefined): string[] {
    const list = units ?? ['kubelet.service', 'containerd.service'];
    if (list.length === 0) {
      fail(this, {
        problem: "'journal.units' is empty: the journal reader would ship nothing",
        received: '[]',
        expected: 'one or more systemd units, e.g. ["kubelet.service", "containerd.service"]',
        fix: "list the units, or remove 'units' for the kubelet and containerd",
      });
    }
    for (const u of list) {
      if (!UNIT.test(u)) {
        fail(this, {
          problem: "'journal.units' has an entry that is not a systemd unit name",
          received: show(u),
          expected: 'a unit name with its type suffix, e.g. "kubelet.service" or "crio.service"',
          fix: `use ${show(u.replace(/\.service$/, '') + '.service')}`,
        });
      }
    }
    if (new Set(list).size !== list.length) {
      fail(this, { problem: "'journal.units' lists a unit twice", received: show(list), expected: 'each unit once', fix: 'remove the duplicate' });
    }
    return list;
  }

  private addJournal(cfg: AlloyConfig, writers: AlloyBlock[]): void {
    const esc = (u: string) => u.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
    const relabel = cfg.addBlock(AlloyBlock.component('loki.relabel', 'journal'))
      // only the rules are used (by loki.source.journal): nothing is forwarded through this component
      .addAttribute('forward_to', AlloyValue.array([]))
      .addBlock(new AlloyBlock('rule')
        .addAttribute('source_labels', AlloyValue.stringList(['__journal__systemd_unit']))
        .addAttribute('regex', AlloyValue.string(this.journalUnits!.map(esc).join('|')))
        .addAttribute('action', AlloyValue.string('keep')))
      .addBlock(new AlloyBlock('rule')
        .addAttribute('source_labels', AlloyValue.stringList(['__journal__systemd_unit']))
        .addAttribute('target_label', AlloyValue.string('unit')))
      .addBlock(new AlloyBlock('rule')
        .addAttribute('source_labels', AlloyValue.stringList(['__journal__hostname']))
        .addAttribute('target_label', AlloyValue.string('node')))
      .addBlock(new AlloyBlock('rule')
        .addAttribute('source_labels', AlloyValue.stringList(['__journal_priority_keyword']))
        .addAttribute('target_label', AlloyValue.string('level')));
    cfg.addBlock(AlloyBlock.component('loki.source.journal', 'node'))
      .addAttribute('max_age', AlloyValue.string('12h'))
      .addAttribute('labels', AlloyValue.stringMap({ job: 'integrations/kubernetes/journal' }))
      .addAttribute('relabel_rules', relabel.exportRef('rules'))
      .addAttribute('forward_to', AlloyValue.array(writers.map((w) => w.exportRef('receiver'))));
  }

  private addEbpfProfiles(cfg: AlloyConfig, pods: AlloyBlock, opts: EbpfProfilesOptions): void {
    const write = AlloyBlock.component('pyroscope.write', 'ebpf')
      .addBlock(new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string(opts.profilesBackend.profilesPushUrl)));
    const relabel = cfg.addBlock(AlloyBlock.component('discovery.relabel', 'ebpf'))
      .addAttribute('targets', pods.exportRef('output'))
      .addBlock(new AlloyBlock('rule')
        .addAttribute('source_labels', AlloyValue.stringList(['__meta_kubernetes_namespace', '__meta_kubernetes_pod_container_name']))
        .addAttribute('separator', AlloyValue.string('/'))
        .addAttribute('target_label', AlloyValue.string('service_name')));
    const ebpf = cfg.addBlock(AlloyBlock.component('pyroscope.ebpf', 'node'))
      .addAttribute('targets', relabel.exportRef('output'))
      .addAttribute('forward_to', AlloyValue.array([write.exportRef('receiver')]));
    if (opts.sampleRate !== undefined) ebpf.addAttribute('sample_rate', AlloyValue.number(opts.sampleRate));
    cfg.addBlock(write);
  }

  /**
   * The Alloy container's security context: restricted, or (journal without a reading group, eBPF) root
   * with every capability dropped except, for eBPF, the profiler's.
   */
  private alloySecurityContext(asRoot: boolean): k8s.SecurityContext | undefined {
    if (!asRoot) return undefined;
    const ebpf = this.props.ebpfProfiles !== undefined;
    return {
      ...restrictedContainerSecurityContext(),
      runAsNonRoot: false,
      runAsUser: 0,
      runAsGroup: 0,
      capabilities: { drop: ['ALL'], ...(ebpf ? { add: [...EBPF_PROFILING_CAPABILITIES] } : {}) },
      ...(ebpf ? { seccompProfile: { type: 'Unconfined' } } : {}),
    };
  }

  /** The rendered `config.alloy`. */
  public renderConfig(): string {
    return this.buildConfig().render();
  }

  /** The push URLs this collector sends to (for wiring checks). */
  public get pushUrls(): string[] {
    return this.destinations.map((d) => d.backend.pushUrl);
  }

  private writer(d: Destination): AlloyBlock {
    const endpoint = new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string(d.backend.pushUrl));
    const tenant = d.backend.tenantId;
    if (tenant !== undefined) endpoint.addAttribute('tenant_id', AlloyValue.string(tenant));
    const w = AlloyBlock.component('loki.write', d.label).addBlock(endpoint);
    if (this.props.externalLabels && Object.keys(this.props.externalLabels).length > 0) {
      w.addAttribute('external_labels', AlloyValue.stringMap(this.props.externalLabels));
    }
    return w;
  }

  private requireLabelName(prop: string, name: string): void {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      fail(this, {
        problem: `'${prop}' has a key that is not a valid Loki label name`,
        received: show(name),
        expected: 'letters, digits and underscores, not starting with a digit or "__"',
        fix: `rename it, e.g. ${show(name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[0-9_]+/, ''))}`,
      });
    }
  }
}
