import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RuleFileAlert } from './alert-fields';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { PackAlertDefinition, PackThreshold } from './pack-definition';
import { PrometheusRule, PrometheusRuleOptions, RuleGroup } from './prometheus-rule';
import { appIndex } from '../core/app-index';
import { nearest } from '../core/config-keys/check';
import { promDuration } from '../core/duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { parseYamlText } from '../core/verbatim';

/**
 * The parts of one alert of a rule pack that can be changed, at construction (`alertOverrides`) or
 * later (`overrideAlert`). Unset fields keep their current value; overrides given twice are merged.
 */
export interface AlertOverride {
  /**
   * Severity (the `severity` label Alertmanager and Grafana route on).
   * @default - the pack's default for the alert (docs/ALERTS.md)
   */
  readonly severity?: AlertSeverity;
  /**
   * How long the condition must hold before the alert fires (`for`).
   * @default - the pack's default for the alert
   */
  readonly pendingFor?: Duration;
  /**
   * The alert's threshold, for an alert with exactly one (its unit and valid range are listed in
   * docs/ALERTS.md and by `describeAlerts()`).
   * @default - the pack's default
   */
  readonly threshold?: number;
  /**
   * Thresholds by name, for alerts with several (e.g. `{ freeRatio: 0.1 }`).
   * @default - the pack's defaults
   */
  readonly thresholdValues?: { [name: string]: number };
  /**
   * Extra labels (merged over the pack's; `severity` is set through `severity`).
   * @default - the pack's labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Extra annotations (merged over the pack's; `summary` and `description` replace the pack's text).
   * @default - the pack's annotations
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Runbook link (annotation `runbook_url`).
   * @default - `<runbookBaseUrl>/<alert>` when the pack has a `runbookBaseUrl`, else none
   */
  readonly runbookUrl?: string;
  /**
   * Whether the alert is rendered.
   * @default - the pack's default (control-plane alerts follow the cluster preset)
   */
  readonly enabled?: boolean;
}

/** The parts of one rule group of a pack that can be changed. */
export interface RuleGroupOverride {
  /**
   * How often the group is evaluated.
   * @default - the Prometheus `evaluationInterval`
   */
  readonly interval?: Duration;
}

/** Options shared by every tunable rule pack. */
export interface AlertPackOptions extends PrometheusRuleOptions {
  /**
   * Overrides by alert name (`{ PodNotReady: { severity: AlertSeverity.CRITICAL, pendingFor: Duration.minutes(2) } }`).
   * An unknown alert name fails with the nearest name of the pack.
   * @default - the pack's defaults (docs/ALERTS.md)
   */
  readonly alertOverrides?: { [alert: string]: AlertOverride };
  /**
   * Overrides by rule-group name (`{ 'kubernetes-workloads': { interval: Duration.seconds(30) } }`).
   * @default - every group at the Prometheus `evaluationInterval`
   */
  readonly groupOverrides?: { [group: string]: RuleGroupOverride };
  /**
   * Base URL of the runbooks; every alert links to `<base>/<alert>` unless it has its own `runbookUrl`.
   * @default - no runbook links
   */
  readonly runbookBaseUrl?: string;
}

/** One threshold of a pack alert, as `describeAlerts()` reports it. */
export interface AlertThresholdInfo {
  /** Name (the key in `AlertOverride.thresholdValues`). */
  readonly name: string;
  /** The value rendered into the expression. */
  readonly value: number;
  /** The pack's default. */
  readonly defaultValue: number;
  /** Unit and meaning, e.g. "ratio of the memory limit". */
  readonly unit: string;
  /** The valid range, e.g. "0 < x < 1". */
  readonly range: string;
}

/** One alert of a pack, as tuned. */
export interface AlertInfo {
  /** Alert name. */
  readonly alert: string;
  /** Rule group. */
  readonly group: string;
  /** Current severity. */
  readonly severity: AlertSeverity;
  /** Current pending period (`for`), rendered (`5m`), or empty for none. */
  readonly pendingPeriod: string;
  /** Whether the alert is rendered. */
  readonly enabled: boolean;
  /** Thresholds. */
  readonly thresholds: AlertThresholdInfo[];
  /** The one-line summary. */
  readonly summary: string;
  /** The series the alert reads (metric names). */
  readonly metrics: string[];
}

interface AlertState {
  readonly def: PackAlertDefinition;
  severity: AlertSeverity;
  pendingFor?: Duration;
  thresholds: Record<string, number>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl?: string;
  enabled: boolean;
  body?: RuleFileAlert;
}

