import { isUtf8 } from 'buffer';
import * as path from 'path';
import { ApiObject, ApiObjectProps, JsonPatch, Yaml } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Emitting YAML text as it is, through cdk8s' own writer (`App.synth()`, `cdk8s synth`, any output type).
 *
 * cdk8s writes each object with `YAML.stringify(apiObject.toJson())` of the `yaml` copy it bundles. A
 * `yaml` collection node is written by its own `toString()`, so an object whose `toJson()` returns a node
 * that prints the original text is written byte for byte, without parsing or re-serializing it. The
 * node also answers `toJSON()` and the top-level keys (parsed on first access) for code that reads the
 * synthesized JSON (`Testing.synth`).
 *
 * Guarded twice: a self-check on first use (the writer must return the text unchanged, else every object
 * takes the ordinary path), and per object (a changed metadata or a JSON patch takes the ordinary path).
 */

let yamlOfCdk8s: any;
/** The `yaml` module cdk8s writes with (cdk8s bundles its own copy). */
export function cdk8sYaml(): any {
  if (yamlOfCdk8s === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    yamlOfCdk8s = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));
  }
  return yamlOfCdk8s;
}

const PARSED_TEXTS = new Map<string, unknown>();

/**
 * `cdk8sYaml().parse(text)`, kept for the same text (the rendered alertmanager.yaml is read by the
 * Alertmanager file check and by every rule pack's severity-route check): the value is shared, callers
 * must not modify it. A text that does not parse throws each time. Bounded (the last 32 texts).
 */
export function parseYamlText(text: string): unknown {
  if (PARSED_TEXTS.has(text)) return PARSED_TEXTS.get(text);
  const value = cdk8sYaml().parse(text);
  remember(text, value);
  return value;
}

/** JSON data only (strings, finite numbers other than -0, booleans, null, arrays, plain objects): what a YAML parse gives back. */
function jsonData(v: unknown): boolean {
  if (v === null || typeof v === 'boolean') return true;
  if (typeof v === 'string') return plainText(v);
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(jsonData);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v as object).every(([k, x]) => plainText(k) && jsonData(x));
  }
  return false;
}

/** Text the emitter and the parser agree on: yaml reads a written U+FEFF (byte order mark) as nothing. */
const plainText = (s: string): boolean => !s.includes('\uFEFF');

/**
 * Records that `text` is the YAML that `emitConfigYaml` wrote for `value`, so `parseYamlText(text)`
 * answers `value` without running the parser (test/core/yaml-emit.test.ts checks that the parse of the
 * emitter's text is its value, for every config file in dist/ and fuzzed ones). Only JSON data is
 * recorded; `value` must not be modified afterwards.
 */
export function knowYamlParse(text: string, value: unknown): void {
  if (jsonData(value)) remember(text, value);
}

function remember(text: string, value: unknown): void {
  if (PARSED_TEXTS.size >= 32) PARSED_TEXTS.delete(PARSED_TEXTS.keys().next().value as string);
  PARSED_TEXTS.set(text, value);
}

let rawNodeClass: any;
const RAW = Symbol('raw');
const PRODUCE = Symbol('produce');
const PARSED = Symbol('parsed');
const HEAD = Symbol('head');
const BYTES = Symbol('bytes');
let supported: boolean | undefined;

/** The top-level fields a node answers without producing the whole JSON (the checks read these of every object). */
const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * The text of a verbatim object: a string, or the UTF-8 bytes it is read from (decoded on first use: the
 * writer writes the bytes as they are, see `rawBytes`).
 */
export type VerbatimText = string | { readonly bytes: Buffer };

