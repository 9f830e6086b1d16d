/**
 * A parser for the common subset of PromQL that builds exactly the tree `@prometheus-io/lezer-promql`
 * builds (the grammar of `promql.grammar` at the version in package.json, node names and offsets as
 * `toNodes` of promql-parse.ts reads them), for expressions that lezer parses without an error.
 *
 * It exists for speed: the shipped rule packs and dashboards hold a few hundred distinct expressions, and
 * lezer's table-driven parser costs about 0.15 ms per expression on a cold process (and 10 ms to load).
 * This one reads each expression once, left to right, and stops at the first thing outside its subset:
 * it returns `undefined`, and the caller parses with lezer, which also reports every syntax error. So
 * the subset decides nothing about validity; it only answers early for the plain cases:
 *
 * - selectors `name{label op "value", ...}` (unquoted label names; `=`, `!=`, `=~`, `!~`);
 * - numbers (decimal, exponent) and durations (`5m`, `1h30m`) without `_`, hex, `inf` or `nan`;
 * - string literals closed on their line;
 * - function calls and aggregations by their lowercase names, with `by`/`without` before or after;
 * - binary operators (no `</`, `>/`, `atan2`), with `bool`, `on`/`ignoring` and `group_left`/`group_right`;
 * - `[d]`, `[d:]`, `[d:d]` and `offset d` with a single number or duration.
 *
 * Left to lezer: unary signs (lezer's `~signed` ambiguity), `@`, comments, quoted label names, duration
 * arithmetic, fill modifiers, `smoothed`/`anchored`, any keyword or function name used as a metric name
 * or in another case, and anything else. Postfix operators (`[...]`, `offset`) follow lezer's grammar:
 * they apply to the whole expression before them in the same parentheses (`a + b[5m]` is a matrix of
 * `a + b`), which the type check then rejects as Prometheus does.
 *
 * test/core/promql-subset.test.ts compares it with lezer on every expression in dist/ and on generated
 * ones (valid, near-valid and broken).
 */
import type { PromqlNode } from './promql-parse';

/** Lezer's node name of each function, by the name written in PromQL (case-sensitive there). */
const FUNCTIONS: Record<string, string> = {
  abs: 'Abs',
  absent: 'Absent',
  absent_over_time: 'AbsentOverTime',
  acos: 'Acos',
  acosh: 'Acosh',
  asin: 'Asin',
  asinh: 'Asinh',
  atan: 'Atan',
  atanh: 'Atanh',
  avg_over_time: 'AvgOverTime',
  ceil: 'Ceil',
  changes: 'Changes',
  clamp: 'Clamp',
  clamp_max: 'ClampMax',
  clamp_min: 'ClampMin',
  cos: 'Cos',
  cosh: 'Cosh',
  count_over_time: 'CountOverTime',
  days_in_month: 'DaysInMonth',
  day_of_month: 'DayOfMonth',
  day_of_week: 'DayOfWeek',
  day_of_year: 'DayOfYear',
  deg: 'Deg',
  delta: 'Delta',
  deriv: 'Deriv',
  exp: 'Exp',
  first_over_time: 'FirstOverTime',
  floor: 'Floor',
  histogram_avg: 'HistogramAvg',
  histogram_count: 'HistogramCount',
  histogram_fraction: 'HistogramFraction',
  histogram_quantile: 'HistogramQuantile',
  histogram_quantiles: 'HistogramQuantiles',
  histogram_stddev: 'HistogramStdDev',
  histogram_stdvar: 'HistogramStdVar',
  histogram_sum: 'HistogramSum',
  double_exponential_smoothing: 'DoubleExponentialSmoothing',
  hour: 'Hour',
  idelta: 'Idelta',
  increase: 'Increase',
  info: 'Info',
  irate: 'Irate',
  label_replace: 'LabelReplace',
  label_join: 'LabelJoin',
  last_over_time: 'LastOverTime',
  ln: 'Ln',
  log10: 'Log10',
  log2: 'Log2',
  mad_over_time: 'MadOverTime',
  max_over_time: 'MaxOverTime',
  min_over_time: 'MinOverTime',
  ts_of_first_over_time: 'TsOfFirstOverTime',
  ts_of_max_over_time: 'TsOfMaxOverTime',
  ts_of_min_over_time: 'TsOfMinOverTime',
  ts_of_last_over_time: 'TsOfLastOverTime',
  minute: 'Minute',
  month: 'Month',
  pi: 'Pi',
  predict_linear: 'PredictLinear',
  present_over_time: 'PresentOverTime',
  quantile_over_time: 'QuantileOverTime',
  rad: 'Rad',
  rate: 'Rate',
  resets: 'Resets',
  round: 'Round',
  scalar: 'Scalar',
  sgn: 'Sgn',
  sin: 'Sin',
  sinh: 'Sinh',
  sort: 'Sort',
  sort_desc: 'SortDesc',
  sort_by_label: 'SortByLabel',
  sort_by_label_desc: 'SortByLabelDesc',
  start_timestamp: 'StartTimestamp',
  sqrt: 'Sqrt',
  stddev_over_time: 'StddevOverTime',
  stdvar_over_time: 'StdvarOverTime',
  sum_over_time: 'SumOverTime',
  tan: 'Tan',
  tanh: 'Tanh',
  time: 'Time',
  timestamp: 'Timestamp',
  vector: 'Vector',
  year: 'Year',
};

