/**
 * A small syntax tree for Grafana Alloy configuration files (the language formerly called River) and a
 * deterministic renderer.
 *
 * Alloy's config is not YAML, so it is not built from strings: every block, attribute and value is a
 * node, names are checked when the node is created, strings are escaped the way Alloy's Go scanner
 * reads them, and the output depends only on the tree (insertion order of blocks and attributes; object
 * keys sorted), never on hash-map order or the clock.
 *
 * Grammar subset rendered (Alloy 1.18.1 syntax):
 * ```
 * config    = { block }
 * block     = name [ label ] "{" { attribute | block } "}"
 * name      = identifier { "." identifier }          e.g. loki.write, stage.json, endpoint
 * label     = string literal holding an identifier    e.g. "default"
 * attribute = identifier "=" expression
 * expression= string | number | bool | null | array | object | reference | call | expr "+" expr
 * ```
 */

import { AlloySyntaxError, isIdentifier, quoteAlloyString, requireDottedName, requireIdentifier } from './syntax-internal';

/** Arrays whose single-line form is longer than this are rendered one element per line. */
const MAX_INLINE = 100;

/** Kinds of {@link AlloyValue}. */
export enum AlloyValueKind {
  /** A string literal. */
  STRING = 'string',
  /** A number literal. */
  NUMBER = 'number',
  /** `true` / `false`. */
  BOOL = 'bool',
  /** `null`. */
  NULL = 'null',
  /** `[a, b]`. */
  ARRAY = 'array',
  /** `{ key = value }`. */
  OBJECT = 'object',
  /** A reference to an exported field, e.g. `loki.write.default.receiver`. */
  REFERENCE = 'reference',
  /** A standard-library function call, e.g. `sys.env("HOSTNAME")`. */
  CALL = 'call',
  /** Values joined with `+` (string concatenation or addition). */
  CONCAT = 'concat',
}

/**
 * A value (expression) in an Alloy file. Created with the static factories only, so every value that
 * exists renders to valid Alloy.
 */
export class AlloyValue {
  /** A string literal, escaped Go-style. */
  public static string(value: string): AlloyValue {
    return new AlloyValue(AlloyValueKind.STRING, value);
  }

  /** A number literal (finite). */
  public static number(value: number): AlloyValue {
    if (!Number.isFinite(value)) {
      throw new AlloySyntaxError('a number value is not finite', String(value), 'a finite number', 'pass a finite number');
    }
    return new AlloyValue(AlloyValueKind.NUMBER, value);
  }

  /** `true` or `false`. */
  public static bool(value: boolean): AlloyValue {
    return new AlloyValue(AlloyValueKind.BOOL, value);
  }

  /** `null`. */
  public static nullValue(): AlloyValue {
    return new AlloyValue(AlloyValueKind.NULL, null);
  }

  /** An array. */
  public static array(values: AlloyValue[]): AlloyValue {
    return new AlloyValue(AlloyValueKind.ARRAY, [...values]);
  }

  /** An array of string literals. */
  public static stringList(values: string[]): AlloyValue {
    return AlloyValue.array(values.map((v) => AlloyValue.string(v)));
  }

  /**
   * An object. Keys that are identifiers render bare, others quoted (`"app.kubernetes.io/name" = ...`).
   * Keys are rendered sorted, so the output never depends on how the map was built.
   */
  public static object(entries: { [key: string]: AlloyValue }): AlloyValue {
    const sorted: Array<[string, AlloyValue]> = Object.keys(entries).sort().map((k) => [k, entries[k]]);
    return new AlloyValue(AlloyValueKind.OBJECT, sorted);
  }

  /** An object of string literals. */
  public static stringMap(entries: { [key: string]: string }): AlloyValue {
    const out: { [key: string]: AlloyValue } = {};
    for (const [k, v] of Object.entries(entries)) out[k] = AlloyValue.string(v);
    return AlloyValue.object(out);
  }

  /**
   * A reference to a component export or a nested field: dot-separated identifiers,
   * e.g. `loki.write.default.receiver` or `discovery.kubernetes.pods.targets`.
   */
  public static ref(path: string): AlloyValue {
    requireDottedName('reference', path);
    return new AlloyValue(AlloyValueKind.REFERENCE, path);
  }

  /** A standard-library function call, e.g. `AlloyValue.call('sys.env', [AlloyValue.string('HOSTNAME')])`. */
  public static call(fn: string, args: AlloyValue[]): AlloyValue {
    requireDottedName('function name', fn);
    return new AlloyValue(AlloyValueKind.CALL, { fn, args: [...args] });
  }

  /** `sys.env("NAME")`: the value of an environment variable of the Alloy process. */
  public static env(name: string): AlloyValue {
    return AlloyValue.call('sys.env', [AlloyValue.string(name)]);
  }

