import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PromqlNode, promqlNodes, promqlSyntaxErrorAt } from '../../src/core/promql-parse';
import { parsePromqlSubset } from '../../src/core/promql-subset';
import { random } from '../random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lezer = require('@prometheus-io/lezer-promql').parser as { parse(text: string): any };

/** Lezer's tree as plain nodes, as promql-parse.ts builds it, and whether it holds an error node. */
function lezerNodes(expr: string): { tree: PromqlNode; error: boolean } {
  let error = false;
  const walk = (cursor: any): PromqlNode => {
    if (cursor.type.isError) error = true;
    const node = { name: cursor.type.isError ? '⚠' : cursor.name, from: cursor.from, to: cursor.to, children: [] as PromqlNode[] };
    if (cursor.firstChild()) {
      do node.children.push(walk(cursor)); while (cursor.nextSibling());
      cursor.parent();
    }
    return node;
  };
  const tree = walk(lezer.parse(expr).cursor());
  return { tree, error };
}

/** Fails unless the subset either leaves `expr` to lezer or builds lezer's own tree for an expression lezer accepts. */
function agrees(expr: string): boolean {
  const mine = parsePromqlSubset(expr);
  if (mine === undefined) return false;
  const theirs = lezerNodes(expr);
  if (theirs.error) throw new Error(`the subset accepts ${JSON.stringify(expr)}, which lezer parses with an error`);
  expect({ expr, tree: mine }).toEqual({ expr, tree: theirs.tree });
  return true;
}

/** Every `expr` of the PrometheusRules in dist/, and every dashboard query in dist/ that lezer parses. */
function distExpressions(): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'expr' && typeof x === 'string') out.add(x);
        else if (typeof x === 'string' && k.endsWith('.json') && x.includes('"expr"')) walk(JSON.parse(x));
        else walk(x);
      }
    }
  };
  const dist = path.join(__dirname, '..', '..', 'dist');
  for (const app of fs.readdirSync(dist)) {
    const dir = path.join(dist, app);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.includes('crds'))) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
        const o = doc.toJS() as { kind?: string; spec?: unknown; data?: unknown } | null;
        if (o?.kind === 'PrometheusRule') walk(o.spec);
        else if (o?.kind === 'ConfigMap') walk(o.data);
      }
    }
  }
  return [...out];
}

test('every PromQL expression in dist/ is in the subset, with the tree lezer builds', () => {
  const exprs = distExpressions().filter((e) => !lezerNodes(e).error);
  expect(exprs.length).toBeGreaterThan(300);
  const outside = exprs.filter((e) => !agrees(e));
  expect(outside).toEqual([]);
});

test('every function and aggregation name of the grammar either parses as lezer parses it or is left to lezer', () => {
  const grammar = fs.readFileSync(path.join(path.dirname(require.resolve('@prometheus-io/lezer-promql')), '..', 'src', 'promql.grammar'), 'utf8');
  const names = [...grammar.matchAll(/condFn<"(\w+)">/g)].map((m) => m[1]);
  expect(names.length).toBeGreaterThan(80);
  // the duration functions and the two that are only functions at the top of a subquery step
  const leftToLezer = new Set(['step', 'range', 'min_of', 'max_of']);
  for (const name of names) {
    const taken = agrees(`${name}(x, 1)`);
    expect({ name, taken }).toEqual({ name, taken: !leftToLezer.has(name) });
  }
  for (const agg of ['avg', 'bottomk', 'count', 'count_values', 'group', 'max', 'min', 'quantile', 'limitk', 'limit_ratio', 'stddev', 'stdvar', 'sum', 'topk']) {
    expect(agrees(`${agg} by (a) (1, x)`)).toBe(true);
    expect(agrees(`${agg}(1, x) without (a, b,)`)).toBe(true);
    expect(agrees(`${agg.toUpperCase()}(x)`)).toBe(false); // lezer takes any case; the subset only lowercase
  }
});

