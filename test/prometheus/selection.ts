/**
 * Wiring checks for prometheus-operator objects, reusable by any test that has a list of emitted objects
 * (dist/ folders, synthesized apps):
 *
 * - every ServiceMonitor, PodMonitor, PrometheusRule and Probe is selected by at least one emitted
 *   Prometheus: label selector AND namespace selector (namespaces match on their immutable
 *   `kubernetes.io/metadata.name` label plus the labels of an emitted Namespace object);
 * - that Prometheus' ServiceAccount may list/watch services, endpoints and pods in every namespace the
 *   monitor discovers targets in (a RoleBinding there or a ClusterRoleBinding);
 * - every ServiceMonitor selects at least one emitted Service and every endpoint port exists on it. The
 *   kubelet Service the Prometheus Operator maintains (`--kubelet-service=<ns>/<name>` on an emitted
 *   operator Deployment) counts as emitted; tests whose operator lives elsewhere pass it in `external`.
 */
import { K8sObject, selectorMatches } from '../harness';

const FIELDS: Record<string, [string, string]> = {
  ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
  PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
  PrometheusRule: ['ruleSelector', 'ruleNamespaceSelector'],
  Probe: ['probeSelector', 'probeNamespaceSelector'],
};

function namespaceLabels(objs: K8sObject[], ns: string): Record<string, string> {
  const nsObj = objs.find((o) => o.kind === 'Namespace' && o.metadata.name === ns);
  return { ...(nsObj?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}

/** True when Prometheus `p` selects `obj` (labels + namespace). */
export function prometheusSelects(objs: K8sObject[], p: K8sObject, obj: K8sObject): boolean {
  const [sel, nsSel] = FIELDS[obj.kind];
  if (!selectorMatches(p.spec?.[sel], obj.metadata.labels ?? {})) return false;
  const ns = obj.metadata.namespace!;
  const nsSelector = p.spec?.[nsSel];
  if (nsSelector === undefined) return ns === p.metadata.namespace; // operator: nil = own namespace only
  return selectorMatches(nsSelector, namespaceLabels(objs, ns));
}

function grants(rules: any[], resource: string): boolean {
  return (rules ?? []).some((r: any) => (r.apiGroups ?? []).includes('') && ((r.resources ?? []).includes(resource) || (r.resources ?? []).includes('*'))
    && ['list', 'watch'].every((v) => (r.verbs ?? []).includes(v) || (r.verbs ?? []).includes('*')));
}

/** True when the ServiceAccount may discover (list/watch services, endpoints, pods) in `ns`. */
export function canDiscover(objs: K8sObject[], saName: string, saNamespace: string, ns: string): boolean {
  const isSubject = (b: K8sObject) => (b.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === saName && s.namespace === saNamespace);
  const ok = (rules: any[]) => ['services', 'endpoints', 'pods'].every((r) => grants(rules, r));
  for (const b of objs.filter((o) => o.kind === 'ClusterRoleBinding' && isSubject(o))) {
    const role = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === b.roleRef.name);
    if (role && ok(role.rules)) return true;
  }
  for (const b of objs.filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns && isSubject(o))) {
    const role = b.roleRef.kind === 'ClusterRole'
      ? objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === b.roleRef.name)
      : objs.find((o) => o.kind === 'Role' && o.metadata.namespace === ns && o.metadata.name === b.roleRef.name);
    if (role && ok(role.rules)) return true;
  }
  return false;
}

function targetNamespaces(objs: K8sObject[], m: K8sObject): string[] {
  const sel = m.spec?.namespaceSelector;
  if (sel?.any) return [...new Set(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name))];
  return sel?.matchNames ?? [m.metadata.namespace!];
}

/**
 * The Service the prometheus-operator 0.93 kubelet controller creates (pkg/kubelet/controller.go):
 * headless, labels `k8s-app`/`app.kubernetes.io/name: kubelet`, `app.kubernetes.io/managed-by:
 * prometheus-operator`, ports https-metrics 10250, cadvisor 4194, http-metrics 10255.
 */
