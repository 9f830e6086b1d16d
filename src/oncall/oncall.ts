import { Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { onCallAlerts } from './alerts';
import { OnCallDatabase, OnCallRedis } from './backends';
import { CELERY_QUEUES, OnCallCeleryEnv, OnCallCommonEnv, renderEnv } from './config';
import { Component, ComponentProps } from '../core/component';
import { fail, show } from '../core/errors';
import { Images, imageVersion } from '../core/images';
import { PortSpec, ServiceRef } from '../core/kube';
import { objectMeta, KubeStatefulSetWithClaims } from '../core/objects';
import { emptyDirVolume, execProbe, httpGetProbe, kubeContainer, tcpProbe } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { requireImage, validateResources } from '../core/validation';
import { requireCount, requireHostname, requirePort, requireSecretKey as requireKey, requireSecretName, requireUrl } from '../core/validation/k8s';
import { GrafanaContactPoint } from '../grafana/alerting';
import { Grafana } from '../grafana/grafana';
import { requireSecretKey } from '../grafana/secrets';
import { AlertReceiver } from '../prometheus/alertmanager';
import { SecretKeyReference } from '../prometheus/common';
import { addSynthWarning } from '../promtail/deprecation';

/**
 * The upstream status of Grafana OnCall OSS, as the synth warning states it, with the supported ways to
 * reach an on-call tool.
 */
export const GRAFANA_ONCALL_ARCHIVED =
  'Grafana OnCall OSS entered maintenance mode on 2025-03-11 and was archived on 2026-03-24; v1.16.9 (2026-01-08) is its last release and receives no security fixes. '
  + 'Supported alternative: Grafana IRM, reached with AlertReceiver.webhook(...) from Alertmanager or GrafanaContactPoint.onCall(...) from Grafana alerting (docs/components/oncall.md)';

/** The version of the `grafana-oncall-app` plugin released with the engine image (same tag). */
export const GRAFANA_ONCALL_PLUGIN_VERSION = '1.16.9';

/** The existing Secret with OnCall's own keys (Django `SECRET_KEY` and the "mirage" field encryption). */
export interface OnCallSecret {
  /** Name of the Secret, e.g. `oncall`. */
  readonly name: string;
  /**
   * Key of Django's `SECRET_KEY` (at least 32 random characters).
   * @default 'secret-key'
   */
  readonly secretKeyKey?: string;
  /**
   * Key of `MIRAGE_SECRET_KEY` (encrypts tokens stored in the database).
   * @default 'mirage-secret-key'
   */
  readonly mirageSecretKeyKey?: string;
  /**
   * Key of `MIRAGE_CIPHER_IV` (exactly 16 characters; the chart's default `1234567890abcdef` is public).
   * @default 'mirage-cipher-iv'
   */
  readonly mirageCipherIvKey?: string;
}

/** The celery workers. */
export interface OnCallCeleryOptions {
  /**
   * Worker pods. One: the worker also runs celery beat (the periodic escalation checks), which must
   * run exactly once.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Worker processes per pod (`CELERY_WORKER_CONCURRENCY`).
   * @default 2
   */
  readonly concurrency?: number;
  /**
   * CPU and memory of a worker.
   * @default - 100m CPU, 768Mi memory
   */
  readonly resources?: ResourcePreset;
}

/** Props of {@link GrafanaOnCall}. */
export interface GrafanaOnCallProps extends ComponentProps {
  /** The database, by reference (PostgreSQL or MySQL). No database is bundled. */
  readonly database: OnCallDatabase;
  /** Redis (celery broker and cache): rendered in the cluster or an existing one. */
  readonly redis: OnCallRedis;
  /** OnCall's own keys. */
  readonly secret: OnCallSecret;
  /**
   * The Grafana of this app: the `grafana-oncall-app` plugin is installed and pointed at the engine
   * Service there, and the engine calls this Grafana's API (`GRAFANA_API_URL`).
   */
  readonly grafana: Grafana;
  /**
   * The URL integrations are reached at (`BASE_URL`; OnCall shows integration URLs under it).
   * @default - the engine Service URL, e.g. `http://oncall.monitoring.svc:8080` (in-cluster senders only)
   */
  readonly baseUrl?: string;
  /**
   * The celery workers.
   * @default - one worker with beat, concurrency 2
   */
  readonly celery?: OnCallCeleryOptions;
}

const HTTP: PortSpec = { name: 'http', port: 8080 };
const REDIS: PortSpec = { name: 'redis', port: 6379 };
/** appuser:appuser in grafana/oncall's engine/Dockerfile. */
const ONCALL_UID = 1000;
const ONCALL_GID = 2000;
/** The redis user of the official image. */
const REDIS_UID = 999;
const ENGINE_RESOURCES = ResourcePreset.custom({ cpuMillis: 200, memory: Size.gibibytes(1) });
const CELERY_RESOURCES = ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(768) });
const REDIS_RESOURCES = ResourcePreset.custom({ cpuMillis: 50, memory: Size.mebibytes(256) });
const DB_NAME = /^[A-Za-z0-9_$-]{1,63}$/;
const OPTION = /^[^\s=]+$/;
const LABEL_COMPONENT = 'app.kubernetes.io/component';

