import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { requireSecretKey, SecretEnv } from './secrets';
import { fail, show } from '../core/errors';
import { IDatasourceProvider } from '../core/interfaces';
import { SecretKeyReference } from '../prometheus/common';
import { AlertReceiverKind, IAlertReceiver, NotificationRoute, RouteTiming } from '../prometheus/routing';
import { AlertRuleBaseProps } from '../rules/alert-rule';

// Contact point settings follow Grafana's file-provisioning reference for the pinned Grafana 13.1.3
// (docs/sources/alerting/set-up/provision-alerting-resources/file-provisioning): `type` + `settings`.

/** Slack contact point. Give either `webhookUrl` (incoming webhook) or `token` with `recipient`. */
export interface SlackContactPointProps {
  /** Contact point name (unique in the Grafana). */
  readonly name: string;
  /**
   * Secret key holding the Slack incoming-webhook URL (the URL is the credential).
   * @default - use `token`
   */
  readonly webhookUrl?: SecretKeyReference;
  /**
   * Secret key holding a Slack bot token (`xoxb-...`); needs `recipient`.
   * @default - use `webhookUrl`
   */
  readonly token?: SecretKeyReference;
  /**
   * Channel or user, e.g. `#alerts`.
   * @default - the webhook's channel
   */
  readonly recipient?: string;
  /**
   * `here` or `channel` to mention.
   * @default - no mention
   */
  readonly mentionChannel?: string;
  /**
   * Message title template.
   * @default - Grafana's `slack.default.title`
   */
  readonly title?: string;
  /**
   * Message text template.
   * @default - Grafana's `slack.default.text`
   */
  readonly text?: string;
}

/** Generic webhook contact point (also the target for on-call tools that take Alertmanager-style webhooks). */
export interface WebhookContactPointProps {
  /** Contact point name. */
  readonly name: string;
  /**
   * Plain URL (when the URL carries no credential).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding the URL (when it carries a token).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
  /**
   * Secret key holding the `Authorization` credentials.
   * @default - none
   */
  readonly authorizationCredentials?: SecretKeyReference;
  /**
   * Authorization scheme.
   * @default 'Bearer' (when `authorizationCredentials` is set)
   */
  readonly authorizationScheme?: string;
  /**
   * Basic-auth user name (with `basicAuthPassword`).
   * @default - none
   */
  readonly basicAuthUser?: string;
  /**
   * Secret key holding the basic-auth password.
   * @default - none
   */
  readonly basicAuthPassword?: SecretKeyReference;
  /**
   * HTTP method (`POST` or `PUT`).
   * @default 'POST'
   */
  readonly httpMethod?: string;
}

/** E-mail contact point. Needs the Grafana `smtp` prop (the SMTP password is its credential). */
export interface EmailContactPointProps {
  /** Contact point name. */
  readonly name: string;
  /** Recipients. */
  readonly addresses: string[];
  /**
   * Send one e-mail to all recipients.
   * @default false
   */
  readonly singleEmail?: boolean;
  /**
   * Subject template.
   * @default - Grafana's `default.title`
   */
  readonly subject?: string;
}

/** PagerDuty (Events API v2) contact point. */
export interface PagerDutyContactPointProps {
  /** Contact point name. */
  readonly name: string;
  /** Secret key holding the 32-character Events API integration key. */
  readonly integrationKey: SecretKeyReference;
  /**
   * `critical`, `error`, `warning` or `info`.
   * @default 'critical'
   */
  readonly severity?: string;
  /**
   * Component field.
   * @default - none
   */
  readonly component?: string;
  /**
   * Group field.
   * @default - none
   */
  readonly group?: string;
}

/**
 * Grafana OnCall / Grafana IRM contact point (`type: oncall`). The integration URL
 * (`https://.../integrations/v1/grafana_alerting/<token>/`) carries the token, so it comes from a Secret.
 */
