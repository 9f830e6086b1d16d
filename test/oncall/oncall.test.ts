import { App, Chart, Size, Testing } from 'cdk8s';
import { ArgoCdSyncAnnotations } from '../../src/argocd';
import { IMAGE_SOURCES } from '../../src/core/image-sources';
import { Images } from '../../src/core/images';
import { Namespace } from '../../src/core/namespace';
import { appSecretPrerequisites } from '../../src/core/prerequisites';
import { ResourcePreset } from '../../src/core/resources';
import { wiringGraph } from '../../src/core/wiring';
import { Grafana } from '../../src/grafana';
import { LgtmNetworkPolicies } from '../../src/network';
import { GRAFANA_ONCALL_ARCHIVED, GrafanaOnCall, GrafanaOnCallProps, OnCallDatabase, OnCallRedis } from '../../src/oncall';
import { Prometheus } from '../../src/prometheus';
import { WARNING_METADATA } from '../../src/promtail/deprecation';
import { find, promqlErrors, restrictedViolations, schemaErrors, selectorMatches, synthApp, urlResolution, YAML } from '../harness';

const NS = 'monitoring';
const DB = OnCallDatabase.postgres({ host: 'oncall-db.databases.svc', user: 'oncall', passwordSecret: { secretName: 'oncall-db', key: 'password' } });
const REDIS = OnCallRedis.inCluster({ passwordSecret: { secretName: 'oncall-redis', key: 'password' } });

let warn: jest.SpyInstance;
beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });
afterEach(() => warn.mockRestore());

function build(props: Partial<GrafanaOnCallProps> = {}, opts: { prometheus?: boolean } = {}) {
  const app: App = Testing.app();
  const chart = new Chart(app, 'c', { namespace: NS });
  const grafana = new Grafana(chart, 'Grafana', { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } });
  if (opts.prometheus) new Prometheus(chart, 'Prometheus', {});
  const oncall = new GrafanaOnCall(chart, 'OnCall', { database: DB, redis: REDIS, secret: { name: 'oncall' }, grafana, ...props });
  return { app, chart, grafana, oncall, objs: () => synthApp(app) };
}

