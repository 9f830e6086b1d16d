import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import { Mimir, MimirMode, MimirProps, MimirTenancy } from '../../src/mimir';
import { AlertReceiver, Alertmanager, Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { SeaweedFs } from '../../src/storage';
import { find, K8sObject, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';
import { checkKeys } from '../loki/util';
import { checkRules } from '../rules/promtool';

const NS = 'monitoring';
const ONCALL = AlertReceiver.webhook('oncall', { url: { secretName: 'mimir-oncall', key: 'url' } });

const ALERT = {
  alert: 'HighErrorRate',
  expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
  pendingFor: Duration.minutes(10),
  summary: 'Too many 5xx.',
};
const RECORD = { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))' };

function s3(chart: Chart) {
  return new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 'mimir-s3', buckets: ['mimir-blocks', 'mimir-ruler'] })
    .toObjectStorage({ buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler', admin: 'mimir-ruler' } });
}

function build(props: MimirProps = {}, distributed = false) {
  const app = new App();
  const chart = new Chart(app, 'stack');
  new PrometheusOperatorCrds(chart, 'Crds');
  new Prometheus(chart, 'Prometheus', { namespace: NS });
  const mimir = new Mimir(chart, 'Mimir', {
    namespace: NS,
    ...(distributed ? { mode: MimirMode.DISTRIBUTED, objectStorage: s3(chart) } : {}),
    ...props,
  });
  return { app, chart, mimir };
}

function mimirYaml(objs: K8sObject[]): { raw: string; parsed: any } {
  const cm = find(objs, 'ConfigMap', 'mimir', NS);
  return { raw: cm.data['mimir.yaml'], parsed: YAML.parse(cm.data['mimir.yaml']) };
}

function expectKnownKeys(raw: string): void {
  const r = checkKeys(raw, 'mimir');
  expect(r.output).toBe('');
  expect(r.summary).not.toMatch(/^note:/m);
  expect(r.status).toBe(0);
}

function mounts(pod: any): Record<string, any> {
  const c = pod.spec.template.spec.containers[0];
  const vols = Object.fromEntries(pod.spec.template.spec.volumes.map((v: any) => [v.name, v]));
  return Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, vols[m.name] ?? m.name]));
}

describe('Mimir ruler and Alertmanager, monolithic', () => {
  const { app, mimir } = build({ ruler: {}, alertmanager: { defaultReceiver: ONCALL } });
  mimir.addRuleGroup({ name: 'http', recordingRules: [RECORD], alerts: [ALERT] });
  const objs = synthApp(app);
  const cfg = mimirYaml(objs);

  test(`ruler, ruler_storage, alertmanager and alertmanager_storage keys exist in the reference for Mimir ${Mimir.VERSION}`, () => {
    expectKnownKeys(cfg.raw);
    expect(cfg.parsed.ruler_storage).toEqual({ backend: 'local', local: { directory: '/etc/mimir-rules' } });
    expect(cfg.parsed.ruler).toMatchObject({ rule_path: '/data/ruler', poll_interval: '1m', evaluation_interval: '1m' });
    expect(cfg.parsed.alertmanager).toMatchObject({ data_dir: '/data/alertmanager-data', fallback_config_file: '/etc/mimir/alertmanager-fallback.yaml' });
    expect(cfg.parsed.alertmanager.sharding_ring.replication_factor).toBe(1);
  });

  test('the Alertmanager is a target of the one pod; the rules are mounted per tenant (anonymous)', () => {
    const sts = find(objs, 'StatefulSet', 'mimir', NS);
    expect(sts.spec.template.spec.containers[0].args).toContain('-target=all,alertmanager');
    expect(mounts(sts)['/etc/mimir-rules/anonymous'].configMap.name).toBe('mimir-rules-anonymous');
    const rules = YAML.parse(find(objs, 'ConfigMap', 'mimir-rules-anonymous', NS).data['default.yaml']);
    expect(rules.groups[0].name).toBe('http');
    expect(rules.groups[0].rules.map((r: any) => r.record ?? r.alert)).toEqual(['job:http_requests:rate5m', 'HighErrorRate']);
  });

  test("the ruler's alerts go to Mimir's own Alertmanager: the URL resolves to an emitted Service and port", () => {
    const url = cfg.parsed.limits.ruler_alertmanager_client_config.alertmanager_url;
    expect(url).toBe('http://mimir.monitoring.svc:8080/alertmanager');
    expect(urlResolution(url, objs)).toBeUndefined();
    expect(urlResolution(cfg.parsed.alertmanager.external_url, objs)).toBeUndefined();
    const fallback = YAML.parse(find(objs, 'ConfigMap', 'mimir', NS).data['alertmanager-fallback.yaml']);
    expect(fallback.route.receiver).toBe('oncall');
    expect(fallback.receivers[0].webhook_configs[0].url_file).toBe('/etc/alertmanager/secrets/mimir-oncall/url');
    expect(mounts(find(objs, 'StatefulSet', 'mimir', NS))['/etc/alertmanager/secrets/mimir-oncall'].secret.secretName).toBe('mimir-oncall');
  });

  test('no PrometheusRule carries the Mimir rules (the in-cluster Prometheus does not evaluate them)', () => {
    const promRules = objs.filter((o) => o.kind === 'PrometheusRule');
    const names = promRules.flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.map((x: any) => x.alert ?? x.record)));
    expect(names).not.toContain('HighErrorRate');
    expect(names).not.toContain('job:http_requests:rate5m');
    expect(names).toEqual(expect.arrayContaining(['MimirRulerFailedEvaluations', 'MimirAlertmanagerNotificationsFailing']));
  });

  test('the rule file passes promtool check rules', () => {
    const r = checkRules(mimir.ruleFile('anonymous', 'default'));
    expect(r.output).toMatch(/SUCCESS: 2 rules found/);
    expect(r.ok).toBe(true);
  });

  test('the ruler and Alertmanager alerts pass promtool', () => {
    const rule = objs.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 'mimir-ruler-alerts')!;
    const r = checkRules({ groups: rule.spec.groups });
    expect(r.ok).toBe(true);
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });
});