export interface OnCallContactPointProps {
  /** Contact point name. */
  readonly name: string;
  /** Secret key holding the OnCall/IRM integration URL. */
  readonly integrationUrl: SecretKeyReference;
  /**
   * Secret key holding `Authorization` credentials, when the integration requires them.
   * @default - none (the URL token authenticates)
   */
  readonly authorizationCredentials?: SecretKeyReference;
}

/** Opsgenie contact point. */
export interface OpsgenieContactPointProps {
  /** Contact point name. */
  readonly name: string;
  /** Secret key holding the Opsgenie API key. */
  readonly apiKey: SecretKeyReference;
  /**
   * Alert API URL (EU accounts: `https://api.eu.opsgenie.com/v2/alerts`).
   * @default 'https://api.opsgenie.com/v2/alerts'
   */
  readonly apiUrl?: string;
  /**
   * Close the Opsgenie alert when the Grafana alert resolves.
   * @default true
   */
  readonly autoClose?: boolean;
}

interface CredentialField {
  readonly setting: string;
  readonly ref: SecretKeyReference;
}

/**
 * A Grafana alerting contact point. Every credential is a reference to an existing Secret key; the
 * contact point is rendered with `${VAR}` references to environment variables fed from those Secrets.
 */
export class GrafanaContactPoint implements IAlertReceiver {
  /** Slack (incoming webhook URL or bot token from a Secret). */
  public static slack(props: SlackContactPointProps): GrafanaContactPoint {
    const creds: CredentialField[] = [];
    if (props.webhookUrl) creds.push({ setting: 'url', ref: props.webhookUrl });
    if (props.token) creds.push({ setting: 'token', ref: props.token });
    return new GrafanaContactPoint(props.name, 'slack', {
      recipient: props.recipient,
      mentionChannel: props.mentionChannel,
      title: props.title,
      text: props.text,
    }, creds, (scope) => {
      if (!props.webhookUrl && !props.token) missingCredential(scope, props.name, 'slack', "'webhookUrl' or 'token'");
      if (props.token && !props.recipient) {
        fail(scope, {
          problem: `Slack contact point '${props.name}' uses a bot token without 'recipient'`,
          received: show({ recipient: props.recipient }),
          expected: "a channel or user, e.g. recipient: '#alerts'",
          fix: "set 'recipient', or use 'webhookUrl' instead of 'token'",
        });
      }
    });
  }

  /** Generic webhook. Needs at least one credential reference (URL, authorization or basic-auth password). */
  public static webhook(props: WebhookContactPointProps): GrafanaContactPoint {
    const creds: CredentialField[] = [];
    if (props.urlSecret) creds.push({ setting: 'url', ref: props.urlSecret });
    if (props.authorizationCredentials) creds.push({ setting: 'authorization_credentials', ref: props.authorizationCredentials });
    if (props.basicAuthPassword) creds.push({ setting: 'password', ref: props.basicAuthPassword });
    return new GrafanaContactPoint(props.name, 'webhook', {
      url: props.url,
      httpMethod: props.httpMethod ?? 'POST',
      authorization_scheme: props.authorizationCredentials ? (props.authorizationScheme ?? 'Bearer') : undefined,
      username: props.basicAuthUser,
    }, creds, (scope) => {
      if (!props.url === !props.urlSecret) {
        fail(scope, {
          problem: `webhook contact point '${props.name}' needs exactly one of 'url' and 'urlSecret'`,
          received: show({ url: props.url, urlSecret: props.urlSecret }),
          expected: "url: 'https://...' (no token in it) or urlSecret: { secretName, key }",
          fix: "set one of 'url' or 'urlSecret'",
        });
      }
      if (creds.length === 0) missingCredential(scope, props.name, 'webhook', "'urlSecret', 'authorizationCredentials' or 'basicAuthPassword'");
      if (props.basicAuthUser && !props.basicAuthPassword) missingCredential(scope, props.name, 'webhook', "'basicAuthPassword' (with 'basicAuthUser')");
    });
  }

