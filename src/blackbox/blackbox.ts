import { Construct } from 'constructs';
import { BlackboxConfigFile, BlackboxModule, BlackboxProber, checkModule, DEFAULT_BLACKBOX_MODULES, moduleFile } from './config';
import { Component } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { fail, show } from '../core/errors';
import { Images } from '../core/images';
import { PortSpec } from '../core/kube';
import { httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { Toleration } from '../core/scheduling';
import { restrictedPodSecurityContext, RESTRICTED_UID } from '../core/security';

/** Props of {@link BlackboxExporter}. */
export interface BlackboxExporterProps {
  /**
   * Modules added to the built-in `http_2xx` (HTTP, any 2xx), `tcp_connect` and `icmp`. A name may not
   * repeat a built-in one.
   * @default - the built-in modules only
   */
  readonly modules?: BlackboxModule[];
  /** Stable object name. @default 'blackbox-exporter' */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Container image. @default Images.BLACKBOX_EXPORTER */
  readonly image?: string;
  /** CPU and memory. @default ResourcePreset.NANO */
  readonly resources?: ResourcePreset;
  /** Pod replicas (probes go through the Service: any replica answers). @default 1 */
  readonly replicas?: number;
  /** Emit a ServiceMonitor for the exporter's own metrics. @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on that ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /** Emit a PodDisruptionBudget (`maxUnavailable: 1`). @default - true when more than one replica runs */
  readonly podDisruptionBudget?: boolean;
  /** Node labels the pods must match. @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations. @default - none */
  readonly tolerations?: Toleration[];
}

const HTTP: PortSpec = { name: 'http', port: 9115 };
const CONFIG_DIR = '/etc/blackbox_exporter';
const CONFIG_FILE = 'blackbox.yml';

/**
 * The Prometheus blackbox exporter: probes HTTP(S) URLs, TCP `host:port` and hosts (ICMP echo) on behalf
 * of Prometheus. Prometheus scrapes `/probe?target=...&module=...` on port 9115 (`http`), as `Probe`
 * objects point it to; the exporter's own metrics are scraped through its ServiceMonitor.
 *
 * The configuration file `blackbox.yml` is rendered from typed modules (`http_2xx`, `tcp_connect`, `icmp`,
 * plus `modules`); a change rolls the pods. The pods run Pod Security "restricted" with every capability
 * dropped: ICMP uses unprivileged sockets, allowed by the namespaced sysctl `net.ipv4.ping_group_range`
 * for the pod's group (one of the "safe" sysctls every kubelet accepts). No ServiceAccount token is
 * mounted: the exporter talks to no Kubernetes API.
 *
 * Shared props: `resources` (default NANO), `replicas` (1), `serviceMonitor`, `podDisruptionBudget`,
 * `nodeSelector`, `tolerations`.
 */
export class BlackboxExporter extends Component {
  /** The rendered configuration file. */
  public readonly config: ConfigFiles;
  /** The exporter's Service port Prometheus sends probes to (`http`). */
  public readonly probePortName: string = HTTP.name;
  private readonly modules: BlackboxModule[];

  constructor(scope: Construct, id: string, props: BlackboxExporterProps = {}) {
    super(scope, id, props, { appName: 'blackbox-exporter', component: 'exporter', name: 'blackbox-exporter', image: Images.BLACKBOX_EXPORTER });
    const extra = props.modules ?? [];
    if (!Array.isArray(extra)) {
      fail(this, { problem: "'modules' must be a list", received: show(extra), expected: 'an array of BlackboxModule', fix: 'pass modules: [{ name: "http_post_2xx", prober: BlackboxProber.HTTP, httpMethod: "POST" }]' });
    }
    extra.forEach((m, i) => checkModule(this, m, i));
    this.modules = [...DEFAULT_BLACKBOX_MODULES];
    for (const m of extra) {
      if (this.modules.some((x) => x.name === m.name)) {
        fail(this, {
          problem: `module '${m.name}' is defined twice`,
          received: show(m.name),
          expected: `a name other than ${this.modules.map((x) => show(x.name)).join(', ')}`,
          fix: `rename the module, e.g. '${m.name}_custom'`,
        });
      }
      this.modules.push(m);
    }
    const replicas = this._replicas(1);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml(CONFIG_FILE, () => this.renderConfig());

    this._addService({ ports: [HTTP] });
    const security = restrictedPodSecurityContext();
    this._addDeployment({
      replicas,
      template: this._podTemplate({
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        // unprivileged ICMP sockets for the pod's group: no NET_RAW capability needed
        securityContext: { ...security, sysctls: [{ name: 'net.ipv4.ping_group_range', value: `${RESTRICTED_UID} ${RESTRICTED_UID}` }] },
        containers: [kubeContainer({
          name: 'blackbox-exporter',
          image: this.image,
          args: [`--config.file=${CONFIG_DIR}/${CONFIG_FILE}`, `--web.listen-address=:${HTTP.port}`],
          ports: [HTTP],
          resources: this._resources(ResourcePreset.NANO),
          readinessProbe: httpGetProbe('/-/healthy', HTTP.name, { initialDelaySeconds: 2 }),
          livenessProbe: httpGetProbe('/-/healthy', HTTP.name),
          volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }],
        })],
        volumes: [{ name: 'config', configMap: { name: this.config.name } }],
      }),
    });
    this._addServiceMonitor({ endpoints: [{ port: HTTP.name, path: '/metrics' }] });
    this._addPodDisruptionBudget(replicas);
  }

  /** Names of the exporter's modules (built-in first). */
  public get moduleNames(): string[] {
    return this.modules.map((m) => m.name);
  }

  /** The prober of a module, `undefined` when the exporter has no such module. */
  public proberOf(moduleName: string): BlackboxProber | undefined {
    return this.modules.find((m) => m.name === moduleName)?.prober;
  }

  /**
   * Timeout of a module in milliseconds (5s unless the module sets one).
   * @internal
   */
  public _moduleTimeoutMs(moduleName: string): number {
    return this.modules.find((m) => m.name === moduleName)?.timeout?.toMilliseconds() ?? 5000;
  }

  /** `host:port` of the exporter's Service, as a Probe's `prober.url` names it. */
  public get proberAddress(): string {
    return this.service.address(HTTP.name);
  }

  private renderConfig(): BlackboxConfigFile {
    return { modules: Object.fromEntries(this.modules.map((m) => [m.name, moduleFile(m)])) };
  }
}