/** Lezer's node name of each aggregation operator (written in any case; only lowercase is taken here). */
const AGGREGATIONS: Record<string, string> = {
  avg: 'Avg',
  bottomk: 'Bottomk',
  count: 'Count',
  count_values: 'CountValues',
  group: 'Group',
  max: 'Max',
  min: 'Min',
  quantile: 'Quantile',
  limitk: 'LimitK',
  limit_ratio: 'LimitRatio',
  stddev: 'Stddev',
  stdvar: 'Stdvar',
  sum: 'Sum',
  topk: 'Topk',
};

/**
 * Words the grammar gives a meaning somewhere (keywords, contextual keywords, function and duration
 * function names). One of them in any case, where this parser does not take it in its role, ends the
 * subset: lezer decides what it is there.
 */
const RESERVED = new Set([
  ...Object.keys(FUNCTIONS), ...Object.keys(AGGREGATIONS),
  'inf', 'nan', 'bool', 'ignoring', 'on', 'group_left', 'group_right', 'offset', 'atan2', 'by', 'without', 'and', 'or',
  'unless', 'start', 'end', 'smoothed', 'anchored', 'fill', 'fill_left', 'fill_right', 'step', 'range', 'min_of', 'max_of',
]);

/** Binary operators: node name, precedence (higher binds tighter) and right associativity. */
interface BinaryOp { readonly name: string; readonly prec: number; readonly right: boolean }
const POW: BinaryOp = { name: 'Pow', prec: 6, right: true };
const WORD_OPS: Record<string, BinaryOp> = {
  and: { name: 'And', prec: 2, right: false },
  unless: { name: 'Unless', prec: 2, right: false },
  or: { name: 'Or', prec: 1, right: false },
};
const op = (name: string, prec: number): BinaryOp => ({ name, prec, right: false });
const MUL = op('Mul', 5), DIV = op('Div', 5), MOD = op('Mod', 5), ADD = op('Add', 4), SUB = op('Sub', 4);
const EQL = op('Eql', 3), NEQ = op('Neq', 3), LTE = op('Lte', 3), LSS = op('Lss', 3), GTE = op('Gte', 3), GTR = op('Gtr', 3);

/** Thrown inside the parser when the text leaves the subset; never escapes `parsePromqlSubset`. */
class Outside {}
const OUTSIDE = new Outside();

const leaf = (name: string, from: number, to: number): PromqlNode => ({ name, from, to, children: [] });
const node = (name: string, children: PromqlNode[]): PromqlNode =>
  ({ name, from: children[0].from, to: children[children.length - 1].to, children });

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 /* _ */ || c === 58 /* : */;
}
function isLabelChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}
const isDigit = (c: number) => c >= 48 && c <= 57;
/** Characters that may not follow a number (they would extend it or make another token of it). */
const isNumberChar = (c: number) => isLabelChar(c) || c === 46 /* . */;
/** Characters that may not follow a keyword (it would be part of a longer name). */
const isNameChar = (c: number) => isLabelChar(c) || c === 58 /* : */;

/** Duration units in the order the grammar's `duration` token allows them. */
const UNIT_RANK: Record<number, number> = { 121: 0 /* y */, 119: 1 /* w */, 100: 2 /* d */, 104: 3 /* h */, 109: 4 /* m */, 115: 5 /* s */ };

/**
 * The lezer tree of `expr` as plain nodes when `expr` is in the subset (then lezer parses it without an
 * error and builds the same tree), otherwise undefined.
 */
