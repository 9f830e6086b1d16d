import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ServiceRef } from '../core/kube';

// The one alert-routing vocabulary of the library: matchers, the route tree and receivers as objects.
// Alertmanager (`Alertmanager`) and Grafana alerting (`grafana.alerting`) both take it; each renders
// it in its own file format (routing-render.ts).

/** Label matcher operators. */
export enum MatchOperator {
  /** `=` */
  EQUAL = '=',
  /** `!=` */
  NOT_EQUAL = '!=',
  /** `=~` (regular expression, anchored) */
  REGEX = '=~',
  /** `!~` (regular expression, anchored) */
  NOT_REGEX = '!~',
}

/** A label matcher of a route or inhibit rule (`severity="critical"`). */
export class AlertMatcher {
  /** `label="value"`. */
  public static eq(label: string, value: string): AlertMatcher {
    return new AlertMatcher(label, MatchOperator.EQUAL, value);
  }
  /** `label!="value"`. */
  public static notEq(label: string, value: string): AlertMatcher {
    return new AlertMatcher(label, MatchOperator.NOT_EQUAL, value);
  }
  /** `label=~"regex"` (anchored). */
  public static regex(label: string, regex: string): AlertMatcher {
    return new AlertMatcher(label, MatchOperator.REGEX, regex);
  }
  /** `label!~"regex"` (anchored). */
  public static notRegex(label: string, regex: string): AlertMatcher {
    return new AlertMatcher(label, MatchOperator.NOT_REGEX, regex);
  }

  private constructor(
    /** Label name. */
    public readonly label: string,
    /** Operator. */
    public readonly operator: MatchOperator,
    /** Value or regular expression. */
    public readonly value: string,
  ) {}

  /** The matcher in Alertmanager syntax, value double-quoted and escaped: `severity="critical"`. */
  public render(): string {
    return `${this.label}${this.operator}${JSON.stringify(this.value)}`;
  }
}

/** Which notification system a receiver belongs to. */
export enum AlertReceiverKind {
  /** A receiver of an `Alertmanager` (`AlertReceiver`). */
  ALERTMANAGER = 'alertmanager',
  /** A contact point of Grafana alerting (`GrafanaContactPoint`). */
  GRAFANA = 'grafana',
}

/**
 * Where a route sends its alerts: an `AlertReceiver` (Alertmanager) or a `GrafanaContactPoint`
 * (Grafana alerting). A route tree only takes receivers of the system it is given to, and only
 * receivers registered there (checked at synth).
 */
export interface IAlertReceiver {
  /** Receiver name, unique within its Alertmanager or Grafana. */
  readonly name: string;
  /** The notification system that renders this receiver. */
  readonly receiverKind: AlertReceiverKind;
}

/** Grouping and timing of a route; a child route inherits every field it leaves unset. */
export interface RouteTiming {
  /**
   * Labels that group alerts into one notification.
   * @default - inherited from the parent route (the root has its own default)
   */
  readonly groupBy?: string[];
  /**
   * Wait before the first notification of a group.
   * @default - inherited from the parent route
   */
  readonly groupWait?: Duration;
  /**
   * Wait before notifying about new alerts of a group.
   * @default - inherited from the parent route
   */
  readonly groupInterval?: Duration;
  /**
   * Wait before re-sending a notification.
   * @default - inherited from the parent route
   */
  readonly repeatInterval?: Duration;
}

/** A route of the routing tree (below the root), shared by Alertmanager and Grafana alerting. */
export interface NotificationRoute extends RouteTiming {
  /** Where matching alerts go; it must be registered on the Alertmanager or Grafana the tree belongs to. */
  readonly receiver: IAlertReceiver;
  /**
   * All must match.
   * @default - every alert reaching this level (then set `continueMatching`, or later siblings are unreachable)
   */
  readonly matchers?: AlertMatcher[];
  /**
   * Keep matching sibling routes after this one matched (`continue`).
   * @default false
   */
  readonly continueMatching?: boolean;
  /**
   * Child routes.
   * @default - none
   */
  readonly routes?: NotificationRoute[];
}

/** The Alertmanager API, computed from the Alertmanager's Service. */
export interface IAlertmanager extends IConstruct {
  /** Namespace of the Alertmanager's Service. */
  readonly namespace: string;
  /** The Alertmanager's Service (Prometheus sends alerts to its `http-web` port). */
  readonly service: ServiceRef;
  /** Base URL of the Alertmanager API, e.g. `http://alertmanager.monitoring.svc:9093` (Loki's ruler). */
  readonly alertmanagerUrl: string;
}
