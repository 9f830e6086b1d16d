/**
 * Applies a rendered `dist/` folder to a real API server the way a user does: the CRDs first (waited until
 * Established), then every other object in file order, each with server-side apply and strict field
 * validation. Records every rejection and every warning; warnings fail unless `ALLOWED_WARNINGS` names the
 * reason. Then, with kube-controller-manager running, checks that every Deployment, StatefulSet and DaemonSet
 * got its Pods past admission (PodSecurity judges the real Pods).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ALLOWED_WARNINGS, PREREQUISITE_NAMESPACES } from './allowed';
import { ControlPlane } from './cluster';

const ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(ROOT, 'dist');
/** The CRDs a folder that does not ship them relies on: the reference folder's (installed first by users). */
const LIBRARY_CRDS = path.join(DIST, 'reference', '00-crds.yaml');
/** CRDs of third-party installs the output targets (Argo CD's Application), from ../shared/crds. */
const SHARED_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');

/** Namespaces every cluster has (kube-system holds the kubelet Service the operator maintains, for one). */
const CLUSTER_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export const FIELD_MANAGER = 'cdk8s-lgtm-control-plane-test';

/** One rendered object and where it came from. */
export interface RenderedObject {
  readonly file: string;
  readonly obj: any;
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped), as the reports name objects. */
export function objectId(obj: any): string {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind} ${ns ? `${ns}/` : ''}${obj?.metadata?.name}`;
}

/** Every object of every YAML file of a folder, in file then document order. */
export function loadFolder(dir: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      if (doc.errors.length) throw new Error(`${dir}/${file}: ${doc.errors[0].message}`);
      const obj = doc.toJSON();
      if (obj) out.push({ file, obj });
    }
  }
  return out;
}

/** The CRDs the library and the third-party installs provide, by `group/Kind`. */
export function knownCrds(): Map<string, any> {
  const files = [LIBRARY_CRDS, ...(fs.existsSync(SHARED_CRDS) ? fs.readdirSync(SHARED_CRDS).filter((f) => f.endsWith('.yaml')).map((f) => path.join(SHARED_CRDS, f)) : [])];
  const out = new Map<string, any>();
  for (const f of files) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
      const o = doc.toJSON();
      if (o?.kind === 'CustomResourceDefinition' && !out.has(`${o.spec.group}/${o.spec.names.kind}`)) out.set(`${o.spec.group}/${o.spec.names.kind}`, o);
    }
  }
  return out;
}

/** What applying one folder found. `problems` is empty when everything was accepted and behaved. */
export interface ApplyReport {
  readonly problems: string[];
  /** Warnings that `ALLOWED_WARNINGS` explains, with the reason. */
  readonly allowedWarnings: string[];
  /** CRDs and namespaces installed before the folder because the folder relies on them. */
  readonly prerequisites: string[];
  /** Pods created by the controllers, by workload. */
  readonly pods: Map<string, string[]>;
}

const BUILTIN_GROUPS = /^(v1|(apps|batch|policy|rbac\.authorization\.k8s\.io|networking\.k8s\.io|storage\.k8s\.io|autoscaling|apiextensions\.k8s\.io|admissionregistration\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|node\.k8s\.io|certificates\.k8s\.io)\/.*)$/;

async function within<T>(what: string, deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** Server-side apply of one object; returns the problem (rejection) or undefined, and its warnings. */
export async function applyObject(cp: ControlPlane, obj: any): Promise<{ problem?: string; warnings: string[] }> {
  const id = objectId(obj);
  let res = await cp.resourceFor(obj.apiVersion, obj.kind);
  if (!res) res = await cp.resourceFor(obj.apiVersion, obj.kind, true);
  if (!res) return { problem: `${id}: the API server does not serve ${obj.apiVersion} ${obj.kind}`, warnings: [] };
  const ns = obj.metadata?.namespace;
  if (res.namespaced && !ns) return { problem: `${id}: namespaced kind without metadata.namespace (it would land in whatever namespace the user's context has)`, warnings: [] };
  if (!res.namespaced && ns) return { problem: `${id}: cluster-scoped kind with metadata.namespace`, warnings: [] };
  const p = `${ControlPlane.objectPath(obj.apiVersion, res.plural, res.namespaced ? ns : undefined, obj.metadata.name)}`
    + `?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict`;
  const r = await cp.request('PATCH', p, obj, 'application/apply-patch+yaml');
  if (r.status !== 200 && r.status !== 201) {
    return { problem: `${id}: rejected (${r.status}): ${typeof r.body === 'string' ? r.body : r.body?.message}`, warnings: r.warnings };
  }
  return { warnings: r.warnings };
}

