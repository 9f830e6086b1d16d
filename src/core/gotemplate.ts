/**
 * A parse check for Go `text/template` text, as Prometheus and the Loki ruler parse alert labels and
 * annotations (`rulefmt.testTemplateParsing`: the text is parsed with Prometheus' template functions,
 * after `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}
 * {{$value := .Value}}`). It reports what Go's parser reports: unclosed actions, unbalanced
 * `if`/`range`/`with`/`define`/`block` and `end`, `else` outside a block, unknown functions, undefined
 * variables, unterminated strings and unbalanced parentheses.
 */
import { IConstruct } from 'constructs';
import { fail, show } from './errors';

/** Go text/template built-in functions (Go 1.26 `text/template/funcs.go`). */
export const GO_TEMPLATE_BUILTINS: readonly string[] = [
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery',
  'eq', 'ge', 'gt', 'le', 'lt', 'ne',
];

/** Prometheus' template functions (`template/template.go` of prometheus/prometheus v3.13.2). */
export const PROMETHEUS_TEMPLATE_FUNCS: readonly string[] = [
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper',
  'toLower', 'graphLink', 'tableLink', 'sortByLabel', 'stripPort', 'stripDomain', 'humanize', 'humanize1024',
  'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp', 'toTime', 'toDuration', 'now', 'pathPrefix',
  'externalURL', 'parseDuration', 'urlQueryEscape',
];

/** The variables Prometheus defines before an alert's label and annotation templates. */
export const PROMETHEUS_TEMPLATE_VARS: readonly string[] = ['$labels', '$externalLabels', '$externalURL', '$value'];

/** A template parse error. */
export interface GoTemplateError {
  /** 0-based offset in the text. */
  readonly position: number;
  /** Go's wording, where it has one. */
  readonly message: string;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const CONSTANTS = new Set(['true', 'false', 'nil']);

interface Token {
  kind: 'ident' | 'var' | 'field' | 'string' | 'number' | 'char' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'other';
  text: string;
  pos: number;
}

function lexAction(src: string, start: number, end: number): Token[] | GoTemplateError {
  const out: Token[] = [];
  let i = start;
  while (i < end) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '"') {
      i++;
      while (i < end && src[i] !== '"') {
        if (src[i] === '\n') return { position: pos, message: 'unterminated quoted string' };
        i += src[i] === '\\' ? 2 : 1;
      }
      if (i >= end) return { position: pos, message: 'unterminated quoted string' };
      i++;
      out.push({ kind: 'string', text: src.slice(pos, i), pos });
    } else if (c === '`') {
      const close = src.indexOf('`', i + 1);
      if (close < 0 || close >= end) return { position: pos, message: 'unterminated raw quoted string' };
      i = close + 1;
      out.push({ kind: 'string', text: src.slice(pos, i), pos });
    } else if (c === "'") {
      i++;
      while (i < end && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
      if (i >= end) return { position: pos, message: 'unterminated character constant' };
      i++;
      out.push({ kind: 'char', text: src.slice(pos, i), pos });
    } else if (c === '$') {
      i++;
      while (i < end && /[A-Za-z0-9_]/.test(src[i])) i++;
      out.push({ kind: 'var', text: src.slice(pos, i), pos });
      while (i < end && src[i] === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
        i++;
        while (i < end && /[A-Za-z0-9_]/.test(src[i])) i++;
      }
    } else if (c === '.') {
      i++;
      while (i < end && /[A-Za-z0-9_.]/.test(src[i])) i++;
      out.push({ kind: 'field', text: src.slice(pos, i), pos });
    } else if (/[0-9+-]/.test(c) && /[0-9.]/.test(c === '+' || c === '-' ? src[i + 1] ?? '' : c)) {
      i++;
      while (i < end && /[0-9a-zA-Z_.+-]/.test(src[i]) && !(/[+-]/.test(src[i]) && !/[eEpP]/.test(src[i - 1]))) i++;
      out.push({ kind: 'number', text: src.slice(pos, i), pos });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < end && /[A-Za-z0-9_]/.test(src[i])) i++;
      out.push({ kind: 'ident', text: src.slice(pos, i), pos });
      // a field chain on an identifier result (e.g. `(index . 0).Name`) is fine; `ident.Field` is not Go syntax
    } else if (c === '|') {
      i++;
      out.push({ kind: 'pipe', text: '|', pos });
    } else if (c === '(') {
      i++;
      out.push({ kind: 'lparen', text: '(', pos });
    } else if (c === ')') {
      i++;
      out.push({ kind: 'rparen', text: ')', pos });
      while (i < end && src[i] === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
        i++;
        while (i < end && /[A-Za-z0-9_]/.test(src[i])) i++;
      }
    } else if (c === ':' && src[i + 1] === '=') {
      i += 2;
      out.push({ kind: 'declare', text: ':=', pos });
    } else if (c === '=') {
      i++;
      out.push({ kind: 'assign', text: '=', pos });
    } else if (c === ',') {
      i++;
      out.push({ kind: 'comma', text: ',', pos });
    } else {
      return { position: pos, message: `unexpected "${c}" in command` };
    }
  }
  return out;
}