export function kubeletServiceObject(namespace: string, name: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { 'k8s-app': 'kubelet', 'app.kubernetes.io/name': 'kubelet', 'app.kubernetes.io/managed-by': 'prometheus-operator' } },
    spec: { clusterIP: 'None', ports: [{ name: 'https-metrics', port: 10250 }, { name: 'cadvisor', port: 4194 }, { name: 'http-metrics', port: 10255 }] },
  } as K8sObject;
}

/** The kubelet Services that emitted operator Deployments maintain (from their `--kubelet-service` arg). */
export function operatorManagedServices(objs: K8sObject[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const d of objs.filter((o) => o.kind === 'Deployment')) {
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      if (!String(c.image ?? '').includes('prometheus-operator')) continue;
      for (const a of c.args ?? []) {
        const m = /^--kubelet-service=([^/]+)\/(.+)$/.exec(a);
        if (m) out.push(kubeletServiceObject(m[1], m[2]));
      }
    }
  }
  return out;
}

/**
 * Every selection/RBAC/port problem among `objs` (empty when all is wired). `external`: Services that
 * exist in the cluster without being in `objs` (e.g. the kubelet Service of an operator synced elsewhere).
 */
export function monitorSelectionErrors(objs: K8sObject[], external: K8sObject[] = []): string[] {
  const out: string[] = [];
  const allServices = [...objs.filter((o) => o.kind === 'Service'), ...operatorManagedServices(objs), ...external];
  const proms = objs.filter((o) => o.kind === 'Prometheus' && o.apiVersion.startsWith('monitoring.coreos.com/'));
  for (const m of objs.filter((o) => FIELDS[o.kind] && o.apiVersion.startsWith('monitoring.coreos.com/'))) {
    const id = `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
    const selecting = proms.filter((p) => prometheusSelects(objs, p, m));
    if (selecting.length === 0) {
      out.push(`${id}: selected by no Prometheus (${proms.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ') || 'none emitted'})`);
      continue;
    }
    if (m.kind === 'PrometheusRule') continue;
    const namespaces = targetNamespaces(objs, m);
    for (const p of selecting) {
      const sa = p.spec.serviceAccountName ?? 'default';
      for (const ns of namespaces) {
        if (!canDiscover(objs, sa, p.metadata.namespace!, ns)) out.push(`${id}: ServiceAccount ${p.metadata.namespace}/${sa} of Prometheus ${p.metadata.name} may not list/watch services, endpoints and pods in namespace ${ns}`);
      }
    }
    if (m.kind === 'ServiceMonitor') {
      // a `keep` relabeling on the Service name (KubeletMonitor) narrows the selection further
      const keepNames = (m.spec.endpoints ?? []).flatMap((e: any) => (e.relabelings ?? [])
        .filter((r: any) => r.action === 'keep' && JSON.stringify(r.sourceLabels) === '["__meta_kubernetes_service_name"]')
        .map((r: any) => new RegExp(`^(?:${r.regex})$`)));
      const services = allServices.filter((o) => namespaces.includes(o.metadata.namespace!)
        && selectorMatches(m.spec.selector, o.metadata.labels ?? {})
        && keepNames.every((re: RegExp) => re.test(o.metadata.name)));
      if (services.length === 0) out.push(`${id}: selects no emitted Service in ${namespaces.join(', ')} (selector ${JSON.stringify(m.spec.selector)})`);
      for (const s of services) {
        const names = (s.spec.ports ?? []).map((p: any) => p.name);
        for (const e of m.spec.endpoints ?? []) {
          if (e.port && !names.includes(e.port)) out.push(`${id}: port '${e.port}' does not exist on Service ${s.metadata.namespace}/${s.metadata.name} (ports: ${names.join(', ')})`);
        }
      }
    }
  }
  return out;
}

/** Decoded Secret data and ConfigMap data of every object, for credential scans. */
export function configTexts(objs: K8sObject[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    if (o.kind === 'Secret') for (const v of Object.values(o.data ?? {})) out.push(Buffer.from(String(v), 'base64').toString('utf8'));
    if (o.kind === 'Secret') for (const v of Object.values(o.stringData ?? {})) out.push(String(v));
    if (o.kind === 'ConfigMap') for (const v of Object.values(o.data ?? {})) out.push(String(v));
  }
  return out;
}
