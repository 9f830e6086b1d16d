import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Component, ExporterProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { addLgtmValidation, LgtmErrorDetails } from '../core/errors';
import { Images } from '../core/images';
import { PortSpec } from '../core/kube';
import { AGENTS_NAMESPACE } from '../core/names';
import { Namespace } from '../core/namespace';
import { hostPathVolume, kubeContainer } from '../core/pod';
import { PodSecurityLevel } from '../core/pod-security';
import { ResourcePreset } from '../core/resources';
import { TOLERATE_ALL } from '../core/scheduling';

/**
 * Props of {@link Kepler} (defaults: name 'kepler', resources MICRO, every node, every taint). Kepler
 * needs privileged pods (host /proc and /sys, host PID), so its namespace defaults to the node-agent
 * namespace (`Namespace.forNodeAgents`, 'monitoring-agents'); a namespace of the app that enforces
 * "baseline" or "restricted" fails the synth. Use `nodeSelector` for e.g. only bare-metal nodes with RAPL.
 */
export interface KeplerProps extends ExporterProps {}

const HTTP: PortSpec = { name: 'http', port: 28282 };
const CONFIG_DIR = '/etc/kepler';
const CONFIG_FILE = 'config.yaml';

/** Kepler's `config.yaml` (the keys of kepler v0.11.4 `config/config.go` this library sets). */
interface KeplerConfig {
  log: { level: string; format: string };
  host: { sysfs: string; procfs: string };
  monitor: { interval: string; staleness: string; maxTerminated: number; minTerminatedEnergyThreshold: number };
  rapl: { zones: string[] };
  exporter: { stdout: { enabled: boolean }; prometheus: { enabled: boolean; debugCollectors: string[] } };
  web: { configFile: string; listenAddresses: string[] };
  debug: { pprof: { enabled: boolean } };
  kube: { enabled: boolean; config: string; nodeName: string; podInformer: { mode: string; pollInterval: string } };
}

/**
 * Kepler: energy use of nodes, pods and containers (RAPL through the powercap sysfs, attributed by CPU
 * time from /proc), exported as Prometheus metrics (`kepler_node_cpu_watts`, `kepler_pod_cpu_watts`, ...)
 * on port 28282 and scraped through its ServiceMonitor. A DaemonSet in the node-agent namespace.
 *
 * Privileges (docs/COLLECTION.md): host PID (to attribute energy to the processes of every pod),
 * `privileged` as upstream's manifests run it (the RAPL energy counters are root-only files of sysfs),
 * host `/proc` and `/sys` read-only. It cannot measure where the node exposes no RAPL zones: most
 * managed cloud VMs (no `/sys/class/powercap/intel-rapl`), ARM nodes without a power meter, and nodes
 * whose kernel lacks the powercap driver; there the pods run and report no energy.
 * Pods are found through the API server (`podInformer.mode: apiserver`), so no `nodes/proxy` access is needed.
 */
export class Kepler extends Component {
  /** The ConfigMap holding `config.yaml`. */
  public readonly config: ConfigFiles;

  constructor(scope: Construct, id: string, props: KeplerProps = {}) {
    super(scope, id, props, { appName: 'kepler', component: 'exporter', name: 'kepler', image: Images.KEPLER, namespace: AGENTS_NAMESPACE });
    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml(CONFIG_FILE, () => this.renderConfig());
    this._addServiceAccount(true);
    this._addClusterRole([{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
    this._addService({ ports: [HTTP] });
    this._addDaemonSet({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
      template: this._podTemplate({
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        automountServiceAccountToken: true,
        hostPid: true,
        defaultTolerations: TOLERATE_ALL,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [kubeContainer({
          name: 'kepler',
          image: this.image,
          command: ['/usr/bin/kepler'],
          args: [`--config.file=${CONFIG_DIR}/${CONFIG_FILE}`, '--kube.enable', '--kube.node-name=$(NODE_NAME)'],
          env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          ports: [HTTP],
          resources: this._resources(ResourcePreset.MICRO),
          // Documented exception: root and privileged, as upstream runs it (RAPL counters are root-only sysfs files)
          securityContext: {
            privileged: true,
            runAsNonRoot: false,
            runAsUser: 0,
            readOnlyRootFilesystem: true,
          },
          volumeMounts: [
            { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
            { name: 'sysfs', mountPath: '/host/sys', readOnly: true },
            { name: 'procfs', mountPath: '/host/proc', readOnly: true },
          ],
        })],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          hostPathVolume('sysfs', '/sys', 'Directory'),
          hostPathVolume('procfs', '/proc', 'Directory'),
        ],
        terminationGracePeriodSeconds: 30,
      }),
    });
    // the energy metrics, declared so that the app's query-source check knows this monitor produces them
    this._addServiceMonitor({ endpoints: [{ port: HTTP.name, path: '/metrics' }] });
    addLgtmValidation(this, () => this.namespaceErrors());
  }

  /** The `config.yaml` structure. */
  private renderConfig(): KeplerConfig {
    const cfg: KeplerConfig = {
      log: { level: 'info', format: 'text' },
      host: { sysfs: '/host/sys', procfs: '/host/proc' },
      monitor: { interval: '5s', staleness: '500ms', maxTerminated: 100, minTerminatedEnergyThreshold: 10 },
      rapl: { zones: [] },
      exporter: { stdout: { enabled: false }, prometheus: { enabled: true, debugCollectors: ['go'] } },
      web: { configFile: '', listenAddresses: [`:${HTTP.port}`] },
      debug: { pprof: { enabled: false } },
      kube: { enabled: true, config: '', nodeName: '', podInformer: { mode: 'apiserver', pollInterval: '15s' } },
    };
    return cfg;
  }

  /** A namespace of the app that would reject Kepler's privileged pods. */
  private namespaceErrors(): LgtmErrorDetails[] {
    const ns = this.node.root.node.findAll().find((c): c is Namespace => c instanceof Namespace && c.name === this.namespace);
    if (!ns || ns.podSecurity === PodSecurityLevel.PRIVILEGED) return [];
    const workload: ApiObject = this.workload;
    return [{
      problem: `Kepler needs privileged pods (host PID, host /proc and /sys, privileged container), but its namespace ${this.namespace} enforces Pod Security "${ns.podSecurity}"`,
      received: `namespace: ${JSON.stringify(this.namespace)} (${ns.node.path}, podSecurity ${ns.podSecurity}); DaemonSet ${workload.name}`,
      expected: 'the node-agent namespace (Namespace.forNodeAgents), which enforces "privileged"',
      fix: `pass namespace: '${AGENTS_NAMESPACE}' and create it with Namespace.forNodeAgents`,
    }];
  }
}