export function parsePromqlSubset(expr: string): PromqlNode | undefined {
  const n = expr.length;
  let p = 0;

  function skip(): void {
    while (p < n) {
      const c = expr.charCodeAt(p);
      if (c === 32 || c === 10 || c === 9 || c === 13) p++;
      else break;
    }
  }
  const peek = (): number => (p < n ? expr.charCodeAt(p) : -1);

  /** A name at p (Identifier, or LabelName when `label`); p moves past it. */
  function name(label: boolean): string {
    const start = p;
    const c = peek();
    if (!(label ? isLabelChar(c) && !isDigit(c) && c !== 58 : isIdentStart(c))) throw OUTSIDE;
    p++;
    while (p < n) {
      const d = expr.charCodeAt(p);
      if (isLabelChar(d) || (!label && d === 58)) p++;
      else break;
    }
    if (label && peek() === 58) throw OUTSIDE;
    return expr.slice(start, p);
  }

  /** A number or duration token at p; p moves past it. */
  function number(): void {
    const start = p;
    if (!isDigit(peek())) throw OUTSIDE;
    while (isDigit(peek())) p++;
    const unit = peek();
    if (UNIT_RANK[unit] !== undefined) {
      // a duration: digits and a unit, units in grammar order
      let last = -1;
      p = start;
      for (;;) {
        const mark = p;
        while (isDigit(peek())) p++;
        if (p === mark) break;
        let rank: number | undefined;
        if (peek() === 109 /* m */ && p + 1 < n && expr.charCodeAt(p + 1) === 115 /* s */) {
          rank = 6;
          if (rank <= last) { p = mark; break; }
          p += 2;
        } else {
          rank = UNIT_RANK[peek()];
          if (rank === undefined || rank <= last) { p = mark; break; }
          p++;
        }
        last = rank;
      }
    } else {
      if (peek() === 46 /* . */ && p + 1 < n && isDigit(expr.charCodeAt(p + 1))) {
        p++;
        while (isDigit(peek())) p++;
      }
      const e = peek();
      if (e === 101 || e === 69 /* e E */) {
        let q = p + 1;
        const s = q < n ? expr.charCodeAt(q) : -1;
        if (s === 43 || s === 45) q++;
        if (q < n && isDigit(expr.charCodeAt(q))) {
          p = q;
          while (isDigit(peek())) p++;
        }
      }
    }
    if (p < n && isNumberChar(expr.charCodeAt(p))) throw OUTSIDE;
  }

  /** A string literal at p, closed on its line; p moves past it. */
  function string(): PromqlNode {
    const start = p;
    const q = peek();
    if (q === 96 /* ` */) {
      const end = expr.indexOf('`', p + 1);
      if (end < 0) throw OUTSIDE;
      p = end + 1;
    } else if (q === 34 || q === 39) {
      p++;
      for (;;) {
        if (p >= n) throw OUTSIDE;
        const c = expr.charCodeAt(p);
        if (c === 10) throw OUTSIDE;
        if (c === 92 /* \ */) {
          if (p + 1 >= n || expr.charCodeAt(p + 1) === 10) throw OUTSIDE;
          p += 2;
        } else {
          p++;
          if (c === q) break;
        }
      }
    } else {
      throw OUTSIDE;
    }
    return leaf('StringLiteral', start, p);
  }

  function expect(c: number): number {
    skip();
    if (peek() !== c) throw OUTSIDE;
    return p++;
  }

  /**
   * `open item, item, ... close` with an optional trailing comma (lezer's GroupingLabels and
   * LabelMatchers), as the node `listName`; `item` reads one element at p.
   */
  function commaList(listName: string, open: number, close: number, item: () => PromqlNode): PromqlNode {
    const from = expect(open);
    const children: PromqlNode[] = [];
    skip();
    while (peek() !== close) {
      children.push(item());
      skip();
      if (peek() === 44 /* , */) {
        p++;
        skip();
      } else if (peek() !== close) {
        throw OUTSIDE;
      }
    }
    p++;
    return { name: listName, from, to: p, children };
  }

  /** `( label, ... )` after by, without, on, ignoring, group_left or group_right. */
  function groupingLabels(): PromqlNode {
    return commaList('GroupingLabels', 40 /* ( */, 41 /* ) */, () => {
      const start = p;
      name(true);
      return leaf('LabelName', start, p);
    });
  }

  /** `{ label op "value", ... }` */
  function labelMatchers(): PromqlNode {
    return commaList('LabelMatchers', 123 /* { */, 125 /* } */, () => {
      const start = p;
      name(true);
      const label = leaf('LabelName', start, p);
      skip();
      const o = p;
      const c = peek();
      const d = p + 1 < n ? expr.charCodeAt(p + 1) : -1;
      let opName: string;
      if (c === 61 /* = */) {
        if (d === 126 /* ~ */) { opName = 'EqlRegex'; p += 2; } else { opName = 'EqlSingle'; p++; }
      } else if (c === 33 /* ! */ && d === 61) {
        opName = 'Neq'; p += 2;
      } else if (c === 33 && d === 126) {
        opName = 'NeqRegex'; p += 2;
      } else {
        throw OUTSIDE;
      }
      const matchOp = { name: 'MatchOp', from: o, to: p, children: [leaf(opName, o, p)] };
      skip();
      return node('UnquotedLabelMatcher', [label, matchOp, string()]);
    });
  }

  /** `( expr, ... )` of a call or aggregation. */
  function callBody(): PromqlNode {
    const from = expect(40 /* ( */);
    const children: PromqlNode[] = [];
    skip();
    if (peek() === 41 /* ) */) {
      p++;
    } else {
      for (;;) {
        children.push(expression());
        skip();
        const c = peek();
        p++;
        if (c === 41) break;
        if (c !== 44 /* , */) throw OUTSIDE;
      }
    }
    return { name: 'FunctionCallBody', from, to: p, children };
  }

  /** `by (...)` or `without (...)`, when the word at p is one (lowercase); otherwise undefined. */
  function aggregateModifier(): PromqlNode | undefined {
    const start = p;
    if (!isIdentStart(peek())) return undefined;
    const word = name(false);
    if (word === 'by' || word === 'without') {
      const kw = leaf(word === 'by' ? 'By' : 'Without', start, p);
      return node('AggregateModifier', [kw, groupingLabels()]);
    }
    p = start;
    return undefined;
  }

  /** An operand: a selector, call, aggregation, parenthesized expression, number or string. */
  function operand(): PromqlNode {
    skip();
    const start = p;
    const c = peek();
    if (c === 40 /* ( */) {
      p++;
      const inner = expression();
      expect(41 /* ) */);
      return { name: 'ParenExpr', from: start, to: p, children: [inner] };
    }
    if (c === 123 /* { */) return node('VectorSelector', [labelMatchers()]);
    if (c === 34 || c === 39 || c === 96) return string();
    if (isDigit(c)) {
      number();
      return leaf('NumberDurationLiteral', start, p);
    }
    const word = name(false);
    const end = p;
    const lower = word.toLowerCase();
    if (RESERVED.has(lower)) {
      if (word !== lower) throw OUTSIDE;
      const fn = FUNCTIONS[word];
      const agg = AGGREGATIONS[word];
      skip();
      if (fn !== undefined && peek() === 40) {
        const ident = { name: 'FunctionIdentifier', from: start, to: end, children: [leaf(fn, start, end)] };
        return node('FunctionCall', [ident, callBody()]);
      }
      if (agg === undefined) throw OUTSIDE;
      const aggOp = { name: 'AggregateOp', from: start, to: end, children: [leaf(agg, start, end)] };
      const before = aggregateModifier();
      if (before) return node('AggregateExpr', [aggOp, before, callBody()]);
      if (peek() !== 40) throw OUTSIDE;
      const body = callBody();
      const save = p;
      skip();
      const after = aggregateModifier();
      if (after) return node('AggregateExpr', [aggOp, body, after]);
      p = save;
      return node('AggregateExpr', [aggOp, body]);
    }
    const ident = leaf('Identifier', start, end);
    const save = p;
    skip();
    if (peek() === 123) return node('VectorSelector', [ident, labelMatchers()]);
    if (peek() === 40) throw OUTSIDE; // a call of an unknown function: lezer reports it
    p = save;
    return node('VectorSelector', [ident]);
  }

  /** `[d]`, `[d:]` or `[d:d]` after `left`, p at `[`. */
  function range(left: PromqlNode): PromqlNode {
    p++;
    skip();
    const a = p;
    number();
    const first = { name: 'DurationExpr', from: a, to: p, children: [leaf('NumberDurationLiteralInDurationContext', a, p)] };
    skip();
    if (peek() === 93 /* ] */) {
      p++;
      return { name: 'MatrixSelector', from: left.from, to: p, children: [left, first] };
    }
    if (peek() !== 58 /* : */) throw OUTSIDE;
    p++;
    skip();
    const children = [left, first];
    if (peek() !== 93) {
      const b = p;
      number();
      children.push({ name: 'DurationExpr', from: b, to: p, children: [leaf('NumberDurationLiteralInDurationContext', b, p)] });
      expect(93);
    } else {
      p++;
    }
    return { name: 'SubqueryExpr', from: left.from, to: p, children };
  }

  /** The binary operator at p with its modifiers, or undefined (p unchanged) when there is none. */
  function binaryOp(): { op: BinaryOp; nodes: PromqlNode[] } | undefined {
    const start = p;
    const c = peek();
    const d = p + 1 < n ? expr.charCodeAt(p + 1) : -1;
    let o: BinaryOp | undefined;
    let len = 1;
    switch (c) {
      case 94: o = POW; break;
      case 42: o = MUL; break;
      case 47: o = DIV; break;
      case 37: o = MOD; break;
      case 43: o = ADD; break;
      case 45: o = SUB; break;
      case 61: if (d === 61) { o = EQL; len = 2; } else {throw OUTSIDE;} break;
      case 33: if (d === 61) { o = NEQ; len = 2; } else {throw OUTSIDE;} break;
      case 60: if (d === 61) { o = LTE; len = 2; } else if (d === 47) {throw OUTSIDE;} else {o = LSS;} break;
      case 62: if (d === 61) { o = GTE; len = 2; } else if (d === 47) {throw OUTSIDE;} else {o = GTR;} break;
      default:
        if (!isIdentStart(c)) return undefined;
        o = WORD_OPS[name(false)];
        if (o === undefined) throw OUTSIDE; // offset is read before this; any other word: lezer decides
        len = p - start;
    }
    p = start + len;
    const nodes = [leaf(o.name, start, p)];
    // binModifiers: bool? (on | ignoring) (...) ((group_left | group_right) (...)?)?
    skip();
    let w = p;
    let word = isIdentStart(peek()) ? name(false) : '';
    if (word === 'bool') {
      nodes.push(node('BoolModifier', [leaf('Bool', w, p)]));
      skip();
      w = p;
      word = isIdentStart(peek()) ? name(false) : '';
    }
    if (word === 'on' || word === 'ignoring') {
      const clause = [leaf(word === 'on' ? 'On' : 'Ignoring', w, p), groupingLabels()];
      skip();
      w = p;
      word = isIdentStart(peek()) ? name(false) : '';
      if (word === 'group_left' || word === 'group_right') {
        clause.push(leaf(word === 'group_left' ? 'GroupLeft' : 'GroupRight', w, p));
        skip();
        if (peek() === 40) clause.push(groupingLabels()); // lezer's !group: a `(` here is always the labels
      } else {
        p = w;
      }
      nodes.push(node('MatchingModifierClause', clause));
    } else {
      p = w;
    }
    return { op: o, nodes };
  }

  /**
   * An expression up to a `)`, `,`, `]` or the end. Operators by precedence (shunting-yard); a postfix
   * `[...]` or `offset` first reduces everything before it, as lezer's grammar does.
   */
  function expression(): PromqlNode {
    const operands: PromqlNode[] = [operand()];
    const ops: Array<{ op: BinaryOp; nodes: PromqlNode[] }> = [];
    const reduce = () => {
      const right = operands.pop()!;
      const left = operands.pop()!;
      const o = ops.pop()!;
      operands.push({ name: 'BinaryExpr', from: left.from, to: right.to, children: [left, ...o.nodes, right] });
    };
    for (;;) {
      skip();
      const c = peek();
      if (c === -1 || c === 41 || c === 44 || c === 93) break;
      if (c === 91 /* [ */) {
        while (ops.length > 0) reduce();
        operands.push(range(operands.pop()!));
        continue;
      }
      if (c === 111 /* o */ && expr.startsWith('offset', p) && !(p + 6 < n && isNameChar(expr.charCodeAt(p + 6)))) {
        while (ops.length > 0) reduce();
        const kw = leaf('Offset', p, p + 6);
        p += 6;
        skip();
        const a = p;
        number();
        const dur = { name: 'OffsetDurationExpr', from: a, to: p, children: [leaf('NumberDurationLiteralInDurationContext', a, p)] };
        operands.push(node('OffsetExpr', [operands.pop()!, kw, dur]));
        continue;
      }
      const next = binaryOp();
      if (next === undefined) throw OUTSIDE;
      while (ops.length > 0) {
        const top = ops[ops.length - 1].op;
        if (top.prec > next.op.prec || (top.prec === next.op.prec && !next.op.right)) reduce();
        else break;
      }
      ops.push(next);
      operands.push(operand());
    }
    while (ops.length > 0) reduce();
    return operands[0];
  }

  try {
    const top = expression();
    skip();
    if (p !== n) return undefined;
    return { name: 'PromQL', from: 0, to: n, children: [top] };
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}
