import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Object names in this library are *stable*: they come from the `name` prop of a component (with a fixed
 * default such as `loki`), never from the construct path hash. Moving a construct in the tree therefore
 * never renames a StatefulSet (which would orphan its PVCs) or changes an immutable selector.
 *
 * Fails when `name` is not a valid DNS-1123 label of at most `maxLength` characters (leaving room for
 * the suffixes the component appends, e.g. `-headless`, `-ingester-0`).
 */
export function validateName(scope: IConstruct, prop: string, name: string, maxLength = 40): string {
  if (!DNS1123_LABEL.test(name) || name.length > maxLength) {
    fail(scope, {
      problem: `'${prop}' is not a valid Kubernetes object name`,
      received: show(name),
      expected: `a DNS-1123 label: lowercase letters, digits and '-', starting and ending alphanumeric, at most ${maxLength} characters`,
      fix: `choose a name like ${show(name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength) || 'my-component')}`,
    });
  }
  return name;
}

/** Validates a namespace name (DNS-1123 label, at most 63 chars). */
export function validateNamespace(scope: IConstruct, prop: string, ns: string): string {
  return validateName(scope, prop, ns, 63);
}

/** Joins name parts with '-'. */
export function childName(base: string, ...suffix: string[]): string {
  return [base, ...suffix.filter((s) => s.length > 0)].join('-');
}

/**
 * The namespace every component lands in when neither its `namespace` prop nor its Chart names one
 * (kube-prometheus uses the same single value for every component).
 */
export const DEFAULT_NAMESPACE = 'monitoring';

/**
 * Home of the node agents (node-exporter, log collectors): they need host access, so Pod Security
 * "privileged" must be enforced there, and the stack namespace stays "restricted".
 */
export const AGENTS_NAMESPACE = 'monitoring-agents';

/**
 * The one namespace rule of the library: the `namespace` prop, then the namespace of the enclosing
 * Chart, then `fallback` (`monitoring`; `monitoring-agents` for node agents). Validated as a DNS-1123 label.
 */
export function resolveNamespace(scope: IConstruct, namespace: string | undefined, fallback: string = DEFAULT_NAMESPACE): string {
  const resolved = namespace ?? chartNamespace(scope) ?? fallback;
  return validateNamespace(scope, 'namespace', resolved);
}

/** The namespace of the Chart enclosing `scope`, if it has one. */
export function chartNamespace(scope: IConstruct): string | undefined {
  try {
    return Chart.of(scope).namespace;
  } catch {
    return undefined; // not inside a Chart
  }
}

/**
 * kebab-case of a construct id, for object names derived from ids: `PlatformAlerts` → `platform-alerts`,
 * `HTTPErrors5xx` → `http-errors5xx`, `my_rules` → `my-rules`.
 */
export function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** An object name derived from a construct id (kebab-cased, then validated). */
export function nameFromId(scope: IConstruct, prop: string, name: string | undefined, maxLength = 63): string {
  return validateName(scope, prop, name ?? kebabCase(scope.node.id), maxLength);
}
