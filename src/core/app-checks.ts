/**
 * App-wide checks, registered once per app on its root and run by `app.synth()` before any file is
 * written (cdk8s validates the whole tree first, then writes):
 *
 * - a dry run that resolves every object, so that a lazy value that fails (a config file, a dashboard
 *   whose datasource is missing) fails here and not half-way through writing the charts;
 * - no two constructs emit the same kind, namespace and name (whichever is applied last would win);
 * - every PrometheusRule and Probe is selected by a Prometheus of the app (like every monitor);
 * - every Secret the output reads and does not create has known keys (see `prerequisites.ts`);
 * - every alert, recording rule and dashboard query selects metrics a scraped target of the app produces
 *   (`provenance/check.ts`: a shipped pack without its source fails, the user's own queries warn).
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppIndex, appIndex, hookPassIndex } from './app-index';
import { addLgtmValidation, LgtmErrorDetails, LgtmValidationError, show } from './errors';
import { secretPrerequisiteErrors } from './prerequisites';
import { metricProvenanceFindings } from './provenance/check';
import { re2Error } from './re2';
import { alertmanagerConfigErrors } from './validation/alertmanager-config';
import { outputErrors } from './validation/output';
import { parseYamlText } from './verbatim';


const LGTM_APP_CHECKS = Symbol.for('cdk8s-lgtm.lgtmAppChecks');
/** The marker `Prometheus` sets on itself (see `src/prometheus/common.ts`). */
const PROMETHEUS_MARKER = Symbol.for('cdk8s-lgtm.Prometheus');

/** A resolved object and the construct that emits it. */
export interface ResolvedObject {
  readonly path: string;
  readonly apiObject: ApiObject;
  readonly manifest: any;
}

/** Registers the app-wide checks on the root of `scope` (once per app). */
export function registerLgtmAppChecks(scope: IConstruct): void {
  const root = scope.node.root as any;
  if (root[LGTM_APP_CHECKS]) return;
  Object.defineProperty(root, LGTM_APP_CHECKS, { value: true });
  hookPassIndex(scope.node.root); // before the checks, which read the pass index
  addLgtmValidation(scope.node.root, () => appErrors(scope.node.root));
}

/** Every ApiObject of the app. */
export function apiObjectsOf(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

/**
 * Resolves every object (all lazy values) the way `app.synth()` will. Errors are returned as messages
 * instead of thrown, each with the path of the object that failed.
 */
export function resolveAll(root: IConstruct, index?: AppIndex): { objects: ResolvedObject[]; errors: LgtmErrorDetails[] } {
  const objects: ResolvedObject[] = [];
  const errors: LgtmErrorDetails[] = [];
  for (const o of apiObjectsOf(root)) {
    try {
      objects.push({ path: o.node.path, apiObject: o, manifest: index ? index.manifestOf(o) : o.toJson() });
    } catch (e) {
      errors.push(resolveError(o, e));
    }
  }
  return { objects, errors };
}

const FIVE_PART_MESSAGE = /(\[[^\]]*\] [\s\S]*?)\. Received: ([\s\S]*?); expected: ([\s\S]*?)\. Fix: ([\s\S]*)$/;

function resolveError(o: ApiObject, e: unknown): LgtmErrorDetails {
  if (e instanceof LgtmValidationError || (e as any)?.name === 'LgtmValidationError') {
    const d = (e as LgtmValidationError).details;
    return { ...d, problem: `[${(e as LgtmValidationError).constructPath}] ${d.problem}` };
  }
  // cdk8s wraps errors raised while resolving ('Failed serializing construct ...: LgtmValidationError: ...')
  const text = String((e as Error)?.message ?? e);
  const inner = text.includes('LgtmValidationError: ') ? FIVE_PART_MESSAGE.exec(text.slice(text.indexOf('LgtmValidationError: ') + 'LgtmValidationError: '.length)) : null;
  if (inner) return { problem: inner[1], received: inner[2], expected: inner[3], fix: inner[4] };
  return {
    problem: `${o.kind} ${o.name} (${o.node.path}) cannot be rendered: ${(e as Error)?.message ?? String(e)}`,
    received: 'an error while resolving its lazy values',
    expected: 'every object of the app resolves before any file is written',
    fix: 'correct the input named in the error above',
  };
}

