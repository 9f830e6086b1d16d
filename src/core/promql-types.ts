/**
 * PromQL type checking on top of the lezer parse, mirroring `checkAST` of Prometheus' parser
 * (`promql/parser/parse.go`) at the version of the generated function table: instant vector versus
 * range vector versus scalar versus string, function arity and argument types, aggregation parameters,
 * binary operator operands, and the label matchers' regular expressions (RE2).
 */
import { PROMQL_FUNCTIONS, PROMQL_FUNCTIONS_VERSION, PromValueType } from './promql-functions.generated';
import { PromqlNode, promqlNodes } from './promql-parse';
import { re2Error, simpleRe2MatchesEmpty } from './re2';

/** A type error in a PromQL expression. */
export interface PromqlTypeError {
  /** 0-based offset of the offending sub-expression. */
  readonly position: number;
  /** What Prometheus would say, in its own words where possible. */
  readonly message: string;
}

const DOC: Record<PromValueType, string> = {
  vector: 'instant vector',
  matrix: 'range vector',
  scalar: 'scalar',
  string: 'string',
  none: 'none',
};

const COMPARISON = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPS = new Set(['And', 'Or', 'Unless']);
const AGG_WITH_SCALAR_PARAM = new Set(['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio']);

/** The tree of an expression as plain nodes (shared by every expression of the same shape: read-only). */
type Node = PromqlNode;

/**
 * Type-checks a PromQL expression that already parses. Returns every error found (empty when valid).
 * `experimentalFunctions` allows functions behind `--enable-feature=promql-experimental-functions`.
 */
