import { IConstruct } from 'constructs';
import { fail } from './errors';
import { inLogqlSubset } from './logql-subset';
import { promqlSyntaxErrorAt } from './promql-parse';
import { promqlTypeErrors } from './promql-types';

// Both grammars are ESM packages that also ship a CommonJS build (`main: *.cjs`); TypeScript's node16
// resolution only sees their ESM typings, so they are loaded with require() (bundled dependencies).
// Loaded on first use: an app without rules or Loki queries does not pay for them.
let logql: LezerParser | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const logqlParser = (): LezerParser => (logql ??= require('@grafana/lezer-logql').parser);
let traceql: LezerParser | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const traceqlParser = (): LezerParser => (traceql ??= require('@grafana/lezer-traceql').parser);

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
  return pos === undefined ? undefined : parseError(query, pos);
}

function parseError(query: string, pos: number): QueryParseError {
  const line = query.replace(/\n/g, ' ');
  return { position: pos, pointer: `${line}\n${' '.repeat(pos)}^` };
}

/**
 * Parses PromQL with Prometheus' own lezer grammar (`@prometheus-io/lezer-promql`), through the shared
 * parse cache (`promql-parse.ts`: one parse and one error scan per expression shape).
 */
export function promqlError(expr: string): QueryParseError | undefined {
  if (expr.trim().length === 0) return { position: 0, pointer: '^ (empty query)' };
  const pos = promqlSyntaxErrorAt(expr);
  return pos === undefined ? undefined : parseError(expr, pos);
}

/**
 * Parses LogQL with Grafana's lezer grammar (`@grafana/lezer-logql` 0.3). A plain stream selector with
 * line filters is recognized without loading the grammar (`logql-subset.ts`: lezer parses those without
 * an error).
 */
export function logqlError(expr: string): QueryParseError | undefined {
  if (inLogqlSubset(expr)) return undefined;
  return firstError(logqlParser(), expr);
}

/** Parses TraceQL with Grafana's lezer grammar (`@grafana/lezer-traceql` 1.0). */
export function traceqlError(expr: string): QueryParseError | undefined {
  return firstError(traceqlParser(), expr);
}

/** Fails at synth with the position of the first TraceQL syntax error. */
export function requireValidTraceQL(scope: IConstruct, where: string, expr: string): string {
  const e = traceqlError(expr);
  if (e) {
    fail(scope, {
      problem: `${where}: invalid TraceQL at position ${e.position}`,
      received: `\n${e.pointer}\n`,
      expected: 'a TraceQL query that Tempo can parse, e.g. { resource.service.name = "web" && span.http.status_code >= 500 }',
      fix: 'correct the query at the marked position (try it in Grafana Explore on the Tempo datasource)',
    });
  }
  return expr;
}

/** The first type error of a PromQL expression that parses. */
export interface PromqlTypeProblem extends QueryParseError {
  /** What does not type-check (e.g. `expected type range vector in call to function "rate", got instant vector`). */
  readonly message: string;
  /** How to mend it. */
  readonly fix: string;
}

/**
 * The first PromQL type error of `expr` (checked against the function table of the pinned Prometheus),
 * or undefined. Errors at a position for which `ignoreAt` returns true are skipped (e.g. a dashboard
 * variable substituted by a placeholder whose type is unknown).
 */
export function promqlTypeProblem(expr: string, ignoreAt: (position: number) => boolean = () => false): PromqlTypeProblem | undefined {
  const t = promqlTypeErrors(expr).find((e) => !ignoreAt(e.position));
  if (!t) return undefined;
  const line = expr.replace(/\n/g, ' ');
  return { position: t.position, pointer: `${line}\n${' '.repeat(t.position)}^`, message: t.message, fix: typeFix(t.message) };
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
  const t = promqlTypeProblem(expr);
  if (t) {
    fail(scope, {
      problem: `${where}: PromQL does not type-check at position ${t.position}: ${t.message}`,
      received: `\n${t.pointer}\n`,
      expected: PROMQL_TYPES_EXPECTED,
      fix: t.fix,
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

/** What a type-checking PromQL expression is (the `expected` part of the message). */
export const PROMQL_TYPES_EXPECTED = 'a PromQL expression whose functions, aggregations and operators get arguments of the right type (instant vector, range vector, scalar, string), as Prometheus checks them';

function typeFix(message: string): string {
  if (/expected type range vector/.test(message)) return 'give the function a range vector: add a range selector such as [5m] after the series selector (e.g. rate(x[5m]))';
  if (/expected type instant vector/.test(message)) return 'pass an instant vector (a selector without [range], or a function returning one)';
  if (/argument\(s\)/.test(message)) return 'pass the number of arguments the function takes (see the PromQL function reference)';
  if (/BOOL modifier/.test(message)) return 'add the bool modifier (e.g. 1 > bool 0), or compare a vector';
  if (/unknown function/.test(message)) return 'use a function of the pinned Prometheus version (check the spelling)';
  if (/experimental/.test(message)) return 'use a stable function: experimental ones are not enabled on the Prometheus this library renders';
  if (/regular expression/.test(message)) return 'use RE2 syntax in =~ and !~ matchers (no lookaround, no backreferences)';
  return 'correct the marked sub-expression (check it with `promtool check rules` or the Prometheus UI)';
}