/**
 * A PrometheusRule whose alerts are defined by the library and tunable one by one: severity, pending
 * period, thresholds, labels, annotations, runbook link, on/off, and each group's evaluation interval.
 * Every change is validated when it is made; the rules are rendered at synth, so changes made after
 * construction reach the output.
 */
export abstract class AlertPack extends PrometheusRule {
  private readonly alertStates = new Map<string, AlertState>();
  private readonly packGroups = new Map<string, RuleGroup>();
  private readonly runbookBase?: string;

  constructor(scope: Construct, id: string, props: AlertPackOptions) {
    super(scope, id, props);
    if (props.runbookBaseUrl !== undefined && !/^https?:\/\/\S+$/.test(props.runbookBaseUrl)) {
      fail(this, {
        problem: "'runbookBaseUrl' is not an http(s) URL",
        received: show(props.runbookBaseUrl),
        expected: 'a base URL such as "https://runbooks.example.com/alerts"',
        fix: 'pass the URL the alert names are appended to',
      });
    }
    this.runbookBase = props.runbookBaseUrl?.replace(/\/$/, '');
    addLgtmValidation(this, () => this.severityRoutingErrors());
  }

  /** Names of the pack's alerts, in order. */
  public get alertNames(): string[] {
    return [...this.alertStates.keys()];
  }

  /** Names of the pack's rule groups. */
  public get groupNames(): string[] {
    return [...this.packGroups.keys()];
  }

  /**
   * Changes one alert (merged over earlier overrides). Fails on an unknown alert name (with the nearest
   * name), an unknown threshold name, a threshold outside its valid range, or invalid labels.
   */
  public overrideAlert(alert: string, override: AlertOverride): void {
    const state = this.stateOf(alert);
    const next: AlertState = {
      ...state,
      thresholds: { ...state.thresholds },
      labels: { ...state.labels },
      annotations: { ...state.annotations },
    };
    if (override.severity !== undefined) next.severity = override.severity;
    if (override.pendingFor !== undefined) next.pendingFor = override.pendingFor;
    if (override.runbookUrl !== undefined) next.runbookUrl = override.runbookUrl;
    if (override.enabled !== undefined) next.enabled = override.enabled;
    Object.assign(next.labels, override.labels ?? {});
    Object.assign(next.annotations, override.annotations ?? {});
    const defs = state.def.thresholds ?? [];
    if (override.threshold !== undefined) {
      if (defs.length !== 1) {
        fail(this, {
          problem: `${alert}: 'threshold' is for alerts with exactly one threshold; ${alert} has ${defs.length === 0 ? 'none' : defs.length}`,
          received: show(override.threshold),
          expected: defs.length === 0 ? 'no threshold override for this alert' : `'thresholdValues' by name: ${defs.map((t) => t.name).join(', ')}`,
          fix: defs.length === 0 ? "remove 'threshold'; change the alert's severity or pending period instead" : `use thresholdValues: { ${defs[0].name}: ${override.threshold} }`,
        });
      }
      next.thresholds[defs[0].name] = this.checkThreshold(alert, defs[0], override.threshold);
    }
    for (const [name, value] of Object.entries(override.thresholdValues ?? {})) {
      const def = defs.find((t) => t.name === name);
      if (!def) {
        const near = nearest(name, defs.map((t) => t.name));
        fail(this, {
          problem: `${alert} has no threshold '${name}'`,
          received: show(name),
          expected: defs.length === 0 ? `no thresholds (${alert} has none)` : `one of ${defs.map((t) => t.name).join(', ')}`,
          fix: near ? `use '${near}'` : "remove 'thresholdValues'",
        });
      }
      next.thresholds[name] = this.checkThreshold(alert, def, value);
    }
    next.body = this.buildBody(next);
    this.alertStates.set(alert, next);
  }

  /** Stops rendering an alert (`overrideAlert(alert, { enabled: false })`). */
  public disableAlert(alert: string): void {
    this.overrideAlert(alert, { enabled: false });
  }

  /** Renders an alert again, e.g. a control-plane alert the cluster preset left out. */
  public enableAlert(alert: string): void {
    this.overrideAlert(alert, { enabled: true });
  }

