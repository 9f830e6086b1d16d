import { Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkLabels, checkRuleFileAlertName, RuleFileAlert, ruleFileAlert } from './alert-fields';
import { AlertingRuleProps } from './alert-rule';
import { registerLgtmAppChecks } from '../core/app-checks';
import { prune, renderYaml } from '../core/config';
import { promDuration, requirePositive } from '../core/duration';
import { addLgtmValidation, fail, show } from '../core/errors';
import { requireGoTemplate } from '../core/gotemplate';
import { standardLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { requireValidPromQL } from '../core/query';
import { validateSharedProps } from '../core/validation';
import * as crd from '../imports/monitoring-prometheusrules-monitoring.coreos.com';
import { CR_ANNOTATIONS } from '../prometheus/common';

/** A recording rule. */
export interface RecordingRuleProps {
  /** Name of the recorded series; metric-name syntax `[a-zA-Z_:][a-zA-Z0-9_:]*`, e.g. `job:http_requests:rate5m`. */
  readonly record: string;
  /** PromQL expression. Parsed at synth. */
  readonly expr: string;
  /**
   * Labels added to (or overwriting those of) the recorded series.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Options of a rule group. */
export interface RuleGroupOptions {
  /** Group name, unique within its PrometheusRule. */
  readonly name: string;
  /**
   * How often the group is evaluated.
   * @default - the Prometheus `evaluationInterval`
   */
  readonly interval?: Duration;
  /**
   * Maximum number of alerts (alerting rules) or series (recording rules) one rule of this group may
   * produce; above it the rule fails. 0 means no limit.
   * @default 0
   */
  readonly limit?: number;
}

/** A rule group given as props: recording rules are rendered before alerting rules. */
export interface RuleGroupProps extends RuleGroupOptions {
  /**
   * Recording rules, in evaluation order.
   * @default - none
   */
  readonly recordingRules?: RecordingRuleProps[];
  /**
   * Alerting rules.
   * @default - none
   */
  readonly alerts?: AlertingRuleProps[];
}

/** Options shared by `PrometheusRule` and every rule pack. */
export interface PrometheusRuleOptions {
  /**
   * Name of the PrometheusRule object (stable; never derived from the construct path).
   * @default - the construct id, kebab-cased (`PlatformAlerts` → `platform-alerts`; rule packs have their own defaults)
   */
  readonly name?: string;
  /**
   * Namespace of the PrometheusRule object. It must be a namespace that a Prometheus watches.
   * @default - the namespace of the enclosing Chart, else 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Extra labels on the PrometheusRule object (the library's Prometheus selects every rule in the
   * namespaces it watches, so none are needed).
   * @default - standard labels only
   */
  readonly metadataLabels?: { [key: string]: string };
}

/** Properties for `PrometheusRule`. */
export interface PrometheusRuleProps extends PrometheusRuleOptions {
  /**
   * Rule groups. More can be added with `addGroup`.
   * @default - none
   */
  readonly groups?: RuleGroupProps[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

interface RecordBody {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

interface RenderedRule {
  readonly kind: 'alert' | 'record';
  readonly name: string;
  /** The rendered rule; a rule pack's alert is produced at render time (undefined: disabled). */
  readonly body: RuleFileAlert | RecordBody | (() => RuleFileAlert | undefined);
}

/**
 * A group of rules evaluated sequentially at one interval. Create it with `PrometheusRule.addGroup`.
 * Every rule is validated when it is added (PromQL, names, durations, duplicates); the group is rendered
 * lazily, so rules added after construction reach the output.
 */
export class RuleGroup {
  /** Group name. */
  public readonly name: string;
  private readonly rules: RenderedRule[] = [];
  /** Identities of the rules added (duplicate checks stay linear in the group size). */
  private readonly ruleKeys = new Set<string>();
  private interval?: Duration;
  private readonly limit?: number;

  /** Use `PrometheusRule.addGroup` to create groups. */
  constructor(private readonly scope: IConstruct, options: RuleGroupOptions) {
    if (!options.name || options.name.trim() !== options.name) {
      fail(scope, {
        problem: "rule group 'name' must be a non-empty string without surrounding whitespace",
        received: show(options.name),
        expected: 'a group name such as "frontend.rules"',
        fix: 'pass a non-empty group name',
      });
    }
    this.name = options.name;
    requirePositive(scope, `${options.name}: interval`, options.interval);
    if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
      fail(scope, {
        problem: `${options.name}: 'limit' must be a non-negative integer`,
        received: show(options.limit),
        expected: '0 (no limit) or a positive integer',
        fix: "set 'limit' to a whole number, or leave it unset",
      });
    }
    this.interval = options.interval;
    this.limit = options.limit;
  }

  /** Adds an alerting rule; returns this group for chaining. */
  public addAlert(rule: AlertingRuleProps): RuleGroup {
    const where = `${this.name}/${rule.alert}`;
    const body = this._checkAlert(rule);
    const alertKey = JSON.stringify(['alert', rule.alert, body.labels.severity]);
    if (this.ruleKeys.has(alertKey)) {
      fail(this.scope, {
        problem: `${where}: duplicate alert name in group '${this.name}'`,
        received: `a second alert '${rule.alert}' with severity '${body.labels.severity}'`,
        expected: 'alert names unique within a group (the same name is allowed only with a different severity, e.g. a warning and a critical tier)',
        fix: 'rename one alert, give it another severity, or move it to another group',
      });
    }
    this.ruleKeys.add(alertKey);
    this.rules.push({ kind: 'alert', name: rule.alert, body });
    return this;
  }

  /**
   * Validates an alerting rule (name, PromQL, durations, labels, templates) and returns its rendered body.
   * @internal
   */
  public _checkAlert(rule: AlertingRuleProps): RuleFileAlert {
    const where = `${this.name}/${rule.alert}`;
    checkRuleFileAlertName(this.scope, this.name, rule.alert);
    requireValidPromQL(this.scope, where, rule.expr);
    const body = ruleFileAlert(this.scope, where, rule);
    for (const [k, v] of Object.entries(body.labels ?? {})) requireGoTemplate(this.scope, `${where}: label '${k}'`, String(v));
    for (const [k, v] of Object.entries(body.annotations ?? {})) requireGoTemplate(this.scope, `${where}: annotation '${k}'`, String(v));
    return body;
  }

  /**
   * Adds an alert whose body is produced at render time (a rule pack's tunable alert; undefined when
   * disabled). The pack validates every change with `_checkAlert` and keeps names unique.
   * @internal
   */
  public _addTunableAlert(name: string, produce: () => RuleFileAlert | undefined): void {
    this.rules.push({ kind: 'alert', name, body: produce });
  }

  /**
   * Changes the evaluation interval (rule packs' `overrideGroup`).
   * @internal
   */
  public _overrideInterval(interval: Duration | undefined): void {
    requirePositive(this.scope, `${this.name}: interval`, interval);
    this.interval = interval;
  }

  /** Adds a recording rule; returns this group for chaining. */
  public addRecord(rule: RecordingRuleProps): RuleGroup {
    const where = `${this.name}/${rule.record}`;
    if (!METRIC_NAME.test(rule.record ?? '')) {
      fail(this.scope, {
        problem: `${this.name}: recording rule name is not a valid metric name`,
        received: show(rule.record),
        expected: 'a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*, by convention level:metric:operations (e.g. "job:http_requests:rate5m")',
        fix: 'replace the invalid characters (for example "-" or ".") with "_"',
      });
    }
    requireValidPromQL(this.scope, where, rule.expr);
    const labels = checkLabels(this.scope, where, rule.labels);
    const recordKey = JSON.stringify(['record', rule.record, Object.entries(labels ?? {}).sort()]);
    if (this.ruleKeys.has(recordKey)) {
      fail(this.scope, {
        problem: `${where}: duplicate recording rule in group '${this.name}'`,
        received: `a second rule recording '${rule.record}' with labels ${show(labels ?? {})}`,
        expected: 'each (record, labels) pair once per group; two rules writing the same series collide at evaluation',
        fix: 'remove the duplicate, or distinguish the rules with a label',
      });
    }
    this.ruleKeys.add(recordKey);
    this.rules.push({ kind: 'record', name: rule.record, body: { record: rule.record, expr: rule.expr, labels } });
    return this;
  }

  /** Names of the rules in this group, in order (alerts and records). */
  public get ruleNames(): string[] {
    return this.rules.map((r) => r.name);
  }

  /** @internal */
  public _render(): { name: string; interval?: string; limit?: number; rules: Array<RuleFileAlert | RecordBody> } {
    return {
      name: this.name,
      interval: this.interval ? promDuration(this.interval) : undefined,
      limit: this.limit ? this.limit : undefined,
      rules: this.rules
        .map((r) => (typeof r.body === 'function' ? r.body() : r.body))
        .filter((b): b is RuleFileAlert | RecordBody => b !== undefined),
    };
  }
}

/**
 * A `monitoring.coreos.com/v1` PrometheusRule: typed groups of alerting and recording rules.
 *
 * Every expression is parsed with Prometheus' own grammar when the rule is added (the error names
 * `group/rule` and the position); names, durations and duplicates are checked too. The object has a
 * stable name and an explicit namespace, and carries only the standard labels: the library's Prometheus
 * selects every PrometheusRule in the namespaces it watches.
 */
export class PrometheusRule extends Construct {
  /** Name of the PrometheusRule object. */
  public readonly name: string;
  /** Namespace of the PrometheusRule object. */
  public readonly namespace: string;
  private readonly groups: RuleGroup[] = [];

  constructor(scope: Construct, id: string, props: PrometheusRuleProps = {}) {
    super(scope, id);
    validateSharedProps(this, props);
    registerLgtmAppChecks(this);
    // derived from the id when not given, kebab-cased: `PlatformAlerts` → `platform-alerts`
    this.name = nameFromId(this, 'name', props.name, 63);
    this.namespace = resolveNamespace(this, props.namespace);
    for (const [k] of Object.entries(props.metadataLabels ?? {})) {
      if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) {
        fail(this, {
          problem: `'metadataLabels' has an invalid Kubernetes label key '${k}'`,
          received: show(k),
          expected: 'a Kubernetes label key such as "team" or "example.com/team"',
          fix: 'rename the label key',
        });
      }
    }
    new crd.PrometheusRule(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: {
          ...standardLabels({ name: 'prometheus-rules', instance: this.name, component: 'rules' }),
          ...(props.metadataLabels ?? {}),
        },
        // like every other monitoring.coreos.com object: Argo CD skips the dry run while the CRD is unknown
        annotations: CR_ANNOTATIONS,
      },
      spec: { groups: Lazy.any({ produce: () => this.renderCrdGroups() }) as unknown as crd.PrometheusRuleSpecGroups[] },
    });
    addLgtmValidation(this, () => {
      const empty = this.groups.filter((g) => g.ruleNames.length === 0).map((g) => g.name);
      return empty.length === 0 ? [] : [{
        problem: 'rule groups without rules',
        received: show(empty),
        expected: 'every group to hold at least one alerting or recording rule',
        fix: 'add rules to the groups with addAlert/addRecord, or do not create them',
      }];
    });
    for (const g of props.groups ?? []) {
      const group = this.addGroup(g);
      for (const r of g.recordingRules ?? []) group.addRecord(r);
      for (const a of g.alerts ?? []) group.addAlert(a);
    }
  }

  /** Adds a rule group (names must be unique within this PrometheusRule). */
  public addGroup(options: RuleGroupOptions): RuleGroup {
    if (this.groups.some((g) => g.name === options.name)) {
      fail(this, {
        problem: `duplicate rule group name '${options.name}'`,
        received: show(options.name),
        expected: `group names unique within PrometheusRule ${this.namespace}/${this.name} (Prometheus rejects a rule file with repeated group names)`,
        fix: 'choose another group name, or add the rules to the existing group',
      });
    }
    const g = new RuleGroup(this, options);
    this.groups.push(g);
    return g;
  }

  /** The group with this name, if any. */
  public findGroup(name: string): RuleGroup | undefined {
    return this.groups.find((g) => g.name === name);
  }

  /**
   * The rules as a plain Prometheus rule file (`{ groups: [...] }`), as `promtool check rules` and
   * Prometheus' `rule_files` read it.
   */
  public toRuleFile(): any {
    return { groups: this.renderGroups() };
  }

  /** The rule file as YAML text. */
  public renderRuleFile(): string {
    return renderYaml(this.toRuleFile());
  }

  private renderGroups(): unknown[] {
    return this.renderedGroups().map((g) => prune(g));
  }

  /** Rendered groups; a group left without rules (every alert of a pack's group disabled) is not emitted. */
  private renderedGroups(): Array<ReturnType<RuleGroup['_render']>> {
    return this.groups.map((g) => g._render()).filter((g, i) => g.rules.length > 0 || this.groups[i].ruleNames.length === 0);
  }

  /** The groups as the typed custom resource takes them (camelCase fields, typed expressions). */
  private renderCrdGroups(): crd.PrometheusRuleSpecGroups[] {
    return this.renderedGroups().map((g) => ({
      name: g.name,
      interval: g.interval,
      limit: g.limit,
      rules: g.rules.map((r) => ('record' in r
        ? { record: r.record, expr: crd.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr), labels: r.labels }
        : {
          alert: r.alert,
          expr: crd.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
          for: r.for,
          keepFiringFor: r.keep_firing_for,
          labels: r.labels,
          annotations: r.annotations,
        })),
    }));
  }
}
