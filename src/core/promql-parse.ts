/**
 * One lezer parse per PromQL expression and process. A rule or dashboard query is parsed where it is
 * defined (syntax, then types) and again by the provenance check at synth; lezer trees are immutable, so
 * the three share one. Bounded: the cache starts over past `MAX_ENTRIES` expressions.
 */
const MAX_ENTRIES = 20_000;
const trees = new Map<string, any>();
let parser: { parse(input: string): any } | undefined;

/** The lezer tree of `expr` (`@prometheus-io/lezer-promql`, loaded on first use). */
export function parsePromQL(expr: string): any {
  let tree = trees.get(expr);
  if (tree === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parser ??= require('@prometheus-io/lezer-promql').parser as { parse(input: string): any };
    tree = parser.parse(expr);
    if (trees.size >= MAX_ENTRIES) trees.clear();
    trees.set(expr, tree);
  }
  return tree;
}
