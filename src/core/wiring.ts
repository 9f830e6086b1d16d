/**
 * The wiring graph of an app: every connection one workload of the output makes to another, read from
 * the synthesized objects themselves, so no connection made by reference can be missing from it:
 *
 * - a URL or address of an emitted Service (`<service>.<namespace>.svc[.cluster.local]:<port>`) in an
 *   object's body (config files, datasources, remote write, push URLs, memberlist peers): an edge from
 *   the pods that object configures to the Service's pods;
 * - `spec.alerting.alertmanagers` of a Prometheus: Prometheus to Alertmanager;
 * - the ServiceMonitors and PodMonitors a Prometheus selects: Prometheus to each scraped port;
 * - the Probes a Prometheus selects: Prometheus to the prober's Service, the prober to each in-cluster target;
 * - the members of one workload (Alertmanager's mesh, memberlist, clustering): pods to their peers.
 *
 * Components wire each other by object reference (`addDatasource(loki)`, `addRemoteWrite(prometheus)`,
 * `logs: loki`), and every such reference ends up as one of these in the output.
 */
import { compareText } from './collate';
import { labelSelectorMatches, LabelSelector, NAMESPACE_NAME_LABEL } from './prometheus-operator';

/** Pods of the output, by namespace and labels. */
export interface WiringPods {
  readonly namespace: string;
  /** Labels that select exactly these pods. */
  readonly podLabels: Record<string, string>;
  /** Human name, e.g. `Deployment monitoring/grafana`. */
  readonly name: string;
}