test.each([
  ['a + b[5m] * c + d'], ['x offset 1m [5m]'], ['a ^ b ^ c'], ['a or b and c unless d'], ['a * on(x) group_left (y) z'],
  ['x{a="b",}'], ['{a=~"b"}'], ['x {a!~`b`}'], ['sum by () (x)'], ['rate(x[5m])[1h:5m]'], ['x[5m:]'], ['x > bool 1'],
  ['time()'], ['1h30m + 1e-3 - 0.5'], ['x{on="a", offset="b"}'], ['a and on() b'], ['a\n/\nignoring(b) group_right c'],
  ['"a\\"b"'], ["'a'"],
])('%j: the same tree as lezer', (expr) => {
  expect(agrees(expr)).toBe(true);
});

test.each([
  ['-1'], ['a - -1'], ['x @ 100'], ['x # comment'], ['{"a"}'], ['x[5m+1m]'], ['inf'], ['rate'], ['Rate(x[5m])'], ['SUM(x)'],
  ['x offset -5m'], ['a atan2 b'], ['a </ b'], ['foo(x)'], ['x{a:b="c"}'], ['1_000'], ['0x1f'], ['.5'], ['5min'], ['"a'],
  ['x{a="b'], [''], ['  '], ['a b'], ['sum(x) by (a) by (b)'], ['a * on(x) group_left (y)'], ['x[5m'], ['(x'], ['x)'],
  ['step()'], ['a +'], ['a and'], ['x{a="b" c="d"}'], ['sum by (a) x'], ['a == bool'], ['a offset 5m offset'],
])('%j: left to lezer', (expr) => {
  expect(parsePromqlSubset(expr)).toBeUndefined();
});

