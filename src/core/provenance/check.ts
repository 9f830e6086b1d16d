/**
 * Metric provenance at synth: every alert, recording rule and dashboard query of the app must select
 * metrics that a scraped target of the same app produces.
 *
 * Produced in an app:
 * - the metrics of each scraped component (its class and ServiceMonitor; `sources.ts` maps classes to
 *   the name lists of `*.generated.ts`), the kubelet endpoints a `KubeletMonitor` scrapes;
 * - what Prometheus writes itself (`up`, `scrape_*`, `ALERTS`), when the app has a Prometheus;
 * - every recording rule of the app;
 * - the metrics user applications declare: a ServiceMonitor's or PodMonitor's `metrics`, a
 *   golden-signals pack's request and latency metrics (`registry.ts`).
 *
 * A query of a shipped pack (rule pack or dashboard) whose metric is not produced fails the synth, with
 * the construct to add as the fix. The same in a user's own rule or dashboard is a warning: the library
 * cannot see every path a series takes into Prometheus (scrape configs of its own, remote write from
 * elsewhere, federation), and a user declares such metrics on a monitor to silence it.
 * Nothing is checked in an app without a Prometheus (its rules are loaded elsewhere).
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { metricNamesOf } from './metric-names';
import { isInMetricPack, MetricQuery, metricQueryRegistrations, producedMetricsOf } from './registry';
import { COMPONENT_SOURCES, METRIC_SOURCES, metricSource, SOURCE_CONSTRUCTS, sourcesOfMetric, UNSCRAPED_COMPONENT_SOURCES } from './sources';
import { LgtmErrorDetails } from '../errors';

/** A resolved object of the app (see `resolveAll` in `app-checks.ts`). */
export type ProvenanceObject = {
  readonly path: string;
  readonly apiObject: ApiObject;
  readonly manifest: any;
};

/** One query whose metric nothing produces. */
export type ProvenanceFinding = {
  /** The construct holding the query (the PrometheusRule or dashboard construct). */
  readonly scope: IConstruct;
  /** The metric. */
  readonly metric: string;
  /** True for a shipped pack (fails the synth), false for the user's own rules and dashboards (warning). */
  readonly pack: boolean;
  /** The five parts of the message (the problem starts with the construct path). */
  readonly details: LgtmErrorDetails;
};

const PROMETHEUS_MARKER = Symbol.for('cdk8s-lgtm.Prometheus');

function classNames(c: object): string[] {
  const out: string[] = [];
  for (let p = Object.getPrototypeOf(c); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (typeof p.constructor?.name === 'string') out.push(p.constructor.name);
  }
  return out;
}

/** What the app produces: metric names, and the ids of the sources in it. */
export function producedMetrics(constructs: IConstruct[], objects: ProvenanceObject[]): { names: Set<string>; sources: Set<string> } {
  const names = new Set<string>();
  const sources = new Set<string>();
  const addSource = (id: string) => {
    if (sources.has(id)) return;
    sources.add(id);
    for (const m of metricSource(id)?.metrics ?? []) names.add(m);
  };
  const monitorPaths = (owner: IConstruct): string[] => objects
    .filter((o) => o.manifest?.kind === 'ServiceMonitor' && o.path.startsWith(`${owner.node.path}/`))
    .flatMap((o) => (o.manifest.spec?.endpoints ?? []).map((e: any) => String(e.path ?? '/metrics')));
  for (const c of constructs) {
    for (const m of producedMetricsOf(c) ?? []) names.add(m);
    if ((c as any)[PROMETHEUS_MARKER] === true) addSource('prometheus-synthetic');
    for (const cls of classNames(c)) {
      if (cls === 'KubeletMonitor') {
        const paths = monitorPaths(c);
        if (paths.includes('/metrics')) addSource('kubelet');
        if (paths.includes('/metrics/cadvisor')) addSource('cadvisor');
        if (paths.includes('/metrics/probes')) addSource('kubelet-probes');
        if (paths.length > 0) addSource('go-runtime');
        break;
      }
      const scraped = COMPONENT_SOURCES[cls];
      if (scraped) {
        if ((c as any).serviceMonitor !== undefined) scraped.forEach(addSource);
        break;
      }
      const unscraped = UNSCRAPED_COMPONENT_SOURCES[cls];
      if (unscraped) {
        unscraped.forEach(addSource);
        break;
      }
    }
  }
  for (const o of objects) {
    if (o.manifest?.kind !== 'PrometheusRule') continue;
    for (const g of o.manifest.spec?.groups ?? []) {
      for (const r of g.rules ?? []) if (typeof r.record === 'string') names.add(r.record);
    }
  }
  return { names, sources };
}