  /** E-mail through the Grafana's SMTP server (`smtp` prop). */
  public static email(props: EmailContactPointProps): GrafanaContactPoint {
    return new GrafanaContactPoint(props.name, 'email', {
      addresses: (props.addresses ?? []).join(';'),
      singleEmail: props.singleEmail ?? false,
      subject: props.subject,
    }, [], (scope) => {
      if (!props.addresses || props.addresses.length === 0 || props.addresses.some((a) => !/^[^@\s;]+@[^@\s;]+$/.test(a))) {
        fail(scope, {
          problem: `e-mail contact point '${props.name}' has no valid addresses`,
          received: show(props.addresses),
          expected: "one or more addresses, e.g. ['oncall@example.com']",
          fix: "set 'addresses'",
        });
      }
    }, true);
  }

  /** PagerDuty Events API v2. */
  public static pagerDuty(props: PagerDutyContactPointProps): GrafanaContactPoint {
    const creds: CredentialField[] = props.integrationKey ? [{ setting: 'integrationKey', ref: props.integrationKey }] : [];
    return new GrafanaContactPoint(props.name, 'pagerduty', {
      severity: props.severity ?? 'critical',
      component: props.component,
      group: props.group,
    }, creds, (scope) => {
      if (!props.integrationKey) missingCredential(scope, props.name, 'pagerduty', "'integrationKey'");
    });
  }

  /**
   * Grafana OnCall or Grafana IRM through its Grafana-alerting integration (`type: oncall`). Grafana
   * OnCall OSS was archived in March 2026; the same integration URL shape is used by Grafana IRM.
   */
  public static onCall(props: OnCallContactPointProps): GrafanaContactPoint {
    const creds: CredentialField[] = [];
    if (props.integrationUrl) creds.push({ setting: 'url', ref: props.integrationUrl });
    if (props.authorizationCredentials) creds.push({ setting: 'authorization_credentials', ref: props.authorizationCredentials });
    return new GrafanaContactPoint(props.name, 'oncall', {
      httpMethod: 'POST',
      authorization_scheme: props.authorizationCredentials ? 'Bearer' : undefined,
    }, creds, (scope) => {
      if (!props.integrationUrl) missingCredential(scope, props.name, 'oncall', "'integrationUrl'");
    });
  }

  /** Opsgenie. */
  public static opsgenie(props: OpsgenieContactPointProps): GrafanaContactPoint {
    const creds: CredentialField[] = props.apiKey ? [{ setting: 'apiKey', ref: props.apiKey }] : [];
    return new GrafanaContactPoint(props.name, 'opsgenie', {
      apiUrl: props.apiUrl ?? 'https://api.opsgenie.com/v2/alerts',
      autoClose: props.autoClose ?? true,
    }, creds, (scope) => {
      if (!props.apiKey) missingCredential(scope, props.name, 'opsgenie', "'apiKey'");
    });
  }

  /** Always `AlertReceiverKind.GRAFANA`. */
  public readonly receiverKind: AlertReceiverKind = AlertReceiverKind.GRAFANA;

  private constructor(
    /** Contact point name. */
    public readonly name: string,
    /** Grafana integration type (`slack`, `webhook`, `email`, `pagerduty`, `oncall`, `opsgenie`). */
    public readonly type: string,
    private readonly settings: Record<string, unknown>,
    private readonly credentials: CredentialField[],
    private readonly check: (scope: IConstruct) => void,
    /** @internal */
    public readonly _needsSmtp: boolean = false,
  ) {}

  /** @internal Validates the contact point (credential references present and well-formed). */
  public _validate(scope: IConstruct): void {
    if (!this.name || !/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/.test(this.name)) {
      fail(scope, {
        problem: 'invalid contact point name',
        received: show(this.name),
        expected: 'letters, digits, spaces, "_", "." and "-", at most 100 characters',
        fix: "set 'name', e.g. 'slack-ops'",
      });
    }
    this.check(scope);
    for (const c of this.credentials) requireSecretKey(scope, `contact point '${this.name}' (${this.type} '${c.setting}')`, c.ref);
  }

