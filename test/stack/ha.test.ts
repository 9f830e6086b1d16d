/**
 * High availability of every backend in the production output (issue 11, item 4), read from the committed
 * dist/production objects: replicas, a PodDisruptionBudget, topology spread or anti-affinity, replication
 * factor 3 where the backend has one, and a termination grace long enough to flush. A backend added to the
 * production stack falls under it by its `app.kubernetes.io/name`; the few documented exceptions are
 * listed with their reason (docs/PROFILES.md, "High availability").
 */
import * as path from 'path';
import { K8sObject, readYamlDir, selectorMatches, YAML } from '../harness';

const DIST = path.join(__dirname, '..', '..', 'dist', 'production');
const BACKENDS = ['loki', 'tempo', 'mimir', 'pyroscope', 'prometheus', 'alertmanager', 'grafana'];
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Prometheus', 'Alertmanager'];

/** Workloads that run one pod on purpose (documented in docs/PROFILES.md). */
const SINGLETONS: Record<string, string> = {
  'StatefulSet/loki-compactor': 'one compactor per cluster upstream (it owns retention and compaction of the index)',
  'StatefulSet/mimir-compactor': 'the sizing runs 1 compactor up to 20M series; compaction pauses, ingestion does not',
  'Deployment/grafana': 'SQLite on a PVC cannot be shared: more replicas need GrafanaDatabase.postgres(...)',
};

