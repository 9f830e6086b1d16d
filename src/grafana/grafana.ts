import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { GrafanaDashboards } from './dashboards';
import { GrafanaDatabase } from './database';
import { AddDatasourceOptions, ExternalDatasourceProps, GrafanaDatasources } from './datasources';
import { GrafanaFolders } from './folders';
import { GrafanaAlerting } from './grafana-alerting';
import { IniSections, mergeIni, renderIni } from './ini';
import { AppPluginProvisioning, GrafanaAppPlugins } from './plugins';
import { escapeProvisioning, escapeValues, resolveEnvMarkers, requireSecretKey, SecretEnv } from './secrets';
import { Component } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles, renderYaml, sha256 } from '../core/config';
import { checkGrafanaIni } from '../core/config-keys/check';
import { requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';
import { Images } from '../core/images';
import { DatasourceInfo, IDashboard, IDatasourceProvider } from '../core/interfaces';
import { PortSpec } from '../core/kube';
import { emptyDirVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { Toleration } from '../core/scheduling';
import { restrictedPodSecurityContext } from '../core/security';
import { StorageOptions } from '../core/storage';
import { SecretKeyReference } from '../prometheus/common';

/** Grafana's documented minimum memory is 512 MB. */
const GRAFANA_DEFAULT_RESOURCES = ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(512) });

/** Grafana's user and group in the official image. */
const GRAFANA_UID = 472;
const HTTP_PORT = 3000;
const GOSSIP_PORT = 9094;
const CONFIG_DIR = '/etc/grafana';
const DATA_DIR = '/var/lib/grafana';

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
  /**
   * Namespace.
   * @default - the Chart's namespace, else 'monitoring'
   */
  readonly namespace?: string;
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
   * @default GrafanaDatabase.sqlite()
   */
  readonly database?: GrafanaDatabase;
  /**
   * The PVC that holds the SQLite database and plugins (SQLite only; an external database needs none).
   * @default - 10 GiB, the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;
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
   * Emit a PodDisruptionBudget (`maxUnavailable: 1`).
   * @default - true when more than one replica runs
   */
  readonly podDisruptionBudget?: boolean;
  /**
   * Node labels the pods must match.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations of the pods.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * How often Grafana re-reads provisioned dashboard files.
   * @default Duration.seconds(30)
   */
  readonly dashboardUpdateInterval?: Duration;
}

/**
 * Grafana with typed grafana.ini, datasources wired by object reference (with correlations),
 * dashboards and alerting provisioned from files, and admin credentials from an existing Secret.
 * Its concerns live in helper objects that own their checks and rendering: `datasources`,
 * `dashboards` and `alerting`.
 *
 * Pinned image: grafana/grafana 13.1.3 (`Images.GRAFANA`); provisioning formats follow the 13.1 docs.
 */
export class Grafana extends Component {
  /** grafana.ini and the provisioning files. */
  public readonly config: ConfigFiles;
  /** In-cluster URL, e.g. `http://grafana.monitoring.svc:3000`. */
  public readonly url: string;
  /** Public root URL. */
  public readonly rootUrl: string;
  /** The datasources (`grafana.datasources.add(backend)`; `addDatasource` is the same call). */
  public readonly datasources: GrafanaDatasources;
  /** The provisioned dashboards (`grafana.dashboards.add(d)`; `addDashboard` is the same call). */
  public readonly dashboards: GrafanaDashboards;
  /** Grafana-managed alerting: contact points, the notification policy and alert rules. */
  public readonly alerting: GrafanaAlerting;

