import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { appIndex } from './app-index';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from './errors';
import { PART_OF } from './labels';
import { AGENTS_NAMESPACE, kebabCase, validateNamespace } from './names';
import { clusterMeta, clusterScoped } from './objects';
import { admits, assessPodSpec, PodSecurityLevel, podSpecOf } from './pod-security';
import { validateSharedProps } from './validation';

/** Properties of `Namespace`. */
export interface NamespaceProps {
  /** Name of the namespace (DNS-1123 label, at most 63 characters). @default - the construct id in kebab-case */
  readonly name?: string;
  /**
   * Pod Security level enforced on the namespace (`pod-security.kubernetes.io/enforce`). Keep
   * "restricted" everywhere except the node-agent namespace (`Namespace.forNodeAgents`).
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /** Version of the Pod Security policy the level refers to. @default 'v1.28' */
  readonly podSecurityVersion?: string;
  /** Extra labels. @default - none */
  readonly labels?: { [key: string]: string };
  /** Argo CD sync wave (namespaces sync after the CRDs at -10 and before the components at 0). @default -5 */
  readonly syncWave?: number;
}

/** Properties of `Namespace.forNodeAgents`. */
export interface NodeAgentsNamespaceProps {
  /** Name. @default 'monitoring-agents' */
  readonly name?: string;
  /** Version of the Pod Security policy. @default 'v1.28' */
  readonly podSecurityVersion?: string;
  /** Extra labels. @default - none */
  readonly labels?: { [key: string]: string };
  /** Argo CD sync wave. @default -5 */
  readonly syncWave?: number;
}

/**
 * A namespace with Pod Security Standards labels: "restricted" enforced by default.
 *
 * Node agents (node-exporter, log collectors) need host access, which only "privileged" admits: they get
 * their own namespace from `Namespace.forNodeAgents()` (privileged enforced, restricted still warned
 * about), so the stack namespace stays restricted. At `app.synth()` every workload the app places in
 * the namespace is checked against the enforced level: a pod the namespace would reject fails the
 * synth, as does a privileged namespace that holds no workload needing it.
 */
export class Namespace extends Construct {
  /** The namespace for node agents: Pod Security "privileged" enforced, "restricted" warned about. */
  public static forNodeAgents(scope: Construct, id: string, props: NodeAgentsNamespaceProps = {}): Namespace {
    return new Namespace(scope, id, { ...props, name: props.name ?? AGENTS_NAMESPACE, podSecurity: PodSecurityLevel.PRIVILEGED });
  }

  /** Name of the namespace. */
  public readonly name: string;
  /** The enforced Pod Security level. */
  public readonly podSecurity: PodSecurityLevel;
  /** The Namespace object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: NamespaceProps = {}) {
    super(scope, id);
    validateSharedProps(this, props, { required: true });
    this.name = validateNamespace(this, 'name', props.name ?? kebabCase(id));
    if (this.name.startsWith('kube-')) {
      fail(this, {
        problem: "'name' uses the 'kube-' prefix, which is reserved for Kubernetes system namespaces",
        received: show(this.name),
        expected: 'a name without the kube- prefix',
        fix: `use e.g. ${show(this.name.replace(/^kube-/, ''))}`,
      });
    }
    const level = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    if (!Object.values(PodSecurityLevel).includes(level)) {
      fail(this, { problem: "'podSecurity' is not a Pod Security level", received: show(level), expected: 'PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED', fix: 'use the PodSecurityLevel enum' });
    }
    this.podSecurity = level;
    const version = props.podSecurityVersion ?? 'v1.28';
    if (!/^(v1\.[0-9]+|latest)$/.test(version)) {
      fail(this, { problem: "'podSecurityVersion' is not a Pod Security policy version", received: show(version), expected: 'e.g. "v1.28" or "latest"', fix: 'pass the Kubernetes minor version of your cluster, e.g. "v1.28"' });
    }
    const pss: Record<string, string> = level === PodSecurityLevel.PRIVILEGED
      // privileged admits everything: warn about what "restricted" would reject, so nothing else slips in
      ? { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': version }
      : { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': version };
    this.apiObject = clusterScoped(new k8s.KubeNamespace(this, 'Resource', {
      metadata: clusterMeta(this, 'Namespace', {
        name: this.name,
        labels: { 'app.kubernetes.io/part-of': PART_OF, ...(props.labels ?? {}), ...pss },
        annotations: { 'argocd.argoproj.io/sync-wave': String(props.syncWave ?? -5) },
      }),
    }));
    addLgtmValidation(this, () => this.podSecurityErrors());
  }

  /** Workloads in the app placed in this namespace that its Pod Security level rejects. */
  private podSecurityErrors(): LgtmErrorDetails[] {
    const out: LgtmErrorDetails[] = [];
    let needsPrivileged = false;
    let workloads = 0;
    for (const o of appIndex(this).apiObjects) {
      if (o.metadata.namespace !== this.name) continue;
      let json: any;
      try {
        json = appIndex(this).manifestOf(o); // runs in a validation: resolved once per pass
      } catch {
        continue; // its own validation reports why it cannot render
      }
      const spec = podSpecOf(json);
      if (!spec) continue;
      workloads++;
      const a = assessPodSpec(spec);
      if (a.level === PodSecurityLevel.PRIVILEGED) needsPrivileged = true;
      if (!admits(this.podSecurity, a.level)) {
        out.push({
          problem: `${o.kind} ${this.name}/${o.name} (${o.node.path}) needs Pod Security "${a.level}", but namespace ${this.name} enforces "${this.podSecurity}": the API server would reject its pods`,
          received: a.reasons.join('; '),
          expected: `pods that meet "${this.podSecurity}"`,
          fix: a.level === PodSecurityLevel.PRIVILEGED
            ? `place it in the node-agent namespace (Namespace.forNodeAgents, '${AGENTS_NAMESPACE}') with its 'namespace' prop`
            : 'fix the pod security context, or place the workload in a namespace with a lower level',
        });
      }
    }
    if (this.podSecurity === PodSecurityLevel.PRIVILEGED && workloads > 0 && !needsPrivileged) {
      out.push({
        problem: `namespace ${this.name} enforces Pod Security "privileged", but none of its ${workloads} workload(s) needs it`,
        received: 'podSecurity: PodSecurityLevel.PRIVILEGED',
        expected: 'privileged only for the node-agent namespace (host network, host PID or host paths)',
        fix: 'drop podSecurity (restricted is the default), or move the node agents here',
      });
    }
    return out;
  }
}
