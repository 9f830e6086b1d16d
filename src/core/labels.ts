/** The label that marks every object this library emits. */
export const PART_OF = 'cdk8s-lgtm';
/** The `app.kubernetes.io/managed-by` value. */
export const MANAGED_BY = 'cdk8s-lgtm';

/** Identity of one component instance, from which all labels are computed. */
export interface ComponentIdentity {
  /** `app.kubernetes.io/name`, e.g. `loki`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: the stable object name of this instance, e.g. `loki`. */
  readonly instance: string;
  /** `app.kubernetes.io/component`, e.g. `ingester`. */
  readonly component?: string;
  /** `app.kubernetes.io/version`: the image version. */
  readonly version?: string;
}

/**
 * Selector labels: the standard labels *without* `version`, so that an image upgrade never changes an
 * immutable `spec.selector` (kube-prometheus does the same).
 */
export function selectorLabels(id: ComponentIdentity): Record<string, string> {
  const l: Record<string, string> = {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
  };
  if (id.component) l['app.kubernetes.io/component'] = id.component;
  return l;
}

/** All standard `app.kubernetes.io/*` labels, for metadata and pod templates. */
export function standardLabels(id: ComponentIdentity): Record<string, string> {
  const l: Record<string, string> = { ...selectorLabels(id) };
  if (id.version) l['app.kubernetes.io/version'] = sanitizeLabelValue(id.version);
  l['app.kubernetes.io/part-of'] = PART_OF;
  l['app.kubernetes.io/managed-by'] = MANAGED_BY;
  return l;
}

/** Label values: at most 63 chars of `[A-Za-z0-9_.-]`, alphanumeric at both ends. */
export function sanitizeLabelValue(v: string): string {
  return v.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63);
}
