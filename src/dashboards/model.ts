/**
 * Internal: the dashboard JSON model walker. Resolves datasource references to the stable UIDs of a
 * Grafana's datasources and parses every query (PromQL with lezer-promql, LogQL with lezer-logql).
 *
 * Not exported from the package: the public API is `GrafanaDashboard` (./grafana-dashboard.ts).
 */
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { DatasourceInfo, DatasourceKind } from '../core/interfaces';
import { logqlError, PROMQL_TYPES_EXPECTED, promqlError, promqlTypeProblem, traceqlError } from '../core/query';

/** Grafana's own pseudo datasources: they exist in every Grafana, nothing to resolve. */
const BUILTIN_UIDS = new Set(['grafana', '-- Grafana --', '-- Mixed --', '-- Dashboard --', '__expr__']);
const BUILTIN_TYPES = new Set(['grafana', 'datasource', '__expr__', 'dashboard']);

/** Dashboard uid rule (Grafana: at most 40 characters; we also keep it URL- and file-name-safe). */
export const UID_PATTERN = /^[a-zA-Z0-9_-]{1,40}$/;

/** Fails unless `uid` is a valid dashboard uid. */
export function requireDashboardUid(scope: IConstruct, uid: unknown, source: string): string {
  if (typeof uid !== 'string' || !UID_PATTERN.test(uid)) {
    fail(scope, {
      problem: `the dashboard uid (${source}) is not a valid Grafana dashboard uid`,
      received: show(uid) + (typeof uid === 'string' ? ` (${uid.length} chars)` : ''),
      expected: '1 to 40 characters from [a-zA-Z0-9_-], stable across renders (links and bookmarks use it)',
      fix: "set 'uid' to a short stable id such as 'platform-overview' (an exported dashboard keeps its uid in the JSON)",
    });
  }
  return uid;
}

/** A resolved datasource reference, as Grafana 13 stores it. */
interface DsRef {
  type?: string;
  uid?: string;
}

/** What a reference resolved to: a concrete datasource, a dashboard variable, or a Grafana built-in. */
interface Resolved {
  ref: DsRef;
  /** Query language to check targets with (undefined: no check: built-in, mixed, other kinds). */
  kind?: string;
}

const VAR_RE = /^\$\{?([A-Za-z0-9_]+)(?::[A-Za-z0-9_]+)?\}?$/;

/** Context of one render: the datasources of the Grafana and the dashboard's own variables. */
export class DashboardRenderer {
  /** datasource-type template variables: name -> plugin type (e.g. `prometheus`). */
  private readonly dsVariables = new Map<string, string>();
  /** `__inputs` of a dashboard exported "for sharing externally": name -> plugin id. */
  private readonly inputs = new Map<string, string>();

  constructor(
    private readonly scope: IConstruct,
    private readonly dashboardUid: string,
    private readonly datasources: DatasourceInfo[],
  ) {}

  /** Returns a resolved deep copy of `source` (which is left untouched). */
  public render(source: any): any {
    const json = JSON.parse(JSON.stringify(source));
    for (const input of arr(json.__inputs)) {
      if (input && input.type === 'datasource' && typeof input.name === 'string') {
        this.inputs.set(input.name, String(input.pluginId ?? ''));
      }
    }
    // Export-for-sharing metadata and the database id mean nothing to a provisioned dashboard.
    delete json.__inputs;
    delete json.__requires;
    delete json.__elements;
    delete json.id;

    const variables = arr(json.templating?.list);
    variables.forEach((v: any) => {
      if (v && v.type === 'datasource' && typeof v.name === 'string') this.dsVariables.set(v.name, String(v.query ?? ''));
    });
    variables.forEach((v: any, i: number) => this.variable(v, `templating.list[${i}] (variable "${v?.name}")`));
    arr(json.annotations?.list).forEach((a: any, i: number) => this.annotation(a, `annotations.list[${i}] ("${a?.name}")`));
    this.panels(arr(json.panels), 'panels', undefined);
    return json;
  }

  // ---------------------------------------------------------------------------------------------
  // walkers