/** One connection: `from` pods open connections to `to` pods on `port`. */
export interface WiringEdge {
  readonly from: WiringPods;
  readonly to: WiringPods;
  /** The container port (number or name) the connection reaches; `undefined` for every port (peers). */
  readonly port?: number | string;
  /** The Service the connection goes through, `<namespace>/<name>:<port>`, when it goes through one. */
  readonly service?: string;
  readonly protocol: string;
  /**
   * What the connection is for: `datasource`, `logs push`, `remote write`, `OTLP`, `profiles push`,
   * `config URL` (any other address in a config), `alerts`, `scrape`, `probe`, `peers`, `ring` (a gossip ring).
   */
  readonly purpose: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const SVC_ADDRESS = /(?:\b(?:https?|grpc|dns):\/\/)?\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?:(\d{1,5})\b(\/[A-Za-z0-9/._-]*)?/g;

/** What a connection made through a URL is for, from the URL path, the port and the caller. */
function urlPurpose(from: WiringPods, urlPath: string | undefined, portName: string | undefined, port: number): string {
  const p = urlPath ?? '';
  if (from.podLabels['app.kubernetes.io/name'] === 'grafana') return 'datasource';
  if (/\/loki\/api\/v1\/push|\/otlp\/v1\/logs/.test(p)) return 'logs push';
  if (/\/api\/v1\/write|\/api\/v1\/push|\/otlp\/v1\/metrics/.test(p)) return 'remote write';
  if (/\/ingest|push\.v1/.test(p)) return 'profiles push';
  if (/^s3/.test(portName ?? '') || port === 8333) return 'object storage';
  if (/otlp|grpc-otlp/.test(portName ?? '') || port === 4317 || port === 4318 || /\/v1\/traces/.test(p)) return 'OTLP';
  return 'config URL';
}

const key = (o: any) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** The pods an operator-managed custom resource runs (the labels the Prometheus Operator sets). */
function crPods(o: any): WiringPods | undefined {
  if (!String(o.apiVersion).startsWith('monitoring.coreos.com/')) return undefined;
  if (o.kind === 'Prometheus') return { namespace: o.metadata.namespace, podLabels: { prometheus: o.metadata.name }, name: `Prometheus ${key(o)}` };
  if (o.kind === 'Alertmanager') return { namespace: o.metadata.namespace, podLabels: { alertmanager: o.metadata.name }, name: `Alertmanager ${key(o)}` };
  return undefined;
}

function workloadPods(o: any): WiringPods | undefined {
  if (!WORKLOAD_KINDS.has(o.kind)) return undefined;
  const sel = o.spec?.selector?.matchLabels;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return { namespace: o.metadata.namespace, podLabels: { ...sel }, name: `${o.kind} ${key(o)}` };
}

/** Text of an object where addresses may appear (Secret data decoded). */
function bodyText(o: any): string {
  if (o.kind !== 'Secret') return JSON.stringify(o);
  const data = Object.values(o.data ?? {}).map((v: any) => Buffer.from(String(v), 'base64').toString('utf8'));
  return JSON.stringify({ ...o, data: undefined }) + '\n' + data.join('\n');
}

/** Builds the wiring graph of the objects of one app (or several apps synced together). */
export function wiringGraph(manifests: any[]): WiringEdge[] {
  const objs = manifests.filter((o) => o && o.kind && o.metadata?.name);
  type Workload = { o: any; pods: WiringPods };
  const workloads = objs.map((o) => ({ o, pods: workloadPods(o) ?? crPods(o) })).filter((w): w is Workload => w.pods !== undefined);
  const services = new Map(objs.filter((o) => o.kind === 'Service' && (o.apiVersion ?? 'v1') === 'v1').map((s) => [key(s), s]));
  const nsLabels = new Map<string, Record<string, string>>();
  for (const n of objs.filter((o) => o.kind === 'Namespace')) nsLabels.set(n.metadata.name, { ...(n.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: n.metadata.name });
  const labelsOfNs = (ns: string) => nsLabels.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  const templateLabels = (w: Workload): Record<string, string> =>
    w.o.spec?.template?.metadata?.labels ?? w.o.spec?.podMetadata?.labels ?? w.pods.podLabels;

  /** The workloads whose pods a Service (or a selector) reaches. */
  const podsSelectedBy = (ns: string, selector: Record<string, string> | undefined) => !selector || Object.keys(selector).length === 0 ? []
    : workloads.filter((w) => w.pods.namespace === ns && Object.entries(selector).every(([k, v]) => templateLabels(w)[k] === v));

  /** Names of the ConfigMaps and Secrets a pod template reads (volumes, projected volumes, env). */
  const readsOf = (w: { o: any }): Set<string> => {
    const spec = w.o.spec?.template?.spec ?? {};
    const out = new Set<string>();
    for (const v of spec.volumes ?? []) {
      if (v.configMap?.name) out.add(`ConfigMap ${v.configMap.name}`);
      if (v.secret?.secretName) out.add(`Secret ${v.secret.secretName}`);
      for (const src of v.projected?.sources ?? []) {
        if (src.configMap?.name) out.add(`ConfigMap ${src.configMap.name}`);
        if (src.secret?.name) out.add(`Secret ${src.secret.name}`);
      }
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef?.name) out.add(`ConfigMap ${e.configMapRef.name}`);
        if (e.secretRef?.name) out.add(`Secret ${e.secretRef.name}`);
      }
      for (const e of c.env ?? []) {
        if (e.valueFrom?.configMapKeyRef?.name) out.add(`ConfigMap ${e.valueFrom.configMapKeyRef.name}`);
        if (e.valueFrom?.secretKeyRef?.name) out.add(`Secret ${e.valueFrom.secretKeyRef.name}`);
      }
    }
    return out;
  };
  const reads = new Map(workloads.map((w) => [w, readsOf(w)]));

  /** The workloads an object configures: itself, else every workload of its namespace that reads it. */
  const configured = (o: any): WiringPods[] => {
    const own = workloadPods(o) ?? crPods(o);
    if (own) return [own];
    if (o.kind !== 'ConfigMap' && o.kind !== 'Secret') return [];
    return workloads.filter((w) => w.pods.namespace === o.metadata.namespace && reads.get(w)!.has(`${o.kind} ${o.metadata.name}`)).map((w) => w.pods);
  };

