import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AlertComparison, GrafanaAlertRuleProps, GrafanaContactPoint, GrafanaNotificationPolicyProps,
  GrafanaNotificationRoute, GrafanaRouteTiming, MatchOperator, NoDataState,
} from './alerting';
import { GrafanaDatabase } from './database';
import { AddDatasourceOptions, ExternalDatasourceProps } from './datasources';
import { DatasourceEntry, entryInfo, renderDatasources } from './datasources-render';
import { IniSections, mergeIni, renderIni } from './ini';
import { escapeProvisioning, escapeValues, resolveEnvMarkers, requireSecretKey, SecretEnv } from './secrets';
import { CHECKSUM_ANNOTATION, ConfigFiles, renderYaml, sha256 } from '../core/config';
import { checkGrafanaIni } from '../core/config-keys/check';
import { promDuration, requirePositive } from '../core/duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { imageVersion, Images } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDashboard, IDatasourceProvider } from '../core/interfaces';
import { container, httpProbe, kubeObject, kubeService, podTemplate, ServiceRef } from '../core/kube';
import { selectorLabels, standardLabels } from '../core/labels';
import { validateName, validateNamespace } from '../core/names';
import { logqlError, promqlError, requireValidLogQL, requireValidPromQL } from '../core/query';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { validateSharedProps } from '../core/validation';
import { SecretKeyReference } from '../prometheus/common';
import { ServiceMonitor } from '../prometheus/monitors';

/** Grafana's documented minimum memory is 512 MB. */
const GRAFANA_DEFAULT_RESOURCES = ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(512) });

/** Grafana's user and group in the official image. */
const GRAFANA_UID = 472;
const HTTP_PORT = 3000;
const GOSSIP_PORT = 9094;
const CONFIG_DIR = '/etc/grafana';
const DATA_DIR = '/var/lib/grafana';
const DASHBOARDS_DIR = `${DATA_DIR}/dashboards`;
/** ConfigMap data limit is 1 MiB; leave room for metadata. */
const CONFIGMAP_MAX_BYTES = 1_000_000;

/**
 * The Secret that holds Grafana's admin credentials. Create it before syncing, e.g.
 * `kubectl create secret generic grafana-admin -n monitoring --from-literal=admin-user=admin --from-literal=admin-password=...`.
 */
export interface GrafanaAdminSecret {
  /** Name of the Secret. */
  readonly name: string;
  /** Key holding the admin user name, e.g. `admin-user`. */
  readonly userKey: string;
  /** Key holding the admin password, e.g. `admin-password`. */
  readonly passwordKey: string;
}

/** Optional Ingress in front of Grafana. */
export interface GrafanaIngressOptions {
  /** Host name, e.g. `grafana.example.com`. */
  readonly host: string;
  /**
   * Secret holding the TLS certificate for `host` (makes the root URL https and cookies secure).
   * @default - no TLS on the Ingress
   */
  readonly tlsSecretName?: string;
  /**
   * IngressClass.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;
  /**
   * Annotations (e.g. cert-manager issuer).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** SMTP server Grafana sends e-mail through. */
export interface GrafanaSmtpOptions {
  /** `host:port`, e.g. `smtp.example.com:587`. */
  readonly host: string;
  /** Sender address. */
  readonly fromAddress: string;
  /**
   * SMTP user.
   * @default - no authentication
   */
  readonly user?: string;
  /**
   * Secret key holding the SMTP password (required with `user`; passed as `GF_SMTP_PASSWORD`).
   * @default - no authentication
   */
  readonly passwordSecret?: SecretKeyReference;
  /**
   * Sender name.
   * @default 'Grafana'
   */
  readonly fromName?: string;
}

/** Properties for `Grafana`. */
export interface GrafanaProps {
  /** Namespace. */
  readonly namespace: string;
  /**
   * The existing Secret with the admin user and password. Required: the library never sets a default
   * or generated password.
   */
  readonly adminSecret: GrafanaAdminSecret;
  /**
   * The Secret key that holds Grafana's `secret_key` (it encrypts the datasource passwords and tokens
   * Grafana stores). Without it Grafana uses its built-in default key, which everyone knows.
   * @default - key `secret-key` of the admin Secret
   */
  readonly secretKey?: SecretKeyReference;
  /**
   * Object name (Deployment, Service, ConfigMap prefix).
   * @default 'grafana'
   */
  readonly name?: string;
  /**
   * Image.
   * @default Images.GRAFANA
   */
  readonly image?: string;
  /**
   * Where Grafana keeps its state.
   * @default GrafanaDatabase.sqlite({ size: Size.gibibytes(10) })
   */
  readonly database?: GrafanaDatabase;
  /**
   * Replicas (more than one needs an external database).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Resources.
   * @default - 100m CPU, 512Mi memory (Grafana's documented minimum; 12/13 idle at 150-250 MiB)
   */
  readonly resources?: ResourcePreset;
  /**
   * Public URL of Grafana (links in notifications, OAuth redirects).
   * @default - `https://<ingress host>/` with TLS, `http://<ingress host>/` without, else the in-cluster URL
   */
  readonly rootUrl?: string;
  /**
   * Ingress.
   * @default - no Ingress
   */
  readonly ingress?: GrafanaIngressOptions;
  /**
   * SMTP server (needed by e-mail contact points).
   * @default - e-mail disabled
   */
  readonly smtp?: GrafanaSmtpOptions;
  /**
   * Last-resort grafana.ini overrides, merged over the library's settings (section → key → value).
   * Never put credentials here: use `$__file{...}`/`$__env{...}` with a mounted Secret.
   * @default - none
   */
  readonly ini?: { [section: string]: { [key: string]: string } };
  /**
   * Emit a ServiceMonitor for Grafana's own /metrics.
   * @default true
   */
  readonly serviceMonitor?: boolean;
  /**
   * Extra labels on the ServiceMonitor (to match a Prometheus `serviceMonitorSelector`).
   * @default - none
   */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /**
   * How often Grafana re-reads provisioned dashboard files.
   * @default Duration.seconds(30)
   */
  readonly dashboardUpdateInterval?: Duration;
}

interface DashboardEntry {
  readonly dashboard: IDashboard;
  readonly configMapName: string;
  readonly folderSlug: string;
}

/**
 * Grafana with typed grafana.ini, datasources wired by object reference (with correlations),
 * dashboards and alerting provisioned from files, and admin credentials from an existing Secret.
 *
 * Pinned image: grafana/grafana 13.1.3 (`Images.GRAFANA`); provisioning formats follow the 13.1 docs.
 */
export class Grafana extends Construct {
  /** The Service (`grafana`, port 3000 named `http`). */
  public readonly service: ServiceRef;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** grafana.ini and the provisioning files. */
  public readonly config: ConfigFiles;
  /** Object name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** In-cluster URL, e.g. `http://grafana.monitoring.svc:3000`. */
  public readonly url: string;
  /** Public root URL. */
  public readonly rootUrl: string;
  /**
   * The ServiceMonitor for Grafana's own metrics.
   * @default - none when `serviceMonitor: false`
   */
  public readonly serviceMonitor?: ServiceMonitor;

