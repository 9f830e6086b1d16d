/**
 * The shared checks of props where they enter (called once, from `validateComponentProps`, for every
 * component; constructs that are not components call the single validators directly).
 */
import { IConstruct } from 'constructs';
import {
  requireAnnotations, requireCount, requireDnsLabel, requireLabels, requireMap, requirePort, requirePortName, requireResourceBlock,
  requireSecretKey, requireSecretName, requireStorageClassName, requireUrl,
} from './k8s';
import { _setResourcePresetCheck, checkPropTypes, checkRequiredProps, requireSize } from './types';
import { fail, show } from '../errors';

export * from './k8s';
export * from './types';

/** An image reference: `[registry/]repository[:tag][@digest]`. */
const IMAGE_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+|-+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Names derived from a component's name that must stay valid DNS-1123 labels. */
export const DERIVED_NAME_SUFFIXES = ['-headless'];

/** Top-level props that become Kubernetes labels or label selectors (keys and values are checked). */
const LABEL_MAP_PROPS = ['labels', 'metadataLabels', 'serviceMonitorLabels', 'nodeSelector', 'selector', 'monitorSelector', 'podLabels', 'matchLabels'];
/** Top-level props that list namespaces to watch or select: an empty list would silently mean all or none. */
const NAMESPACE_LIST_PROPS = /^(targetNamespaces|watchNamespaces|monitorNamespaces|namespaces)$/;
/** Top-level props that list namespaces where an empty list is meaningful (exclude nothing). */
const OPTIONAL_NAMESPACE_LIST_PROPS = /^[a-z]+Namespaces$/;

/** Options of `validateSharedProps`. */
export interface SharedPropsOptions {
  /**
   * The props are the caller's own (the construct's props struct, as passed to its constructor), so a
   * missing required prop (a JavaScript caller can omit one) fails with the five-part message.
   */
  readonly required?: boolean;
  /** The props struct to check against. @default - the construct class's props struct */
  readonly struct?: string;
}

/**
 * Validates the props every component shares, by their vocabulary names, and walks the whole props
 * object for the rules that hold wherever a value appears: runtime types (Duration, Size, string,
 * number, boolean), `{ secretName, key }` references, ports and URLs.
 */
export function validateSharedProps(scope: IConstruct, props: any, options: SharedPropsOptions = {}): void {
  if (props === undefined || props === null) {
    if (options.required) checkRequiredProps(scope, {}, options.struct);
    return;
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    fail(scope, {
      problem: 'the props must be an object',
      received: `${show(props)} (${Array.isArray(props) ? 'array' : typeof props})`,
      expected: 'an object of named props, e.g. { name: "loki" }',
      fix: 'pass the props as an object literal',
    });
  }
  if (options.required) checkRequiredProps(scope, props, options.struct);
  // the replica count's own message (it names the integer) comes before the generic runtime type check
  if (props.replicas !== undefined && (typeof props.replicas !== 'object' || props.replicas === null)) requireCount(scope, 'replicas', props.replicas, 1);
  checkPropTypes(scope, props, '', options.struct);
  if (props.name !== undefined) requireDnsLabel(scope, 'name', props.name, DERIVED_NAME_SUFFIXES.map((s) => `${props.name}${s}`));
  if (props.namespace !== undefined) requireDnsLabel(scope, 'namespace', props.namespace);
  if (props.image !== undefined) requireImage(scope, 'image', props.image);
  if (props.resources !== undefined && Object.getPrototypeOf(props.resources) !== Object.prototype) validateResources(scope, 'resources', props.resources);
  if (props.storage !== undefined && props.storage !== null && Object.getPrototypeOf(props.storage) === Object.prototype) {
    if (props.storage.size !== undefined) requireSize(scope, 'storage.size', props.storage.size);
    if (props.storage.storageClassName !== undefined) requireStorageClassName(scope, 'storage.storageClassName', props.storage.storageClassName);
  }
  if (props.storageClassName !== undefined) requireStorageClassName(scope, 'storageClassName', props.storageClassName);
  for (const k of LABEL_MAP_PROPS) {
    const m = props[k];
    if (m !== undefined && (typeof m === 'object' || k !== 'selector')) requireLabels(scope, k, m);
  }
  for (const [k, m] of Object.entries(props)) {
    if (m === undefined) continue;
    if (/^([a-z]+A|a)nnotations$/.test(k)) requireAnnotations(scope, k, m as Record<string, string>);
    else if (k === 'externalLabels') requireStringMap(scope, k, m);
    else if (NAMESPACE_LIST_PROPS.test(k) && Array.isArray(m)) requireNamespaceList(scope, k, m, false);
    else if (OPTIONAL_NAMESPACE_LIST_PROPS.test(k) && Array.isArray(m)) requireNamespaceList(scope, k, m, true);
  }
  walkValues(scope, props, '');
}

/** A container image reference (`registry/repository:tag` or a digest). */
export function requireImage(scope: IConstruct, prop: string, image: unknown): string {
  if (typeof image !== 'string' || !IMAGE_REF.test(image)) {
    fail(scope, {
      problem: `'${prop}' is not a valid image reference`,
      received: show(image),
      expected: 'registry/repository:tag (lowercase repository, a tag or a digest), e.g. "docker.io/grafana/loki:3.7.6"',
      fix: 'pass the full image reference with an exact tag (never :latest)',
    });
  }
  return image as string;
}

