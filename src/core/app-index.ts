import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { withFastResolve } from './fast-resolve';
import { markEmittable, withFastWriter } from './yaml-emit';

/**
 * One walk of the construct tree, shared by the app-wide checks.
 *
 * A check that walks the whole tree for each monitor, rule or URL makes the synth quadratic (1,000
 * ServiceMonitors: 61 % of the time in `findAll`). The checks ask this index instead: the tree is walked
 * once, objects are grouped by class, marker, kind and name on first use, and derived facts (the
 * namespaces a Prometheus watches) are memoized per index.
 *
 * Two ways to get one:
 *  - `appIndex(scope)` inside a validation: one index per validation pass. The app root carries a
 *    validation that drops the index; cdk8s validates the root first (pre-order), so every pass of
 *    `App.synth()`/`Testing.synth()` starts from a fresh walk, and constructs added afterwards are seen
 *    by the next pass. Like cdk8s itself, a pass does not see constructs that its own validations add.
 *  - `new AppIndex(root)` anywhere else (a public getter, a `Lazy` producer): a fresh walk for one call.
 *
 * One `App.synth()` runs a validation pass for the app and then one more for each chart it writes
 * (cdk8s' `Chart.toJson()` validates the whole app again): 11 passes for the reference stack. Inside one
 * `App.synth()` (or `synthYaml()`) no user code runs between two passes, so a pass over the same tree as
 * the pass before (same constructs, no `touchApp` since) keeps that pass's index, and with it the
 * memoized answers of the app-wide checks (`passMemo`): the checks run once per tree, not once per chart.
 * Outside a synth (`Testing.synth`, `chart.toJson()` in a test, where the caller may change the app
 * between two calls) every pass starts from a fresh walk.
 */
export class AppIndex {
  /** Every construct of the app, pre-order (the root first). */
  public get constructs(): IConstruct[] {
    return this.walked;
  }
  private walked: IConstruct[];
  private readonly byClass = new Map<unknown, IConstruct[]>();
  private readonly byMarker = new Map<symbol, IConstruct[]>();
  private readonly memos = new Map<string, Map<object, unknown>>();
  private apiObjectList?: ApiObject[];
  private byKindList?: Map<string, ApiObject[]>;
  private byNameMap?: Map<string, ApiObject[]>;

  /** The synth session and tree state this index was built in (see `startPass`). */
  public get key(): string {
    return this.treeState;
  }
  private treeState: string;

  private readonly root: IConstruct;
  private readonly scope: IConstruct;

  constructor(root: IConstruct) {
    this.scope = root;
    this.walked = root.node.findAll();
    this.root = root.node.root;
    this.treeState = treeKey(this.root, this.walked.length);
  }

  /**
   * Takes in what a preparing step (`prepareEachPass`) added under `scope` after it read this index (the
   * NetworkPolicies drawn from the manifests it resolved): the index walks the tree again and takes the
   * tree's new key, so the checks of the pass, and the writer, keep its manifests instead of resolving
   * the whole app again.
   *
   * The step promises that nothing outside `scope` changed since the index was built (only constructs
   * added or objects changed under `scope`, e.g. the Argo CD annotations of the added objects). What the
   * index memoized per object (manifests, labels) is kept for the objects outside `scope`; every other
   * answer (groupings, app-wide checks) is dropped and computed again from the new tree.
   */
  public adopt(scope: IConstruct): void {
    const prefix = scope.node.path + '/';
    const inside = (o: object) => o instanceof Construct && (o === scope || o.node.path.startsWith(prefix));
    for (const [key, m] of this.memos) {
      if (key !== 'manifest' && key !== 'labels') {
        this.memos.delete(key);
        continue;
      }
      for (const owner of m.keys()) {
        if (inside(owner)) throw new Error(`[${scope.node.path}] AppIndex.adopt: the index already resolved ${(owner as Construct).node.path}, which the step changed`);
      }
    }
    this.byClass.clear();
    this.byMarker.clear();
    this.apiObjectList = undefined;
    this.byKindList = undefined;
    this.byNameMap = undefined;
    this.walked = this.scope.node.findAll();
    this.treeState = treeKey(this.root, this.walked.length);
  }

