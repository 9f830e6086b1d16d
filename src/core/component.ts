import { ApiObject, Duration, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { registerLgtmAppChecks } from './app-checks';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from './errors';
import { imageVersion } from './images';
import { kubeService, PortSpec, ServiceRef } from './kube';
import { selectorLabels, standardLabels } from './labels';
import { ServiceMonitor, ServiceMonitorForServiceOptions } from './monitors';
import { childName, DEFAULT_NAMESPACE, resolveNamespace, validateName } from './names';
import { clusterMeta, clusterScoped, KubeStatefulSetWithClaims, objectMeta, rendersNamespaceOnClusterObject } from './objects';
import { kubePodTemplate, PodTemplateOptions, volumeClaim } from './pod';
import { validateComponentProps } from './props';
import { ResourcePreset } from './resources';
import { toKubeTolerations, Toleration } from './scheduling';
import { StorageOptions } from './storage';
import type { AlertingRuleProps } from '../rules/alert-rule';
import { PrometheusRule } from '../rules/prometheus-rule';

/**
 * The props of a component with one fixed-size workload and a metrics port (the exporters: OpenCost,
 * Kepler): identity, image, resources, its ServiceMonitor and scheduling. `ComponentProps` adds
 * replicas, storage and the PodDisruptionBudget.
 */
export interface ExporterProps {
  /** Stable object name. @default - the component's default name */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else `monitoring` (`monitoring-agents` for node agents) */
  readonly namespace?: string;
  /** Container image (a registry mirror, a newer patch release). @default - the component's entry in `Images` */
  readonly image?: string;
  /** CPU and memory of the main container. @default - the component's default preset */
  readonly resources?: ResourcePreset;
  /** Emit a ServiceMonitor for the component's own metrics. @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on that ServiceMonitor (to match a Prometheus `monitorSelector`). @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /** Node labels the pods must match. @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations of the pods. @default - none (node agents: every taint) */
  readonly tolerations?: Toleration[];
}

/**
 * The props every workload-bearing component understands, spelt once. A component's own props struct
 * declares the ones that apply to it, with the same name and type (the vocabulary test over the jsii
 * assembly enforces it), and passes its props to `Component`.
 */
export interface ComponentProps extends ExporterProps {
  /** Pod replicas. @default - the component's default */
  readonly replicas?: number;
  /** The persistent volume (size and StorageClass). @default - the component's default size, the cluster's default StorageClass */
  readonly storage?: StorageOptions;
  /** Emit a PodDisruptionBudget (`maxUnavailable: 1`). @default - true when more than one replica runs */
  readonly podDisruptionBudget?: boolean;
}

/** What a component tells `Component` about itself. */
export interface ComponentDefaults {
  /** `app.kubernetes.io/name`, e.g. `node-exporter`. */
  readonly appName: string;
  /** `app.kubernetes.io/component`, e.g. `exporter`. @default - none */
  readonly component?: string;
  /** Default object name. */
  readonly name: string;
  /** Default image. */
  readonly image: string;
  /**
   * Namespace used when neither the prop nor the Chart names one.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Longest allowed object name (room for the suffixes the component appends).
   * @default 40
   */
  readonly nameMaxLength?: number;
}

/** Marks `Component` instances without `instanceof` (several copies of the library in one app). */
const COMPONENT_MARKER = Symbol.for('cdk8s-lgtm.Component');
/** Marks a root whose app-wide checks are registered. */
const APP_CHECKS = Symbol.for('cdk8s-lgtm.appChecks');

/**
 * The skeleton of every workload-bearing component.
 *
 * The constructor of a component follows one order: `super()` resolves and validates the shared props
 * (name, namespace, image, labels), the component validates its own props, then it renders through
 * private builder methods that call the builders of this class (`_addServiceAccount`, `_addDeployment`,
 * `_addService`, `_addServiceMonitor`, ...). Every object is typed (`k8s.Kube*`, or the generated
 * classes of `src/imports`) and gets the same names and labels in every component:
 *
 * - object names: `name` (default the component's name); cluster-scoped ones `<namespace>-<name>`;
 * - namespace: the prop, then the Chart's namespace, then `monitoring` (node agents: `monitoring-agents`);
 *   cluster-scoped objects never carry one;
 * - labels: `app.kubernetes.io/*`, selectors without the version.
 *
 * Children are reachable under the same members everywhere: `workload`, `service`, `serviceAccount`,
 * `serviceMonitor`, `podDisruptionBudget`.
 */
export abstract class Component extends Construct {
  /** True when `x` is a `Component` (of any copy of this library). */
  public static isComponent(x: any): x is Component {
    return x !== null && typeof x === 'object' && COMPONENT_MARKER in x;
  }

  /** Object name of the workload, Service and ServiceAccount. */
  public readonly name: string;
  /** Namespace of every namespaced object. */
  public readonly namespace: string;
  /** The container image. */
  public readonly image: string;
  /** The standard labels on every object (`app.kubernetes.io/*`). */
  public readonly labels: { [key: string]: string };
  /** The pod selector labels (the standard labels without the version). */
  public readonly selectorLabels: { [key: string]: string };

  private readonly componentProps: ComponentProps;
  private _workload?: ApiObject;
  private _service?: ServiceRef;
  private _serviceAccount?: k8s.KubeServiceAccount;
  private _serviceMonitor?: ServiceMonitor;
  private _podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  private _storageRead = false;

  protected constructor(scope: Construct, id: string, props: ComponentProps, defaults: ComponentDefaults) {
    super(scope, id);
    Object.defineProperty(this, COMPONENT_MARKER, { value: true });
    this.componentProps = props;
    validateComponentProps(this, props);
    this.name = validateName(this, 'name', props.name ?? defaults.name, defaults.nameMaxLength ?? 40);
    this.namespace = resolveNamespace(this, props.namespace, defaults.namespace ?? DEFAULT_NAMESPACE);
    this.image = props.image ?? defaults.image;
    const identity = { name: defaults.appName, instance: this.name, component: defaults.component, version: imageVersion(this.image) };
    this.labels = standardLabels(identity);
    this.selectorLabels = selectorLabels(identity);
    registerAppChecks(this);
    if (props.storage !== undefined) addLgtmValidation(this, () => this.unusedStorageErrors());
  }

  /** A `storage` prop on a component that renders no volume claim would do nothing: it fails. */
  private unusedStorageErrors(): LgtmErrorDetails[] {
    if (this._storageRead) return [];
    const claims = this.node.findAll().some((c) => ApiObject.isApiObject(c)
      && (c.kind === 'PersistentVolumeClaim' || (c.kind === 'StatefulSet' && ((c as any).props?.spec?.volumeClaimTemplates?.length ?? 0) > 0)));
    if (claims) return [];
    return [{
      problem: `'storage' is set, but ${this.constructor.name} renders no persistent volume claim: the prop would do nothing`,
      received: show(this.componentProps.storage),
      expected: `no 'storage' prop on ${this.constructor.name} (its pods keep no data on a volume)`,
      fix: "remove 'storage'",
    }];
  }

  /** The workload object (Deployment, DaemonSet, StatefulSet, or the operator-managed custom resource). */
  public get workload(): ApiObject {
    if (!this._workload) throw new Error(`${this.node.path}: the component rendered no workload`);
    return this._workload;
  }

  /** The main Service. */
  public get service(): ServiceRef {
    if (!this._service) throw new Error(`${this.node.path}: the component rendered no Service`);
    return this._service;
  }

  /** The ServiceAccount the pods run as. @default - none when the component's pods use none */
  public get serviceAccount(): k8s.KubeServiceAccount | undefined {
    return this._serviceAccount;
  }

  /** The ServiceMonitor for the component's own metrics. @default - none when `serviceMonitor: false` */
  public get serviceMonitor(): ServiceMonitor | undefined {
    return this._serviceMonitor;
  }

  /** The PodDisruptionBudget. @default - none for a single replica or `podDisruptionBudget: false` */
  public get podDisruptionBudget(): k8s.KubePodDisruptionBudget | undefined {
    return this._podDisruptionBudget;
  }

  /**
   * The resources of the main container: the prop, else the component's default.
   * @internal
   */
  protected _resources(fallback: ResourcePreset): ResourcePreset {
    return this.componentProps.resources ?? fallback;
  }

  /**
   * Replicas: the prop, else `fallback`; a positive integer.
   * @internal
   */
  protected _replicas(fallback: number): number {
    const replicas = this.componentProps.replicas ?? fallback;
    if (!Number.isInteger(replicas) || replicas < 1) {
      fail(this, { problem: "'replicas' must be a positive integer", received: show(replicas), expected: '1 or more', fix: 'pass e.g. replicas: 2 for an HA pair' });
    }
    return replicas;
  }

  /**
   * The persistent volume: size in whole GiB (at least 1) and StorageClass, from the `storage` prop.
   * @internal
   */
  protected _storage(defaultSize: Size): { size: Size; sizeGi: number; storageClassName?: string } {
    this._storageRead = true;
    const size = this.componentProps.storage?.size ?? defaultSize;
    const sizeGi = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!(sizeGi >= 1) || !Number.isInteger(sizeGi)) {
      fail(this, {
        problem: "'storage.size' must be a whole number of GiB, at least 1",
        received: `${size.toMebibytes()}Mi`,
        expected: 'e.g. Size.gibibytes(20)',
        fix: 'pass a whole number of gibibytes',
      });
    }
    return { size, sizeGi, storageClassName: this.componentProps.storage?.storageClassName };
  }

  /**
   * The ServiceAccount (name: `name`).
   * @internal
   */
  protected _addServiceAccount(automountToken: boolean, annotations?: Record<string, string>): k8s.KubeServiceAccount {
    this._serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: this._meta({ annotations }),
      automountServiceAccountToken: automountToken,
    });
    return this._serviceAccount;
  }

  /**
   * A ClusterRole and its ClusterRoleBinding to the ServiceAccount, named `<namespace>-<name>` so that
   * two stacks in one cluster do not collide. Both are cluster-scoped: never namespaced.
   * @internal
   */
  protected _addClusterRole(rules: k8s.PolicyRule[] | (() => k8s.PolicyRule[])): string {
    const roleName = childName(this.namespace, this.name);
    clusterScoped(new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: clusterMeta(this, 'ClusterRole', { name: roleName, labels: this.labels }),
      rules: typeof rules === 'function' ? lazyArray(rules) : rules,
    }));
    clusterScoped(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: clusterMeta(this, 'ClusterRoleBinding', { name: roleName, labels: this.labels }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    }));
    return roleName;
  }

  /**
   * A Role and RoleBinding to the ServiceAccount in `namespace`; named `name` in its own namespace and
   * `<namespace>-<name>` elsewhere.
   * @internal
   */
  protected _addRole(namespace: string, rules: k8s.PolicyRule[], labels: Record<string, string> = this.labels): string {
    const roleName = namespace === this.namespace ? this.name : childName(this.namespace, this.name);
    new k8s.KubeRole(this, `Role-${namespace}`, { metadata: objectMeta({ name: roleName, namespace, labels }), rules });
    new k8s.KubeRoleBinding(this, `RoleBinding-${namespace}`, {
      metadata: objectMeta({ name: roleName, namespace, labels }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });
    return roleName;
  }

  /**
   * A pod template with the component's labels, ServiceAccount, `nodeSelector` and `tolerations`
   * (`defaultTolerations` when the prop is unset).
   * @internal
   */
  protected _podTemplate(options: Omit<PodTemplateOptions, 'labels' | 'serviceAccountName' | 'nodeSelector' | 'tolerations'> & {
    readonly labels?: Record<string, string>;
    readonly defaultTolerations?: Toleration[];
  }): k8s.PodTemplateSpec {
    const { defaultTolerations, ...rest } = options;
    return kubePodTemplate({
      ...rest,
      labels: options.labels ?? this.labels,
      serviceAccountName: this._serviceAccount ? this.name : undefined,
      nodeSelector: this.componentProps.nodeSelector,
      tolerations: toKubeTolerations(this.componentProps.tolerations ?? defaultTolerations),
    });
  }

  /**
   * The Deployment (becomes `workload`).
   * @internal
   */
  protected _addDeployment(spec: Omit<k8s.DeploymentSpec, 'selector'>): k8s.KubeDeployment {
    const d = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: this._meta(),
      spec: { ...spec, selector: { matchLabels: this.selectorLabels } },
    });
    this._workload = d;
    return d;
  }

  /**
   * The DaemonSet (becomes `workload`).
   * @internal
   */
  protected _addDaemonSet(spec: Omit<k8s.DaemonSetSpec, 'selector'>): k8s.KubeDaemonSet {
    const d = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: this._meta(),
      spec: { ...spec, selector: { matchLabels: this.selectorLabels } },
    });
    this._workload = d;
    return d;
  }

  /**
   * The StatefulSet (becomes `workload`), with fully defaulted claim templates.
   * @internal
   */
  protected _addStatefulSet(spec: Omit<k8s.StatefulSetSpec, 'selector'>): k8s.KubeStatefulSet {
    const s = new KubeStatefulSetWithClaims(this, 'StatefulSet', {
      metadata: this._meta(),
      spec: { ...spec, selector: { matchLabels: this.selectorLabels } },
    });
    this._workload = s;
    return s;
  }

  /**
   * Registers an operator-managed custom resource (Prometheus, Alertmanager) as the workload.
   * @internal
   */
  protected _setWorkload(obj: ApiObject): void {
    this._workload = obj;
  }

  /**
   * A claim template named `claimName` sized by the `storage` prop; its storage class is the prop's,
   * else `defaultStorageClass` (e.g. the one of a filesystem `ObjectStorage`), else the cluster default.
   * @internal
   */
  protected _volumeClaim(claimName: string, defaultSize: Size, defaultStorageClass?: string): k8s.KubePersistentVolumeClaimProps {
    const s = this._storage(defaultSize);
    return volumeClaim(claimName, s.sizeGi, s.storageClassName ?? defaultStorageClass);
  }

  /**
   * A Service selecting the component's pods. The first one (id `Service`, name `name`) is `service`.
   * @internal
   */
  protected _addService(options: {
    readonly ports: PortSpec[];
    readonly id?: string;
    readonly name?: string;
    readonly labels?: Record<string, string>;
    readonly selector?: Record<string, string>;
    readonly headless?: boolean;
    readonly publishNotReadyAddresses?: boolean;
  }): ServiceRef {
    const ref = kubeService(this, options.id ?? 'Service', {
      name: options.name ?? this.name,
      namespace: this.namespace,
      labels: options.labels ?? this.labels,
      selector: options.selector ?? this.selectorLabels,
      ports: options.ports,
      headless: options.headless,
      publishNotReadyAddresses: options.publishNotReadyAddresses,
    });
    if (!this._service) this._service = ref;
    return ref;
  }

  /**
   * The ServiceMonitor of the main Service, unless `serviceMonitor: false`; `serviceMonitorLabels`
   * are added to its labels.
   * @internal
   */
  protected _addServiceMonitor(options: ServiceMonitorForServiceOptions = {}): ServiceMonitor | undefined {
    if (this.componentProps.serviceMonitor === false) return undefined;
    const extra = this.componentProps.serviceMonitorLabels;
    this._serviceMonitor = ServiceMonitor.forServiceRef(this, 'ServiceMonitor', this.service, {
      ...options,
      labels: options.labels || extra ? { ...(options.labels ?? {}), ...(extra ?? {}) } : undefined,
    });
    return this._serviceMonitor;
  }

  /**
   * Registers a ServiceMonitor the component built itself (e.g. one selecting several Services by
   * label) as `serviceMonitor`.
   * @internal
   */
  protected _setServiceMonitor(monitor: ServiceMonitor): void {
    this._serviceMonitor = monitor;
  }

  /**
   * The self-monitoring step every backend shares: unless `serviceMonitor: false`, a ServiceMonitor on
   * the component's metrics port (`/metrics`), and the component's alerts as the PrometheusRule
   * `<name>-alerts` (group `alertGroup`), both with `serviceMonitorLabels`. With `serviceSelector`, the
   * monitor selects every Service carrying those labels (a distributed component's Services, each
   * fronting its pods once) instead of the main Service. Returns the monitor, if any.
   * @internal
   */
  protected _addSelfMonitoring(options: {
    readonly port: string;
    /** The metrics path. @default '/metrics' */
    readonly path?: string;
    readonly interval?: Duration;
    readonly serviceSelector?: Record<string, string>;
    readonly alertGroup: string;
    readonly alerts: () => AlertingRuleProps[];
  }): ServiceMonitor | undefined {
    if (this.componentProps.serviceMonitor === false) return undefined;
    const extra = this.componentProps.serviceMonitorLabels ?? {};
    const endpoints = [{ port: options.port, path: options.path ?? '/metrics', interval: options.interval }];
    if (options.serviceSelector) {
      this._setServiceMonitor(new ServiceMonitor(this, 'ServiceMonitor', {
        name: this.name,
        namespace: this.namespace,
        labels: { ...this.labels, ...extra },
        selector: options.serviceSelector,
        endpoints,
      }));
    } else {
      this._addServiceMonitor({ endpoints });
    }
    new PrometheusRule(this, 'Alerts', {
      name: `${this.name}-alerts`,
      namespace: this.namespace,
      metadataLabels: { ...extra },
      groups: [{ name: options.alertGroup, alerts: options.alerts() }],
    });
    return this._serviceMonitor;
  }

  /**
   * A PodDisruptionBudget (`maxUnavailable: 1`) when `podDisruptionBudget` is on (default: more than
   * one replica).
   * @internal
   */
  protected _addPodDisruptionBudget(replicas: number, selector: Record<string, string> = this.selectorLabels):
  k8s.KubePodDisruptionBudget | undefined {
    if (!(this.componentProps.podDisruptionBudget ?? replicas > 1)) return undefined;
    this._podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: this._meta(),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
    return this._podDisruptionBudget;
  }

  /**
   * Metadata of a namespaced object of this component.
   * @internal
   */
  protected _meta(overrides: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): k8s.ObjectMeta {
    return objectMeta({
      name: overrides.name ?? this.name,
      namespace: this.namespace,
      labels: overrides.labels ?? this.labels,
      annotations: overrides.annotations,
    });
  }
}

