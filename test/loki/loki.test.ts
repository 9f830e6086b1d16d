import { App, Chart, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { checkKeys, lokiYamls } from './util';
import { Loki, LokiMode, LokiProfile, LokiTenancy } from '../../src/loki';
import { ObjectStorage, SeaweedFs, StorageCredentials } from '../../src/storage';
import { find, K8sObject, promqlErrors, restrictedViolations, ruleExpressions, schemaErrors, selectorMatches, synthApp, urlResolution, YAML } from '../harness';

const NS = 'monitoring';

function monolithic(extra: Record<string, any> = {}): { app: App; loki: Loki } {
  const app = new App();
  const chart = new Chart(app, 'loki');
  const loki = new Loki(chart, 'Loki', { namespace: NS, ...extra });
  return { app, loki };
}

function distributed(extra: Record<string, any> = {}): { app: App; loki: Loki; objs?: K8sObject[] } {
  const app = new App();
  const chart = new Chart(app, 'loki');
  const s3 = new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 'loki-s3', buckets: ['loki-chunks'] });
  const loki = new Loki(chart, 'Loki', {
    namespace: NS,
    mode: LokiMode.DISTRIBUTED,
    profile: LokiProfile.PRODUCTION,
    objectStorage: s3.toObjectStorage({ bucket: 'loki-chunks' }),
    ...extra,
  });
  return { app, loki };
}

