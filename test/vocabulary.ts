/**
 * The prop vocabulary, checked over the compiled jsii assembly (`.jsii`): every struct and class of the
 * public API, including the ones written after this file, spells a shared concept one way with one type.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
export const ASSEMBLY = path.join(ROOT, '.jsii');

type TypeRef = { primitive?: string; fqn?: string; collection?: { kind: string; elementtype: TypeRef }; union?: { types: TypeRef[] } };
interface Property { name: string; type: TypeRef; optional?: boolean }
interface JsiiType {
  fqn: string;
  kind: 'class' | 'interface' | 'enum';
  datatype?: boolean;
  base?: string;
  interfaces?: string[];
  properties?: Property[];
  initializer?: { parameters?: Array<{ name: string; type: TypeRef }> };
}
export interface Assembly { name: string; types: Record<string, JsiiType> }

const LIB = 'cdk8s-lgtm';
const str = { primitive: 'string' };
const strMap = { collection: { kind: 'map', elementtype: str } };

/** The canonical name → type of every shared concept. */
export const CANONICAL: Record<string, TypeRef> = {
  name: str,
  namespace: str,
  image: str,
  resources: { fqn: `${LIB}.ResourcePreset` },
  replicas: { primitive: 'number' },
  storage: { fqn: `${LIB}.StorageOptions` },
  serviceMonitor: { primitive: 'boolean' },
  serviceMonitorLabels: strMap,
  podDisruptionBudget: { primitive: 'boolean' },
  nodeSelector: strMap,
  tolerations: { collection: { kind: 'array', elementtype: { fqn: `${LIB}.Toleration` } } },
};

/** Spellings of shared concepts that must not appear anywhere (struct or class member) → the right one. */
export const FORBIDDEN: Record<string, string> = {
  storageSize: 'storage.size',
  volumeSize: 'storage.size',
  pvcSize: 'storage.size',
  diskSize: 'storage.size',
  storageClass: 'storageClassName (in storage)',
  monitoring: 'serviceMonitor',
  enableServiceMonitor: 'serviceMonitor',
  serviceMonitorEnabled: 'serviceMonitor',
  configMap: 'config (a ConfigFiles)',
  configFiles: 'config (a ConfigFiles)',
  configMapName: 'config (a ConfigFiles)',
  pdb: 'podDisruptionBudget',
  replicaCount: 'replicas',
  imageOverride: 'image',
  containerImage: 'image',
  resourcePreset: 'resources',
  nodeSelectors: 'nodeSelector',
  toleration: 'tolerations',
  tolerateAllTaints: 'tolerations',
  ns: 'namespace',
};

/** Names a construct's props struct must not use for a shared concept (they mean something else elsewhere). */
export const FORBIDDEN_IN_CONSTRUCT_PROPS: Record<string, string> = {
  size: 'storage (a StorageOptions with size and storageClassName)',
  storageClassName: 'storage.storageClassName (a StorageOptions)',
};

/** Members every component class exposes under one name and type. */
export const CANONICAL_MEMBERS: Record<string, TypeRef> = {
  name: str,
  namespace: str,
  service: { fqn: `${LIB}.ServiceRef` },
  serviceMonitor: { fqn: `${LIB}.ServiceMonitor` },
  serviceAccount: { fqn: 'cdk8s-plus-28.k8s.KubeServiceAccount' },
  config: { fqn: `${LIB}.ConfigFiles` },
};