/** A lazily produced array (rules that depend on the rest of the app). */
function lazyArray<T>(produce: () => T[]): T[] {
  // Lazy.any resolves at synth; the typed field is an array, hence the cast.
  return Lazy.any({ produce }) as unknown as T[];
}

/** Registers the checks that span the whole app once per app (at `app.synth()`). */
function registerAppChecks(scope: IConstruct): void {
  const root = scope.node.root as any;
  if (root[APP_CHECKS]) return;
  Object.defineProperty(root, APP_CHECKS, { value: true });
  addLgtmValidation(scope.node.root, () => clusterScopedErrors(scope.node.root));
  registerLgtmAppChecks(scope);
}

/** Cluster-scoped objects anywhere in the app that would render a namespace. */
export function clusterScopedErrors(root: IConstruct): LgtmErrorDetails[] {
  return root.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject)
    .filter(rendersNamespaceOnClusterObject)
    .map((o) => ({
      problem: `${o.kind} ${o.name} (${o.node.path}) is cluster-scoped but renders namespace ${show(o.metadata.namespace)}`,
      received: `metadata.namespace ${show(o.metadata.namespace)} (set on the object, or copied from its Chart's namespace)`,
      expected: `no namespace on a ${o.kind}`,
      fix: 'remove the namespace from the object, or put it in a Chart without a namespace',
    }));
}
