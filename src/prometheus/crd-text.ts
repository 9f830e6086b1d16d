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

/** A CRD file read as text: what the synth needs from it, without parsing the schema. */
export interface CrdText {
  /** The file with the Argo CD annotations added under `metadata.annotations`. */
  readonly text: string;
  /** `metadata` of the annotated text. */
  readonly metadata: Record<string, any>;
  readonly name: string;
  readonly kind: string;
}

/**
 * Reads a CRD file in the block layout `controller-gen` writes (one document; top-level keys
 * `apiVersion`, `kind`, `metadata`, `spec`; metadata keys indented by two spaces) and inserts the Argo CD
 * annotations as text. `undefined` when the file has another layout (it is then parsed instead).
 */
export function annotateCrdText(raw: string): CrdText | undefined {
  const text = raw.startsWith('---\n') ? raw.slice(4) : raw;
  if (text.includes('\r') || topLevelLines(text).join(',') !== 'apiVersion:,kind:,metadata:,spec:') return undefined;
  if (!/^apiVersion: apiextensions\.k8s\.io\/v1\n/m.test(text) || !/^kind: CustomResourceDefinition\n/m.test(text)) return undefined;
  const meta = /^metadata:\n((?: {2}.*\n)+)/m.exec(text);
  if (!meta || /argocd\.argoproj\.io\//.test(meta[1])) return undefined;
  const name = /^ {2}name: ([a-z0-9][a-z0-9.-]*)$/m.exec(meta[1])?.[1];
  const kind = /^spec:\n(?: {2}.*\n)*? {2}names:\n(?: {4}.*\n)*? {4}kind: ([A-Za-z][A-Za-z0-9]*)$/m.exec(text)?.[1];
  if (!name || !kind) return undefined;
  let block: string;
  if (/^ {2}annotations:\n/m.test(meta[1])) {
    block = meta[1].replace(/^ {2}annotations:\n/m, `  annotations:\n${CRD_ANNOTATION_LINES}`);
  } else if (!/^ {2}annotations:/m.test(meta[1])) {
    block = `  annotations:\n${CRD_ANNOTATION_LINES}${meta[1]}`;
  } else {
    return undefined; // flow-style annotations
  }
  const metadata = cdk8sYaml().parse(`metadata:\n${block}`)?.metadata;
  if (metadata?.name !== name) return undefined;
  return { text: text.slice(0, meta.index) + `metadata:\n${block}` + text.slice(meta.index + meta[0].length), metadata, name, kind };
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
