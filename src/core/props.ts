import { IConstruct } from 'constructs';
import { ComponentProps } from './component';
import { fail, show } from './errors';
import { TolerationOperator } from './scheduling';
import { validateSharedProps } from './validation';

/** Label keys Kubernetes accepts: an optional DNS prefix and a name of at most 63 characters. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** Label values: empty, or at most 63 characters of `[A-Za-z0-9_.-]`, alphanumeric at both ends. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * The single place where the shared props of a component are validated when they enter (called by
 * the `Component` constructor before anything is rendered). Validators for single values (names,
 * label keys, quantities, ports, URLs) plug in here, so every component checks them the same way.
 */
export function validateComponentProps(scope: IConstruct, props: ComponentProps): void {
  validateSharedProps(scope, props, { required: true });
  // the component's Services are named from 'name': Kubernetes wants a DNS-1035 label there
  if (typeof props.name === 'string' && /^[0-9]/.test(props.name)) {
    fail(scope, {
      problem: "'name' starts with a digit, but it names the component's Service (a DNS-1035 label)",
      received: show(props.name),
      expected: 'a name starting with a lowercase letter (Service names are DNS-1035 labels: [a-z]([-a-z0-9]*[a-z0-9])?)',
      fix: `use a name like ${show(`x-${props.name}`)}`,
    });
  }
  validateLabelMap(scope, 'nodeSelector', props.nodeSelector);
  validateLabelMap(scope, 'serviceMonitorLabels', props.serviceMonitorLabels);
  (props.tolerations ?? []).forEach((t, i) => {
    if (t.operator === TolerationOperator.EXISTS && t.value !== undefined) {
      fail(scope, {
        problem: `tolerations[${i}] has a 'value' with operator Exists`,
        received: show(t),
        expected: 'operator Exists without a value, or operator Equal with a value',
        fix: "remove 'value', or use TolerationOperator.EQUAL",
      });
    }
    if ((t.key === undefined || t.key === '') && t.operator !== TolerationOperator.EXISTS) {
      fail(scope, {
        problem: `tolerations[${i}] has no key but operator ${show(t.operator ?? 'Equal')}`,
        received: show(t),
        expected: 'a key, or operator Exists (which with no key tolerates every taint)',
        fix: 'set a key, or use TolerationOperator.EXISTS',
      });
    }
    if (t.key !== undefined && t.key !== '' && !LABEL_KEY.test(t.key)) {
      fail(scope, { problem: `tolerations[${i}].key is not a valid taint key`, received: show(t.key), expected: 'a label key such as "node-role.kubernetes.io/control-plane"', fix: 'use the key of the taint as shown by kubectl describe node' });
    }
  });
}

/** Validates a map of label keys and values. */
export function validateLabelMap(scope: IConstruct, prop: string, labels: { [key: string]: string } | undefined): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!LABEL_KEY.test(k) || k.length > 317) {
      fail(scope, {
        problem: `'${prop}' has a key that is not a valid label key`,
        received: show(k),
        expected: 'an optional DNS prefix and "/", then at most 63 of [A-Za-z0-9_.-], alphanumeric at both ends',
        fix: `rename the key, e.g. ${show(k.replace(/[^A-Za-z0-9_./-]/g, '-'))}`,
      });
    }
    if (typeof v !== 'string' || !LABEL_VALUE.test(v)) {
      fail(scope, {
        problem: `'${prop}' has a value for ${show(k)} that is not a valid label value`,
        received: show(v),
        expected: 'at most 63 of [A-Za-z0-9_.-], alphanumeric at both ends (or empty)',
        fix: 'shorten or sanitize the value',
      });
    }
  }
}
