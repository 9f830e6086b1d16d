import { parsePromqlSubset } from './promql-subset';

/**
 * The tree of every expression in the common subset comes from `parsePromqlSubset` (the same tree lezer
 * builds, without loading or running lezer); only the others are parsed with lezer, as follows.
 *
 * One lezer parse per PromQL expression shape and process. A rule or dashboard query is parsed where it
 * is defined (syntax, then types) and again by the provenance check at synth; lezer trees are immutable,
 * so the three share one.
 *
 * Expressions that differ only inside their string literals (`job="svc-1"` and `job="svc-2"`: generated
 * rules, a pack per team) have the same tree: a lezer tree holds node types and offsets, never text, and
 * the content of a string literal does not change where the literal ends (`promqlShape`). So the parse
 * is keyed by the shape, the expression with every string literal's content blanked to the same length.
 * A shape whose tree has a syntax error is not shared (error recovery may tokenize inside a literal): the
 * expression itself is parsed. The first error, and the tree as plain nodes for the type check, are
 * derived once per tree. Bounded: the caches start over past `MAX_ENTRIES` expressions.
 */
const MAX_ENTRIES = 20_000;
const subsetTrees = new Map<string, PromqlNode | null>();
const subsetShapes = new Map<string, PromqlNode | null>();
const trees = new Map<string, any>();
const shapes = new Map<string, any>();
let parser: { parse(input: string): any } | undefined;

function lezerParse(text: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser ??= require('@prometheus-io/lezer-promql').parser as { parse(input: string): any };
  return parser.parse(text);
}

/** The lezer tree of `expr` (`@prometheus-io/lezer-promql`, loaded on first use). */
export function parsePromQL(expr: string): any {
  let tree = trees.get(expr);
  if (tree === undefined) {
    const shape = promqlShape(expr);
    if (shape === undefined || shape === expr) {
      tree = lezerParse(expr);
    } else {
      tree = shapes.get(shape);
      if (tree === undefined) {
        tree = lezerParse(shape);
        if (firstErrorOf(tree) !== undefined) tree = null; // not shared: parse each expression itself
        if (shapes.size >= MAX_ENTRIES) shapes.clear();
        shapes.set(shape, tree);
      }
      if (tree === null) tree = lezerParse(expr);
    }
    if (trees.size >= MAX_ENTRIES) trees.clear();
    trees.set(expr, tree);
  }
  return tree;
}

/**
 * `expr` with the content of each string literal replaced by as many `a`s, or undefined when a literal
 * is not closed on its line (then the parse is not shared). Follows the grammar's tokens: `"..."` and
 * `'...'` with backslash escapes of any character and no newline, `` `...` `` raw, `#` comments to the
 * end of the line (quotes in a comment start nothing); no other token contains a quote or `#`.
 */
export function promqlShape(expr: string): string | undefined {
  let out: string | undefined;
  let done = 0; // expr[0, done) is in `out`
  const n = expr.length;
  for (let i = 0; i < n; i++) {
    const c = expr.charCodeAt(i);
    if (c === 35 /* # */) {
      const nl = expr.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
    } else if (c === 34 /* " */ || c === 39 /* ' */ || c === 96 /* ` */) {
      let j = i + 1;
      if (c === 96) {
        j = expr.indexOf('`', j);
        if (j < 0) return undefined;
      } else {
        for (; j < n; j++) {
          const d = expr.charCodeAt(j);
          if (d === 92 /* \ */) j++;
          else if (d === c) break;
          else if (d === 10 /* \n */) return undefined;
        }
        if (j >= n) return undefined;
      }
      // expr[i] and expr[j] are the quotes
      if (j > i + 1) {
        out = (out ?? '') + expr.slice(done, i + 1) + 'a'.repeat(j - i - 1);
        done = j;
      }
      i = j;
    }
  }
  return out === undefined ? expr : out + expr.slice(done);
}

/** A node of a PromQL tree, as plain data (the type check walks it). `⚠` names an error node. */
export interface PromqlNode {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly children: PromqlNode[];
}

const ERRORS = new WeakMap<object, number | null>();
const NODES = new WeakMap<object, PromqlNode>();

function firstErrorOf(tree: any): number | undefined {
  let pos = ERRORS.get(tree);
  if (pos === undefined) {
    let found: number | null = null;
    const cursor = tree.cursor();
    do {
      if (cursor.type.isError) {
        found = cursor.from;
        break;
      }
    } while (cursor.next());
    pos = found;
    ERRORS.set(tree, pos);
  }
  return pos === null ? undefined : pos;
}

/**
 * The subset parser's tree of `expr` (undefined: lezer parses it), shared by every expression of the same
 * shape like lezer's trees: the subset parser reads no string literal's content either (a tree it builds
 * is lezer's, which is the same for every expression of the shape).
 */
function subsetTree(expr: string): PromqlNode | undefined {
  let tree = subsetTrees.get(expr);
  if (tree === undefined) {
    const shape = promqlShape(expr) ?? expr;
    tree = subsetShapes.get(shape);
    if (tree === undefined) {
      tree = parsePromqlSubset(shape) ?? null;
      if (subsetShapes.size >= MAX_ENTRIES) subsetShapes.clear();
      subsetShapes.set(shape, tree);
    }
    if (subsetTrees.size >= MAX_ENTRIES) subsetTrees.clear();
    subsetTrees.set(expr, tree);
  }
  return tree ?? undefined;
}

/** Offset of the first syntax error of `expr` (pre-order, as lezer's `iterate` meets it), or undefined. */
export function promqlSyntaxErrorAt(expr: string): number | undefined {
  if (subsetTree(expr) !== undefined) return undefined; // lezer parses it without an error
  return firstErrorOf(parsePromQL(expr));
}

/** The tree of `expr` as plain nodes, built once per expression or lezer tree. Callers must not modify it. */
export function promqlNodes(expr: string): PromqlNode {
  const subset = subsetTree(expr);
  if (subset !== undefined) return subset;
  const tree = parsePromQL(expr);
  let top = NODES.get(tree);
  if (top === undefined) {
    top = toNodes(tree.cursor());
    NODES.set(tree, top);
  }
  return top;
}

function toNodes(cursor: any): PromqlNode {
  const name: string = cursor.type.isError ? '⚠' : cursor.name;
  const from: number = cursor.from;
  const to: number = cursor.to;
  const children: PromqlNode[] = [];
  if (cursor.firstChild()) {
    do children.push(toNodes(cursor)); while (cursor.nextSibling());
    cursor.parent();
  }
  return { name, from, to, children };
}
