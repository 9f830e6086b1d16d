import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { ArgoCdSyncAnnotations } from '../argocd/sync';
import { AppIndex, appIndex, prepareEachPass } from '../core/app-index';
import { compareText } from '../core/collate';
import { fail, show } from '../core/errors';
import { validateNamespace } from '../core/names';
import { NAMESPACE_NAME_LABEL } from '../core/prometheus-operator';
import { validateSharedProps } from '../core/validation';
import { WiringEdge, wiringGraph } from '../core/wiring';

/**
 * Traffic the wiring graph does not show, admitted on purpose: an ingress controller in front of
 * Grafana, applications in other namespaces that push OTLP to a collector, a Prometheus outside the app.
 */
export interface NetworkPolicyAdmission {
  /** Namespace the traffic comes from: one the app emits, or one listed in `externalNamespaces`. */
  readonly fromNamespace: string;
  /** Only pods with these labels. @default - every pod of `fromNamespace` */
  readonly fromPodLabels?: { [key: string]: string };
  /** Namespace the traffic goes to: one of the namespaces the policies cover. */
  readonly toNamespace: string;
  /** Only pods with these labels (e.g. `{ 'app.kubernetes.io/name': 'grafana' }`). @default - every pod of `toNamespace` */
  readonly toPodLabels?: { [key: string]: string };
  /** Only these container ports. @default - every port */
  readonly ports?: number[];
  /** Why the traffic is admitted (written into the policy's annotations). */
  readonly reason: string;
}

/** Properties of `LgtmNetworkPolicies`. */
export interface LgtmNetworkPoliciesProps {
  /** Namespaces that get default-deny ingress and the allow rules. @default - every Namespace the app emits */
  readonly namespaces?: string[];
  /** Traffic admitted beyond the wiring graph. @default - none */
  readonly admissions?: NetworkPolicyAdmission[];
  /**
   * Namespaces outside the app that admissions may name as `fromNamespace` (e.g. `ingress-nginx`). A
   * namespace neither emitted by the app nor listed here fails the synth (a typo admits nothing).
   * @default - none
   */
  readonly externalNamespaces?: string[];
}

/** The annotation that names the wiring edge (or admission) behind each ingress rule. */
export const NETWORK_EDGE_ANNOTATION = 'lgtm.cdk8s.io/edges';

/** Every resolved object of the app except CRDs (their bodies are large and wire nothing). */
export function appManifests(root: IConstruct, except?: IConstruct, index?: AppIndex): any[] {
  const out: any[] = [];
  // the constructs under `except` (a small subtree), not a path per construct of the app
  const skip = new Set<IConstruct>(except ? except.node.findAll() : []);
  for (const c of index ? index.constructs : root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind === 'CustomResourceDefinition') continue;
    if (skip.has(c)) continue;
    try {
      out.push(index ? index.manifestOf(c) : c.toJson());
    } catch {
      // its own validation reports why it cannot render
    }
  }
  return out;
}

function policyName(prefix: string, name: string): string {
  return `${prefix}-${name}`.replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
}

/** What the policies are drawn from: the namespaces they cover and the edges into them. */
interface PolicyPlan {
  readonly namespaces: string[];
  readonly edges: WiringEdge[];
  /** Namespaces and edges as text: the policies are created again only when it changes. */
  readonly signature: string;
}

/**
 * NetworkPolicies generated from the app's wiring graph (`src/core/wiring.ts`): default-deny ingress in
 * each namespace the stack owns, and for each workload one policy with one ingress rule per connection
 * that reaches it (collector to backend, Grafana to its datasources, Prometheus to every scraped port and
 * to Alertmanager, members of a ring to each other). Anything else is admitted only through
 * `admissions`. Egress is not restricted.
 *
 * It may be created anywhere in the app, before or after the constructs it covers: the policies are
 * drawn at synth, at the start of each validation pass, from the manifests of every other object of the
 * app as written (after Prometheus' discovery Roles and the Argo CD annotations), so they always match
 * the output. The props are checked at construction; what depends on the app (the namespaces it emits,
 * the admissions' namespaces) fails the synth, before anything is written. Kubelet probes and
 * host-network pods (node-exporter) are not subject to NetworkPolicies on the common CNIs (Calico, Cilium).
 */