  /** Values joined with `+`, e.g. `"spec.nodeName=" + sys.env("HOSTNAME")`. */
  public static concat(parts: AlloyValue[]): AlloyValue {
    if (parts.length < 2) {
      throw new AlloySyntaxError('concat needs at least two parts', String(parts.length), 'two or more values', 'pass the value itself instead of a one-part concat');
    }
    return new AlloyValue(AlloyValueKind.CONCAT, [...parts]);
  }

  private constructor(
    /** The kind of value. */
    public readonly kind: AlloyValueKind,
    private readonly payload: any,
  ) {}

  /** The string of a STRING value, the path of a REFERENCE; otherwise undefined. */
  public get text(): string | undefined {
    return this.kind === AlloyValueKind.STRING || this.kind === AlloyValueKind.REFERENCE ? this.payload : undefined;
  }

  /** Elements of an ARRAY or CONCAT value; otherwise undefined. */
  public get elements(): AlloyValue[] | undefined {
    return this.kind === AlloyValueKind.ARRAY || this.kind === AlloyValueKind.CONCAT ? [...this.payload] : undefined;
  }

  /** Entries of an OBJECT value (sorted by key); otherwise undefined. */
  public get entries(): { [key: string]: AlloyValue } | undefined {
    if (this.kind !== AlloyValueKind.OBJECT) return undefined;
    const out: { [key: string]: AlloyValue } = {};
    for (const [k, v] of this.payload as Array<[string, AlloyValue]>) out[k] = v;
    return out;
  }

  /**
   * Renders the value. `indent` is the indentation of the line the value starts on, two per level (each
   * level is rendered as one tab, as `alloy fmt` prints it); nested lines of multi-line arrays and objects
   * are indented one level more.
   */
  public render(indent: number = 0): string {
    switch (this.kind) {
      case AlloyValueKind.STRING: return quoteAlloyString(this.payload);
      case AlloyValueKind.NUMBER: return String(this.payload);
      case AlloyValueKind.BOOL: return this.payload ? 'true' : 'false';
      case AlloyValueKind.NULL: return 'null';
      case AlloyValueKind.REFERENCE: return this.payload;
      case AlloyValueKind.CALL: return `${this.payload.fn}(${(this.payload.args as AlloyValue[]).map((a) => a.render(indent)).join(', ')})`;
      case AlloyValueKind.CONCAT: return (this.payload as AlloyValue[]).map((p) => p.render(indent)).join(' + ');
      case AlloyValueKind.ARRAY: return renderArray(this.payload, indent);
      case AlloyValueKind.OBJECT: return renderObject(this.payload, indent);
    }
  }
}

/** Indentation: `n` counts two per level, rendered as one tab per level, as Alloy's printer (`alloy fmt`) does. */
function pad(n: number): string {
  return '\t'.repeat(Math.floor(n / 2));
}

function renderArray(values: AlloyValue[], indent: number): string {
  if (values.length === 0) return '[]';
  const inline = values.map((v) => v.render(indent));
  const oneLine = `[${inline.join(', ')}]`;
  if (!oneLine.includes('\n') && oneLine.length <= MAX_INLINE && values.every((v) => v.kind !== AlloyValueKind.OBJECT)) return oneLine;
  const inner = indent + 2;
  return `[\n${values.map((v) => `${pad(inner)}${v.render(inner)},\n`).join('')}${pad(indent)}]`;
}

function objectKey(k: string): string {
  return isIdentifier(k) ? k : quoteAlloyString(k);
}

/**
 * `name = value` lines with the '=' aligned as Alloy's printer aligns them: a section of consecutive lines
 * ends after a value that spans several lines, and the next line starts a new section.
 */
function alignedLines(items: Array<{ key: string; value: string }>, indent: number, suffix: string): string {
  let out = '';
  let start = 0;
  while (start < items.length) {
    let end = start;
    while (end < items.length - 1 && !items[end].value.includes('\n')) end++;
    const section = items.slice(start, end + 1);
    const width = Math.max(...section.map((x) => x.key.length));
    for (const x of section) out += `${pad(indent)}${x.key.padEnd(width)} = ${x.value}${suffix}\n`;
    start = end + 1;
  }
  return out;
}

function renderObject(entries: Array<[string, AlloyValue]>, indent: number): string {
  if (entries.length === 0) return '{}';
  const inner = indent + 2;
  const lines = alignedLines(entries.map(([k, v]) => ({ key: objectKey(k), value: v.render(inner) })), inner, ',');
  return `{\n${lines}${pad(indent)}}`;
}

/** An attribute (`name = value`) of a block. */
export interface AlloyAttribute {
  /** The attribute name (an identifier). */
  readonly name: string;
  /** The value. */
  readonly value: AlloyValue;
}

