import { ApiObject, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { fail, show } from './errors';

/**
 * Typed object bodies. Every object the library emits is a typed class: `k8s.Kube*` of cdk8s-plus-28
 * for core kinds, the generated classes of `src/imports` for custom resources. These helpers only fill
 * the metadata the same way everywhere and handle the two places where the typed classes need help.
 */

/** Metadata of an emitted object. */
export interface ObjectMetaOptions {
  /** Stable name. */
  readonly name: string;
  /** Namespace; never set for cluster-scoped kinds. @default - none */
  readonly namespace?: string;
  /** Labels. @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations (omitted when empty). @default - none */
  readonly annotations?: Record<string, string>;
}

/** Renders metadata (empty annotations are left out). */
export function objectMeta(m: ObjectMetaOptions): k8s.ObjectMeta {
  return {
    name: m.name,
    namespace: m.namespace,
    labels: m.labels,
    annotations: m.annotations && Object.keys(m.annotations).length > 0 ? m.annotations : undefined,
  };
}

/**
 * Kinds of the Kubernetes API that are cluster-scoped: their objects never carry `metadata.namespace`.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'ClusterTrustBundle',
]);

/** Objects whose Chart namespace this library stripped (cluster-scoped). */
const STRIPPED = new WeakSet<ApiObject>();

/**
 * Metadata of a cluster-scoped object. Fails when a namespace is asked for: a cluster-scoped object
 * cannot live in a namespace.
 */
export function clusterMeta(scope: IConstruct, kind: string, m: ObjectMetaOptions): k8s.ObjectMeta {
  if (m.namespace !== undefined) {
    fail(scope, {
      problem: `a ${kind} is cluster-scoped and cannot take a namespace`,
      received: `namespace ${show(m.namespace)} for ${kind} ${show(m.name)}`,
      expected: `no namespace on a ${kind} (${[...CLUSTER_SCOPED_KINDS].slice(0, 6).join(', ')}, ... are cluster-scoped)`,
      fix: 'remove the namespace; put namespace-specific permissions in a Role/RoleBinding instead',
    });
  }
  return objectMeta(m);
}

/**
 * Removes the namespace cdk8s copies from the Chart onto every object (`new Chart(app, id, { namespace })`),
 * for a cluster-scoped object. Returns the object.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  STRIPPED.add(obj);
  return obj;
}

/** True when the object is cluster-scoped but renders a namespace (checked for the whole app at synth). */
export function rendersNamespaceOnClusterObject(obj: ApiObject): boolean {
  return CLUSTER_SCOPED_KINDS.has(obj.kind) && obj.metadata.namespace !== undefined && !STRIPPED.has(obj);
}

/**
 * A StatefulSet whose `volumeClaimTemplates` are fully defaulted (apiVersion, kind), so Argo CD does not
 * report it OutOfSync forever (argo-cd#11143). The typed `KubePersistentVolumeClaimProps` has no
 * apiVersion/kind fields, so they are added to the rendered JSON here.
 */
export class KubeStatefulSetWithClaims extends k8s.KubeStatefulSet {
  public toJson(): any {
    const json = super.toJson();
    const templates = json.spec?.volumeClaimTemplates;
    if (Array.isArray(templates)) {
      json.spec.volumeClaimTemplates = templates.map((t: object) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...t }));
    }
    return json;
  }
}

/** An int-or-string port reference (a named port or a number). */
export function portRef(port: string | number): k8s.IntOrString {
  return typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port);
}

/** A quantity (`100m`, `64Mi`). */
export function quantity(q: string): k8s.Quantity {
  return k8s.Quantity.fromString(q);
}
