import { Duration } from 'cdk8s';

/** Severity of an alert, rendered as the `severity` label that Alertmanager and Grafana route on. */
export enum AlertSeverity {
  /** Wakes someone up (page). */
  CRITICAL = 'critical',
  /** Needs attention during working hours (ticket). */
  WARNING = 'warning',
  /** Informational; usually routed to a low-noise channel or inhibited. */
  INFO = 'info',
}

/**
 * What every alerting rule of the library carries, wherever it is evaluated (Prometheus, Loki's ruler,
 * Grafana alerting): name, pending period, severity, labels and annotations.
 */
export interface AlertRuleBaseProps {
  /** Alert name, e.g. `HighErrorRate` (Grafana shows it as the rule title). */
  readonly alert: string;
  /**
   * How long the condition must keep holding before the alert fires (`for` in the rule file; named
   * `pendingFor` because `for` is a reserved word in several jsii target languages).
   * @default - no pending period: the alert fires at the first evaluation that returns it
   */
  readonly pendingFor?: Duration;
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

/**
 * An alerting rule in the Prometheus rule-file format, evaluated by Prometheus (`PrometheusRule`) or by
 * Loki's ruler (`loki.addAlertingRule`): every series `expr` returns is an alert.
 */
export interface AlertingRuleProps extends AlertRuleBaseProps {
  /** The condition: PromQL for Prometheus, a LogQL metric query for Loki. Parsed at synth. */
  readonly expr: string;
  /**
   * How long the alert keeps firing after the expression stopped returning it (`keep_firing_for`,
   * Prometheus >= 2.42).
   * @default - stops firing as soon as the condition clears
   */
  readonly keepFiringFor?: Duration;
}
