/**
 * cdk8s' `resolve` (cdk8s/lib/resolve.js, which `ApiObject.toJson` and the metadata call for every
 * value of every object) with the same result and less work, used during an `App.synth()` of an app
 * whose resolvers are cdk8s' three defaults.
 *
 * cdk8s resolves each value by walking up to the App (`App.of`, once per value), allocating a
 * `ResolutionContext` and a copy of the key path, and asking each resolver in turn. With the default
 * resolvers (`LazyResolver`, `ImplicitTokenResolver`, `NumberStringUnionResolver`, in that order; none
 * reads the key or the object) those three tests are written out here, in the same order, once per
 * value. An app with its own resolvers (`AppProps.resolvers`) is resolved by cdk8s' function itself.
 * test/core/fast-resolve.test.ts compares the two on generated values.
 */
import { App, ApiObject, ImplicitTokenResolver, IResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
// cdk8s' own module (its index re-exports it through getters): `ApiObject.toJson` calls its export
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resolveModule = require('cdk8s/lib/resolve') as { resolve: (key: string[], value: any, apiObject: ApiObject) => any };

/** Whether these are cdk8s' default resolvers (`new App()` without `resolvers`), in their order. */
function defaults(resolvers: readonly IResolver[] | undefined): boolean {
  return Array.isArray(resolvers) && resolvers.length === 3 && resolvers[0].constructor === LazyResolver
    && resolvers[1].constructor === ImplicitTokenResolver && resolvers[2].constructor === NumberStringUnionResolver;
}

/** What cdk8s' `resolve` returns for `value` with the default resolvers. */
export function resolveWithDefaults(value: any): any {
  if (value == null) return value;
  if (value instanceof Lazy) return resolveWithDefaults(value.produce()); // LazyResolver
  if (typeof value.resolve === 'function') return resolveWithDefaults(value.resolve()); // ImplicitTokenResolver
  if (value.constructor !== Object) {
    // NumberStringUnionResolver: a union class (IntOrString, Quantity) becomes { value }
    const v = value.value;
    if (typeof v === 'number' || typeof v === 'string') return resolveWithDefaults({ value: v });
  }
  if (Array.isArray(value)) return value.map(resolveWithDefaults);
  if (value.constructor == Object) {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) result[k] = resolveWithDefaults(v);
    return result;
  }
  return value;
}

/** Runs `run` with cdk8s' `resolve` answered by `resolveWithDefaults` where the app's resolvers are the defaults. */
export function withFastResolve<T>(run: () => T): T {
  const original = resolveModule.resolve;
  if ((original as any).fast) return run(); // nested (another app's synth inside this one)
  const fast = (key: string[], value: any, apiObject: ApiObject): any =>
    defaults(App.of(apiObject).resolvers) ? resolveWithDefaults(value) : original(key, value, apiObject);
  (fast as any).fast = true;
  resolveModule.resolve = fast;
  try {
    return run();
  } finally {
    resolveModule.resolve = original;
  }
}
