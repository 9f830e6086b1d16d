import { Duration, Lazy, Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CR_ANNOTATIONS } from './common';
import { AlertMatcher, AlertReceiverKind, IAlertmanager, IAlertReceiver, NotificationRoute } from './routing';
import { checkRoutes, checkTiming, MatcherStyle, reachedReceivers, renderRoute, unregisteredReceivers } from './routing-render';
import { SecretKeyReference } from './secret';
import { Component } from '../core/component';
import { ConfigFiles, ConfigFilesKind, renderYamlReadBack } from '../core/config';
import { goDuration, promDuration, requirePositive } from '../core/duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { Images, imageVersion } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider } from '../core/interfaces';
import { validateName } from '../core/names';
import { ResourcePreset } from '../core/resources';
import { Toleration, toKubeTolerations } from '../core/scheduling';
import { restrictedPodSecurityContext } from '../core/security';
import { StorageOptions } from '../core/storage';
import * as crd from '../imports/monitoring-alertmanagers-monitoring.coreos.com';

/** Where the operator mounts the Secrets listed in `spec.secrets`. */
const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** Options of `AlertReceiver.slack`. */
export interface SlackReceiverOptions {
  /** Secret key holding the Slack incoming-webhook URL (rendered as `api_url_file`). */
  readonly apiUrl: SecretKeyReference;
  /** Channel override. @default - the webhook's channel */
  readonly channel?: string;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
  /** Message title (Go template). @default - Alertmanager's default template */
  readonly title?: string;
  /** Message text (Go template). @default - Alertmanager's default template */
  readonly text?: string;
}

/** Options of `AlertReceiver.pagerDuty`. */
export interface PagerDutyReceiverOptions {
  /** Secret key holding the Events API v2 integration (routing) key (`routing_key_file`). */
  readonly routingKey: SecretKeyReference;
  /** PagerDuty severity (Go template). @default - Alertmanager's default ('error') */
  readonly severity?: string;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
}

/** Options of `AlertReceiver.webhook`. */
export interface WebhookReceiverOptions {
  /**
   * Secret key holding the webhook URL (`url_file`, Alertmanager >= 0.26). On-call tools (Grafana
   * OnCall/IRM, Opsgenie, incident.io) put a token in the integration URL, so the URL is a credential.
   */
  readonly url: SecretKeyReference;
  /** Notify when alerts resolve. @default true */
  readonly sendResolved?: boolean;
  /** Maximum alerts per message (0 = all). @default 0 */
  readonly maxAlerts?: number;
}

/** Options of `AlertReceiver.email`. */
export interface EmailReceiverOptions {
  /** Recipient address(es), comma-separated. */
  readonly to: string;
  /** Sender address (`from` in the Alertmanager config; `from` is a reserved word in Python). */
  readonly sender: string;
  /** SMTP server `host:port`. */
  readonly smarthost: string;
  /** SMTP user name. */
  readonly authUsername: string;
  /** Secret key holding the SMTP password (`auth_password_file`). */
  readonly authPassword: SecretKeyReference;
  /** Require STARTTLS. @default true */
  readonly requireTls?: boolean;
  /** Notify when alerts resolve. @default false */
  readonly sendResolved?: boolean;
}

/**
 * A notification receiver. Every receiver takes its credential (webhook URL, routing key, password) by
 * reference to a Secret key; the config only holds the path where the operator mounts it.
 */
export class AlertReceiver implements IAlertReceiver {
  /** Slack incoming webhook. */
  public static slack(name: string, options: SlackReceiverOptions): AlertReceiver {
    return new AlertReceiver(name, 'slack_configs', [['apiUrl', options.apiUrl]], (file) => ({
      api_url_file: file(options.apiUrl),
      ...(options.channel ? { channel: options.channel } : {}),
      send_resolved: options.sendResolved ?? true,
      ...(options.title ? { title: options.title } : {}),
      ...(options.text ? { text: options.text } : {}),
    }));
  }