/** Builds with `props` and returns the error message. */
function error(props: any): string {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

const envOf = (c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('GrafanaOnCall (archived upstream, self-hosted)', () => {
  test('renders the engine, celery, migration Job, Redis and the plugin, all schema-valid and restricted', () => {
    const objs = build().objs();
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    const kinds = objs.filter((o) => o.metadata.name.startsWith('oncall')).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual([
      'Deployment/oncall', 'Deployment/oncall-celery', 'Job/oncall-migrate', 'PrometheusRule/oncall-alerts',
      'Service/oncall', 'Service/oncall-redis', 'ServiceAccount/oncall', 'ServiceMonitor/oncall', 'StatefulSet/oncall-redis',
    ]);
  });

  test('the engine: uwsgi on 8080, the upstream health endpoints, the Service selects only engine pods', () => {
    const objs = build().objs();
    const d = find(objs, 'Deployment', 'oncall', NS);
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe(Images.GRAFANA_ONCALL);
    expect(c.command).toEqual(['uwsgi', '--ini', 'uwsgi.ini']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet.path).toBe('/ready/');
    expect(c.livenessProbe.httpGet.path).toBe('/health/');
    expect(c.startupProbe.httpGet.path).toBe('/startupprobe/');
    const svc = find(objs, 'Service', 'oncall', NS);
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 8080 })]);
    expect(selectorMatches({ matchLabels: svc.spec.selector }, d.spec.template.metadata.labels)).toBe(true);
    const celery = find(objs, 'Deployment', 'oncall-celery', NS);
    expect(selectorMatches({ matchLabels: svc.spec.selector }, celery.spec.template.metadata.labels)).toBe(false);
    expect(d.spec.template.spec.initContainers[0].command.join(' ')).toContain('manage.py migrate --check');
  });

  test('env is typed: database by reference, secrets as secretKeyRefs, Redis URI from $(REDIS_PASSWORD), Grafana URL derived', () => {
    const objs = build().objs();
    const env = envOf(find(objs, 'Deployment', 'oncall', NS).spec.template.spec.containers[0]);
    expect(env.DATABASE_TYPE).toBe('postgresql');
    expect(env.DATABASE_HOST).toBe('oncall-db.databases.svc');
    expect(env.DATABASE_PORT).toBe('5432');
    expect(env.DATABASE_NAME).toBe('oncall');
    expect(env.DATABASE_PASSWORD).toEqual({ secretKeyRef: { name: 'oncall-db', key: 'password' } });
    expect(env.SECRET_KEY).toEqual({ secretKeyRef: { name: 'oncall', key: 'secret-key' } });
    expect(env.MIRAGE_CIPHER_IV).toEqual({ secretKeyRef: { name: 'oncall', key: 'mirage-cipher-iv' } });
    expect(env.REDIS_URI).toBe('redis://:$(REDIS_PASSWORD)@oncall-redis.monitoring.svc:6379/0');
    expect(env.BROKER_TYPE).toBe('redis');
    expect(env.GRAFANA_API_URL).toBe('http://grafana.monitoring.svc:3000');
    expect(urlResolution(env.GRAFANA_API_URL, objs)).toBeUndefined();
    expect(env.BASE_URL).toBe('http://oncall.monitoring.svc:8080');
    // $(REDIS_PASSWORD) is defined before the variable that references it
    const names = find(objs, 'Deployment', 'oncall', NS).spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(names.indexOf('REDIS_PASSWORD')).toBeLessThan(names.indexOf('REDIS_URI'));
    // no credential value anywhere in the output
    const text = JSON.stringify(objs);
    expect(text).not.toMatch(/"name":"(SECRET_KEY|DATABASE_PASSWORD|REDIS_PASSWORD|MIRAGE_SECRET_KEY)","value"/);
  });

  test('MySQL and an external Redis with TLS', () => {
    const objs = build({
      database: OnCallDatabase.mysql({ host: 'mysql.db.svc', user: 'oncall', databaseName: 'oncall_prod', passwordSecret: { secretName: 'db', key: 'pw' }, options: { ssl_mode: 'REQUIRED' } }),
      redis: OnCallRedis.external({ host: 'redis.cache.svc', port: 6380, database: 2, username: 'oncall', passwordSecret: { secretName: 'r', key: 'pw' }, tls: true }),
    }).objs();
    const env = envOf(find(objs, 'Deployment', 'oncall', NS).spec.template.spec.containers[0]);
    expect(env.DATABASE_TYPE).toBe('mysql');
    expect(env.DATABASE_PORT).toBe('3306');
    expect(env.DATABASE_NAME).toBe('oncall_prod');
    expect(env.DATABASE_OPTIONS).toBe('ssl_mode=REQUIRED');
    expect(env.REDIS_URI).toBe('rediss://oncall:$(REDIS_PASSWORD)@redis.cache.svc:6380/2');
    expect(env.REDIS_USE_SSL).toBe('true');
    expect(objs.filter((o) => o.metadata.name === 'oncall-redis')).toEqual([]);
  });

  test('celery: one worker with beat, Recreate, liveness by celery ping, schedule file on /tmp', () => {
    const objs = build().objs();
    const d = find(objs, 'Deployment', 'oncall-celery', NS);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = d.spec.template.spec.containers[0];
    expect(c.command).toEqual(['./celery_with_exporter.sh']);
    const env = envOf(c);
    expect(env.CELERY_WORKER_BEAT_ENABLED).toBe('True');
    expect(env.CELERY_BEAT_SCHEDULE_FILENAME).toBe('/tmp/celerybeat-schedule');
    expect(env.CELERY_WORKER_QUEUE.split(',')).toContain('critical');
    expect(c.livenessProbe.exec.command.join(' ')).toContain('celery -A engine inspect ping');
  });

  test('the migration Job is an Argo CD Sync hook re-created on each sync', () => {
    const objs = build().objs();
    const j = find(objs, 'Job', 'oncall-migrate', NS);
    expect(j.metadata.annotations).toEqual(expect.objectContaining({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    }));
    expect(j.spec.template.spec.restartPolicy).toBe('Never');
    expect(j.spec.template.spec.containers[0].command).toEqual(['python', 'manage.py', 'migrate', '--noinput']);
  });

  test('Redis: a StatefulSet with a PVC, password from the Secret, probes without the password on the command line', () => {
    const objs = build({ storage: { size: Size.gibibytes(5) } }).objs();
    const s = find(objs, 'StatefulSet', 'oncall-redis', NS);
    const c = s.spec.template.spec.containers[0];
    expect(c.image).toBe(Images.REDIS);
    expect(c.args.slice(0, 2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
    expect(envOf(c).REDISCLI_AUTH).toEqual({ secretKeyRef: { name: 'oncall-redis', key: 'password' } });
    expect(c.readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    expect(s.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
    const svc = find(objs, 'Service', 'oncall-redis', NS);
    expect(selectorMatches({ matchLabels: svc.spec.selector }, s.spec.template.metadata.labels)).toBe(true);
    expect(selectorMatches({ matchLabels: svc.spec.selector }, find(objs, 'Deployment', 'oncall', NS).spec.template.metadata.labels)).toBe(false);
  });

  test('the Redis image and resources can be overridden; its version label is its own', () => {
    const objs = build({
      redis: OnCallRedis.inCluster({ passwordSecret: { secretName: 'oncall-redis', key: 'password' }, image: 'mirror.example.com/library/redis:8.10.2-alpine', resources: ResourcePreset.SMALL }),
    }).objs();
    const s = find(objs, 'StatefulSet', 'oncall-redis', NS);
    expect(s.spec.template.spec.containers[0].image).toBe('mirror.example.com/library/redis:8.10.2-alpine');
    expect(s.spec.template.spec.containers[0].resources.requests.memory).toBe('256Mi');
    expect(s.metadata.labels['app.kubernetes.io/version']).toBe('8.10.2-alpine');
    expect(find(objs, 'Deployment', 'oncall', NS).metadata.labels['app.kubernetes.io/version']).toBe('1.16.9');
  });

  test('the grafana-oncall-app plugin is installed and provisioned in the Grafana, pointing at the engine Service', () => {
    const objs = build().objs();
    const cm = find(objs, 'ConfigMap', 'grafana-config', NS);
    const plugins = YAML.parse(cm.data['plugins.yaml']);
    expect(plugins).toEqual({ apiVersion: 1, apps: [{ type: 'grafana-oncall-app', org_id: 1, disabled: false, jsonData: { onCallApiUrl: 'http://oncall.monitoring.svc:8080' } }] });
    expect(urlResolution(plugins.apps[0].jsonData.onCallApiUrl, objs)).toBeUndefined();
    const ini = cm.data['grafana.ini'];
    expect(ini).toContain('preinstall_sync = grafana-oncall-app@1.16.9');
    expect(ini).toContain('enable = externalServiceAccounts');
    expect(ini).toContain('managed_service_accounts_enabled = true');
    const vol = find(objs, 'Deployment', 'grafana', NS).spec.template.spec.volumes.find((v: any) => v.name === 'config');
    expect(vol.configMap.items).toContainEqual({ key: 'plugins.yaml', path: 'provisioning/plugins/plugins.yaml' });
  });

  test('a Grafana without OnCall renders no plugins file', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: NS });
    new Grafana(chart, 'Grafana', { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } });
    const cm = find(synthApp(app), 'ConfigMap', 'grafana-config', NS);
    expect(cm.data['plugins.yaml']).toBeUndefined();
    expect(cm.data['grafana.ini']).not.toContain('preinstall_sync');
  });

  test('the Secrets are prerequisites: database password, OnCall keys, Redis password', () => {
    const { app } = build();
    const secrets = appSecretPrerequisites(app).filter((s) => !s.name.startsWith('grafana'));
    expect(secrets.map((s) => `${s.name}: ${s.keys.join(',')}`)).toEqual([
      'oncall: mirage-cipher-iv,mirage-secret-key,secret-key',
      'oncall-db: password',
      'oncall-redis: password',
    ]);
  });

  test('archived upstream: a warning at synth, once, with the alternatives', () => {
    const { oncall, objs } = build();
    expect(oncall.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => m.data)).toEqual([GRAFANA_ONCALL_ARCHIVED]);
    expect(GRAFANA_ONCALL_ARCHIVED).toMatch(/archived on 2026-03-24.*v1\.16\.9.*Grafana IRM.*AlertReceiver\.webhook.*GrafanaContactPoint\.onCall/);
    objs();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(`[WARNING] c/OnCall: ${GRAFANA_ONCALL_ARCHIVED}`);
  });

  test('the image pins have sources: the last OnCall release and the Redis tag', () => {
    expect(Images.GRAFANA_ONCALL).toBe('docker.io/grafana/oncall:v1.16.9');
    expect(IMAGE_SOURCES.GRAFANA_ONCALL).toEqual(expect.objectContaining({ tag: 'v1.16.9', date: '2026-01-08' }));
    expect(Images.REDIS.endsWith(`:${IMAGE_SOURCES.REDIS.tag}`)).toBe(true);
  });

  test('self-monitoring: a ServiceMonitor on /metrics/ selected by the app Prometheus, and the alerts parse', () => {
    const objs = build({}, { prometheus: true }).objs();
    const sm = find(objs, 'ServiceMonitor', 'oncall', NS);
    expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics/' })]);
    const rule = find(objs, 'PrometheusRule', 'oncall-alerts', NS);
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(['OnCallEngineDown', 'OnCallCeleryWorkersUnavailable', 'OnCallMigrationFailed']);
    expect(promqlErrors(objs)).toEqual([]);
    const env = envOf(find(objs, 'Deployment', 'oncall', NS).spec.template.spec.containers[0]);
    expect(env.FEATURE_PROMETHEUS_EXPORTER_ENABLED).toBe('True');
    // the wiring graph sees Grafana -> engine, engine -> Grafana, engine/celery -> Redis and the scrape
    const edges = wiringGraph(objs as any).map((e) => `${e.from.name} -> ${e.to.name} (${e.purpose})`);
    expect(edges).toEqual(expect.arrayContaining([
      'Deployment monitoring/grafana -> Deployment monitoring/oncall (datasource)',
      'Deployment monitoring/oncall -> Deployment monitoring/grafana (config URL)',
      'Deployment monitoring/oncall-celery -> StatefulSet monitoring/oncall-redis (config URL)',
    ]));
    expect(edges.some((e) => /Prometheus.* -> Deployment monitoring\/oncall \(scrape\)/.test(e))).toBe(true);
  });

  test('alertmanagerReceiver and grafanaContactPoint take the integration URL from a Secret', () => {
    const { oncall } = build();
    expect(oncall.alertmanagerReceiver('oncall', { secretName: 'oncall-am', key: 'url' }).name).toBe('oncall');
    expect(oncall.grafanaContactPoint('oncall', { secretName: 'oncall-grafana', key: 'url' }).type).toBe('oncall');
    expect(() => oncall.alertmanagerReceiver('x', { secretName: 'Bad_Name', key: 'url' })).toThrow(/\[c\/OnCall\] alertmanagerReceiver\('x'\) integrationUrl: the Secret name is missing or invalid/);
  });
});

