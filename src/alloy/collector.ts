import { Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { AnnotationAutodiscoveryOptions, ClusterEventsOptions, ProfilesAutodiscoveryOptions } from './collection';
import {
  addAutodiscovery, addClusterEvents, addProfilesAutodiscovery, resolveAnnotations, resolveProfilesAutodiscovery, validateNamespaceList,
} from './collection-internal';
import { AlloyBlock, AlloyConfig, AlloyValue } from './syntax';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { Images } from '../core/images';
import { ILogsBackend, IOtlpLogsBackend, IProfilesBackend, IRemoteWriteTarget, ITracesBackend, requireRemoteWriteTarget } from '../core/interfaces';
import { PortSpec, ServiceRef } from '../core/kube';
import { enableRemoteWriteReceiver, OTLP_GRPC_PORT, OTLP_HTTP_PORT, otlpEndpoints } from '../core/otlp';
import { emptyDirVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';

/** Props of {@link AlloyCollector}. */
export interface AlloyCollectorProps extends ComponentProps {
  /**
   * Traces received over OTLP go here (Tempo), over OTLP/gRPC.
   * @default - no traces output
   */
  readonly tracesBackend?: ITracesBackend;
  /**
   * Logs received over OTLP go here (Loki's native OTLP endpoint).
   * @default - no logs output
   */
  readonly logsBackend?: IOtlpLogsBackend;
  /**
   * Metrics (received over OTLP, and scraped when `scrapeServiceMonitors` is on) are remote-written
   * here; a Prometheus of this app gets its remote-write receiver turned on.
   * @default - no metrics output
   */
  readonly metricsTarget?: IRemoteWriteTarget;
  /**
   * Profiles scraped from annotated pods (`profiles.grafana.com/cpu.scrape: "true"` and
   * `profiles.grafana.com/cpu.port` or `.port_name`, likewise `memory`; see `profilesAutodiscovery`) are
   * pushed here (Pyroscope).
   * @default - no profiles
   */
  readonly profilesBackend?: IProfilesBackend;
  /**
   * Which profile types are discovered through annotations, under which annotation prefix and in which
   * namespaces (needs `profilesBackend`).
   * @default - cpu and memory under `profiles.grafana.com`, every namespace, when `profilesBackend` is set
   */
  readonly profilesAutodiscovery?: ProfilesAutodiscoveryOptions;
  /**
   * Discover ServiceMonitor objects and remote-write what they select into `metricsTarget`
   * (the scrape load is shared by the cluster members).
   * @default false
   */
  readonly scrapeServiceMonitors?: boolean;
  /**
   * Discover PodMonitor objects and remote-write what they select into `metricsTarget` (the scrape load
   * is shared by the cluster members).
   * @default false
   */
  readonly scrapePodMonitors?: boolean;
  /**
   * Discover ServiceMonitors and PodMonitors in these namespaces only (keeps Alloy away from the
   * monitors another Prometheus already scrapes).
   * @default - every namespace
   */
  readonly monitorNamespaces?: string[];
  /**
   * Ship Kubernetes events to Loki (`loki.source.kubernetes_events`), labelled with `namespace`, `kind`,
   * `name` and `reason`. The collector's cluster gives every watched namespace exactly one owner, so
   * each event is shipped by one member only.
   * @default - no events
   */
  readonly clusterEvents?: ClusterEventsOptions;
  /**
   * Scrape Pods and Services annotated `k8s.grafana.com/scrape: "true"` (annotation names configurable)
   * and remote-write the samples into `metricsTarget`.
   * @default - no annotation autodiscovery
   */
  readonly autodiscovery?: AnnotationAutodiscoveryOptions;
  /**
   * Add Kubernetes attributes (namespace, pod, workload) to everything received over OTLP.
   * @default true
   */
  readonly k8sAttributes?: boolean;
}

const ALLOY_UID = 473;
const HTTP: PortSpec = { name: 'http', port: 12345 };
const OTLP_GRPC = OTLP_GRPC_PORT;
const OTLP_HTTP = OTLP_HTTP_PORT;
const CONFIG_DIR = '/etc/alloy';
const CONFIG_FILE = 'config.alloy';
/** Alloy's storage path: the remote-write WAL and component state, on the PVC. */
const DATA = '/var/lib/alloy/data';

/**
 * Grafana Alloy as the central collector: a clustered StatefulSet receiving OTLP on 4317/4318, with
 * Kubernetes attribute enrichment and batching, sending traces to Tempo, logs to Loki's OTLP endpoint,
 * metrics to any remote-write target and profiles to Pyroscope. Every destination is an object
 * reference. The remote-write WAL lives on a PVC (`storage`, default 10Gi), never in `/tmp`.
 * Optionally it discovers ServiceMonitors and scrapes what they select, sharing targets across the
 * cluster. The config is built on the typed Alloy syntax tree (`buildConfig()`).
 *
 * Shared props: `replicas` (default 2, the cluster members), `resources` (default SMALL, about what
 * upstream sizes for 50 nodes), `storage`.
 */
export class AlloyCollector extends Component implements ITracesBackend {
  /** The headless Service the cluster members find each other through. */
  public readonly headlessService: ServiceRef;
  /** The ConfigMap holding `config.alloy`. */
  public readonly config: ConfigFiles;
  /** Replicas (cluster members). */
  public readonly replicas: number;
  /** OTLP/gRPC `host:port` of the Service (apps and agents send here). */
  public readonly otlpGrpcAddress: string;
  /** OTLP/HTTP base URL of the Service. */
  public readonly otlpHttpUrl: string;
  /** No tenant header. */
  public readonly tracesTenantId?: string;

  private readonly props: AlloyCollectorProps;

  constructor(scope: Construct, id: string, props: AlloyCollectorProps = {}) {
    super(scope, id, props, { appName: 'alloy', component: 'collector', name: 'alloy-collector', image: Images.ALLOY });
    if (props.metricsTarget !== undefined) requireRemoteWriteTarget(this, "'metricsTarget'", props.metricsTarget);
    this.props = props;
    this.replicas = this._replicas(2);
    if (props.autodiscovery) {
      resolveAnnotations(this, props.autodiscovery.annotations);
      validateNamespaceList(this, 'autodiscovery.namespaces', props.autodiscovery.namespaces);
    }
    validateNamespaceList(this, 'monitorNamespaces', props.monitorNamespaces);
    if (props.profilesAutodiscovery) resolveProfilesAutodiscovery(this, props.profilesAutodiscovery);
    if (props.clusterEvents) {
      validateNamespaceList(this, 'clusterEvents.namespaces', props.clusterEvents.namespaces);
      if (props.clusterEvents.jobName !== undefined && props.clusterEvents.jobName.trim().length === 0) {
        fail(this, { problem: "'clusterEvents.jobName' is empty (Alloy refuses to load the component)", received: show(props.clusterEvents.jobName), expected: 'a job label value', fix: "remove 'jobName' to use 'integrations/kubernetes/eventhandler'" });
      }
    }

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addFile(CONFIG_FILE, () => this.renderConfig());
    this._addServiceAccount(true);
    this._addClusterRole(this.rbacRules());
    // events of listed namespaces: a Role in each (read only), no cluster-wide access to events
    for (const ns of props.clusterEvents?.namespaces ?? []) this._addRole(ns, [{ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] }]);
    this._addService({ ports: [HTTP, OTLP_GRPC, OTLP_HTTP], labels: { ...this.labels, 'lgtm.cdk8s.io/scrape': 'true' } });
    this.headlessService = this._addService({ id: 'Headless', name: `${this.name}-cluster`, headless: true, publishNotReadyAddresses: true, ports: [HTTP] });
    this.configureWorkload();
    this._addPodDisruptionBudget(this.replicas);
    this._addServiceMonitor({ endpoints: [{ port: HTTP.name, path: '/metrics' }] });
    ({ otlpGrpcAddress: this.otlpGrpcAddress, otlpHttpUrl: this.otlpHttpUrl } = otlpEndpoints(this.service));
    enableRemoteWriteReceiver(props.metricsTarget);
    addLgtmValidation(this, () => this.destinationErrors());
  }

  /** The rendered `config.alloy`. */
  public renderConfig(): string {
    return this.buildConfig().render();
  }

  /** Builds the config on the Alloy syntax tree. */
  public buildConfig(): AlloyConfig {
    const p = this.props;
    const cfg = new AlloyConfig();
    const signals: Array<[string, AlloyBlock | undefined]> = [];

    // exporters first: the pipeline blocks reference them
    let traces: AlloyBlock | undefined;
    if (p.tracesBackend) {
      const client = new AlloyBlock('client')
        .addAttribute('endpoint', AlloyValue.string(p.tracesBackend.otlpGrpcAddress))
        .addBlock(new AlloyBlock('tls').addAttribute('insecure', AlloyValue.bool(true)));
      if (p.tracesBackend.tracesTenantId) client.addAttribute('headers', AlloyValue.stringMap({ 'X-Scope-OrgID': p.tracesBackend.tracesTenantId }));
      traces = AlloyBlock.component('otelcol.exporter.otlp', 'traces').addBlock(client);
    }
    let logs: AlloyBlock | undefined;
    if (p.logsBackend) {
      const client = new AlloyBlock('client').addAttribute('endpoint', AlloyValue.string(p.logsBackend.otlpLogsUrl));
      if (p.logsBackend.tenantId) client.addAttribute('headers', AlloyValue.stringMap({ 'X-Scope-OrgID': p.logsBackend.tenantId }));
      logs = AlloyBlock.component('otelcol.exporter.otlphttp', 'logs').addBlock(client);
    }
    let remoteWrite: AlloyBlock | undefined;
    let metrics: AlloyBlock | undefined;
    if (p.metricsTarget) {
      const endpoint = new AlloyBlock('endpoint')
        .addAttribute('url', AlloyValue.string(p.metricsTarget.remoteWriteUrl))
        .addAttribute('send_exemplars', AlloyValue.bool(true));
      if (p.metricsTarget.remoteWriteTenantId) endpoint.addAttribute('headers', AlloyValue.stringMap({ 'X-Scope-OrgID': p.metricsTarget.remoteWriteTenantId }));
      remoteWrite = AlloyBlock.component('prometheus.remote_write', 'default').addBlock(endpoint);
      metrics = AlloyBlock.component('otelcol.exporter.prometheus', 'default')
        .addAttribute('forward_to', AlloyValue.array([remoteWrite.exportRef('receiver')]));
    }
    signals.push(['metrics', metrics], ['logs', logs], ['traces', traces]);
    const active = signals.filter(([, b]) => b !== undefined) as Array<[string, AlloyBlock]>;

    if (active.length > 0) {
      const output = (next: (sig: string, b: AlloyBlock) => AlloyValue) => {
        const o = new AlloyBlock('output');
        for (const [sig, b] of active) o.addAttribute(sig, AlloyValue.array([next(sig, b)]));
        return o;
      };
      const batch = AlloyBlock.component('otelcol.processor.batch', 'default')
        .addAttribute('timeout', AlloyValue.string('5s'))
        .addAttribute('send_batch_size', AlloyValue.number(8192))
        .addBlock(output((_sig, b) => b.exportRef('input')));
      const k8sOn = p.k8sAttributes ?? true;
      const k8sattrs = k8sOn ? this.k8sAttributes(output(() => batch.exportRef('input'))) : undefined;
      const first = k8sattrs ?? batch;
      cfg.addBlock(AlloyBlock.component('otelcol.receiver.otlp', 'default')
        .addBlock(new AlloyBlock('grpc').addAttribute('endpoint', AlloyValue.string(`0.0.0.0:${OTLP_GRPC.port}`)))
        .addBlock(new AlloyBlock('http').addAttribute('endpoint', AlloyValue.string(`0.0.0.0:${OTLP_HTTP.port}`)))
        .addBlock(output(() => first.exportRef('input'))));
      if (k8sattrs) cfg.addBlock(k8sattrs);
      cfg.addBlock(batch);
    }
    for (const [, b] of active) cfg.addBlock(b);
    if (remoteWrite) cfg.addBlock(remoteWrite);

    if (p.scrapeServiceMonitors && remoteWrite) {
      cfg.addBlock(this.monitorDiscovery('prometheus.operator.servicemonitors', remoteWrite)
        .addBlock(new AlloyBlock('clustering').addAttribute('enabled', AlloyValue.bool(true))));
    }
    if (p.scrapePodMonitors && remoteWrite) {
      cfg.addBlock(this.monitorDiscovery('prometheus.operator.podmonitors', remoteWrite)
        .addBlock(new AlloyBlock('clustering').addAttribute('enabled', AlloyValue.bool(true))));
    }
    if (p.autodiscovery && remoteWrite) addAutodiscovery(this, cfg, p.autodiscovery, remoteWrite.exportRef('receiver'));
    const events = this.eventsBackend;
    if (p.clusterEvents && events) {
      const endpoint = new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string(events.pushUrl));
      if (events.tenantId !== undefined) endpoint.addAttribute('tenant_id', AlloyValue.string(events.tenantId));
      const writer = AlloyBlock.component('loki.write', 'cluster_events').addBlock(endpoint);
      addClusterEvents(cfg, p.clusterEvents, writer);
      cfg.addBlock(writer);
    }
    if (p.profilesBackend) this.profiles(cfg, p.profilesBackend);
    return cfg;
  }

  private monitorDiscovery(component: string, remoteWrite: AlloyBlock): AlloyBlock {
    const b = AlloyBlock.component(component, 'default');
    if (this.props.monitorNamespaces) b.addAttribute('namespaces', AlloyValue.stringList(this.props.monitorNamespaces));
    return b.addAttribute('forward_to', AlloyValue.array([remoteWrite.exportRef('receiver')]));
  }

  private k8sAttributes(output: AlloyBlock): AlloyBlock {
    const assoc = (from: string, name?: string) => {
      const s = new AlloyBlock('source').addAttribute('from', AlloyValue.string(from));
      if (name) s.addAttribute('name', AlloyValue.string(name));
      return new AlloyBlock('pod_association').addBlock(s);
    };
    return AlloyBlock.component('otelcol.processor.k8sattributes', 'default')
      .addBlock(new AlloyBlock('extract').addAttribute('metadata', AlloyValue.stringList([
        'k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.node.name',
        'k8s.deployment.name', 'k8s.statefulset.name', 'k8s.daemonset.name', 'k8s.container.name',
      ])))
      .addBlock(assoc('resource_attribute', 'k8s.pod.ip'))
      .addBlock(assoc('resource_attribute', 'k8s.pod.uid'))
      .addBlock(assoc('connection'))
      .addBlock(output);
  }

  private profiles(cfg: AlloyConfig, backend: IProfilesBackend): void {
    const write = AlloyBlock.component('pyroscope.write', 'default')
      .addBlock(new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string(backend.profilesPushUrl)));
    addProfilesAutodiscovery(cfg, resolveProfilesAutodiscovery(this, this.props.profilesAutodiscovery ?? {}), write.exportRef('receiver'));
    cfg.addBlock(write);
  }

  /** The logs backend the cluster events go to. @default - none when events are off */
  public get eventsBackend(): ILogsBackend | undefined {
    const e = this.props.clusterEvents;
    return e ? e.logsBackend ?? this.props.logsBackend : undefined;
  }

  /** Every destination URL or address this collector sends to (for wiring checks). */
  public get destinationUrls(): string[] {
    const p = this.props;
    return [
      ...(this.eventsBackend ? [this.eventsBackend.pushUrl] : []),
      ...(p.tracesBackend ? [p.tracesBackend.otlpGrpcAddress] : []),
      ...(p.logsBackend ? [p.logsBackend.otlpLogsUrl] : []),
      ...(p.metricsTarget ? [p.metricsTarget.remoteWriteUrl] : []),
      ...(p.profilesBackend ? [p.profilesBackend.profilesPushUrl] : []),
    ];
  }

  private rbacRules(): k8s.PolicyRule[] {
    const rules: k8s.PolicyRule[] = [
      // k8sattributes and pod discovery
      { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ];
    const p = this.props;
    if (p.scrapeServiceMonitors || (p.autodiscovery && (p.autodiscovery.services ?? true))) {
      rules.push(
        { apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      );
    }
    const monitors = [...(p.scrapeServiceMonitors ? ['servicemonitors'] : []), ...(p.scrapePodMonitors ? ['podmonitors'] : [])];
    if (monitors.length > 0) rules.push({ apiGroups: ['monitoring.coreos.com'], resources: monitors, verbs: ['get', 'list', 'watch'] });
    // events only: read, never write; cluster-wide only when every namespace is watched
    if (p.clusterEvents && !p.clusterEvents.namespaces) rules.push({ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] });
    return rules;
  }

  private configureWorkload(): void {
    const ctr = kubeContainer({
      name: 'alloy',
      image: this.image,
      command: ['/bin/alloy'],
      args: [
        'run',
        `${CONFIG_DIR}/${CONFIG_FILE}`,
        `--storage.path=${DATA}`,
        `--server.http.listen-addr=0.0.0.0:${HTTP.port}`,
        '--cluster.enabled=true',
        `--cluster.join-addresses=${this.headlessService.address(HTTP.name)}`,
        `--cluster.name=${this.name}`,
        '--stability.level=generally-available',
        '--disable-reporting',
      ],
      ports: [HTTP, OTLP_GRPC, OTLP_HTTP],
      resources: this._resources(ResourcePreset.SMALL),
      readinessProbe: httpGetProbe('/-/ready', HTTP.name),
      volumeMounts: [
        { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
        { name: 'data', mountPath: DATA },
        { name: 'tmp', mountPath: '/tmp' },
      ],
    });
    this._addStatefulSet({
      serviceName: this.headlessService.name,
      replicas: this.replicas,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      template: this._podTemplate({
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        // discovery and k8sattributes call the API server with this token
        automountServiceAccountToken: true,
        securityContext: restrictedPodSecurityContext(ALLOY_UID),
        containers: [ctr],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          emptyDirVolume('tmp', '64Mi'),
        ],
        terminationGracePeriodSeconds: 60,
      }),
      volumeClaimTemplates: [this._volumeClaim('data', Size.gibibytes(10))],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  }

  private destinationErrors(): LgtmErrorDetails[] {
    const p = this.props;
    const out: LgtmErrorDetails[] = [];
    const dests: Array<[string, Construct | undefined]> = [
      ['tracesBackend', p.tracesBackend as any], ['logsBackend', p.logsBackend as any],
      ['metricsTarget', p.metricsTarget as any], ['profilesBackend', p.profilesBackend as any],
      ['clusterEvents.logsBackend', p.clusterEvents?.logsBackend as any],
    ];
    for (const [prop, d] of dests) {
      if (d && d.node.root !== this.node.root) {
        out.push({
          problem: `'${prop}' points at a construct of another app`,
          received: d.node.path || '<root>',
          expected: 'a destination construct of the same cdk8s App (its Service is emitted with this one)',
          fix: 'create the destination in this App',
        });
      }
    }
    if (dests.every(([, d]) => d === undefined)) {
      out.push({
        problem: 'the collector has no destination',
        received: 'no tracesBackend, logsBackend, metricsTarget or profilesBackend',
        expected: 'at least one destination',
        fix: "pass e.g. 'tracesBackend: tempo'",
      });
    }
    for (const [prop, on] of [['scrapePodMonitors', p.scrapePodMonitors], ['autodiscovery', p.autodiscovery !== undefined]] as const) {
      if (on && !p.metricsTarget) {
        out.push({
          problem: `'${prop}' is on but there is no 'metricsTarget' to write the discovered targets' samples to`,
          received: `${prop}: ${prop === 'autodiscovery' ? '{...}' : 'true'}, metricsTarget: undefined`,
          expected: 'a remote-write target given by reference',
          fix: "pass 'metricsTarget' (a Prometheus with the receiver, or Mimir)",
        });
      }
    }
    if (p.profilesAutodiscovery && !p.profilesBackend) {
      out.push({
        problem: "'profilesAutodiscovery' is set but there is no 'profilesBackend' to push the profiles to",
        received: 'profilesAutodiscovery: {...}, profilesBackend: undefined',
        expected: 'a profiles backend given by reference',
        fix: "pass 'profilesBackend' (Pyroscope)",
      });
    }
    if (p.clusterEvents && !this.eventsBackend) {
      out.push({
        problem: "'clusterEvents' is on but there is no logs backend to ship the events to",
        received: 'clusterEvents.logsBackend: undefined, logsBackend: undefined',
        expected: 'a Loki given by reference',
        fix: "pass 'clusterEvents: { logsBackend: loki }' or the collector's 'logsBackend'",
      });
    }
    if (p.scrapeServiceMonitors && !p.metricsTarget) {
      out.push({
        problem: "'scrapeServiceMonitors' is on but there is no 'metricsTarget' to write the samples to",
        received: 'scrapeServiceMonitors: true, metricsTarget: undefined',
        expected: 'a remote-write target',
        fix: "pass 'metricsTarget' (a Prometheus with the receiver, or Mimir)",
      });
    }
    const dangling = this.buildConfig().danglingReferences();
    if (dangling.length > 0) {
      out.push({ problem: 'the Alloy config references components that do not exist', received: dangling.join(', '), expected: 'references to components of the same file', fix: 'report this as a bug' });
    }
    return out;
  }
}
