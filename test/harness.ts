/**
 * The validation harness every component test uses.
 *
 * - `synthApp` synthesizes an App exactly as `cdk8s synth` does (validations first, then files) into a
 *   temporary folder and returns every object.
 * - `schemaErrors` checks every object: core kinds against the Kubernetes 1.28 schemas of
 *   `kubernetes-models@4`, custom resources against the openAPIV3 schema of their CRD (vendored `crds/`
 *   for prometheus-operator, `../shared/crds` for Argo CD). Unlike the plain validators, CRD validation is
 *   *strict*: unknown fields are errors (Kubernetes would prune them silently, which is worse).
 * - `promqlErrors` parses every PromQL expression of every PrometheusRule.
 * - `restrictedViolations` applies the Pod Security "restricted" rules to every pod template.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { logqlError, promqlError } from '../src/core/query';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: any }; [k: string]: any };

const ROOT = path.join(__dirname, '..');
const SHARED_CRDS = path.join(ROOT, '..', 'shared', 'crds');
const VENDORED_CRDS = path.join(ROOT, 'crds');

/** Synthesizes an app into a temp dir (as `cdk8s synth` would) and returns every object, in file order. */
export function synthApp(app: App): K8sObject[] {
  const files = synthAppFiles(app);
  return Object.values(files).flatMap(parseYamlDocs);
}

/** Synthesizes an app and returns its files (name → content). */
export function synthAppFiles(app: App): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-synth-'));
  (app as any).outdir = outdir;
  app.synth();
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(outdir).sort()) out[f] = fs.readFileSync(path.join(outdir, f), 'utf8');
  fs.rmSync(outdir, { recursive: true, force: true });
  return out;
}

/** Parses a multi-document YAML string. */
export function parseYamlDocs(s: string): K8sObject[] {
  return YAML.parseAllDocuments(s).map((d) => d.toJSON()).filter((d) => d);
}

/** Reads every YAML object under a folder (recursively, sorted). */
export function readYamlDir(dir: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const f of listFiles(dir)) if (f.endsWith('.yaml')) out.push(...parseYamlDocs(fs.readFileSync(f, 'utf8')));
  return out;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Schema validation

const CORE_GROUP_MODULE: Record<string, string> = { v1: 'v1' };

function coreModel(apiVersion: string, kind: string): any | undefined {
  const mod = CORE_GROUP_MODULE[apiVersion] ?? apiVersion; // e.g. apps/v1, rbac.authorization.k8s.io/v1
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`kubernetes-models/${mod}/${kind}`)[kind];
  } catch {
    return undefined;
  }
}

let crdIndex: Map<string, any> | undefined;
function crdSchemas(): Map<string, any> {
  if (crdIndex) return crdIndex;
  crdIndex = new Map();
  const files = [
    ...fs.readdirSync(VENDORED_CRDS).map((f) => path.join(VENDORED_CRDS, f)),
    ...['argoproj.io_applications.yaml', 'argoproj.io_appprojects.yaml'].map((f) => path.join(SHARED_CRDS, f)),
  ];
  for (const f of files) {
    const crd = YAML.parse(fs.readFileSync(f, 'utf8'));
    for (const v of crd.spec.versions) {
      crdIndex.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
    }
  }
  return crdIndex;
}

/** Makes a structural schema strict: `additionalProperties: false` wherever properties are listed. */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = strict(v);
  }
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  // metadata is validated by the API server, not by the CRD schema
  if (out.properties?.metadata && out.properties.apiVersion) out.properties.metadata = { type: 'object' };
  return out;
}

// Go's inline flag `(?i)` (used by the PrometheusRule CRD) is not JavaScript syntax: apply it to the whole pattern.
const goRegExp = Object.assign((src: string, flags: string) => (src.includes('(?i)') ? new RegExp(src.replace(/\(\?i\)/g, ''), `${flags}i`) : new RegExp(src, flags)), { code: 'new RegExp' });
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, code: { regExp: goRegExp } });
addFormats(ajv);
const validators = new Map<string, any>();

