import { Construct } from 'constructs';
import { BeylaYaml, renderBeylaConfig } from './config';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { Images } from '../core/images';
import { ITracesBackend } from '../core/interfaces';
import { AGENTS_NAMESPACE, validateNamespace } from '../core/names';
import { emptyDirVolume, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { TOLERATE_ALL } from '../core/scheduling';

/** Props of {@link Beyla}. */
export interface BeylaProps extends ComponentProps {
  /**
   * Where traces and RED metrics go over OTLP/HTTP: an `AlloyCollector`, an `OtelCollector`, or Tempo
   * (traces only).
   */
  readonly otlpTarget: ITracesBackend;
  /**
   * Instrument the processes of pods in these namespaces.
   * @default - none (then `ports` must select something)
   */
  readonly namespaces?: string[];
  /**
   * Instrument processes listening on these ports.
   * @default - none (then `namespaces` must select something)
   */
  readonly ports?: number[];
  /**
   * Propagate trace context between services (adds CAP_NET_ADMIN for the traffic-control programs).
   * @default false
   */
  readonly contextPropagation?: boolean;
}

/**
 * The Linux capabilities Beyla's docs list for application observability (eBPF programs, process
 * discovery, reading executables of other users): BPF, PERFMON (load and attach programs), SYS_PTRACE
 * (inspect processes), DAC_READ_SEARCH (read their executables), CHECKPOINT_RESTORE (resolve their
 * files through /proc), NET_RAW (socket filters). Context propagation adds NET_ADMIN.
 */
const APP_OBSERVABILITY_CAPS = ['BPF', 'CHECKPOINT_RESTORE', 'DAC_READ_SEARCH', 'NET_RAW', 'PERFMON', 'SYS_PTRACE'];

/**
 * Grafana Beyla eBPF auto-instrumentation (a DaemonSet; OpenTelemetry's OBI image works through the
 * `image` prop): traces and RED metrics of the selected processes, sent over OTLP to a collector.
 *
 * Documented Pod Security exception (it cannot run "restricted"): it runs in the node-agent namespace
 * (`monitoring-agents`, labelled privileged), with `hostPID` (to see the processes of other pods), as
 * root with exactly the capabilities its docs list for the features turned on (`APP_OBSERVABILITY_CAPS`,
 * plus NET_ADMIN for context propagation), every other capability dropped, no privileged mode, a
 * read-only root filesystem, and AppArmor unconfined (eBPF attach is blocked by the default profile).
 * Its ClusterRole reads pods, replicasets, services and nodes (Kubernetes metadata on spans).
 */
export class Beyla extends Component {
  /** The ConfigMap holding `beyla-config.yml`. */
  public readonly config: ConfigFiles;
  /** The capabilities added to the container. */
  public readonly capabilities: string[];

  private readonly props: BeylaProps;

  constructor(scope: Construct, id: string, props: BeylaProps) {
    super(scope, id, props, { appName: 'beyla', name: 'beyla', image: Images.BEYLA, namespace: AGENTS_NAMESPACE });
    this.props = props;
    this.validateSelection();
    this.capabilities = [...APP_OBSERVABILITY_CAPS, ...(props.contextPropagation ? ['NET_ADMIN'] : [])].sort();

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('beyla-config.yml', () => this.renderConfig());
    this._addServiceAccount(true);
    this._addClusterRole([
      { apiGroups: [''], resources: ['pods', 'services', 'nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ]);
    this.configureWorkload();
    addLgtmValidation(this, () => this.wiringErrors());
  }

  private validateSelection(): void {
    const ns = this.props.namespaces ?? [];
    const ports = this.props.ports ?? [];
    if (ns.length === 0 && ports.length === 0) {
      fail(this, {
        problem: 'the Beyla selector selects nothing',
        received: 'namespaces: [], ports: []',
        expected: "at least one namespace (e.g. ['dev']) or port (e.g. [8080])",
        fix: "pass 'namespaces' or 'ports' for the services to instrument",
      });
    }
    for (const n of ns) validateNamespace(this, 'namespaces', n);
    if (ns.includes(this.namespace)) {
      fail(this, {
        problem: "'namespaces' selects Beyla's own namespace",
        received: show(this.namespace),
        expected: 'the namespaces of the applications to instrument',
        fix: `remove ${show(this.namespace)}: instrumenting the agents themselves adds load and no insight`,
      });
    }
    for (const p of ports) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        fail(this, { problem: "'ports' has an invalid port", received: show(p), expected: 'integers from 1 to 65535', fix: 'pass the ports the services listen on' });
      }
    }
  }

  private renderConfig(): BeylaYaml {
    return renderBeylaConfig({
      namespaces: this.props.namespaces ?? [],
      ports: this.props.ports ?? [],
      contextPropagation: this.props.contextPropagation ?? false,
      otlpHttpUrl: this.props.otlpTarget.otlpHttpUrl,
    });
  }

  private configureWorkload(): void {
    this._addDaemonSet({
      updateStrategy: { type: 'RollingUpdate' },
      template: this._podTemplate({
        annotations: {
          [CHECKSUM_ANNOTATION]: this.config.checksum,
          // the default AppArmor profile blocks attaching eBPF programs
          'container.apparmor.security.beta.kubernetes.io/beyla': 'unconfined',
        },
        automountServiceAccountToken: true,
        hostPid: true,
        defaultTolerations: TOLERATE_ALL,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [kubeContainer({
          name: 'beyla',
          image: this.image,
          env: [
            { name: 'BEYLA_CONFIG_PATH', value: '/etc/beyla/beyla-config.yml' },
            { name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
          ],
          resources: this._resources(ResourcePreset.SMALL),
          securityContext: {
            runAsUser: 0,
            runAsNonRoot: false,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'], add: this.capabilities },
            seccompProfile: { type: 'Unconfined' },
          },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/beyla', readOnly: true },
            { name: 'var-run-beyla', mountPath: '/var/run/beyla' },
          ],
        })],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          emptyDirVolume('var-run-beyla', '64Mi'),
        ],
      }),
    });
  }

  private wiringErrors(): LgtmErrorDetails[] {
    const t = this.props.otlpTarget;
    if (t.node.root === this.node.root) return [];
    return [{
      problem: "'otlpTarget' points at a construct of another app",
      received: t.node.path || '<root>',
      expected: 'a collector of the same cdk8s App (its Service is emitted with this one)',
      fix: 'create the collector in this App',
    }];
  }
}