/** The functions of a Prometheus rule template (the default of `goTemplateErrors`). */
const PROMETHEUS_RULE_FUNCS: readonly string[] = [...GO_TEMPLATE_BUILTINS, ...PROMETHEUS_TEMPLATE_FUNCS];
let ruleFuncSet: Set<string> | undefined;

/**
 * Parse errors of a Go template (empty when Go's `text/template` parses it with these functions and
 * predefined variables).
 */
export function goTemplateErrors(
  text: string,
  funcs: readonly string[] = PROMETHEUS_RULE_FUNCS,
  predefinedVars: readonly string[] = PROMETHEUS_TEMPLATE_VARS,
): GoTemplateError[] {
  if (typeof text !== 'string') return [{ position: 0, message: `not a string (${typeof text})` }];
  // text without an action is a template (most label values and many summaries): nothing to scan
  if (!text.includes('{{')) return [];
  const known = funcs === PROMETHEUS_RULE_FUNCS ? (ruleFuncSet ??= new Set(funcs)) : new Set(funcs);
  const stack: Array<{ kw: string; pos: number; vars: string[] }> = [];
  let scope: string[] = ['$', ...predefinedVars];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let start = open + 2;
    if (text[start] === '-' && /\s/.test(text[start + 1] ?? '')) start += 2;
    // comments
    const afterOpen = text.slice(start).replace(/^\s*/, '');
    if (afterOpen.startsWith('/*')) {
      const cstart = text.indexOf('/*', start);
      const cend = text.indexOf('*/', cstart + 2);
      if (cend < 0) return [{ position: open, message: 'unclosed comment' }];
      const close = text.indexOf('}}', cend + 2);
      if (close < 0 || text.slice(cend + 2, close).replace(/-$/, '').trim() !== '') return [{ position: open, message: 'comment ends before closing delimiter' }];
      i = close + 2;
      continue;
    }
    // find the closing delimiter outside strings
    let j = start;
    let close = -1;
    let quote: string | undefined;
    while (j < text.length) {
      const c = text[j];
      if (quote) {
        if (c === '\\' && quote !== '`') j++;
        else if (c === quote) quote = undefined;
        else if (c === '\n' && quote !== '`') return [{ position: j, message: 'unterminated quoted string' }];
      } else if (c === '"' || c === '`' || c === "'") {
        quote = c;
      } else if (c === '}' && text[j + 1] === '}') {
        close = j;
        break;
      }
      j++;
    }
    if (close < 0) return [{ position: open, message: quote ? 'unterminated quoted string' : 'unclosed action' }];
    let end = close;
    if (text[end - 1] === '-' && /\s/.test(text[end - 2] ?? '')) end -= 2;
    const toks = lexAction(text, start, end);
    if (!Array.isArray(toks)) return [toks];
    const err = checkAction(toks, open);
    if (err) return [err];
    i = close + 2;
  }
  if (stack.length > 0) {
    const top = stack[stack.length - 1];
    return [{ position: top.pos, message: `unexpected EOF: {{${top.kw}}} at position ${top.pos} has no {{end}}` }];
  }
  return [];

  function checkAction(toks: Token[], pos: number): GoTemplateError | undefined {
    if (toks.length === 0) return { position: pos, message: 'missing value for command' };
    const first = toks[0];
    let rest = toks;
    if (first.kind === 'ident' && KEYWORDS.has(first.text)) {
      rest = toks.slice(1);
      switch (first.text) {
        case 'end':
          if (rest.length > 0) return { position: pos, message: 'unexpected tokens after {{end}}' };
          if (stack.length === 0) return { position: pos, message: 'unexpected {{end}}' };
          scope = stack.pop()!.vars;
          return undefined;
        case 'else': {
          const top = stack[stack.length - 1];
          if (!top || !['if', 'range', 'with'].includes(top.kw)) return { position: pos, message: 'unexpected {{else}}' };
          if (rest.length === 0) return undefined;
          if (rest[0].kind === 'ident' && (rest[0].text === 'if' || rest[0].text === 'with')) return pipeline(rest.slice(1), pos, true);
          return { position: pos, message: 'unexpected tokens after {{else}}: expected {{else}}, {{else if ...}} or {{else with ...}}' };
        }
        case 'break':
        case 'continue':
          if (!stack.some((s) => s.kw === 'range')) return { position: pos, message: `{{${first.text}}} outside {{range}}` };
          return rest.length > 0 ? { position: pos, message: `unexpected tokens after {{${first.text}}}` } : undefined;
        case 'define':
        case 'template':
        case 'block': {
          if (rest.length === 0 || rest[0].kind !== 'string') return { position: pos, message: `{{${first.text}}} needs a quoted template name` };
          if (first.text !== 'template' || rest.length > 1) {
            const e = rest.length > 1 ? pipeline(rest.slice(1), pos, false) : undefined;
            if (e) return e;
          }
          if (first.text === 'define') {
            stack.push({ kw: 'define', pos, vars: scope });
            scope = ['$'];
          } else if (first.text === 'block') {
            stack.push({ kw: 'block', pos, vars: scope });
          }
          return undefined;
        }
        default: {
          // if, range, with
          if (rest.length === 0) return { position: pos, message: `missing value for ${first.text}` };
          const saved = scope;
          scope = [...scope];
          const e = pipeline(rest, pos, true);
          if (e) return e;
          stack.push({ kw: first.text, pos, vars: saved });
          return undefined;
        }
      }
    }
    return pipeline(rest, pos, true);
  }

  function pipeline(toks: Token[], pos: number, allowDecl: boolean): GoTemplateError | undefined {
    let t = toks;
    // declarations: $x := ..., $k, $v := ... (range), $x = ...
    const declAt = t.findIndex((x) => x.kind === 'declare' || x.kind === 'assign');
    if (declAt >= 0) {
      const lhs = t.slice(0, declAt).filter((x) => x.kind !== 'comma');
      if (!allowDecl || lhs.length === 0 || lhs.some((x) => x.kind !== 'var')) return { position: pos, message: 'unexpected ":=" or "=" in operand' };
      if (t[declAt].kind === 'assign') {
        for (const v of lhs) if (!scope.includes(v.text)) return { position: v.pos, message: `undefined variable "${v.text}"` };
      }
      t = t.slice(declAt + 1);
      if (t.length === 0) return { position: pos, message: 'missing value for command' };
      const e = commands(t, pos);
      if (toks[declAt].kind === 'declare') scope.push(...lhs.map((x) => x.text));
      return e;
    }
    return commands(t, pos);
  }

  function commands(toks: Token[], pos: number): GoTemplateError | undefined {
    let depth = 0;
    let expectOperand = true;
    for (const tok of toks) {
      switch (tok.kind) {
        case 'lparen':
          depth++;
          expectOperand = true;
          break;
        case 'rparen':
          depth--;
          if (depth < 0) return { position: tok.pos, message: 'unexpected right paren' };
          break;
        case 'pipe':
          expectOperand = true;
          continue;
        case 'ident':
          if (KEYWORDS.has(tok.text)) return { position: tok.pos, message: `unexpected <${tok.text}> in command` };
          if (!CONSTANTS.has(tok.text) && !known.has(tok.text)) return { position: tok.pos, message: `function "${tok.text}" not defined` };
          break;
        case 'var':
          if (!scope.includes(tok.text)) return { position: tok.pos, message: `undefined variable "${tok.text}"` };
          break;
        case 'declare':
        case 'assign':
        case 'comma':
          return { position: tok.pos, message: `unexpected "${tok.text}" in operand` };
        default:
          break;
      }
      expectOperand = false;
    }
    if (depth > 0) return { position: pos, message: 'unclosed left paren' };
    if (expectOperand) return { position: pos, message: 'missing command after |' };
    return undefined;
  }
}

/** Fails unless `text` parses as a Prometheus alert template. `where` names the rule and field. */
export function requireGoTemplate(scope: IConstruct, where: string, text: string): string {
  const errs = goTemplateErrors(text);
  if (errs.length > 0) {
    const e = errs[0];
    fail(scope, {
      problem: `${where}: the Go template does not parse at position ${e.position}: ${e.message}`,
      received: show(text),
      expected: `a Go text/template with balanced {{…}} actions and {{if}}/{{range}}/{{with}} … {{end}} blocks, using Go's built-in functions, Prometheus' template functions (${PROMETHEUS_TEMPLATE_FUNCS.slice(0, 6).join(', ')}, …) and the variables ${PROMETHEUS_TEMPLATE_VARS.join(', ')}`,
      fix: 'correct the template at that position (e.g. {{ $labels.pod }}, {{ $value | humanize }}); `promtool check rules` reports the same error',
    });
  }
  return text;
}