/**
 * Grafana OnCall OSS v1.16.9, self-hosted: the engine (uwsgi HTTP server, `<name>`), the celery
 * workers (`<name>-celery`), the database migration (a Job `<name>-migrate` run as an Argo CD `Sync`
 * hook, with a wait-for-migrations init container on every pod), Redis (`<name>-redis`, or an existing
 * one), the database by reference, and the `grafana-oncall-app` plugin provisioned in the app's Grafana
 * pointing at the engine Service.
 *
 * Archived upstream: Grafana OnCall OSS was archived on 2026-03-24, so constructing it prints a warning
 * at synth (like `Promtail`) naming the supported alternative, Grafana IRM
 * (`AlertReceiver.webhook`, `GrafanaContactPoint.onCall`).
 *
 * Shared props: `replicas` and `resources` are the engine's (default 1 replica, 200m/1Gi), `storage` is
 * the in-cluster Redis volume (default 2 GiB). The Secrets it reads (database password, OnCall keys,
 * Redis password, integration URLs) are listed in `PREREQUISITES.md`.
 */
export class GrafanaOnCall extends Component {
  /** The celery worker Deployment. */
  public readonly celeryDeployment: k8s.KubeDeployment;
  /** The migration Job (an Argo CD Sync hook). */
  public readonly migrationJob: k8s.KubeJob;
  /** The Redis Service, when Redis is rendered here. */
  public readonly redisService?: ServiceRef;
  /** The URL integrations are reached at (`BASE_URL`). */
  public readonly baseUrl: string;

  private readonly props: GrafanaOnCallProps;
  private readonly replicas: number;

  constructor(scope: Construct, id: string, props: GrafanaOnCallProps) {
    super(scope, id, props, { appName: 'grafana-oncall', component: 'engine', name: 'oncall', image: Images.GRAFANA_ONCALL, nameMaxLength: 32 });
    this.props = props;
    this.replicas = this._replicas(1);
    this.validateProps(props);
    addSynthWarning(this, GRAFANA_ONCALL_ARCHIVED);

    this._addServiceAccount(false);
    this._addService({ ports: [HTTP] });
    this.baseUrl = props.baseUrl ?? this.service.url(HTTP.name);
    if (props.redis.rendered) this.redisService = this.buildRedis();
    this.migrationJob = this.buildMigration();
    this._addDeployment({
      replicas: this.replicas,
      revisionHistoryLimit: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
      template: this.engineTemplate(),
    });
    this.celeryDeployment = this.buildCelery();
    this._addSelfMonitoring({ port: HTTP.name, path: '/metrics/', alertGroup: 'grafana-oncall', alerts: () => onCallAlerts(this.namespace, this.name) });
    this._addPodDisruptionBudget(this.replicas);
    props.grafana._addAppPlugin({
      type: 'grafana-oncall-app',
      version: GRAFANA_ONCALL_PLUGIN_VERSION,
      jsonData: { onCallApiUrl: this.service.url(HTTP.name) },
      // README of grafana/oncall v1.16.9 and its docker-compose.yml / Helm values: the plugin authenticates
      // with a managed service account (Grafana 11+) and keeps OnCall's own RBAC off.
      ini: {
        feature_toggles: { enable: 'externalServiceAccounts', accessControlOnCall: false },
        auth: { managed_service_accounts_enabled: true },
      },
      requestedBy: this,
    });
  }

