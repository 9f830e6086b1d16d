/**
 * Regular expressions as the engines read them. Prometheus, Alertmanager, Loki and Grafana's backends are
 * written in Go, whose `regexp` package implements RE2 syntax: no lookaround, no backreferences, no
 * possessive quantifiers, repetition counts up to 1000. JavaScript's RegExp accepts all of those, so it
 * cannot be used to check them. `re2js` is a pure-JavaScript port of RE2 (bundled dependency).
 */
import { IConstruct } from 'constructs';
import { fail, show } from './errors';

interface Re2Js {
  compile(re: string): unknown;
}
// The package ships a CommonJS build (`require` export) next to its ESM one; loaded on first use.
let re2js: Re2Js | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RE2JS = (): Re2Js => (re2js ??= require('re2js').RE2JS);

/**
 * True for expressions RE2 accepts by construction, answered without compiling them (every label matcher
 * and relabel regex the shipped packs use: `node-exporter|kubelet`, `loki(-.*)?`, `^(?:kubelet)$`):
 * printable ASCII literals, `.` and escaped punctuation, groups `(...)` and `(?:...)` nested up to 10
 * deep, each atom or group with at most one `*`, `+` or `?`, alternation and the `^`/`$` anchors.
 * Anything else (classes, counted repetition, flags, non-greedy or nested quantifiers) is compiled.
 * Checked against re2js by test/core/re2.test.ts.
 */
export function simpleRe2(re: string): boolean {
  return simpleRe2MatchesEmpty(re) !== undefined;
}

/**
 * For an expression of the simple subset (see `simpleRe2`): whether `^(?:re)$` matches the empty string
 * (a branch matches it when each of its atoms does: an anchor, a group that does, or any atom with `*` or
 * `?`). `undefined` for any other expression.
 */
export function simpleRe2MatchesEmpty(re: string): boolean | undefined {
  // per open group: `any` (an earlier branch matches empty), `cur` (the current branch so far), `pending`
  // (the last atom, which a quantifier may still change; undefined when there is none to quantify)
  const stack: Array<{ any: boolean; cur: boolean; pending: boolean | undefined }> = [];
  let f = { any: false, cur: true, pending: undefined as boolean | undefined };
  const fold = () => {
    if (f.pending !== undefined) f.cur = f.cur && f.pending;
    f.pending = undefined;
  };
  let quantifiable = false;
  for (let i = 0; i < re.length; i++) {
    const c = re.charCodeAt(i);
    if (c === 0x28 /* ( */) {
      if (re.charCodeAt(i + 1) === 0x3f /* ? */) {
        if (re.charCodeAt(i + 2) !== 0x3a /* : */) return undefined;
        i += 2;
      }
      if (stack.length >= 10) return undefined;
      fold();
      stack.push(f);
      f = { any: false, cur: true, pending: undefined };
      quantifiable = false;
    } else if (c === 0x29 /* ) */) {
      const parent = stack.pop();
      if (parent === undefined) return undefined;
      fold();
      const group = f.any || f.cur;
      f = parent;
      f.pending = group;
      quantifiable = true;
    } else if (c === 0x2a || c === 0x2b || c === 0x3f /* * + ? */) {
      if (!quantifiable || f.pending === undefined) return undefined;
      if (c !== 0x2b) f.pending = true;
      quantifiable = false;
    } else if (c === 0x7c /* | */) {
      fold();
      f.any = f.any || f.cur;
      f.cur = true;
      quantifiable = false;
    } else if (c === 0x5e || c === 0x24 /* ^ $ */) {
      fold();
      f.pending = true; // zero-width
      quantifiable = false;
    } else if (c === 0x5c /* \ */) {
      const n = re.charCodeAt(i + 1);
      if (!((n >= 0x21 && n <= 0x2f) || (n >= 0x3a && n <= 0x40) || (n >= 0x5b && n <= 0x60) || (n >= 0x7b && n <= 0x7e))) return undefined;
      i++;
      fold();
      f.pending = false;
      quantifiable = true;
    } else if (c < 0x20 || c > 0x7e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d /* [ ] { } */) {
      return undefined;
    } else {
      fold();
      f.pending = false; // a literal or `.`
      quantifiable = true;
    }
  }
  if (stack.length > 0) return undefined;
  fold();
  return f.any || f.cur;
}

/** Verdicts by expression: the same matchers and relabel regexes recur across an app (bounded). */
const VERDICTS = new Map<string, string | undefined>();

/** The RE2 parse error for `re`, or undefined when RE2 (Go's `regexp`) accepts it. */
export function re2Error(re: string): string | undefined {
  if (typeof re !== 'string') return `not a string (${typeof re})`;
  if (simpleRe2(re)) return undefined;
  if (VERDICTS.has(re)) return VERDICTS.get(re);
  let verdict: string | undefined;
  try {
    RE2JS().compile(re);
  } catch (e) {
    verdict = (e as Error).message.replace(/^error parsing regexp: /, '');
  }
  if (VERDICTS.size >= 10_000) VERDICTS.clear();
  VERDICTS.set(re, verdict);
  return verdict;
}

/** Fails unless `re` is a valid RE2 regular expression. `prop` names the prop or field. */
export function requireRe2(scope: IConstruct, prop: string, re: string): string {
  const e = re2Error(re);
  if (e) {
    fail(scope, {
      problem: `'${prop}' is not a valid RE2 regular expression (${e})`,
      received: show(re),
      expected: 'an RE2 regular expression, the syntax of Go\'s regexp package: no lookahead/lookbehind ((?=, (?!, (?<=, (?<!), no backreferences (\\1), repetition counts at most 1000',
      fix: 'rewrite the expression without the unsupported construct (e.g. a negative lookahead becomes a separate !~ matcher), and check it with `promtool` or https://pkg.go.dev/regexp/syntax',
    });
  }
  return re;
}
