/**
 * LogQL rules as Loki's ruler validates them (`pkg/ruler/compat.go` `ValidateGroups`/`validateRule`
 * and `grouploader.go` of grafana/loki v3.7.6): alerting and recording rules must be metric queries
 * (a log query returns streams, which a rule cannot evaluate), names and labels must be valid, the
 * alert templates must parse, and every regular expression (stream matchers, line filters, label
 * filters, the `regexp` parser) must compile as RE2, the syntax of Go's regexp package.
 */
import { IConstruct } from 'constructs';
import { fail, LgtmErrorDetails, show } from './errors';
import { goTemplateErrors } from './gotemplate';
import { logqlError } from './query';
import { re2Error } from './re2';

// loaded on first use: an app without LogQL rules does not pay for the grammar
let logql: { parse(input: string): any } | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const logqlParser = (): { parse(input: string): any } => (logql ??= require('@grafana/lezer-logql').parser);

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const REGEX_OPS = new Set(['Re', 'Nre', 'PipeMatch', 'Npa', 'Regexp']);

function unquote(lit: string): string {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  try {
    return JSON.parse(lit);
  } catch {
    return lit.slice(1, -1);
  }
}

/** Whether a (parsing) LogQL expression is a metric query (what rules need), not a log query. */
export function logqlIsMetricQuery(expr: string): boolean {
  const top = logqlParser().parse(expr).topNode.firstChild; // Expr
  const first = top?.firstChild;
  return first?.name === 'MetricExpr';
}

/** RE2 errors of every regular expression in a LogQL expression. */
export function logqlRegexErrors(expr: string): Array<{ regex: string; error: string }> {
  const out: Array<{ regex: string; error: string }> = [];
  const tree = logqlParser().parse(expr);
  let pendingRegex = false;
  tree.iterate({
    enter: (n: any) => {
      if (REGEX_OPS.has(n.name)) {pendingRegex = true;} else if (n.name === 'String' && pendingRegex) {
        pendingRegex = false;
        const re = unquote(expr.slice(n.from, n.to));
        const e = re2Error(re);
        if (e) out.push({ regex: re, error: e });
      } else if (['Eq', 'Neq', 'PipeExact', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte'].includes(n.name)) {
        pendingRegex = false; // a matcher or filter that is not a regex
      }
      return true;
    },
  });
  return out;
}

/** One LogQL rule, as rendered into the ruler's rule file. */
export interface LokiRuleSpec {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Every reason Loki's ruler would refuse the rule (empty when it loads). */
export function lokiRuleErrors(rule: LokiRuleSpec, group: string): LgtmErrorDetails[] {
  const out: LgtmErrorDetails[] = [];
  const name = rule.alert ?? rule.record ?? '';
  const where = `Loki rule ${show(name)} in group ${show(group)}`;
  if (typeof group !== 'string' || group.trim() === '' || group !== group.trim()) {
    out.push({ problem: 'Loki rule group name must not be empty or padded with whitespace (Groupname must not be empty)', received: show(group), expected: 'a group name such as "app-errors"', fix: "set 'group' to a non-empty name" });
  }
  if (rule.alert !== undefined && (rule.alert.trim() === '' || rule.alert !== rule.alert.trim() || /[\n\r]/.test(rule.alert))) {
    out.push({ problem: `${where}: the alert name must be a non-empty single line without surrounding whitespace`, received: show(rule.alert), expected: 'an alert name such as "AppErrorBurst"', fix: 'pass a CamelCase alert name' });
  }
  if (rule.record !== undefined && !METRIC_NAME.test(rule.record)) {
    out.push({ problem: `${where}: invalid recording rule name`, received: show(rule.record), expected: 'a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. "app:log_errors:rate5m"', fix: 'rename the recording rule' });
  }
  const parse = logqlError(rule.expr);
  if (!parse) {
    if (!logqlIsMetricQuery(rule.expr)) {
      out.push({
        problem: `${where}: the expression is a log query, but rules need a metric query (the ruler refuses it: invalid rule expression)`,
        received: show(rule.expr),
        expected: 'a LogQL metric query, e.g. sum by (app) (count_over_time({app="web"} |= "error" [5m])) > 10',
        fix: 'wrap the log query in a range aggregation such as count_over_time(... [5m]) or rate(... [5m]), and compare it to a threshold',
      });
    }
    for (const r of logqlRegexErrors(rule.expr)) {
      out.push({ problem: `${where}: the regular expression ${show(r.regex)} does not compile as RE2 (${r.error})`, received: show(rule.expr), expected: 'RE2 regular expressions (Go regexp syntax: no lookaround, no backreferences)', fix: 'rewrite the regular expression; a negative lookahead becomes a separate != or !~ filter' });
    }
  }
  for (const [k, v] of Object.entries(rule.labels ?? {})) {
    if (!LABEL_NAME.test(k) || k === '__name__') out.push({ problem: `${where}: invalid label name: ${k}`, received: show(k), expected: 'a label name matching [a-zA-Z_][a-zA-Z0-9_]*, not __name__', fix: `rename the label, e.g. ${show(k.replace(/[^a-zA-Z0-9_]/g, '_'))}` });
    if (rule.alert !== undefined) for (const e of goTemplateErrors(v)) out.push({ problem: `${where}: label '${k}' is not a valid Go template: ${e.message}`, received: show(v), expected: 'a Go template with balanced {{…}} actions and known functions', fix: 'correct the template' });
  }
  for (const [k, v] of Object.entries(rule.annotations ?? {})) {
    if (!LABEL_NAME.test(k)) out.push({ problem: `${where}: invalid annotation name: ${k}`, received: show(k), expected: 'an annotation name matching [a-zA-Z_][a-zA-Z0-9_]*', fix: `rename the annotation, e.g. ${show(k.replace(/[^a-zA-Z0-9_]/g, '_'))}` });
    if (rule.record !== undefined) out.push({ problem: `${where}: invalid field 'annotations' in recording rule`, received: show(rule.annotations), expected: 'no annotations on a recording rule', fix: 'remove the annotations' });
    else for (const e of goTemplateErrors(v)) out.push({ problem: `${where}: annotation '${k}' is not a valid Go template: ${e.message}`, received: show(v), expected: 'a Go template with balanced {{…}} actions and known functions', fix: 'correct the template (e.g. {{ $labels.app }}, {{ $value }})' });
  }
  return out;
}

/** Fails with the first reason Loki's ruler would refuse the rule. */
export function requireLokiRule(scope: IConstruct, rule: LokiRuleSpec, group: string): void {
  const errs = lokiRuleErrors(rule, group);
  if (errs.length > 0) fail(scope, errs[0]);
}
