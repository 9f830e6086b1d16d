/**
 * Checks and rendering shared by every alerting rule (Prometheus rules, Loki ruler rules, Grafana
 * rules). Internal: not part of the jsii API.
 */
import { IConstruct } from 'constructs';
import { AlertingRuleProps, AlertRuleBaseProps, AlertSeverity } from './alert-rule';
import { promDuration, requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Labels and annotations of an alert, validated. */
export interface AlertFields {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** One alert of a Prometheus/Loki rule file. */
export interface RuleFileAlert {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Fails unless `name` is an alert name of the rule-file engines (non-empty, no whitespace). */
export function checkRuleFileAlertName(scope: IConstruct, group: string, name: string): void {
  if (!name || typeof name !== 'string' || name.trim() !== name || /\s/.test(name)) {
    fail(scope, {
      problem: `${group}: 'alert' must be a non-empty name without whitespace`,
      received: show(name),
      expected: 'an alert name such as "HighErrorRate"',
      fix: 'pass a CamelCase alert name',
    });
  }
}

/** Validates and renders the fields every alerting rule shares (severity, labels, annotations). */
export function alertFields(scope: IConstruct, where: string, rule: AlertRuleBaseProps): AlertFields {
  requirePositive(scope, `${where}: pendingFor`, rule.pendingFor);
  if (rule.severity !== undefined && !Object.values(AlertSeverity).includes(rule.severity)) {
    fail(scope, {
      problem: `${where}: 'severity' is not an AlertSeverity`,
      received: show(rule.severity),
      expected: 'AlertSeverity.CRITICAL, WARNING or INFO',
      fix: "use the AlertSeverity enum; routing matches on the 'severity' label",
    });
  }
  if (rule.labels && 'severity' in rule.labels) {
    fail(scope, {
      problem: `${where}: label 'severity' is set through the 'severity' prop`,
      received: show(rule.labels),
      expected: 'labels without "severity"',
      fix: 'use `severity: AlertSeverity.CRITICAL` (or WARNING/INFO) instead of labels.severity',
    });
  }
  const labels = { severity: rule.severity ?? AlertSeverity.WARNING, ...(checkLabels(scope, where, rule.labels) ?? {}) };
  const annotations: Record<string, string> = {};
  if (rule.summary !== undefined) annotations.summary = rule.summary;
  if (rule.description !== undefined) annotations.description = rule.description;
  if (rule.runbookUrl !== undefined) {
    if (!/^https?:\/\/\S+$/.test(rule.runbookUrl)) {
      fail(scope, {
        problem: `${where}: 'runbookUrl' is not an http(s) URL`,
        received: show(rule.runbookUrl),
        expected: 'a URL such as "https://runbooks.example.com/HighErrorRate"',
        fix: 'pass the full URL of the runbook page',
      });
    }
    annotations.runbook_url = rule.runbookUrl;
  }
  for (const [k, v] of Object.entries(rule.annotations ?? {})) {
    checkName(scope, where, 'annotation', k, false);
    if (k in annotations) {
      fail(scope, {
        problem: `${where}: annotation '${k}' is set twice`,
        received: show(rule.annotations),
        expected: `'${k}' set either through its prop (summary/description/runbookUrl) or in 'annotations', not both`,
        fix: `remove '${k}' from 'annotations'`,
      });
    }
    annotations[k] = v;
  }
  return { labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined };
}

/** Validates and renders an alert of a Prometheus/Loki rule file (the query is checked by the caller). */
export function ruleFileAlert(scope: IConstruct, where: string, rule: AlertingRuleProps): RuleFileAlert {
  requirePositive(scope, `${where}: keepFiringFor`, rule.keepFiringFor);
  const { labels, annotations } = alertFields(scope, where, rule);
  return {
    alert: rule.alert,
    expr: rule.expr,
    for: rule.pendingFor ? promDuration(rule.pendingFor) : undefined,
    keep_firing_for: rule.keepFiringFor ? promDuration(rule.keepFiringFor) : undefined,
    labels,
    annotations,
  };
}

/** Validates a label map (names and string values); returns a copy, or undefined when empty. */
export function checkLabels(scope: IConstruct, where: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  for (const [k, v] of Object.entries(labels)) {
    checkName(scope, where, 'label', k, true);
    if (typeof v !== 'string') {
      fail(scope, {
        problem: `${where}: label '${k}' has a non-string value`,
        received: show(v),
        expected: 'a string label value',
        fix: `quote the value of '${k}'`,
      });
    }
  }
  return Object.keys(labels).length > 0 ? { ...labels } : undefined;
}

function checkName(scope: IConstruct, where: string, what: 'label' | 'annotation', name: string, noReserved: boolean): void {
  if (!LABEL_NAME.test(name) || (noReserved && name.startsWith('__'))) {
    fail(scope, {
      problem: `${where}: invalid ${what} name '${name}'`,
      received: show(name),
      expected: `a ${what} name matching [a-zA-Z_][a-zA-Z0-9_]*${noReserved ? ' that does not start with "__" (reserved for internal labels)' : ''}`,
      fix: `rename it, e.g. ${show(name.replace(/^__+/, '').replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1') || 'my_' + what)}`,
    });
  }
}