/** Schema errors of one object (empty when valid). */
export function objectSchemaErrors(obj: K8sObject): string[] {
  const id = `${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
  if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) return [`${id}: apiVersion, kind and metadata.name are required`];
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const crdKey = `${group}/${version}/${obj.kind}`;
  const schema = crdSchemas().get(crdKey);
  if (schema) {
    let v = validators.get(crdKey);
    if (!v) {
      v = ajv.compile(strict(schema));
      validators.set(crdKey, v);
    }
    if (v(obj)) return [];
    return (v.errors as any[]).map((e) => `${id}: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` ('${e.params.additionalProperty}')` : ''}${e.params?.pattern ? ` (pattern ${e.params.pattern})` : ''}`);
  }
  const Model = coreModel(obj.apiVersion, obj.kind);
  if (!Model) return [`${id}: no schema known for ${obj.apiVersion} ${obj.kind} (not a Kubernetes 1.28 kind nor a vendored CRD)`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e: any) {
    return [`${id}: ${e.message}`];
  }
}

/** Schema errors of every object. */
export function schemaErrors(objs: K8sObject[]): string[] {
  return objs.flatMap(objectSchemaErrors);
}

// ---------------------------------------------------------------------------------------------------
// Queries

/** Every (rule name, expression) pair of every PrometheusRule object. */
export function ruleExpressions(objs: K8sObject[]): Array<{ rule: string; expr: string }> {
  const out: Array<{ rule: string; expr: string }> = [];
  for (const o of objs.filter((x) => x.kind === 'PrometheusRule')) {
    for (const g of o.spec?.groups ?? []) {
      for (const r of g.rules ?? []) out.push({ rule: `${o.metadata.name}/${g.name}/${r.alert ?? r.record}`, expr: String(r.expr) });
    }
  }
  return out;
}

/** PromQL parse errors of every PrometheusRule expression. */
export function promqlErrors(objs: K8sObject[]): string[] {
  return ruleExpressions(objs).flatMap(({ rule, expr }) => {
    const e = promqlError(expr);
    return e ? [`${rule}: PromQL error at ${e.position}\n${e.pointer}`] : [];
  });
}

/** LogQL parse errors of a list of expressions. */
export function logqlErrors(exprs: Array<{ where: string; expr: string }>): string[] {
  return exprs.flatMap(({ where, expr }) => {
    const e = logqlError(expr);
    return e ? [`${where}: LogQL error at ${e.position}\n${e.pointer}`] : [];
  });
}

// ---------------------------------------------------------------------------------------------------
// Pod Security "restricted"

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'];
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'name'];

/** Pod templates of every workload (name → pod spec). */
export function podSpecs(objs: K8sObject[]): Array<{ id: string; spec: any; obj: K8sObject }> {
  return objs
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((o) => ({ id: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, spec: o.spec.template.spec, obj: o }));
}

/**
 * Violations of the Pod Security Standards "restricted" profile (v1.28) for every workload, except the
 * workloads listed in `exceptions` (`Kind/namespace/name`), which are the documented exceptions.
 */
export function restrictedViolations(objs: K8sObject[], exceptions: string[] = []): string[] {
  const out: string[] = [];
  for (const { id, spec } of podSpecs(objs)) {
    if (exceptions.includes(id)) continue;
    const v = (m: string) => out.push(`${id}: ${m}`);
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) v('host namespaces');
    for (const vol of spec.volumes ?? []) {
      for (const k of Object.keys(vol)) if (!RESTRICTED_VOLUME_TYPES.includes(k)) v(`volume ${vol.name} uses ${k}`);
    }
    const podSc = spec.securityContext ?? {};
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const sc = c.securityContext ?? {};
      if (sc.privileged) v(`${c.name}: privileged`);
      if (sc.allowPrivilegeEscalation !== false) v(`${c.name}: allowPrivilegeEscalation must be false`);
      const drops: string[] = sc.capabilities?.drop ?? [];
      if (!drops.includes('ALL')) v(`${c.name}: capabilities.drop must include ALL`);
      const adds: string[] = sc.capabilities?.add ?? [];
      if (adds.some((a) => a !== 'NET_BIND_SERVICE')) v(`${c.name}: adds capabilities ${adds.join(',')}`);
      const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (nonRoot !== true) v(`${c.name}: runAsNonRoot must be true`);
      if ((sc.runAsUser ?? podSc.runAsUser) === 0) v(`${c.name}: runAsUser 0`);
      const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v(`${c.name}: seccompProfile must be RuntimeDefault or Localhost`);
      for (const p of c.ports ?? []) if (p.hostPort) v(`${c.name}: hostPort ${p.hostPort}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Wiring

/**
 * Checks that a URL points at a Service we emit and at one of its ports.
 * Accepts `http(s)://name.namespace.svc[.cluster.local]:port/...`, `name.namespace.svc:port`, and
 * `dns+`/`dnssrv+` prefixes. Returns an error string or undefined.
 */
export function urlResolution(url: string, objs: K8sObject[]): string | undefined {
  const m = /^(?:[a-z+]+:\/\/)?(?:dns\+|dnssrv\+)?([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:(\d+)/.exec(url);
  if (!m) return `${url}: not an in-cluster service URL`;
  const [, name, ns, port] = m;
  const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === name && o.metadata.namespace === ns);
  if (!svc) return `${url}: no Service ${ns}/${name} is emitted`;
  if (!(svc.spec.ports ?? []).some((p: any) => p.port === Number(port))) {
    return `${url}: Service ${ns}/${name} has no port ${port} (ports: ${(svc.spec.ports ?? []).map((p: any) => p.port).join(', ')})`;
  }
  return undefined;
}

/** Finds one object by kind and name (and namespace); throws when missing. */
export function find(objs: K8sObject[], kind: string, name: string, namespace?: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name && (namespace === undefined || x.metadata.namespace === namespace));
  if (!o) throw new Error(`no ${kind} ${namespace ?? '*'}/${name} among ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

/** Checks that the label selector `sel` (matchLabels/matchExpressions, or undefined = nothing) matches `labels`. */
export function selectorMatches(sel: any, labels: Record<string, string> = {}): boolean {
  if (sel === undefined || sel === null) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && e.values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export { YAML };