  private readonly props: GrafanaProps;
  private readonly database: GrafanaDatabase;
  private readonly replicas: number;
  private readonly env = new SecretEnv();
  private readonly entries: DatasourceEntry[] = [];
  private readonly dashboards: DashboardEntry[] = [];
  private readonly dashboardJson = new Map<IDashboard, string>();
  private readonly contactPoints: GrafanaContactPoint[] = [];
  private readonly rules: GrafanaAlertRuleProps[] = [];
  private policy?: GrafanaNotificationPolicyProps;
  private readonly folders = new Map<string, string>(); // slug → title

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    validateSharedProps(this, props);
    this.props = props;
    this.name = validateName(this, 'name', props.name ?? 'grafana', 40);
    this.namespace = validateNamespace(this, 'namespace', props.namespace);
    this.requireAdminSecret(props.adminSecret);
    this.database = props.database ?? GrafanaDatabase.sqlite();
    this.replicas = props.replicas ?? 1;
    if (!Number.isInteger(this.replicas) || this.replicas < 1) {
      fail(this, { problem: "'replicas' must be a positive integer", received: show(props.replicas), expected: '1 or more', fix: "set 'replicas' to 1 or more" });
    }
    if (this.replicas > 1 && !this.database.external) {
      fail(this, {
        problem: "'replicas' above 1 needs an external database",
        received: `replicas: ${this.replicas}, database: ${this.database.type}`,
        expected: 'replicas: 1 with SQLite, or database: GrafanaDatabase.postgres({...})',
        fix: 'use GrafanaDatabase.postgres({ host, name, user, passwordSecret }) or set replicas to 1 (SQLite on a PVC cannot be shared)',
      });
    }
    if (this.database._postgres) {
      requireSecretKey(this, "database 'passwordSecret'", this.database._postgres.passwordSecret);
    }
    if (props.smtp?.user && !props.smtp.passwordSecret) {
      fail(this, {
        problem: "'smtp.user' is set without 'smtp.passwordSecret'",
        received: show({ user: props.smtp.user }),
        expected: 'passwordSecret: { secretName, key } of an existing Secret',
        fix: "add 'passwordSecret' (the SMTP password is never inlined)",
      });
    }
    if (props.smtp?.passwordSecret) requireSecretKey(this, "'smtp.passwordSecret'", props.smtp.passwordSecret);
    requirePositive(this, 'dashboardUpdateInterval', props.dashboardUpdateInterval);

    const version = imageVersion(props.image ?? Images.GRAFANA);
    const id0 = { name: 'grafana', instance: this.name, version };
    const labels = standardLabels(id0);
    const selector = selectorLabels(id0);

