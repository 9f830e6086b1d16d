import { promqlTypeErrors } from '../../src/core/promql-types';
import { re2Error, simpleRe2, simpleRe2MatchesEmpty } from '../../src/core/re2';
import { random } from '../random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RE2JS = require('re2js').RE2JS;
const compiles = (re: string): boolean => {
  try {
    RE2JS.compile(re);
    return true;
  } catch {
    return false;
  }
};

test('every expression the fast path accepts without compiling is one RE2 (re2js) accepts', () => {
  const pieces = ['(?:', '(?i)', '()', 'a', 'Z', '0', '_', '-', ':', '/', ' ', '"', '.', '*', '+', '?', '|', '^', '$', '\\.', '\\-', '\\\\', '(', ')', '[', ']', '{', '}', '{2}', '\\d', '\\1', '(?=', '**', 'é', '\t'];
  const next = random(42);
  let simple = 0;
  for (let i = 0; i < 20000; i++) {
    const n = Math.floor(next() * 8);
    let re = '';
    for (let j = 0; j < n; j++) re += pieces[Math.floor(next() * pieces.length)];
    if (!simpleRe2(re)) continue;
    simple++;
    if (!compiles(re)) throw new Error(`the fast path accepts ${JSON.stringify(re)}, which RE2 rejects`);
    // whether a matcher matches the empty string, from the structure, is what RE2 says
    if (simpleRe2MatchesEmpty(re) !== RE2JS.compile(`^(?:${re})$`).matcher('').find()) throw new Error(`matches-empty of ${JSON.stringify(re)} differs from RE2`);
    // and JavaScript's RegExp agrees with RE2 on the anchored form
    for (const input of ['', 'a', '-', 'a.b']) {
      const js = new RegExp(`^(?:${re})$`).test(input);
      if (js !== RE2JS.compile(`^(?:${re})$`).matcher(input).find()) throw new Error(`RegExp and RE2 disagree on ${JSON.stringify(re)} for ${JSON.stringify(input)}`);
    }
  }
  expect(simple).toBeGreaterThan(1000);
});

test.each([
  ['node-exporter|kubelet'], ['.+'], ['kube_.*_total'], ['^prometheus$'], ['5..'], ['a\\.b'], [''], ['loki(-.*)?'],
  ['^(?:(container_spec_.*|container_threads);;)$'], ['^(?:(container_blkio_device_usage_total);.+)$'],
])('%s is valid without compiling', (re) => {
  expect(simpleRe2(re)).toBe(true);
  expect(re2Error(re)).toBeUndefined();
});

test.each([
  ['a**', 'invalid nested repetition operator'], ['(?=x)', 'invalid or unsupported Perl syntax'], ['(a', 'missing closing )'],
  ['a{1001}', 'invalid repeat count'], ['(a))', 'unexpected )'], ['(?P<x', 'invalid named capture'], ['\\1', 'invalid escape sequence'], ['a++', 'invalid nested repetition operator'],
])('%s still fails with the RE2 message', (re, message) => {
  expect(simpleRe2(re)).toBe(false);
  expect(re2Error(re)).toContain(message);
});

test.each([
  ['{job=~".*"}', true], ['{job=~"a|"}', true], ['{job=~"(a)?"}', true], ['{job=~"^$"}', true], ['{job=~"[a]*"}', true],
  ['{job=~".+"}', false], ['{job=~"a|b"}', false], ['{job=~"(a)+"}', false], ['{job=~"[a]+"}', false], ['{job!~"a"}', true], ['up{job=~".*"}', false],
])('PromQL %s: a selector of only empty-matching matchers is an error (%s)', (expr, fails) => {
  const errors = promqlTypeErrors(expr);
  expect(errors.some((e) => e.message === 'vector selector must contain at least one non-empty matcher')).toBe(fails);
});