  private panels(panels: any[], path: string, inherited: Resolved | undefined): void {
    panels.forEach((p: any, i: number) => {
      if (!p || typeof p !== 'object') return;
      const where = describePanel(p, `${path}[${i}]`);
      const own = p.datasource !== undefined && p.datasource !== null ? this.resolve(p.datasource, where) : undefined;
      if (own) p.datasource = own.ref;
      const effective = own ?? (p.type === 'row' ? inherited : undefined);
      arr(p.targets).forEach((t: any, j: number) => {
        if (!t || typeof t !== 'object') return;
        const tWhere = `${where} target ${t.refId ?? `#${j}`}`;
        const tRes = t.datasource !== undefined && t.datasource !== null ? this.resolve(t.datasource, tWhere) : undefined;
        if (tRes) t.datasource = tRes.ref;
        const tKind = (tRes ?? effective)?.kind;
        // Tempo targets carry TraceQL in `query` (queryType 'traceql'); the other kinds carry `expr`
        this.checkQuery(tKind, tKind === DatasourceKind.TEMPO && (t.queryType ?? 'traceql') === 'traceql' ? t.query : t.expr, tWhere);
      });
      if (Array.isArray(p.panels)) this.panels(p.panels, `${path}[${i}].panels`, effective);
    });
  }

