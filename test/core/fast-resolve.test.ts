import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, IResolver, Lazy, ResolutionContext } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { hookPassIndex } from '../../src/core/app-index';
import { resolveWithDefaults, withFastResolve } from '../../src/core/fast-resolve';
import { random } from '../random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const resolveModule = require('cdk8s/lib/resolve') as { resolve: ((key: string[], value: any, o: ApiObject) => any) & { fast?: boolean } };
const cdk8sResolve = resolveModule.resolve;

/** Values of every shape cdk8s' resolvers meet: Lazy, tokens with resolve(), union classes, class instances, nesting. */
function valueGenerator(next: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  class Box {
    constructor(public readonly inner: unknown) {}
  }
  class Union {
    constructor(public readonly value: unknown) {}
  }
  const gen = (depth: number): any => {
    const r = next();
    if (depth > 4 || r < 0.3) return pick<any>([null, undefined, 0, -0, 1.5, '', 'a', 'value', true, false, Number.NaN]);
    if (r < 0.4) return Lazy.any({ produce: () => gen(depth + 1) });
    if (r < 0.47) return { resolve: () => gen(depth + 1) };
    if (r < 0.55) return new Union(pick<any>([1, 'x', true, null, { a: 1 }, undefined]));
    if (r < 0.6) return k8s.IntOrString.fromString(pick(['80', 'http']));
    if (r < 0.63) return k8s.Quantity.fromString('1Gi');
    if (r < 0.66) return new Box(gen(depth + 1));
    if (r < 0.68) return Object.assign(Object.create(null), { value: 'n' });
    if (r < 0.7) return { value: pick<any>([1, 'v']) }; // a plain object with a value key stays as it is
    if (r < 0.82) return Array.from({ length: Math.floor(next() * 4) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--) o[pick(['a', 'b', 'resolve', 'value', 'constructor', 'k'])] = gen(depth + 1);
    return o;
  };
  return () => gen(0);
}

/** A value as data, for comparing two runs: functions, instances, -0, NaN and undefined spelled out. */
function shape(v: any): any {
  if (v === undefined) return '<undefined>';
  if (typeof v === 'function') return '<function>';
  if (typeof v === 'number') return Object.is(v, -0) ? '<-0>' : Number.isNaN(v) ? '<NaN>' : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(shape);
  const proto = Object.getPrototypeOf(v);
  const out: Record<string, unknown> = { '<class>': proto === null ? '<null prototype>' : proto.constructor.name };
  for (const k of Object.keys(v)) out[k] = shape(v[k]);
  return out;
}

test("resolveWithDefaults returns what cdk8s' resolve returns with the default resolvers", () => {
  const app = new App();
  const chart = new Chart(app, 'c');
  const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
  const next = random(11);
  for (let i = 0; i < 20000; i++) {
    const seed = Math.floor(next() * 2 ** 31);
    // the same value twice (Lazy producers run once per resolve): built from the same seed
    const a = valueGenerator(random(seed))();
    const b = valueGenerator(random(seed))();
    let theirs: unknown;
    let ours: unknown;
    try {
      theirs = { ok: shape(cdk8sResolve([], a, obj)) };
    } catch (e) {
      theirs = { error: String(e) };
    }
    try {
      ours = { ok: shape(resolveWithDefaults(b)) };
    } catch (e) {
      ours = { error: String(e) };
    }
    expect({ seed, ours }).toEqual({ seed, ours: theirs });
  }
});

test("during App.synth() cdk8s' resolve is replaced only for apps with the default resolvers, and restored after", () => {
  const original = resolveModule.resolve;
  const seen: string[] = [];
  class Upper implements IResolver {
    public resolve(context: ResolutionContext): void {
      if (typeof context.value === 'string' && context.value.startsWith('up:')) context.replaceValue(context.value.slice(3).toUpperCase());
      seen.push(context.key.join('.'));
    }
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-resolve-'));
  // the resolve function in force while each app's chart is validated (inside its synth)
  const during = (app: App): Array<{ fast: boolean }> => {
    hookPassIndex(app);
    const out: Array<{ fast: boolean }> = [];
    app.node.addValidation({ validate: () => { out.push({ fast: resolveModule.resolve.fast === true }); return []; } });
    return out;
  };
  const custom = new App({ outdir, resolvers: [new Upper()] });
  const customRun = during(custom);
  new ApiObject(new Chart(custom, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'up:value' } } as any);
  expect(custom.synthYaml()).toContain('k: VALUE');
  expect(seen).toContain('data.k'); // the key paths a custom resolver reads are cdk8s' own
  const plain = new App({ outdir });
  const plainRun = during(plain);
  new ApiObject(new Chart(plain, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { k: Lazy.any({ produce: () => 'lazy' }) } } as any);
  expect(plain.synthYaml()).toContain('k: lazy');
  expect([...customRun, ...plainRun].every((r) => r.fast)).toBe(true);
  expect(plainRun.length).toBeGreaterThan(0);
  expect(resolveModule.resolve).toBe(original);
  // and inside a run, the replacement answers cdk8s' function for custom resolvers
  withFastResolve(() => {
    expect(resolveModule.resolve).not.toBe(original);
  });
  expect(resolveModule.resolve).toBe(original);
});
