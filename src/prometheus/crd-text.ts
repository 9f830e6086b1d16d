import { cdk8sYaml } from '../core/verbatim';

/**
 * Annotations on every CRD: synced first, server-side (the large CRDs exceed 262,144 bytes), and never
 * pruned (deleting a CRD deletes every custom resource of its kind).
 */
export const CRD_ANNOTATIONS: { [key: string]: string } = {
  'argocd.argoproj.io/sync-wave': '-10',
  'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false',
};
/** The same annotations as YAML lines under `metadata.annotations` (4 spaces, block style). */
const CRD_ANNOTATION_LINES = Object.entries(CRD_ANNOTATIONS).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('');

/**
 * A CRD file read as bytes, what the synth needs from it without parsing the schema: the file in the block
 * layout `controller-gen` writes (one document; top-level keys `apiVersion`, `kind`, `metadata`, `spec`;
 * metadata keys indented by two spaces) with the Argo CD annotations inserted as text.
 */
export interface CrdBytes {
  /** The file with the Argo CD annotations added under `metadata.annotations`, UTF-8. */
  readonly bytes: Buffer;
  readonly metadata: Record<string, any>;
  readonly name: string;
  readonly kind: string;
}

/**
 * Reads a CRD file (see `CrdBytes`; `undefined` for another layout, which is then parsed instead). The
 * layout is read from a latin1 view of the bytes (one character per
 * byte, so every ASCII character and offset is the file's own; the bytes of a non-ASCII character are
 * never a space, `#` or newline), and the annotations are inserted between two slices of the bytes. Neither
 * the file nor the output is decoded or encoded (4 MiB of CRDs, half of them non-ASCII).
 */
export function annotateCrdBytes(raw: Buffer, trustedLayout = false): CrdBytes | undefined {
  const skip = raw.subarray(0, 4).toString('latin1') === '---\n' ? 4 : 0;
  // a trusted file (one of the vendored CRDs, whose layout test/prometheus/crds.test.ts checks in full) is
  // read up to its `names` only
  const head = trustedLayout ? raw.toString('latin1', skip, Math.min(raw.length, skip + HEAD_BYTES)) : undefined;
  if (head !== undefined && NAMES_KIND.test(head)) return annotate(raw, skip, head);
  const text = raw.toString('latin1', skip);
  if (text.includes('\r') || topLevelLines(text).join(',') !== 'apiVersion:,kind:,metadata:,spec:') return undefined;
  return annotate(raw, skip, text);
}

/** How much of a trusted CRD file is read for its metadata and kind. */
const HEAD_BYTES = 16384;
/** `spec.names.kind`, its whole line. */
const NAMES_KIND = /^spec:\n(?: {2}.*\n)*? {2}names:\n(?: {4}.*\n)*? {4}kind: ([A-Za-z][A-Za-z0-9]*)\n/m;

function annotate(raw: Buffer, skip: number, text: string): CrdBytes | undefined {
  if (!/^apiVersion: apiextensions\.k8s\.io\/v1\n/m.test(text) || !/^kind: CustomResourceDefinition\n/m.test(text)) return undefined;
  const meta = /^metadata:\n((?: {2}.*\n)+)/m.exec(text);
  if (!meta || /argocd\.argoproj\.io\//.test(meta[1]) || /[^\x00-\x7f]/.test(meta[1])) return undefined;
  const name = /^ {2}name: ([a-z0-9][a-z0-9.-]*)$/m.exec(meta[1])?.[1];
  const kind = NAMES_KIND.exec(text)?.[1];
  if (!name || !kind) return undefined;
  let block: string;
  if (/^ {2}annotations:\n/m.test(meta[1])) {
    block = meta[1].replace(/^ {2}annotations:\n/m, `  annotations:\n${CRD_ANNOTATION_LINES}`);
  } else if (!/^ {2}annotations:/m.test(meta[1])) {
    block = `  annotations:\n${CRD_ANNOTATION_LINES}${meta[1]}`;
  } else {
    return undefined; // flow-style annotations
  }
  const metadata = simpleMetadata(block) ?? cdk8sYaml().parse(`metadata:\n${block}`)?.metadata;
  if (metadata?.name !== name) return undefined;
  const start = skip + meta.index;
  const bytes = Buffer.concat([raw.subarray(skip, start), Buffer.from(`metadata:\n${block}`, 'latin1'), raw.subarray(start + meta[0].length)]);
  return { bytes, metadata, name, kind };
}

/**
 * The first word of every line that starts in column 0 (top-level keys, `---`, `...`), skipping
 * comments and blank lines: one pass over the text, no regular expression over 4 MiB.
 */
function topLevelLines(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(start);
    if (end > start && c !== 32 && c !== 35 /* # */) {
      const space = text.indexOf(' ', start);
      out.push(text.slice(start, space >= 0 && space < end ? space : end));
      if (out.length > 8) break;
    }
    start = end + 1;
  }
  return out;
}

/** A plain YAML scalar that the core schema reads as a string (not a number, boolean or null). */
const PLAIN_STRING = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const NOT_A_STRING = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
/** A double-quoted scalar without escapes (JSON and YAML read it alike). */
const QUOTED = /^"[^"\\]*"$/;

function scalar(v: string): string | undefined {
  if (QUOTED.test(v)) return v.slice(1, -1);
  return PLAIN_STRING.test(v) && !NOT_A_STRING.test(v) ? v : undefined;
}

/**
 * The metadata block of a controller-gen CRD (`  name: x`, `  annotations:` / `  labels:` with
 * `    key: value` lines of plain or double-quoted strings) read without a YAML parser; `undefined` for
 * anything else, which is then parsed. Equal to the parse for every vendored CRD (test/prometheus/crds.test.ts).
 */
export function simpleMetadata(block: string): Record<string, any> | undefined {
  const out: Record<string, any> = {};
  let map: Record<string, string> | undefined;
  for (const line of block.split('\n')) {
    if (line === '') continue;
    const m = /^( {2}| {4})([A-Za-z0-9][A-Za-z0-9._/-]*): ?(.*)$/.exec(line);
    if (!m) return undefined;
    const [, indent, key, rest] = m;
    if (indent.length === 2) {
      if (Object.prototype.hasOwnProperty.call(out, key)) return undefined;
      if (rest === '') {
        if (key !== 'annotations' && key !== 'labels') return undefined;
        map = out[key] = {};
      } else {
        const v = scalar(rest);
        if (v === undefined || key !== 'name') return undefined;
        out[key] = v;
        map = undefined;
      }
    } else {
      const v = scalar(rest);
      if (map === undefined || v === undefined || rest === '' || Object.prototype.hasOwnProperty.call(map, key)) return undefined;
      map[key] = v;
    }
  }
  // `annotations:` with nothing under it is null in YAML
  return Object.values(out).some((v) => typeof v === 'object' && Object.keys(v).length === 0) ? undefined : out;
}