  private variable(v: any, where: string): void {
    if (!v || typeof v !== 'object') return;
    if (v.type === 'datasource') {
      const kind = String(v.query ?? '');
      if (!this.datasources.some((d) => d.kind === kind)) {
        fail(this.scope, {
          problem: `dashboard "${this.dashboardUid}" ${where} lists datasources of type ${show(kind)} but the Grafana has none`,
          received: this.describeAvailable(),
          expected: `at least one datasource of type ${show(kind)}`,
          fix: `add a ${kind} datasource to the Grafana (grafana.addDatasource(...)) or change the variable's type`,
        });
      }
      return;
    }
    if (v.datasource === undefined || v.datasource === null) return;
    const r = this.resolve(v.datasource, `${where}`);
    v.datasource = r.ref;
    if (r.kind === DatasourceKind.PROMETHEUS) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      if (typeof q === 'string') {
        for (const expr of promqlInVariableQuery(q)) this.checkQuery(r.kind, expr, `${where} query`);
      }
    } else if (r.kind === DatasourceKind.LOKI) {
      const stream = v.query?.stream;
      if (typeof stream === 'string' && stream.trim()) this.checkQuery(r.kind, stream, `${where} stream selector`);
    }
  }

  private annotation(a: any, where: string): void {
    if (!a || typeof a !== 'object' || a.datasource === undefined || a.datasource === null) return;
    const r = this.resolve(a.datasource, where);
    a.datasource = r.ref;
    this.checkQuery(r.kind, a.expr, where);
    if (a.target && typeof a.target === 'object') this.checkQuery(r.kind, a.target.expr, `${where} target`);
  }

  // ---------------------------------------------------------------------------------------------
  // datasource references

  /** Resolves one reference (string or `{type, uid}` object). Fails when it matches no datasource. */
  private resolve(raw: any, where: string): Resolved {
    if (typeof raw === 'string') {
      if (BUILTIN_UIDS.has(raw)) return { ref: raw as any };
      const m = VAR_RE.exec(raw);
      if (m) return this.resolveVariable(m[1], undefined, raw, where);
      // Grafana < 8.3 referenced datasources by name.
      const byName = this.datasources.find((d) => d.name === raw || d.uid === raw);
      if (byName) return concrete(byName);
      return this.unknown(raw, where, `datasource named ${show(raw)}`);
    }
    if (typeof raw !== 'object') return this.unknown(raw, where, 'datasource reference it understands');
    const type: string | undefined = typeof raw.type === 'string' && raw.type ? raw.type : undefined;
    const uid: string | undefined = typeof raw.uid === 'string' && raw.uid ? raw.uid : undefined;
    if ((uid && BUILTIN_UIDS.has(uid)) || (type && BUILTIN_TYPES.has(type))) return { ref: raw };
    if (uid) {
      const m = VAR_RE.exec(uid);
      if (m) return this.resolveVariable(m[1], type, raw, where);
      const ds = this.datasources.find((d) => d.uid === uid);
      if (!ds) return this.unknown(raw, where, `datasource with uid ${show(uid)}`);
      if (type && type !== ds.kind) {
        fail(this.scope, {
          problem: `dashboard "${this.dashboardUid}" ${where} names datasource uid ${show(uid)} with type ${show(type)}, but that datasource is a ${ds.kind}`,
          received: show(raw),
          expected: `{ "type": "${ds.kind}", "uid": "${uid}" }`,
          fix: 'correct the type (or the uid) of the reference',
        });
      }
      return concrete(ds);
    }
    if (type) return this.byKind(type, raw, where);
    return this.unknown(raw, where, 'datasource for a reference without type and uid');
  }

  /** `$var` / `${VAR}`: a datasource template variable stays dynamic; an export placeholder resolves by kind. */
  private resolveVariable(name: string, type: string | undefined, raw: any, where: string): Resolved {
    const varType = this.dsVariables.get(name);
    if (varType !== undefined) {
      return { ref: { type: type ?? varType, uid: `\${${name}}` }, kind: type ?? varType };
    }
    const kind = type ?? this.inputs.get(name) ?? kindFromPlaceholder(name);
    if (!kind) {
      return this.unknown(raw, where, `datasource for placeholder ${show(name)} (no __inputs entry or datasource variable names its type)`);
    }
    return this.byKind(kind, raw, where);
  }

  private byKind(kind: string, raw: any, where: string): Resolved {
    const matches = this.datasources.filter((d) => d.kind === kind);
    if (matches.length === 1) return concrete(matches[0]);
    if (matches.length === 0) {
      return this.unknown(raw, where, `datasource of type ${show(kind)}`);
    }
    return fail(this.scope, {
      problem: `dashboard "${this.dashboardUid}" ${where} refers to a datasource of type ${show(kind)} without a uid, and the Grafana has ${matches.length} of them`,
      received: `${show(raw)}; candidates: ${matches.map((d) => `${d.name} (uid ${d.uid})`).join(', ')}`,
      expected: 'exactly one datasource of that type, or a reference with the uid of one of them',
      fix: `set the uid in the dashboard JSON (or the dashboard's datasource uid prop) to one of: ${matches.map((d) => d.uid).join(', ')}`,
    });
  }

  private unknown(raw: any, where: string, what: string): never {
    return fail(this.scope, {
      problem: `dashboard "${this.dashboardUid}" ${where} references an unknown datasource: the Grafana has no ${what}`,
      received: show(raw),
      expected: `a reference to one of the Grafana's datasources: ${this.describeAvailable()}`,
      fix: 'add that datasource to the Grafana (grafana.addDatasource(...)), or change the reference to { "type": ..., "uid": ... } of an existing one, or to { "type": "<kind>" } when exactly one datasource of that kind exists',
    });
  }

  /** PromQL that parses must also type-check (as alert and recording rules do); a substituted variable's type is unknown, so errors at one are skipped. */
  private checkPromQLTypes(expr: string, sub: Substituted, where: string): void {
    const atVariable = (p: number) => {
      const o = sub.originalPosition(p);
      return expr[o] === '$' || expr.startsWith('[[', o);
    };
    const t = promqlTypeProblem(sub.text, atVariable);
    if (!t) return;
    const pos = sub.originalPosition(t.position);
    fail(this.scope, {
      problem: `dashboard "${this.dashboardUid}" ${where}: PromQL does not type-check at position ${pos}: ${t.message}`,
      received: `\n${expr.replace(/\n/g, ' ')}\n${' '.repeat(pos)}^\n`,
      expected: PROMQL_TYPES_EXPECTED,
      fix: t.fix,
    });
  }

  /** TraceQL of a Tempo target, parsed with Grafana's lezer grammar (variables substituted first). */
  private checkTraceQL(expr: string, where: string): void {
    if (expr.trim() === '') return; // an empty TraceQL target is Grafana's "no query yet"
    const sub = substituteVariables(expr);
    const err = traceqlError(sub.text);
    if (!err) return;
    const pos = sub.originalPosition(err.position);
    fail(this.scope, {
      problem: `dashboard "${this.dashboardUid}" ${where}: invalid TraceQL at position ${pos}`,
      received: `\n${expr.replace(/\n/g, ' ')}\n${' '.repeat(pos)}^\n`,
      expected: 'a TraceQL query that Tempo can parse, e.g. { resource.service.name = "web" && span.http.status_code >= 500 }',
      fix: 'correct the query at the marked position (try it in Grafana Explore on the Tempo datasource)',
    });
  }

  private describeAvailable(): string {
    if (this.datasources.length === 0) return '(none)';
    return this.datasources.map((d) => `${d.name} (type ${d.kind}, uid ${d.uid})`).join(', ');
  }

  // ---------------------------------------------------------------------------------------------
  // queries

  private checkQuery(kind: string | undefined, expr: unknown, where: string): void {
    if (typeof expr !== 'string') return;
    if (kind === DatasourceKind.TEMPO) return this.checkTraceQL(expr, where);
    if (kind !== DatasourceKind.PROMETHEUS && kind !== DatasourceKind.LOKI) return;
    const language = kind === DatasourceKind.PROMETHEUS ? 'PromQL' : 'LogQL';
    const sub = substituteVariables(expr);
    const err = kind === DatasourceKind.PROMETHEUS ? promqlError(sub.text) : logqlError(sub.text);
    if (!err && kind === DatasourceKind.PROMETHEUS) return this.checkPromQLTypes(expr, sub, where);
    if (!err) return;
    const pos = sub.originalPosition(err.position);
    const line = expr.replace(/\n/g, ' ');
    fail(this.scope, {
      problem: `dashboard "${this.dashboardUid}" ${where}: invalid ${language} at position ${pos}`,
      received: `\n${line}\n${' '.repeat(pos)}^\n`,
      expected: kind === DatasourceKind.PROMETHEUS
        ? 'a PromQL expression that Prometheus can parse (Grafana variables such as $namespace and $__rate_interval are allowed)'
        : 'a LogQL expression that Loki can parse, e.g. {namespace="dev"} |= "error"',
      fix: 'correct the expression at the marked position (try it in Grafana Explore)',
    });
  }
}

