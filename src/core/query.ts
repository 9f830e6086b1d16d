import { IConstruct } from 'constructs';
import { fail } from './errors';

// Both grammars are ESM packages that also ship a CommonJS build (`main: *.cjs`); TypeScript's node16
// resolution only sees their ESM typings, so they are loaded with require() (bundled dependencies).
// Loaded on first use: an app without rules or Loki queries does not pay for them.
let logql: LezerParser | undefined;
let promql: LezerParser | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const logqlParser = (): LezerParser => (logql ??= require('@grafana/lezer-logql').parser);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const promqlParser = (): LezerParser => (promql ??= require('@prometheus-io/lezer-promql').parser);

interface LezerParser {
  parse(input: string): any;
}

/** Where a query failed to parse. */
export interface QueryParseError {
  /** 0-based character offset of the first error. */
  readonly position: number;
  /** A caret line that points at the error. */
  readonly pointer: string;
}

function firstError(p: LezerParser, query: string): QueryParseError | undefined {
  if (query.trim().length === 0) return { position: 0, pointer: '^ (empty query)' };
  const tree = p.parse(query);
  let pos: number | undefined;
  tree.iterate({
    enter: (n: any) => {
      if (pos === undefined && n.type.isError) pos = n.from;
      return pos === undefined;
    },
  });
  if (pos === undefined) return undefined;
  const line = query.replace(/\n/g, ' ');
  return { position: pos, pointer: `${line}\n${' '.repeat(pos)}^` };
}

/** Parses PromQL with Prometheus' own lezer grammar (`@prometheus-io/lezer-promql`). */
export function promqlError(expr: string): QueryParseError | undefined {
  return firstError(promqlParser(), expr);
}

/** Parses LogQL with Grafana's lezer grammar (`@grafana/lezer-logql` 0.3). */
export function logqlError(expr: string): QueryParseError | undefined {
  return firstError(logqlParser(), expr);
}

/** Fails at synth with the position of the first PromQL syntax error. `where` names the rule or panel. */
export function requireValidPromQL(scope: IConstruct, where: string, expr: string): string {
  const e = promqlError(expr);
  if (e) {
    fail(scope, {
      problem: `${where}: invalid PromQL at position ${e.position}`,
      received: `\n${e.pointer}\n`,
      expected: 'a PromQL expression that Prometheus can parse',
      fix: 'correct the expression at the marked position (try it in the Prometheus UI or with `promtool query instant`)',
    });
  }
  return expr;
}

/** Fails at synth with the position of the first LogQL syntax error. */
export function requireValidLogQL(scope: IConstruct, where: string, expr: string): string {
  const e = logqlError(expr);
  if (e) {
    fail(scope, {
      problem: `${where}: invalid LogQL at position ${e.position}`,
      received: `\n${e.pointer}\n`,
      expected: 'a LogQL expression that Loki can parse, e.g. {app="web"} |= "error"',
      fix: 'correct the expression at the marked position (try it in Grafana Explore)',
    });
  }
  return expr;
}