  /**
   * An Alertmanager receiver for an OnCall "Alertmanager" integration. OnCall creates the integration
   * URL (it carries a token) in its UI; store it in a Secret and pass the reference.
   */
  public alertmanagerReceiver(name: string, integrationUrl: SecretKeyReference): AlertReceiver {
    requireSecretKey(this, `alertmanagerReceiver('${name}') integrationUrl`, integrationUrl);
    return AlertReceiver.webhook(name, { url: integrationUrl });
  }

  /**
   * A Grafana contact point for an OnCall "Grafana Alerting" integration (type `oncall`); the URL comes
   * from a Secret, as for `alertmanagerReceiver`.
   */
  public grafanaContactPoint(name: string, integrationUrl: SecretKeyReference): GrafanaContactPoint {
    requireSecretKey(this, `grafanaContactPoint('${name}') integrationUrl`, integrationUrl);
    return GrafanaContactPoint.onCall({ name, integrationUrl });
  }

  private validateProps(p: GrafanaOnCallProps): void {
    if (!(p.database instanceof OnCallDatabase)) {
      fail(this, {
        problem: "GrafanaOnCall needs 'database': the PostgreSQL or MySQL database it uses, by reference (none is bundled)",
        received: show(p.database),
        expected: 'OnCallDatabase.postgres({ host, user, passwordSecret: { secretName, key } }) or OnCallDatabase.mysql({ ... })',
        fix: "create the database and user elsewhere (a managed database, CloudNativePG), then pass database: OnCallDatabase.postgres({ host: 'oncall-db.databases.svc', user: 'oncall', passwordSecret: { secretName: 'oncall-db', key: 'password' } })",
      });
    }
    const db = p.database._options ?? ({} as any);
    requireHostname(this, 'database.host', db.host);
    if (db.port !== undefined) requirePort(this, 'database.port', db.port);
    if (typeof db.user !== 'string' || db.user.length === 0 || /\s/.test(db.user)) {
      fail(this, { problem: "'database.user' must be a user name", received: show(db.user), expected: 'a non-empty name without spaces, e.g. "oncall"', fix: "set 'database.user'" });
    }
    if (db.databaseName !== undefined && !DB_NAME.test(db.databaseName)) {
      fail(this, { problem: "'database.databaseName' is not a database name", received: show(db.databaseName), expected: "1 to 63 letters, digits, '_', '$' or '-'", fix: "use a name such as 'oncall'" });
    }
    requireSecretKey(this, "'database.passwordSecret'", db.passwordSecret);
    for (const [k, v] of Object.entries(db.options ?? {})) {
      if (!OPTION.test(k) || typeof v !== 'string' || !OPTION.test(v)) {
        fail(this, {
          problem: "'database.options' has an entry OnCall cannot parse",
          received: show({ [k]: v }),
          expected: "keys and values without spaces or '=' (OnCall splits DATABASE_OPTIONS on both), e.g. { sslmode: 'require' }",
          fix: 'remove the spaces or the = from the entry',
        });
      }
    }
    if (!(p.redis instanceof OnCallRedis)) {
      fail(this, {
        problem: "GrafanaOnCall needs 'redis': the celery broker and cache",
        received: show(p.redis),
        expected: 'OnCallRedis.inCluster({ passwordSecret }) or OnCallRedis.external({ host, passwordSecret })',
        fix: "pass redis: OnCallRedis.inCluster({ passwordSecret: { secretName: 'oncall-redis', key: 'password' } })",
      });
    }
    requireSecretKey(this, "'redis.passwordSecret'", p.redis._passwordSecret);
    if (p.redis._inCluster?.image !== undefined) requireImage(this, 'redis.image', p.redis._inCluster.image);
    if (p.redis._inCluster?.resources !== undefined) validateResources(this, 'redis.resources', p.redis._inCluster.resources);
    const ext = p.redis._external;
    if (ext) {
      requireHostname(this, 'redis.host', ext.host);
      if (ext.port !== undefined) requirePort(this, 'redis.port', ext.port);
      if (ext.database !== undefined) requireCount(this, 'redis.database', ext.database, 0, 15);
      if (p.storage) {
        fail(this, {
          problem: "'storage' is set, but Redis is external: nothing of GrafanaOnCall needs a volume",
          received: show({ redis: `external ${ext.host}`, storage: { storageClassName: p.storage.storageClassName } }),
          expected: "'storage' only with OnCallRedis.inCluster(...)",
          fix: "remove 'storage'",
        });
      }
    }
    if (!p.secret || typeof p.secret !== 'object') {
      fail(this, {
        problem: "GrafanaOnCall needs 'secret': OnCall's SECRET_KEY and field-encryption keys come only from an existing Secret",
        received: show(p.secret),
        expected: "secret: { name: 'oncall' } with keys secret-key, mirage-secret-key and mirage-cipher-iv",
        fix: `kubectl create secret generic oncall -n ${this.namespace} --from-literal=secret-key="$(openssl rand -hex 32)" --from-literal=mirage-secret-key="$(openssl rand -hex 32)" --from-literal=mirage-cipher-iv="$(openssl rand -hex 8)"`,
      });
    }
    requireSecretName(this, 'secret.name', p.secret.name);
    for (const k of ['secretKeyKey', 'mirageSecretKeyKey', 'mirageCipherIvKey'] as const) {
      if (p.secret[k] !== undefined) requireKey(this, `secret.${k}`, p.secret[k]!);
    }
    if (!p.grafana || !Component.isComponent(p.grafana) || typeof (p.grafana as any)._addAppPlugin !== 'function') {
      fail(this, {
        problem: "GrafanaOnCall needs 'grafana': the Grafana of this app, where the grafana-oncall-app plugin is provisioned",
        received: show(p.grafana === undefined ? undefined : (p.grafana as any)?.constructor?.name ?? typeof p.grafana),
        expected: 'a Grafana construct of the same app',
        fix: 'pass grafana: the Grafana you created (its URL and the plugin configuration are derived from it)',
      });
    }
    if (p.baseUrl !== undefined) requireUrl(this, 'baseUrl', p.baseUrl);
    const c = p.celery ?? {};
    if (c.replicas !== undefined) {
      requireCount(this, 'celery.replicas', c.replicas, 1);
      if (c.replicas > 1) {
        fail(this, {
          problem: "'celery.replicas' above 1 would run celery beat more than once",
          received: show(c.replicas),
          expected: '1 (the worker runs beat, the periodic escalation and heartbeat checks, which must run exactly once)',
          fix: "raise 'celery.concurrency' instead, or set celery.replicas: 1",
        });
      }
    }
    if (c.concurrency !== undefined) requireCount(this, 'celery.concurrency', c.concurrency, 1, 64);
    if (c.resources !== undefined) validateResources(this, 'celery.resources', c.resources);
  }