  const edges = new Map<string, WiringEdge>();
  const add = (e: WiringEdge) => {
    const id = `${e.from.name} -> ${e.to.name} :${e.port ?? '*'} ${e.purpose}`;
    if (!edges.has(id)) edges.set(id, e);
  };
  /** Edges through a Service port (by number or name) to the pods behind it. */
  const viaService = (from: WiringPods, svc: any, port: number | string, purposeOf: string | ((portName?: string) => string), protocol = 'TCP') => {
    const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === port || p.name === port);
    if (!sp) return;
    const purpose = typeof purposeOf === 'string' ? purposeOf : purposeOf(sp.name);
    if (/memberlist|gossip/.test(String(sp.name ?? '')) || sp.port === 7946) {
      // a hash ring: the members find each other through gossip and then talk on every port (gRPC)
      const ring = podsSelectedBy(svc.metadata.namespace, svc.spec?.selector);
      for (const a of ring) for (const b of ring) add({ from: a.pods, to: b.pods, service: `${key(svc)}:${sp.port}`, protocol: 'TCP', purpose: 'ring' });
      return;
    }
    for (const w of podsSelectedBy(svc.metadata.namespace, svc.spec?.selector)) {
      if (w.pods.name === from.name) continue; // a workload calling its own Service: covered by peers
      add({ from, to: w.pods, port: sp.targetPort ?? sp.port, service: `${key(svc)}:${sp.port}`, protocol: sp.protocol ?? protocol, purpose });
    }
  };

  // 1. addresses of emitted Services in object bodies
  for (const o of objs) {
    if (o.kind === 'Service' || o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition') continue;
    const from = configured(o);
    if (from.length === 0) continue;
    const text = bodyText(o);
    if (!text.includes('.svc')) continue; // no address can match: skip the regex scan of a large body
    for (const m of text.matchAll(SVC_ADDRESS)) {
      const svc = services.get(`${m[3]}/${m[1]}`);
      if (svc) for (const f of from) viaService(f, svc, Number(m[5]), (portName) => urlPurpose(f, m[6], portName, Number(m[5])));
    }
  }

  for (const p of objs.filter((o) => o.kind === 'Prometheus' && String(o.apiVersion).startsWith('monitoring.coreos.com/'))) {
    const from = crPods(p)!;
    // 2. alerts
    for (const am of p.spec?.alerting?.alertmanagers ?? []) {
      const svc = services.get(`${am.namespace ?? p.metadata.namespace}/${am.name}`);
      if (svc) viaService(from, svc, am.port, 'alerts');
    }
    // 3. scrapes
    const nsSelected = (sel: LabelSelector | undefined, ns: string) =>
      sel === undefined ? ns === p.metadata.namespace : labelSelectorMatches(sel, labelsOfNs(ns));
    const selects = (kind: string, m: any) =>
      nsSelected(p.spec?.[`${kind}NamespaceSelector`], m.metadata.namespace) && labelSelectorMatches(p.spec?.[`${kind}Selector`], m.metadata.labels ?? {});
    const monitorNamespaces = (m: any): string[] => {
      const ns = m.spec?.namespaceSelector;
      if (ns?.any) return [...new Set(workloads.map((w) => w.pods.namespace))];
      return ns?.matchNames ?? [m.metadata.namespace];
    };
    for (const sm of objs.filter((o) => o.kind === 'ServiceMonitor')) {
      if (!selects('serviceMonitor', sm)) continue;
      for (const ns of monitorNamespaces(sm)) {
        for (const svc of services.values()) {
          if (svc.metadata.namespace !== ns || !labelSelectorMatches(sm.spec?.selector, svc.metadata.labels ?? {})) continue;
          for (const ep of sm.spec?.endpoints ?? []) if (ep.port !== undefined || ep.targetPort !== undefined) viaService(from, svc, ep.port ?? ep.targetPort, 'scrape');
        }
      }
    }
    // Probes: Prometheus scrapes the prober's Service; the prober's pods reach each in-cluster target
    for (const pr of objs.filter((o) => o.kind === 'Probe' && String(o.apiVersion).startsWith('monitoring.coreos.com/'))) {
      if (!selects('probe', pr)) continue;
      const prober = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:(\d+)$/.exec(String(pr.spec?.prober?.url ?? ''));
      const proberSvc = prober ? services.get(`${prober[2]}/${prober[1]}`) : undefined;
      if (!proberSvc) continue;
      viaService(from, proberSvc, Number(prober![3]), 'scrape');
      for (const w of podsSelectedBy(proberSvc.metadata.namespace, proberSvc.spec?.selector)) {
        for (const t of pr.spec?.targets?.staticConfig?.static ?? []) {
          for (const m of String(t).matchAll(SVC_ADDRESS)) {
            const svc = services.get(`${m[3]}/${m[1]}`);
            if (svc) viaService(w.pods, svc, Number(m[5]), 'probe');
          }
        }
      }
    }
    for (const pm of objs.filter((o) => o.kind === 'PodMonitor')) {
      if (!selects('podMonitor', pm)) continue;
      for (const ns of monitorNamespaces(pm)) {
        for (const w of workloads.filter((x) => x.pods.namespace === ns && labelSelectorMatches(pm.spec?.selector, templateLabels(x)))) {
          for (const ep of pm.spec?.podMetricsEndpoints ?? []) add({ from, to: w.pods, port: ep.port ?? ep.portNumber, protocol: 'TCP', purpose: 'scrape' });
        }
      }
    }
  }

  // 4. peers: the members of one workload reach each other (Alertmanager mesh, memberlist, clustering)
  for (const w of workloads) {
    const args = JSON.stringify((w.o.spec?.template?.spec?.containers ?? []).map((c: any) => c.args ?? []));
    const clustered = w.o.kind === 'Alertmanager' || (w.o.kind !== 'DaemonSet' && (w.o.spec?.replicas ?? 1) > 1) || /--cluster\.enabled=true|memberlist/.test(args);
    if (clustered) add({ from: w.pods, to: w.pods, protocol: 'TCP', purpose: 'peers' });
  }
  return [...edges.values()].filter((e) => !(e.from.name === e.to.name && e.purpose !== 'peers' && e.purpose !== 'ring'))
    .map((e) => ({ e, k: `${e.from.name} ${e.to.name} ${e.port}` }))
    .sort((a, b) => compareText(a.k, b.k)) // the order of localeCompare (en-US), without loading ICU's collator
    .map(({ e }) => e);
}

