/**
 * The shared checks of props where they enter (called once, from `validateComponentProps`, for every
 * component; constructs that are not components call the single validators directly).
 */
import { IConstruct } from 'constructs';
import {
  requireAnnotations, requireCount, requireDnsLabel, requireLabels, requirePort, requireResourceBlock,
  requireSecretKey, requireSecretName, requireStorageClassName, requireUrl,
} from './k8s';
import { checkPropTypes, requireSize } from './types';
import { fail, show } from '../errors';

export * from './k8s';
export * from './types';

/** An image reference: `[registry/]repository[:tag][@digest]`. */
const IMAGE_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+|-+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Names derived from a component's name that must stay valid DNS-1123 labels. */
export const DERIVED_NAME_SUFFIXES = ['-headless'];

/**
 * Validates the props every component shares, by their vocabulary names, and walks the whole props
 * object for the rules that hold wherever a value appears: runtime types (Duration, Size, string,
 * number, boolean), `{ secretName, key }` references, ports and URLs.
 */
export function validateSharedProps(scope: IConstruct, props: any): void {
  if (props === undefined || props === null) return;
  // the replica count's own message (it names the integer) comes before the generic runtime type check
  if (props.replicas !== undefined && (typeof props.replicas !== 'object' || props.replicas === null)) requireCount(scope, 'replicas', props.replicas, 1);
  checkPropTypes(scope, props);
  if (props.name !== undefined) requireDnsLabel(scope, 'name', props.name, DERIVED_NAME_SUFFIXES.map((s) => `${props.name}${s}`));
  if (props.namespace !== undefined) requireDnsLabel(scope, 'namespace', props.namespace);
  if (props.image !== undefined) requireImage(scope, 'image', props.image);
  if (props.resources !== undefined && Object.getPrototypeOf(props.resources) !== Object.prototype) validateResources(scope, 'resources', props.resources);
  if (props.storage !== undefined && props.storage !== null && Object.getPrototypeOf(props.storage) === Object.prototype) {
    if (props.storage.size !== undefined) requireSize(scope, 'storage.size', props.storage.size);
    if (props.storage.storageClassName !== undefined) requireStorageClassName(scope, 'storage.storageClassName', props.storage.storageClassName);
  }
  if (props.storageClassName !== undefined) requireStorageClassName(scope, 'storageClassName', props.storageClassName);
  if (props.labels !== undefined) requireLabels(scope, 'labels', props.labels);
  if (props.annotations !== undefined) requireAnnotations(scope, 'annotations', props.annotations);
  if (props.podAnnotations !== undefined) requireAnnotations(scope, 'podAnnotations', props.podAnnotations);
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
    if ((k === 'port' || k === 'targetPort') && typeof x !== 'object') requirePort(scope, p, x as number);
    else if (URL_PROP.test(k) && typeof x === 'string') requireUrl(scope, p, x);
    else if (k === 'storageClassName' && typeof x === 'string') requireStorageClassName(scope, p, x);
    else if (k === 'configOverride' || k === 'ini' || k === 'extraArgs') continue; // escape hatches: checked against the config reference
    else walkValues(scope, x, p);
  }
}
