/**
 * Internal helpers of the Alloy syntax tree (not part of the jsii API): identifier rules, Go-style
 * string quoting, the syntax error.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words Alloy reserves; they cannot be identifiers. */
const RESERVED = new Set(['true', 'false', 'null', 'or', 'and', 'not']);

/** Error thrown when a syntax node would render an invalid Alloy file. */
export class AlloySyntaxError extends Error {
  constructor(problem: string, received: string, expected: string, fix: string) {
    super(`[alloy config] ${problem}. Received: ${received}; expected: ${expected}. Fix: ${fix}`);
    this.name = 'AlloySyntaxError';
  }
}

/** Is `s` a valid Alloy identifier (letters, digits, `_`; not starting with a digit; not reserved)? */
export function isIdentifier(s: string): boolean {
  return IDENTIFIER.test(s) && !RESERVED.has(s);
}

export function requireIdentifier(what: string, s: string): string {
  if (!isIdentifier(s)) {
    throw new AlloySyntaxError(
      `${what} is not a valid Alloy identifier`,
      JSON.stringify(s),
      'letters, digits and underscores, not starting with a digit and not one of true/false/null/or/and/not',
      `use ${JSON.stringify(toIdentifier(s))}`,
    );
  }
  return s;
}

export function requireDottedName(what: string, s: string): string {
  if (s.length === 0 || !s.split('.').every(isIdentifier)) {
    throw new AlloySyntaxError(
      `${what} is not a valid Alloy name`,
      JSON.stringify(s),
      'identifiers separated by dots, e.g. "loki.write", "stage.json" or "endpoint"',
      'remove characters other than letters, digits, "_" and "."',
    );
  }
  return s;
}

/** Turns any string into an identifier (lowercase, non-identifier characters become `_`). */
export function toIdentifier(s: string): string {
  let id = s.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_').toLowerCase();
  if (id.length === 0 || /^[0-9]/.test(id) || RESERVED.has(id)) id = `_${id}`;
  return id;
}

/**
 * Quotes a string the way Go's `strconv.Quote` does for the characters Alloy's scanner reads back:
 * `\\`, `\"`, the C escapes, `\xNN` for other control bytes and `\uNNNN` for non-printable code points.
 */
export function quoteAlloyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case '"': out += '\\"'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if ((cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return out + '"';
}
