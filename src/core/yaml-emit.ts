import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { cdk8sYaml, rawBytes, rawNode, verbatimSupported } from './verbatim';

/**
 * A fast YAML writer for resolved JSON data, byte for byte what cdk8s writes.
 *
 * cdk8s writes each object with `YAML.stringify(json, { keepUndefined: true, lineWidth: 0, version: '1.1' })`
 * of the `yaml` copy it bundles: a node tree is built for every value, then printed (a third of the CPU
 * of a 1,000-monitor + 10,000-rule synth). `emitDocument` prints the same text straight from the JSON.
 *
 * The layout of block maps and sequences (`key: value`, `- item`, two spaces per level, `{}` and `[]` for
 * empty collections) is simple; scalars are not (plain or quoted, block literals with chomping and
 * indentation indicators, YAML 1.1 look-alikes, long keys). So:
 *  - a string is written plain, as it is, only when it passes the very tests `yaml` applies before
 *    writing a plain single-line string (its own regular expressions, and the tests of the default tags
 *    of the document's schema, read from a document made with cdk8s' options);
 *  - every other string, and every number but a safe integer, is printed by `yaml` itself, as the only
 *    content of a small document that puts it at the same indentation (cached per distinct value and, for
 *    a multi-line string, per indentation);
 *  - anything that is not plain JSON data (a `yaml` node, a class instance, a `Date`, a function, the same
 *    object or array twice, which `yaml` writes as an anchor and an alias) makes `emitDocument` answer
 *    `undefined`: the caller writes that object the ordinary way.
 * A self-check on first use compares a probe document with `yaml`'s own output; on any difference the
 * emitter is off for the process (every object takes the ordinary path).
 */

/** cdk8s' options for `YAML.stringify` (node_modules/cdk8s/lib/yaml.js). */
const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

// From yaml's stringifyString.js (2.x): control characters and lone surrogates force double quotes;
// the indicator test of `plainString`; a line starting a document or a directive.
// eslint-disable-next-line no-control-regex
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** Longest implicit key yaml writes (`stringifyPair`: longer keys become explicit `? key`). */
const MAX_IMPLICIT_KEY = 1024;
/** Cached scalars kept before a cache is emptied (a long-running process synthesizing many apps). */
const CACHE_LIMIT = 200_000;

interface Emitter {
  readonly yaml: any;
  readonly options: WriterOptions;
  /** The tests of the schema's default non-string tags (a plain string matching one must be quoted). */
  readonly tagTests: RegExp[];
  readonly nullText: string;
  readonly undefinedText: string;
  readonly trueText: string;
  readonly falseText: string;
  readonly negativeZeroText: string;
  /** Strings and numbers printed by yaml (or found plain), single-line strings for any indentation. */
  readonly values: Map<string, string | null>;
  readonly numbers: Map<number, string | null>;
  /** Multi-line strings by indentation (number of spaces). */
  readonly multiLine: Map<number, Map<string, string | null>>;
  /** Keys at the top level, and below (a key starting with `---` is quoted only at the top). */
  readonly topKeys: Map<string, string | null>;
  readonly nestedKeys: Map<string, string | null>;
}

/** The `YAML.stringify` options an emitter writes for. */
type WriterOptions = { readonly lineWidth: 0; readonly version?: '1.1'; readonly keepUndefined?: true; readonly minContentWidth?: 0; readonly aliasDuplicateObjects?: false };

const emitters = new Map<WriterOptions, Emitter | null>();
/** How often scalars were printed by yaml, and documents given up on (for tests and profiling). */
export const emitStats = { delegated: 0, fallbacks: 0, documents: 0 };