describe('GrafanaOnCall bad input (five-part messages)', () => {
  const FIVE = /^\[c\/OnCall\] .+\. Received: .+; expected: .+\. Fix: .+/s;

  test.each([
    ['a missing database reference', { database: undefined }, /needs 'database'.*none is bundled/],
    ['a database given as a URL string', { database: 'postgres://oncall@db:5432/oncall' }, /needs 'database'/],
    ['a bad database host', { database: OnCallDatabase.postgres({ host: 'http://db:5432', user: 'u', passwordSecret: { secretName: 's', key: 'k' } }) }, /'database\.host' is not a valid hostname/],
    ['a port out of range', { database: OnCallDatabase.mysql({ host: 'db', port: 70000, user: 'u', passwordSecret: { secretName: 's', key: 'k' } }) }, /'database\.port' is not a valid port/],
    ['a port as a string', { database: OnCallDatabase.mysql({ host: 'db', port: '5432' as any, user: 'u', passwordSecret: { secretName: 's', key: 'k' } }) }, /'database\.port' is not a valid port.*pass a number such as 5432/s],
    ['no database user', { database: OnCallDatabase.postgres({ host: 'db', user: '', passwordSecret: { secretName: 's', key: 'k' } }) }, /'database\.user' must be a user name/],
    ['an invalid database name', { database: OnCallDatabase.postgres({ host: 'db', user: 'u', databaseName: 'on call', passwordSecret: { secretName: 's', key: 'k' } }) }, /'database\.databaseName' is not a database name/],
    ['no database password Secret', { database: OnCallDatabase.postgres({ host: 'db', user: 'u', passwordSecret: undefined as any }) }, /'database\.passwordSecret' has no credential reference/],
    ['an invalid Secret name', { database: OnCallDatabase.postgres({ host: 'db', user: 'u', passwordSecret: { secretName: 'Oncall_DB', key: 'k' } }) }, /'database\.passwordSecret': the Secret name is missing or invalid/],
    ['an invalid Secret key', { database: OnCallDatabase.postgres({ host: 'db', user: 'u', passwordSecret: { secretName: 'db', key: 'pass word' } }) }, /'database\.passwordSecret': no key of Secret 'db' is named/],
    ['an unparseable driver option', { database: OnCallDatabase.postgres({ host: 'db', user: 'u', passwordSecret: { secretName: 's', key: 'k' }, options: { sslmode: 'verify full' } }) }, /'database\.options' has an entry OnCall cannot parse/],
    ['a missing Redis', { redis: undefined }, /needs 'redis'/],
    ['no Redis password Secret', { redis: OnCallRedis.inCluster({ passwordSecret: undefined as any }) }, /'redis\.passwordSecret' has no credential reference/],
    ['a bad Redis image', { redis: OnCallRedis.inCluster({ passwordSecret: { secretName: 'r', key: 'k' }, image: 'Redis 8' }) }, /'redis\.image' is not a valid image reference/],
    ['a bad external Redis host', { redis: OnCallRedis.external({ host: 'redis://cache:6379', passwordSecret: { secretName: 'r', key: 'k' } }) }, /'redis\.host' is not a valid hostname/],
    ['a Redis database out of range', { redis: OnCallRedis.external({ host: 'cache', database: 16, passwordSecret: { secretName: 'r', key: 'k' } }) }, /'redis\.database' must be an integer from 0 to 15/],
    ['storage with an external Redis', { redis: OnCallRedis.external({ host: 'cache', passwordSecret: { secretName: 'r', key: 'k' } }), storage: { size: Size.gibibytes(2) } }, /'storage' is set, but Redis is external/],
    ['a missing OnCall Secret', { secret: undefined }, /needs 'secret'.*kubectl create secret generic oncall/s],
    ['an invalid OnCall Secret name', { secret: { name: 'OnCall' } }, /'secret\.name'/],
    ['an invalid OnCall Secret key', { secret: { name: 'oncall', mirageCipherIvKey: 'iv/16' } }, /'secret\.mirageCipherIvKey' is not a valid Secret key/],
    ['a missing Grafana', { grafana: undefined }, /needs 'grafana'/],
    ['a Grafana URL instead of the construct', { grafana: 'http://grafana:3000' }, /needs 'grafana'.*received: "string"/is],
    ['engine replicas below 1', { replicas: 0 }, /'replicas' must be an integer from 1 up/],
    ['celery replicas below 1', { celery: { replicas: 0 } }, /'celery\.replicas' must be an integer from 1 up/],
    ['two celery workers (beat twice)', { celery: { replicas: 2 } }, /'celery\.replicas' above 1 would run celery beat more than once/],
    ['a bad base URL', { baseUrl: 'oncall.example.com' }, /'baseUrl' is not a valid http\/https URL.*add the scheme/s],
    ['a name too long for the suffixes', { name: 'a-very-long-oncall-installation-name' }, /name/],
  ])('%s', (_what, props, message) => {
    const msg = error(props);
    expect(msg).toMatch(message);
    expect(msg).toMatch(FIVE);
  });

  test('a second OnCall in the same Grafana fails (one engine per plugin)', () => {
    const { chart, grafana } = build();
    expect(() => new GrafanaOnCall(chart, 'OnCall2', { name: 'oncall2', database: DB, redis: REDIS, secret: { name: 'oncall' }, grafana }))
      .toThrow(/app plugin 'grafana-oncall-app' is provisioned twice in this Grafana.*Received: c\/OnCall and c\/OnCall2/s);
  });
});