  private labelsOf(component: string): Record<string, string> {
    return { ...this.labels, [LABEL_COMPONENT]: component };
  }

  private selectorOf(component: string): Record<string, string> {
    return { ...this.selectorLabels, [LABEL_COMPONENT]: component };
  }

  private redisUri(): string {
    const ext = this.props.redis._external;
    if (ext) {
      return `${ext.tls ? 'rediss' : 'redis'}://${ext.username ?? ''}:$(REDIS_PASSWORD)@${ext.host}:${ext.port ?? 6379}/${ext.database ?? 0}`;
    }
    return `redis://:$(REDIS_PASSWORD)@${this.redisService!.host}:${REDIS.port}/0`;
  }

  private commonEnv(): OnCallCommonEnv {
    const p = this.props;
    const db = p.database._options;
    const s = p.secret;
    const opts = Object.entries(db.options ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
    return {
      BASE_URL: this.baseUrl,
      SECRET_KEY: { secretName: s.name, key: s.secretKeyKey ?? 'secret-key' },
      MIRAGE_SECRET_KEY: { secretName: s.name, key: s.mirageSecretKeyKey ?? 'mirage-secret-key' },
      MIRAGE_CIPHER_IV: { secretName: s.name, key: s.mirageCipherIvKey ?? 'mirage-cipher-iv' },
      DJANGO_SETTINGS_MODULE: 'settings.helm',
      OSS: 'True',
      DETACHED_INTEGRATIONS_SERVER: 'False',
      BROKER_TYPE: 'redis',
      GRAFANA_API_URL: p.grafana.url,
      FEATURE_PROMETHEUS_EXPORTER_ENABLED: p.serviceMonitor === false ? 'False' : 'True',
      FEATURE_SLACK_INTEGRATION_ENABLED: 'False',
      FEATURE_TELEGRAM_INTEGRATION_ENABLED: 'False',
      FEATURE_EMAIL_INTEGRATION_ENABLED: 'False',
      DATABASE_TYPE: p.database.type,
      DATABASE_HOST: db.host,
      DATABASE_PORT: db.port ?? p.database._defaultPort,
      DATABASE_NAME: db.databaseName ?? 'oncall',
      DATABASE_USER: db.user,
      DATABASE_PASSWORD: db.passwordSecret,
      DATABASE_OPTIONS: opts.length > 0 ? opts : undefined,
      REDIS_PASSWORD: p.redis._passwordSecret,
      REDIS_URI: this.redisUri(),
      REDIS_USE_SSL: p.redis._external?.tls ? 'true' : undefined,
    };
  }

  private celeryEnv(): OnCallCeleryEnv {
    return {
      CELERY_WORKER_QUEUE: CELERY_QUEUES.join(','),
      CELERY_WORKER_CONCURRENCY: this.props.celery?.concurrency ?? 2,
      CELERY_WORKER_MAX_TASKS_PER_CHILD: 100,
      CELERY_WORKER_BEAT_ENABLED: 'True',
      CELERY_BEAT_SCHEDULE_FILENAME: '/tmp/celerybeat-schedule',
    };
  }

  /** The writable directories of the image under a read-only root: /tmp and prometheus_client's multiprocess dir. */
  private scratch(): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
    return {
      volumes: [emptyDirVolume('tmp', '512Mi'), emptyDirVolume('prometheus-multiproc', '128Mi')],
      mounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'prometheus-multiproc', mountPath: '/tmp/prometheus_django_metrics' }],
    };
  }

  /** The upstream chart's init container: wait until `migrate --check` reports no unapplied migration. */
  private waitForMigrations(): k8s.Container {
    return kubeContainer({
      name: 'wait-for-migrations',
      image: this.image,
      command: ['sh', '-c', 'until python manage.py migrate --check; do echo waiting for database migrations; sleep 5; done'],
      env: renderEnv(this.commonEnv()),
      resources: ResourcePreset.custom({ cpuMillis: 50, memory: Size.mebibytes(256) }),
      volumeMounts: this.scratch().mounts,
    });
  }

  private podSecurity(): k8s.PodSecurityContext {
    return { ...restrictedPodSecurityContext(ONCALL_UID, ONCALL_GID), runAsGroup: ONCALL_GID };
  }

  private engineTemplate(): k8s.PodTemplateSpec {
    const s = this.scratch();
    return this._podTemplate({
      labels: this.labels,
      securityContext: this.podSecurity(),
      initContainers: [this.waitForMigrations()],
      containers: [kubeContainer({
        name: 'engine',
        image: this.image,
        command: ['uwsgi', '--ini', 'uwsgi.ini'],
        env: renderEnv(this.commonEnv()),
        ports: [HTTP],
        resources: this._resources(ENGINE_RESOURCES),
        // the upstream chart's probes (templates/engine/deployment.yaml)
        startupProbe: httpGetProbe('/startupprobe/', HTTP.name, { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 30 }),
        readinessProbe: httpGetProbe('/ready/', HTTP.name, { periodSeconds: 30, timeoutSeconds: 3 }),
        livenessProbe: httpGetProbe('/health/', HTTP.name, { periodSeconds: 60, timeoutSeconds: 3 }),
        volumeMounts: s.mounts,
      })],
      volumes: s.volumes,
      terminationGracePeriodSeconds: 60,
    });
  }

  private buildCelery(): k8s.KubeDeployment {
    const labels = this.labelsOf('celery');
    const s = this.scratch();
    return new k8s.KubeDeployment(this, 'CeleryDeployment', {
      metadata: this._meta({ name: `${this.name}-celery`, labels }),
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        // one beat scheduler at a time: the old worker stops before the new one starts
        strategy: { type: 'Recreate' },
        selector: { matchLabels: this.selectorOf('celery') },
        template: this._podTemplate({
          labels,
          securityContext: this.podSecurity(),
          initContainers: [this.waitForMigrations()],
          containers: [kubeContainer({
            name: 'celery',
            image: this.image,
            command: ['./celery_with_exporter.sh'],
            env: [...renderEnv(this.celeryEnv()), ...renderEnv(this.commonEnv())],
            resources: this.props.celery?.resources ?? CELERY_RESOURCES,
            livenessProbe: execProbe(['sh', '-c', 'celery -A engine inspect ping -d celery@$HOSTNAME'], { initialDelaySeconds: 30, periodSeconds: 300, timeoutSeconds: 10 }),
            volumeMounts: s.mounts,
          })],
          volumes: s.volumes,
          terminationGracePeriodSeconds: 60,
        }),
      },
    });
  }

  /**
   * The migration: a Job run as an Argo CD `Sync` hook (re-created on every sync, before-hook-creation
   * delete policy), so a new image migrates the schema; PreSync would run before the Namespace and Redis
   * exist on the first sync. The upstream chart's Job carries a timestamp in its name (a diff on every
   * render) or a Helm hook; the pods' init container waits either way.
   */
  private buildMigration(): k8s.KubeJob {
    const labels = this.labelsOf('migrate');
    const s = this.scratch();
    const template = this._podTemplate({
      labels,
      securityContext: this.podSecurity(),
      containers: [kubeContainer({
        name: 'migrate',
        image: this.image,
        command: ['python', 'manage.py', 'migrate', '--noinput'],
        env: renderEnv(this.commonEnv()),
        resources: ResourcePreset.custom({ cpuMillis: 100, memory: Size.mebibytes(512) }),
        volumeMounts: s.mounts,
      })],
      volumes: s.volumes,
    });
    return new k8s.KubeJob(this, 'Migrate', {
      metadata: this._meta({
        name: `${this.name}-migrate`,
        labels,
        annotations: {
          'argocd.argoproj.io/hook': 'Sync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      }),
      spec: {
        backoffLimit: 10,
        template: { ...template, spec: { ...template.spec!, restartPolicy: 'Never' } },
      },
    });
  }

  private buildRedis(): ServiceRef {
    const own = this.props.redis._inCluster ?? ({} as { image?: string; resources?: ResourcePreset });
    const image = own.image ?? Images.REDIS;
    const labels = { ...this.labelsOf('redis'), 'app.kubernetes.io/version': imageVersion(image) };
    const selector = this.selectorOf('redis');
    const ref = this._addService({ id: 'RedisService', name: `${this.name}-redis`, labels, selector, ports: [REDIS] });
    const pw = this.props.redis._passwordSecret;
    new KubeStatefulSetWithClaims(this, 'RedisStatefulSet', {
      metadata: objectMeta({ name: `${this.name}-redis`, namespace: this.namespace, labels }),
      spec: {
        serviceName: ref.name,
        replicas: 1,
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: this._podTemplate({
          labels,
          securityContext: restrictedPodSecurityContext(REDIS_UID),
          containers: [kubeContainer({
            name: 'redis',
            image,
            // the password comes from the Secret through $(REDIS_PASSWORD), expanded by the kubelet
            args: ['--requirepass', '$(REDIS_PASSWORD)', '--dir', '/data', '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'],
            env: [
              { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: pw.secretName, key: pw.key } } },
              // redis-cli reads the password from REDISCLI_AUTH (not on its command line)
              { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: pw.secretName, key: pw.key } } },
            ],
            ports: [REDIS],
            resources: own.resources ?? REDIS_RESOURCES,
            readinessProbe: execProbe(['redis-cli', 'ping'], { periodSeconds: 10, timeoutSeconds: 3 }),
            livenessProbe: tcpProbe(REDIS.name, { initialDelaySeconds: 15, periodSeconds: 20 }),
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          })],
          terminationGracePeriodSeconds: 30,
        }),
        volumeClaimTemplates: [this._volumeClaim('data', Size.gibibytes(2))],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
    return ref;
  }
}