function setup(options: WriterOptions): Emitter | null {
  const Y = cdk8sYaml();
  const schema = new Y.Document(null, options).schema;
  const tagTests: RegExp[] = [];
  for (const tag of [...schema.tags, ...(schema.compat ?? [])]) {
    if (!tag.default || tag.tag === 'tag:yaml.org,2002:str' || !tag.test) continue;
    if (!(tag.test instanceof RegExp) || tag.test.global || tag.test.sticky) return null;
    tagTests.push(tag.test);
  }
  const partial: Omit<Emitter, 'nullText' | 'undefinedText' | 'trueText' | 'falseText' | 'negativeZeroText'> = {
    yaml: Y,
    options,
    tagTests,
    values: new Map(),
    numbers: new Map(),
    multiLine: new Map(),
    topKeys: new Map(),
    nestedKeys: new Map(),
  };
  const scalar = (v: unknown) => viaYaml(partial as Emitter, v, 2);
  const texts = {
    nullText: scalar(null),
    // without keepUndefined, yaml drops the pair: a document with `undefined` is then left to yaml
    undefinedText: options.keepUndefined ? scalar(undefined) : '',
    trueText: scalar(true),
    falseText: scalar(false),
    negativeZeroText: scalar(-0),
  };
  for (const t of Object.values(texts)) if (t === undefined) return null;
  const e = { ...partial, ...texts } as Emitter;
  return selfCheck(e) ? e : null;
}

function selfCheck(e: Emitter): boolean {
  const probe = {
    'apiVersion': 'v1',
    'kind': 'ConfigMap',
    'metadata': { name: 'x', labels: { 'a/b': 'yes', 'c': '0755', 'd': '1:20', 'e': '' }, annotations: {} },
    '---top': { '---nested': '---v', 'k': [] },
    'data': { 'a.yaml': 'x: 1\n  y: 2\n', 'b': ' lead\ntrail \n', 'c': 'a\n\n', 'd': 'it\'s "q"', 'e': '#c', 'f': 'a: b', 'g': 'é\u0007' },
    'n': [1, -2, 0.5, 1e21, -0, NaN, Infinity, true, false, null, [], {}, [[1, [2]], { a: 1 }], { b: [{ c: 'x\ny' }] }],
    '80': 'on',
    '<<': '~',
  };
  const ours = emitDocument(probe, e);
  return ours !== undefined && `${ours}\n` === e.yaml.stringify(probe, e.options);
}

/** The emitter for `options`, set up (and self-checked) on first use; `null` when it is off. */
function emitterFor(options: WriterOptions): Emitter | null {
  let e = emitters.get(options);
  if (e === undefined) {
    try {
      e = setup(options);
    } catch {
      e = null;
    }
    emitters.set(options, e);
  }
  return e;
}

function active(): Emitter | null {
  return emitterFor(OPTIONS);
}

/** The options `renderYaml` (core/config.ts) writes config files with (YAML 1.2, no folding, no aliases). */
export const CONFIG_YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * `YAML.stringify(value, CONFIG_YAML_OPTIONS)` of plain JSON data without `undefined` (a rendered config
 * file), by the emitter; `undefined` when the emitter cannot write it (the caller then asks yaml).
 */
export function emitConfigYaml(value: unknown): string | undefined {
  const e = emitterFor(CONFIG_YAML_OPTIONS);
  if (e === null) return undefined;
  const out = emitDocument(value, e);
  return out === undefined ? undefined : `${out}\n`;
}

/**
 * The YAML cdk8s writes for `value` (a document, without its final newline), or `undefined` when `value`
 * is not plain JSON data (or the emitter is off): then `YAML.stringify` must write it.
 */
export function emitYamlDocument(value: unknown): string | undefined {
  const e = active();
  if (e === null) return undefined;
  const out = emitDocument(value, e);
  if (out === undefined) emitStats.fallbacks++;
  else emitStats.documents++;
  return out;
}

/** True when `emitYamlDocument` can write plain data (the self-check passed). */
export function yamlEmitterActive(): boolean {
  return active() !== null;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function emitDocument(value: unknown, e: Emitter): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !isPlainObject(value)) return undefined;
  return emitMap(value as Record<string, unknown>, '', true, e, new Set());
}

