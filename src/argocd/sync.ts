import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { prepareEachPass, touchApp } from '../core/app-index';

/**
 * The Argo CD sync order of the output: every object gets the sync wave of its role, so a sync applies
 * (and waits for the health of) the CRDs first, then the namespaces, the operators, the backends, the
 * collectors, and last the dashboards and alerting. Objects of a role the library does not know (an
 * application team's own Service) keep Argo CD's default wave 0, with the backends.
 */
export enum SyncRole {
  /** CustomResourceDefinitions: wave -10, server-side apply, never pruned. */
  CRDS = 'crds',
  /** Namespaces with their Pod Security labels: wave -5. */
  NAMESPACES = 'namespaces',
  /** Operators (the Prometheus Operator) and their RBAC: wave -3. */
  OPERATORS = 'operators',
  /** Storage and query backends: Prometheus, Mimir, Loki, Tempo, Pyroscope, the object store: wave 0 (Argo CD's default, not written). */
  BACKENDS = 'backends',
  /** Collectors, exporters and the monitors that tell Prometheus what to scrape: wave 5. */
  COLLECTORS = 'collectors',
  /** Grafana, its dashboards, Alertmanager and the rules: wave 10. */
  DASHBOARDS_AND_ALERTING = 'dashboards-and-alerting',
}

/** The sync wave of each role. */
export const SYNC_WAVES: Record<SyncRole, number> = {
  [SyncRole.CRDS]: -10,
  [SyncRole.NAMESPACES]: -5,
  [SyncRole.OPERATORS]: -3,
  [SyncRole.BACKENDS]: 0,
  [SyncRole.COLLECTORS]: 5,
  [SyncRole.DASHBOARDS_AND_ALERTING]: 10,
};

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** Argo CD never deletes the object when it leaves the output (data on a PVC, every custom resource of a CRD). */
export const PRUNE_FALSE = 'Prune=false';
/** Argo CD skips the dry run of a custom resource while its CRD is not yet established (same sync). */
export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

/** `app.kubernetes.io/name` values of the library's components, by role. */
const ROLE_BY_APP_NAME: Record<string, SyncRole> = {
  'prometheus-operator': SyncRole.OPERATORS,
  'prometheus': SyncRole.BACKENDS,
  'mimir': SyncRole.BACKENDS,
  'loki': SyncRole.BACKENDS,
  'tempo': SyncRole.BACKENDS,
  'pyroscope': SyncRole.BACKENDS,
  'seaweedfs': SyncRole.BACKENDS,
  'alloy': SyncRole.COLLECTORS,
  'opentelemetry-collector': SyncRole.COLLECTORS,
  'promtail': SyncRole.COLLECTORS,
  'beyla': SyncRole.COLLECTORS,
  'node-exporter': SyncRole.COLLECTORS,
  'kube-state-metrics': SyncRole.COLLECTORS,
  'grafana': SyncRole.DASHBOARDS_AND_ALERTING,
  'alertmanager': SyncRole.DASHBOARDS_AND_ALERTING,
  'grafana-oncall': SyncRole.DASHBOARDS_AND_ALERTING,
};

/** Kinds whose role follows from the kind alone (checked before the labels). */
const ROLE_BY_KIND: Record<string, SyncRole> = {
  'apiextensions.k8s.io CustomResourceDefinition': SyncRole.CRDS,
  ' Namespace': SyncRole.NAMESPACES,
  'monitoring.coreos.com ServiceMonitor': SyncRole.COLLECTORS,
  'monitoring.coreos.com PodMonitor': SyncRole.COLLECTORS,
  'monitoring.coreos.com Probe': SyncRole.COLLECTORS,
  'monitoring.coreos.com PrometheusRule': SyncRole.DASHBOARDS_AND_ALERTING,
};

/** The API group of an `apiVersion` ('' for the core group). */
export function apiGroupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** True for a custom resource: a kind from an API group that Kubernetes itself does not serve. */
export function isCustomResource(apiVersion: string): boolean {
  const group = apiGroupOf(apiVersion);
  return group.includes('.') && !group.endsWith('.k8s.io') && group !== 'argoproj.io';
}

