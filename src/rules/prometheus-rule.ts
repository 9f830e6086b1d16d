import { Chart, Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { registerLgtmAppChecks } from '../core/app-checks';
import { prune, renderYaml } from '../core/config';
import { promDuration, requirePositive } from '../core/duration';
import { addLgtmValidation, fail, show } from '../core/errors';
import { requireGoTemplate } from '../core/gotemplate';
import { kubeObject } from '../core/kube';
import { standardLabels } from '../core/labels';
import { validateName, validateNamespace } from '../core/names';
import { requireValidPromQL } from '../core/query';
import { validateSharedProps } from '../core/validation';
import { CR_ANNOTATIONS } from '../prometheus/common';

/** Severity of an alert, rendered as the `severity` label that Alertmanager routes on. */
export enum AlertSeverity {
  /** Wakes someone up (page). */
  CRITICAL = 'critical',
  /** Needs attention during working hours (ticket). */
  WARNING = 'warning',
  /** Informational; usually routed to a low-noise channel or inhibited. */
  INFO = 'info',
}

/** An alerting rule. */
export interface AlertingRuleProps {
  /** Alert name, e.g. `HighErrorRate`. */
  readonly alert: string;
  /** PromQL expression; every series it returns is an alert. Parsed at synth. */
  readonly expr: string;
  /**
   * How long the expression must keep returning a series before the alert fires (Prometheus `for`;
   * named `pendingFor` because `for` is a reserved word in several jsii target languages).
   * @default - no pending period: the alert fires at the first evaluation that returns it
   */
  readonly pendingFor?: Duration;
  /**
   * How long the alert keeps firing after the expression stopped returning it (`keep_firing_for`,
   * Prometheus >= 2.42).
   * @default - stops firing as soon as the condition clears
   */
  readonly keepFiringFor?: Duration;
  /**
   * Severity (the `severity` label).
   * @default AlertSeverity.WARNING
   */
  readonly severity?: AlertSeverity;
  /**
   * Extra labels. Names must match `[a-zA-Z_][a-zA-Z0-9_]*` and must not start with `__`; `severity` is
   * set through the `severity` prop.
   * @default - only `severity`
   */
  readonly labels?: { [key: string]: string };
  /**
   * One-line summary (annotation `summary`; may use `{{ $labels.x }}` templates).
   * @default - none
   */
  readonly summary?: string;
  /**
   * Longer description (annotation `description`).
   * @default - none
   */
  readonly description?: string;
  /**
   * Link to the runbook (annotation `runbook_url`).
   * @default - none
   */
  readonly runbookUrl?: string;
  /**
   * Extra annotations. Names must match `[a-zA-Z_][a-zA-Z0-9_]*`.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

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
   * @default - the construct id (rule packs have their own defaults)
   */
  readonly name?: string;
  /**
   * Namespace of the PrometheusRule object. It must be a namespace that a Prometheus watches.
   * @default - the namespace of the enclosing Chart; fails when neither is set
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

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

interface RenderedRule {
  readonly kind: 'alert' | 'record';
  readonly name: string;
  readonly body: Record<string, any>;
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
  private readonly interval?: Duration;
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
    if (!rule.alert || rule.alert.trim() !== rule.alert || /\s/.test(rule.alert)) {
      fail(this.scope, {
        problem: `${this.name}: 'alert' must be a non-empty name without whitespace`,
        received: show(rule.alert),
        expected: 'an alert name such as "HighErrorRate"',
        fix: 'pass a CamelCase alert name',
      });
    }
    requireValidPromQL(this.scope, where, rule.expr);
    requirePositive(this.scope, `${where}: pendingFor`, rule.pendingFor);
    requirePositive(this.scope, `${where}: keepFiringFor`, rule.keepFiringFor);
    if (rule.labels && 'severity' in rule.labels) {
      fail(this.scope, {
        problem: `${where}: label 'severity' is set through the 'severity' prop`,
        received: show(rule.labels),
        expected: 'labels without "severity"',
        fix: 'use `severity: AlertSeverity.CRITICAL` (or WARNING/INFO) instead of labels.severity',
      });
    }
    const labels = { severity: rule.severity ?? AlertSeverity.WARNING, ...this.checkLabels(where, rule.labels) };
    const annotations: Record<string, string> = {};
    if (rule.summary !== undefined) annotations.summary = rule.summary;
    if (rule.description !== undefined) annotations.description = rule.description;
    if (rule.runbookUrl !== undefined) {
      if (!/^https?:\/\/\S+$/.test(rule.runbookUrl)) {
        fail(this.scope, {
          problem: `${where}: 'runbookUrl' is not an http(s) URL`,
          received: show(rule.runbookUrl),
          expected: 'a URL such as "https://runbooks.example.com/HighErrorRate"',
          fix: 'pass the full URL of the runbook page',
        });
      }
      annotations.runbook_url = rule.runbookUrl;
    }
    for (const [k, v] of Object.entries(rule.annotations ?? {})) {
      this.checkName(where, 'annotation', k, false);
      if (k in annotations) {
        fail(this.scope, {
          problem: `${where}: annotation '${k}' is set twice`,
          received: show(rule.annotations),
          expected: `'${k}' set either through its prop (summary/description/runbookUrl) or in 'annotations', not both`,
          fix: `remove '${k}' from 'annotations'`,
        });
      }
      annotations[k] = v;
    }
    for (const [k, v] of Object.entries(labels)) requireGoTemplate(this.scope, `${where}: label '${k}'`, v);
    for (const [k, v] of Object.entries(annotations)) requireGoTemplate(this.scope, `${where}: annotation '${k}'`, v);
    const alertKey = JSON.stringify(['alert', rule.alert, labels.severity]);
    if (this.ruleKeys.has(alertKey)) {
      fail(this.scope, {
        problem: `${where}: duplicate alert name in group '${this.name}'`,
        received: `a second alert '${rule.alert}' with severity '${labels.severity}'`,
        expected: 'alert names unique within a group (the same name is allowed only with a different severity, e.g. a warning and a critical tier)',
        fix: 'rename one alert, give it another severity, or move it to another group',
      });
    }
    this.ruleKeys.add(alertKey);
    this.rules.push({
      kind: 'alert',
      name: rule.alert,
      body: {
        alert: rule.alert,
        expr: rule.expr,
        for: rule.pendingFor ? promDuration(rule.pendingFor) : undefined,
        keep_firing_for: rule.keepFiringFor ? promDuration(rule.keepFiringFor) : undefined,
        labels,
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
    });
    return this;
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
    const labels = this.checkLabels(where, rule.labels);
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
  public _render(): Record<string, any> {
    return {
      name: this.name,
      interval: this.interval ? promDuration(this.interval) : undefined,
      limit: this.limit ? this.limit : undefined,
      rules: this.rules.map((r) => r.body),
    };
  }

  private checkLabels(where: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
    if (labels === undefined) return undefined;
    for (const [k, v] of Object.entries(labels)) {
      this.checkName(where, 'label', k, true);
      if (typeof v !== 'string') {
        fail(this.scope, {
          problem: `${where}: label '${k}' has a non-string value`,
          received: show(v),
          expected: 'a string label value',
          fix: `quote the value of '${k}'`,
        });
      }
    }
    return Object.keys(labels).length > 0 ? { ...labels } : undefined;
  }

  private checkName(where: string, what: 'label' | 'annotation', name: string, noReserved: boolean): void {
    if (!LABEL_NAME.test(name) || (noReserved && name.startsWith('__'))) {
      fail(this.scope, {
        problem: `${where}: invalid ${what} name '${name}'`,
        received: show(name),
        expected: `a ${what} name matching [a-zA-Z_][a-zA-Z0-9_]*${noReserved ? ' that does not start with "__" (reserved for internal labels)' : ''}`,
        fix: `rename it, e.g. ${show(name.replace(/^__+/, '').replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1') || 'my_' + what)}`,
      });
    }
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
    this.name = validateName(this, 'name', props.name ?? id, 63);
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (!ns) {
      fail(this, {
        problem: "'namespace' is not set and the enclosing Chart has no namespace",
        received: 'undefined',
        expected: 'the namespace the rules belong in (one that a Prometheus watches)',
        fix: "pass 'namespace' (e.g. 'monitoring') or create the Chart with { namespace }",
      });
    }
    this.namespace = validateNamespace(this, 'namespace', ns);
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
    kubeObject(
      this,
      'Resource',
      'monitoring.coreos.com/v1',
      'PrometheusRule',
      {
        name: this.name,
        namespace: this.namespace,
        labels: {
          ...standardLabels({ name: 'prometheus-rules', instance: this.name, component: 'rules' }),
          ...(props.metadataLabels ?? {}),
        },
        // like every other monitoring.coreos.com object: Argo CD skips the dry run while the CRD is unknown
        annotations: CR_ANNOTATIONS,
      },
      { spec: { groups: Lazy.any({ produce: () => this.renderGroups() }) } },
    );
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

  private renderGroups(): any[] {
    return this.groups.map((g) => prune(g._render()));
  }
}