describe('Loki monolithic', () => {
  const { app, loki } = monolithic();
  const objs = synthApp(app);
  const [cfg] = lokiYamls(objs);

  test('every object passes the schema harness', () => {
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('Pod Security restricted holds', () => {
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('one StatefulSet running every target with the WAL on its PVC', () => {
    const sts = find(objs, 'StatefulSet', 'loki', NS);
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toContain('-target=all');
    expect(c.image).toBe('docker.io/grafana/loki:3.7.6');
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/loki' });
    expect(cfg.parsed.ingester.wal.dir).toBe('/var/loki/wal');
    expect(cfg.parsed.ingester.wal.dir.startsWith('/tmp')).toBe(false);
    expect(sts.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(objs.filter((o) => o.kind === 'Deployment')).toEqual([]);
  });

  test('loki.yaml parses back and only uses keys of Loki 3.7.6', () => {
    expect(lokiYamls(objs)).toHaveLength(1);
    const r = checkKeys(cfg.raw, 'loki');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  test('schema: tsdb v13 from the fixed date on the filesystem', () => {
    expect(cfg.parsed.schema_config.configs).toEqual([
      { from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } },
    ]);
    expect(Loki.SCHEMA_START).toBe('2024-04-01');
    expect(Loki.VERSION).toBe('3.7.6');
  });

  test('storage, retention, limits and ring', () => {
    expect(cfg.parsed.common.storage).toEqual({ filesystem: { chunks_directory: '/var/loki/chunks', rules_directory: '/var/loki/rules' } });
    expect(cfg.parsed.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 'filesystem', working_directory: '/var/loki/compactor' });
    expect(cfg.parsed.limits_config).toMatchObject({ retention_period: '168h', ingestion_rate_mb: 4, ingestion_burst_size_mb: 6, max_global_streams_per_user: 5000 });
    expect(cfg.parsed.common.ring).toEqual({ kvstore: { store: 'inmemory' } });
    expect(cfg.parsed.common.replication_factor).toBe(1);
    expect(cfg.parsed.auth_enabled).toBe(false);
    expect(cfg.parsed.analytics).toEqual({ reporting_enabled: false });
  });

  test('caches are small and sized to the profile (no 8 GB default)', () => {
    expect(cfg.parsed.query_range.results_cache.cache.embedded_cache).toEqual({ enabled: true, max_size_mb: 64 });
    expect(cfg.parsed.chunk_store_config.chunk_cache_config.embedded_cache).toEqual({ enabled: true, max_size_mb: 128 });
  });

  test('push URL and datasource come from the emitted Service', () => {
    expect(loki.pushUrl).toBe('http://loki.monitoring.svc:3100/loki/api/v1/push');
    expect(urlResolution(loki.pushUrl, objs)).toBeUndefined();
    expect(loki.tenantId).toBeUndefined();
    const ds = loki.datasourceInfo;
    expect(ds).toMatchObject({ kind: 'loki', uid: 'loki', url: 'http://loki.monitoring.svc:3100', serviceName: 'loki', servicePort: 3100 });
    expect(urlResolution(ds.url, objs)).toBeUndefined();
  });

  test('own ServiceMonitor selects the Loki Service, alerts parse as PromQL', () => {
    const sm = find(objs, 'ServiceMonitor', 'loki', NS);
    const svc = find(objs, 'Service', 'loki', NS);
    expect(sm.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki', 'lgtm.cdk8s.io/scrape': 'true' });
    expect(Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => svc.metadata.labels[k] === v)).toBe(true);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
    expect(promqlErrors(objs)).toEqual([]);
    const alerts = ruleExpressions(objs).map((r) => r.rule.split('/').pop());
    expect(alerts).toEqual(['LokiRequestErrors', 'LokiIngestionRateLimited', 'LokiWALFailures', 'LokiChunkFlushFailures']);
    const exprs = ruleExpressions(objs).map((r) => r.expr).join('\n');
    expect(exprs).toContain('loki_discarded_samples_total');
    expect(exprs).toContain('reason=~"rate_limited|');
    expect(exprs).toContain('loki_ingester_wal_disk_full_failures_total');
    expect(exprs).toContain('loki_ingester_chunks_flush_failures_total');
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('Loki distributed', () => {
  const { app, loki } = distributed();
  const objs = synthApp(app);
  const [cfg] = lokiYamls(objs);
  const targets = ['distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'compactor', 'index-gateway'];

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('one workload per target; ingester, compactor, index-gateway are StatefulSets with PVCs', () => {
    for (const t of targets) {
      const w = objs.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === `loki-${t}`);
      expect(w).toBeDefined();
      expect(w!.spec.template.spec.containers[0].args).toContain(`-target=${t}`);
      expect(w!.spec.template.spec.containers[0].args).toContain('-config.expand-env=true');
    }
    for (const t of ['ingester', 'compactor', 'index-gateway']) {
      const sts = find(objs, 'StatefulSet', `loki-${t}`, NS);
      expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    }
  });

  test('replication factor 3 in production, 3 ingesters', () => {
    expect(loki.replicationFactor).toBe(3);
    expect(cfg.parsed.common.replication_factor).toBe(3);
    expect(find(objs, 'StatefulSet', 'loki-ingester', NS).spec.replicas).toBe(3);
  });

  test('a PDB per stateful target (and per stateless one)', () => {
    for (const t of targets) {
      const pdb = find(objs, 'PodDisruptionBudget', `loki-${t}`, NS);
      expect(pdb.spec.maxUnavailable).toBe(1);
      const w = objs.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === `loki-${t}`)!;
      expect(pdb.spec.selector).toEqual(w.spec.selector);
    }
  });

  test('anti-affinity and zone topology spread on every target', () => {
    for (const t of targets) {
      const spec = objs.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === `loki-${t}`)!.spec.template.spec;
      expect(spec.affinity.podAntiAffinity).toBeDefined();
      expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    }
  });

  test('ingesters flush on shutdown with a long grace period', () => {
    const sts = find(objs, 'StatefulSet', 'loki-ingester', NS);
    expect(cfg.parsed.ingester.wal).toEqual({ enabled: true, dir: '/var/loki/wal', flush_on_shutdown: true });
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(300);
  });

  test('memberlist ring over a headless Service with not-ready addresses', () => {
    const svc = find(objs, 'Service', 'loki-memberlist', NS);
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(cfg.parsed.common.ring).toEqual({ kvstore: { store: 'memberlist' } });
    expect(cfg.parsed.memberlist.join_members).toEqual(['dns+loki-memberlist.monitoring.svc:7946']);
    // every ring member exposes the gossip port and is selected by the memberlist Service
    for (const t of ['distributor', 'ingester', 'querier', 'compactor', 'index-gateway', 'query-scheduler']) {
      const w = objs.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === `loki-${t}`)!;
      expect(w.spec.template.spec.containers[0].ports.map((p: any) => p.containerPort)).toContain(7946);
      expect(Object.entries(svc.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v)).toBe(true);
    }
  });

  test('every URL in loki.yaml resolves to an emitted Service and port', () => {
    const urls = [
      ...cfg.parsed.memberlist.join_members,
      cfg.parsed.frontend.scheduler_address,
      cfg.parsed.frontend.tail_proxy_url,
      cfg.parsed.frontend_worker.scheduler_address,
      cfg.parsed.storage_config.tsdb_shipper.index_gateway_client.server_address,
      cfg.parsed.common.compactor_address,
      `${cfg.parsed.common.storage.s3.insecure ? 'http' : 'https'}://${cfg.parsed.common.storage.s3.endpoint}`,
      loki.pushUrl,
      loki.datasourceInfo.url,
    ];
    expect(urls.every((u) => typeof u === 'string')).toBe(true);
    expect(urls.map((u) => urlResolution(u, objs)).filter((e) => e)).toEqual([]);
    expect(loki.pushUrl).toBe('http://loki-distributor.monitoring.svc:3100/loki/api/v1/push');
    expect(loki.datasourceInfo.url).toBe('http://loki-query-frontend.monitoring.svc:3100');
  });

  test('S3 storage: bucket, path style, credentials only as env references', () => {
    expect(cfg.parsed.common.storage.s3).toEqual({
      endpoint: 'seaweedfs.monitoring.svc:8333',
      region: 'us-east-1',
      bucketnames: 'loki-chunks',
      access_key_id: '${OBJSTORE_S3_ACCESS_KEY_ID}',
      secret_access_key: '${OBJSTORE_S3_SECRET_ACCESS_KEY}',
      s3forcepathstyle: true,
      insecure: true,
    });
    expect(cfg.parsed.schema_config.configs[0].object_store).toBe('s3');
    expect(cfg.parsed.compactor.delete_request_store).toBe('s3');
    const env = find(objs, 'StatefulSet', 'loki-ingester', NS).spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'OBJSTORE_S3_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'loki-s3', key: 'accessKeyId' } } },
      { name: 'OBJSTORE_S3_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'loki-s3', key: 'secretAccessKey' } } },
    ]);
  });

  test('production caches and check-keys clean', () => {
    expect(cfg.parsed.query_range.results_cache.cache.embedded_cache.max_size_mb).toBe(256);
    expect(cfg.parsed.chunk_store_config.chunk_cache_config.embedded_cache.max_size_mb).toBe(512);
    const r = checkKeys(cfg.raw, 'loki');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  test('ServiceMonitor skips duplicate Services (memberlist) but scrapes every target', () => {
    const sm = find(objs, 'ServiceMonitor', 'loki', NS);
    const selected = objs.filter((o) => o.kind === 'Service' && selectorMatches(sm.spec.selector, o.metadata.labels));
    expect(selected.map((s) => s.metadata.name).sort()).toEqual(targets.map((t) => `loki-${t}${['ingester', 'index-gateway'].includes(t) ? '-headless' : ''}`).sort());
    expect(find(objs, 'Service', 'loki-memberlist', NS).metadata.labels['lgtm.cdk8s.io/scrape']).toBe('false');
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('loki.yaml details', () => {
  test('schema start date is identical across synths on different days', () => {
    const render = (now: string) => {
      jest.useFakeTimers({ now: new Date(now) });
      try {
        const { app } = monolithic();
        return lokiYamls(synthApp(app))[0].raw;
      } finally {
        jest.useRealTimers();
      }
    };
    const a = render('2026-01-15T10:00:00Z');
    const b = render('2031-07-04T23:59:00Z');
    expect(a).toBe(b);
    expect(a).toContain('from: 2024-04-01');
  });

  test('multi-tenancy turns auth on and hands the tenant to collectors and Grafana', () => {
    const { app, loki } = monolithic({ tenancy: LokiTenancy.multi('team-a') });
    const cfg = lokiYamls(synthApp(app))[0].parsed;
    expect(cfg.auth_enabled).toBe(true);
    expect(loki.tenantId).toBe('team-a');
    expect(loki.datasourceInfo.tenantId).toBe('team-a');
  });

  test('per-tenant limits go to the runtime overrides file', () => {
    const { app, loki } = monolithic({ tenancy: LokiTenancy.multi('team-a'), retention: Duration.days(14) });
    loki.addTenantLimits('team-b', { ingestionRateMb: 20, ingestionBurstSizeMb: 30, retention: Duration.days(30) });
    const objs = synthApp(app);
    const cm = find(objs, 'ConfigMap', 'loki', NS);
    const parsed = lokiYamls(objs)[0].parsed;
    expect(parsed.runtime_config).toEqual({ file: '/etc/loki/runtime.yaml' });
    expect(parsed.limits_config.retention_period).toBe('336h');
    expect(YAML.parse(cm.data['runtime.yaml'])).toEqual({ overrides: { 'team-b': { ingestion_rate_mb: 20, ingestion_burst_size_mb: 30, retention_period: '720h' } } });
    const r = checkKeys(YAML.stringify({ limits_config: YAML.parse(cm.data['runtime.yaml']).overrides['team-b'] }), 'loki');
    expect(r.output).toBe('');
  });

  test('object storage through S3 with per-purpose buckets and workload identity', () => {
    const { app } = monolithic({
      objectStorage: ObjectStorage.s3({
        region: 'eu-west-1',
        buckets: { chunks: 'acme-loki-chunks', ruler: 'acme-loki-ruler' },
        credentials: StorageCredentials.workloadIdentity({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/loki' } }),
      }),
    });
    const objs = synthApp(app);
    const cfg = lokiYamls(objs)[0];
    expect(cfg.parsed.common.storage.s3).toEqual({ region: 'eu-west-1', bucketnames: 'acme-loki-chunks', s3forcepathstyle: false, insecure: false });
    expect(find(objs, 'ServiceAccount', 'loki', NS).metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/loki' });
    expect(find(objs, 'StatefulSet', 'loki', NS).spec.template.spec.containers[0].args).not.toContain('-config.expand-env=true');
    expect(checkKeys(cfg.raw, 'loki').output).toBe('');
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('GCS and Azure render their own keys', () => {
    const gcs = monolithic({ objectStorage: ObjectStorage.gcs({ bucket: 'acme-logs', credentials: StorageCredentials.fromSecret('gcs-key') }) });
    const gobjs = synthApp(gcs.app);
    const g = lokiYamls(gobjs)[0];
    expect(g.parsed.common.storage).toEqual({ gcs: { bucket_name: 'acme-logs' } });
    const gc = find(gobjs, 'StatefulSet', 'loki', NS).spec.template.spec.containers[0];
    expect(gc.env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/secrets/objstore-gcs/key.json' });
    expect(checkKeys(g.raw, 'loki').output).toBe('');
    expect(restrictedViolations(gobjs)).toEqual([]);

    const az = monolithic({
      objectStorage: ObjectStorage.azure({
        accountName: 'acmelogs',
        bucket: 'loki',
        credentials: StorageCredentials.workloadIdentity({ serviceAccountAnnotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' } }),
      }),
    });
    const aobjs = synthApp(az.app);
    const a = lokiYamls(aobjs)[0];
    expect(a.parsed.common.storage).toEqual({ azure: { account_name: 'acmelogs', container_name: 'loki', use_federated_token: true } });
    expect(find(aobjs, 'StatefulSet', 'loki', NS).spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(checkKeys(a.raw, 'loki').output).toBe('');
  });

  test('a headless Service governs every StatefulSet (the compactor too); clients use the ClusterIP Service', () => {
    const { app } = distributed();
    const objs = synthApp(app);
    for (const sts of objs.filter((o) => o.kind === 'StatefulSet')) {
      const svc = find(objs, 'Service', sts.spec.serviceName, NS);
      expect([sts.metadata.name, svc.spec.clusterIP]).toEqual([sts.metadata.name, 'None']);
    }
    expect(find(objs, 'StatefulSet', 'loki-compactor', NS).spec.serviceName).toBe('loki-compactor-headless');
    const cfg = lokiYamls(objs)[0].parsed;
    expect(cfg.common.compactor_address).toBe('http://loki-compactor.monitoring.svc:3100');
    expect(find(objs, 'Service', 'loki-compactor-headless', NS).metadata.labels['lgtm.cdk8s.io/scrape']).toBe('false');
  });

  test('shared props: storage struct, Chart namespace, serviceMonitor switch, ServiceAccount', () => {
    const app = new App();
    const loki = new Loki(new Chart(app, 'c', { namespace: 'logs' }), 'Loki', {
      objectStorage: ObjectStorage.s3({ bucket: 'loki-chunks', endpoint: 'http://s3.example.com', credentials: StorageCredentials.fromSecret('s3') }),
      storage: { size: Size.gibibytes(20), storageClassName: 'fast' },
      serviceMonitor: false,
    });
    const objs = synthApp(app);
    expect(loki.namespace).toBe('logs');
    expect(loki.serviceMonitor).toBeUndefined();
    expect(loki.serviceAccount).toBeDefined();
    expect(loki.service.name).toBe('loki');
    expect(objs.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PrometheusRule')).toEqual([]);
    const claim = find(objs, 'StatefulSet', 'loki', 'logs').spec.volumeClaimTemplates[0].spec;
    expect(claim).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } });
  });

  test('LogQL alerting rules need an Alertmanager to notify', () => {
    const { app, loki } = monolithic();
    loki.addAlertingRule({ alert: 'WebErrors', expr: 'sum(rate({app="web"} |= "error" [5m])) > 10' });
    expect(() => synthApp(app)).toThrow(/Loki has 1 LogQL alerting rule\(s\) but no Alertmanager to notify\. Received: WebErrors/);
  });

  test('LogQL alerting rules are rendered for the ruler', () => {
    const am: any = new Construct(new Chart(new App(), 'am'), 'Alertmanager');
    am.alertmanagerUrl = 'http://alertmanager.monitoring.svc:9093';
    const { app, loki } = monolithic({ alertmanager: am });
    loki.addAlertingRule({ alert: 'WebErrors', expr: 'sum(rate({app="web"} |= "error" [5m])) > 10', pendingFor: Duration.minutes(5) });
    // @ts-expect-error a datasource (here: Loki itself) is not an Alertmanager
    new Loki(new Chart(new App(), 'other'), 'Loki', { namespace: NS, alertmanager: loki });
    const objs = synthApp(app);
    const rules = find(objs, 'ConfigMap', 'loki-rules', NS);
    expect(YAML.parse(rules.data['fake.yaml']).groups[0].rules[0]).toEqual({
      alert: 'WebErrors', expr: 'sum(rate({app="web"} |= "error" [5m])) > 10', for: '5m', labels: { severity: 'warning' },
    });
    const sts = find(objs, 'StatefulSet', 'loki', NS);
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'rules', configMap: { name: 'loki-rules', items: [{ key: 'fake.yaml', path: 'fake/rules.yaml' }] } });
  });

  test('the untyped override is merged last', () => {
    const { app, loki } = monolithic({ configOverride: { limits_config: { max_line_size: '512KB' }, server: { log_level: 'debug' } } });
    loki.addConfigOverride({ server: { log_level: 'warn' } });
    const cfg = lokiYamls(synthApp(app))[0];
    expect(cfg.parsed.server.log_level).toBe('warn');
    expect(cfg.parsed.limits_config.max_line_size).toBe('512KB');
    expect(cfg.parsed.limits_config.ingestion_rate_mb).toBe(4);
    expect(checkKeys(cfg.raw, 'loki').output).toBe('');
  });
});

describe('bad input', () => {
  test('fails when Distributed mode uses filesystem storage', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    expect(() => new Loki(chart, 'Loki', { namespace: NS, mode: LokiMode.DISTRIBUTED, objectStorage: ObjectStorage.filesystem({ size: Size.gibibytes(5) }) }))
      .toThrow(/Distributed mode needs object storage: filesystem storage is single-node only.*Fix: pass object storage/);
  });

  test('fails when object storage has no bucket', () => {
    expect(() => monolithic({ objectStorage: ObjectStorage.s3({ endpoint: 's3.amazonaws.com', credentials: StorageCredentials.fromSecret('s3') }) }))
      .toThrow(/\[loki\/Loki\] s3 object storage has no bucket\. Received: bucket: undefined/);
  });

  test('fails when retention is shorter than the index period', () => {
    expect(() => monolithic({ retention: Duration.hours(12) })).toThrow(/'retention' is shorter than the index period \(24h\)\. Received: 12h/);
    expect(() => monolithic({ retention: Duration.hours(36) })).toThrow(/'retention' is not a multiple of the index period/);
    const { loki } = monolithic();
    expect(() => loki.addTenantLimits('team-b', { retention: Duration.hours(1) })).toThrow(/'addTenantLimits\(team-b\)\.retention' is shorter than the index period/);
  });

  test('fails on invalid LogQL', () => {
    const { loki } = monolithic();
    expect(() => loki.addAlertingRule({ alert: 'Broken', expr: 'sum(rate({app="web"} |= [5m]))' }))
      .toThrow(/Loki alerting rule 'loki-alerts\/Broken': invalid LogQL at position \d+/);
    expect(() => loki.addAlertingRule({ alert: 'Web Errors', expr: 'sum(rate({app="web"}[5m])) > 1' }))
      .toThrow(/loki-alerts: 'alert' must be a non-empty name without whitespace/);
    expect(() => loki.addAlertingRule({ alert: 'WebErrors', expr: 'sum(rate({app="web"}[5m])) > 1', labels: { severity: 'page' } }))
      .toThrow(/loki-alerts\/WebErrors: label 'severity' is set through the 'severity' prop/);
  });

  test('fails on a tenant name Loki rejects', () => {
    expect(() => monolithic({ tenancy: LokiTenancy.multi('team/a') })).toThrow(/'tenancy' is not a tenant id Loki accepts: it contains characters Loki rejects: "\/"/);
    expect(() => monolithic({ tenancy: LokiTenancy.multi('..') })).toThrow(/'.' and '..' are reserved/);
    expect(() => monolithic({ tenancy: LokiTenancy.multi('a'.repeat(151)) })).toThrow(/it is 151 characters long \(max 150\)/);
    const { loki } = monolithic();
    expect(() => loki.addTenantLimits('a|b', {})).toThrow(/not a tenant id Loki accepts/);
  });

  test('fails when the replication factor is greater than the ingester count', () => {
    expect(() => distributed({ replicationFactor: 3, targetReplicas: { ingester: 2 } }))
      .toThrow(/'replicationFactor' \(3\) must be between 1 and the number of ingesters \(2\).*raise 'targetReplicas.ingester' to at least 3/);
    expect(() => monolithic({ replicationFactor: 2 })).toThrow(/Monolithic mode runs one ingester/);
  });
});

describe('key checker sanity', () => {
  test('check-keys reports a misspelt key (so a clean run means something)', () => {
    const r = checkKeys('limits_confg:\n  ingestion_rate_mb: 4\n', 'loki');
    expect(r.output.trim()).toBe('limits_confg');
    expect(r.status).toBe(1);
  });
});