    this.service = kubeService(this, 'Service', {
      name: this.name,
      namespace: this.namespace,
      labels,
      selector,
      ports: [{ name: 'http', port: HTTP_PORT }],
    });
    this.url = this.service.url('http');
    if (props.ingress) {
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.ingress.host ?? '')) {
        fail(this, { problem: "'ingress.host' is not a valid host name", received: show(props.ingress.host), expected: 'a DNS name like grafana.example.com', fix: "set 'ingress.host'" });
      }
    }
    this.rootUrl = props.rootUrl
      ?? (props.ingress ? `${props.ingress.tlsSecretName ? 'https' : 'http'}://${props.ingress.host}/` : `${this.url}/`);
    if (!/^https?:\/\/[^\s]+$/.test(this.rootUrl)) {
      fail(this, { problem: "'rootUrl' is not an http(s) URL", received: show(this.rootUrl), expected: 'e.g. https://grafana.example.com/', fix: "correct 'rootUrl'" });
    }

    if (this.replicas > 1) {
      kubeService(this, 'GossipService', {
        name: `${this.name}-alerting`,
        namespace: this.namespace,
        labels,
        selector,
        headless: true,
        publishNotReadyAddresses: true,
        ports: [{ name: 'gossip-tcp', port: GOSSIP_PORT }, { name: 'gossip-udp', port: GOSSIP_PORT, protocol: 'UDP' }],
      });
    }

    this.config = new ConfigFiles(this, 'Config', { name: `${this.name}-config`, namespace: this.namespace, labels });
    this.config._addFile('grafana.ini', () => renderIni(this, this.iniSections()));
    this.config._addFile('datasources.yaml', () => escapeProvisioning(renderYaml(renderDatasources(this.entries, this.env).file)));
    this.config._addFile('dashboards.yaml', () => escapeProvisioning(renderYaml(this.dashboardProviders())));
    // Grafana interpolates environment variables in most alerting fields, but not in rule query models
    // and annotations (grafana#84106): `$` is escaped everywhere else.
    this.config._addFile('alerting.yaml', () => resolveEnvMarkers(renderYaml(escapeValues(this.alertingFile(), ['model', 'annotations']))));

    if (!this.database.external) {
      const o = this.database._sqlite ?? {};
      const size = o.size ?? Size.gibibytes(10);
      kubeObject(this, 'Storage', 'v1', 'PersistentVolumeClaim', {
        name: this.name,
        namespace: this.namespace,
        labels,
        // Never let Argo CD prune the dashboards/users database (pain point 8).
        annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' },
      }, {
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}),
          volumeMode: 'Filesystem',
          resources: { requests: { storage: `${Math.round(size.toGibibytes())}Gi` } },
        },
      });
    }

    this.deployment = kubeObject(this, 'Deployment', 'apps/v1', 'Deployment', { name: this.name, namespace: this.namespace, labels }, {
      spec: Lazy.any({ produce: () => this.deploymentSpec(labels, selector) }),
    });

    if (props.ingress) {
      const ing = props.ingress;
      kubeObject(this, 'Ingress', 'networking.k8s.io/v1', 'Ingress', { name: this.name, namespace: this.namespace, labels, annotations: ing.annotations }, {
        spec: {
          ...(ing.ingressClassName ? { ingressClassName: ing.ingressClassName } : {}),
          ...(ing.tlsSecretName ? { tls: [{ hosts: [ing.host], secretName: ing.tlsSecretName }] } : {}),
          rules: [{
            host: ing.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { name: 'http' } } } }] },
          }],
        },
      });
    }

    if (props.serviceMonitor ?? true) {
      this.serviceMonitor = ServiceMonitor.forServiceRef(this, 'ServiceMonitor', this.service, {
        name: this.name,
        labels: props.serviceMonitorLabels,
        endpoints: [{ port: 'http', path: '/metrics', interval: Duration.seconds(30) }],
      });
    }

    addLgtmValidation(this, () => this.validateWiring());
  }

  // -------------------------------------------------------------------------------------------------
  // Datasources

  /**
   * Provisions a backend of this app as a datasource, with a stable UID and correlations wired to the
   * other datasources by kind. Fails for a backend from another app and for a duplicate UID.
   */
  public addDatasource(provider: IDatasourceProvider, options: AddDatasourceOptions = {}): DatasourceInfo {
    if (!provider || !provider.node || !provider.datasourceInfo) {
      fail(this, { problem: 'addDatasource() needs a datasource provider', received: show(provider === undefined ? undefined : '<object>'), expected: 'a construct implementing IDatasourceProvider (Prometheus, Alertmanager, Loki, ...)', fix: 'pass the backend construct, or use addExternalDatasource({ url, ... })' });
    }
    if (provider.node.root !== this.node.root) {
      fail(this, {
        problem: `datasource '${provider.node.path}' belongs to another app`,
        received: `a construct under app '${provider.node.root.node.id || '<root>'}' (Grafana is under '${this.node.root.node.id || '<root>'}')`,
        expected: 'a backend construct of the same App as the Grafana (its Service is emitted with it)',
        fix: 'create the backend in the same App, or add it with addExternalDatasource({ kind, name, uid, url })',
      });
    }
    const info = provider.datasourceInfo;
    const uid = options.uid ?? info.uid;
    this.addEntry({
      provider,
      uid,
      name: options.name,
      isDefault: options.isDefault,
      correlations: options.correlations ?? true,
      correlateWith: options.correlateWith,
      traceIdMatcher: options.traceIdMatcher,
    }, `datasource '${provider.node.path}'`);
    return entryInfo(this.entries[this.entries.length - 1]);
  }

  /** Provisions a datasource outside this app by URL. */
  public addExternalDatasource(props: ExternalDatasourceProps): DatasourceInfo {
    if (!props.url || !/^https?:\/\/[^\s]+$/.test(props.url)) {
      fail(this, { problem: `external datasource '${props.name}' has no valid URL`, received: show(props.url), expected: 'an http(s) URL', fix: "set 'url'" });
    }
    if (!props.name) fail(this, { problem: 'external datasource has no name', received: show(props.name), expected: 'a display name', fix: "set 'name'" });
    if (props.basicAuthUser) requireSecretKey(this, `external datasource '${props.name}' basicAuthPassword`, props.basicAuthPassword);
    this.addEntry({
      external: props,
      uid: props.uid,
      isDefault: props.isDefault,
      correlations: props.correlations ?? true,
      correlateWith: props.correlateWith,
      traceIdMatcher: props.traceIdMatcher,
    }, `external datasource '${props.name}'`);
    return entryInfo(this.entries[this.entries.length - 1]);
  }

  /** Every datasource of this Grafana as dashboards see it (UIDs after overrides). */
  public get datasources(): DatasourceInfo[] {
    return this.entries.map(entryInfo);
  }

  private addEntry(e: DatasourceEntry, what: string): void {
    if (!e.uid || !/^[a-zA-Z0-9_-]{1,40}$/.test(e.uid)) {
      fail(this, { problem: `${what} has an invalid UID`, received: show(e.uid), expected: "at most 40 letters, digits, '-' or '_'", fix: "pass { uid: 'my-uid' }" });
    }
    const dup = this.entries.find((x) => x.uid === e.uid);
    if (dup) {
      fail(this, {
        problem: `duplicate datasource UID '${e.uid}'`,
        received: `${what} and ${dup.provider ? `datasource '${dup.provider.node.path}'` : `external datasource '${dup.external!.name}'`} both use it`,
        expected: 'a unique UID per datasource (dashboards and correlation links refer to it)',
        fix: "give one of them another UID: addDatasource(backend, { uid: 'prometheus-2' })",
      });
    }
    const name = entryInfo(e).name;
    if (this.entries.some((x) => entryInfo(x).name === name)) {
      fail(this, { problem: `duplicate datasource name '${name}'`, received: what, expected: 'a unique display name per datasource', fix: "pass { name: 'Other name' }" });
    }
    if (entryInfo(e).kind === DatasourceKind.PROMETHEUS && e.isDefault) {
      const other = this.entries.find((x) => x.isDefault);
      if (other) fail(this, { problem: 'two datasources are marked default', received: `${show(other.uid)} and ${show(e.uid)}`, expected: 'at most one default datasource', fix: "drop 'isDefault' from one of them" });
    }
    this.entries.push(e);
  }

  // -------------------------------------------------------------------------------------------------
  // Dashboards

  /**
   * Provisions a dashboard from a file. Each dashboard gets its own ConfigMap (key `<uid>.json`, so no
   * folder can hit the 1 MiB ConfigMap limit); the ConfigMaps of a folder are projected into
   * /var/lib/grafana/dashboards/<folder> and read by one file provider per folder. The JSON is
   * rendered at synth with this Grafana's datasources (`d.renderJson(grafana.datasources)`).
   */
  public addDashboard(d: IDashboard): void {
    if (!d.uid || !/^[a-zA-Z0-9_-]{1,40}$/.test(d.uid)) {
      fail(this, { problem: 'dashboard has an invalid UID', received: show(d.uid), expected: "at most 40 letters, digits, '-' or '_'", fix: 'set a stable uid on the dashboard' });
    }
    if (this.dashboards.some((x) => x.dashboard.uid === d.uid)) {
      fail(this, { problem: `duplicate dashboard UID '${d.uid}'`, received: show(d.title), expected: 'unique dashboard UIDs', fix: 'give the dashboard another uid' });
    }
    const folder = d.folder || 'General';
    const folderSlug = slug(folder, 40);
    const seen = this.folders.get(folderSlug);
    if (seen !== undefined && seen !== folder) {
      fail(this, { problem: `folders '${seen}' and '${folder}' map to the same directory '${folderSlug}'`, received: show(folder), expected: 'folder titles that differ in letters or digits', fix: 'rename one of the folders' });
    }
    this.folders.set(folderSlug, folder);
    const configMapName = `${this.name}-dashboard-${slug(d.uid, 200)}`;
    if (this.dashboards.some((x) => x.configMapName === configMapName)) {
      fail(this, { problem: `dashboard UIDs collide after lowercasing: '${d.uid}'`, received: configMapName, expected: 'UIDs that differ in more than case or punctuation', fix: 'give the dashboard another uid' });
    }
    const labels = { ...standardLabels({ name: 'grafana', instance: this.name, component: 'dashboard' }), 'grafana.cdk8s-lgtm.dev/folder': folderSlug };
    kubeObject(this, `Dashboard-${d.uid}`, 'v1', 'ConfigMap', {
      name: configMapName,
      namespace: this.namespace,
      labels,
      // Dashboards can exceed the 256 KiB last-applied annotation of client-side apply.
      annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' },
    }, { data: Lazy.any({ produce: () => ({ [`${d.uid}.json`]: this.renderDashboard(d) }) }) });
    this.dashboards.push({ dashboard: d, configMapName, folderSlug });
  }

  private renderDashboard(d: IDashboard): string {
    let json = this.dashboardJson.get(d);
    if (json === undefined) {
      json = d.renderJson(this.datasources);
      const bytes = Buffer.byteLength(json, 'utf8');
      if (bytes > CONFIGMAP_MAX_BYTES) {
        fail(this, {
          problem: `dashboard '${d.uid}' is too large for a ConfigMap`,
          received: `${bytes} bytes`,
          expected: `at most ${CONFIGMAP_MAX_BYTES} bytes (ConfigMaps hold 1 MiB)`,
          fix: 'split the dashboard into several dashboards',
        });
      }
      this.dashboardJson.set(d, json);
    }
    return json;
  }

  private dashboardProviders(): Record<string, any> {
    const slugs = [...this.folders.keys()].sort();
    return {
      apiVersion: 1,
      providers: slugs.map((s) => ({
        name: `lgtm-${s}`,
        orgId: 1,
        type: 'file',
        folder: this.folders.get(s),
        folderUid: `lgtm-${s}`.slice(0, 40),
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: Math.round((this.props.dashboardUpdateInterval ?? Duration.seconds(30)).toSeconds()),
        options: { path: `${DASHBOARDS_DIR}/${s}`, foldersFromFilesStructure: false },
      })),
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Alerting

  /** Provisions a contact point. Fails when it has no credential reference. */
  public addContactPoint(cp: GrafanaContactPoint): GrafanaContactPoint {
    if (this.contactPoints.includes(cp)) return cp;
    cp._validate(this);
    if (this.contactPoints.some((x) => x.name === cp.name)) {
      fail(this, { problem: `duplicate contact point name '${cp.name}'`, received: show(cp.name), expected: 'unique contact point names', fix: 'rename one of them' });
    }
    if (cp._needsSmtp && !this.props.smtp) {
      fail(this, {
        problem: `e-mail contact point '${cp.name}' has no credential reference: this Grafana has no SMTP server`,
        received: 'smtp: undefined',
        expected: 'Grafana prop smtp: { host, fromAddress, user, passwordSecret: { secretName, key } }',
        fix: "configure 'smtp' on the Grafana (the SMTP password comes from a Secret)",
      });
    }
    this.contactPoints.push(cp);
    return cp;
  }

  /** Sets the notification policy tree (replaces Grafana's default policy). Contact points are added as needed. */
  public applyNotificationPolicy(policy: GrafanaNotificationPolicyProps): void {
    const visit = (r: { contactPoint: GrafanaContactPoint; routes?: GrafanaNotificationRoute[] }) => {
      this.addContactPoint(r.contactPoint);
      for (const c of r.routes ?? []) {
        if (!c.matchers || c.matchers.length === 0) {
          fail(this, { problem: `a route to '${c.contactPoint.name}' has no matchers`, received: show(c.matchers), expected: "at least one matcher, e.g. { label: 'severity', value: 'critical' }", fix: 'add matchers, or make it the root contact point' });
        }
        for (const m of c.matchers) {
          if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(m.label ?? '')) fail(this, { problem: 'invalid matcher label', received: show(m.label), expected: 'a label name', fix: 'correct the matcher' });
        }
        visit(c);
      }
    };
    visit(policy);
    this.policy = policy;
  }

  /**
   * Provisions a Grafana-managed alert rule. The query is parsed at synth (PromQL for
   * Prometheus/Mimir, LogQL for Loki).
   */
  public addAlertRule(rule: GrafanaAlertRuleProps): void {
    if (!rule.title) fail(this, { problem: 'alert rule has no title', received: show(rule.title), expected: 'a title', fix: "set 'title'" });
    if (!rule.datasource === !rule.datasourceUid) {
      fail(this, {
        problem: `alert rule '${rule.title}' needs exactly one of 'datasource' and 'datasourceUid'`,
        received: show({ datasource: rule.datasource?.node.path, datasourceUid: rule.datasourceUid }),
        expected: 'datasource: prometheus (added with addDatasource) or datasourceUid: "..."',
        fix: "set one of 'datasource' or 'datasourceUid'",
      });
    }
    if (typeof rule.threshold !== 'number' || !Number.isFinite(rule.threshold)) {
      fail(this, { problem: `alert rule '${rule.title}' has no numeric threshold`, received: show(rule.threshold), expected: 'a number, e.g. 0.05', fix: "set 'threshold'" });
    }
    requirePositive(this, 'pendingFor', rule.pendingFor);
    requirePositive(this, 'interval', rule.interval);
    for (const [k, v] of [['summary', rule.summary], ['description', rule.description]]) {
      if (v && v.includes('${')) {
        fail(this, {
          problem: `alert rule '${rule.title}': '${k}' contains '\${', which Grafana may read as an environment variable`,
          received: show(v),
          expected: 'Go template syntax such as {{ $labels.pod }} or {{ $values.A }}',
          fix: `remove '\${' from '${k}'`,
        });
      }
    }
    const uid = ruleUid(rule);
    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) fail(this, { problem: `alert rule '${rule.title}' has an invalid UID`, received: show(uid), expected: "at most 40 letters, digits, '-' or '_'", fix: "set 'uid'" });
    if (this.rules.some((r) => ruleUid(r) === uid)) fail(this, { problem: `duplicate alert rule UID '${uid}'`, received: show(rule.title), expected: 'unique rule UIDs', fix: "set 'uid'" });
    if (rule.datasource) {
      const kind = rule.datasource.datasourceInfo.kind;
      if (kind === DatasourceKind.LOKI) requireValidLogQL(this, `alert rule '${rule.title}'`, rule.expr);
      else requireValidPromQL(this, `alert rule '${rule.title}'`, rule.expr);
    }
    if (rule.contactPoint) this.addContactPoint(rule.contactPoint);
    this.rules.push(rule);
  }

  private alertingFile(): Record<string, any> {
    const env = this.env;
    const file: Record<string, any> = { apiVersion: 1 };
    if (this.contactPoints.length > 0) file.contactPoints = this.contactPoints.map((c) => c._render(env));
    if (this.policy) {
      const p = this.policy;
      file.policies = [{
        orgId: 1,
        receiver: p.contactPoint.name,
        group_by: p.groupBy ?? ['grafana_folder', 'alertname'],
        group_wait: promDuration(p.groupWait ?? Duration.seconds(30)),
        group_interval: promDuration(p.groupInterval ?? Duration.minutes(5)),
        repeat_interval: promDuration(p.repeatInterval ?? Duration.hours(4)),
        ...(p.routes && p.routes.length > 0 ? { routes: p.routes.map(renderRoute) } : {}),
      }];
    }
    if (this.rules.length > 0) {
      const groups = new Map<string, { folder: string; name: string; interval: string; rules: any[] }>();
      for (const r of this.rules) {
        const folder = r.folder ?? 'Alerts';
        const name = r.group ?? 'default';
        const interval = promDuration(r.interval ?? Duration.minutes(1));
        const key = `${folder}\u0000${name}`;
        let g = groups.get(key);
        if (!g) {
          g = { folder, name, interval, rules: [] };
          groups.set(key, g);
        } else if (g.interval !== interval) {
          fail(this, { problem: `alert rules of group '${name}' in folder '${folder}' disagree on 'interval'`, received: `${g.interval} and ${interval}`, expected: 'one evaluation interval per group', fix: "use the same 'interval' or another 'group'" });
        }
        g.rules.push(this.renderRule(r));
      }
      file.groups = [...groups.values()].map((g) => ({ orgId: 1, name: g.name, folder: g.folder, interval: g.interval, rules: g.rules }));
    }
    return file;
  }

  private ruleDatasource(r: GrafanaAlertRuleProps): DatasourceInfo | undefined {
    if (r.datasource) {
      const e = this.entries.find((x) => x.provider === r.datasource);
      return e ? entryInfo(e) : undefined;
    }
    return this.datasources.find((d) => d.uid === r.datasourceUid);
  }

  private renderRule(r: GrafanaAlertRuleProps): Record<string, any> {
    const ds = this.ruleDatasource(r);
    const kind = ds?.kind ?? DatasourceKind.PROMETHEUS;
    const uid = ds?.uid ?? r.datasourceUid ?? '';
    const annotations: Record<string, string> = {};
    if (r.summary) annotations.summary = r.summary;
    if (r.description) annotations.description = r.description;
    return {
      uid: ruleUid(r),
      title: r.title,
      condition: 'C',
      data: [
        {
          refId: 'A',
          relativeTimeRange: { from: 600, to: 0 },
          datasourceUid: uid,
          model: {
            refId: 'A',
            datasource: { type: kind, uid },
            expr: r.expr,
            instant: true,
            range: false,
            ...(kind === DatasourceKind.LOKI ? { queryType: 'instant' } : {}),
            intervalMs: 1000,
            maxDataPoints: 43200,
          },
        },
        {
          refId: 'C',
          datasourceUid: '__expr__',
          model: {
            refId: 'C',
            type: 'threshold',
            expression: 'A',
            datasource: { type: '__expr__', uid: '__expr__' },
            conditions: [{ evaluator: { type: r.comparison ?? AlertComparison.ABOVE, params: [r.threshold] } }],
          },
        },
      ],
      noDataState: r.noDataState ?? NoDataState.NO_DATA,
      execErrState: 'Error',
      for: promDuration(r.pendingFor ?? Duration.minutes(5)),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(r.labels && Object.keys(r.labels).length > 0 ? { labels: r.labels } : {}),
      isPaused: false,
      ...(r.contactPoint ? { notification_settings: { receiver: r.contactPoint.name } } : {}),
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Synth-time checks

  private validateWiring(): LgtmErrorDetails[] {
    const out: LgtmErrorDetails[] = [];
    const uids = new Set(this.datasources.map((d) => d.uid));
    for (const l of renderDatasources(this.entries, new SecretEnv()).links) {
      if (!uids.has(l.uid)) {
        out.push({
          problem: `datasource '${l.from}' links (${l.field}) to an unknown datasource UID '${l.uid}'`,
          received: show(l.uid),
          expected: `one of ${show([...uids])}`,
          fix: 'add the target datasource to this Grafana, or correct correlateWith',
        });
      }
    }
    for (const r of this.rules) {
      const ds = this.ruleDatasource(r);
      if (!ds) {
        out.push({
          problem: `alert rule '${r.title}' uses a datasource this Grafana does not have`,
          received: r.datasource ? show(r.datasource.node.path) : show(r.datasourceUid),
          expected: `a datasource added with addDatasource/addExternalDatasource (UIDs: ${show([...uids])})`,
          fix: 'add the datasource to the Grafana before synth',
        });
        continue;
      }
      if (ds.kind !== DatasourceKind.PROMETHEUS && ds.kind !== DatasourceKind.LOKI) {
        out.push({ problem: `alert rule '${r.title}' queries a ${ds.kind} datasource`, received: show(ds.uid), expected: 'a Prometheus/Mimir or Loki datasource', fix: 'point the rule at a metrics or logs datasource' });
        continue;
      }
      const err = ds.kind === DatasourceKind.LOKI ? logqlError(r.expr) : promqlError(r.expr);
      if (err) {
        out.push({ problem: `alert rule '${r.title}': invalid ${ds.kind === DatasourceKind.LOKI ? 'LogQL' : 'PromQL'} at position ${err.position}`, received: `\n${err.pointer}\n`, expected: 'a query that parses', fix: 'correct the expression at the marked position' });
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------
  // Rendering

  private requireAdminSecret(s: GrafanaAdminSecret | undefined): void {
    const howTo = `create it first: kubectl create secret generic grafana-admin -n ${this.namespace} --from-literal=admin-user=admin --from-literal=admin-password="$(openssl rand -base64 24)", then pass adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' }`;
    if (!s || typeof s !== 'object' || !s.name) {
      fail(this, {
        problem: "Grafana needs 'adminSecret': admin credentials come only from an existing Secret (no default or generated password)",
        received: show(s),
        expected: 'adminSecret: { name, userKey, passwordKey }',
        fix: howTo,
      });
    }
    requireSecretKey(this, `'adminSecret' (user, Secret '${s.name}')`, { secretName: s.name, key: s.userKey });
    requireSecretKey(this, `'adminSecret' (password, Secret '${s.name}')`, { secretName: s.name, key: s.passwordKey });
  }

  private iniSections(): IniSections {
    const p = this.props;
    const https = this.rootUrl.startsWith('https://');
    const db = this.database;
    const base: IniSections = {
      'server': { protocol: 'http', http_port: HTTP_PORT, root_url: this.rootUrl, enforce_domain: false, enable_gzip: true },
      'paths': { data: DATA_DIR, plugins: `${DATA_DIR}/plugins`, provisioning: `${CONFIG_DIR}/provisioning`, logs: '/var/log/grafana' },
      'log': { mode: 'console', level: 'info' },
      'database': db._postgres
        ? { type: 'postgres', host: `${db._postgres.host}:${db._postgres.port ?? 5432}`, name: db._postgres.name, user: db._postgres.user, ssl_mode: db._postgres.sslMode ?? 'require' }
        : { type: 'sqlite3', path: 'grafana.db', wal: true },
      'analytics': { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false, feedback_links_enabled: false },
      'security': { disable_initial_admin_creation: false, cookie_secure: https, cookie_samesite: 'lax', disable_gravatar: true, strict_transport_security: https },
      'users': { allow_sign_up: false, allow_org_create: false },
      'auth.anonymous': { enabled: false },
      'news': { news_feed_enabled: false },
      'unified_alerting': this.replicas > 1
        ? { enabled: true, ha_peers: `${this.name}-alerting.${this.namespace}.svc:${GOSSIP_PORT}` }
        : { enabled: true },
      'smtp': p.smtp
        ? { enabled: true, host: p.smtp.host, ...(p.smtp.user ? { user: p.smtp.user } : {}), from_address: p.smtp.fromAddress, from_name: p.smtp.fromName ?? 'Grafana' }
        : { enabled: false },
      'metrics': { enabled: true },
    };
    return mergeIni(base, checkGrafanaIni(this, 'ini', p.ini));
  }

  private checksum(): string {
    const dashboards = this.dashboards.map((d) => [d.dashboard.uid, this.renderDashboard(d.dashboard)]);
    return sha256(JSON.stringify([this.config.files(), dashboards, this.env.env()]));
  }

  private deploymentSpec(labels: Record<string, string>, selector: Record<string, string>): Record<string, any> {
    const p = this.props;
    const admin = p.adminSecret;
    const files = Object.keys(this.config.files());
    const provisioningPath: Record<string, string> = {
      'grafana.ini': 'grafana.ini',
      'datasources.yaml': 'provisioning/datasources/datasources.yaml',
      'dashboards.yaml': 'provisioning/dashboards/dashboards.yaml',
      'alerting.yaml': 'provisioning/alerting/alerting.yaml',
    };
    const env: Record<string, any>[] = [
      { name: 'GF_PATHS_CONFIG', value: `${CONFIG_DIR}/grafana.ini` },
      { name: 'GF_PATHS_DATA', value: DATA_DIR },
      { name: 'GF_PATHS_PROVISIONING', value: `${CONFIG_DIR}/provisioning` },
      { name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: admin.name, key: admin.userKey } } },
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: admin.name, key: admin.passwordKey } } },
      // grafana.ini's security.secret_key, from a Secret (never the built-in default key)
      { name: 'GF_SECURITY_SECRET_KEY', valueFrom: { secretKeyRef: { name: p.secretKey?.secretName ?? admin.name, key: p.secretKey?.key ?? 'secret-key' } } },
    ];
    if (this.database._postgres) {
      const s = this.database._postgres.passwordSecret;
      env.push({ name: 'GF_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: s.secretName, key: s.key } } });
    }
    if (p.smtp?.passwordSecret) env.push({ name: 'GF_SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: p.smtp.passwordSecret.secretName, key: p.smtp.passwordSecret.key } } });
    if (this.replicas > 1) {
      env.push({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
      env.push({ name: 'GF_UNIFIED_ALERTING_HA_LISTEN_ADDRESS', value: `$(POD_IP):${GOSSIP_PORT}` });
      env.push({ name: 'GF_UNIFIED_ALERTING_HA_ADVERTISE_ADDRESS', value: `$(POD_IP):${GOSSIP_PORT}` });
    }
    // Render the provisioning files first: it registers the Secret-backed variables they reference.
    this.config.files();
    env.push(...this.env.env());

    const folderSlugs = [...this.folders.keys()].sort();
    const volumes: Record<string, any>[] = [
      { name: 'config', configMap: { name: this.config.name, items: files.map((k) => ({ key: k, path: provisioningPath[k] ?? k })) } },
      this.database.external
        ? { name: 'storage', emptyDir: {} }
        : { name: 'storage', persistentVolumeClaim: { claimName: this.name } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
      ...folderSlugs.map((s) => ({
        name: `dashboards-${s}`.slice(0, 63).replace(/-+$/, ''),
        projected: { sources: this.dashboards.filter((d) => d.folderSlug === s).map((d) => ({ configMap: { name: d.configMapName } })) },
      })),
    ];
    const mounts: Record<string, any>[] = [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'storage', mountPath: DATA_DIR },
      { name: 'tmp', mountPath: '/tmp' },
      ...folderSlugs.map((s) => ({ name: `dashboards-${s}`.slice(0, 63).replace(/-+$/, ''), mountPath: `${DASHBOARDS_DIR}/${s}`, readOnly: true })),
    ];
    const ports = [{ name: 'http', port: HTTP_PORT }];
    if (this.replicas > 1) ports.push({ name: 'gossip-tcp', port: GOSSIP_PORT }, { name: 'gossip-udp', port: GOSSIP_PORT, protocol: 'UDP' } as any);
    return {
      replicas: this.replicas,
      revisionHistoryLimit: 5,
      // SQLite on a ReadWriteOnce PVC: the old pod must release the volume before the new one starts.
      strategy: this.database.external ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } : { type: 'Recreate' },
      selector: { matchLabels: selector },
      template: podTemplate({
        labels,
        annotations: { [CHECKSUM_ANNOTATION]: this.checksum() },
        securityContext: restrictedPodSecurityContext(GRAFANA_UID, GRAFANA_UID),
        containers: [container({
          name: 'grafana',
          image: p.image ?? Images.GRAFANA,
          env,
          ports,
          resources: p.resources ?? GRAFANA_DEFAULT_RESOURCES,
          readinessProbe: httpProbe('/api/health', 'http', { initialDelaySeconds: 5 }),
          livenessProbe: httpProbe('/api/health', 'http', { initialDelaySeconds: 60, failureThreshold: 10 }),
          volumeMounts: mounts,
        })],
        volumes,
        terminationGracePeriodSeconds: 30,
      }),
    };
  }
}

function renderRoute(r: GrafanaNotificationRoute): Record<string, any> {
  return {
    receiver: r.contactPoint.name,
    object_matchers: r.matchers.map((m) => [m.label, m.operator ?? MatchOperator.EQUAL, m.value]),
    ...timing(r),
    ...(r.continueMatching ? { continue: true } : {}),
    ...(r.routes && r.routes.length > 0 ? { routes: r.routes.map(renderRoute) } : {}),
  };
}

function timing(t: GrafanaRouteTiming): Record<string, any> {
  return {
    ...(t.groupBy ? { group_by: t.groupBy } : {}),
    ...(t.groupWait ? { group_wait: promDuration(t.groupWait) } : {}),
    ...(t.groupInterval ? { group_interval: promDuration(t.groupInterval) } : {}),
    ...(t.repeatInterval ? { repeat_interval: promDuration(t.repeatInterval) } : {}),
  };
}

function ruleUid(r: GrafanaAlertRuleProps): string {
  return r.uid ?? slug(r.title ?? '', 40);
}

function slug(s: string, max: number): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'x';
}
