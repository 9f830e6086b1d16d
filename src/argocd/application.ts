import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CLUSTER_SCOPED_KINDS, ManifestHead, manifestFiles, scanManifests } from './manifests';
import { apiGroupOf, SYNC_WAVE_ANNOTATION } from './sync';
import { compareText } from '../core/collate';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { kebabCase, validateName, validateNamespace } from '../core/names';
import { validateSharedProps } from '../core/validation';
import { Application, ApplicationSpecIgnoreDifferences } from '../imports/argocd-applications-argoproj.io';
import { AppProject } from '../imports/argocd-appprojects-argoproj.io';

/** The in-cluster API server, as Argo CD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Namespaces every cluster has: a folder may place objects there without creating them. */
const ALWAYS_PRESENT = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/**
 * App context key: local directories that hold the repository as Argo CD will see it (first match
 * wins), used when an Application sets no `checkoutDirectory`.
 */
export const ARGOCD_CHECKOUT_CONTEXT = 'cdk8s-lgtm/argocd-checkout';

/**
 * A field Argo CD must not compare, because a controller in the cluster writes it. Each entry says which
 * controller and why: an unexplained ignored difference hides real drift.
 */
export interface ArgoCdIgnoreDifference {
  /** Kind of the objects. */
  readonly kind: string;
  /** API group of the objects. @default '' (the core group) */
  readonly group?: string;
  /** Only the object of this name. @default - every object of the kind */
  readonly name?: string;
  /** Only objects in this namespace. @default - every namespace */
  readonly namespace?: string;
  /** JSON pointers of the fields (e.g. `/spec/replicas`). @default - none */
  readonly jsonPointers?: string[];
  /** jq path expressions of the fields. @default - none */
  readonly jqPathExpressions?: string[];
  /** Ignore the fields these field managers own (e.g. `kube-controller-manager`). @default - none */
  readonly managedFieldsManagers?: string[];
  /** Which controller mutates the field and why (e.g. "the HorizontalPodAutoscaler sets replicas"). */
  readonly reason: string;
}

/** Properties of `ArgoCdAppProject`. */
export interface ArgoCdAppProjectProps {
  /** Name of the project. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Argo CD install. @default 'argocd' */
  readonly namespace?: string;
  /** Description. @default - none */
  readonly description?: string;
  /** Git repositories the project's Applications may sync from. */
  readonly sourceRepos: string[];
  /** The cluster the project deploys to. @default 'https://kubernetes.default.svc' */
  readonly destinationServer?: string;
}

/**
 * An Argo CD AppProject that admits exactly what its Applications' folders hold: their namespaces as
 * destinations, and the cluster-scoped kinds found in the folders (CRDs, Namespaces, ClusterRoles, ...)
 * as the cluster resource whitelist, both computed at synth from the synthesized output.
 */
export class ArgoCdAppProject extends Construct {
  /** Name of the project. */
  public readonly name: string;
  /** Namespace of the Argo CD install. */
  public readonly namespace: string;
  /** The AppProject object. */
  public readonly apiObject: ApiObject;
  private readonly applications: ArgoCdApplication[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdAppProjectProps) {
    super(scope, id);
    validateSharedProps(this, props, { required: true });
    this.name = validateName(this, 'name', props.name ?? kebabCase(id), 63);
    this.namespace = validateNamespace(this, 'namespace', props.namespace ?? 'argocd');
    if (!Array.isArray(props.sourceRepos) || props.sourceRepos.length === 0 || props.sourceRepos.some((r) => typeof r !== 'string' || r.length === 0)) {
      fail(this, {
        problem: "'sourceRepos' names no repository",
        received: show(props.sourceRepos),
        expected: 'the URLs of the Git repositories the Applications sync from',
        fix: 'pass e.g. ["https://github.com/acme/platform.git"]',
      });
    }
    const server = props.destinationServer ?? IN_CLUSTER;
    this.apiObject = new AppProject(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, annotations: { [SYNC_WAVE_ANNOTATION]: '-1' } },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: Lazy.any({ produce: () => this.destinationNamespaces().map((namespace) => ({ server, namespace })) }),
        clusterResourceWhitelist: Lazy.any({ produce: () => this.clusterResources() }),
      },
    });
    addLgtmValidation(this, () => this.applications.length > 0 ? [] : [{
      problem: 'the project has no Application',
      received: `AppProject ${this.name}`,
      expected: 'at least one ArgoCdApplication with `project` set to this project',
      fix: 'pass the project to the Applications, or remove it',
    }]);
  }

  /** @internal */
  public _register(app: ArgoCdApplication): void {
    this.applications.push(app);
  }

  /** Every namespace the project's Applications deploy into, sorted. */
  private destinationNamespaces(): string[] {
    const out = new Set<string>();
    for (const a of this.applications) {
      for (const ns of a._namespaces()) out.add(ns);
    }
    return [...out].sort();
  }

  /** Cluster-scoped kinds in the Applications' folders, by group and kind. */
  private clusterResources(): Array<{ group: string; kind: string }> {
    const seen = new Map<string, { group: string; kind: string }>();
    for (const a of this.applications) {
      for (const o of a._objects()) {
        if (o.namespace !== undefined || !CLUSTER_SCOPED_KINDS.has(o.kind)) continue;
        const group = apiGroupOf(o.apiVersion);
        seen.set(`${group}/${o.kind}`, { group, kind: o.kind });
      }
    }
    return [...seen.entries()].sort(([a], [b]) => compareText(a, b)).map(([, v]) => v);
  }
}