  /** Constructs that are instances of `cls`. */
  public ofClass<T>(cls: abstract new (...args: any[]) => T): T[] {
    let found = this.byClass.get(cls);
    if (found === undefined) {
      found = this.constructs.filter((c) => c instanceof cls);
      this.byClass.set(cls, found);
    }
    return found as unknown as T[];
  }

  /** Constructs carrying `marker` (a `Symbol.for` property set by their constructor, to avoid import cycles). */
  public marked<T>(marker: symbol): T[] {
    let found = this.byMarker.get(marker);
    if (found === undefined) {
      found = this.constructs.filter((c) => (c as any)[marker] === true);
      this.byMarker.set(marker, found);
    }
    return found as unknown as T[];
  }

  /** Every `ApiObject` of the app (any construct library). */
  public get apiObjects(): ApiObject[] {
    return (this.apiObjectList ??= this.ofClass(ApiObject));
  }

  /** `ApiObject`s of one `apiVersion` group and kind, e.g. `('monitoring.coreos.com', 'ServiceMonitor')`, `('', 'Service')`. */
  public objectsOfKind(group: string, kind: string): ApiObject[] {
    if (this.byKindList === undefined) {
      this.byKindList = new Map();
      for (const o of this.apiObjects) {
        const key = `${groupOf(o.apiVersion)}/${o.kind}`;
        const list = this.byKindList.get(key);
        if (list) list.push(o); else this.byKindList.set(key, [o]);
      }
    }
    return this.byKindList.get(`${group}/${kind}`) ?? [];
  }

  /**
   * `ApiObject`s of a kind by namespace and name (`metadata.namespace` as given; cluster-scoped objects
   * and objects that take their chart's namespace: see `namespaceOf` of the caller).
   */
  public objectsNamed(group: string, kind: string, namespace: string | undefined, name: string): ApiObject[] {
    if (this.byNameMap === undefined) {
      this.byNameMap = new Map();
      for (const o of this.apiObjects) {
        const key = nameKey(groupOf(o.apiVersion), o.kind, o.metadata.namespace, o.name);
        const list = this.byNameMap.get(key);
        if (list) list.push(o); else this.byNameMap.set(key, [o]);
      }
    }
    return this.byNameMap.get(nameKey(group, kind, namespace, name)) ?? [];
  }

  /** `metadata.labels` of an object, resolved once per index (resolving metadata is not free). */
  public labelsOf(o: ApiObject): Record<string, string> {
    return this.memo(o, 'labels', () => o.metadata.toJson().labels ?? {});
  }

  /**
   * `o.toJson()`, resolved once per index: several checks of one pass read every object (the dry run, Pod
   * Security per namespace, the wiring graph), and a dashboard or config file is rendered on each resolve.
   * A resolve that throws is not memoized (each caller sees the error). Callers must not modify the result.
   *
   * Within one `App.synth()`, the pass index also hands its manifests to the writer (`pinManifest`): the
   * charts are written after a pass over the same tree, so writing resolves nothing again.
   */
  public manifestOf(o: ApiObject): any {
    return this.memo(o, 'manifest', () => {
      const manifest = resolveObject(o);
      if (PASS_INDEX.get(this.root) === this && SESSION.has(this.root)) pinManifest(this.root, this, o, manifest);
      return manifest;
    });
  }