  /** Changes one rule group (its evaluation interval). Fails on an unknown group name. */
  public overrideGroup(group: string, override: RuleGroupOverride): void {
    const g = this.packGroups.get(group);
    if (!g) {
      const near = nearest(group, this.groupNames);
      fail(this, {
        problem: `${this.constructor.name} has no rule group '${group}'`,
        received: show(group),
        expected: `one of ${this.groupNames.join(', ')}`,
        fix: near ? `use '${near}'` : 'use one of the group names above',
      });
    }
    g._overrideInterval(override.interval);
  }

  /** Every alert of the pack as currently tuned (documentation, tests, dashboards). */
  public describeAlerts(): AlertInfo[] {
    return [...this.alertStates.values()].map((s) => ({
      alert: s.def.alert,
      group: s.def.group,
      severity: s.severity,
      pendingPeriod: s.pendingFor ? promDuration(s.pendingFor) : '',
      enabled: s.enabled,
      summary: s.def.summary,
      metrics: [...s.def.metrics],
      thresholds: (s.def.thresholds ?? []).map((t) => ({
        name: t.name,
        value: s.thresholds[t.name],
        defaultValue: t.value,
        unit: t.unit,
        range: thresholdRange(t),
      })),
    }));
  }

  /**
   * Defines one alert of the pack (subclasses only; the group is created on first use).
   * @internal
   */
  public _defineAlert(def: PackAlertDefinition): void {
    if (this.alertStates.has(def.alert)) throw new Error(`pack alert defined twice: ${def.alert}`);
    const g = this._packGroup(def.group, def.groupInterval);
    const thresholds: Record<string, number> = {};
    for (const t of def.thresholds ?? []) thresholds[t.name] = t.value;
    const state: AlertState = {
      def,
      severity: def.severity,
      pendingFor: def.pendingFor,
      thresholds,
      labels: { ...(def.labels ?? {}) },
      annotations: {},
      runbookUrl: def.runbookUrl ?? (this.runbookBase ? `${this.runbookBase}/${def.alert}` : undefined),
      enabled: def.enabled ?? true,
    };
    state.body = this.buildBody(state);
    this.alertStates.set(def.alert, state);
    g._addTunableAlert(def.alert, () => {
      const s = this.alertStates.get(def.alert)!;
      return s.enabled ? s.body : undefined;
    });
  }

  /**
   * The pack's group of this name, created on first use (recording rules go in with `addRecord`).
   * @internal
   */
  public _packGroup(name: string, interval?: Duration): RuleGroup {
    let g = this.packGroups.get(name);
    if (!g) {
      g = this.addGroup({ name, interval });
      this.packGroups.set(name, g);
    }
    return g;
  }

  /**
   * Applies the construction-time overrides (subclasses call it once every alert is defined).
   * @internal
   */
  public _applyOverrides(props: AlertPackOptions): void {
    for (const [alert, o] of Object.entries(props.alertOverrides ?? {})) this.overrideAlert(alert, o);
    for (const [group, o] of Object.entries(props.groupOverrides ?? {})) this.overrideGroup(group, o);
  }

  private stateOf(alert: string): AlertState {
    const state = this.alertStates.get(alert);
    if (!state) {
      const near = nearest(String(alert), this.alertNames);
      fail(this, {
        problem: `${this.constructor.name} has no alert '${alert}'`,
        received: show(alert),
        expected: `one of the pack's alerts: ${this.alertNames.join(', ')}`,
        fix: near ? `did you mean '${near}'? Use overrideAlert('${near}', ...)` : 'use one of the names above (docs/ALERTS.md lists every pack)',
      });
    }
    return state;
  }

  private checkThreshold(alert: string, t: PackThreshold, value: number): number {
    const ok = typeof value === 'number' && Number.isFinite(value)
      && (t.min === undefined || (t.minInclusive ? value >= t.min : value > t.min))
      && (t.max === undefined || (t.maxInclusive ? value <= t.max : value < t.max))
      && (!t.integer || Number.isInteger(value));
    if (!ok) {
      fail(this, {
        problem: `${alert}: threshold '${t.name}' is outside its valid range`,
        received: show(value),
        expected: `${t.unit}, ${thresholdRange(t)}${t.integer ? ', a whole number' : ''} (default ${t.value})`,
        fix: t.max === 1 ? `pass a ratio, not a percentage: ${Decimal.of(t.value).mul(Decimal.parse('100')).toString()} % is ${t.value}` : `pass a value in ${thresholdRange(t)}`,
      });
    }
    return value;
  }