/** The role of an object from its kind and labels, `undefined` when the library does not know it. */
export function syncRoleOf(manifest: { apiVersion?: string; kind?: string; metadata?: { labels?: Record<string, string> } }): SyncRole | undefined {
  const byKind = ROLE_BY_KIND[`${apiGroupOf(manifest.apiVersion ?? '')} ${manifest.kind}`];
  if (byKind) return byKind;
  const name = manifest.metadata?.labels?.['app.kubernetes.io/name'];
  return name === undefined ? undefined : ROLE_BY_APP_NAME[name];
}

/** The sync options an object must carry (`Prune=false`, `SkipDryRunOnMissingResource=true`, ...). */
export function requiredSyncOptions(manifest: { apiVersion?: string; kind?: string }): string[] {
  const out: string[] = [];
  if (manifest.kind === 'CustomResourceDefinition') out.push('ServerSideApply=true', PRUNE_FALSE);
  if (manifest.kind === 'PersistentVolumeClaim' && apiGroupOf(manifest.apiVersion ?? '') === '') out.push(PRUNE_FALSE);
  if (isCustomResource(manifest.apiVersion ?? '')) out.push(SKIP_DRY_RUN);
  return out;
}

/** `a,b` plus the options of `add` it lacks, in order. */
export function mergeSyncOptions(existing: string | undefined, add: string[]): string {
  const have = (existing ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const a of add) if (!have.includes(a)) have.push(a);
  return have.join(',');
}

const SYNC_ANNOTATIONS = Symbol.for('cdk8s-lgtm.argoCdSyncAnnotations');

/**
 * Argo CD annotations on every object of an app: the sync wave of its role (`SyncRole`), `Prune=false`
 * on every PersistentVolumeClaim and CRD, and `SkipDryRunOnMissingResource=true` on every custom
 * resource. An annotation an object already carries is kept: an explicit wave wins, sync options are
 * merged.
 *
 * `ArgoCdSyncAnnotations.applyTo(app)` registers the pass once per app; it runs at `app.synth()`, after
 * the whole app is built and before any file is written. The CRDs carry the same annotations in the
 * text they are written from, so they stay byte for byte the vendored files plus the annotation lines.
 */
export class ArgoCdSyncAnnotations {
  /** Annotates every object of the app of `scope` at synth (once per app; later calls do nothing). */
  public static applyTo(scope: IConstruct): void {
    const root = scope.node.root as any;
    if (root[SYNC_ANNOTATIONS]) return;
    Object.defineProperty(root, SYNC_ANNOTATIONS, { value: true });
    // at the start of each validation pass, after the steps that add objects (phase 0), before the checks
    prepareEachPass(scope, 1, () => ArgoCdSyncAnnotations.annotateNow(scope.node.root));
  }

  /** True when `applyTo` was called for the app of `scope`. */
  public static isApplied(scope: IConstruct): boolean {
    return (scope.node.root as any)[SYNC_ANNOTATIONS] === true;
  }

  /** Annotates every object under `scope` now (what the synth-time pass does). */
  public static annotateNow(scope: IConstruct): void {
    let changed = false;
    for (const c of scope.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const o = c as ApiObject;
      const meta = o.metadata.toJson() ?? {};
      const manifest = { apiVersion: o.apiVersion, kind: o.kind, metadata: { labels: meta.labels } };
      const current: Record<string, string> = meta.annotations ?? {};
      const role = syncRoleOf(manifest);
      // wave 0 is Argo CD's default: the backends carry no annotation
      if (role !== undefined && SYNC_WAVES[role] !== 0 && current[SYNC_WAVE_ANNOTATION] === undefined) {
        o.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(SYNC_WAVES[role]));
        changed = true;
      }
      const options = requiredSyncOptions(manifest);
      if (options.length > 0) {
        const merged = mergeSyncOptions(current[SYNC_OPTIONS_ANNOTATION], options);
        if (merged !== current[SYNC_OPTIONS_ANNOTATION]) {
          o.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, merged);
          changed = true;
        }
      }
    }
    // a later pass of the same synth must not reuse answers computed before these annotations
    if (changed) touchApp(scope);
  }

  private constructor() {}
}
