import { App, Chart, Duration, Size } from 'cdk8s';
import { GrafanaIniKeys } from '../../src/core/config-keys/check';
import { Images } from '../../src/core/images';
import { DatasourceKind } from '../../src/core/interfaces';
import {
  AlertComparison, Grafana, GrafanaContactPoint, GrafanaDatabase, TraceIdMatcher,
} from '../../src/grafana';
import { AlertMatcher, AlertReceiver, MatchOperator } from '../../src/prometheus';
import { AlertSeverity } from '../../src/rules';
import { find, K8sObject, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';
import { backends, FakeBackend, FakeDashboard } from './doubles';

const ADMIN = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };
const SLACK = { secretName: 'slack-webhook', key: 'url' };
// Values a careless implementation could leak into the YAML; the tests never give them to the library.
const SECRET_VALUES = ['hooks.slack.com/services/T000/B000/s3cr3t', 'admin-p4ssw0rd', 'pd-int3gration-key'];

function stack(props: Partial<ConstructorParameters<typeof Grafana>[2]> = {}) {
  const app = new App();
  const data = new Chart(app, '10-data');
  const b = backends(data);
  const chart = new Chart(app, '50-grafana');
  const grafana = new Grafana(chart, 'Grafana', { namespace: 'monitoring', adminSecret: ADMIN, ...props });
  return { app, chart, grafana, b };
}

function fullStack() {
  const s = stack();
  const { grafana, b } = s;
  grafana.addDatasource(b.prometheus);
  grafana.addDatasource(b.alertmanager);
  grafana.addDatasource(b.loki);
  grafana.addDatasource(b.tempo);
  grafana.addDatasource(b.pyroscope);
  grafana.addDashboard(new FakeDashboard(s.chart, 'Dash', 'platform-overview', 'Platform Overview', 'Platform', DatasourceKind.PROMETHEUS));
  grafana.addDashboard(new FakeDashboard(s.chart, 'Logs', 'logs', 'Logs', 'Platform', DatasourceKind.LOKI));
  grafana.addDashboard(new FakeDashboard(s.chart, 'Self', 'self', 'Self', 'LGTM Self-monitoring', DatasourceKind.PROMETHEUS));
  const slack = GrafanaContactPoint.slack({ name: 'slack-alerts', webhookUrl: SLACK, recipient: '#alerts' });
  const pd = GrafanaContactPoint.pagerDuty({ name: 'pagerduty', integrationKey: { secretName: 'pagerduty', key: 'integration-key' } });
  grafana.alerting.applyNotificationPolicy({
    defaultReceiver: slack,
    routes: [{ receiver: pd, matchers: [AlertMatcher.eq('severity', 'critical')] }],
  });
  grafana.alerting.addContactPoint(pd); // registration order is free: routes are checked at synth
  grafana.alerting.addAlertRule({
    alert: 'High error rate',
    datasource: b.prometheus,
    expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
    threshold: 0.05,
    pendingFor: Duration.minutes(5),
    summary: 'Error rate above 5 % for 5 minutes ({{ $values.A }})',
    receiver: slack,
  });
  return s;
}

function configFile(objs: K8sObject[], key: string): any {
  const cm = find(objs, 'ConfigMap', 'grafana-config', 'monitoring');
  return cm.data[key];
}