  private buildBody(s: AlertState): RuleFileAlert {
    const t: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.thresholds)) t[k] = Decimal.of(v).toString();
    const annotations = { ...s.annotations };
    const summary = annotations.summary ?? s.def.summary;
    const description = annotations.description ?? (typeof s.def.details === 'function' ? s.def.details(t, s.pendingFor ? promDuration(s.pendingFor) : '') : s.def.details);
    delete annotations.summary;
    delete annotations.description;
    const g = this.packGroups.get(s.def.group)!;
    return g._checkAlert({
      alert: s.def.alert,
      expr: s.def.query(t),
      pendingFor: s.pendingFor,
      keepFiringFor: s.def.keepFiringFor,
      severity: s.severity,
      labels: Object.keys(s.labels).length > 0 ? s.labels : undefined,
      summary,
      description,
      runbookUrl: s.runbookUrl,
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    });
  }

  /**
   * When an Alertmanager of the app splits alerts by severity (severity routes, none of them continuing
   * to the default receiver), every severity this pack emits must have a route: otherwise its alerts
   * only reach the catch-all by accident.
   */
  private severityRoutingErrors(): LgtmErrorDetails[] {
    const out: LgtmErrorDetails[] = [];
    for (const am of alertmanagersOf(this)) {
      const routes = appIndex(this).memo(am, 'severityRoutes', () => severityRoutes(am)); // once per pass, not per pack
      if (routes === undefined || routes.length === 0 || routes.some((r) => r.continues)) continue;
      const severities = new Map<string, string[]>();
      for (const s of this.alertStates.values()) {
        if (!s.enabled) continue;
        severities.set(s.severity, [...(severities.get(s.severity) ?? []), s.def.alert]);
      }
      for (const [severity, alerts] of severities) {
        if (routes.some((r) => r.matches(severity))) continue;
        out.push({
          problem: `severity '${severity}' of ${alerts.length} alert(s) of this pack (${alerts.slice(0, 3).join(', ')}${alerts.length > 3 ? ', ...' : ''}) has no route in Alertmanager ${am.node.path}, which routes by severity`,
          received: `routes matching ${routes.map((r) => r.text).join(', ')}`,
          expected: `a route whose severity matcher matches '${severity}' (or a severity route with continueMatching: true, when the default receiver takes every alert)`,
          fix: `add a route, e.g. { receiver, matchers: [AlertMatcher.eq('severity', '${severity}')] }, or give the alerts a routed severity with overrideAlert('${alerts[0]}', { severity })`,
        });
      }
    }
    return out;
  }
}

function thresholdRange(t: PackThreshold): string {
  const lo = t.min === undefined ? '' : `${t.min} ${t.minInclusive ? '<=' : '<'} `;
  const hi = t.max === undefined ? '' : ` ${t.maxInclusive ? '<=' : '<'} ${t.max}`;
  return `${lo}x${hi}`;
}

interface AlertmanagerLike extends IConstruct {
  readonly alertmanagerUrl: string;
  renderConfigYaml(): string;
}

function alertmanagersOf(scope: IConstruct): AlertmanagerLike[] {
  return scope.node.root.node.findAll().filter((c): c is AlertmanagerLike =>
    typeof (c as any).renderConfigYaml === 'function' && typeof (c as any).alertmanagerUrl === 'string');
}

interface SeverityRoute {
  readonly text: string;
  readonly continues: boolean;
  matches(severity: string): boolean;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(".*")\s*$/;

/** Routes (at any depth) with a `severity` matcher, from the rendered alertmanager.yaml. */
function severityRoutes(am: AlertmanagerLike): SeverityRoute[] | undefined {
  let cfg: any;
  try {
    cfg = parseYamlText(am.renderConfigYaml()); // shared with the Alertmanager file check: read only
  } catch {
    return undefined; // the Alertmanager reports its own configuration errors
  }
  const out: SeverityRoute[] = [];
  const walk = (routes: any[] | undefined) => {
    for (const r of routes ?? []) {
      for (const m of (r.matchers ?? []) as string[]) {
        const x = MATCHER.exec(m);
        if (!x || x[1] !== 'severity') continue;
        const value = JSON.parse(x[3]) as string;
        const op = x[2];
        out.push({
          text: m,
          continues: r.continue === true,
          matches: (s: string) => {
            const re = new RegExp(`^(?:${value})$`);
            return op === '=' ? s === value : op === '!=' ? s !== value : op === '=~' ? re.test(s) : !re.test(s);
          },
        });
      }
      walk(r.routes);
    }
  };
  walk(cfg?.route?.routes);
  return out;
}