  /** `produce()` once per index for this owner and key. */
  public memo<T>(owner: object, key: string, produce: () => T): T {
    let m = this.memos.get(key);
    if (m === undefined) {
      m = new Map();
      this.memos.set(key, m);
    }
    if (!m.has(owner)) m.set(owner, produce());
    return m.get(owner) as T;
  }
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function nameKey(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

const PASS_INDEX = new WeakMap<IConstruct, AppIndex>();
const HOOKED = new WeakSet<IConstruct>();
/** The `App.synth()` running for a root, if any (a number per call). */
const SESSION = new WeakMap<IConstruct, number>();
/** Changes made to a root's objects by validations (`touchApp`). */
const GENERATION = new WeakMap<IConstruct, number>();
let sessions = 0;

function treeKey(root: IConstruct, constructs: number): string {
  return `${SESSION.get(root) ?? 'none'}/${constructs}/${GENERATION.get(root) ?? 0}`;
}

/**
 * The index of the current validation pass (see `AppIndex`). Call it only from validations: elsewhere,
 * build `new AppIndex(scope.node.root)`.
 */
export function appIndex(scope: IConstruct): AppIndex {
  const root = scope.node.root;
  hookPassIndex(root);
  let index = PASS_INDEX.get(root);
  if (index === undefined) {
    index = new AppIndex(root);
    PASS_INDEX.set(root, index);
  }
  return index;
}

/**
 * A validation that changes objects of the app (adds an annotation, a label, ...) without adding a
 * construct calls this, so that the next validation pass of the same synth does not reuse the answers
 * of a pass that saw the app before the change. Adding constructs needs no call (the count changes).
 */
export function touchApp(scope: IConstruct): void {
  const root = scope.node.root;
  GENERATION.set(root, (GENERATION.get(root) ?? 0) + 1);
}

/**
 * `produce()` once per tree within one `App.synth()`: the answer of an app-wide check, kept while the
 * passes of that synth see the same tree (see `AppIndex`). Outside a synth, `produce()` every time.
 */
export function passMemo<T>(scope: IConstruct, owner: object, produce: () => T): T {
  const root = scope.node.root;
  if (!SESSION.has(root) || !HOOKED.has(root)) return produce();
  return appIndex(root).memo(owner, 'passMemo', produce);
}

/**
 * Registers the validation that starts each pass, on the app root, if not yet done. A root validation
 * that uses `appIndex` calls this before adding itself, so that from the second pass on it does not read
 * a stale index. On a cdk8s `App` it also marks the span of `synth()` and `synthYaml()` (an own property
 * of this app that calls the class's method), within which passes over an unchanged tree are shared.
 */
export function hookPassIndex(root: IConstruct): void {
  if (HOOKED.has(root)) return;
  HOOKED.add(root);
  if (root instanceof App) {
    for (const method of ['synth', 'synthYaml'] as const) markSynthSpan(root, method);
  }
  root.node.addValidation({ validate: () => { startPass(root); return []; } });
}

/** The steps that prepare the tree at the start of each pass (`prepareEachPass`), by root. */
const PREPARE = new WeakMap<IConstruct, Array<{ readonly phase: number; readonly run: () => void }>>();

/**
 * Runs `run` at the start of every validation pass of the app of `scope`, before the app-wide checks:
 * for work that adds or changes objects once the whole app is known (Prometheus' discovery Roles: phase
 * 0, adds objects; the Argo CD annotations: phase 1, annotates every object, the added ones too; the
 * NetworkPolicies: phase 2, drawn from the manifests of every other object, which it resolves through
 * the pass index and keeps there with `AppIndex.adopt`, so it annotates its own objects itself). The
 * checks of the same pass then see the result, and the next pass of the same synth finds the tree
 * unchanged. `run` must be idempotent (it runs again in every pass that does not reuse the one before).
 * An index a step leaves behind is dropped after it unless it matches the tree.
 */
export function prepareEachPass(scope: IConstruct, phase: number, run: () => void): void {
  const root = scope.node.root;
  hookPassIndex(root);
  const steps = PREPARE.get(root) ?? [];
  steps.push({ phase, run });
  steps.sort((a, b) => a.phase - b.phase); // stable: in registration order within a phase
  PREPARE.set(root, steps);
}

/**
 * Starts a pass: keeps the index of the pass before when this pass, in the same synth, sees the same
 * tree; else drops it and runs the preparing steps (whose changes the new index then includes).
 */
function startPass(root: IConstruct): void {
  const index = PASS_INDEX.get(root);
  if (index !== undefined && SESSION.has(root) && index.key === treeKey(root, root.node.findAll().length)) return;
  PASS_INDEX.delete(root);
  const steps = PREPARE.get(root);
  if (steps === undefined) return;
  for (const step of steps) {
    step.run();
    // a step may have read the index before it changed the tree: the next step and the checks need one
    // of the tree as it is now (a step that adds constructs and keeps the index calls `AppIndex.adopt`)
    const read = PASS_INDEX.get(root);
    if (read !== undefined && read.key !== treeKey(root, root.node.findAll().length)) PASS_INDEX.delete(root);
  }
}

/** An object whose `toJson()` answers the manifest of a pass index (see `pinManifest`). */
interface Pin {
  index: AppIndex;
  manifest: any;
  /** The `toJson` the object had (its class's), and whether it was an own property. */
  readonly original: () => any;
  readonly own: boolean;
}
const PINS = new WeakMap<ApiObject, Pin>();
/** The objects pinned during the synth of a root (unpinned when it ends). */
const PINNED = new WeakMap<IConstruct, ApiObject[]>();

/** `o.toJson()` as its class resolves it (not a pinned answer). */
function resolveObject(o: ApiObject): any {
  const pin = PINS.get(o);
  return pin ? pin.original.call(o) : o.toJson();
}

/**
 * Makes `o.toJson()` answer `manifest` while `index` is the pass index of the running synth of `root`
 * (an own property of the object, removed when the synth ends): cdk8s writes each chart right after a
 * validation pass, and when that pass kept `index` (same tree), the manifest is what a resolve would
 * return now. Any other time the object resolves as usual.
 */
function pinManifest(root: IConstruct, index: AppIndex, o: ApiObject, manifest: any): void {
  markEmittable(manifest); // the writer prints it with the fast emitter (src/core/yaml-emit.ts)
  const pin = PINS.get(o);
  if (pin !== undefined) {
    pin.index = index;
    pin.manifest = manifest;
    return;
  }
  const state: Pin = { index, manifest, original: o.toJson, own: Object.prototype.hasOwnProperty.call(o, 'toJson') };
  PINS.set(o, state);
  const list = PINNED.get(root) ?? [];
  list.push(o);
  PINNED.set(root, list);
  Object.defineProperty(o, 'toJson', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function (this: ApiObject) {
      return PASS_INDEX.get(root) === state.index && SESSION.has(root) ? state.manifest : state.original.call(this);
    },
  });
}

function unpinAll(root: IConstruct): void {
  for (const o of PINNED.get(root) ?? []) {
    const pin = PINS.get(o)!;
    PINS.delete(o);
    if (pin.own) Object.defineProperty(o, 'toJson', { configurable: true, writable: true, enumerable: false, value: pin.original });
    else delete (o as any).toJson;
  }
  PINNED.delete(root);
}

function markSynthSpan(app: App, method: 'synth' | 'synthYaml'): void {
  if (Object.prototype.hasOwnProperty.call(app, method)) return;
  const original = (app as any)[method] as (...args: unknown[]) => unknown;
  Object.defineProperty(app, method, {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function (this: App, ...args: unknown[]) {
      if (SESSION.has(app)) return original.apply(this, args); // nested: the outer call owns the span
      SESSION.set(app, ++sessions);
      PASS_INDEX.delete(app);
      try {
        return withFastResolve(() => withFastWriter(() => original.apply(this, args)));
      } finally {
        SESSION.delete(app);
        PASS_INDEX.delete(app);
        unpinAll(app);
      }
    },
  });
}
