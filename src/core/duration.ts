import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const UNITS: Array<[string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * Formats a duration the way Prometheus, Alertmanager, Loki, Tempo and Mimir accept it
 * (`1h30m`, `15s`, `2w`, `500ms`). Units larger than hours are only used when exact (`7d`, not `6d23h...`).
 *
 * Never use `Duration.toHumanString()` in configs: its output (`1 hour 30 minutes`) is not parseable there.
 */
export function promDuration(d: Duration): string {
  let ms = Math.round(d.toMilliseconds());
  if (ms === 0) return '0s';
  let out = '';
  for (const [unit, size] of UNITS) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      out += `${n}${unit}`;
      ms -= n * size;
    }
  }
  return out;
}

/**
 * Formats a duration with units Go's `time.ParseDuration` accepts (h, m, s, ms): Loki/Tempo/Mimir fields
 * typed `duration` in their reference use this; `model.Duration` fields (retention) accept `promDuration`.
 */
export function goDuration(d: Duration): string {
  let ms = Math.round(d.toMilliseconds());
  if (ms === 0) return '0s';
  let out = '';
  for (const [unit, size] of UNITS.filter(([u]) => ['h', 'm', 's', 'ms'].includes(u))) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      out += `${n}${unit}`;
      ms -= n * size;
    }
  }
  return out;
}

/** Fails unless `d` is strictly positive. `name` is the prop name used in the message. */
export function requirePositive(scope: IConstruct, name: string, d: Duration | undefined): void {
  if (d === undefined) return;
  const ms = d.toMilliseconds();
  if (!(ms > 0)) {
    fail(scope, {
      problem: `'${name}' must be a positive duration`,
      received: `${ms}ms`,
      expected: 'a duration greater than zero, e.g. Duration.seconds(30)',
      fix: `pass a positive Duration for '${name}', or leave it unset to use the default`,
    });
  }
}

/** Fails unless `d` is at least `min`. */
export function requireAtLeast(scope: IConstruct, name: string, d: Duration | undefined, min: Duration, why: string): void {
  if (d === undefined) return;
  requirePositive(scope, name, d);
  if (d.toMilliseconds() < min.toMilliseconds()) {
    fail(scope, {
      problem: `'${name}' is too short: ${why}`,
      received: promDuration(d),
      expected: `at least ${promDuration(min)}`,
      fix: `set '${name}' to ${promDuration(min)} or more`,
    });
  }
}