/** A `yaml` node that cdk8s' writer prints as `text` (see above); `json()` answers its JSON, `head` its top-level fields. */
export function rawNode(text: VerbatimText, json: () => any, head?: Record<string, any>): object {
  if (rawNodeClass === undefined) {
    const Y = cdk8sYaml();
    rawNodeClass = class RawYamlDocument extends Y.YAMLMap {
      constructor(raw: VerbatimText, produce: () => any, top?: Record<string, any>) {
        super();
        // not enumerable: two nodes of the same text compare equal (jest `toEqual`)
        if (typeof raw === 'string') Object.defineProperty(this, RAW, { value: raw });
        else Object.defineProperty(this, BYTES, { value: raw.bytes });
        Object.defineProperty(this, PRODUCE, { value: produce });
        Object.defineProperty(this, HEAD, { value: top });
      }
      public toString(): string {
        const self = this as any;
        if (!Object.prototype.hasOwnProperty.call(self, RAW)) Object.defineProperty(self, RAW, { value: (self[BYTES] as Buffer).toString('utf8') });
        return self[RAW];
      }
      public toJSON(): any {
        const self = this as any;
        if (!Object.prototype.hasOwnProperty.call(self, PARSED)) Object.defineProperty(self, PARSED, { value: self[PRODUCE]() });
        return self[PARSED];
      }
    };
    for (const key of ['apiVersion', 'kind', 'metadata', 'spec']) {
      Object.defineProperty(rawNodeClass.prototype, key, {
        get(this: any) {
          // apiVersion, kind and metadata without producing the body (for a CRD, parsing 800 KB of schema)
          if (HEAD_KEYS.includes(key) && this[HEAD] && !Object.prototype.hasOwnProperty.call(this, PARSED)) return this[HEAD][key];
          return this.toJSON()[key];
        },
      });
    }
  }
  return new rawNodeClass(text, json, head);
}

/**
 * The UTF-8 bytes of a raw node made from bytes (what `toString()` decodes), else `undefined`: a writer
 * may write them instead of encoding the decoded text again (4 MiB of CRDs).
 */
export function rawBytes(node: unknown): Buffer | undefined {
  return node !== null && typeof node === 'object' && rawNodeClass !== undefined && node instanceof rawNodeClass ? (node as any)[BYTES] : undefined;
}

/** True when cdk8s' writer prints a raw node unchanged (checked once per process). */
export function verbatimSupported(): boolean {
  if (supported === undefined) {
    try {
      const probe = 'a: 1\nb:\n- "x"';
      supported = Yaml.stringify(rawNode(probe, () => ({ a: 1, b: ['x'] })), rawNode(probe, () => ({}))) === `${probe}\n---\n${probe}\n`;
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** Canonical JSON (sorted keys), to compare metadata. */
function canonical(v: any): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Properties of a `VerbatimApiObject`. */
export interface VerbatimApiObjectProps extends ApiObjectProps {
  /**
   * The YAML text of exactly this object (one document, no `---`), written as it is: a string, or its
   * UTF-8 bytes (valid UTF-8, without trailing newlines).
   */
  readonly text: VerbatimText;
  /** The metadata the text holds (what `metadata` must still be for the text to be written as it is). */
  readonly textMetadata: Record<string, any>;
}

/**
 * An `ApiObject` written from its YAML text. The other props must describe the same object; a body
 * field given as `Lazy` is produced only when someone reads the JSON (or the object takes the ordinary
 * path because its metadata was changed or a JSON patch added).
 */
export class VerbatimApiObject extends ApiObject {
  private readonly text: VerbatimText;
  private readonly textMetadata: string;
  private patched = false;

  constructor(scope: Construct, id: string, props: VerbatimApiObjectProps) {
    const { text, textMetadata, ...rest } = props;
    super(scope, id, rest);
    if (typeof text === 'string') {
      let end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
      this.text = text.slice(0, end); // the writer adds the final newline
    } else {
      let end = text.bytes.length;
      while (end > 0 && text.bytes[end - 1] === 10) end--;
      const bytes = text.bytes.subarray(0, end);
      this.text = isUtf8(bytes) ? { bytes } : bytes.toString('utf8');
    }
    this.textMetadata = canonical(textMetadata);
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /** True when the object is written as its text. */
  public get isVerbatim(): boolean {
    return !this.patched && verbatimSupported() && canonical(this.metadata.toJson()) === this.textMetadata;
  }

  public toJson(): any {
    if (!this.isVerbatim) return super.toJson();
    return rawNode(this.text, () => super.toJson(), { apiVersion: this.apiVersion, kind: this.kind, metadata: this.metadata.toJson() });
  }
}