function concrete(ds: DatasourceInfo): Resolved {
  return { ref: { type: ds.kind, uid: ds.uid }, kind: ds.kind };
}

/** `DS_PROMETHEUS` -> prometheus, `DS_LOKI` -> loki ... (Grafana's export naming). */
function kindFromPlaceholder(name: string): string | undefined {
  const n = name.toLowerCase();
  if (n.includes('prometheus') || n.includes('mimir')) return DatasourceKind.PROMETHEUS;
  if (n.includes('loki')) return DatasourceKind.LOKI;
  if (n.includes('tempo')) return DatasourceKind.TEMPO;
  if (n.includes('pyroscope')) return DatasourceKind.PYROSCOPE;
  if (n.includes('alertmanager')) return DatasourceKind.ALERTMANAGER;
  return undefined;
}

function arr(x: any): any[] {
  return Array.isArray(x) ? x : [];
}

function describePanel(p: any, path: string): string {
  const g = p.gridPos;
  const pos = g && typeof g === 'object' ? ` at x=${g.x},y=${g.y}` : '';
  const id = p.id !== undefined ? `id ${p.id}, ` : '';
  return `panel "${p.title ?? ''}" (${id}${path}${pos})`;
}

/**
 * The PromQL parts of a Prometheus template-variable query: `label_values(<selector>, label)` and
 * `query_result(<expr>)`; `label_names()` and `metrics(regex)` carry none.
 */
export function promqlInVariableQuery(q: string): string[] {
  const s = q.trim();
  let m = /^query_result\(([\s\S]*)\)$/.exec(s);
  if (m) return [m[1]];
  m = /^label_values\(([\s\S]*)\)$/.exec(s);
  if (m) {
    const inner = m[1];
    const comma = inner.lastIndexOf(',');
    if (comma < 0) return [];
    const selector = inner.slice(0, comma).trim();
    return selector ? [selector] : [];
  }
  if (/^(label_names|metrics)\(/.test(s)) return [];
  return s ? [s] : [];
}

/** Result of replacing Grafana variables with parseable stand-ins. */
export interface Substituted {
  readonly text: string;
  originalPosition(pos: number): number;
}

/**
 * Replaces Grafana template variables (`$var`, `${var}`, `${var:fmt}`, `[[var]]`, `$__rate_interval`...) so
 * the query can be parsed: inside quoted strings they are left alone (Grafana interpolates the text),
 * inside `[...]` and after `offset` they become a duration (`5m`), anywhere else an identifier (which
 * PromQL and LogQL accept wherever an expression, metric, or label name goes).
 */
/** A Grafana variable reference: `${name}`, `${name:format}`, `$name` or `[[name]]` (sticky: matched at `lastIndex`). */
const VARIABLE = /\$\{[A-Za-z0-9_.]+(?::[A-Za-z0-9_]+)?\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z0-9_]+(?::[A-Za-z0-9_]+)?\]\]/y;

