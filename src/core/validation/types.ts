/**
 * Runtime type checks for props. TypeScript checks the types at compile time, but a JavaScript caller,
 * or a jsii caller in another language going through a loosely typed path, can pass the string '5m'
 * where a `Duration` is expected. Without these checks that surfaces much later as
 * `TypeError: d.toMilliseconds is not a function`, with no prop, no path and no fix.
 */
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CONSTRUCT_PROPS, PROP_TYPES, STRUCT_PROP_TYPES, STRUCT_REQUIRED_PROPS } from './prop-types.generated';
import { fail, show } from '../errors';

const DURATION_UNITS: Record<string, string> = { ms: 'millis', s: 'seconds', m: 'minutes', h: 'hours', d: 'days' };
const SIZE_UNITS: Record<string, string> = {
  k: 'kibibytes',
  ki: 'kibibytes',
  kb: 'kibibytes',
  kib: 'kibibytes',
  m: 'mebibytes',
  mi: 'mebibytes',
  mb: 'mebibytes',
  mib: 'mebibytes',
  g: 'gibibytes',
  gi: 'gibibytes',
  gb: 'gibibytes',
  gib: 'gibibytes',
  t: 'tebibytes',
  ti: 'tebibytes',
  tb: 'tebibytes',
  tib: 'tebibytes',
  p: 'pebibyte',
  pi: 'pebibyte',
  pb: 'pebibyte',
  pib: 'pebibyte',
};

/** Whether `v` behaves as a cdk8s `Duration` (duck-typed: several copies of cdk8s may be loaded). */
export function isDuration(v: unknown): v is Duration {
  return v instanceof Duration || (typeof v === 'object' && v !== null && typeof (v as any).toMilliseconds === 'function' && typeof (v as any).toSeconds === 'function');
}

/** Whether `v` behaves as a cdk8s `Size`. */
export function isSize(v: unknown): v is Size {
  return v instanceof Size || (typeof v === 'object' && v !== null && typeof (v as any).toMebibytes === 'function' && typeof (v as any).toGibibytes === 'function');
}

function durationSuggestion(v: unknown): string {
  if (typeof v === 'number') return `Duration.seconds(${v}) or Duration.millis(${v}), whichever you meant`;
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(v);
    if (m) return `Duration.${DURATION_UNITS[m[2]]}(${m[1]})`;
  }
  return 'Duration.minutes(5)';
}

function sizeSuggestion(v: unknown): string {
  if (typeof v === 'number') return `Size.gibibytes(${v}) (or Size.mebibytes(${v}))`;
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtTpP][iI]?[bB]?)\s*$/.exec(v);
    if (m) return `Size.${SIZE_UNITS[m[2].toLowerCase()]}(${m[1]})`;
  }
  return 'Size.gibibytes(10)';
}

/** Fails unless `value` is a `Duration` (optionally strictly positive). */
export function requireDuration(scope: IConstruct, prop: string, value: unknown, positive = false): Duration {
  if (!isDuration(value)) {
    fail(scope, {
      problem: `'${prop}' must be a Duration`,
      received: `${show(value)} (${value === null ? 'null' : typeof value})`,
      expected: 'a cdk8s Duration object, e.g. Duration.minutes(5); strings such as "5m" and plain numbers are not accepted',
      fix: `pass ${durationSuggestion(value)} (import { Duration } from 'cdk8s')`,
    });
  }
  const ms = value.toMilliseconds();
  if (!Number.isFinite(ms) || ms < 0 || (positive && ms === 0)) {
    fail(scope, {
      problem: `'${prop}' must be a ${positive ? 'positive' : 'non-negative'} duration`,
      received: `${ms}ms`,
      expected: `a finite Duration ${positive ? 'greater than zero' : 'of zero or more'}`,
      fix: `pass e.g. Duration.minutes(5) for '${prop}'`,
    });
  }
  return value;
}

