/**
 * The Secrets an app needs but does not create. The library never writes credentials into the YAML:
 * every password, token and webhook URL is read from a Secret the user creates before the first sync.
 * This module finds every such Secret, with its keys, in the rendered output itself (so nothing a
 * component references can be missed), and renders the list as `PREREQUISITES.md` with the
 * `kubectl create secret` command for each.
 */
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { compareText } from './collate';
import { LgtmErrorDetails } from './errors';

/** One Secret the output reads and does not create. */
export interface SecretPrerequisite {
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Secret name. */
  readonly name: string;
  /** Keys read from it (sorted). */
  readonly keys: string[];
  /** Objects that read it (`Kind namespace/name`, sorted). */
  readonly usedBy: string[];
}

interface Ref {
  keys: Set<string>;
  nameOnly: boolean;
  usedBy: Set<string>;
  paths: Set<string>;
}

/** Parent keys under which prometheus-operator and Kubernetes put a `{ name, key }` Secret selector. */
const SECRET_SELECTOR_PARENTS = new Set([
  'secretKeyRef', 'password', 'username', 'credentials', 'bearerTokenSecret', 'clientSecret', 'keySecret', 'secret',
]);
/** Where the operator mounts `spec.secrets` of a Prometheus or Alertmanager. */
const MOUNTED_SECRET_PATH = /\/etc\/(?:alertmanager|prometheus)\/secrets\/([a-z0-9][-a-z0-9.]*)\/([-._a-zA-Z0-9]+)/g;

/** A manifest and the construct path that emits it. */
export interface EmittedManifest {
  readonly path: string;
  readonly manifest: any;
}

function nsOf(m: any): string {
  return m?.metadata?.namespace ?? '';
}

/** Finds every Secret the manifests read and do not create. */
export function secretPrerequisites(manifests: EmittedManifest[]): SecretPrerequisite[] {
  return [...collect(manifests).entries()].map(([id, r]) => {
    const [namespace, name] = id.split('/');
    return { namespace, name, keys: [...r.keys].sort(), usedBy: [...r.usedBy].sort() };
  }).sort((a, b) => compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
}

function collect(manifests: EmittedManifest[]): Map<string, Ref> {
  const created = new Set(manifests.filter((e) => e.manifest?.kind === 'Secret' && e.manifest?.apiVersion === 'v1').map((e) => `${nsOf(e.manifest)}/${e.manifest.metadata?.name}`));
  const refs = new Map<string, Ref>();
  const add = (e: EmittedManifest, name: unknown, key: unknown, nameOnly = false) => {
    if (typeof name !== 'string' || name.length === 0) return;
    const id = `${nsOf(e.manifest)}/${name}`;
    if (created.has(id)) return;
    const r = refs.get(id) ?? { keys: new Set<string>(), nameOnly: false, usedBy: new Set<string>(), paths: new Set<string>() };
    if (typeof key === 'string') r.keys.add(key);
    if (nameOnly) r.nameOnly = true;
    const m = e.manifest;
    r.usedBy.add(`${m.kind} ${nsOf(m) ? `${nsOf(m)}/` : ''}${m.metadata?.name}`);
    r.paths.add(e.path);
    refs.set(id, r);
  };
  const mountedKeys: Array<[EmittedManifest, string, string]> = [];
  for (const e of manifests) {
    const m = e.manifest;
    if (!m || typeof m !== 'object') continue;
    const isCr = String(m.apiVersion ?? '').startsWith('monitoring.coreos.com/');
    if (isCr && (m.kind === 'Prometheus' || m.kind === 'Alertmanager')) {
      for (const s of m.spec?.secrets ?? []) add(e, s, undefined, true);
    }
    walk(m, undefined, (node, parent) => {
      if (parent && SECRET_SELECTOR_PARENTS.has(parent) && typeof node.name === 'string' && typeof node.key === 'string') add(e, node.name, node.key);
      if (parent === 'secret' && typeof node.secretName === 'string') {
        // a Secret volume: keys from items, else the whole Secret
        const items: any[] = Array.isArray(node.items) ? node.items : [];
        if (items.length === 0) add(e, node.secretName, undefined, true);
        for (const it of items) add(e, node.secretName, it?.key);
      }
      if (parent === 'secret' && typeof node.name === 'string' && typeof node.key !== 'string' && node.secretName === undefined) {
        // a projected volume source
        const items: any[] = Array.isArray(node.items) ? node.items : [];
        if (items.length === 0) add(e, node.name, undefined, true);
        for (const it of items) add(e, node.name, it?.key);
      }
      if (parent === 'secretRef' && typeof node.name === 'string') add(e, node.name, undefined, true);
    }, (s) => {
      // keys of operator-mounted Secrets are read by path from the config files
      if (s.includes('/secrets/')) for (const x of s.matchAll(MOUNTED_SECRET_PATH)) mountedKeys.push([e, x[1], x[2]]);
    });
    if (m.kind === 'Secret' && m.data) {
      for (const v of Object.values(m.data)) {
        if (typeof v !== 'string') continue;
        const s = Buffer.from(v, 'base64').toString('utf8');
        if (s.includes('/secrets/')) for (const x of s.matchAll(MOUNTED_SECRET_PATH)) mountedKeys.push([e, x[1], x[2]]);
      }
    }
  }
  for (const [e, name, key] of mountedKeys) {
    const id = `${nsOf(e.manifest)}/${name}`;
    const r = refs.get(id);
    if (r) r.keys.add(key);
  }
  return refs;
}

/** One walk of a manifest: `visit` for every object (with the key it is under), `text` for every string. */
function walk(v: any, parent: string | undefined, visit: (node: any, parent: string | undefined) => void, text: (s: string) => void): void {
  if (typeof v === 'string') {
    text(v);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, parent, visit, text);
    return;
  }
  visit(v, parent);
  for (const k in v) walk(v[k], k, visit, text);
}