export function promqlTypeErrors(expr: string, experimentalFunctions = false): PromqlTypeError[] {
  const tree = promqlNodes(expr);
  const errors: PromqlTypeError[] = [];
  const text = (n: Node) => expr.slice(n.from, n.to);
  const err = (n: Node, message: string) => errors.push({ position: n.from, message });
  const exprChildren = (n: Node) => n.children.filter((c) => isExpr(c.name));

  function expect(n: Node | undefined, want: PromValueType, where: string): void {
    if (!n) return;
    const got = check(n);
    if (got !== want) err(n, `expected type ${DOC[want]} in ${where}, got ${DOC[got]}`);
  }

  function check(n: Node): PromValueType {
    switch (n.name) {
      case 'PromQL':
        return n.children.length > 0 ? check(n.children[0]) : 'none';
      case 'NumberDurationLiteral':
        return 'scalar';
      case 'StringLiteral':
        return 'string';
      case 'VectorSelector':
        checkSelector(n);
        return 'vector';
      case 'MatrixSelector':
        for (const c of exprChildren(n)) check(c);
        return 'matrix';
      case 'SubqueryExpr': {
        const inner = exprChildren(n)[0];
        const t = inner ? check(inner) : 'none';
        if (inner && t !== 'vector') err(n, `subquery is only allowed on instant vector, got ${DOC[t]} instead`);
        return 'matrix';
      }
      case 'OffsetExpr':
      case 'StepInvariantExpr': {
        const inner = exprChildren(n)[0];
        if (!inner) return 'none';
        const t = check(inner);
        const base = unwrapModifiers(inner);
        if (!['VectorSelector', 'MatrixSelector', 'SubqueryExpr'].includes(base.name)) {
          const what = n.name === 'OffsetExpr' ? 'offset' : '@';
          err(n, `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
        }
        return t;
      }
      case 'ParenExpr': {
        const inner = exprChildren(n)[0];
        return inner ? check(inner) : 'none';
      }
      case 'UnaryExpr': {
        const inner = exprChildren(n)[0];
        const t = inner ? check(inner) : 'none';
        if (t !== 'scalar' && t !== 'vector') err(n, `unary expression only allowed on expressions of type scalar or instant vector, got "${DOC[t]}"`);
        return t;
      }
      case 'BinaryExpr':
        return checkBinary(n);
      case 'FunctionCall':
        return checkCall(n);
      case 'AggregateExpr':
        return checkAggregate(n);
      default:
        // Error nodes and anything the grammar adds later: the syntax check reports those.
        for (const c of exprChildren(n)) check(c);
        return 'none';
    }
  }

  function unwrapModifiers(n: Node): Node {
    let cur = n;
    while (cur.name === 'OffsetExpr' || cur.name === 'StepInvariantExpr') {
      const inner = exprChildren(cur)[0];
      if (!inner) break;
      cur = inner;
    }
    return cur;
  }

  function checkSelector(n: Node): void {
    const matchers = findAll(n, (c) => c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher' || c.name === 'QuotedLabelName');
    const hasName = n.children.some((c) => c.name === 'Identifier');
    let nonEmpty = hasName;
    for (const m of matchers) {
      const op = m.children.find((c) => c.name === 'MatchOp');
      const val = m.children.find((c) => c.name === 'StringLiteral');
      const label = m.children.find((c) => c.name === 'LabelName' || c.name === 'StringLiteral');
      if (m.name === 'QuotedLabelName' || !op || !val) {
        nonEmpty = true; // `{"metric_name"}`
        continue;
      }
      const opText = text(op);
      const value = unquote(text(val));
      if (hasName && label && text(label) === '__name__') err(m, `metric name must not be set twice: "${text(n.children[0])}" or "${value}"`);
      if ((opText === '=~' || opText === '!~') && value !== undefined) {
        const re = re2Error(value);
        if (re) err(val, `invalid regular expression in matcher ${text(m)}: ${re}`);
      }
      if (value === undefined) continue;
      const matchesEmpty = opText === '=' ? value === '' : opText === '!=' ? value !== '' : regexMatchesEmpty(value, opText === '!~');
      if (!matchesEmpty) nonEmpty = true;
    }
    if (!nonEmpty) err(n, 'vector selector must contain at least one non-empty matcher');
  }

  function checkBinary(n: Node): PromValueType {
    const ops = n.children.filter((c) => !isExpr(c.name));
    const [lhs, rhs] = exprChildren(n);
    const lt = lhs ? check(lhs) : 'none';
    const rt = rhs ? check(rhs) : 'none';
    const op = ops.find((c) => !['BoolModifier', 'MatchingModifierClause'].includes(c.name));
    const opName = op ? op.name : '';
    const returnBool = ops.some((c) => c.name === 'BoolModifier');
    const matching = ops.find((c) => c.name === 'MatchingModifierClause');
    const opText = op ? text(op) : '?';
    if (returnBool && !COMPARISON.has(opName)) err(op ?? n, 'bool modifier can only be used on comparison operators');
    if (COMPARISON.has(opName) && !returnBool && lt === 'scalar' && rt === 'scalar') err(op ?? n, 'comparisons between scalars must use BOOL modifier');
    if (lhs && lt !== 'scalar' && lt !== 'vector') err(lhs, `binary expression must contain only scalar and instant vector types (left side of '${opText}' is a ${DOC[lt]})`);
    if (rhs && rt !== 'scalar' && rt !== 'vector') err(rhs, `binary expression must contain only scalar and instant vector types (right side of '${opText}' is a ${DOC[rt]})`);
    if (matching && (lt !== 'vector' || rt !== 'vector')) {
      if (matching.children.some((c) => c.name === 'GroupingLabels' || c.name === 'On' || c.name === 'Ignoring')) {
        err(matching, 'vector matching only allowed between instant vectors');
      }
    }
    if (SET_OPS.has(opName)) {
      if (lt === 'scalar' || rt === 'scalar') err(n, `set operator "${opText}" not allowed in binary scalar expression`);
      if (matching && matching.children.some((c) => c.name === 'GroupLeft' || c.name === 'GroupRight')) err(matching, `no grouping allowed for "${opText}" operation`);
    }
    if (matching) {
      const on = matching.children.some((c) => c.name === 'On');
      const groups = matching.children.filter((c) => c.name === 'GroupingLabels');
      if (on && groups.length === 2) {
        const a = new Set(groups[0].children.map(text));
        for (const l of groups[1].children.map(text)) if (a.has(l)) err(matching, `label "${l}" must not occur in ON and GROUP clause at once`);
      }
    }
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
  }

  function checkCall(n: Node): PromValueType {
    const ident = n.children.find((c) => c.name === 'FunctionIdentifier');
    const body = n.children.find((c) => c.name === 'FunctionCallBody');
    const name = ident ? text(ident) : '';
    const args = body ? exprChildren(body) : [];
    const fn = PROMQL_FUNCTIONS[name];
    if (!fn) {
      err(n, `unknown function with name "${name}" (Prometheus ${PROMQL_FUNCTIONS_VERSION})`);
      for (const a of args) check(a);
      return 'vector';
    }
    if (fn.experimental && !experimentalFunctions) {
      err(n, `function "${name}" is not enabled: it is experimental in Prometheus ${PROMQL_FUNCTIONS_VERSION} (--enable-feature=promql-experimental-functions)`);
    }
    const nargs = fn.args.length;
    if (fn.variadic === 0) {
      if (nargs !== args.length) err(n, `expected ${nargs} argument(s) in call to "${name}", got ${args.length}`);
    } else {
      const na = nargs - 1;
      if (na > args.length) err(n, `expected at least ${na} argument(s) in call to "${name}", got ${args.length}`);
      else if (fn.variadic > 0 && na + fn.variadic < args.length) err(n, `expected at most ${na + fn.variadic} argument(s) in call to "${name}", got ${args.length}`);
    }
    args.forEach((a, i) => {
      if (i >= nargs) {
        if (fn.variadic === 0) {
          check(a);
          return;
        }
        i = nargs - 1;
      }
      expect(a, fn.args[i], `call to function "${name}"`);
    });
    return fn.returns;
  }

  function checkAggregate(n: Node): PromValueType {
    const opNode = n.children.find((c) => c.name === 'AggregateOp');
    const op = opNode ? text(opNode) : '';
    const body = n.children.find((c) => c.name === 'FunctionCallBody');
    const args = body ? exprChildren(body) : [];
    const needsParam = AGG_WITH_SCALAR_PARAM.has(op) || op === 'count_values';
    if (needsParam && args.length !== 2) {
      err(n, `wrong number of arguments for aggregate expression provided, expected 2, got ${args.length}`);
    } else if (!needsParam && args.length !== 1) {
      err(n, `wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
    }
    const e = args[args.length - 1];
    if (needsParam && args.length === 2) expect(args[0], op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
    expect(e, 'vector', 'aggregation expression');
    return 'vector';
  }

  check(tree);
  return errors;
}

function isExpr(name: string): boolean {
  return [
    'NumberDurationLiteral', 'StringLiteral', 'VectorSelector', 'MatrixSelector', 'SubqueryExpr', 'OffsetExpr',
    'StepInvariantExpr', 'ParenExpr', 'UnaryExpr', 'BinaryExpr', 'FunctionCall', 'AggregateExpr',
  ].includes(name);
}

function findAll(n: Node, pred: (n: Node) => boolean): Node[] {
  const out: Node[] = [];
  const walk = (x: Node) => {
    if (pred(x)) out.push(x);
    for (const c of x.children) walk(c);
  };
  for (const c of n.children) walk(c);
  return out;
}

/** Unquotes a PromQL string literal ("...", '...' or `...`); undefined when it cannot. */
export function unquote(lit: string): string | undefined {
  if (lit.length < 2) return undefined;
  const q = lit[0];
  if (q === '`') return lit.slice(1, -1);
  const body = lit.slice(1, -1);
  if (q === '"') {
    try {
      return JSON.parse(`"${body.replace(/\\'/g, "'")}"`);
    } catch {
      return body;
    }
  }
  try {
    return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`);
  } catch {
    return body;
  }
}

/** Whether `^(?:re)$` matches the empty string, by regex: the same matchers recur across rules (bounded). */
const MATCHES_EMPTY = new Map<string, boolean>();

function regexMatchesEmpty(re: string, negated: boolean): boolean {
  let m = MATCHES_EMPTY.get(re);
  if (m === undefined) {
    try {
      // Prometheus anchors matcher regexes: ^(?:re)$. The simple subset is answered from its structure
      // (`simpleRe2MatchesEmpty`, checked against RE2 by test/core/re2.test.ts); anything else asks the RE2 port.
      const simple = simpleRe2MatchesEmpty(re);
      if (simple !== undefined) {
        m = simple;
      } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { RE2JS } = require('re2js');
        m = RE2JS.compile(`^(?:${re})$`).matcher('').find() as boolean;
      }
    } catch {
      return false;
    }
    if (MATCHES_EMPTY.size >= 10_000) MATCHES_EMPTY.clear();
    MATCHES_EMPTY.set(re, m);
  }
  return negated ? !m : m;
}

/**
 * The metric names an expression that parses selects by name (`up`, `job:http_requests:rate5m`; not
 * `{__name__=~"..."}`), in order of appearance, without repeats.
 */
export function promqlMetricNames(expr: string): string[] {
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.name === 'VectorSelector') {
      const id = n.children.find((c) => c.name === 'Identifier');
      const name = id ? expr.slice(id.from, id.to) : undefined;
      if (name && !out.includes(name)) out.push(name);
    }
    n.children.forEach(walk);
  };
  walk(promqlNodes(expr));
  return out;
}