describe('Mimir ruler and Alertmanager, distributed, multi-tenant', () => {
  const { app, mimir } = build({
    tenancy: MimirTenancy.multi('team-a'),
    ruler: { tenants: ['team-a', 'team-b'] },
    alertmanager: { defaultReceiver: ONCALL, storage: { size: Size.gibibytes(2) } },
  }, true);
  mimir.addRuleGroup({ name: 'http', alerts: [ALERT] });
  mimir.addRuleGroup({ name: 'http', tenant: 'team-b', ruleNamespace: 'slo', recordingRules: [RECORD] });
  const objs = synthApp(app);
  const cfg = mimirYaml(objs);

  test('keys exist in the pinned reference', () => {
    expectKnownKeys(cfg.raw);
    expect(cfg.parsed.alertmanager.sharding_ring.replication_factor).toBe(3);
  });

  test('a ruler Deployment and an Alertmanager StatefulSet, each with PDB, Service and the bucket credentials', () => {
    const ruler = find(objs, 'Deployment', 'mimir-ruler', NS);
    expect(ruler.spec.replicas).toBe(2);
    expect(ruler.spec.template.spec.containers[0].args).toContain('-target=ruler');
    expect(ruler.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['OBJSTORE_S3_ACCESS_KEY_ID']));
    const am = find(objs, 'StatefulSet', 'mimir-alertmanager', NS);
    expect(am.spec.replicas).toBe(3);
    expect(am.spec.serviceName).toBe('mimir-alertmanager-headless');
    expect(am.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
    for (const n of ['mimir-ruler', 'mimir-alertmanager']) {
      expect(find(objs, 'PodDisruptionBudget', n, NS).spec.maxUnavailable).toBe(1);
      expect(find(objs, 'Service', n, NS).metadata.labels['lgtm.cdk8s.io/scrape']).toBe('true');
    }
    expect(find(objs, 'Service', 'mimir-alertmanager-headless', NS).metadata.labels['lgtm.cdk8s.io/scrape']).toBe('false');
  });

  test('one rule ConfigMap per tenant, mounted at its tenant directory', () => {
    const m = mounts(find(objs, 'Deployment', 'mimir-ruler', NS));
    expect(m['/etc/mimir-rules/team-a'].configMap.name).toBe('mimir-rules-team-a');
    expect(m['/etc/mimir-rules/team-b'].configMap.name).toBe('mimir-rules-team-b');
    expect(Object.keys(find(objs, 'ConfigMap', 'mimir-rules-team-a', NS).data)).toEqual(['default.yaml']);
    expect(Object.keys(find(objs, 'ConfigMap', 'mimir-rules-team-b', NS).data)).toEqual(['slo.yaml']);
    // only the ruler mounts the rules
    expect(mounts(find(objs, 'Deployment', 'mimir-querier', NS))['/etc/mimir-rules/team-a']).toBeUndefined();
  });

  test('the ruler URL resolves to the alertmanager Service and its port', () => {
    const url = cfg.parsed.limits.ruler_alertmanager_client_config.alertmanager_url;
    expect(url).toBe('http://mimir-alertmanager.monitoring.svc:8080/alertmanager');
    expect(urlResolution(url, objs)).toBeUndefined();
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });
});