export class LgtmNetworkPolicies extends Construct {
  private readonly props: LgtmNetworkPoliciesProps;
  private readonly external: string[];
  /** The plan the policies under this construct were created from (at the last synth). */
  private built?: PolicyPlan;

  constructor(scope: Construct, id: string, props: LgtmNetworkPoliciesProps = {}) {
    super(scope, id);
    validateSharedProps(this, props);
    this.props = props;
    for (const [i, n] of (props.namespaces ?? []).entries()) validateNamespace(this, `namespaces[${i}]`, n);
    this.external = (props.externalNamespaces ?? []).map((n, i) => validateNamespace(this, `externalNamespaces[${i}]`, n));
    for (const [i, a] of (props.admissions ?? []).entries()) this.validateAdmission(i, a);
    // after the phases that add objects (0) and annotate every object (1): see `prepareEachPass`
    prepareEachPass(this, 2, () => this.createPolicies(appIndex(this)));
  }

  /**
   * The connections the policies admit. Known at synth (the value of the last synth); read before the
   * first synth, it is computed from the app as built so far.
   */
  public get edgeCount(): number {
    return this.plan().edges.length;
  }

  /**
   * The namespaces covered (`namespaces`, or every Namespace the app emits). Known at synth (the value
   * of the last synth); read before the first synth, it is computed from the app as built so far.
   */
  public get namespaces(): string[] {
    return [...this.plan().namespaces];
  }

  private plan(): PolicyPlan {
    return this.built ?? this.planFrom(appManifests(this.node.root, this));
  }

