/**
 * `spec.namespaceSelector.matchNames` of the ServiceMonitor and PodMonitor objects of `monitors.ts`, as
 * their props give them, so that Prometheus' discovery namespaces do not resolve every monitor object
 * once more before the dry run resolves it (1,000 monitors: 1,000 resolves). Internal: not exported by
 * the index (`monitors.ts` is re-exported whole).
 */
import { ApiObject } from 'cdk8s';

const MATCH_NAMES = new WeakMap<ApiObject, readonly string[]>();

/** Records the array `o` renders as `spec.namespaceSelector.matchNames` (`[]` when it has none). */
export function declareMatchNames(o: ApiObject, names: readonly string[]): void {
  MATCH_NAMES.set(o, names);
}

/**
 * `spec.namespaceSelector.matchNames` of a monitor object of `monitors.ts` without resolving it:
 * undefined for any other object, and for one with JSON patches (the caller then resolves it).
 */
export function renderedMatchNames(o: ApiObject): readonly string[] | undefined {
  const names = MATCH_NAMES.get(o);
  if (names === undefined) return undefined;
  // cdk8s keeps the `addJsonPatch` operations in this field and applies them in toJson()
  const patches = (o as unknown as { patches?: unknown }).patches;
  return Array.isArray(patches) && patches.length === 0 ? names : undefined;
}
