import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** The taint's value must equal `value`. */
  EQUAL = 'Equal',
  /** Any value (and, with no `key`, any taint). */
  EXISTS = 'Exists',
}

/** The effect of a taint a toleration matches. */
export enum TaintEffect {
  /** Pods are not scheduled onto the node. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running pods are evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** A toleration of the pods of a component (the Kubernetes `Toleration`, with enums). */
export interface Toleration {
  /** Taint key; empty with `EXISTS` matches every taint. @default - every key (only with TolerationOperator.EXISTS) */
  readonly key?: string;
  /** @default TolerationOperator.EQUAL */
  readonly operator?: TolerationOperator;
  /** Taint value (only with `EQUAL`). @default - none */
  readonly value?: string;
  /** Effect matched. @default - every effect */
  readonly effect?: TaintEffect;
  /** For `NO_EXECUTE`: seconds the pod stays bound after the taint appears. @default - forever */
  readonly tolerationSeconds?: number;
}

/** Tolerates every taint: node agents run on every node, control plane included. */
export const TOLERATE_ALL: Toleration[] = [{ operator: TolerationOperator.EXISTS }];

/** Renders tolerations to the Kubernetes type. */
export function toKubeTolerations(tolerations: Toleration[] | undefined): k8s.Toleration[] | undefined {
  if (!tolerations || tolerations.length === 0) return undefined;
  return tolerations.map((t) => ({
    key: t.key,
    operator: t.operator,
    value: t.value,
    effect: t.effect,
    tolerationSeconds: t.tolerationSeconds,
  }));
}
