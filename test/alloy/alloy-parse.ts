/**
 * A small, strict parser for the Alloy syntax subset the library renders (test-only). It reads a
 * rendered config back into a tree so tests can check (1) that the text is well formed — balanced
 * braces, quoted labels, Go-style string escapes, commas between elements and a trailing comma before a
 * closing bracket on its own line, as Alloy's parser requires — and (2) which components, arguments and
 * blocks the file really contains, for the check against the Alloy 1.18.1 component reference.
 */

export type PlainValue =
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'array'; v: PlainValue[] }
  | { t: 'object'; v: Array<[string, PlainValue]> }
  | { t: 'ref'; v: string }
  | { t: 'call'; fn: string; args: PlainValue[] }
  | { t: 'concat'; v: PlainValue[] };

export interface ParsedBlock {
  name: string;
  label?: string;
  attrs: Array<{ name: string; value: PlainValue }>;
  blocks: ParsedBlock[];
}

interface Token { kind: 'ident' | 'string' | 'number' | 'punct' | 'eof'; text: string; value?: any; line: number; pos: number }

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function unescapeGo(body: string, pos: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      if (c === '\n') throw new Error(`newline in string literal at ${pos}`);
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', '"': '"' };
    if (n in simple) { out += simple[n]; continue; }
    const hex = (len: number) => {
      const h = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new Error(`bad \\${n} escape at ${pos + i}`);
      i += len;
      return parseInt(h, 16);
    };
    if (n === 'x') { out += String.fromCharCode(hex(2)); continue; }
    if (n === 'u') { out += String.fromCodePoint(hex(4)); continue; }
    if (n === 'U') { out += String.fromCodePoint(hex(8)); continue; }
    if (/[0-7]/.test(n)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new Error(`bad octal escape at ${pos + i}`);
      i += 2;
      out += String.fromCharCode(parseInt(o, 8));
      continue;
    }
    throw new Error(`unknown escape \\${n} at ${pos + i}`);
  }
  return out;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (src.startsWith('//', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\n') throw new Error(`unterminated string on line ${line}`);
        j += src[j] === '\\' ? 2 : 1;
      }
      if (j >= src.length) throw new Error(`unterminated string on line ${line}`);
      out.push({ kind: 'string', text: src.slice(i, j + 1), value: unescapeGo(src.slice(i + 1, j), i), line, pos: i });
      i = j + 1;
      continue;
    }
    IDENT.lastIndex = i;
    let m = IDENT.exec(src);
    if (m) { out.push({ kind: 'ident', text: m[0], line, pos: i }); i += m[0].length; continue; }
    NUMBER.lastIndex = i;
    m = NUMBER.exec(src);
    if (m) { out.push({ kind: 'number', text: m[0], value: Number(m[0]), line, pos: i }); i += m[0].length; continue; }
    if ('{}[]()=,.+'.includes(c)) { out.push({ kind: 'punct', text: c, line, pos: i }); i++; continue; }
    throw new Error(`unexpected character ${JSON.stringify(c)} on line ${line}`);
  }
  out.push({ kind: 'eof', text: '', line, pos: i });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}
  private peek(o = 0): Token { return this.toks[this.i + o]; }
  private next(): Token { return this.toks[this.i++]; }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || (t.kind !== 'punct')) throw new Error(`expected '${text}' on line ${t.line}, got '${t.text}'`);
    return t;
  }

  public file(): ParsedBlock[] {
    const body = this.body(true);
    return body.blocks;
  }

  private body(top: boolean): { attrs: ParsedBlock['attrs']; blocks: ParsedBlock[] } {
    const attrs: ParsedBlock['attrs'] = [];
    const blocks: ParsedBlock[] = [];
    let lastLine = -1;
    while (true) {
      const t = this.peek();
      if (t.kind === 'eof') { if (!top) throw new Error('unexpected end of file'); break; }
      if (t.kind === 'punct' && t.text === '}') { if (top) throw new Error(`unbalanced '}' on line ${t.line}`); break; }
      if (t.line === lastLine) throw new Error(`two statements on line ${t.line}`);
      if (t.kind !== 'ident') throw new Error(`expected a name on line ${t.line}, got '${t.text}'`);
      const name = this.dotted();
      if (this.peek().text === '=' && this.peek().kind === 'punct') {
        if (top) throw new Error(`attribute '${name}' at the top level (line ${t.line})`);
        if (name.includes('.')) throw new Error(`attribute name '${name}' is not an identifier (line ${t.line})`);
        this.next();
        attrs.push({ name, value: this.expr() });
      } else {
        let label: string | undefined;
        if (this.peek().kind === 'string') label = this.next().value;
        this.expect('{');
        const inner = this.body(false);
        const close = this.expect('}');
        blocks.push({ name, ...(label !== undefined ? { label } : {}), ...inner });
        lastLine = close.line;
        continue;
      }
      lastLine = this.toks[this.i - 1].line;
    }
    return { attrs, blocks };
  }

  private dotted(): string {
    const parts = [this.next().text];
    while (this.peek().text === '.' && this.peek().kind === 'punct') {
      this.next();
      const t = this.next();
      if (t.kind !== 'ident') throw new Error(`expected an identifier after '.' on line ${t.line}`);
      parts.push(t.text);
    }
    return parts.join('.');
  }

  private expr(): PlainValue {
    const first = this.term();
    const parts = [first];
    while (this.peek().kind === 'punct' && this.peek().text === '+') { this.next(); parts.push(this.term()); }
    return parts.length === 1 ? first : { t: 'concat', v: parts };
  }

  private list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    while (true) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === close) { this.next(); return out; }
      out.push(item());
      const after = this.peek();
      if (after.kind === 'punct' && after.text === ',') { this.next(); continue; }
      if (after.kind === 'punct' && after.text === close) {
        if (after.line !== this.toks[this.i - 1].line) throw new Error(`missing trailing comma before '${close}' on line ${after.line}`);
        this.next();
        return out;
      }
      throw new Error(`expected ',' or '${close}' on line ${after.line}, got '${after.text}'`);
    }
  }

  private term(): PlainValue {
    const t = this.next();
    if (t.kind === 'string') return { t: 'string', v: t.value };
    if (t.kind === 'number') return { t: 'number', v: t.value };
    if (t.kind === 'punct' && t.text === '[') return { t: 'array', v: this.list(']', () => this.expr()) };
    if (t.kind === 'punct' && t.text === '{') {
      return {
        t: 'object',
        v: this.list('}', () => {
          const k = this.next();
          if (k.kind !== 'ident' && k.kind !== 'string') throw new Error(`bad object key on line ${k.line}`);
          this.expect('=');
          return [k.kind === 'string' ? k.value : k.text, this.expr()] as [string, PlainValue];
        }),
      };
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { t: 'bool', v: t.text === 'true' };
      if (t.text === 'null') return { t: 'null' };
      this.i--;
      const name = this.dotted();
      if (this.peek().kind === 'punct' && this.peek().text === '(') {
        this.next();
        return { t: 'call', fn: name, args: this.list(')', () => this.expr()) };
      }
      return { t: 'ref', v: name };
    }
    throw new Error(`unexpected '${t.text}' on line ${t.line}`);
  }
}

/** Parses a rendered Alloy file; throws with a line number on malformed text. */
export function parseAlloy(src: string): ParsedBlock[] {
  return new Parser(tokenize(src)).file();
}