describe('Grafana', () => {
  test('whole output: schema, Pod Security restricted, snapshot', () => {
    const { app } = fullStack();
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    expect(objs.filter((o) => o.metadata.namespace === 'monitoring' && (o.metadata.labels?.['app.kubernetes.io/name'] === 'grafana'))).toMatchSnapshot();
  });

  test('datasource provisioning parses back: URLs resolve to emitted Services, correlation UIDs exist', () => {
    const objs = synthApp(fullStack().app);
    const file = YAML.parse(configFile(objs, 'datasources.yaml'));
    expect(file.apiVersion).toBe(1);
    const ds: any[] = file.datasources;
    expect(ds.map((d) => d.uid)).toEqual(['prometheus', 'alertmanager', 'loki', 'tempo', 'pyroscope']);
    for (const d of ds) expect(urlResolution(d.url, objs)).toBeUndefined();
    const uids = new Set(ds.map((d) => d.uid));
    const linked: string[] = [];
    const byUid = Object.fromEntries(ds.map((d) => [d.uid, d]));
    linked.push(...byUid.prometheus.jsonData.exemplarTraceIdDestinations.map((x: any) => x.datasourceUid));
    linked.push(...byUid.loki.jsonData.derivedFields.map((x: any) => x.datasourceUid));
    const t = byUid.tempo.jsonData;
    linked.push(t.tracesToLogsV2.datasourceUid, t.tracesToMetrics.datasourceUid, t.serviceMap.datasourceUid, t.tracesToProfiles.datasourceUid);
    expect(linked).toEqual(['tempo', 'tempo', 'loki', 'prometheus', 'prometheus', 'pyroscope']);
    for (const u of linked) expect(uids.has(u)).toBe(true);
  });

  test('correlation settings: exemplars, derived field on structured metadata, tenant header, default datasource', () => {
    const objs = synthApp(fullStack().app);
    const raw = configFile(objs, 'datasources.yaml');
    const byUid = Object.fromEntries(YAML.parse(raw).datasources.map((d: any) => [d.uid, d]));
    expect(byUid.prometheus.isDefault).toBe(true);
    expect(byUid.loki.isDefault).toBe(false);
    expect(byUid.prometheus.jsonData.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'tempo' }]);
    expect(byUid.loki.jsonData.derivedFields[0]).toMatchObject({ matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: 'tempo' });
    // Grafana interpolates environment variables in provisioning files: Grafana macros are escaped with $$.
    expect(byUid.loki.jsonData.derivedFields[0].url).toBe('$${__value.raw}');
    expect(byUid.tempo.jsonData.tracesToMetrics.queries[0].query).toContain('{$$__tags}');
    expect(byUid.loki.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
    expect(byUid.loki.secureJsonData.httpHeaderValue1).toBe('team-a');
    expect(byUid.prometheus.jsonData.httpHeaderName1).toBeUndefined();
    expect(byUid.alertmanager.jsonData).toEqual({ implementation: 'prometheus', handleGrafanaManagedAlerts: false });
  });

  test('trace ID matcher by regex and UID override', () => {
    const { app, grafana, b } = stack();
    grafana.addDatasource(b.loki, { traceIdMatcher: TraceIdMatcher.regex('traceID=(\\w+)') });
    grafana.addDatasource(b.tempo, { uid: 'traces' });
    const objs = synthApp(app);
    const ds = YAML.parse(configFile(objs, 'datasources.yaml')).datasources;
    expect(ds[0].jsonData.derivedFields[0]).toMatchObject({ matcherType: 'regex', matcherRegex: 'traceID=(\\w+)', datasourceUid: 'traces' });
    expect(ds[1].uid).toBe('traces');
    expect(grafana.datasources.all.map((d) => d.uid)).toEqual(['loki', 'traces']);
  });

  test('external datasource: basic-auth password by Secret reference', () => {
    const { app, grafana } = stack();
    grafana.addExternalDatasource({
      kind: DatasourceKind.PROMETHEUS,
      name: 'Mimir',
      uid: 'mimir',
      url: 'https://mimir.example.com/prometheus',
      implementation: 'mimir',
      tenantId: 'prod',
      basicAuthUser: 'grafana',
      basicAuthPassword: { secretName: 'mimir-auth', key: 'password' },
    });
    const objs = synthApp(app);
    const d = YAML.parse(configFile(objs, 'datasources.yaml')).datasources[0];
    expect(d).toMatchObject({ type: 'prometheus', url: 'https://mimir.example.com/prometheus', basicAuth: true, basicAuthUser: 'grafana' });
    expect(d.jsonData.prometheusType).toBe('Mimir');
    expect(d.secureJsonData.basicAuthPassword).toBe('${LGTM_SECRET_MIMIR_AUTH_PASSWORD}');
    const env = find(objs, 'Deployment', 'grafana').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'LGTM_SECRET_MIMIR_AUTH_PASSWORD', valueFrom: { secretKeyRef: { name: 'mimir-auth', key: 'password' } } });
  });

  test('grafana.ini: secure defaults, root URL from the Ingress, cookie_secure with TLS', () => {
    const { app } = stack({ ingress: { host: 'grafana.example.com', tlsSecretName: 'grafana-tls', ingressClassName: 'nginx' } });
    const objs = synthApp(app);
    const ini: string = configFile(objs, 'grafana.ini');
    for (const line of [
      '[auth.anonymous]\nenabled = false',
      'reporting_enabled = false', 'check_for_updates = false', 'check_for_plugin_updates = false',
      'root_url = https://grafana.example.com/', 'cookie_secure = true', 'provisioning = /etc/grafana/provisioning',
      '[users]\nallow_sign_up = false',
    ]) expect(ini).toContain(line);
    const ing = find(objs, 'Ingress', 'grafana', 'monitoring');
    expect(ing.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ hosts: ['grafana.example.com'], secretName: 'grafana-tls' }] });
    expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'grafana', port: { name: 'http' } });
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('every section and key the library renders into grafana.ini is in the Grafana 13 key list', () => {
    for (const props of [{ ingress: { host: 'g.example.com', tlsSecretName: 't' } }, { replicas: 2, database: GrafanaDatabase.postgres({ host: 'pg', name: 'g', user: 'g', passwordSecret: { secretName: 'pg', key: 'p' } }) },
      { smtp: { host: 'smtp:587', user: 'u', passwordSecret: { secretName: 's', key: 'p' }, fromAddress: 'a@b.c' } }] as any[]) {
      let section = '';
      const unknown: string[] = [];
      for (const line of configFile(synthApp(stack(props).app), 'grafana.ini').split('\n')) {
        const sec = /^\[(.+)\]$/.exec(line);
        if (sec) {
          section = sec[1];
          if (!GrafanaIniKeys.hasSection(section)) unknown.push(`[${section}]`);
        }
        const key = /^([^#;=\s]+) = /.exec(line);
        if (key && !GrafanaIniKeys.isOpen(section) && !GrafanaIniKeys.keysOf(section).includes(key[1])) unknown.push(`${section}.${key[1]}`);
      }
      expect(unknown).toEqual([]);
    }
    expect(GrafanaIniKeys.VERSION).toBe('13.x');
    expect(Images.GRAFANA).toMatch(/:13\./);
  });

  test('ini overrides are merged and rendered deterministically', () => {
    const { app } = stack({ ini: { 'auth.generic_oauth': { enabled: 'true', name: 'SSO' }, 'log': { level: 'debug' } } });
    const ini: string = configFile(synthApp(app), 'grafana.ini');
    expect(ini).toContain('[log]\nmode = console\nlevel = debug');
    expect(ini.trim().endsWith('[auth.generic_oauth]\nenabled = true\nname = SSO')).toBe(true);
  });

  test('Deployment: Recreate + PVC, admin credentials from the Secret, probes, checksum, uid 472', () => {
    const objs = synthApp(fullStack().app);
    const dep = find(objs, 'Deployment', 'grafana', 'monitoring');
    expect(dep.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = dep.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 472, runAsGroup: 472, fsGroup: 472, runAsNonRoot: true });
    const c = pod.containers[0];
    expect(c.image).toBe('docker.io/grafana/grafana:13.1.3');
    expect(c.env).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } } });
    expect(c.env).toContainEqual({ name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-user' } } });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    expect(pod.volumes).toContainEqual({ name: 'storage', persistentVolumeClaim: { claimName: 'grafana' } });
    const pvc = find(objs, 'PersistentVolumeClaim', 'grafana', 'monitoring');
    expect(pvc.spec.resources.requests.storage).toBe('10Gi');
    expect(dep.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    const svc = find(objs, 'Service', 'grafana', 'monitoring');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }]);
    const sm = find(objs, 'ServiceMonitor', 'grafana', 'monitoring');
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
  });

  test('any provisioning change rolls the pod (checksum differs)', () => {
    const checksum = (extra: (g: Grafana, b: ReturnType<typeof backends>, c: Chart) => void) => {
      const s = stack();
      s.grafana.addDatasource(s.b.prometheus);
      extra(s.grafana, s.b, s.chart);
      return find(synthApp(s.app), 'Deployment', 'grafana').spec.template.metadata.annotations['checksum/config'];
    };
    const base = checksum(() => {});
    expect(checksum(() => {})).toBe(base);
    expect(checksum((g, b) => g.addDatasource(b.loki))).not.toBe(base);
    expect(checksum((g, _b, c) => g.addDashboard(new FakeDashboard(c, 'D', 'd1', 'D', 'F', DatasourceKind.PROMETHEUS)))).not.toBe(base);
    expect(checksum((g) => g.alerting.addContactPoint(GrafanaContactPoint.slack({ name: 's', webhookUrl: SLACK })))).not.toBe(base);
  });

  test('dashboards: one ConfigMap per dashboard, projected per folder, one file provider per folder', () => {
    const objs = synthApp(fullStack().app);
    const cm = find(objs, 'ConfigMap', 'grafana-dashboard-platform-overview', 'monitoring');
    expect(Object.keys(cm.data)).toEqual(['platform-overview.json']);
    expect(JSON.parse(cm.data['platform-overview.json']).panels[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    const pod = find(objs, 'Deployment', 'grafana').spec.template.spec;
    const vol = pod.volumes.find((v: any) => v.name === 'dashboards-platform');
    expect(vol.projected.sources.map((s: any) => s.configMap.name)).toEqual(['grafana-dashboard-platform-overview', 'grafana-dashboard-logs']);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'dashboards-platform', mountPath: '/var/lib/grafana/dashboards/platform', readOnly: true });
    const providers = YAML.parse(configFile(objs, 'dashboards.yaml')).providers;
    expect(providers.map((p: any) => [p.folder, p.options.path])).toEqual([
      ['LGTM Self-monitoring', '/var/lib/grafana/dashboards/lgtm-self-monitoring'],
      ['Platform', '/var/lib/grafana/dashboards/platform'],
    ]);
    const items = pod.volumes.find((v: any) => v.name === 'config').configMap.items;
    expect(items).toContainEqual({ key: 'dashboards.yaml', path: 'provisioning/dashboards/dashboards.yaml' });
  });

  test('alerting: contact points by Secret reference, policy tree, seed-000 rule routed to Slack', () => {
    const objs = synthApp(fullStack().app);
    const raw: string = configFile(objs, 'alerting.yaml');
    const a = YAML.parse(raw);
    const slack = a.contactPoints.find((c: any) => c.name === 'slack-alerts');
    expect(slack.receivers[0]).toMatchObject({ type: 'slack', settings: { url: '${LGTM_SECRET_SLACK_WEBHOOK_URL}', recipient: '#alerts' } });
    expect(a.policies[0]).toMatchObject({ receiver: 'slack-alerts', group_by: ['grafana_folder', 'alertname'] });
    expect(a.policies[0].routes[0]).toEqual({ receiver: 'pagerduty', object_matchers: [['severity', '=', 'critical']] });
    const rule = a.groups[0].rules[0];
    expect(a.groups[0]).toMatchObject({ name: 'default', folder: 'Alerts', interval: '1m' });
    expect(rule).toMatchObject({ uid: 'high-error-rate', title: 'High error rate', condition: 'C', for: '5m', notification_settings: { receiver: 'slack-alerts' } });
    expect(rule.data[0]).toMatchObject({ datasourceUid: 'prometheus', model: { datasource: { type: 'prometheus', uid: 'prometheus' } } });
    expect(rule.data[1].model.conditions[0].evaluator).toEqual({ type: 'gt', params: [0.05] });
    // Annotations and query models are not interpolated by Grafana: they keep a single '$'.
    expect(rule.annotations.summary).toContain('{{ $values.A }}');
    expect(rule.data[0].model.expr).toBe('sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))');
    const env = find(objs, 'Deployment', 'grafana').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'LGTM_SECRET_SLACK_WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'slack-webhook', key: 'url' } } });
    expect(env).toContainEqual({ name: 'LGTM_SECRET_PAGERDUTY_INTEGRATION_KEY', valueFrom: { secretKeyRef: { name: 'pagerduty', key: 'integration-key' } } });
  });

  test('on-call routing: OnCall/IRM, Opsgenie and webhook contact points', () => {
    const { app, grafana } = stack();
    grafana.alerting.addContactPoint(GrafanaContactPoint.onCall({ name: 'oncall', integrationUrl: { secretName: 'oncall', key: 'url' } }));
    grafana.alerting.addContactPoint(GrafanaContactPoint.opsgenie({ name: 'opsgenie', apiKey: { secretName: 'opsgenie', key: 'api-key' } }));
    grafana.alerting.addContactPoint(GrafanaContactPoint.webhook({ name: 'irm', url: 'https://irm.example.com/hook', authorizationCredentials: { secretName: 'irm', key: 'token' } }));
    const a = YAML.parse(configFile(synthApp(app), 'alerting.yaml'));
    expect(a.contactPoints.map((c: any) => c.receivers[0].type)).toEqual(['oncall', 'opsgenie', 'webhook']);
    expect(a.contactPoints[0].receivers[0].settings.url).toBe('${LGTM_SECRET_ONCALL_URL}');
    expect(a.contactPoints[2].receivers[0].settings).toMatchObject({ url: 'https://irm.example.com/hook', authorization_scheme: 'Bearer', authorization_credentials: '${LGTM_SECRET_IRM_TOKEN}' });
  });

  test('e-mail through SMTP with the password from a Secret', () => {
    const { app, grafana } = stack({ smtp: { host: 'smtp.example.com:587', fromAddress: 'grafana@example.com', user: 'grafana', passwordSecret: { secretName: 'smtp', key: 'password' } } });
    grafana.alerting.addContactPoint(GrafanaContactPoint.email({ name: 'email', addresses: ['a@example.com', 'b@example.com'] }));
    const objs = synthApp(app);
    expect(YAML.parse(configFile(objs, 'alerting.yaml')).contactPoints[0].receivers[0].settings.addresses).toBe('a@example.com;b@example.com');
    expect(configFile(objs, 'grafana.ini')).toContain('[smtp]\nenabled = true\nhost = smtp.example.com:587\nuser = grafana');
    expect(find(objs, 'Deployment', 'grafana').spec.template.spec.containers[0].env).toContainEqual({ name: 'GF_SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp', key: 'password' } } });
  });

  test('Loki alert rule uses LogQL', () => {
    const { app, grafana, b } = stack();
    grafana.addDatasource(b.loki);
    grafana.alerting.addAlertRule({ alert: 'Error logs', datasource: b.loki, expr: 'sum(count_over_time({namespace="dev"} |= "error" [5m]))', threshold: 10, labels: { cost: '$5' } });
    const rule = YAML.parse(configFile(synthApp(app), 'alerting.yaml')).groups[0].rules[0];
    expect(rule.data[0].model).toMatchObject({ queryType: 'instant', datasource: { type: 'loki', uid: 'loki' } });
    expect(rule.labels.cost).toBe('$$5'); // labels are interpolated: '$' escaped
  });

  test('external PostgreSQL: several replicas, RollingUpdate, HA gossip, password from a Secret', () => {
    const { app } = stack({ replicas: 2, database: GrafanaDatabase.postgres({ host: 'pg.db.svc', name: 'grafana', user: 'grafana', passwordSecret: { secretName: 'grafana-db', key: 'password' } }) });
    const objs = synthApp(app);
    const dep = find(objs, 'Deployment', 'grafana');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy.type).toBe('RollingUpdate');
    expect(objs.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(dep.spec.template.spec.containers[0].env).toContainEqual({ name: 'GF_DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-db', key: 'password' } } });
    const ini: string = configFile(objs, 'grafana.ini');
    expect(ini).toContain('type = postgres\nhost = pg.db.svc:5432');
    expect(ini).toContain('ha_peers = grafana-alerting.monitoring.svc:9094');
    expect(urlResolution('http://grafana-alerting.monitoring.svc:9094', objs)).toBeUndefined();
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('sqlite size and storage class (the shared storage prop)', () => {
    const { app } = stack({ database: GrafanaDatabase.sqlite(), storage: { size: Size.gibibytes(5), storageClassName: 'fast' } });
    const pvc = find(synthApp(app), 'PersistentVolumeClaim', 'grafana');
    expect(pvc.spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } });
  });

  test('fails on storage with an external database', () => {
    expect(() => stack({
      replicas: 2,
      database: GrafanaDatabase.postgres({ host: 'db', name: 'grafana', user: 'grafana', passwordSecret: { secretName: 'db', key: 'password' } }),
      storage: { size: Size.gibibytes(5) },
    })).toThrow(/'storage' is set, but an external database needs no volume/);
  });

  test('namespace: the prop, else the Chart namespace, else monitoring; a ServiceAccount of its own', () => {
    const app = new App();
    const g1 = new Grafana(new Chart(app, 'a', { namespace: 'observability' }), 'Grafana', { adminSecret: ADMIN });
    const g2 = new Grafana(new Chart(app, 'b'), 'Grafana', { adminSecret: ADMIN });
    expect([g1.namespace, g2.namespace]).toEqual(['observability', 'monitoring']);
    expect(g2.serviceAccount).toBeDefined();
    expect(find(synthApp(app), 'Deployment', 'grafana', 'monitoring').spec.template.spec.serviceAccountName).toBe('grafana');
  });

  test('no credential in the YAML', () => {
    const objs = synthApp(fullStack().app);
    const all = YAML.stringify(objs);
    for (const v of SECRET_VALUES) expect(all).not.toContain(v);
    expect(all).not.toMatch(/password\s*=\s*\S/); // no password in grafana.ini
    for (const o of objs) expect(o.kind).not.toBe('Secret');
  });
});