/** Applies a folder's objects (CRDs first) and checks what the controllers make of them. */
export async function applyFolder(
  cp: ControlPlane, folder: string, objects: RenderedObject[], options: { deadlineMs?: number } = {},
): Promise<ApplyReport> {
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const problems: string[] = [];
  const allowedWarnings: string[] = [];
  const prerequisites: string[] = [];
  const privileged = new Set(objects
    .filter((o) => o.obj.kind === 'Namespace' && o.obj.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'privileged')
    .map((o) => String(o.obj.metadata.name)));
  const note = (id: string, warnings: string[]) => {
    const ns = id.split(' ')[1]?.split('/')[0];
    for (const w of warnings) {
      const hit = ALLOWED_WARNINGS.find((a) => (!a.folders || a.folders.includes(folder)) && a.object.test(id)
        && (!a.inPrivilegedNamespace || privileged.has(ns)) && a.warning.test(w));
      if (hit) allowedWarnings.push(`${id}: ${w}  [allowed: ${hit.reason}]`);
      else problems.push(`${id}: warning: ${w}`);
    }
  };

  // 1. CRDs: the folder's own, then the ones its custom resources need from the library or third parties.
  const ownCrds = objects.filter((o) => o.obj.kind === 'CustomResourceDefinition');
  const provided = new Set(ownCrds.map((o) => `${o.obj.spec.group}/${o.obj.spec.names.kind}`));
  const known = knownCrds();
  const crds = ownCrds.map((o) => o.obj);
  for (const { obj } of objects) {
    const group = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : '';
    const key = `${group}/${obj.kind}`;
    if (!group || BUILTIN_GROUPS.test(obj.apiVersion) || provided.has(key)) continue;
    const crd = known.get(key);
    if (!crd) { problems.push(`${objectId(obj)}: no CRD for ${key} in the folder, the library's CRDs or ../shared/crds`); continue; }
    // The library's CRDs go in as the set a user installs (dist/reference's CRD file): the Operator
    // needs every one of its kinds, not only the ones this folder uses.
    const set = crd.spec.group === 'monitoring.coreos.com' ? [...known.values()].filter((c) => c.spec.group === crd.spec.group) : [crd];
    for (const c of set) {
      const k = `${c.spec.group}/${c.spec.names.kind}`;
      if (provided.has(k)) continue;
      provided.add(k);
      crds.push(c);
      prerequisites.push(`CustomResourceDefinition ${c.metadata.name}`);
    }
  }
  for (const crd of crds) {
    const { problem, warnings } = await applyObject(cp, crd);
    if (problem) problems.push(problem);
    note(objectId(crd), warnings);
  }
  for (const crd of crds) {
    const name = crd.metadata.name;
    try {
      await within(`CRD ${name} Established`, deadline, async () => {
        const r = await cp.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        return r.body?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True') ? true : undefined;
      });
    } catch (e: any) { problems.push(`CustomResourceDefinition ${name}: ${e.message}`); }
  }

  // 2. Namespaces the folder uses but does not create: only the ones a named third-party install creates.
  const created = new Set(objects.filter((o) => o.obj.kind === 'Namespace').map((o) => o.obj.metadata.name));
  const used = new Set(objects.map((o) => o.obj.metadata?.namespace).filter((n): n is string => !!n));
  for (const ns of used) {
    if (created.has(ns) || CLUSTER_NAMESPACES.includes(ns)) continue;
    const pre = PREREQUISITE_NAMESPACES.find((p) => p.folders.includes(folder) && p.namespace === ns);
    if (!pre) { problems.push(`namespace ${ns} is used but not created by dist/${folder}`); continue; }
    await applyObject(cp, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    prerequisites.push(`Namespace ${ns} (${pre.reason})`);
  }

  // 3. Everything else, in file then document order. CRDs may take a moment to appear in discovery.
  for (const { obj } of objects) {
    if (obj.kind === 'CustomResourceDefinition') continue;
    let result = await applyObject(cp, obj);
    for (let i = 0; i < 20 && result.problem?.includes('does not serve'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      result = await applyObject(cp, obj);
    }
    if (result.problem) problems.push(result.problem);
    note(objectId(obj), result.warnings);
  }
  return { problems, allowedWarnings, prerequisites, pods: new Map() };
}

/** The Pods a workload should have at once without a kubelet (StatefulSets wait for pod 0 to be Ready). */
function expectedPods(w: any): string[] | number {
  const replicas = w.spec?.replicas ?? 1;
  if (w.kind === 'StatefulSet') {
    if (replicas === 0) return [];
    const n = w.spec?.podManagementPolicy === 'Parallel' ? replicas : 1;
    return Array.from({ length: n }, (_, i) => `${w.metadata.name}-${i}`);
  }
  if (w.kind === 'DaemonSet') return 1; // one (fake) node
  return replicas;
}

/**
 * Waits until every Deployment, StatefulSet and DaemonSet in the cluster (outside kube-system) has its Pods,
 * created by kube-controller-manager through admission. A workload short of Pods is a problem, reported
 * with the controllers' FailedCreate events (e.g. "violates PodSecurity").
 */
export async function checkWorkloadPods(cp: ControlPlane, deadlineMs: number = 60_000): Promise<{ problems: string[]; pods: Map<string, string[]> }> {
  const deadline = Date.now() + deadlineMs;
  let short: string[] = [];
  const pods = new Map<string, string[]>();
  let workloads: any[] = [];
  let events: any[] = [];
  while (true) {
    const [deps, rss, stss, dss, podList] = await Promise.all([
      cp.get('/apis/apps/v1/deployments'), cp.get('/apis/apps/v1/replicasets'), cp.get('/apis/apps/v1/statefulsets'),
      cp.get('/apis/apps/v1/daemonsets'), cp.get('/api/v1/pods'),
    ]);
    const kinded = (l: any, kind: string) => l.items.map((i: any) => ({ ...i, kind }));
    workloads = [...kinded(deps, 'Deployment'), ...kinded(stss, 'StatefulSet'), ...kinded(dss, 'DaemonSet')]
      .filter((w) => w.metadata.namespace !== 'kube-system');
    const ownedBy = (uid: string) => podList.items.filter((p: any) => (p.metadata.ownerReferences ?? []).some((o: any) => o.uid === uid));
    short = [];
    pods.clear();
    for (const w of workloads) {
      const id = objectId(w);
      let mine: any[];
      if (w.kind === 'Deployment') {
        const rsUids = rss.items.filter((rs: any) => (rs.metadata.ownerReferences ?? []).some((o: any) => o.uid === w.metadata.uid))
          .map((rs: any) => rs.metadata.uid);
        mine = rsUids.flatMap(ownedBy);
      } else {
        mine = ownedBy(w.metadata.uid);
      }
      const names = mine.map((p: any) => p.metadata.name).sort();
      pods.set(id, names);
      const want = expectedPods(w);
      const ok = typeof want === 'number' ? names.length >= want : want.every((n) => names.includes(n));
      if (!ok) short.push(`${id}: has Pods [${names.join(', ')}], expected ${typeof want === 'number' ? `${want}` : want.join(', ')}`);
    }
    if (short.length === 0 || Date.now() > deadline) break;
    // A workload whose Pods PodSecurity admission refused never gets them (the template does not change), so
    // once every short workload has such a FailedCreate event there is nothing left to wait for.
    events = await warningEvents(cp);
    if (short.every((s) => relatedEvents(s, workloads, events).some((e: any) => e.reason === 'FailedCreate' && /violates PodSecurity/.test(e.message)))) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (short.length === 0) return { problems: [], pods };
  // Explain with the controllers' events: FailedCreate carries the admission message.
  events = await warningEvents(cp);
  const problems = short.map((s) => {
    const msgs = [...new Set(relatedEvents(s, workloads, events).map((e: any) => `${e.reason}: ${e.message}`))];
    return `${s}${msgs.length ? `; events: ${msgs.join(' | ')}` : '; no events'}`;
  });
  return { problems, pods };
}

/** The FailedCreate and Warning events of the cluster. */
async function warningEvents(cp: ControlPlane): Promise<any[]> {
  return (await cp.get('/api/v1/events')).items.filter((e: any) => e.reason === 'FailedCreate' || e.type === 'Warning');
}

/** The events of the workload a `short` line names (and of its ReplicaSets and Pods). */
function relatedEvents(short: string, workloads: any[], events: any[]): any[] {
  const w = workloads.find((x) => short.startsWith(`${objectId(x)}:`));
  return events.filter((e: any) => e.involvedObject.namespace === w?.metadata.namespace
    && (e.involvedObject.name === w?.metadata.name || String(e.involvedObject.name).startsWith(`${w?.metadata.name}-`)));
}