/** Workloads that hold data in memory and flush it on shutdown, with the grace they need (seconds). */
const FLUSHING: Array<[RegExp, number]> = [
  [/^StatefulSet\/mimir-ingester$/, 1200], // Mimir's jsonnet: 20 min for the TSDB head to be compacted and shipped
  [/^StatefulSet\/loki-ingester$/, 300], // flush of the chunks in memory
  [/^StatefulSet\/tempo$/, 300], // ingester flush_all_on_shutdown
  [/^StatefulSet\/pyroscope$/, 300], // head block flush
  [/^StatefulSet\/mimir-compactor$/, 300], // an in-flight compaction finishes
  [/^Prometheus\//, 300], // WAL checkpoint, remote-write queue drain
];
/** The operator's defaults when the custom resource sets none (prometheus-operator 0.93 CRD descriptions). */
const OPERATOR_GRACE: Record<string, number> = { Prometheus: 600, Alertmanager: 120 };

/** Where each replicated backend's replication factor lives. */
const REPLICATION: Record<string, { configMap: string; file: string; path: string[][] }> = {
  loki: { configMap: 'loki', file: 'loki.yaml', path: [['common', 'replication_factor']] },
  tempo: { configMap: 'tempo', file: 'tempo.yaml', path: [['ingester', 'lifecycler', 'ring', 'replication_factor']] },
  mimir: { configMap: 'mimir', file: 'mimir.yaml', path: [['ingester', 'ring', 'replication_factor'], ['store_gateway', 'sharding_ring', 'replication_factor']] },
  pyroscope: { configMap: 'pyroscope', file: 'config.yaml', path: [['ingester', 'lifecycler', 'ring', 'replication_factor']] },
};

const objs = readYamlDir(DIST);
const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const isCr = (o: K8sObject) => o.kind === 'Prometheus' || o.kind === 'Alertmanager';
const podSpec = (o: K8sObject) => (isCr(o) ? o.spec : o.spec.template.spec);
/** The pod labels: the template's, or what the operator puts on the pods of a custom resource. */
function podLabels(o: K8sObject): Record<string, string> {
  if (!isCr(o)) return o.spec.template.metadata.labels;
  const k = o.kind.toLowerCase();
  return { ...(o.spec.podMetadata?.labels ?? {}), 'app.kubernetes.io/name': k, 'app.kubernetes.io/instance': o.metadata.name, [k]: o.metadata.name };
}
function backendOf(o: K8sObject): string | undefined {
  const name = isCr(o) ? o.kind.toLowerCase() : o.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'];
  return BACKENDS.includes(name) ? name : undefined;
}
const workloads = objs.filter((o) => WORKLOAD_KINDS.includes(o.kind) && backendOf(o) !== undefined);

function problems(o: K8sObject): string[] {
  const out: string[] = [];
  const ns = o.metadata.namespace;
  const replicas = o.spec.replicas ?? 1;
  const single = SINGLETONS[id(o)];
  if (replicas < 2 && !single) out.push(`${id(o)}: ${replicas} replica(s)`);
  if (replicas < 2) return out;
  const labels = podLabels(o);
  const pdb = objs.find((p) => p.kind === 'PodDisruptionBudget' && p.metadata.namespace === ns && selectorMatches(p.spec.selector, labels));
  if (!pdb) out.push(`${id(o)}: no PodDisruptionBudget selects its pods`);
  const spec = podSpec(o);
  const spread = (spec.topologySpreadConstraints ?? []).some((c: any) => selectorMatches(c.labelSelector, labels));
  const aa = spec.affinity?.podAntiAffinity;
  const preferred = (aa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm);
  const terms = [...preferred, ...(aa?.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
  const anti = terms.some((t: any) => selectorMatches(t.labelSelector, labels));
  if (!spread && !anti) out.push(`${id(o)}: neither topology spread nor anti-affinity over its pods`);
  const need = FLUSHING.find(([re]) => re.test(id(o)))?.[1];
  const grace = spec.terminationGracePeriodSeconds ?? (isCr(o) ? OPERATOR_GRACE[o.kind] : 30);
  if (need !== undefined && grace < need) out.push(`${id(o)}: terminationGracePeriodSeconds ${grace} < ${need} (flush on shutdown)`);
  return out;
}

describe('every backend of dist/production is highly available', () => {
  test('the audit sees every backend', () => {
    expect([...new Set(workloads.map(backendOf))].sort()).toEqual([...BACKENDS].sort());
  });

  test('replicas, PodDisruptionBudget, spread or anti-affinity, grace long enough to flush', () => {
    expect(workloads.flatMap(problems)).toEqual([]);
  });

  test('replication factor 3 in every backend that has one', () => {
    for (const [backend, r] of Object.entries(REPLICATION)) {
      const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === r.configMap && o.data?.[r.file]);
      expect(cm).toBeDefined();
      const cfg = YAML.parse(cm!.data[r.file]);
      for (const p of r.path) expect([backend, p.join('.'), p.reduce((v: any, k) => v?.[k], cfg)]).toEqual([backend, p.join('.'), 3]);
    }
    // Alertmanager replicates silences and notifications over its mesh: every replica a peer
    const am = workloads.find((o) => o.kind === 'Alertmanager')!;
    expect(am.spec.replicas).toBeGreaterThanOrEqual(3);
  });

  test('the singletons are only the documented ones', () => {
    const singles = workloads.filter((o) => (o.spec.replicas ?? 1) < 2).map(id).sort();
    expect(singles).toEqual(Object.keys(SINGLETONS).sort());
  });

  test('the check fails on a backend without HA (a Pyroscope of one pod, a PDB-less Tempo, a short grace)', () => {
    const pyro = workloads.find((o) => id(o) === 'StatefulSet/pyroscope')!;
    expect(problems({ ...pyro, spec: { ...pyro.spec, replicas: 1 } })).toEqual(['StatefulSet/pyroscope: 1 replica(s)']);
    const tempo = workloads.find((o) => id(o) === 'StatefulSet/tempo')!;
    const labels = { 'app.kubernetes.io/name': 'tempo', 'other': 'x' };
    const renamed = { ...tempo, spec: { ...tempo.spec, template: { ...tempo.spec.template, metadata: { labels } } } };
    expect(problems(renamed)).toEqual(expect.arrayContaining(['StatefulSet/tempo: no PodDisruptionBudget selects its pods']));
    const shortSpec = { ...tempo.spec.template.spec, terminationGracePeriodSeconds: 30 };
    const short = { ...tempo, spec: { ...tempo.spec, template: { ...tempo.spec.template, spec: shortSpec } } };
    expect(problems(short)).toEqual(['StatefulSet/tempo: terminationGracePeriodSeconds 30 < 300 (flush on shutdown)']);
  });
});