/** Reads `.jsii`; fails with the command that builds it when it is missing. */
export function readAssembly(file: string = ASSEMBLY): Assembly {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: the vocabulary test reads the compiled jsii assembly. Build it with \`npx projen compile\` (\`npx projen test\` builds it when missing or stale).`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Newest mtime of the TypeScript sources under a folder. */
export function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function showType(t: TypeRef | undefined): string {
  if (!t) return '?';
  if (t.primitive) return t.primitive;
  if (t.fqn) return t.fqn.replace(`${LIB}.`, '');
  if (t.collection) return `${t.collection.kind}<${showType(t.collection.elementtype)}>`;
  if (t.union) return t.union.types.map(showType).join(' | ');
  return JSON.stringify(t);
}

function sameType(a: TypeRef, b: TypeRef): boolean {
  return showType(a) === showType(b);
}

/** True when the class (transitively) extends `fqn`. */
function extendsClass(a: Assembly, cls: string | undefined, fqn: string): boolean {
  for (let cur = cls, depth = 0; cur && depth < 20; depth++) {
    if (cur === fqn) return true;
    cur = a.types[cur]?.base;
  }
  return false;
}

/** True when the class (transitively) extends `constructs.Construct`. */
const EXTERNAL_CONSTRUCTS = new Set(['constructs.Construct', 'cdk8s.Chart', 'cdk8s.ApiObject', 'cdk8s.App']);
function isConstruct(a: Assembly, fqn: string | undefined): boolean {
  for (let cur = fqn, depth = 0; cur && depth < 20; depth++) {
    if (EXTERNAL_CONSTRUCTS.has(cur)) return true;
    cur = a.types[cur]?.base;
  }
  return false;
}

/** Structs used as the `props` of a construct's constructor. */
function constructPropsStructs(a: Assembly): Set<string> {
  const out = new Set<string>();
  for (const t of Object.values(a.types)) {
    if (t.kind !== 'class' || !isConstruct(a, t.base)) continue;
    const props = t.initializer?.parameters?.[2];
    if (props?.type.fqn) out.add(props.type.fqn);
  }
  return out;
}

/**
 * Every vocabulary violation of the library's own types, as `Type.member: message` (empty when clean).
 * Rules: a canonical name always has its canonical type; forbidden synonyms never appear; `size` never
 * appears in a construct's props; component members (`service`, `serviceMonitor`, ...) have one type.
 */
export function vocabularyErrors(a: Assembly): string[] {
  const out: string[] = [];
  const propsStructs = constructPropsStructs(a);
  for (const t of Object.values(a.types)) {
    if (!t.fqn.startsWith(`${a.name}.`) || t.kind === 'enum') continue;
    const short = t.fqn.slice(a.name.length + 1);
    const isStruct = t.kind === 'interface' && t.datatype === true;
    const isConstructClass = t.kind === 'class' && isConstruct(a, t.base);
    const isComponent = t.kind === 'class' && extendsClass(a, t.base, `${a.name}.Component`);
    const hasWorkloadMembers = t.kind === 'class' && (t.properties ?? []).some((p) => p.name === 'workload' || p.name === 'serviceMonitor');
    const props = isConstructClass ? t.initializer?.parameters?.[2]?.type.fqn : undefined;
    const takesImage = props !== undefined && (a.types[props]?.properties ?? []).some((p) => p.name === 'image');
    if (isConstructClass && takesImage && !isComponent && t.fqn !== `${a.name}.Component`) {
      out.push(`${short}: runs pods (its props take 'image') but does not extend Component (the skeleton in src/core)`);
    }
    for (const p of t.properties ?? []) {
      const where = `${short}.${p.name}`;
      if (FORBIDDEN[p.name]) {
        out.push(`${where}: '${p.name}' is not in the vocabulary; use '${FORBIDDEN[p.name]}'`);
        continue;
      }
      if (isStruct && propsStructs.has(t.fqn) && FORBIDDEN_IN_CONSTRUCT_PROPS[p.name]) {
        out.push(`${where}: construct props do not take '${p.name}'; use '${FORBIDDEN_IN_CONSTRUCT_PROPS[p.name]}'`);
        continue;
      }
      if (isStruct && CANONICAL[p.name] && !sameType(p.type, CANONICAL[p.name])) {
        out.push(`${where}: '${p.name}' must be ${showType(CANONICAL[p.name])}, not ${showType(p.type)}`);
      }
      if ((isComponent || hasWorkloadMembers) && CANONICAL_MEMBERS[p.name] && !sameType(p.type, CANONICAL_MEMBERS[p.name])) {
        out.push(`${where}: member '${p.name}' must be ${showType(CANONICAL_MEMBERS[p.name])}, not ${showType(p.type)}`);
      }
    }
  }
  return out.sort();
}