/** A mermaid node id for a workload. */
function nodeId(p: WiringPods): string {
  return p.name.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * The wiring graph as a mermaid flowchart: one subgraph per namespace, one node per workload, one arrow
 * per connected pair labelled with what flows and the ports (`scrape :9090`, `config URL :3100`).
 */
export function wiringMermaid(edges: WiringEdge[]): string {
  const nodes = new Map<string, WiringPods>();
  for (const e of edges) { nodes.set(nodeId(e.from), e.from); nodes.set(nodeId(e.to), e.to); }
  const byNs = new Map<string, WiringPods[]>();
  for (const p of nodes.values()) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
  const lines = ['flowchart LR'];
  for (const [ns, pods] of [...byNs.entries()].sort(([a], [b]) => compareText(a, b))) {
    lines.push(`  subgraph ns_${ns.replace(/[^A-Za-z0-9]/g, '_')}["${ns}"]`);
    for (const p of pods.sort((a, b) => compareText(a.name, b.name))) lines.push(`    ${nodeId(p)}["${p.name.split('/').pop()}<br/>${p.name.split(' ')[0]}"]`);
    lines.push('  end');
  }
  const pairs = new Map<string, Set<string>>();
  for (const e of edges) {
    const k = `${nodeId(e.from)} --> ${nodeId(e.to)}`;
    pairs.set(k, (pairs.get(k) ?? new Set()).add(`${e.purpose}${e.port === undefined ? '' : ` :${e.port}`}`));
  }
  for (const [k, labels] of [...pairs.entries()].sort(([a], [b]) => compareText(a, b))) {
    const [from, to] = k.split(' --> ');
    lines.push(`  ${from} -- "${[...labels].sort().join(', ')}" --> ${to}`);
  }
  return lines.join('\n') + '\n';
}

/** The DATAFLOW.md of an app: the diagram and the table of every edge. */
export function renderDataflowMarkdown(appName: string, edges: WiringEdge[]): string {
  const rows = edges.map((e) => `| ${e.from.name} | ${e.to.name} | ${e.port ?? 'all'} | ${e.service ?? '-'} | ${e.purpose} |`);
  return [
    `# Data flow of \`${appName}\``,
    '',
    'Generated by cdk8s-lgtm from the synthesized objects (`wiringGraph` in `src/core/wiring.ts`): every',
    'connection one workload of the output makes to another. The NetworkPolicies of `LgtmNetworkPolicies`',
    'admit exactly these connections.',
    '',
    ...(edges.length === 0 ? ['This app makes no connection between its workloads.', ''] : [
      '```mermaid',
      wiringMermaid(edges).trimEnd(),
      '```',
      '',
      '| from | to | port | Service | purpose |',
      '|---|---|---|---|---|',
      ...rows,
      '',
    ]),
  ].join('\n');
}
