/**
 * How constructs take part in the metric-provenance check (`./check.ts`), without the check importing
 * them: marks and providers are stored on the construct under `Symbol.for` keys.
 *
 * - `declareProducedMetrics(scope, names)`: the metrics a user application exposes (a ServiceMonitor or
 *   PodMonitor's `metrics`, a golden-signals pack's request and latency metrics). They count as produced.
 * - `declareMetricPack(scope)`: a shipped rule pack or dashboard. A query of a pack whose metric nothing
 *   in the app produces fails the synth; the same query in a user's own rule or dashboard is a warning.
 * - `registerMetricQueries(scope, produce, kind, owner)`: queries that live outside a PrometheusRule object
 *   (dashboard panels and variables, Grafana-managed alert rules). PrometheusRule objects are read from the
 *   resolved output directly.
 */
import { IConstruct } from 'constructs';

const PRODUCED = Symbol.for('cdk8s-lgtm.producedMetrics');
const PACK = Symbol.for('cdk8s-lgtm.metricPack');
const QUERIES = Symbol.for('cdk8s-lgtm.metricQueries');

/** A PromQL query of a construct, with where it is (for the message). */
export type MetricQuery = {
  /** Where in the construct, e.g. `panel "CPU usage" target A`. */
  readonly where: string;
  /** The query as written (shown in the message). */
  readonly expr: string;
  /** The query made parseable (Grafana variables replaced), when it differs from `expr`. */
  readonly parseable?: string;
};

/** Declares metric names `scope` makes available (added to what it already declared). */
export function declareProducedMetrics(scope: IConstruct, names: string[]): void {
  const own = Object.prototype.hasOwnProperty.call(scope, PRODUCED) ? (scope as any)[PRODUCED] as string[] : undefined;
  if (own) own.push(...names);
  else Object.defineProperty(scope, PRODUCED, { value: [...names], enumerable: false });
}

/** Names declared on `scope` itself. */
export function producedMetricsOf(scope: IConstruct): string[] | undefined {
  return Object.prototype.hasOwnProperty.call(scope, PRODUCED) ? (scope as any)[PRODUCED] : undefined;
}

/** Marks `scope` as a shipped rule pack or dashboard (a metric without a source fails the synth). */
export function declareMetricPack(scope: IConstruct): void {
  if (!Object.prototype.hasOwnProperty.call(scope, PACK)) Object.defineProperty(scope, PACK, { value: true, enumerable: false });
}

/** True when `scope` or one of its ancestors is a pack. */
export function isInMetricPack(scope: IConstruct): boolean {
  return scope.node.scopes.some((s) => (s as any)[PACK] === true);
}

/** What registered queries are: panels of a dashboard, or alert rules kept outside a PrometheusRule. */
export type MetricQueryKind = 'dashboard' | 'rule';

/** One registration of `registerMetricQueries`. */
export type MetricQueryRegistration = {
  readonly kind: MetricQueryKind;
  readonly queries: MetricQuery[];
  /**
   * The construct deciding the policy (a pack, or inside one: the finding fails the synth) and named in
   * the message.
   */
  readonly owner: IConstruct;
};

interface Producer {
  readonly kind: MetricQueryKind;
  readonly produce: () => MetricQuery[];
  readonly owner?: IConstruct;
}

/**
 * Registers PromQL queries of `scope` (read lazily, when the check runs); a scope may register several
 * times (a Grafana holds the alert rules of its user and of packs). `owner` is the construct the policy
 * and the message use (default `scope`).
 */
export function registerMetricQueries(scope: IConstruct, produce: () => MetricQuery[], kind: MetricQueryKind = 'dashboard', owner?: IConstruct): void {
  const own = Object.prototype.hasOwnProperty.call(scope, QUERIES) ? (scope as any)[QUERIES] as Producer[] : undefined;
  const p: Producer = { kind, produce, owner };
  if (own) own.push(p);
  else Object.defineProperty(scope, QUERIES, { value: [p], enumerable: false });
}

/** The registered queries of `scope`, one entry per registration (empty when none). */
export function metricQueryRegistrations(scope: IConstruct): MetricQueryRegistration[] {
  const own = Object.prototype.hasOwnProperty.call(scope, QUERIES) ? (scope as any)[QUERIES] as Producer[] : [];
  return own.map((p) => ({ kind: p.kind, queries: p.produce(), owner: p.owner ?? scope }));
}

/** The registered queries of `scope`, if any (every registration). */
export function metricQueriesOf(scope: IConstruct): MetricQuery[] | undefined {
  const regs = metricQueryRegistrations(scope);
  return regs.length > 0 ? regs.flatMap((r) => r.queries) : undefined;
}
