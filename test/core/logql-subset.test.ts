import { inLogqlSubset } from '../../src/core/logql-subset';
import { random } from '../random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lezer = require('@grafana/lezer-logql').parser as { parse(text: string): any };

function lezerAccepts(expr: string): boolean {
  let error = false;
  lezer.parse(expr).iterate({ enter: (n: any) => { if (n.type.isError) error = true; return !error; } });
  return !error;
}

/** Fails when the subset takes a query lezer rejects; true when it takes it. */
function agrees(expr: string): boolean {
  if (!inLogqlSubset(expr)) return false;
  if (!lezerAccepts(expr)) throw new Error(`the subset takes ${JSON.stringify(expr)}, which lezer parses with an error`);
  return true;
}

test.each([
  ['{a="b"}'], ['{a="b"} |= "x"'], ['{ a = "b" , c!~`d` }'], ['{a="b"}|="x"!="y"|~"z"!~"w"'], ['{a=~"b\\"c"}\n  |= "type=Warning"'],
  ['{job="integrations/kubernetes/eventhandler", namespace=~"$namespace", name=~"$workload|$pod"} |= "type=Warning"'],
  ['  {__name__="b"}  '], ['{namespace=~"$namespace"} |~ "(?i)error"'],
])('%j: taken, and lezer parses it', (expr) => {
  expect(agrees(expr)).toBe(true);
});

test.each([
  [''], ['{}'], ['{a="b",}'], ["{a='b'}"], ['{a="b"} # c'], ['{a="b"} |= "x" or "y"'], ['{1a="b"}'], ['{a="b"} |= "x" |'],
  ['{a="b"}x'], ['{json="b"}'], ['{Or="b"}'], ['{a:b="c"}'], ['{a="b"} | json'], ['sum(rate({a="b"}[5m]))'], ['{a="b'],
  ['{a="b"} |= "x\ny"'], ['{a=="b"}'], ['{a="b"} | = "x"'],
])('%j: left to lezer', (expr) => {
  expect(inLogqlSubset(expr)).toBe(false);
});

test('generated queries: where the subset answers, lezer parses the query without an error', () => {
  const next = random(3);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  // mostly in the subset, sometimes just outside it
  const mostly = <T>(good: readonly T[], bad: readonly T[]): T => (next() < 0.85 ? pick(good) : pick(bad));
  const label = () => mostly(['a', 'job', '__name__', 'x1', 'le', 'Ab_9'], ['json', 'by', 'Sum', 'rate', 'ip', 'on', 'a:b', '1a', 'offset', 'Keep']);
  const op = () => mostly(['=', '!=', '=~', '!~'], ['==', '~', '!']);
  const str = () => mostly(['"b"', '""', '`c`', '"x\\"y"', '"$ns"', '"a\\\\"', '"(?i)err"', '`multi\nline`'], ["'q'", '"unclosed', '"a\nb"']);
  const filter = () => mostly(['|=', '!=', '|~', '!~'], ['|', '| json', '| logfmt', 'or', '|= "a" or', '| line_format "{{.x}}"']);
  const ws = ['', ' ', '  ', '\n', '\t', '\r\n'];
  let taken = 0;
  for (let i = 0; i < 30000; i++) {
    const parts: string[] = ['{'];
    const k = 1 + Math.floor(next() * 3);
    for (let j = 0; j < k; j++) parts.push(...(j > 0 ? [','] : []), label(), op(), str());
    if (next() < 0.05) parts.push(',');
    parts.push('}');
    for (let j = Math.floor(next() * 4); j > 0; j--) parts.push(filter(), str());
    if (next() < 0.2) {
      const at = Math.floor(next() * parts.length);
      const s = next();
      if (s < 0.4) parts.splice(at, 1);
      else if (s < 0.7) parts.splice(at, 0, pick(['{', '}', ',', '"', '#x', '[5m]', 'x', '=']));
      else parts.splice(at, 0, parts[at]);
    }
    const expr = parts.map((p) => pick(ws) + p).join('') + pick(ws);
    if (agrees(expr)) taken++;
  }
  expect(taken).toBeGreaterThan(3000);
});