export function substituteVariables(expr: string): Substituted {
  let out = '';
  const map: number[] = [];
  let quote: string | undefined;
  let bracket = 0;
  let i = 0;
  const emit = (s: string, from: number) => {
    for (let k = 0; k < s.length; k++) map.push(from);
    out += s;
  };
  while (i < expr.length) {
    const c = expr[i];
    if (quote) {
      if (c === '\\' && quote !== '`') {
        emit(expr.slice(i, i + 2), i);
        i += 2;
        continue;
      }
      if (c === quote) quote = undefined;
      emit(c, i);
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      emit(c, i);
      i++;
      continue;
    }
    // a variable starts with `$` or `[[` (the only characters the pattern can start with)
    let v: RegExpExecArray | null = null;
    if (c === '$' || (c === '[' && expr[i + 1] === '[')) {
      VARIABLE.lastIndex = i;
      v = VARIABLE.exec(expr);
    }
    if (v) {
      const afterOffset = /offset\s*$/i.test(out);
      emit(bracket > 0 || afterOffset ? '5m' : 'grafana_variable', i);
      i += v[0].length;
      continue;
    }
    if (c === '[') bracket++;
    if (c === ']') bracket = Math.max(0, bracket - 1);
    emit(c, i);
    i++;
  }
  map.push(expr.length);
  return { text: out, originalPosition: (pos: number) => map[Math.min(pos, map.length - 1)] };
}

/** A PromQL query of a dashboard model (for the metric-provenance check). */
export type DashboardPromQuery = {
  readonly where: string;
  readonly expr: string;
  readonly parseable: string;
};

/**
 * The PromQL queries of a dashboard model: panel targets and query variables whose datasource is of
 * type `prometheus` (directly, or through a datasource variable of that type), Grafana variables
 * replaced so that they parse.
 */
export function promQueriesOf(model: any): DashboardPromQuery[] {
  const out: DashboardPromQuery[] = [];
  const dsVars = new Map<string, string>();
  const variables = arr(model?.templating?.list);
  for (const v of variables) if (v?.type === 'datasource' && typeof v.name === 'string') dsVars.set(v.name, String(v.query ?? ''));
  const typeOf = (ds: any): string | undefined => {
    if (ds === undefined || ds === null) return undefined;
    if (typeof ds === 'string') {
      const m = VAR_RE.exec(ds);
      return m ? dsVars.get(m[1]) : undefined;
    }
    if (typeof ds.type === 'string' && ds.type) return ds.type;
    const m = typeof ds.uid === 'string' ? VAR_RE.exec(ds.uid) : null;
    return m ? dsVars.get(m[1]) : undefined;
  };
  const add = (where: string, expr: unknown) => {
    if (typeof expr !== 'string' || expr.trim() === '') return;
    out.push({ where, expr, parseable: substituteVariables(expr).text });
  };
  variables.forEach((v: any) => {
    if (!v || v.type !== 'query' || typeOf(v.datasource) !== DatasourceKind.PROMETHEUS) return;
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (typeof q === 'string') for (const e of promqlInVariableQuery(q)) add(`variable "${v.name}"`, e);
  });
  const walk = (panels: any[], inherited: string | undefined) => {
    for (const p of panels) {
      if (!p || typeof p !== 'object') continue;
      const own = typeOf(p.datasource) ?? inherited;
      for (const t of arr(p.targets)) {
        if (t && typeof t === 'object' && (typeOf(t.datasource) ?? own) === DatasourceKind.PROMETHEUS) add(`panel "${p.title ?? ''}" target ${t.refId ?? ''}`.trim(), t.expr);
      }
      if (Array.isArray(p.panels)) walk(p.panels, p.type === 'row' ? own : undefined);
    }
  };
  walk(arr(model?.panels), undefined);
  return out;
}