  /** PagerDuty Events API v2. */
  public static pagerDuty(name: string, options: PagerDutyReceiverOptions): AlertReceiver {
    return new AlertReceiver(name, 'pagerduty_configs', [['routingKey', options.routingKey]], (file) => ({
      routing_key_file: file(options.routingKey),
      ...(options.severity ? { severity: options.severity } : {}),
      send_resolved: options.sendResolved ?? true,
    }));
  }

  /** Generic webhook: Grafana OnCall/IRM, Opsgenie-style and other on-call integrations. */
  public static webhook(name: string, options: WebhookReceiverOptions): AlertReceiver {
    return new AlertReceiver(name, 'webhook_configs', [['url', options.url]], (file) => ({
      url_file: file(options.url),
      send_resolved: options.sendResolved ?? true,
      ...(options.maxAlerts ? { max_alerts: options.maxAlerts } : {}),
    }));
  }

  /** E-mail through an authenticated SMTP relay. */
  public static email(name: string, options: EmailReceiverOptions): AlertReceiver {
    return new AlertReceiver(name, 'email_configs', [['authPassword', options.authPassword]], (file) => ({
      to: options.to,
      from: options.sender,
      smarthost: options.smarthost,
      auth_username: options.authUsername,
      auth_password_file: file(options.authPassword),
      require_tls: options.requireTls ?? true,
      send_resolved: options.sendResolved ?? false,
    }));
  }

  /** Always `AlertReceiverKind.ALERTMANAGER`. */
  public readonly receiverKind: AlertReceiverKind = AlertReceiverKind.ALERTMANAGER;

  private constructor(
    /** Receiver name (routes refer to it). */
    public readonly name: string,
    private readonly configKey: string,
    private readonly credentials: Array<[string, SecretKeyReference | undefined]>,
    private readonly renderConfig: (file: (ref: SecretKeyReference) => string) => Record<string, unknown>,
  ) {}

  /** The kind of integration (`slack_configs`, `webhook_configs`, ...). */
  public get integration(): string {
    return this.configKey;
  }

  /** Fails when a credential reference is missing or incomplete. @internal */
  public _check(scope: IConstruct): SecretKeyReference[] {
    const out: SecretKeyReference[] = [];
    for (const [field, ref] of this.credentials) {
      if (!ref || !ref.secretName || !ref.key) {
        fail(scope, {
          problem: `receiver '${this.name}' (${this.configKey}) has no credential reference in '${field}'`,
          received: show(ref),
          expected: `'${field}' as { secretName, key }: a key of a Secret in the Alertmanager's namespace (credentials are never written into the YAML)`,
          fix: `create the Secret out of band (kubectl, External Secrets, Sealed Secrets) and pass { secretName: 'alertmanager-${this.name}', key: '${field.toLowerCase()}' }`,
        });
      }
      validateName(scope, `${this.name}.${field}.secretName`, ref.secretName, 253);
      out.push(ref);
    }
    return out;
  }

  /** Renders the receiver entry. @internal */
  public _render(): Record<string, unknown> {
    const file = (ref: SecretKeyReference) => `${ALERTMANAGER_SECRETS_DIR}/${ref.secretName}/${ref.key}`;
    return { name: this.name, [this.configKey]: [this.renderConfig(file)] };
  }
}

/** An inhibit rule: alerts matching `targetMatchers` are muted while one matching `sourceMatchers` fires. */
export interface InhibitRule {
  /** Matchers of the inhibiting alert. */
  readonly sourceMatchers: AlertMatcher[];
  /** Matchers of the inhibited alerts. */
  readonly targetMatchers: AlertMatcher[];
  /** Labels that must be equal in source and target. @default - none */
  readonly equal?: string[];
}