/** A block map whose pairs start at `indent` (the first one where the caller is). */
function emitMap(obj: Record<string, unknown>, indent: string, top: boolean, e: Emitter, seen: Set<object>): string | undefined {
  if (seen.has(obj)) return undefined;
  seen.add(obj);
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  const inner = `${indent}  `;
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keyText(keys[i], top, e);
    if (key === undefined) return undefined;
    const v = obj[keys[i]];
    let text: string | undefined;
    if (v !== null && typeof v === 'object') {
      text = emitCollection(v, inner, e, seen);
      if (text === undefined) return undefined;
      text = text === '{}' || text === '[]' ? ` ${text}` : `\n${inner}${text}`;
    } else {
      text = scalarText(v, inner, e);
      if (text === undefined) return undefined;
      text = ` ${text}`;
    }
    out += i === 0 ? `${key}:${text}` : `\n${indent}${key}:${text}`;
  }
  return out;
}

/** A block sequence whose items start at `indent`. */
function emitSeq(arr: unknown[], indent: string, e: Emitter, seen: Set<object>): string | undefined {
  if (seen.has(arr)) return undefined;
  seen.add(arr);
  if (arr.length === 0) return '[]';
  const inner = `${indent}  `;
  let out = '';
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    const text = v !== null && typeof v === 'object' ? emitCollection(v, inner, e, seen) : scalarText(v, inner, e);
    if (text === undefined) return undefined;
    out += i === 0 ? `- ${text}` : `\n${indent}- ${text}`;
  }
  return out;
}

function emitCollection(v: object, indent: string, e: Emitter, seen: Set<object>): string | undefined {
  if (Array.isArray(v)) return emitSeq(v, indent, e, seen);
  if (!isPlainObject(v)) return undefined;
  return emitMap(v as Record<string, unknown>, indent, false, e, seen);
}

/** The text of a scalar whose lines (if it has several) are indented by `indent`. */
function scalarText(v: unknown, indent: string, e: Emitter): string | undefined {
  switch (typeof v) {
    case 'string':
      return stringText(v, indent, e);
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
      if (Object.is(v, -0)) return e.negativeZeroText;
      return cached(e.numbers, v, () => viaYaml(e, v, 2));
    case 'boolean':
      return v ? e.trueText : e.falseText;
    case 'undefined':
      return e.options.keepUndefined ? e.undefinedText : undefined;
    case 'object':
      return v === null ? e.nullText : undefined;
    default:
      return undefined; // functions, symbols, bigints: the ordinary path
  }
}

/** True when yaml writes `s` plain and unchanged, as a value or an implicit key, at any indentation below the top. */
function plainAsIs(s: string, e: Emitter): boolean {
  if (s === '' || s.includes('\n') || FORCE_DOUBLE.test(s) || NOT_PLAIN.test(s) || DOCUMENT_MARKER.test(s)) return false;
  for (const t of e.tagTests) if (t.test(s)) return false;
  return true;
}

function stringText(s: string, indent: string, e: Emitter): string | undefined {
  if (!s.includes('\n')) {
    const known = e.values.get(s);
    if (known !== undefined) return known ?? undefined;
    return cached(e.values, s, () => (plainAsIs(s, e) ? s : doubleQuoted(s) ?? viaYaml(e, s, indent.length)));
  }
  let byIndent = e.multiLine.get(indent.length);
  if (byIndent === undefined) {
    byIndent = new Map();
    e.multiLine.set(indent.length, byIndent);
  }
  return cached(byIndent, s, () => blockLiteral(s, indent) ?? viaYaml(e, s, indent.length));
}

/** Printable ASCII without `"` and `\\`: JSON writes it unescaped. */
const QUOTABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A one-line string that cannot be plain for its characters, as yaml writes it (`quotedString`: double
 * quotes unless the text holds `"` and no `'`; `doubleQuotedString` is then the JSON string when nothing
 * in it is escaped, and `lineWidth: 0` never folds it). `undefined` for the rest (texts that read as
 * another type, escapes, quotes, document markers): yaml writes them.
 */
function doubleQuoted(text: string): string | undefined {
  // only texts yaml must quote for their characters (`plainString`: an indicator first, `: `, ` #`, ...)
  return NOT_PLAIN.test(text) && QUOTABLE.test(text) && !DOCUMENT_MARKER.test(text) ? JSON.stringify(text) : undefined;
}

