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