/** Properties of `Alertmanager`. */
export interface AlertmanagerProps {
  /**
   * Receiver of every alert no route matches (registered automatically). Required: there is no silent
   * `null` default.
   */
  readonly defaultReceiver: AlertReceiver;
  /**
   * Every other receiver the routes send to (more with `addReceiver`). A route to a receiver that is not
   * registered fails at synth.
   * @default - only `defaultReceiver`
   */
  readonly receivers?: AlertReceiver[];
  /** Routes below the root (more with `addRoute`). @default - none: everything goes to `defaultReceiver` */
  readonly routes?: NotificationRoute[];
  /**
   * Inhibit rules.
   * @default - a firing `severity="critical"` alert mutes `warning`/`info` alerts with the same alertname and namespace
   */
  readonly inhibitRules?: InhibitRule[];
  /** Root `group_by`. @default ['alertname', 'namespace'] */
  readonly groupBy?: string[];
  /** @default Duration.seconds(30) */
  readonly groupWait?: Duration;
  /** @default Duration.minutes(5) */
  readonly groupInterval?: Duration;
  /** @default Duration.hours(4) */
  readonly repeatInterval?: Duration;
  /** Name of the resource and Service. @default 'alertmanager' */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Image. @default Images.ALERTMANAGER */
  readonly image?: string;
  /**
   * Replicas; more than one forms a gossip cluster (silences and notification state replicated), so one
   * node failure loses no notification. Pass 1 on development clusters.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * The PVC of each replica (silences and notification log survive restarts).
   * @default - 1 GiB, the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;
  /** How long silences and the notification log are kept. @default Duration.hours(120) */
  readonly retention?: Duration;
  /** CPU/memory. @default ResourcePreset.MICRO */
  readonly resources?: ResourcePreset;
  /** Emit a ServiceMonitor for Alertmanager's own metrics. @default true */
  readonly serviceMonitor?: boolean;
  /** Extra labels on that ServiceMonitor. @default - none */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /** Emit a PodDisruptionBudget (`maxUnavailable: 1`). @default - true when more than one replica runs */
  readonly podDisruptionBudget?: boolean;
  /** Node labels the pods must match. @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** Tolerations of the pods. @default - none */
  readonly tolerations?: Toleration[];
  /** Grafana datasource UID. @default 'alertmanager' */
  readonly datasourceUid?: string;
}

/**
 * An Alertmanager run by the Prometheus Operator, with its configuration built from typed routes,
 * receivers and inhibit rules and rendered into a Secret (`spec.configSecret`) that holds no credential:
 * receivers read their credentials from the Secrets listed in `spec.secrets`, mounted by the operator
 * under `/etc/alertmanager/secrets/<secret>/<key>`.
 */
export class Alertmanager extends Component implements IDatasourceProvider, IAlertmanager {
  /** Where the operator mounts the Secrets of `spec.secrets` (`<dir>/<secret>/<key>`). */
  public static readonly SECRETS_DIRECTORY: string = ALERTMANAGER_SECRETS_DIR;

  /** The Alertmanager custom resource (same as `workload`). */
  public readonly apiObject: crd.Alertmanager;
  /** The config Secret (`alertmanager.yaml`). */
  public readonly config: ConfigFiles;