/** yaml's `blockEndNewlines` (stringifyString.js). */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/**
 * A multi-line string as yaml writes it as a nested value (`blockString` of stringifyString.js with
 * `lineWidth: 0`: a literal block, `|` with the strip or clip chomping indicator and the indentation
 * indicator when the text starts with a space), line by line the same steps. `undefined` for the cases it
 * leaves to yaml: control characters (double-quoted), a text of only whitespace or ending in a line of
 * spaces (quoted), and a text ending in more than one newline (keep chomping, `|+`). Checked against yaml by
 * the self-check, test/core/yaml-emit.test.ts (fuzzed) and every dist/ document.
 */
function blockLiteral(text: string, indent: string): string | undefined {
  if (indent === '' || FORCE_DOUBLE.test(text) || /\n[\t ]+$/.test(text) || /^\s*$/.test(text)) return undefined;
  let value = text;
  let endStart = value.length;
  while (endStart > 0) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
    endStart--;
  }
  let end = value.substring(endStart);
  const endNl = end.indexOf('\n');
  let chomp: string;
  if (endNl === -1) chomp = '-';
  else if (value === end || endNl !== end.length - 1) return undefined; // keep chomping
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  return `|${startWithSpace ? '2' : ''}${chomp}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** `blockLiteral` (multi-line) or `doubleQuoted` (one line, not plain) and yaml on one text (for tests). */
export function scalarWriterAgrees(text: string, indent: number): boolean {
  const e = active();
  if (e === null) return false;
  if (!text.includes('\n') && plainAsIs(text, e)) return true;
  const ours = text.includes('\n') ? blockLiteral(text, ' '.repeat(indent)) : doubleQuoted(text);
  return ours === undefined || ours === viaYaml(e, text, indent);
}

function keyText(k: string, top: boolean, e: Emitter): string | undefined {
  const cache = top ? e.topKeys : e.nestedKeys;
  const known = cache.get(k);
  if (known !== undefined) return known ?? undefined;
  return cached(cache, k, () => (k.length <= MAX_IMPLICIT_KEY && plainAsIs(k, e) ? k : keyViaYaml(e, k, top)));
}

function cached<K>(cache: Map<K, string | null>, key: K, produce: () => string | undefined): string | undefined {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    v = produce() ?? null;
    cache.set(key, v);
  }
  return v ?? undefined;
}

/**
 * `v` printed by yaml as a map value at `indent` spaces: the only leaf of `{a: {a: ... {a: v}}}`, nested
 * so that the value sits at that indentation. `undefined` if the output is not in the expected shape.
 */
function viaYaml(e: Emitter, v: unknown, indent: number): string | undefined {
  emitStats.delegated++;
  const depth = indent / 2;
  if (!Number.isInteger(depth) || depth < 1) return undefined;
  let doc: unknown = v;
  let prefix = '';
  for (let i = 0; i < depth; i++) {
    doc = { a: doc };
    prefix += i < depth - 1 ? `${'  '.repeat(i)}a:\n` : `${'  '.repeat(i)}a: `;
  }
  const out: string = e.yaml.stringify(doc, e.options);
  if (!out.startsWith(prefix) || !out.endsWith('\n')) return undefined;
  const text = out.slice(prefix.length, -1);
  return text === '' ? undefined : text;
}

/** Key `k` printed by yaml as an implicit key of the top map or of a map below; `undefined` if it is not one. */
function keyViaYaml(e: Emitter, k: string, top: boolean): string | undefined {
  emitStats.delegated++;
  const inner: Record<string, number> = {};
  Object.defineProperty(inner, k, { value: 1, enumerable: true, writable: true, configurable: true });
  const out: string = e.yaml.stringify(top ? inner : { a: inner }, e.options);
  const prefix = top ? '' : 'a:\n  ';
  const suffix = ': 1\n';
  if (!out.startsWith(prefix) || !out.endsWith(suffix)) return undefined;
  const text = out.slice(prefix.length, -suffix.length);
  return text === '' || text.includes('\n') || text.startsWith('? ') ? undefined : text;
}

/** Documents the writer may emit itself (see `withFastWriter`). */
const EMITTABLE = new WeakSet<object>();
let writers = 0;
let savedStringify: PropertyDescriptor | undefined;
let savedSave: PropertyDescriptor | undefined;

/** Lets the writer of a running `withFastWriter` emit `manifest` (plain resolved JSON) itself. */
export function markEmittable(manifest: unknown): void {
  if (manifest !== null && typeof manifest === 'object') EMITTABLE.add(manifest);
}

/**
 * Runs `run` (an `App.synth()`) with cdk8s' writer (`Yaml.stringify`, which `Yaml.save` and `synthYaml`
 * call) handing each document marked by `markEmittable` to `emitYamlDocument` as a raw node of its text
 * (`rawNode` of verbatim.ts: the writer prints it as it is); every other document, and one the emitter
 * gives up on, is written as before. The writer is restored when `run` ends. Off when cdk8s' writer does
 * not print raw nodes unchanged (`verbatimSupported`) or the emitter's self-check failed.
 */
export function withFastWriter<T>(run: () => T): T {
  if (writers === 0 && !install()) return run();
  writers++;
  try {
    return run();
  } finally {
    if (--writers === 0) uninstall();
  }
}

function install(): boolean {
  if (!verbatimSupported() || !yamlEmitterActive()) return false;
  const descriptor = Object.getOwnPropertyDescriptor(Yaml, 'stringify');
  if (descriptor === undefined || typeof descriptor.value !== 'function' || !descriptor.writable || !descriptor.configurable) return false;
  const original = descriptor.value as (...docs: unknown[]) => string;
  savedStringify = descriptor;
  Object.defineProperty(Yaml, 'stringify', {
    ...descriptor,
    value: function stringify(this: unknown, ...docs: unknown[]): string {
      return original.apply(this, docs.map(emitted));
    },
  });
  // `Yaml.save` is `writeFileSync(path, Yaml.stringify(...docs))`: a file with a raw node made from bytes
  // (the CRDs) is written as the same bytes, without decoding and encoding them again
  const save = Object.getOwnPropertyDescriptor(Yaml, 'save');
  if (save !== undefined && typeof save.value === 'function' && save.writable && save.configurable) {
    savedSave = save;
    Object.defineProperty(Yaml, 'save', {
      ...save,
      value: function (this: unknown, filePath: string, docs: unknown[]): void {
        if (!Array.isArray(docs) || !docs.some((d) => rawBytes(d) !== undefined)) return save.value.call(this, filePath, docs);
        const parts: Buffer[] = [];
        docs.forEach((d, i) => {
          if (i > 0) parts.push(SEPARATOR);
          const bytes = rawBytes(d);
          // what `Yaml.stringify` writes for one document: a raw node is its text and a newline
          if (bytes !== undefined) parts.push(bytes, NEWLINE);
          else parts.push(Buffer.from(Yaml.stringify(d), 'utf8'));
        });
        const fd = fs.openSync(filePath, 'w');
        try {
          for (const part of parts) {
            for (let off = 0; off < part.length;) off += fs.writeSync(fd, part, off, part.length - off);
          }
        } finally {
          fs.closeSync(fd);
        }
      },
    });
  }
  return true;
}

const SEPARATOR = Buffer.from('---\n');
const NEWLINE = Buffer.from('\n');

function uninstall(): void {
  if (savedStringify !== undefined) Object.defineProperty(Yaml, 'stringify', savedStringify);
  if (savedSave !== undefined) Object.defineProperty(Yaml, 'save', savedSave);
  savedStringify = undefined;
  savedSave = undefined;
}

function emitted(doc: unknown): unknown {
  if (doc === null || typeof doc !== 'object' || !EMITTABLE.has(doc)) return doc;
  const text = emitYamlDocument(doc);
  return text === undefined ? doc : rawNode(text, () => doc, doc as Record<string, unknown>);
}