function namespaceOf(o: ApiObject, manifest: any): string {
  const ns = manifest?.metadata?.namespace;
  if (ns) return ns;
  try {
    return Chart.of(o).namespace ?? '';
  } catch {
    return '';
  }
}

/** Objects emitted twice: same API group, kind, namespace and name. */
export function duplicateErrors(objects: ResolvedObject[]): LgtmErrorDetails[] {
  const seen = new Map<string, ResolvedObject>();
  const errors: LgtmErrorDetails[] = [];
  for (const r of objects) {
    const group = String(r.manifest.apiVersion ?? '').includes('/') ? String(r.manifest.apiVersion).split('/')[0] : '';
    const ns = namespaceOf(r.apiObject, r.manifest);
    const key = `${group}|${r.manifest.kind}|${ns}|${r.manifest.metadata?.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, r);
      continue;
    }
    const what = `${r.manifest.kind} ${ns ? `${ns}/` : ''}${r.manifest.metadata?.name}`;
    errors.push({
      problem: `[${r.path}] ${what} is emitted twice, by ${first.path} and by ${r.path}: whichever is applied last wins`,
      received: `two objects with kind ${show(r.manifest.kind)}, namespace ${show(ns)}, name ${show(r.manifest.metadata?.name)}`,
      expected: 'each kind/namespace/name once in the app',
      fix: `give one of the two constructs another 'name' or 'namespace' (e.g. name: '${r.manifest.metadata?.name}-2'), or remove the duplicate`,
    });
  }
  return errors;
}

interface SelectingPrometheus {
  selects(kind: string, namespace: string, labels: Record<string, string>): boolean;
  describeSelection(kind: string): string;
  _selectsIn?(index: AppIndex, kind: string, namespace: string, labels: Record<string, string>): boolean;
}

/**
 * A Prometheus' `selects` against one index of the app: `selects` alone walks the tree and resolves the
 * labels of every monitor again, once per rule object (200 PrometheusRules: 200 walks).
 */
type Selecting = Pick<SelectingPrometheus, 'selects' | 'describeSelection'>;

function selectingIn(index: AppIndex, proms: SelectingPrometheus[]): Selecting[] {
  return proms.map((p) => ({
    selects: (kind: string, ns: string, labels: Record<string, string>) =>
      (p._selectsIn ? p._selectsIn(index, kind, ns, labels) : p.selects(kind, ns, labels)),
    describeSelection: (kind: string) => p.describeSelection(kind),
  }));
}

/** PrometheusRules that no Prometheus of the app loads, and Probes that none runs. */
export function ruleSelectionErrors(root: IConstruct, objects: ResolvedObject[], index: AppIndex = new AppIndex(root)): LgtmErrorDetails[] {
  const proms = selectingIn(index, index.marked<SelectingPrometheus>(PROMETHEUS_MARKER));
  if (proms.length === 0) return []; // the Prometheus lives in another app: nothing to check here
  const errors: LgtmErrorDetails[] = [];
  for (const r of objects) {
    if (r.manifest.kind === 'Probe' && String(r.manifest.apiVersion).startsWith('monitoring.coreos.com/')) {
      errors.push(...probeSelectionErrors(r, proms));
      continue;
    }
    if (r.manifest.kind !== 'PrometheusRule' || !String(r.manifest.apiVersion).startsWith('monitoring.coreos.com/')) continue;
    const ns = namespaceOf(r.apiObject, r.manifest);
    const labels = r.manifest.metadata?.labels ?? {};
    if (proms.some((p) => p.selects('PrometheusRule', ns, labels))) continue;
    errors.push({
      problem: `[${r.path}] no Prometheus in the app selects PrometheusRule ${ns}/${r.manifest.metadata?.name}: its rules would never be evaluated`,
      received: `namespace ${show(ns)}, labels ${show(labels)}; Prometheus instances: ${proms.map((p) => p.describeSelection('PrometheusRule')).join('; ')}`,
      expected: `a Prometheus whose rule selector matches these labels and whose watched namespaces include ${show(ns)}`,
      fix: `put the PrometheusRule in a namespace a Prometheus watches, add ${show(ns)} to the Prometheus 'watchNamespaces' (or leave it unset so it follows the rules), or match its 'monitorSelector'`,
    });
  }
  return errors;
}

/** A Probe (ours or any library's) that no Prometheus of the app selects: like a monitor, it fails. */
function probeSelectionErrors(r: ResolvedObject, proms: Selecting[]): LgtmErrorDetails[] {
  const ns = namespaceOf(r.apiObject, r.manifest);
  const labels = r.manifest.metadata?.labels ?? {};
  if (proms.some((p) => p.selects('Probe', ns, labels))) return [];
  return [{
    problem: `[${r.path}] no Prometheus in the app selects Probe ${ns}/${r.manifest.metadata?.name}: its targets would never be probed`,
    received: `namespace ${show(ns)}, labels ${show(labels)}; Prometheus instances: ${proms.map((p) => p.describeSelection('Probe')).join('; ')}`,
    expected: `a Prometheus whose probe selector matches these labels and whose watched namespaces include ${show(ns)}`,
    fix: `put the Probe in a namespace a Prometheus watches, add ${show(ns)} to the Prometheus 'watchNamespaces' (or leave it unset so it follows the probes), or give the Probe the labels of 'monitorSelector'`,
  }];
}

/** Every rendered `alertmanager.yaml` (in a Secret or ConfigMap), checked as Alertmanager loads it. */
export function alertmanagerFileErrors(objects: ResolvedObject[]): LgtmErrorDetails[] {
  const out: LgtmErrorDetails[] = [];
  for (const r of objects) {
    const m = r.manifest;
    if (m.apiVersion !== 'v1' || (m.kind !== 'Secret' && m.kind !== 'ConfigMap')) continue;
    const raw = m.data?.['alertmanager.yaml'];
    if (typeof raw !== 'string') continue;
    const text = m.kind === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    let cfg: any;
    try {
      cfg = parseYamlText(text); // shared with the rule packs' severity-route check: read only
    } catch (e) {
      out.push({ problem: `[${r.path}] alertmanager.yaml does not parse: ${(e as Error).message}`, received: text.slice(0, 200), expected: 'YAML', fix: 'render the configuration from typed structures' });
      continue;
    }
    for (const d of alertmanagerConfigErrors(cfg)) out.push({ ...d, problem: `[${r.path}] ${d.problem}` });
  }
  return out;
}

/** Prometheus' staleness window: a series not scraped for this long is marked stale. */
export const STALENESS_WINDOW_MS = 5 * 60 * 1000;

function promMs(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/.exec(s);
  if (!m || s === '') return undefined;
  return ((Number(m[2] ?? 0) * 60 + Number(m[4] ?? 0)) * 60 + Number(m[6] ?? 0)) * 1000 + Number(m[8] ?? 0);
}

/**
 * Scrape settings of every monitor and Prometheus: the interval at most the staleness window (else every
 * series goes stale between two scrapes and the graphs and alerts see gaps), the timeout at most the
 * interval (Prometheus refuses the scrape config otherwise), and relabeling regexes valid RE2.
 */
export function scrapeErrors(objects: ResolvedObject[]): LgtmErrorDetails[] {
  const out: LgtmErrorDetails[] = [];
  for (const r of objects) {
    const m = r.manifest;
    if (!String(m.apiVersion ?? '').startsWith('monitoring.coreos.com/')) continue;
    const what = `[${r.path}] ${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
    const check = (where: string, interval: unknown, timeout: unknown, defaultInterval?: unknown) => {
      const i = promMs(interval ?? defaultInterval);
      const t = promMs(timeout);
      if (i !== undefined && i > STALENESS_WINDOW_MS) {
        out.push({ problem: `${what}: ${where} scrape interval ${interval} is longer than Prometheus' 5m staleness window`, received: String(interval), expected: 'a scrape interval of at most 5m (series not scraped for 5m are marked stale, so longer intervals leave gaps)', fix: 'scrape at most every 5m (e.g. Duration.minutes(2)); for slow data, record it at a shorter interval' });
      }
      if (i !== undefined && t !== undefined && t > i) {
        out.push({ problem: `${what}: ${where} scrape timeout ${timeout} is longer than its interval ${interval ?? defaultInterval}`, received: `interval ${interval ?? defaultInterval}, timeout ${timeout}`, expected: 'scrapeTimeout at most the scrape interval (Prometheus refuses the scrape config otherwise)', fix: 'shorten the timeout or lengthen the interval' });
      }
    };
    const relabel = (where: string, rules: any[] | undefined) => {
      for (const [i, rl] of (rules ?? []).entries()) {
        if (typeof rl?.regex !== 'string') continue;
        const e = re2Error(`^(?:${rl.regex})$`);
        if (e) out.push({ problem: `${what}: ${where}[${i}].regex does not compile as RE2 (${e})`, received: show(rl.regex), expected: 'an RE2 regular expression (Go regexp syntax: no lookaround, no backreferences)', fix: 'rewrite the regex; to exclude, use action: drop with a positive regex instead of a negative lookahead' });
      }
    };
    if (m.kind === 'Prometheus') check('the global', m.spec?.scrapeInterval, m.spec?.scrapeTimeout, '30s');
    if (m.kind === 'Probe') check('the probe', m.spec?.interval, m.spec?.scrapeTimeout);
    const endpoints: any[] = m.kind === 'ServiceMonitor' ? m.spec?.endpoints ?? [] : m.kind === 'PodMonitor' ? m.spec?.podMetricsEndpoints ?? [] : [];
    endpoints.forEach((ep, i) => {
      check(`endpoint ${i}`, ep.interval, ep.scrapeTimeout);
      relabel(`endpoints[${i}].relabelings`, ep.relabelings);
      relabel(`endpoints[${i}].metricRelabelings`, ep.metricRelabelings);
    });
  }
  return out;
}

const WARNED = new WeakMap<IConstruct, Set<string>>();

/**
 * Metric provenance (see `provenance/check.ts`): a shipped pack's query on a metric nothing in the app
 * produces is an error; the user's own rules and dashboards get a synth warning (printed once, and kept
 * as `cdk8s-lgtm:warning` metadata on the construct).
 */
export function provenanceErrors(root: IConstruct, objects: ResolvedObject[]): LgtmErrorDetails[] {
  const errors: LgtmErrorDetails[] = [];
  for (const f of metricProvenanceFindings(root.node.findAll(), objects)) {
    if (f.pack) {
      errors.push(f.details);
      continue;
    }
    const message = `${f.details.problem.replace(/^\[[^\]]*\] /, '')}. Received: ${f.details.received}; expected: ${f.details.expected}. Fix: ${f.details.fix}`;
    const seen = WARNED.get(f.scope) ?? new Set<string>();
    WARNED.set(f.scope, seen);
    if (seen.has(message)) continue;
    seen.add(message);
    f.scope.node.addMetadata(SYNTH_WARNING, message);
    console.warn(`[WARNING] ${f.scope.node.path}: ${message}`);
  }
  return errors;
}

/** Metadata type of synth-time warnings (the same as Promtail's deprecation note). */
export const SYNTH_WARNING = 'cdk8s-lgtm:warning';

/** Every app-wide check (the dry run first). */
export function appErrors(root: IConstruct): LgtmErrorDetails[] {
  const index = appIndex(root); // runs in a validation
  const { objects, errors } = resolveAll(root, index);
  return [
    ...errors,
    ...outputErrors(objects),
    ...duplicateErrors(objects),
    ...ruleSelectionErrors(root, objects, index),
    ...alertmanagerFileErrors(objects),
    ...scrapeErrors(objects),
    ...provenanceErrors(root, objects),
    ...secretPrerequisiteErrors(root, objects.map((o) => ({ path: o.path, manifest: o.manifest }))),
  ];
}