  private readonly props: AlertmanagerProps;
  private readonly receivers: AlertReceiver[] = [];
  private readonly routes: NotificationRoute[] = [];
  private readonly inhibitRules: InhibitRule[];
  private readonly secretNames = new Set<string>();

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id, props, { appName: 'alertmanager', component: 'alerting', name: 'alertmanager', image: Images.ALERTMANAGER });
    this.props = props;
    if (!(props.defaultReceiver instanceof AlertReceiver)) {
      fail(this, {
        problem: "'defaultReceiver' must be an AlertReceiver",
        received: show(props.defaultReceiver),
        expected: "an AlertReceiver object, e.g. AlertReceiver.slack('slack', { apiUrl: { secretName, key } })",
        fix: 'route unmatched alerts somewhere a human looks (never a silent null receiver); pass the receiver object, not its name',
      });
    }
    checkTiming(this, props, 'the root route');
    requirePositive(this, 'retention', props.retention);
    const replicas = this._replicas(3);
    const storage = this._storage(Size.gibibytes(1));
    this.inhibitRules = props.inhibitRules ?? [{
      sourceMatchers: [AlertMatcher.eq('severity', 'critical')],
      targetMatchers: [AlertMatcher.regex('severity', 'warning|info')],
      equal: ['alertname', 'namespace'],
    }];
    for (const r of props.receivers ?? []) this.addReceiver(r);
    this.addReceiver(props.defaultReceiver);
    for (const r of props.routes ?? []) this.addRoute(r);

    this._addServiceAccount(false);
    this.config = new ConfigFiles(this, 'Config', { name: `${this.name}-config`, namespace: this.namespace, labels: this.labels, kind: ConfigFilesKind.SECRET });
    this.config._addFile('alertmanager.yaml', () => this.renderConfigYaml());
    // The operator labels the pods with app.kubernetes.io/name=alertmanager and instance=<CR name>.
    this._addService({ selector: { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': this.name }, ports: [{ name: 'http-web', port: 9093 }] });
    this.apiObject = new crd.Alertmanager(this, 'Resource', {
      metadata: this._meta({ annotations: CR_ANNOTATIONS }),
      spec: Lazy.any({ produce: () => this.renderSpec(replicas, storage) }) as unknown as crd.AlertmanagerSpec,
    });
    this._setWorkload(this.apiObject);
    this._addServiceMonitor({ endpoints: [{ port: 'http-web' }] });
    this._addPodDisruptionBudget(replicas);
    addLgtmValidation(this, () => this.routingErrors());
  }

  /**
   * Registers a receiver (idempotent for the same object). Fails when its credential reference is
   * missing, or another receiver object has the same name.
   */
  public addReceiver(receiver: AlertReceiver): void {
    if (!(receiver instanceof AlertReceiver)) {
      fail(this, {
        problem: 'addReceiver() needs an AlertReceiver',
        received: show((receiver as { name?: string } | undefined)?.name ?? receiver),
        expected: 'AlertReceiver.slack(...), .pagerDuty(...), .webhook(...) or .email(...) (GrafanaContactPoint belongs to Grafana alerting)',
        fix: 'build the receiver with an AlertReceiver factory',
      });
    }
    if (this.receivers.includes(receiver)) return;
    validateName(this, 'receiver name', receiver.name.toLowerCase().replace(/_/g, '-'), 63);
    if (this.receivers.some((r) => r.name === receiver.name)) {
      fail(this, {
        problem: `receiver '${receiver.name}' is defined twice`,
        received: `two AlertReceiver objects named ${show(receiver.name)}`,
        expected: 'unique receiver names (routes and Alertmanager itself refer to receivers by name)',
        fix: 'rename one of them, or build the receiver once and reuse the object',
      });
    }
    for (const ref of receiver._check(this)) this.secretNames.add(ref.secretName);
    this.receivers.push(receiver);
  }

  /** Adds a route below the root (evaluated in the order added). */
  public addRoute(route: NotificationRoute): void {
    checkRoutes(this, [...this.routes, route], 'routes');
    this.routes.push(route);
  }

  /** Adds an inhibit rule. */
  public addInhibitRule(rule: InhibitRule): void {
    this.inhibitRules.push(rule);
  }

  /** The Secrets the operator mounts for the receivers. */
  public get credentialSecrets(): string[] {
    return [...this.secretNames].sort();
  }

  /** Base URL, computed from the Service. */
  public get url(): string {
    return this.service.url('http-web');
  }

  /** The Alertmanager API base URL (`IAlertmanager`; Loki's ruler). */
  public get alertmanagerUrl(): string {
    return this.url;
  }

  /** Datasource for Grafana. */
  public get datasourceInfo(): DatasourceInfo {
    return {
      kind: DatasourceKind.ALERTMANAGER,
      name: 'Alertmanager',
      uid: this.props.datasourceUid ?? 'alertmanager',
      url: this.url,
      serviceName: this.service.name,
      serviceNamespace: this.service.namespace,
      servicePort: this.service.port('http-web').port,
      implementation: 'prometheus',
    };
  }

  /** The rendered `alertmanager.yaml` (also what the config Secret holds). */
  public renderConfigYaml(): string {
    const errors = this.routingErrors();
    if (errors.length > 0) fail(this, errors[0]);
    return renderYamlReadBack({
      global: { resolve_timeout: '5m' },
      route: {
        receiver: this.props.defaultReceiver.name,
        group_by: this.props.groupBy ?? ['alertname', 'namespace'],
        group_wait: promDuration(this.props.groupWait ?? Duration.seconds(30)),
        group_interval: promDuration(this.props.groupInterval ?? Duration.minutes(5)),
        repeat_interval: promDuration(this.props.repeatInterval ?? Duration.hours(4)),
        ...(this.routes.length > 0 ? { routes: this.routes.map((r) => renderRoute(r, MatcherStyle.ALERTMANAGER)) } : {}),
      },
      ...(this.inhibitRules.length > 0
        ? {
          inhibit_rules: this.inhibitRules.map((r) => ({
            source_matchers: r.sourceMatchers.map((m) => m.render()),
            target_matchers: r.targetMatchers.map((m) => m.render()),
            ...(r.equal && r.equal.length > 0 ? { equal: r.equal } : {}),
          })),
        }
        : {}),
      receivers: this.receivers.map((r) => r._render()),
    });
  }

  private renderSpec(replicas: number, storage: { sizeGi: number; storageClassName?: string }): crd.AlertmanagerSpec {
    const res = this._resources(ResourcePreset.MICRO)._toKube();
    const q = (v: string) => crd.AlertmanagerSpecResourcesLimits.fromString(v);
    return {
      image: this.image,
      version: `v${imageVersion(this.image)}`,
      replicas,
      serviceAccountName: this.name,
      automountServiceAccountToken: false,
      podMetadata: { labels: this.labels },
      configSecret: this.config.name,
      secrets: this.secretNames.size > 0 ? [...this.secretNames].sort() : undefined,
      retention: goDuration(this.props.retention ?? Duration.hours(120)), // the CRD only accepts h/m/s/ms
      storage: {
        volumeClaimTemplate: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'alertmanager-db' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: storage.storageClassName,
            volumeMode: 'Filesystem',
            resources: { requests: { storage: crd.AlertmanagerSpecStorageVolumeClaimTemplateSpecResourcesRequests.fromString(`${storage.sizeGi}Gi`) } },
          },
        },
      },
      resources: {
        requests: Object.fromEntries(Object.entries(res.requests).map(([k, v]) => [k, q(v)])),
        limits: Object.fromEntries(Object.entries(res.limits).map(([k, v]) => [k, q(v)])),
      },
      nodeSelector: this.props.nodeSelector && Object.keys(this.props.nodeSelector).length > 0 ? this.props.nodeSelector : undefined,
      tolerations: toKubeTolerations(this.props.tolerations) as crd.AlertmanagerSpecTolerations[] | undefined,
      securityContext: restrictedPodSecurityContext() as crd.AlertmanagerSpecSecurityContext,
    };
  }

  private routingErrors(): LgtmErrorDetails[] {
    return unregisteredReceivers(
      reachedReceivers(this.routes, 'routes'), this.receivers, AlertReceiverKind.ALERTMANAGER,
      `Alertmanager '${this.name}'`, "add it to 'receivers', or call addReceiver(receiver)",
    );
  }
}
