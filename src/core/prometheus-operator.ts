import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppIndex } from './app-index';

/**
 * What the prometheus-operator custom resources share: the API group, the annotations, and how a
 * Prometheus is found and asked whether it selects an object (used by the monitors and the skeleton).
 */
/** The API group of the prometheus-operator custom resources. */
export const MONITORING_API = 'monitoring.coreos.com/v1';

/** Kinds a Prometheus selects through its `*Selector`/`*NamespaceSelector` fields. */
export const SELECTED_KINDS = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe'];

/**
 * Annotations on custom resources: Argo CD skips the dry run when the CRD is not yet known (the CRDs are
 * in sync wave -10 of the same sync), instead of failing the whole sync.
 */
export const CR_ANNOTATIONS: Record<string, string> = {
  'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
};

/** The label every namespace carries since Kubernetes 1.21 (set by the API server, immutable). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Namespace of an ApiObject: its own, else its chart's. */
export function namespaceOf(obj: ApiObject): string | undefined {
  const ns = obj.metadata.namespace;
  if (ns) return ns;
  try {
    return Chart.of(obj).namespace;
  } catch {
    return undefined;
  }
}

/** Every prometheus-operator object of a selected kind in the whole app (any construct library). */
export function selectedObjects(scope: IConstruct, index: AppIndex = new AppIndex(scope.node.root)): ApiObject[] {
  return index.memo(index, 'selectedObjects', () => SELECTED_KINDS.flatMap((k) => index.objectsOfKind('monitoring.coreos.com', k)));
}

/** A Kubernetes label selector (the fields the selection logic evaluates). */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: Array<{ readonly key: string; readonly operator: string; readonly values?: string[] }>;
}

/** A namespace label selector that matches exactly these namespaces (by their immutable name label). */
export function namespaceNameSelector(namespaces: string[]): LabelSelector {
  return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...namespaces].sort() }] };
}

/** Label selector semantics (matchLabels + matchExpressions); `undefined` matches nothing. */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (sel === undefined || sel === null) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}


/** What monitors need from a Prometheus to check they are selected (implemented by `Prometheus`). */
export interface SelectingPrometheus extends IConstruct {
  /** Names of the scrape classes it defines (`spec.scrapeClasses`); undefined when unknown. */
  readonly scrapeClassNames?: string[];
  /** True when this Prometheus selects an object of `kind` in `namespace` with `labels`. */
  selects(kind: string, namespace: string, labels: Record<string, string>): boolean;
  /** Human description of its selection for `kind`, for error messages. */
  describeSelection(kind: string): string;
  /** `selects` against an index of the app (one walk of the tree for all monitors). */
  _selectsIn?(index: AppIndex, kind: string, namespace: string, labels: Record<string, string>): boolean;
}

/** Marks `Prometheus` instances (set by its constructor) without an import cycle. */
export const PROMETHEUS_MARKER = Symbol.for('cdk8s-lgtm.Prometheus');

/** Every `Prometheus` construct in the app. */
export function prometheusesIn(scope: IConstruct, index: AppIndex = new AppIndex(scope.node.root)): SelectingPrometheus[] {
  return index.marked<SelectingPrometheus>(PROMETHEUS_MARKER);
}