/** Random expressions in and around the subset, as token lists (joined with random whitespace). */
function generator(next: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const metrics = ['up', 'http_requests_total', 'a:b:c', 'x_1', 'sum_x', 'rate_total', 'by_x', 'offset_x', '_', 'Rate', 'SUM', 'step', 'bool', 'inf', 'on', 'group'];
  const labels = ['job', 'le', 'on', 'by', 'offset', '__name__', 'a1', 'bool', 'Sum', '"quoted"'];
  const matchOps = ['=', '!=', '=~', '!~', '==', '!'];
  const strings = ['""', '"a"', "'b'", '`c`', '"x\\"y"', '"5.."', '".*"', '"a\\\\"', '`multi\nline`', '"#}{,"', '"a\\\nb"', '`x"y#`', "'\"'", '"é🙂"', '"\\t[5m]"'];
  const numbers = ['1', '0.5', '1e3', '5m', '1h30m', '300', '1.5e-3', '2', '5ms', '1d', 'inf', 'NaN', '0x1f', '1_0', '.5', '1m5h'];
  const durations = ['5m', '1h', '30s', '300', '1h30m', '5m+1m', '-5m', 'step()', '1.5'];
  const fns = ['rate', 'increase', 'histogram_quantile', 'absent', 'vector', 'time', 'label_replace', 'clamp_min', 'predict_linear', 'ts_of_first_over_time', 'sort_by_label', 'start', 'foo', 'Rate', 'info', 'step'];
  const aggs = ['sum', 'avg', 'count', 'topk', 'quantile', 'count_values', 'max', 'min', 'group', 'limitk', 'Sum', 'stddev'];
  const binOps = ['+', '-', '*', '/', '%', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', 'unless', 'atan2', '</', '>/', 'AND', '='];
  const grouping = (): string[] => {
    const out = ['('];
    const k = Math.floor(next() * 3);
    for (let i = 0; i < k; i++) out.push(...(i > 0 ? [','] : []), pick(labels));
    if (next() < 0.1) out.push(',');
    out.push(')');
    return out;
  };
  const gen = (depth: number): string[] => {
    const r = next();
    if (depth > 3 || r < 0.25) {
      const m = next() < 0.85 ? [pick(metrics)] : [];
      if (m.length === 0 || next() < 0.5) {
        m.push('{');
        const k = Math.floor(next() * 3);
        for (let i = 0; i < k; i++) m.push(...(i > 0 ? [','] : []), pick(labels), pick(matchOps), pick(strings));
        if (next() < 0.1) m.push(',');
        m.push('}');
      }
      return m;
    }
    if (r < 0.32) return [pick(numbers)];
    if (r < 0.35) return [pick(strings)];
    if (r < 0.5) {
      const args: string[] = [];
      const k = Math.floor(next() * 3);
      for (let i = 0; i < k; i++) args.push(...(i > 0 ? [','] : []), ...gen(depth + 1));
      return [pick(fns), '(', ...args, ')'];
    }
    if (r < 0.62) {
      const body = ['(', ...(next() < 0.3 ? [pick(numbers), ','] : []), ...gen(depth + 1), ')'];
      const mod = next() < 0.6 ? [pick(['by', 'without', 'BY', 'by']), ...grouping()] : [];
      return next() < 0.5 ? [pick(aggs), ...mod, ...body] : [pick(aggs), ...body, ...mod];
    }
    if (r < 0.67) return ['(', ...gen(depth + 1), ')'];
    if (r < 0.85) {
      const mods: string[] = [];
      if (next() < 0.2) mods.push('bool');
      if (next() < 0.25) {
        mods.push(pick(['on', 'ignoring']), ...grouping());
        if (next() < 0.5) mods.push(pick(['group_left', 'group_right']), ...(next() < 0.6 ? grouping() : []));
      }
      if (next() < 0.03) mods.push('fill', '(', '0', ')');
      return [...gen(depth + 1), pick(binOps), ...mods, ...gen(depth + 1)];
    }
    if (r < 0.95) {
      const base = gen(depth + 1);
      const s = next();
      if (s < 0.4) return [...base, '[', pick(durations), ']'];
      if (s < 0.7) return [...base, '[', pick(durations), ':', ...(next() < 0.5 ? [pick(durations)] : []), ']'];
      return [...base, pick(['offset', 'offset', 'OFFSET']), pick(durations)];
    }
    return [pick(['-', '+', '@']), ...gen(depth + 1)];
  };
  const wordy = (c: string | undefined) => c !== undefined && /[\w:.]/.test(c);
  return (): string => {
    const tokens = gen(0);
    for (let m = next() < 0.3 ? 1 + Math.floor(next() * 2) : 0; m > 0; m--) {
      const i = Math.floor(next() * tokens.length);
      const s = next();
      if (s < 0.3) tokens.splice(i, 1);
      else if (s < 0.5) tokens.splice(i, 0, tokens[i]);
      else if (s < 0.7 && i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1], tokens[i]];
      else tokens.splice(i, 0, pick(['(', ')', ',', '[', ']', '{', '}', '#x\n', ' ', 'by', '5m', '"', '\u00a0']));
    }
    let out = '';
    for (const t of tokens) {
      const ws = pick(['', '', ' ', ' ', '\n  ', '\t', '\r\n']);
      out += (ws === '' && wordy(out[out.length - 1]) && wordy(t[0]) ? ' ' : ws) + t;
    }
    return next() < 0.1 ? ` ${out} ` : out;
  };
}

test('generated expressions: where the subset answers, lezer accepts the expression and builds the same tree', () => {
  const next = random(7);
  const gen = generator(next);
  let taken = 0;
  const cases = 20000;
  for (let i = 0; i < cases; i++) {
    const expr = gen();
    if (agrees(expr)) taken++;
    // and what the checks read (the tree is shared per shape: literal contents blanked) is lezer's
    const theirs = lezerNodes(expr);
    expect({ expr, error: promqlSyntaxErrorAt(expr) !== undefined }).toEqual({ expr, error: theirs.error });
    if (!theirs.error) expect({ expr, tree: promqlNodes(expr) }).toEqual({ expr, tree: theirs.tree });
  }
  // a useful share of the valid-looking ones is taken (not everything left to lezer)
  expect(taken).toBeGreaterThan(cases / 10);
});
