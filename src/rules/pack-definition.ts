/**
 * How a rule pack defines one tunable alert (internal: not part of the jsii API). The expression and the
 * description are built from the current thresholds, rendered as exact decimals.
 */
import { Duration } from 'cdk8s';
import { AlertSeverity } from './alert-rule';

/** One threshold of a pack alert and its valid range. */
export interface PackThreshold {
  /** Key in `AlertOverride.thresholds`. */
  readonly name: string;
  /** Default value. */
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  readonly minInclusive?: boolean;
  readonly maxInclusive?: boolean;
  readonly integer?: boolean;
  /** Unit and meaning, for messages and docs. */
  readonly unit: string;
}

/** One alert of a pack. */
export interface PackAlertDefinition {
  readonly group: string;
  /** Evaluation interval of the group (only read when the group is created). */
  readonly groupInterval?: Duration;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly pendingFor?: Duration;
  readonly keepFiringFor?: Duration;
  readonly thresholds?: PackThreshold[];
  /** The expression for the current thresholds (decimal strings by name). */
  readonly query: (t: Record<string, string>) => string;
  readonly summary: string;
  /** The description for the current thresholds and pending period (`5m`, or '' for none). */
  readonly details: string | ((t: Record<string, string>, pendingFor: string) => string);
  readonly labels?: Record<string, string>;
  readonly runbookUrl?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** Metric names the expression reads (provenance, docs). */
  readonly metrics: string[];
}

/** A threshold in `(0, 1)`. */
export function ratio(name: string, value: number, unit: string): PackThreshold {
  return { name, value, min: 0, max: 1, unit };
}

/** A threshold `> 0`. */
export function positive(name: string, value: number, unit: string, integer = false): PackThreshold {
  return { name, value, min: 0, unit, integer };
}

/** A threshold `>= 0`. */
export function nonNegative(name: string, value: number, unit: string, integer = false): PackThreshold {
  return { name, value, min: 0, minInclusive: true, unit, integer };
}

/** A percentage in `(0, 100)`. */
export function percent(name: string, value: number, unit: string): PackThreshold {
  return { name, value, min: 0, max: 100, unit };
}
