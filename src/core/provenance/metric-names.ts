/** The metric names a PromQL expression selects (`foo{...}`, `foo[5m]`, `{__name__="foo"}`). */
import { PromqlNode, promqlNodes } from '../promql-parse';

/** Placeholder `substituteVariables` puts where a Grafana variable stood: never a metric name. */
const VARIABLE_PLACEHOLDER = 'grafana_variable';

/**
 * Metric names selected by `expr`, in order of appearance, without duplicates. A selector by regex on
 * `__name__` names no single metric and is left out.
 */
export function metricNamesOf(expr: string): string[] {
  const out: string[] = [];
  const add = (n: string) => {
    if (n !== VARIABLE_PLACEHOLDER && !out.includes(n)) out.push(n);
  };
  const walk = (n: PromqlNode): void => {
    if (n.name !== 'VectorSelector') {
      for (const c of n.children) walk(c);
      return;
    }
    const first = n.children[0];
    if (first && first.name === 'Identifier') add(expr.slice(first.from, first.to));
    // {__name__="foo"}
    const text = expr.slice(n.from, n.to);
    const m = /__name__\s*=\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/.exec(text);
    if (m) add(m[1]);
  };
  walk(promqlNodes(expr));
  return out;
}