/** Variables every Grafana defines: `$__rate_interval`, `$__interval`, `$__range`, `$__from`, ... and `$timeFilter`. */
const BUILTIN_VARIABLE = /^(__[A-Za-z0-9_.]*|timeFilter)$/;
const VARIABLE_REF = /\$\{([A-Za-z0-9_.]+)(?::[A-Za-z0-9_]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z0-9_]+)(?::[A-Za-z0-9_]+)?\]\]/g;

/** The variable names `text` refers to (`$x`, `${x}`, `${x:fmt}`, `[[x]]`). */
export function variableRefs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE_REF)) out.push((m[1] ?? m[2] ?? m[3]).split('.')[0]);
  return out;
}

/**
 * Fails when a template variable is used nowhere in the dashboard (not in a query, a datasource
 * reference, a title, a link or a `repeat`), or when a query refers to a variable the dashboard does not
 * define (Grafana would send `$foo` to the datasource as written).
 */
export function requireConsistentVariables(scope: IConstruct, uid: string, model: any): void {
  const variables = arr(model?.templating?.list).filter((v: any) => v && typeof v.name === 'string');
  const names = variables.map((v: any) => v.name as string);
  variables.forEach((v: any, i: number) => {
    const rest = { ...model, templating: { ...model.templating, list: variables.filter((_: any, j: number) => j !== i) } };
    const text = JSON.stringify(rest);
    const used = variableRefs(text).includes(v.name) || text.includes(`"repeat":${JSON.stringify(v.name)}`);
    if (!used) {
      fail(scope, {
        problem: `dashboard "${uid}" templating.list[${i}] (variable "${v.name}") is not used by any query, datasource reference, title or link`,
        received: show({ name: v.name, type: v.type, query: v.query }),
        expected: `every variable referred to somewhere in the dashboard as $${v.name} or \${${v.name}}`,
        fix: `use $${v.name} in the queries it should filter (e.g. {namespace=~"$${v.name}"}), or remove the variable`,
      });
    }
  });
  const known = new Set(names);
  const check = (where: string, expr: unknown) => {
    if (typeof expr !== 'string') return;
    for (const ref of variableRefs(expr)) {
      if (known.has(ref) || BUILTIN_VARIABLE.test(ref)) continue;
      fail(scope, {
        problem: `dashboard "${uid}" ${where} uses the variable $${ref}, which the dashboard does not define`,
        received: show(expr),
        expected: `one of the dashboard's variables (${names.length > 0 ? names.map((n: string) => `$${n}`).join(', ') : 'none defined'}) or a Grafana built-in such as $__rate_interval, $__interval or $__range`,
        fix: `define "${ref}" in templating.list, or correct the name${nearestName(ref, names) ? ` (did you mean $${nearestName(ref, names)}?)` : ''}`,
      });
    }
  };
  variables.forEach((v: any, i: number) => {
    check(`templating.list[${i}] (variable "${v.name}") query`, typeof v.query === 'string' ? v.query : v.query?.query);
  });
  const walk = (panels: any[], path: string) => panels.forEach((p: any, i: number) => {
    if (!p || typeof p !== 'object') return;
    const where = describePanel(p, `${path}[${i}]`);
    arr(p.targets).forEach((t: any, j: number) => check(`${where} target ${t?.refId ?? `#${j}`}`, t?.expr));
    if (Array.isArray(p.panels)) walk(p.panels, `${path}[${i}].panels`);
  });
  walk(arr(model?.panels), 'panels');
  arr(model?.annotations?.list).forEach((a: any, i: number) => {
    if (!a || typeof a !== 'object') return;
    check(`annotations.list[${i}] ("${a.name}")`, a.expr);
    check(`annotations.list[${i}] ("${a.name}") target`, a.target?.expr);
  });
}

function nearestName(name: string, names: string[]): string | undefined {
  const lower = name.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower)
    ?? names.find((n) => n.toLowerCase().startsWith(lower.slice(0, 3)) && Math.abs(n.length - name.length) <= 2);
}
