import { createHash } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type * as YamlModule from 'yaml';
import { cdk8sYaml, knowYamlParse } from './verbatim';
import { CONFIG_YAML_OPTIONS, emitConfigYaml } from './yaml-emit';

/**
 * Removes `undefined` values and empty objects produced by optional struct fields, recursively, so that the
 * rendered file only contains keys that were set. Arrays keep their order; maps keep insertion order
 * (deterministic: it is the order of the typed struct, never of a hash map).
 */
export function prune(value: any): any {
  if (Array.isArray(value)) return value.map(prune).filter((v) => v !== undefined);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p === undefined) continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}

/** Renders a config structure as YAML (deterministic: no line folding, insertion order). */
export function renderYaml(value: any): string {
  return renderPruned(prune(value));
}

/**
 * `renderYaml(value)` for a file the synth reads back (`parseYamlText`, e.g. alertmanager.yaml for its
 * checks): the emitter's text is recorded with the value it was written from, which is its parse.
 */
export function renderYamlReadBack(value: any): string {
  const pruned = prune(value);
  return renderPruned(pruned, (text) => knowYamlParse(text, pruned));
}

/** The YAML of a pruned value; `emitted` is told the text when the emitter of yaml-emit.ts wrote it. */
function renderPruned(pruned: any, emitted?: (text: string) => void): string {
  const fast = emitConfigYaml(pruned); // the same text, by the emitter of src/core/yaml-emit.ts
  if (fast !== undefined) {
    emitted?.(fast);
    return fast;
  }
  const YAML: typeof YamlModule = cdk8sYaml(); // the copy cdk8s writes with: one `yaml` per process
  return YAML.stringify(pruned, CONFIG_YAML_OPTIONS);
}

function base64Values(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) out[k] = Buffer.from(v, 'utf8').toString('base64');
  return out;
}

/** SHA-256 hex digest of a string (for checksum annotations). */
export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The annotation key that rolls pods when a config file changes. */
export const CHECKSUM_ANNOTATION = 'checksum/config';

/** The kind of object that holds rendered config files. */
export enum ConfigFilesKind {
  /** A ConfigMap. */
  CONFIG_MAP = 'ConfigMap',
  /** A Secret (only where an operator requires one; it never holds credentials). */
  SECRET = 'Secret',
}

/** Options for {@link ConfigFiles}. */
export interface ConfigFilesOptions {
  /** Stable object name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Labels. */
  readonly labels: Record<string, string>;
  /**
   * `CONFIG_MAP` or `SECRET` (a Secret when the operator requires one; it never holds credentials).
   * @default ConfigFilesKind.CONFIG_MAP
   */
  readonly kind?: ConfigFilesKind;
}

/**
 * Typed config files rendered at synth time into one ConfigMap (or Secret).
 *
 * Files are registered as *producers* (functions returning the file content), evaluated lazily when the
 * app synthesizes, so `add*` calls made after construction still reach the file. `checksum` is a lazy
 * value of all file contents for the pod template annotation: any change to any file rolls the pods.
 */
export class ConfigFiles extends Construct {
  /** The ConfigMap/Secret object. */
  public readonly apiObject: ApiObject;
  /** The object's name. */
  public readonly name: string;
  private readonly producers = new Map<string, () => string>();
  private cache?: Record<string, string>;

  constructor(scope: Construct, id: string, options: ConfigFilesOptions) {
    super(scope, id);
    this.name = options.name;
    const kind = options.kind ?? ConfigFilesKind.CONFIG_MAP;
    const metadata = { name: options.name, namespace: options.namespace, labels: options.labels };
    // The file contents are produced at synth (a lazy value where the typed field wants a map).
    const lazyFiles = (produce: () => Record<string, string>) => Lazy.any({ produce }) as unknown as Record<string, string>;
    this.apiObject = kind === ConfigFilesKind.SECRET
      // Secrets use base64 `data` (not `stringData`, which Argo CD shows as OutOfSync forever).
      ? new k8s.KubeSecret(this, 'Resource', { metadata, type: 'Opaque', data: lazyFiles(() => base64Values(this.files())) })
      : new k8s.KubeConfigMap(this, 'Resource', { metadata, data: lazyFiles(() => this.files()) });
  }

  /**
   * Adds a file whose content is produced at synth time (internal: jsii has no function types).
   * @internal
   */
  public _addFile(fileName: string, produce: () => string): void {
    this.producers.set(fileName, produce);
  }

  /**
   * Adds a YAML file rendered from a structure produced at synth time.
   * @internal
   */
  public _addYaml(fileName: string, produce: () => any): void {
    this._addFile(fileName, () => renderYaml(produce()));
  }

  /** The rendered files (evaluates the producers once, at synth). */
  public files(): { [fileName: string]: string } {
    if (!this.cache) {
      const out: Record<string, string> = {};
      for (const k of [...this.producers.keys()].sort()) out[k] = this.producers.get(k)!();
      this.cache = out;
    }
    return this.cache;
  }

  /** A lazy checksum of every file, for `checksum/config` on the pod template. */
  public get checksum(): string {
    return Lazy.any({ produce: () => sha256(JSON.stringify(this.files())) }) as any;
  }
}