/** Properties of `ArgoCdApplication`. */
export interface ArgoCdApplicationProps {
  /** Name of the Application. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Argo CD install. @default 'argocd' */
  readonly namespace?: string;
  /** Git repository URL. */
  readonly repoUrl: string;
  /** Folder in the repository that holds the synthesized YAML (e.g. `dist/reference`). */
  readonly path: string;
  /** Branch, tag or commit. @default 'HEAD' */
  readonly targetRevision?: string;
  /** The project. @default - Argo CD's `default` project */
  readonly project?: ArgoCdAppProject;
  /**
   * Namespace for objects of the folder that name none. Created by Argo CD (`CreateNamespace=true`) if
   * the folder does not emit it.
   * @default - the first Namespace the folder emits
   */
  readonly destinationNamespace?: string;
  /** The cluster. @default 'https://kubernetes.default.svc' */
  readonly destinationServer?: string;
  /** Sync wave of the Application itself, in an app-of-apps (a stack before its additions). @default - none (wave 0) */
  readonly syncWave?: number;
  /**
   * Local directory holding the repository as Argo CD will see it; `path` is checked there at synth
   * (it must exist and hold YAML).
   * @default - the app context value `cdk8s-lgtm/argocd-checkout` (one directory or a list), else the current directory
   */
  readonly checkoutDirectory?: string;
  /**
   * Namespaces the folder uses without creating them, because another Application or install creates
   * them (`default` and `kube-*` always exist). Any other namespace the folder uses must be emitted by
   * the folder.
   * @default - none
   */
  readonly existingNamespaces?: string[];
  /** Fields a controller is known to mutate. @default - none */
  readonly ignoreDifferences?: ArgoCdIgnoreDifference[];
  /** Automated sync with prune and self-heal. @default true */
  readonly automatedSync?: boolean;
  /** A glob of the files of the folder to sync (Argo CD `directory.include`). @default - every YAML file */
  readonly includeFiles?: string;
}

/**
 * An Argo CD Application that syncs one folder of synthesized YAML: automated prune and self-heal,
 * `CreateNamespace=true`, `ServerSideApply=true` (the CRDs exceed the client-side apply limit), retries
 * with backoff (custom resources of CRDs synced by another Application). The folder is checked at synth:
 * it must exist, hold YAML, and emit every namespace it uses (Argo CD creates only the destination).
 */
