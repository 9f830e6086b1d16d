/**
 * The backstop behind the prop checks: the rules Kubernetes applies to every object, run over the
 * resolved output of the whole app at `app.synth()` (before any file is written). Whatever path a value
 * took into an object (a prop, a default, an escape hatch, a class of another library), an object the API
 * server would reject fails here, with the path of the construct that emits it:
 *
 * - `metadata.name`: a DNS-1035 label for a Service, a DNS-1123 label for a Namespace, a path segment
 *   for RBAC objects, a DNS-1123 subdomain otherwise; `metadata.namespace` a DNS-1123 label;
 * - `metadata.labels` keys and values, `metadata.annotations` keys (and on pod templates too);
 * - in pod specs: each container's `resources` (valid quantities, requests at most the limits), its
 *   ports, the Secret names and keys it reads (`secretKeyRef`, `envFrom`, `secret` volumes);
 * - `storageClassName` of claims and claim templates.
 */
import { IConstruct } from 'constructs';
import {
  requireAnnotations, requireDnsLabel, requireDnsSubdomain, requireLabels, requirePort, requireResourceBlock,
  requireSecretKey, requireSecretName, requireStorageClassName,
} from './k8s';
import { fail, LgtmErrorDetails, LgtmValidationError, show } from '../errors';

/** An object of the output and the path of the construct that emits it. */
export interface OutputObject {
  readonly path: string;
  readonly manifest: any;
}

const RBAC_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Every rule above over `objects`; one message per object at most (its first broken rule). */
export function outputErrors(objects: readonly OutputObject[]): LgtmErrorDetails[] {
  const errors: LgtmErrorDetails[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (!m || typeof m !== 'object' || typeof m.kind !== 'string') continue;
    const at = { node: { path: o.path } } as unknown as IConstruct;
    try {
      checkObject(at, m);
    } catch (e) {
      if (!(e instanceof LgtmValidationError) && (e as Error)?.name !== 'LgtmValidationError') throw e;
      const d = (e as LgtmValidationError).details;
      errors.push({ ...d, problem: `[${o.path}] ${m.kind} ${show(m.metadata?.name)}: ${d.problem}` });
    }
  }
  return errors;
}

function checkObject(at: IConstruct, m: any): void {
  const meta = m.metadata ?? {};
  const name = meta.name;
  if (typeof name === 'string') {
    if (m.kind === 'Service') {
      requireDnsLabel(at, 'metadata.name', name);
      if (!DNS1035_LABEL.test(name)) {
        fail(at, {
          problem: "'metadata.name' of a Service starts with a digit",
          received: show(name),
          expected: 'a DNS-1035 label: a lowercase letter first, then lowercase letters, digits and \'-\'',
          fix: `name it like ${show(`x-${name}`)}`,
        });
      }
    } else if (m.kind === 'Namespace') {
      requireDnsLabel(at, 'metadata.name', name);
    } else if (RBAC_KINDS.has(m.kind)) {
      if (name === '' || name === '.' || name === '..' || /[/%]/.test(name)) requireDnsSubdomain(at, 'metadata.name', name);
    } else {
      requireDnsSubdomain(at, 'metadata.name', name);
    }
  }
  if (typeof meta.namespace === 'string') requireDnsLabel(at, 'metadata.namespace', meta.namespace);
  checkMeta(at, 'metadata', meta);
  // a CRD's spec is its schema, none of what the rules below look at; reading it from a verbatim CRD
  // would parse the text (src/core/verbatim.ts), 4.1 MiB for the Operator's CRDs
  if (m.kind === 'CustomResourceDefinition') return;
  const spec = m.spec ?? {};
  if (m.kind === 'PersistentVolumeClaim' && typeof spec.storageClassName === 'string') requireStorageClassName(at, 'spec.storageClassName', spec.storageClassName);
  (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).forEach((t: any, i: number) => {
    const sc = t?.spec?.storageClassName;
    if (typeof sc === 'string') requireStorageClassName(at, `spec.volumeClaimTemplates[${i}].spec.storageClassName`, sc);
  });
  const template = m.kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template;
  if (template && typeof template === 'object') {
    checkMeta(at, 'spec.template.metadata', template.metadata ?? {});
    checkPodSpec(at, 'spec.template.spec', template.spec ?? {});
  }
  if (m.kind === 'Pod') checkPodSpec(at, 'spec', spec);
}

function checkMeta(at: IConstruct, prop: string, meta: any): void {
  if (meta.labels && typeof meta.labels === 'object') requireLabels(at, `${prop}.labels`, meta.labels);
  if (meta.annotations && typeof meta.annotations === 'object') requireAnnotations(at, `${prop}.annotations`, meta.annotations);
}

function checkPodSpec(at: IConstruct, prop: string, pod: any): void {
  for (const field of ['initContainers', 'containers']) {
    (Array.isArray(pod[field]) ? pod[field] : []).forEach((c: any, i: number) => {
      const p = `${prop}.${field}[${i}]`;
      if (c?.resources && typeof c.resources === 'object') requireResourceBlock(at, `${p}.resources`, { requests: defined(c.resources.requests), limits: defined(c.resources.limits) });
      (Array.isArray(c?.ports) ? c.ports : []).forEach((port: any, j: number) => {
        if (port?.containerPort !== undefined) requirePort(at, `${p}.ports[${j}].containerPort`, port.containerPort);
      });
      (Array.isArray(c?.env) ? c.env : []).forEach((e: any, j: number) => {
        const ref = e?.valueFrom?.secretKeyRef;
        if (!ref) return;
        if (typeof ref.name === 'string') requireSecretName(at, `${p}.env[${j}].valueFrom.secretKeyRef.name`, ref.name);
        if (typeof ref.key === 'string') requireSecretKey(at, `${p}.env[${j}].valueFrom.secretKeyRef.key`, ref.key);
      });
      (Array.isArray(c?.envFrom) ? c.envFrom : []).forEach((e: any, j: number) => {
        if (typeof e?.secretRef?.name === 'string') requireSecretName(at, `${p}.envFrom[${j}].secretRef.name`, e.secretRef.name);
      });
    });
  }
  (Array.isArray(pod.volumes) ? pod.volumes : []).forEach((v: any, i: number) => {
    const s = v?.secret;
    if (!s) return;
    if (typeof s.secretName === 'string') requireSecretName(at, `${prop}.volumes[${i}].secret.secretName`, s.secretName);
    (Array.isArray(s.items) ? s.items : []).forEach((it: any, j: number) => {
      if (typeof it?.key === 'string') requireSecretKey(at, `${prop}.volumes[${i}].secret.items[${j}].key`, it.key);
    });
  });
}

/** The entries of a map whose values are set (a typed class leaves a key with no value behind). */
function defined(m: unknown): Record<string, string> | undefined {
  if (!m || typeof m !== 'object') return undefined;
  return Object.fromEntries(Object.entries(m as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null)) as Record<string, string>;
}