/** Secrets read as a whole whose keys the output does not name: their prerequisite cannot be listed. */
export function secretPrerequisiteErrors(_root: IConstruct, manifests: EmittedManifest[]): LgtmErrorDetails[] {
  const out: LgtmErrorDetails[] = [];
  for (const [id, r] of collect(manifests)) {
    if (r.keys.size > 0) continue;
    out.push({
      problem: `[${[...r.paths].join(', ')}] Secret ${id} is read by ${[...r.usedBy].join(', ')} but no key of it is named: it cannot be listed as a prerequisite`,
      received: 'a Secret referenced by name only (a whole-Secret volume, envFrom, or spec.secrets without a config that reads a key)',
      expected: 'every Secret the output reads and does not create is listed with its keys',
      fix: 'reference the Secret through { secretName, key } so the key is known, or create the Secret in the app',
    });
  }
  return out;
}

/** Every Secret the app reads and does not create (resolves the whole app). */
export function appSecretPrerequisites(app: App): SecretPrerequisite[] {
  return secretPrerequisites(app.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => ({ path: o.node.path, manifest: o.toJson() })));
}

/** Renders the prerequisites as Markdown, with one `kubectl create secret generic` command per Secret. */
export function renderPrerequisitesMarkdown(appName: string, secrets: SecretPrerequisite[]): string {
  const lines: string[] = [
    `# Prerequisites of \`${appName}\``,
    '',
    'Generated by cdk8s-lgtm from the synthesized objects. The library never writes credentials into the YAML:',
    'create these Secrets before the first sync (with kubectl as below, or with External Secrets or Sealed',
    'Secrets). A missing Secret leaves the pods that read it in `ContainerCreating` or `CreateContainerConfigError`.',
    '',
  ];
  if (secrets.length === 0) {
    lines.push('This app reads no Secret that it does not create.', '');
    return lines.join('\n');
  }
  lines.push('| Namespace | Secret | Keys | Read by |', '| --- | --- | --- | --- |');
  for (const s of secrets) lines.push(`| \`${s.namespace}\` | \`${s.name}\` | ${s.keys.map((k) => `\`${k}\``).join(', ')} | ${s.usedBy.join(', ')} |`);
  lines.push('');
  for (const s of secrets) {
    lines.push(`## \`${s.namespace}/${s.name}\``, '', '```sh');
    lines.push(`kubectl create secret generic ${s.name} --namespace ${s.namespace} \\`);
    s.keys.forEach((k, i) => lines.push(`  --from-literal=${k}='<${k}>'${i < s.keys.length - 1 ? ' \\' : ''}`));
    lines.push('```', '');
  }
  return lines.join('\n');
}