interface Consumer {
  readonly scope: IConstruct;
  readonly kind: 'rule' | 'dashboard';
  readonly queries: MetricQuery[];
}

function consumers(constructs: IConstruct[], objects: ProvenanceObject[]): Consumer[] {
  const out: Consumer[] = [];
  for (const o of objects) {
    if (o.manifest?.kind !== 'PrometheusRule' || !String(o.manifest.apiVersion).startsWith('monitoring.coreos.com/')) continue;
    const queries: MetricQuery[] = [];
    for (const g of o.manifest.spec?.groups ?? []) {
      for (const r of g.rules ?? []) {
        if (typeof r.expr !== 'string') continue;
        const what = r.alert !== undefined ? `alert "${r.alert}"` : `recording rule "${r.record}"`;
        queries.push({ where: `${what} of group "${g.name}"`, expr: r.expr });
      }
    }
    out.push({ scope: o.apiObject.node.scope ?? o.apiObject, kind: 'rule', queries });
  }
  for (const c of constructs) {
    for (const r of metricQueryRegistrations(c)) if (r.queries.length > 0) out.push({ scope: r.owner, kind: r.kind, queries: r.queries });
  }
  return out;
}

/** Every query of the app whose metric nothing in the app produces (empty without a Prometheus). */
export function metricProvenanceFindings(constructs: IConstruct[], objects: ProvenanceObject[]): ProvenanceFinding[] {
  if (!constructs.some((c) => (c as any)[PROMETHEUS_MARKER] === true)) return [];
  const produced = producedMetrics(constructs, objects);
  const findings: ProvenanceFinding[] = [];
  for (const consumer of consumers(constructs, objects)) {
    const pack = isInMetricPack(consumer.scope);
    const missing = new Map<string, MetricQuery[]>();
    for (const q of consumer.queries) {
      let names: string[];
      try {
        names = metricNamesOf(q.parseable ?? q.expr);
      } catch {
        continue; // the query checks report syntax errors
      }
      for (const m of names) {
        if (produced.names.has(m)) continue;
        const list = missing.get(m);
        if (list) list.push(q); else missing.set(m, [q]);
      }
    }
    for (const [metric, queries] of missing) {
      findings.push({ scope: consumer.scope, metric, pack, details: describe(consumer, metric, queries, pack, produced.names) });
    }
  }
  return findings;
}

function describe(consumer: Consumer, metric: string, queries: MetricQuery[], pack: boolean, produced: Set<string>): LgtmErrorDetails {
  const q = queries[0];
  const sources = sourcesOfMetric(metric);
  const consequence = consumer.kind === 'rule' ? 'the rule never sees a series (an alert on it can never fire)' : 'the panel stays empty';
  const more = queries.length > 1 ? ` (and ${queries.length - 1} more ${consumer.kind === 'rule' ? 'rules' : 'queries'} of this construct)` : '';
  const received = `the query ${JSON.stringify(q.expr)}${more}`;
  if (sources.length > 0) {
    const constructs = [...new Set(sources.map((s) => SOURCE_CONSTRUCTS[s.id] ?? s.id))];
    return {
      problem: `[${consumer.scope.node.path}] ${q.where} queries ${metric}, which no scraped target in the app produces: ${consequence}`,
      received,
      expected: `a scraped target that exposes ${metric}: ${sources.map((s) => `${s.id} ${s.version} (${s.url})`).join(', or ')}`,
      fix: `add ${constructs.join(' or ')} to the app${pack ? ', or remove the pack' : ", or declare the metric on the monitor that scrapes it (metrics: ['" + metric + "'])"}`,
    };
  }
  const near = nearest(metric, produced);
  return {
    problem: `[${consumer.scope.node.path}] ${q.where} queries ${metric}, which no scraped target in the app produces and no known exporter lists: ${consequence}`,
    received,
    expected: "a metric of a scraped component, a recording rule of the app, or a name declared on the ServiceMonitor or PodMonitor that scrapes it ('metrics')",
    fix: `declare it on the monitor of the application that exposes it (metrics: ['${metric}']), or correct the name${near ? ` (the nearest produced metric is ${near})` : ''}`,
  };
}

/** The produced name closest to `metric` (edit distance at most a third of its length). */
function nearest(metric: string, produced: Set<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(metric.length / 3)) + 1;
  for (const n of produced) {
    if (Math.abs(n.length - metric.length) >= bestD) continue;
    const d = distance(metric, n, bestD);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best;
}

function distance(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return prev[b.length];
}

/** The number of names in every list (for docs and tests). */
export function metricSourceCounts(): { [id: string]: number } {
  return Object.fromEntries(METRIC_SOURCES.map((s) => [s.id, s.metrics.length]));
}