/** Fails unless `value` is a positive `Size` of at least 1 MiB (what Kubernetes quantities we emit resolve). */
export function requireSize(scope: IConstruct, prop: string, value: unknown): Size {
  if (!isSize(value)) {
    fail(scope, {
      problem: `'${prop}' must be a Size`,
      received: `${show(value)} (${value === null ? 'null' : typeof value})`,
      expected: 'a cdk8s Size object, e.g. Size.gibibytes(10); strings such as "10GB" and plain numbers are not accepted',
      fix: `pass ${sizeSuggestion(value)} (import { Size } from 'cdk8s')`,
    });
  }
  let mib: number;
  try {
    mib = value.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  } catch {
    mib = NaN;
  }
  if (!Number.isFinite(mib) || mib < 1) {
    let kib = NaN;
    try {
      kib = value.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    } catch {
      /* reported below */
    }
    fail(scope, {
      problem: `'${prop}' must be a size of at least 1 MiB`,
      received: Number.isFinite(kib) ? `${kib} KiB` : 'a Size that cannot be converted',
      expected: 'a finite Size of 1 MiB or more (sizes are rendered in whole MiB or GiB)',
      fix: `pass e.g. Size.mebibytes(${Math.max(1, Math.ceil((Number.isFinite(kib) ? kib : 1024) / 1024))}) or Size.gibibytes(1)`,
    });
  }
  return value;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isPlainStruct(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The props struct of a construct: its class's, else the nearest base class's the table knows. */
export function propsStructOf(scope: IConstruct): string | undefined {
  for (let c: any = scope.constructor; c && c !== Object; c = Object.getPrototypeOf(c)) {
    const s = c.name ? CONSTRUCT_PROPS[c.name] : undefined;
    if (s) return s;
  }
  return undefined;
}

/**
 * Walks a props object and checks the runtime type of every prop the library's public structs type as
 * Duration, Size, string, number or boolean (`STRUCT_PROP_TYPES`, generated from `src/`). The table is
 * keyed by struct and prop: the walk starts at `struct` (by default the props struct of `scope`'s
 * construct class) and descends into props typed as this library's structs (and arrays of them) with
 * their own tables, never into free-form maps or escape hatches, so a name such as `interval` that is a
 * Duration in one struct and something else in another is checked by its type in each. Props of a
 * struct the table does not know fall back to `PROP_TYPES` (names with one type everywhere). `prefix` is
 * the prop path used in messages.
 */
export function checkPropTypes(scope: IConstruct, props: unknown, prefix = '', struct?: string): void {
  if (!isPlainStruct(props)) return;
  const table = STRUCT_PROP_TYPES[struct ?? (prefix === '' ? propsStructOf(scope) ?? '' : '')];
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    const kind: string | undefined = table ? table[k] : PROP_TYPES[k];
    const prop = prefix ? `${prefix}.${k}` : k;
    if (kind !== undefined) checkValue(scope, prop, v, kind);
  }
}

/**
 * Required props whose construct reports their absence itself, first thing, with a more specific fix
 * than the generic one (the command that creates the Secret, the construct to pass).
 */
const SELF_CHECKED_REQUIRED_PROPS: Record<string, boolean> = {
  'GrafanaProps.adminSecret': true,
  'OpenCostProps.metricsSource': true,
  'GrafanaOnCallProps.database': true,
  'GrafanaOnCallProps.redis': true,
  'GrafanaOnCallProps.secret': true,
  'GrafanaOnCallProps.grafana': true,
};

/**
 * Fails when a required prop of the construct's props struct (`struct`, by default the one of `scope`'s
 * class) is missing: TypeScript enforces it, a JavaScript caller can leave it out.
 */
export function checkRequiredProps(scope: IConstruct, props: Record<string, unknown>, struct?: string): void {
  const name = struct ?? propsStructOf(scope);
  for (const k of (name ? STRUCT_REQUIRED_PROPS[name] : undefined) ?? []) {
    if (SELF_CHECKED_REQUIRED_PROPS[`${name}.${k}`]) continue;
    if (props[k] === undefined || props[k] === null) {
      fail(scope, {
        problem: `'${k}' is required`,
        received: `${show(props[k])} (${name} has no '${k}')`,
        expected: `a value for '${k}' (${name}.${k} is not optional)`,
        fix: `pass '${k}' (see the documentation of ${name})`,
      });
    }
  }
}

/** Requires a `ResourcePreset` (duck-typed), without importing the resources module (no cycle). */
function requireResourcePreset(scope: IConstruct, prop: string, v: any): void {
  if (v === null || typeof v !== 'object' || typeof v._toKube !== 'function' || typeof v.spec !== 'object') {
    fail(scope, {
      problem: `'${prop}' must be a ResourcePreset`,
      received: `${show(v)} (${typeName(v)})`,
      expected: 'ResourcePreset.SMALL (or another preset) or ResourcePreset.custom({ cpuMillis, memory })',
      fix: `pass ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(256) }) for '${prop}'`,
    });
  }
  resourcePresetCheck?.(scope, prop, v);
}

/** The full preset check (quantities, requests at most the limits), plugged in by `./index` (no import cycle). */
let resourcePresetCheck: ((scope: IConstruct, prop: string, preset: any) => void) | undefined;
/** @internal */
export function _setResourcePresetCheck(check: (scope: IConstruct, prop: string, preset: any) => void): void {
  resourcePresetCheck = check;
}

function checkValue(scope: IConstruct, prop: string, v: unknown, kind: string): void {
  switch (kind) {
    case 'ResourcePreset':
      requireResourcePreset(scope, prop, v);
      return;
    case 'Duration':
      requireDuration(scope, prop, v);
      return;
    case 'Size':
      requireSize(scope, prop, v);
      return;
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof v !== kind) {
        fail(scope, {
          problem: `'${prop}' must be a ${kind}`,
          received: `${show(v)} (${typeName(v)})`,
          expected: `a ${kind}`,
          fix: kind === 'number' && typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)
            ? `pass ${v} without quotes`
            : kind === 'boolean' && (v === 'true' || v === 'false') ? `pass ${v} without quotes` : `pass '${prop}' as a ${kind}`,
        });
      }
      return;
    default: {
      // 'struct' (by name alone) or 'struct:<Name>' (keyed): descend, with the nested struct's table when known
      const nested = kind.startsWith('struct:') ? kind.slice('struct:'.length) : undefined;
      if (nested === undefined && kind !== 'struct') return;
      if (Array.isArray(v)) v.forEach((e, i) => checkPropTypes(scope, e, `${prop}[${i}]`, nested));
      else checkPropTypes(scope, v, prop, nested);
    }
  }
}