  /** @internal The `contactPoints[]` entry. */
  public _render(env: SecretEnv): Record<string, unknown> {
    const settings: Record<string, unknown> = { ...this.settings };
    for (const c of this.credentials) settings[c.setting] = env.ref(c.ref);
    return {
      orgId: 1,
      name: this.name,
      receivers: [{ uid: receiverUid(this.name), type: this.type, settings, disableResolveMessage: false }],
    };
  }
}

function receiverUid(name: string): string {
  return `lgtm-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 40);
}

function missingCredential(scope: IConstruct, name: string, type: string, which: string): never {
  return fail(scope, {
    problem: `contact point '${name}' (${type}) has no credential reference`,
    received: 'no Secret reference',
    expected: `${which} as a reference to an existing Secret key: { secretName, key }`,
    fix: 'create the Secret (kubectl create secret generic <name> -n <namespace> --from-literal=<key>=...) and reference it; credentials are never inlined in the YAML',
  });
}

/** The root of Grafana's notification policy tree (the routes below it are the shared `NotificationRoute`). */
export interface GrafanaNotificationPolicyProps extends RouteTiming {
  /** Contact point of every alert no route matches (registered automatically). */
  readonly defaultReceiver: GrafanaContactPoint;
  /**
   * Child routes; each receiver must be a contact point registered with `grafana.alerting.addContactPoint`.
   * @default - none
   */
  readonly routes?: NotificationRoute[];
}

/** Threshold comparison of an alert rule. */
export enum AlertComparison {
  /** value > threshold */
  ABOVE = 'gt',
  /** value < threshold */
  BELOW = 'lt',
}

/** State of an alert rule when its query returns no data. */
export enum NoDataState {
  /** Keep `OK`. */
  OK = 'OK',
  /** Set `NoData` (default). */
  NO_DATA = 'NoData',
  /** Fire. */
  ALERTING = 'Alerting',
  /** Keep the last state. */
  KEEP_LAST = 'KeepLast',
}

/**
 * A Grafana-managed alert rule: a PromQL or LogQL query whose value is compared with a threshold.
 * Name, severity, labels, annotations and the pending period are the ones every alerting rule of the
 * library has (`AlertRuleBaseProps`); `alert` is the rule title.
 */
export interface GrafanaAlertRuleProps extends AlertRuleBaseProps {
  /**
   * Stable rule UID (at most 40 chars of letters, digits, '-' and '_').
   * @default - derived from `alert`
   */
  readonly uid?: string;
  /**
   * The datasource the query runs against (Prometheus/Mimir: PromQL, Loki: LogQL). It must be added
   * to the Grafana with `addDatasource`.
   * @default - `datasourceUid`
   */
  readonly datasource?: IDatasourceProvider;
  /**
   * UID of a datasource of this Grafana (e.g. an external one).
   * @default - `datasource`
   */
  readonly datasourceUid?: string;
  /**
   * The query; it must return one number per series (an instant vector), which is compared with
   * `threshold` (unlike a Prometheus rule's `expr`, which is the condition itself). Parsed at synth.
   */
  readonly expr: string;
  /**
   * Comparison.
   * @default AlertComparison.ABOVE
   */
  readonly comparison?: AlertComparison;
  /** Threshold the query result is compared with (e.g. 0.05 for 5 %). */
  readonly threshold: number;
  /**
   * Folder title of the rule; dashboards in a folder of the same title share the folder.
   * @default 'Alerts'
   */
  readonly folder?: string;
  /**
   * Rule group (rules of a group are evaluated together).
   * @default 'default'
   */
  readonly group?: string;
  /**
   * Evaluation interval of the group (all rules of a group must agree).
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * Send this rule's notifications straight to a contact point registered on this Grafana (Grafana's
   * simplified routing), bypassing the policy tree.
   * @default - routed by the notification policy
   */
  readonly receiver?: GrafanaContactPoint;
  /**
   * State when the query returns no data.
   * @default NoDataState.NO_DATA
   */
  readonly noDataState?: NoDataState;
}
