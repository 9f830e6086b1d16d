/**
 * Internal: loads only the files of `@grafana/grafana-foundation-sdk` that the shipped dashboards touch.
 *
 * Each SDK entry point (`@grafana/grafana-foundation-sdk/dashboard`, ...) is an index requiring every
 * builder of its package, and the panel packages' indexes pull in the v2 dashboard schemas too: the seven
 * entry points the dashboards use load 233 files (about 40 ms in a fresh process, more when cold). The
 * package's `exports` allow only the entry points, and every builder file requires its package's index
 * (`require('../dashboard')`), so requiring the builder files directly would still load the indexes.
 *
 * The loader runs the SDK's own files (never a copy) with a `require` of its own: `require('../<package>')`
 * of one of the seven packages returns a lazy stand-in for that index, which loads, on the first read of a
 * name, the one file that exports it (the SDK's generated layout: a builder `FooBuilder` is in
 * `fooBuilder.gen.js`, every other name — types, enums, `default*` functions — in `types.gen.js`; a test
 * checks this for every name of the installed SDK's indexes). `require('tslib')` gets a stand-in serving
 * `__importStar` of a stand-in without loading tslib; any other request is an ordinary require resolved
 * from the file's directory. The files run in the current realm (`new Function`, not `vm`, unless code
 * generation from strings is disallowed), so under jest they see the test's globals like any module.
 *
 * The loaded classes are this loader's own instances, distinct from those of a `require` of the SDK
 * elsewhere in the process; the dashboards only hand their `build()` output (plain JSON) on.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';

/** The SDK packages served by stand-ins (those the shipped dashboards use, and what their files require). */
export const SDK_PACKAGES = ['common', 'dashboard', 'logs', 'loki', 'prometheus', 'stat', 'timeseries'] as const;

/** One of `SDK_PACKAGES`. */
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/** The file (relative to the package's directory) exporting `name`: see the module comment. */
export function sdkFileOf(name: string): string {
  return name.endsWith('Builder') ? `${name[0].toLowerCase()}${name.slice(1)}.gen.js` : 'types.gen.js';
}

let dist: string | undefined;
/** The SDK's `dist/` directory: an entry point is resolved (not loaded) to find it, `exports` allowing nothing else. */
export function sdkDistDir(): string {
  return (dist ??= path.dirname(path.dirname(require.resolve('@grafana/grafana-foundation-sdk/dashboard'))));
}

const standIns = new Map<string, any>();
const files = new Map<string, any>();
const external = new Map<string, any>();
let tslib: any;

/** An object whose names are resolved on first read, then kept as own properties (its prototype is the resolver). */
function lazyObject(resolve: (name: string) => any, own: PropertyDescriptorMap): any {
  const resolver = new Proxy({}, {
    get(_target, name, receiver) {
      if (typeof name !== 'string') return undefined;
      const value = resolve(name);
      // undefined is not kept: a name read while its file is still loading (a cycle) is found once it is defined
      if (value !== undefined) Object.defineProperty(receiver, name, { value, enumerable: true, configurable: true });
      return value;
    },
  });
  return Object.create(resolver, own);
}

/** The lazy stand-in for `pkg`'s index: a name is loaded from its file on first read. */
export function sdkPackage(pkg: SdkPackage): any {
  let standIn = standIns.get(pkg);
  if (!standIn) {
    const dir = path.join(sdkDistDir(), pkg);
    standIn = lazyObject((name) => {
      const file = path.join(dir, sdkFileOf(name));
      // a name the SDK does not export reads as undefined, as on the index (no file for an unknown builder)
      return name.endsWith('Builder') && !fs.existsSync(file) ? undefined : loadFile(file)[name];
    }, {
      // tslib's __importStar returns an ES-module-shaped object as it is
      __esModule: { value: true },
    });
    standIns.set(pkg, standIn);
  }
  return standIn;
}

/**
 * tslib as the SDK's files use it: `__importStar` of a stand-in is the stand-in itself (tslib returns an
 * `__esModule` object as it is); tslib is loaded for any other module or name.
 */
export function sdkTslib(): any {
  const real = () => requireFrom(sdkDistDir(), 'tslib', true);
  return (tslib ??= lazyObject((name) => real()[name], {
    __importStar: { value: (mod: any) => (mod && mod.__esModule ? mod : real().__importStar(mod)), enumerable: true },
  }));
}

/** The absolute paths of the SDK files loaded so far, in load order (for the tests). */
export function sdkLoadedFiles(): string[] {
  return [...files.keys()];
}

function loadFile(file: string): any {
  const cached = files.get(file);
  if (cached) return cached;
  const module = { exports: {} as any };
  files.set(file, module.exports);
  const dir = path.dirname(file);
  try {
    const body = compile(fs.readFileSync(file, 'utf8'), file);
    body.call(module.exports, module.exports, (request: string) => requireFrom(dir, request), module, file, dir);
  } catch (e) {
    files.delete(file); // as Node does: a file that threw is not cached
    throw e;
  }
  files.set(file, module.exports);
  return module.exports;
}

const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** A compiled file: called with `this` = exports and the wrapper's five arguments. */
type Wrapper = (this: any, ...args: any[]) => void;

/**
 * A CommonJS file's source as the function Node wraps it in, compiled in the current realm (`new Function`:
 * under jest the test's, where `vm` would compile in Node's main context). Where code generation from
 * strings is disallowed (`node --disallow-code-generation-from-strings`), `vm.compileFunction` compiles it
 * in the main context instead.
 */
function compile(source: string, file: string): Wrapper {
  try {
    // sourceURL names the file in stack traces
    return new Function(...PARAMS, `${source}\n//# sourceURL=${file}`) as Wrapper;
  } catch (e) {
    if (!(e instanceof EvalError)) throw e;
  }
  return vm.compileFunction(source, PARAMS, { filename: file }) as unknown as Wrapper;
}

function requireFrom(dir: string, request: string, real = false): any {
  const pkg = /^\.\.\/([a-z0-9]+)$/.exec(request)?.[1];
  if (pkg && (SDK_PACKAGES as readonly string[]).includes(pkg)) return sdkPackage(pkg as SdkPackage);
  if (request === 'tslib' && !real) return sdkTslib();
  // a bare request resolves alike from every directory of dist/ (no node_modules inside it)
  const key = request.startsWith('.') ? path.join(dir, request) : request;
  if (!external.has(key)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    external.set(key, require(require.resolve(request, { paths: [dir] })));
  }
  return external.get(key);
}