/**
 * A block: `name "label" { attributes and nested blocks }`. Top-level blocks are components
 * (`loki.write "default" { ... }`); nested blocks have no label (`endpoint { ... }`, `stage.json { ... }`).
 * Items render in the order they were added.
 */
export class AlloyBlock {
  /** A component block (a name and a label), e.g. `AlloyBlock.component('loki.write', 'default')`. */
  public static component(name: string, label: string): AlloyBlock {
    return new AlloyBlock(name, label);
  }

  /** The block name, e.g. `loki.write` or `endpoint`. */
  public readonly name: string;
  /** The label, e.g. `default`. @default - no label (nested blocks) */
  public readonly label?: string;
  private readonly items: Array<{ attr?: AlloyAttribute; block?: AlloyBlock }> = [];

  /**
   * @param name block name (dot-separated identifiers)
   * @param label component label (an identifier; rendered quoted)
   */
  constructor(name: string, label?: string) {
    this.name = requireDottedName('block name', name);
    if (label !== undefined) requireIdentifier(`label of block '${name}'`, label);
    this.label = label;
  }

  /** `name.label`, the prefix of this component's exports (`loki.write.default`). */
  public get id(): string {
    return this.label === undefined ? this.name : `${this.name}.${this.label}`;
  }

  /** A reference to an export of this component, e.g. `block.exportRef('receiver')`. */
  public exportRef(field: string): AlloyValue {
    return AlloyValue.ref(`${this.id}.${requireIdentifier('export name', field)}`);
  }

  /** Adds `name = value`. Fails on a duplicate name. Returns this block. */
  public addAttribute(name: string, value: AlloyValue): AlloyBlock {
    requireIdentifier(`attribute name in block '${this.name}'`, name);
    if (this.attribute(name) !== undefined) {
      throw new AlloySyntaxError(`attribute '${name}' is set twice in block '${this.id}'`, JSON.stringify(name), 'each attribute at most once per block', 'set it once');
    }
    this.items.push({ attr: { name, value } });
    return this;
  }

  /** Adds a nested block. Returns this block. */
  public addBlock(block: AlloyBlock): AlloyBlock {
    this.items.push({ block });
    return this;
  }

  /** The attributes, in order. */
  public get attributes(): AlloyAttribute[] {
    return this.items.filter((i) => i.attr).map((i) => i.attr!);
  }

  /** The value of an attribute. @returns undefined when not set */
  public attribute(name: string): AlloyValue | undefined {
    return this.attributes.find((a) => a.name === name)?.value;
  }

  /** The nested blocks, in order. */
  public get blocks(): AlloyBlock[] {
    return this.items.filter((i) => i.block).map((i) => i.block!);
  }

  /** Renders the block at an indentation (two per level; each level is rendered as one tab, as `alloy fmt` prints it). */
  public render(indent: number = 0): string {
    const head = `${pad(indent)}${this.name}${this.label === undefined ? '' : ` ${quoteAlloyString(this.label)}`} {`;
    if (this.items.length === 0) return `${head} }\n`;
    const inner = indent + 2;
    let body = '';
    let i = 0;
    let previous: 'attr' | 'block' | undefined;
    while (i < this.items.length) {
      if (this.items[i].attr) {
        // a run of attributes: '=' aligned, as `alloy fmt` does
        const run: AlloyAttribute[] = [];
        while (i < this.items.length && this.items[i].attr) run.push(this.items[i++].attr!);
        if (previous) body += '\n';
        body += alignedLines(run.map((a) => ({ key: a.name, value: a.value.render(inner) })), inner, '');
        previous = 'attr';
      } else {
        if (previous) body += '\n';
        body += this.items[i++].block!.render(inner);
        previous = 'block';
      }
    }
    return `${head}\n${body}${pad(indent)}}\n`;
  }
}

/** A whole Alloy configuration file: top-level blocks in order. */
export class AlloyConfig {
  private readonly _blocks: AlloyBlock[] = [];

  /** Adds a top-level block. Fails when a component with the same name and label exists. Returns the block. */
  public addBlock(block: AlloyBlock): AlloyBlock {
    if (this._blocks.some((b) => b.id === block.id)) {
      throw new AlloySyntaxError(
        `component '${block.id}' is defined twice`,
        JSON.stringify(block.id),
        'a unique label per component name',
        'give the second component another label',
      );
    }
    this._blocks.push(block);
    return block;
  }

  /** The top-level blocks, in order. */
  public get blocks(): AlloyBlock[] {
    return [...this._blocks];
  }

  /** Renders the file: blocks separated by a blank line, ending with a newline. */
  public render(): string {
    return this._blocks.map((b) => b.render(0)).join('\n');
  }
}
