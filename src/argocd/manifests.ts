import * as fs from 'fs';
import * as path from 'path';

/** What Argo CD needs to know of one object of a synthesized folder. */
export interface ManifestHead {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Kinds that are cluster-scoped (an object of one of them has no namespace). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass',
  'PersistentVolume', 'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
  'RuntimeClass', 'CSIDriver',
]);

const YAML_FILE = /\.ya?ml$/;

/** The YAML files of a folder (not recursive, like an Argo CD directory source without `recurse`). */
export function manifestFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir).filter((f) => YAML_FILE.test(f)).sort();
}

function unquote(v: string): string {
  const t = v.trim();
  return (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")) ? t.slice(1, -1) : t;
}

/**
 * Kind, name and namespace of every object of a folder, read from the block-style YAML that cdk8s writes
 * (top-level `apiVersion`/`kind`, `metadata.name`/`metadata.namespace` indented by two spaces), without
 * parsing the bodies: a CRD file of 4 MiB is read in milliseconds.
 */
export function scanManifests(dir: string): ManifestHead[] {
  const out: ManifestHead[] = [];
  for (const file of manifestFiles(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const doc of text.split(/^---[ \t]*$/m)) {
      const apiVersion = /^apiVersion: *(.+)$/m.exec(doc)?.[1];
      const kind = /^kind: *(.+)$/m.exec(doc)?.[1];
      const meta = /^metadata:\n((?:(?: {2}.*)?\n)+)/m.exec(doc)?.[1] ?? '';
      const name = /^ {2}name: *(.+)$/m.exec(meta)?.[1];
      const namespace = /^ {2}namespace: *(.+)$/m.exec(meta)?.[1];
      if (!apiVersion || !kind || !name) continue;
      const head = { file, apiVersion: unquote(apiVersion), kind: unquote(kind), name: unquote(name) };
      out.push(namespace ? { ...head, namespace: unquote(namespace) } : head);
    }
  }
  return out;
}