describe('GrafanaOnCall in an app with NetworkPolicies and Argo CD waves', () => {
  test('LgtmNetworkPolicies admit Grafana to the engine and the engine and workers to Redis, from the wiring graph', () => {
    const { app, chart } = build();
    new Namespace(chart, 'Ns', { name: NS });
    new LgtmNetworkPolicies(chart, 'Net');
    const objs = synthApp(app);
    const policy = (name: string) => objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
    const engine = policy('lgtm-allow-deployment-oncall');
    expect(engine).toBeDefined();
    const from = engine!.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    expect(from).toContain('grafana');
    expect(engine!.spec.ingress.every((r: any) => r.ports[0].port === 8080 || r.ports[0].port === 'http')).toBe(true);
    const redis = policy('lgtm-allow-statefulset-oncall-redis');
    const redisFrom = redis!.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/component']).sort();
    expect(redisFrom).toEqual(expect.arrayContaining(['celery', 'engine']));
    const grafana = policy('lgtm-allow-deployment-grafana');
    expect(grafana!.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/component'])).toContain('engine');
  });

  test('every OnCall object syncs with Grafana and alerting (wave 10), the migration Job too; its monitor with the collectors', () => {
    const { app } = build();
    ArgoCdSyncAnnotations.applyTo(app);
    const objs = synthApp(app).filter((o) => o.metadata.name.startsWith('oncall'));
    expect(objs.length).toBeGreaterThan(5);
    // monitors sync with the collectors (wave 5), like every ServiceMonitor
    for (const o of objs) expect([o.kind, o.metadata.annotations?.['argocd.argoproj.io/sync-wave']]).toEqual([o.kind, o.kind === 'ServiceMonitor' ? '5' : '10']);
  });
});