  private readonly props: GrafanaProps;
  private readonly database: GrafanaDatabase;
  private readonly replicas: number;
  private readonly env = new SecretEnv();
  private readonly appPlugins = new GrafanaAppPlugins(this);

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id, props, { appName: 'grafana', name: 'grafana', image: Images.GRAFANA });
    this.props = props;
    this.database = props.database ?? GrafanaDatabase.sqlite();
    this.replicas = this._replicas(1);
    this.validateProps(props);
    const folders = new GrafanaFolders(this);
    this.datasources = GrafanaDatasources._create(this, this.env);
    this.dashboards = GrafanaDashboards._create(this, folders, props.dashboardUpdateInterval ?? Duration.seconds(30));
    this.alerting = GrafanaAlerting._create(this, folders, this.env, props.smtp !== undefined);

    this._addServiceAccount(false);
    this._addService({ ports: [{ name: 'http', port: HTTP_PORT }] });
    this.url = this.service.url('http');
    this.rootUrl = this.resolveRootUrl(props);
    if (this.replicas > 1) {
      this._addService({
        id: 'GossipService',
        name: `${this.name}-alerting`,
        headless: true,
        publishNotReadyAddresses: true,
        ports: [{ name: 'gossip-tcp', port: GOSSIP_PORT }, { name: 'gossip-udp', port: GOSSIP_PORT, protocol: 'UDP' }],
      });
    }
    this.config = this.buildConfig();
    this.buildStorage();
    this._addDeployment({
      replicas: this.replicas,
      revisionHistoryLimit: 5,
      // SQLite on a ReadWriteOnce PVC: the old pod must release the volume before the new one starts.
      strategy: this.database.external
        ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } }
        : { type: 'Recreate' },
      template: Lazy.any({ produce: () => this.podTemplate() }) as unknown as k8s.PodTemplateSpec,
    });
    if (props.ingress) this.buildIngress(props.ingress);
    this._addServiceMonitor({ name: this.name, endpoints: [{ port: 'http', path: '/metrics', interval: Duration.seconds(30) }] });
    this._addPodDisruptionBudget(this.replicas);
  }

  /** The Deployment (same as `workload`). */
  public get deployment(): ApiObject {
    return this.workload;
  }

  /**
   * Provisions a backend of this app as a datasource (`grafana.datasources.add`), with a stable UID and
   * correlations wired to the other datasources by kind.
   */
  public addDatasource(provider: IDatasourceProvider, options: AddDatasourceOptions = {}): DatasourceInfo {
    return this.datasources.add(provider, options);
  }

  /** Provisions a datasource outside this app by URL (`grafana.datasources.addExternal`). */
  public addExternalDatasource(props: ExternalDatasourceProps): DatasourceInfo {
    return this.datasources.addExternal(props);
  }

  /** Provisions a dashboard from a file (`grafana.dashboards.add`). */
  public addDashboard(d: IDashboard): void {
    this.dashboards.add(d);
  }

  /**
   * Installs and enables an app plugin (the construct that needs it calls this, e.g. `GrafanaOnCall`):
   * `[plugins] preinstall_sync` and `provisioning/plugins/plugins.yaml`.
   * @internal
   */
  public _addAppPlugin(plugin: AppPluginProvisioning): void {
    if (this.appPlugins.add(plugin)) {
      this.config._addFile('plugins.yaml', () => escapeProvisioning(renderYaml(this.appPlugins.file())));
    }
  }

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
    return mergeIni(mergeIni(base, this.appPlugins.ini()), checkGrafanaIni(this, 'ini', p.ini));
  }

  private checksum(): string {
    return sha256(JSON.stringify([this.config.files(), this.dashboards._checksumInput(), this.env.env()]));
  }

  private validateProps(props: GrafanaProps): void {
    this.requireAdminSecret(props.adminSecret);
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
      if (props.storage) {
        fail(this, {
          problem: "'storage' is set, but an external database needs no volume",
          received: show({ database: this.database.type, storage: { storageClassName: props.storage.storageClassName } }),
          expected: "'storage' only with GrafanaDatabase.sqlite()",
          fix: "remove 'storage' (the state lives in PostgreSQL)",
        });
      }
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
    if (props.ingress && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.ingress.host ?? '')) {
      fail(this, { problem: "'ingress.host' is not a valid host name", received: show(props.ingress.host), expected: 'a DNS name like grafana.example.com', fix: "set 'ingress.host'" });
    }
  }

  private resolveRootUrl(props: GrafanaProps): string {
    const url = props.rootUrl
      ?? (props.ingress ? `${props.ingress.tlsSecretName ? 'https' : 'http'}://${props.ingress.host}/` : `${this.url}/`);
    if (!/^https?:\/\/[^\s]+$/.test(url)) {
      fail(this, { problem: "'rootUrl' is not an http(s) URL", received: show(url), expected: 'e.g. https://grafana.example.com/', fix: "correct 'rootUrl'" });
    }
    return url;
  }

  private buildConfig(): ConfigFiles {
    const config = new ConfigFiles(this, 'Config', { name: `${this.name}-config`, namespace: this.namespace, labels: this.labels });
    config._addFile('grafana.ini', () => renderIni(this, this.iniSections()));
    config._addFile('datasources.yaml', () => escapeProvisioning(renderYaml(this.datasources._file())));
    config._addFile('dashboards.yaml', () => escapeProvisioning(renderYaml(this.dashboards._providersFile())));
    // Grafana interpolates environment variables in most alerting fields, but not in rule query models
    // and annotations (grafana#84106): `$` is escaped everywhere else.
    config._addFile('alerting.yaml', () => resolveEnvMarkers(renderYaml(escapeValues(this.alerting._file(), ['model', 'annotations']))));
    return config;
  }

  private buildStorage(): void {
    if (this.database.external) return;
    const storage = this._storage(Size.gibibytes(10));
    new k8s.KubePersistentVolumeClaim(this, 'Storage', {
      // Never let Argo CD prune the dashboards/users database.
      metadata: this._meta({ annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: storage.storageClassName,
        volumeMode: 'Filesystem',
        resources: { requests: { storage: k8s.Quantity.fromString(`${storage.sizeGi}Gi`) } },
      },
    });
  }

  private buildIngress(ing: GrafanaIngressOptions): void {
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: this._meta({ annotations: ing.annotations }),
      spec: {
        ingressClassName: ing.ingressClassName,
        tls: ing.tlsSecretName ? [{ hosts: [ing.host], secretName: ing.tlsSecretName }] : undefined,
        rules: [{
          host: ing.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { name: 'http' } } } }] },
        }],
      },
    });
  }

  private podTemplate(): k8s.PodTemplateSpec {
    const p = this.props;
    const admin = p.adminSecret;
    const files = Object.keys(this.config.files());
    const provisioningPath: Record<string, string> = {
      'grafana.ini': 'grafana.ini',
      'datasources.yaml': 'provisioning/datasources/datasources.yaml',
      'dashboards.yaml': 'provisioning/dashboards/dashboards.yaml',
      'alerting.yaml': 'provisioning/alerting/alerting.yaml',
      'plugins.yaml': 'provisioning/plugins/plugins.yaml',
    };
    const secretEnv = (name: string, secretName: string, key: string): k8s.EnvVar =>
      ({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });
    const env: k8s.EnvVar[] = [
      { name: 'GF_PATHS_CONFIG', value: `${CONFIG_DIR}/grafana.ini` },
      { name: 'GF_PATHS_DATA', value: DATA_DIR },
      { name: 'GF_PATHS_PROVISIONING', value: `${CONFIG_DIR}/provisioning` },
      secretEnv('GF_SECURITY_ADMIN_USER', admin.name, admin.userKey),
      secretEnv('GF_SECURITY_ADMIN_PASSWORD', admin.name, admin.passwordKey),
      // grafana.ini's security.secret_key, from a Secret (never the built-in default key)
      secretEnv('GF_SECURITY_SECRET_KEY', p.secretKey?.secretName ?? admin.name, p.secretKey?.key ?? 'secret-key'),
    ];
    if (this.database._postgres) {
      const s = this.database._postgres.passwordSecret;
      env.push(secretEnv('GF_DATABASE_PASSWORD', s.secretName, s.key));
    }
    if (p.smtp?.passwordSecret) env.push(secretEnv('GF_SMTP_PASSWORD', p.smtp.passwordSecret.secretName, p.smtp.passwordSecret.key));
    if (this.replicas > 1) {
      env.push({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
      env.push({ name: 'GF_UNIFIED_ALERTING_HA_LISTEN_ADDRESS', value: `$(POD_IP):${GOSSIP_PORT}` });
      env.push({ name: 'GF_UNIFIED_ALERTING_HA_ADVERTISE_ADDRESS', value: `$(POD_IP):${GOSSIP_PORT}` });
    }
    // Render the provisioning files first: it registers the Secret-backed variables they reference.
    this.config.files();
    env.push(...this.env.env());

    const volumes: k8s.Volume[] = [
      { name: 'config', configMap: { name: this.config.name, items: files.map((k) => ({ key: k, path: provisioningPath[k] ?? k })) } },
      this.database.external
        ? { name: 'storage', emptyDir: {} }
        : { name: 'storage', persistentVolumeClaim: { claimName: this.name } },
      emptyDirVolume('tmp', '1Gi'),
      ...this.dashboards._volumes(),
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      { name: 'storage', mountPath: DATA_DIR },
      { name: 'tmp', mountPath: '/tmp' },
      ...this.dashboards._mounts(),
    ];
    const ports: PortSpec[] = [{ name: 'http', port: HTTP_PORT }];
    if (this.replicas > 1) ports.push({ name: 'gossip-tcp', port: GOSSIP_PORT }, { name: 'gossip-udp', port: GOSSIP_PORT, protocol: 'UDP' });
    return this._podTemplate({
      annotations: { [CHECKSUM_ANNOTATION]: this.checksum() },
      securityContext: restrictedPodSecurityContext(GRAFANA_UID, GRAFANA_UID),
      containers: [kubeContainer({
        name: 'grafana',
        image: this.image,
        env,
        ports,
        resources: this._resources(GRAFANA_DEFAULT_RESOURCES),
        readinessProbe: httpGetProbe('/api/health', 'http', { initialDelaySeconds: 5 }),
        livenessProbe: httpGetProbe('/api/health', 'http', { initialDelaySeconds: 60, failureThreshold: 10 }),
        volumeMounts: mounts,
      })],
      volumes,
      terminationGracePeriodSeconds: 30,
    });
  }
}