describe("Mimir ruler sending to the operator's Alertmanager", () => {
  const app = new App();
  const chart = new Chart(app, 'stack');
  new PrometheusOperatorCrds(chart, 'Crds');
  new Prometheus(chart, 'Prometheus', { namespace: NS });
  const am = new Alertmanager(chart, 'Alertmanager', { namespace: NS, defaultReceiver: ONCALL, replicas: 1 });
  const mimir = new Mimir(chart, 'Mimir', { namespace: NS, ruler: { alertmanager: am } });
  mimir.addRuleGroup({ name: 'http', alerts: [ALERT] });
  const objs = synthApp(app);

  test('the URL is the Alertmanager Service, and no Mimir Alertmanager runs', () => {
    const cfg = mimirYaml(objs);
    const url = cfg.parsed.limits.ruler_alertmanager_client_config.alertmanager_url;
    expect(url).toBe(am.alertmanagerUrl);
    expect(urlResolution(url, objs)).toBeUndefined();
    expect(cfg.parsed.alertmanager).toBeUndefined();
    expect(find(objs, 'StatefulSet', 'mimir', NS).spec.template.spec.containers[0].args).toContain('-target=all');
  });
});

describe('dist/mimir-production: the ruler', () => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', '..', 'dist', 'mimir-production', '30-mimir.yaml'), 'utf8')).map((d) => d.toJSON());
  const ruleMaps = docs.filter((o: any) => o?.kind === 'ConfigMap' && /^mimir-rules-/.test(o.metadata.name));

  test('every rule file of the Mimir ruler passes promtool check rules', () => {
    expect(ruleMaps.length).toBeGreaterThan(0);
    for (const cm of ruleMaps) {
      for (const [file, text] of Object.entries(cm.data as Record<string, string>)) {
        const r = checkRules(YAML.parse(text));
        expect(`${cm.metadata.name}/${file}: ${r.ok ? 'ok' : r.output}`).toBe(`${cm.metadata.name}/${file}: ok`);
      }
    }
  });

  test("the ruler's Alertmanager URL resolves to an emitted Service and port", () => {
    const cfg = YAML.parse(docs.find((o: any) => o?.kind === 'ConfigMap' && o.metadata.name === 'mimir').data['mimir.yaml']);
    const url = cfg.limits.ruler_alertmanager_client_config.alertmanager_url;
    expect(url).toBe('http://mimir-alertmanager.mimir-prod.svc:8080/alertmanager');
    expect(urlResolution(url, docs)).toBeUndefined();
  });
});