export class ArgoCdApplication extends Construct {
  /** Name of the Application. */
  public readonly name: string;
  /** Namespace of the Argo CD install. */
  public readonly namespace: string;
  /** The folder in the repository. */
  public readonly path: string;
  /** The Application object. */
  public readonly apiObject: ApiObject;
  private readonly existing: string[];
  private readonly explicitDestination?: string;
  private readonly checkoutDirectory?: string;
  private scanned?: ManifestHead[];
  /** @internal the folder is the output of the app being synthesized (an app-of-apps root) */
  public _ownOutput = false;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    validateSharedProps(this, props, { required: true });
    this.name = validateName(this, 'name', props.name ?? kebabCase(id), 63);
    this.namespace = validateNamespace(this, 'namespace', props.namespace ?? 'argocd');
    if (typeof props.repoUrl !== 'string' || !/^(https?:\/\/|ssh:\/\/|git@)\S+$/.test(props.repoUrl)) {
      fail(this, { problem: "'repoUrl' is not a Git repository URL", received: show(props.repoUrl), expected: 'an https://, ssh:// or git@ URL', fix: 'pass e.g. "https://github.com/acme/platform.git"' });
    }
    if (typeof props.path !== 'string' || props.path.length === 0 || path.isAbsolute(props.path) || props.path.split('/').includes('..')) {
      fail(this, { problem: "'path' is not a folder of the repository", received: show(props.path), expected: 'a relative path inside the repository, e.g. "dist/reference"', fix: 'pass the folder the synthesized YAML is committed in, relative to the repository root' });
    }
    this.path = props.path.replace(/\/+$/, '');
    if (props.destinationNamespace !== undefined) this.explicitDestination = validateNamespace(this, 'destinationNamespace', props.destinationNamespace);
    this.existing = (props.existingNamespaces ?? []).map((n, i) => validateNamespace(this, `existingNamespaces[${i}]`, n));
    this.checkoutDirectory = props.checkoutDirectory;
    for (const [i, d] of (props.ignoreDifferences ?? []).entries()) validateIgnoreDifference(this, i, d);
    if (props.syncWave !== undefined && !Number.isInteger(props.syncWave)) {
      fail(this, { problem: "'syncWave' is not an integer", received: show(props.syncWave), expected: 'an integer (lower waves sync first)', fix: 'pass e.g. 0 for a stack and 1 for an addition to it' });
    }
    props.project?._register(this);
    const automated = props.automatedSync ?? true;
    this.apiObject = new Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(props.syncWave !== undefined ? { annotations: { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) } } : {}),
      },
      spec: {
        project: props.project?.name ?? 'default',
        source: {
          repoUrl: props.repoUrl,
          targetRevision: props.targetRevision ?? 'HEAD',
          path: this.path,
          ...(props.includeFiles !== undefined ? { directory: { include: props.includeFiles } } : {}),
        },
        destination: { server: props.destinationServer ?? IN_CLUSTER, namespace: Lazy.any({ produce: () => this.destination() }) as any },
        ignoreDifferences: (props.ignoreDifferences ?? []).length === 0 ? undefined : props.ignoreDifferences!.map(toIgnoreDifference),
        syncPolicy: {
          ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
          // CreateNamespace: the destination namespace, as in the plain Argo CD setup; every other
          // namespace is emitted by the folder with its Pod Security labels (checked at synth).
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
    addLgtmValidation(this, () => this.folderErrors());
  }

  /** Where `path` is found on disk (the first checkout directory that holds it). */
  private folder(): string {
    const dirs = this.checkoutDirectories();
    return dirs.map((d) => path.resolve(d, this.path)).find((d) => fs.existsSync(d)) ?? path.resolve(dirs[0], this.path);
  }

  private checkoutDirectories(): string[] {
    if (this.checkoutDirectory !== undefined) return [this.checkoutDirectory];
    const ctx = this.node.tryGetContext(ARGOCD_CHECKOUT_CONTEXT);
    if (typeof ctx === 'string') return [ctx];
    if (Array.isArray(ctx) && ctx.length > 0) return ctx.map(String);
    return [process.cwd()];
  }

  /** @internal the objects of the folder (read once) */
  public _objects(): ManifestHead[] {
    if (this._ownOutput) return [];
    return this.scanned ??= scanManifests(this.folder());
  }

  /** @internal every namespace the folder deploys into */
  public _namespaces(): string[] {
    const out = new Set<string>([this.destination()]);
    for (const o of this._objects()) {
      if (o.namespace !== undefined) out.add(o.namespace);
      if (o.kind === 'Namespace' && apiGroupOf(o.apiVersion) === '') out.add(o.name);
    }
    return [...out].sort();
  }

  private destination(): string {
    return this.explicitDestination ?? this._objects().find((o) => o.kind === 'Namespace')?.name ?? 'default';
  }

  private folderErrors(): LgtmErrorDetails[] {
    if (this._ownOutput) return [];
    const dir = this.folder();
    if (manifestFiles(dir).length === 0) {
      return [{
        problem: `'path' does not exist in the synthesized output: Application ${this.name} would sync nothing`,
        received: `${show(this.path)} (looked in ${show(dir)}: ${fs.existsSync(dir) ? 'no .yaml file' : 'no such folder'})`,
        expected: 'a folder of the repository that holds the synthesized YAML (e.g. "dist/reference")',
        fix: 'synthesize the app into that folder first, or correct `path` (or `checkoutDirectory`)',
      }];
    }
    const emitted = new Set(this._objects().filter((o) => o.kind === 'Namespace').map((o) => o.name));
    const known = new Set([...emitted, ...this.existing, ...ALWAYS_PRESENT, this.destination()]);
    const missing = [...new Set(this._objects().map((o) => o.namespace).filter((n): n is string => n !== undefined && !known.has(n)))].sort();
    if (missing.length === 0) return [];
    return [{
      problem: `the folder ${show(this.path)} places objects in namespaces it does not emit; Argo CD creates only the destination namespace, so the sync fails`,
      received: missing.join(', '),
      expected: 'every namespace emitted by the folder (with its Pod Security labels), or listed in `existingNamespaces`',
      fix: 'emit a Namespace construct for each, or name the Application that creates it in `existingNamespaces`',
    }];
  }
}