describe('Grafana bad input', () => {
  test('fails when the admin Secret is missing, saying how to create it', () => {
    const chart = new Chart(new App(), 'c');
    expect(() => new Grafana(chart, 'G', { namespace: 'monitoring' } as any)).toThrow(
      /needs 'adminSecret'.*kubectl create secret generic grafana-admin -n monitoring --from-literal=admin-user=admin --from-literal=admin-password=/,
    );
  });

  test('fails when the admin Secret names no key', () => {
    const chart = new Chart(new App(), 'c');
    expect(() => new Grafana(chart, 'G', { namespace: 'monitoring', adminSecret: { name: 'grafana-admin' } as any })).toThrow(
      /'adminSecret' \(user, Secret 'grafana-admin'\): no key of Secret 'grafana-admin' is named/,
    );
    expect(() => new Grafana(chart, 'H', { namespace: 'monitoring', adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: '' } })).toThrow(
      /\(password, Secret 'grafana-admin'\): no key of Secret 'grafana-admin' is named/,
    );
  });

  test('fails when a datasource belongs to another app', () => {
    const { grafana } = stack();
    const other = new Chart(new App(), 'other');
    const foreign = new FakeBackend(other, 'Prom', DatasourceKind.PROMETHEUS, { name: 'prometheus' });
    expect(() => grafana.addDatasource(foreign)).toThrow(/datasource 'other\/Prom' belongs to another app.*addExternalDatasource/);
  });

  test('fails on a duplicate datasource UID', () => {
    const { grafana, b, chart } = stack();
    grafana.addDatasource(b.prometheus);
    const second = new FakeBackend(chart, 'Prom2', DatasourceKind.PROMETHEUS, { name: 'prometheus-2', uid: 'prometheus' });
    expect(() => grafana.addDatasource(second)).toThrow(/duplicate datasource UID 'prometheus'.*give one of them another UID/);
  });

  test('fails when a correlation refers to a UID that does not exist (at synth)', () => {
    const { app, grafana, b } = stack();
    grafana.addDatasource(b.loki, { correlateWith: { tracesUid: 'tempo-missing' } });
    expect(() => synthApp(app)).toThrow(/links \(derivedFields\) to an unknown datasource UID 'tempo-missing'/);
  });

  test('fails when a contact point has no credential reference', () => {
    const { grafana } = stack();
    expect(() => grafana.alerting.addContactPoint(GrafanaContactPoint.slack({ name: 'slack' }))).toThrow(/contact point 'slack' \(slack\) has no credential reference/);
    expect(() => grafana.alerting.addContactPoint(GrafanaContactPoint.pagerDuty({ name: 'pd' } as any))).toThrow(/contact point 'pd' \(pagerduty\) has no credential reference/);
    expect(() => grafana.alerting.addContactPoint(GrafanaContactPoint.webhook({ name: 'hook', url: 'https://x.example.com' }))).toThrow(/contact point 'hook' \(webhook\) has no credential reference/);
    expect(() => grafana.alerting.addContactPoint(GrafanaContactPoint.slack({ name: 'slack2', webhookUrl: { secretName: 'slack' } as any }))).toThrow(/no key of Secret 'slack' is named/);
    expect(() => grafana.alerting.addContactPoint(GrafanaContactPoint.email({ name: 'mail', addresses: ['a@example.com'] }))).toThrow(/'mail' has no credential reference: this Grafana has no SMTP server/);
  });

  test('fails when a dashboard references an unknown datasource (renderJson error propagates at synth)', () => {
    const { app, grafana, b, chart } = stack();
    grafana.addDatasource(b.prometheus);
    grafana.addDashboard(new FakeDashboard(chart, 'D', 'logs', 'Logs', 'Platform', DatasourceKind.LOKI));
    expect(() => synthApp(app)).toThrow(/dashboard 'logs' references an unknown datasource of kind loki/);
  });

  test('fails when a dashboard is too large for a ConfigMap', () => {
    const { app, grafana, b, chart } = stack();
    grafana.addDatasource(b.prometheus);
    grafana.addDashboard(new FakeDashboard(chart, 'Big', 'big', 'Big', 'Platform', DatasourceKind.PROMETHEUS, 1_100_000));
    expect(() => synthApp(app)).toThrow(/dashboard 'big' is too large for a ConfigMap/);
  });

  test('fails on invalid PromQL in an alert rule', () => {
    const { grafana, b } = stack();
    grafana.addDatasource(b.prometheus);
    expect(() => grafana.alerting.addAlertRule({ alert: 'Bad', datasource: b.prometheus, expr: 'sum(rate(x[5m])', threshold: 1 })).toThrow(/alert rule 'Bad': invalid PromQL at position/);
  });

  test('fails on replicas > 1 with SQLite', () => {
    expect(() => stack({ replicas: 2 })).toThrow(/'replicas' above 1 needs an external database/);
  });

  test('fails on an alert rule whose datasource was never added (at synth)', () => {
    const { app, grafana } = stack();
    grafana.alerting.addAlertRule({ alert: 'R', datasourceUid: 'nope', expr: 'up == 0', threshold: 0, comparison: AlertComparison.ABOVE });
    expect(() => synthApp(app)).toThrow(/alert rule 'R' uses a datasource this Grafana does not have/);
  });

  test('fails on an annotation that Grafana would interpolate', () => {
    const { grafana, b } = stack();
    grafana.addDatasource(b.prometheus);
    expect(() => grafana.alerting.addAlertRule({ alert: 'T', datasource: b.prometheus, expr: 'up == 0', threshold: 0, summary: 'down ${X}' })).toThrow(/'summary' contains '\$\{'/);
  });

  test('fails on a catch-all route that hides its later siblings', () => {
    const { grafana } = stack();
    const s = GrafanaContactPoint.slack({ name: 's', webhookUrl: SLACK });
    const t = grafana.alerting.addContactPoint(GrafanaContactPoint.slack({ name: 't', webhookUrl: SLACK }));
    expect(() => grafana.alerting.applyNotificationPolicy({ defaultReceiver: s, routes: [{ receiver: t, matchers: [] }, { receiver: t, matchers: [AlertMatcher.eq('a', 'b')] }] }))
      .toThrow(/\[50-grafana\/Grafana\] routes\[0\] \(to 't'\) has no matchers and does not continue, so the 1 route\(s\) after it are never reached\. Received: .*; expected: .*\. Fix: /);
    // a last catch-all route, or one that continues, is fine
    grafana.alerting.applyNotificationPolicy({ defaultReceiver: s, routes: [{ receiver: t, continueMatching: true }, { receiver: t }] });
    expect(MatchOperator.REGEX).toBe('=~');
  });

  test('fails at synth when a route or a rule sends to a contact point that is not registered', () => {
    const { app, grafana, b } = stack();
    grafana.addDatasource(b.prometheus);
    const s = GrafanaContactPoint.slack({ name: 's', webhookUrl: SLACK });
    const pd = GrafanaContactPoint.pagerDuty({ name: 'pd', integrationKey: { secretName: 'pd', key: 'key' } });
    grafana.alerting.applyNotificationPolicy({ defaultReceiver: s, routes: [{ receiver: pd, matchers: [AlertMatcher.eq('severity', 'critical')] }] });
    grafana.alerting.addAlertRule({ alert: 'Down', datasource: b.prometheus, expr: 'up', threshold: 1, comparison: AlertComparison.BELOW, receiver: pd });
    expect(() => synthApp(app)).toThrow(/notification policy routes\[0\] sends alerts to receiver 'pd', which is not registered on Grafana 'grafana'\. Received: "pd"; expected: one of the registered receivers: "s"\. Fix: register it with grafana\.alerting\.addContactPoint/);
    expect(() => synthApp(app)).toThrow(/alert rule 'Down' sends alerts to receiver 'pd', which is not registered/);
  });

  test('fails when a route sends to an Alertmanager receiver', () => {
    const { app, grafana } = stack();
    const s = GrafanaContactPoint.slack({ name: 's', webhookUrl: SLACK });
    const am = AlertReceiver.slack('am-slack', { apiUrl: { secretName: 'x', key: 'url' } });
    grafana.alerting.applyNotificationPolicy({ defaultReceiver: s, routes: [{ receiver: am, matchers: [AlertMatcher.eq('a', 'b')] }] });
    expect(() => synthApp(app)).toThrow(/routes\[0\] sends alerts to 'am-slack', a receiver of an Alertmanager, which Grafana 'grafana' cannot use\. Received: a alertmanager receiver; expected: a grafana receiver \(GrafanaContactPoint\)/);
    expect(() => grafana.alerting.addContactPoint(am as any)).toThrow(/addContactPoint\(\) needs a GrafanaContactPoint/);
  });

  test('fails on two contact points with the same name, and on a second policy', () => {
    const { grafana } = stack();
    const a = GrafanaContactPoint.slack({ name: 'team', webhookUrl: SLACK });
    grafana.alerting.addContactPoint(a);
    grafana.alerting.addContactPoint(a); // the same object: idempotent
    expect(() => grafana.alerting.addContactPoint(GrafanaContactPoint.slack({ name: 'team', webhookUrl: SLACK })))
      .toThrow(/duplicate contact point name 'team'\. Received: two GrafanaContactPoint objects named "team"; expected: unique contact point names/);
    grafana.alerting.applyNotificationPolicy({ defaultReceiver: a });
    expect(() => grafana.alerting.applyNotificationPolicy({ defaultReceiver: a })).toThrow(/the notification policy is applied twice/);
  });

  test('Grafana rules share the alert-rule fields: severity label, runbook, label checks', () => {
    const { app, grafana, b } = stack();
    grafana.addDatasource(b.prometheus);
    grafana.alerting.addAlertRule({ alert: 'Sev', datasource: b.prometheus, expr: 'up', threshold: 1, severity: AlertSeverity.CRITICAL, runbookUrl: 'https://runbooks.example.com/sev' });
    const rule = YAML.parse(configFile(synthApp(app), 'alerting.yaml')).groups[0].rules[0];
    expect(rule.labels).toEqual({ severity: 'critical' });
    expect(rule.annotations).toEqual({ runbook_url: 'https://runbooks.example.com/sev' });
    expect(rule.for).toBe('0s');
    expect(() => grafana.alerting.addAlertRule({ alert: 'L', datasource: b.prometheus, expr: 'up', threshold: 1, labels: { severity: 'critical' } }))
      .toThrow(/alert rule 'L': label 'severity' is set through the 'severity' prop/);
    expect(() => grafana.alerting.addAlertRule({ alert: 'M', datasource: b.prometheus, expr: 'up', threshold: 1, labels: { 'bad-name': 'x' } }))
      .toThrow(/alert rule 'M': invalid label name 'bad-name'/);
  });

  test('one folder per title: alert rules and dashboards share the folder, addressed by title', () => {
    const objs = synthApp(fullStack2().app);
    const providers = YAML.parse(configFile(objs, 'dashboards.yaml')).providers;
    const platform = providers.find((p: any) => p.folder === 'Platform');
    expect(platform).toBeDefined();
    expect(providers.every((p: any) => p.folderUid === undefined)).toBe(true);
    expect(YAML.parse(configFile(objs, 'alerting.yaml')).groups[0].folder).toBe('Platform');
  });

  test('fails when an alert folder and a dashboard folder map to the same directory', () => {
    const { grafana, b, chart } = stack();
    grafana.addDatasource(b.prometheus);
    grafana.addDashboard(new FakeDashboard(chart, 'D', 'd', 'D', 'Platform', DatasourceKind.PROMETHEUS));
    expect(() => grafana.alerting.addAlertRule({ alert: 'A', datasource: b.prometheus, expr: 'up', threshold: 1, folder: 'platform' }))
      .toThrow(/folders 'Platform' and 'platform' map to the same directory 'platform'/);
  });
});

function fullStack2() {
  const s = stack();
  s.grafana.addDatasource(s.b.prometheus);
  s.grafana.addDashboard(new FakeDashboard(s.chart, 'Dash', 'platform-overview', 'Platform Overview', 'Platform', DatasourceKind.PROMETHEUS));
  s.grafana.alerting.addAlertRule({ alert: 'A', datasource: s.b.prometheus, expr: 'up', threshold: 1, folder: 'Platform' });
  return s;
}