describe('Mimir ruler bad input', () => {
  const expectFail = (f: () => void, re: RegExp) => {
    let msg = '';
    try {
      f();
    } catch (e: any) {
      msg = String(e.message);
    }
    expect(msg).toMatch(re);
    // the five-part message
    for (const part of [/\[stack\/Mimir[^\]]*\] /, / Received: /, /; expected: /, /\. Fix: /]) expect(msg).toMatch(part);
  };

  test('a rule group for a Mimir without ruler', () => {
    expectFail(() => build().mimir.addRuleGroup({ name: 'x', alerts: [ALERT] }), /targets the Mimir ruler, which this Mimir does not run/);
    expectFail(() => build({ ruler: {} }).mimir.addRuleGroup(undefined as any), /addRuleGroup needs a rule group/);
  });

  test('an unknown tenant (tenancy on, and tenancy off)', () => {
    expectFail(() => build({ tenancy: MimirTenancy.multi('team-a'), ruler: {}, alertmanager: { defaultReceiver: ONCALL } }).mimir.addRuleGroup({ name: 'x', tenant: 'team-b', alerts: [ALERT] }),
      /targets tenant "team-b", which the Mimir ruler does not evaluate rules for/);
    expectFail(() => build({ ruler: {}, alertmanager: { defaultReceiver: ONCALL } }).mimir.addRuleGroup({ name: 'x', tenant: 'team-a', alerts: [ALERT] }), /tenancy is off/);
  });

  test("'ruler.tenants' without multi-tenancy, repeated, empty or invalid", () => {
    expectFail(() => build({ ruler: { tenants: ['a'] } }), /needs multi-tenancy/);
    expectFail(() => build({ tenancy: MimirTenancy.multi('a'), ruler: { tenants: ['a', 'a'] } }), /distinct tenants/);
    expectFail(() => build({ tenancy: MimirTenancy.multi('a'), ruler: { tenants: [] } }), /distinct tenants/);
    expectFail(() => build({ tenancy: MimirTenancy.multi('a'), ruler: { tenants: ['a', 'b/c'] } }), /not a tenant id Mimir accepts/);
  });

  test('alerting rules with no Alertmanager fail at synth; recording rules alone do not', () => {
    const { app, mimir } = build({ ruler: {} });
    mimir.addRuleGroup({ name: 'x', alerts: [ALERT] });
    expectFail(() => app.synth(), /no Alertmanager to send them to/);
    const ok = build({ ruler: {} });
    ok.mimir.addRuleGroup({ name: 'x', recordingRules: [RECORD] });
    expect(() => synthApp(ok.app)).not.toThrow();
  });

  test('a rule group left without rules fails at synth', () => {
    const { app, mimir } = build({ ruler: {} });
    mimir.addRuleGroup({ name: 'empty' });
    expectFail(() => app.synth(), /Mimir rule groups without rules/);
  });

  test('the ruler or Alertmanager in distributed mode without object storage', () => {
    expectFail(() => build({ mode: MimirMode.DISTRIBUTED, ruler: {}, alertmanager: { defaultReceiver: ONCALL } }), /Distributed mode needs object storage/);
  });

  test('invalid PromQL, a type error, a bad group or namespace, a duplicate group', () => {
    const mk = () => build({ ruler: {}, alertmanager: { defaultReceiver: ONCALL } }).mimir;
    expectFail(() => mk().addRuleGroup({ name: 'x', alerts: [{ ...ALERT, expr: 'sum(rate(x[5m])' }] }), /invalid PromQL/);
    expectFail(() => mk().addRuleGroup({ name: 'x', recordingRules: [{ record: 'a:b', expr: 'rate(x)' }] }), /does not type-check/);
    expectFail(() => mk().addRuleGroup({ name: ' x', alerts: [ALERT] }), /rule group 'name'/);
    expectFail(() => mk().addRuleGroup({ name: 'x', ruleNamespace: '../etc', alerts: [ALERT] }), /'ruleNamespace' is not a valid/);
    const m = mk();
    m.addRuleGroup({ name: 'x', alerts: [ALERT] });
    expectFail(() => m.addRuleGroup({ name: 'x', recordingRules: [RECORD] }), /duplicate rule group name 'x' in ruler namespace 'default'/);
    expect(() => m.addRuleGroup({ name: 'x', ruleNamespace: 'other', recordingRules: [RECORD] })).not.toThrow();
  });

  test('replicas and storage of optional targets: Distributed only, positive integers', () => {
    expectFail(() => build({ ruler: { replicas: 2 } }), /'ruler.replicas' needs Distributed mode/);
    expectFail(() => build({ alertmanager: { defaultReceiver: ONCALL, replicas: 3 } }), /'alertmanager.replicas' needs Distributed mode/);
    expectFail(() => build({ alertmanager: { defaultReceiver: ONCALL, storage: { size: Size.gibibytes(2) } } }), /'alertmanager.storage' needs Distributed mode/);
    expectFail(() => build({ ruler: { replicas: 0 } }, true), /'ruler.replicas' must be a positive integer/);
    expectFail(() => build({ alertmanager: { defaultReceiver: ONCALL, replicas: 1.5 } }, true), /'alertmanager.replicas' must be a positive integer/);
    expectFail(() => build({ alertmanager: { defaultReceiver: ONCALL, storage: { size: Size.mebibytes(100) } } }, true), /whole number of GiB/);
  });

  test("Mimir's Alertmanager without a receiver object", () => {
    expectFail(() => build({ alertmanager: { defaultReceiver: 'oncall' as any } }), /must be an AlertReceiver/);
    expectFail(() => build({ alertmanager: { defaultReceiver: AlertReceiver.webhook('x', { url: undefined as any }) } }), /no credential reference/);
  });

  test('an evaluation interval under 1s, and an alertmanager that is not one', () => {
    expectFail(() => build({ ruler: { evaluationInterval: Duration.millis(10) } }), /at least 1s/);
    expectFail(() => build({ ruler: { alertmanager: { defaultReceiver: ONCALL } as any } }), /'ruler.alertmanager' is not an Alertmanager/);
  });
});