/** A `ResourcePreset`: positive requests, valid quantities, requests at most the limits. */
export function validateResources(scope: IConstruct, prop: string, preset: any): void {
  const spec = preset?.spec;
  if (!spec || typeof preset._toKube !== 'function') {
    fail(scope, {
      problem: `'${prop}' must be a ResourcePreset`,
      received: show(preset),
      expected: 'ResourcePreset.SMALL (or another preset) or ResourcePreset.custom({ cpuMillis, memory })',
      fix: 'pass ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(256) })',
    });
  }
  if (typeof spec.cpuMillis !== 'number' || !Number.isInteger(spec.cpuMillis) || spec.cpuMillis < 1) {
    fail(scope, {
      problem: `'${prop}.cpuMillis' must be a positive whole number of millicores`,
      received: `${show(spec.cpuMillis)} (${typeof spec.cpuMillis})`,
      expected: 'an integer of 1 or more, e.g. 250 for a quarter core',
      fix: 'pass cpuMillis as a number of millicores',
    });
  }
  if (spec.cpuLimitMillis !== undefined) requireCount(scope, `${prop}.cpuLimitMillis`, spec.cpuLimitMillis, 1);
  requireSize(scope, `${prop}.memory`, spec.memory);
  if (spec.memoryLimit !== undefined) requireSize(scope, `${prop}.memoryLimit`, spec.memoryLimit);
  requireResourceBlock(scope, prop, preset._toKube());
}

/** A list of namespace names: each a DNS-1123 label, no duplicates, and not empty unless `mayBeEmpty`. */
export function requireNamespaceList(scope: IConstruct, prop: string, list: unknown[], mayBeEmpty: boolean): void {
  if (list.length === 0 && !mayBeEmpty) {
    fail(scope, {
      problem: `'${prop}' is empty`,
      received: '[]',
      expected: 'at least one namespace name, or the prop left out (an empty list selects nothing, or everything, depending on the engine: never what was meant)',
      fix: `name the namespaces, e.g. ['dev'], or leave '${prop}' out for the default`,
    });
  }
  list.forEach((ns, i) => requireDnsLabel(scope, `${prop}[${i}]`, ns as string));
}

/** A map whose values must be strings (label values of a config file, e.g. external labels). */
function requireStringMap(scope: IConstruct, prop: string, m: unknown): void {
  requireMap(scope, prop, m);
  for (const [k, x] of Object.entries(m as Record<string, unknown>)) {
    if (typeof x !== 'string') {
      fail(scope, {
        problem: `'${prop}.${k}' must be a string`,
        received: `${show(x)} (${x === null ? 'null' : typeof x})`,
        expected: 'a string value',
        fix: `pass ${show(String(x))}`,
      });
    }
  }
}

_setResourcePresetCheck(validateResources);

/**
 * `validateSharedProps` for a construct that must check its props before calling `super()` (it builds
 * its base class's props from them): the messages carry the path the construct will have.
 */
export function validateSharedPropsAt(
  scope: IConstruct, id: string, struct: string, props: unknown, options: { readonly required?: boolean } = {},
): void {
  const path = scope.node.path ? `${scope.node.path}/${id}` : id;
  const at = { node: { path } } as unknown as IConstruct;
  validateSharedProps(at, props, { ...options, struct });
}

const SOURCE_PROPS = Symbol.for('cdk8s-lgtm.sourceProps');

/**
 * Marks `target` (the props a subclass passes to its base class) with the caller's own props, so that
 * the base class validates those, against the subclass's props struct (see `sourcePropsOf`).
 */
export function withSourceProps<T extends object>(target: T, source: unknown): T {
  Object.defineProperty(target, SOURCE_PROPS, { value: source, enumerable: false });
  return target;
}

/** The caller's own props attached by `withSourceProps`, if any. */
export function sourcePropsOf(props: unknown): unknown {
  return props !== null && typeof props === 'object' ? (props as any)[SOURCE_PROPS] : undefined;
}

const URL_PROP = /(^url$|Url$|URL$)/;

function walkValues(scope: IConstruct, v: any, path: string): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => walkValues(scope, x, `${path}[${i}]`));
    return;
  }
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return;
  if (typeof v.secretName === 'string' && Object.keys(v).every((k) => ['secretName', 'key', 'optional'].includes(k))) {
    requireSecretName(scope, `${path || 'secret'}.secretName`, v.secretName);
    if (v.key !== undefined) requireSecretKey(scope, `${path || 'secret'}.key`, v.key);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (x === undefined) continue;
    if ((k === 'port' || k === 'targetPort') && typeof x === 'string') requirePortName(scope, p, x);
    else if ((k === 'port' || k === 'targetPort') && typeof x !== 'object') requirePort(scope, p, x as number);
    else if (k === 'repoUrl') continue; // Git URLs (https, ssh, git@): checked by the Argo CD constructs
    else if (URL_PROP.test(k) && typeof x === 'string') requireUrl(scope, p, x);
    else if (k === 'storageClassName' && typeof x === 'string') requireStorageClassName(scope, p, x);
    else if (k === 'configOverride' || k === 'ini' || k === 'extraArgs' || k === 'json') continue; // escape hatches: checked against the config reference
    else walkValues(scope, x, p);
  }
}
