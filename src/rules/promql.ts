import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { promqlError } from '../core/query';

/** Internal PromQL building helpers for the rule packs. */

/** `metric{a,b}` from non-empty matcher lists (each may already hold several comma-separated matchers). */
export function series(metric: string, ...matchers: Array<string | undefined>): string {
  const m = matchers.map((x) => (x ?? '').trim().replace(/^,|,$/g, '')).filter((x) => x.length > 0);
  return m.length === 0 ? metric : `${metric}{${m.join(', ')}}`;
}

/** Fails unless `matchers` is a comma-separated list of PromQL label matchers (`job="a", code=~"5.."`). */
export function requireMatchers(scope: IConstruct, prop: string, matchers: string | undefined): string {
  const m = (matchers ?? '').trim();
  if (m.length === 0) return m;
  const e = promqlError(`x{${m}}`);
  if (e || /[{}]/.test(m)) {
    fail(scope, {
      problem: `'${prop}' is not a list of PromQL label matchers${e ? ` (error at position ${Math.max(0, e.position - 2)})` : ''}`,
      received: show(matchers),
      expected: 'matchers without braces, e.g. job="frontend" or code=~"5..", several separated by commas',
      fix: `write '${prop}' as it would appear inside {…} of a selector`,
    });
  }
  return m;
}

/** Fails unless `name` is a valid metric name. */
export function requireMetricName(scope: IConstruct, prop: string, name: string, suffix?: string): string {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name ?? '') || (suffix && !name.endsWith(suffix))) {
    fail(scope, {
      problem: `'${prop}' is not a valid metric name${suffix ? ` ending in '${suffix}'` : ''}`,
      received: show(name),
      expected: `a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*${suffix ? `, ending in '${suffix}' (e.g. "http_request_duration_seconds${suffix}")` : ''}`,
      fix: `pass the metric name exactly as the service exposes it${suffix ? ` (the classic histogram's ${suffix} series)` : ''}`,
    });
  }
  return name;
}

/** Escapes a string for a PromQL double-quoted label value. */
export function quote(v: string): string {
  return JSON.stringify(v);
}