  /** The namespaces and edges of the app's manifests; fails on props that do not fit the app. */
  private planFrom(manifests: any[]): PolicyPlan {
    const emitted = manifests.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string);
    const namespaces = (this.props.namespaces ?? emitted).map((n, i) => validateNamespace(this, `namespaces[${i}]`, n));
    if (namespaces.length === 0) {
      fail(this, { problem: 'the app emits no Namespace for the policies to cover', received: '[]', expected: 'Namespace constructs in the app, or `namespaces`', fix: 'add the stack (and its Namespaces) to the app, or list the namespaces to cover in `namespaces`' });
    }
    for (const [i, a] of (this.props.admissions ?? []).entries()) this.checkAdmissionNamespaces(i, a, emitted, namespaces);
    const owned = new Set(namespaces);
    const edges = wiringGraph(manifests).filter((e) => owned.has(e.to.namespace));
    return { namespaces, edges, signature: JSON.stringify([namespaces, edges]) };
  }

  /**
   * The preparing step of each pass: draws the plan from the manifests of the pass index and, when it
   * differs from the one the policies were created from, creates them (again). The index keeps its
   * manifests (`adopt`): the checks and the writer resolve nothing again.
   */
  private createPolicies(index: AppIndex): void {
    const plan = this.planFrom(appManifests(this.node.root, this, index));
    if (this.built !== undefined && this.built.signature === plan.signature) return;
    // the app changed since the last synth (a test that synthesizes, adds, synthesizes again)
    for (const child of [...this.node.children]) this.node.tryRemoveChild(child.node.id);
    this.built = plan;
    for (const ns of plan.namespaces) {
      new k8s.KubeNetworkPolicy(this, `deny-${ns}`, {
        metadata: { name: 'lgtm-default-deny-ingress', namespace: ns, annotations: { [NETWORK_EDGE_ANNOTATION]: 'none: deny every ingress not admitted below' } },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      });
    }
    const byTarget = new Map<string, WiringEdge[]>();
    for (const e of plan.edges) byTarget.set(e.to.name, [...(byTarget.get(e.to.name) ?? []), e]);
    for (const [target, edges] of [...byTarget.entries()].sort(([a], [b]) => compareText(a, b))) {
      const to = edges[0].to;
      const name = target.split('/').pop()!;
      new k8s.KubeNetworkPolicy(this, `allow-${target}`, {
        metadata: {
          name: policyName('lgtm-allow', `${target.split(' ')[0].toLowerCase()}-${name}`),
          namespace: to.namespace,
          annotations: { [NETWORK_EDGE_ANNOTATION]: edges.map(edgeLabel).join('; ') },
        },
        spec: {
          podSelector: { matchLabels: { ...to.podLabels } },
          policyTypes: ['Ingress'],
          ingress: edges.map((e) => ({
            from: [{
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: e.from.namespace } },
              podSelector: { matchLabels: { ...e.from.podLabels } },
            }],
            ...(e.port === undefined ? {} : { ports: [{ port: intOrString(e.port), protocol: e.protocol }] }),
          })),
        },
      });
    }
    for (const [i, a] of (this.props.admissions ?? []).entries()) {
      new k8s.KubeNetworkPolicy(this, `admit-${i}`, {
        metadata: { name: policyName('lgtm-admit', `${a.fromNamespace}-${i}`), namespace: a.toNamespace, annotations: { [NETWORK_EDGE_ANNOTATION]: `admission: ${a.reason}` } },
        spec: {
          podSelector: a.toPodLabels ? { matchLabels: { ...a.toPodLabels } } : {},
          policyTypes: ['Ingress'],
          ingress: [{
            from: [{
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: a.fromNamespace } },
              ...(a.fromPodLabels ? { podSelector: { matchLabels: { ...a.fromPodLabels } } } : {}),
            }],
            ...(a.ports && a.ports.length > 0 ? { ports: a.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p), protocol: 'TCP' })) } : {}),
          }],
        },
      });
    }
    // the Argo CD annotations (phase 1) ran before these objects existed: the same, on them only
    if (ArgoCdSyncAnnotations.isApplied(this)) ArgoCdSyncAnnotations.annotateNow(this);
    index.adopt(this);
  }

  /** The checks of one admission that need no app (names, ports, reason). */
  private validateAdmission(i: number, a: NetworkPolicyAdmission): void {
    const prop = `admissions[${i}]`;
    validateNamespace(this, `${prop}.fromNamespace`, a.fromNamespace);
    validateNamespace(this, `${prop}.toNamespace`, a.toNamespace);
    for (const p of a.ports ?? []) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) fail(this, { problem: `'${prop}.ports' holds a value that is not a port`, received: show(p), expected: 'an integer from 1 to 65535', fix: 'pass the container port, e.g. 3000' });
    }
    if (typeof a.reason !== 'string' || a.reason.trim().length < 10) {
      fail(this, { problem: `'${prop}.reason' does not say why the traffic is admitted`, received: show(a.reason), expected: 'a sentence, e.g. "ingress-nginx serves Grafana"', fix: 'say who connects and why' });
    }
  }

  /** The checks of one admission against the app: its namespaces exist, the target one is covered. */
  private checkAdmissionNamespaces(i: number, a: NetworkPolicyAdmission, emitted: string[], covered: string[]): void {
    const prop = `admissions[${i}]`;
    if (!emitted.includes(a.fromNamespace) && !this.external.includes(a.fromNamespace)) {
      fail(this, {
        problem: `'${prop}.fromNamespace' names a namespace the app does not emit and that is not listed in 'externalNamespaces'`,
        received: show(a.fromNamespace),
        expected: `one of ${show([...emitted, ...this.external].sort())}`,
        fix: `correct the name, or add ${show(a.fromNamespace)} to 'externalNamespaces' if it exists outside the app (e.g. the ingress controller's namespace)`,
      });
    }
    if (!covered.includes(a.toNamespace)) {
      fail(this, {
        problem: `'${prop}.toNamespace' is not a namespace the policies cover: nothing there is denied, so there is nothing to admit`,
        received: show(a.toNamespace),
        expected: `one of ${show(covered)}`,
        fix: 'name the namespace of the workload to expose',
      });
    }
  }
}

function intOrString(v: number | string): k8s.IntOrString {
  return typeof v === 'number' || /^\d+$/.test(v) ? k8s.IntOrString.fromNumber(Number(v)) : k8s.IntOrString.fromString(v);
}

/** One line per edge: `Prometheus monitoring/prometheus -> Deployment monitoring/grafana :3000 (scrape)`. */
export function edgeLabel(e: WiringEdge): string {
  return `${e.from.name} -> ${e.to.name} :${e.port ?? '*'} (${e.purpose})`;
}