function validateIgnoreDifference(scope: IConstruct, i: number, d: ArgoCdIgnoreDifference): void {
  const prop = `ignoreDifferences[${i}]`;
  if (typeof d.kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(d.kind)) {
    fail(scope, { problem: `'${prop}.kind' is not a Kubernetes kind`, received: show(d.kind), expected: 'a kind such as "Deployment"', fix: 'name the kind whose field a controller mutates' });
  }
  if ([d.jsonPointers, d.jqPathExpressions, d.managedFieldsManagers].every((l) => (l ?? []).length === 0)) {
    fail(scope, { problem: `'${prop}' names no field`, received: show(d), expected: 'jsonPointers, jqPathExpressions or managedFieldsManagers', fix: 'name the field the controller writes, e.g. jsonPointers: ["/spec/replicas"]' });
  }
  for (const p of d.jsonPointers ?? []) {
    if (!p.startsWith('/')) fail(scope, { problem: `'${prop}.jsonPointers' holds a value that is not a JSON pointer`, received: show(p), expected: 'a pointer starting with "/", e.g. "/spec/replicas"', fix: 'write the pointer from the root of the object' });
  }
  if (typeof d.reason !== 'string' || d.reason.trim().length < 10) {
    fail(scope, { problem: `'${prop}.reason' does not say which controller mutates the field`, received: show(d.reason), expected: 'a sentence naming the controller and the field', fix: 'e.g. "the HorizontalPodAutoscaler sets spec.replicas"' });
  }
}

function toIgnoreDifference(d: ArgoCdIgnoreDifference): ApplicationSpecIgnoreDifferences {
  return {
    kind: d.kind,
    group: d.group,
    name: d.name,
    namespace: d.namespace,
    jsonPointers: d.jsonPointers,
    jqPathExpressions: d.jqPathExpressions,
    managedFieldsManagers: d.managedFieldsManagers,
  };
}

/** Properties of `ArgoCdAppOfApps`. */
export interface ArgoCdAppOfAppsProps {
  /** Name of the root Application. @default 'lgtm-root' */
  readonly name?: string;
  /** Namespace of the Argo CD install. @default 'argocd' */
  readonly namespace?: string;
  /** Git repository URL. */
  readonly repoUrl: string;
  /** Branch, tag or commit. @default 'HEAD' */
  readonly targetRevision?: string;
  /** The folder this app is synthesized into (it holds the child Applications), e.g. `dist/argocd`. */
  readonly path: string;
  /**
   * The chart that holds the child Applications: the root syncs only its file (`<chart id>.yaml`), not
   * the file of the root itself.
   */
  readonly children: Chart;
}

/**
 * The root of an app-of-apps: an Application that syncs the file of child Applications this app writes.
 * Apply the root once by hand (`kubectl apply -n argocd -f <path>/<root chart>.yaml`); from then on Argo
 * CD creates, updates and prunes the child Applications from Git.
 */
export class ArgoCdAppOfApps extends Construct {
  /** The root Application. */
  public readonly root: ArgoCdApplication;
  private readonly children: Chart;

  constructor(scope: Construct, id: string, props: ArgoCdAppOfAppsProps) {
    super(scope, id);
    validateSharedProps(this, props, { required: true });
    this.children = props.children;
    if (Chart.of(this) === props.children) {
      fail(this, {
        problem: "the root Application is in the chart of its 'children'",
        received: show(props.children.node.path),
        expected: 'the root in a chart of its own, so that it does not sync itself',
        fix: 'create the ArgoCdAppOfApps in another Chart than the child Applications',
      });
    }
    const include = `${props.children.node.id}.yaml`;
    this.root = new ArgoCdApplication(this, 'Root', {
      name: props.name ?? 'lgtm-root',
      namespace: props.namespace,
      repoUrl: props.repoUrl,
      targetRevision: props.targetRevision,
      path: props.path,
      destinationNamespace: props.namespace ?? 'argocd',
      includeFiles: include,
      existingNamespaces: [props.namespace ?? 'argocd'],
    });
    // the root syncs this app's own output: checked against the app being synthesized (below), not on disk
    this.root._ownOutput = true;
    addLgtmValidation(this, () => {
      const kids = this.children.node.findAll().filter((c) => c instanceof ArgoCdApplication).length;
      return kids > 0 ? [] : [{
        problem: "'children' holds no ArgoCdApplication: the root would sync nothing",
        received: show(this.children.node.path),
        expected: 'the chart of the child ArgoCdApplications',
        fix: 'create the child Applications in that chart',
      }];
    });
  }
}
