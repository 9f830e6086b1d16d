import { App, Chart, Duration } from 'cdk8s';
import { AlloyCollector } from '../../src/alloy';
import { Grafana } from '../../src/grafana';
import { Mimir, MimirMode, MimirProps, MimirTenancy } from '../../src/mimir';
import { OtelCollector } from '../../src/otel';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { ObjectStorage, SeaweedFs, StorageCredentials } from '../../src/storage';
import { find, K8sObject, promqlErrors, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';
import { checkKeys } from '../loki/util';

const NS = 'monitoring';
const ADMIN = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' };

function mimirYaml(objs: K8sObject[], name = 'mimir'): { raw: string; parsed: any } {
  const cm = find(objs, 'ConfigMap', name, NS);
  return { raw: cm.data['mimir.yaml'], parsed: YAML.parse(cm.data['mimir.yaml']) };
}

/** The key check against the pinned version: no unknown key, and none of the keys 3.1.0 removed. */
function expectKnownKeys(raw: string): void {
  const r = checkKeys(raw, 'mimir');
  expect(r.output).toBe('');
  expect(r.summary).not.toMatch(/^note:/m);
  expect(r.status).toBe(0);
}

function s3(chart: Chart) {
  return new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 'mimir-s3', buckets: ['mimir-blocks', 'mimir-ruler'] })
    .toObjectStorage({ buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler', admin: 'mimir-ruler' } });
}

function stack(props: MimirProps = {}, distributed = false) {
  const app = new App();
  const chart = new Chart(app, 'stack');
  new PrometheusOperatorCrds(chart, 'Crds');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS });
  const mimir = new Mimir(chart, 'Mimir', {
    namespace: NS,
    ...(distributed ? { mode: MimirMode.DISTRIBUTED, objectStorage: s3(chart) } : {}),
    ...props,
  });
  return { app, chart, mimir, prometheus };
}

describe('Mimir monolithic', () => {
  const { app, mimir } = stack();
  const objs = synthApp(app);
  const cfg = mimirYaml(objs);

  test(`every key of mimir.yaml exists in the reference for Mimir ${Mimir.VERSION}`, () => {
    expect(Mimir.VERSION).toBe('3.1.1');
    expectKnownKeys(cfg.raw);
  });

  test('one StatefulSet running -target=all, blocks on the PVC, config hash on the pods', () => {
    const sts = find(objs, 'StatefulSet', 'mimir', NS);
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.spec.containers[0].args).toEqual(['-config.file=/etc/mimir/mimir.yaml', '-target=all']);
    expect(sts.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(1200);
    expect(cfg.parsed.common.storage.backend).toBe('filesystem');
    expect(cfg.parsed.blocks_storage.filesystem.dir).toBe('/data/blocks');
    expect(cfg.parsed.ingester.ring.replication_factor).toBe(1);
    expect(cfg.parsed.store_gateway.sharding_ring.replication_factor).toBe(1);
    expect(cfg.parsed.multitenancy_enabled).toBe(false);
    expect(cfg.parsed.limits.compactor_blocks_retention_period).toBe('360h');
  });

  test('push, query and memberlist addresses resolve to emitted Services and ports', () => {
    expect(mimir.remoteWriteUrl).toBe('http://mimir.monitoring.svc:8080/api/v1/push');
    expect(mimir.datasourceInfo.url).toBe('http://mimir.monitoring.svc:8080/prometheus');
    for (const u of [mimir.remoteWriteUrl, mimir.datasourceInfo.url, ...cfg.parsed.memberlist.join_members]) {
      expect(urlResolution(u, objs)).toBeUndefined();
    }
  });

  test('schema harness, Pod Security restricted, its own monitor and alerts parse', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    expect(promqlErrors(objs)).toEqual([]);
    const rule = find(objs, 'PrometheusRule', 'mimir-alerts', NS);
    const alerts = rule.spec.groups[0].rules.map((r: any) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(['MimirDown', 'MimirRequestErrors']));
    const sm = find(objs, 'ServiceMonitor', 'mimir', NS);
    const scraped = objs.filter((o) => o.kind === 'Service' && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
    expect(scraped.map((s) => s.metadata.name)).toEqual(['mimir']);
  });
});

describe('Mimir distributed', () => {
  const { app, mimir } = stack({}, true);
  const objs = synthApp(app);
  const cfg = mimirYaml(objs);
  const targets = ['distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'store-gateway', 'compactor'];

  test('keys exist in the pinned reference; classic architecture (no Kafka)', () => {
    expectKnownKeys(cfg.raw);
    expect(cfg.parsed.ingest_storage.enabled).toBe(false);
    expect(cfg.parsed.common.storage.backend).toBe('s3');
    expect(cfg.parsed.blocks_storage.s3.bucket_name).toBe('mimir-blocks');
    expect(cfg.parsed.ruler_storage.s3.bucket_name).toBe('mimir-ruler');
    // the ruler and alertmanager state share a bucket: distinct prefixes; the blocks bucket has none
    expect([cfg.parsed.blocks_storage.storage_prefix, cfg.parsed.ruler_storage.storage_prefix, cfg.parsed.alertmanager_storage.storage_prefix])
      .toEqual([undefined, 'rules', 'alertmanager']);
    expect(cfg.parsed.common.storage.s3.access_key_id).toBe('${OBJSTORE_S3_ACCESS_KEY_ID}');
  });

  test('one workload per target, each with its -target, PDB and spread', () => {
    for (const t of targets) {
      const w = objs.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === `mimir-${t}`);
      expect(w).toBeDefined();
      expect(w!.spec.template.spec.containers[0].args).toContain(`-target=${t}`);
      expect(w!.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
      expect(w!.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
      const pdb = find(objs, 'PodDisruptionBudget', `mimir-${t}`, NS);
      expect(pdb.spec.maxUnavailable).toBe(1);
      for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(w!.spec.template.metadata.labels[k]).toBe(v);
    }
    expect(mimir.workloads.length).toBe(targets.length);
    expect(mimir.podDisruptionBudgets.length).toBe(targets.length);
  });

  test('sized for 1M series by default: replication factor 3, ingesters flush for up to 20 minutes', () => {
    expect(cfg.parsed.ingester.ring.replication_factor).toBe(3);
    expect(cfg.parsed.store_gateway.sharding_ring.replication_factor).toBe(3);
    const ing = find(objs, 'StatefulSet', 'mimir-ingester', NS);
    expect(ing.spec.replicas).toBe(3);
    expect(ing.spec.podManagementPolicy).toBe('OrderedReady');
    expect(ing.spec.template.spec.terminationGracePeriodSeconds).toBe(1200);
    expect(ing.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    expect(ing.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '3500m', memory: '8192Mi' });
    expect(find(objs, 'Deployment', 'mimir-distributor', NS).spec.replicas).toBe(2);
    expect(cfg.parsed.limits.max_global_series_per_user).toBeGreaterThan(150000);
  });

  test('memberlist over a headless Service; scheduler, memberlist, S3 and URLs resolve', () => {
    const gossip = find(objs, 'Service', 'mimir-gossip-ring', NS);
    expect(gossip.spec.clusterIP).toBe('None');
    expect(gossip.spec.publishNotReadyAddresses).toBe(true);
    const addrs = [
      ...cfg.parsed.memberlist.join_members,
      cfg.parsed.frontend.scheduler_address,
      cfg.parsed.frontend_worker.scheduler_address,
      cfg.parsed.common.storage.s3.endpoint,
      mimir.remoteWriteUrl,
      mimir.datasourceInfo.url,
    ];
    for (const a of addrs) expect(urlResolution(a, objs)).toBeUndefined();
    expect(mimir.remoteWriteUrl).toBe('http://mimir-distributor.monitoring.svc:8080/api/v1/push');
    expect(mimir.datasourceInfo.url).toBe('http://mimir-query-frontend.monitoring.svc:8080/prometheus');
    // every pod joins the gossip Service
    for (const w of mimir.workloads.map((x) => objs.find((o) => o.metadata.name === x.name && o.kind === x.kind)!)) {
      for (const [k, v] of Object.entries(gossip.spec.selector)) expect(w.spec.template.metadata.labels[k]).toBe(v);
    }
  });

  test('every pod is scraped through exactly one Service', () => {
    const sm = find(objs, 'ServiceMonitor', 'mimir', NS);
    const scraped = objs.filter((o) => o.kind === 'Service' && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
    expect(scraped.length).toBe(targets.length);
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });
});

describe('Mimir zone-aware ingesters', () => {
  const { app, mimir } = stack({ ingesterZones: ['zone-a', 'zone-b', 'zone-c'], targetReplicas: { ingester: 4 } }, true);
  const objs = synthApp(app);
  const cfg = mimirYaml(objs);

  test('one StatefulSet per zone, replicas rounded up to fill the zones, zone flag on each', () => {
    expect(mimir.ingesters).toBe(6);
    for (const z of ['zone-a', 'zone-b', 'zone-c']) {
      const sts = find(objs, 'StatefulSet', `mimir-ingester-${z}`, NS);
      expect(sts.spec.replicas).toBe(2);
      expect(sts.spec.template.spec.containers[0].args).toContain(`-ingester.ring.instance-availability-zone=${z}`);
      const req = sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
      expect(req.labelSelector.matchExpressions).toEqual([{ key: 'lgtm.cdk8s.io/zone', operator: 'NotIn', values: [z] }]);
    }
    expect(cfg.parsed.ingester.ring.zone_awareness_enabled).toBe(true);
    expect(cfg.parsed.ingester.ring.unregister_on_shutdown).toBe(false);
    expectKnownKeys(cfg.raw);
  });

  test('the zones share one ingester PDB (one ingester down at a time across zones)', () => {
    const pdbs = objs.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name.startsWith('mimir-ingester'));
    expect(pdbs.map((p) => p.metadata.name)).toEqual(['mimir-ingester']);
    expect(schemaErrors(objs)).toEqual([]);
  });
});

/** Prometheus, Alloy and the OTel Collector writing into one Mimir, and Grafana reading it. */
function writers(tenancy?: MimirTenancy) {
  const app = new App();
  const chart = new Chart(app, 'w');
  new PrometheusOperatorCrds(chart, 'Crds');
  const mimir = new Mimir(chart, 'Mimir', { namespace: NS, tenancy, mode: MimirMode.DISTRIBUTED, objectStorage: s3(chart) });
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS });
  prometheus.addRemoteWrite(mimir);
  new AlloyCollector(chart, 'Alloy', { namespace: NS, metricsTarget: mimir });
  new OtelCollector(chart, 'Otel', { namespace: NS, metricsTarget: mimir });
  const grafana = new Grafana(chart, 'Grafana', { namespace: NS, adminSecret: ADMIN });
  grafana.addDatasource(mimir);
  const objs = synthApp(app);
  const prom = find(objs, 'Prometheus', 'prometheus', NS);
  const alloy = objs.find((o) => o.kind === 'ConfigMap' && o.data?.['config.alloy'] !== undefined)!.data['config.alloy'] as string;
  const otel = YAML.parse(objs.find((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['app.kubernetes.io/name'] === 'opentelemetry-collector')!.data['config.yaml']);
  const ds = YAML.parse(find(objs, 'ConfigMap', 'grafana-config', NS).data['datasources.yaml']).datasources.find((d: any) => d.uid === 'mimir');
  const alloyUrls = [...alloy.matchAll(/url\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const alloyTenants = [...alloy.matchAll(/"X-Scope-OrgID"\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  return {
    objs,
    mimir,
    urls: [prom.spec.remoteWrite[0].url, ...alloyUrls, otel.exporters['prometheusremotewrite/metrics'].endpoint, ds.url],
    tenants: {
      prometheus: prom.spec.remoteWrite[0].headers?.['X-Scope-OrgID'],
      alloy: alloyTenants,
      otel: otel.exporters['prometheusremotewrite/metrics'].headers?.['X-Scope-OrgID'],
      grafana: ds.jsonData.httpHeaderName1 === 'X-Scope-OrgID' ? ds.secureJsonData.httpHeaderValue1 : undefined,
    },
    ds,
    cfg: mimirYaml(objs),
  };
}

describe('Mimir as remote-write target and datasource', () => {
  const w = writers();

  test('every remote-write URL (Prometheus, Alloy, OTel) and the datasource URL resolve to an emitted Mimir Service and port', () => {
    expect(w.urls.length).toBe(4);
    for (const u of w.urls) expect(urlResolution(u, w.objs)).toBeUndefined();
    const mimirServices = w.mimir.services.map((s) => s.name);
    for (const u of w.urls) {
      const host = /^http:\/\/([a-z0-9-]+)\.monitoring\.svc:8080\//.exec(u);
      expect(host).not.toBeNull();
      expect(mimirServices).toContain(host![1]);
    }
    expect(w.urls.slice(0, 3)).toEqual(Array(3).fill('http://mimir-distributor.monitoring.svc:8080/api/v1/push'));
  });

  test('Grafana gets a Prometheus-type datasource of the Mimir flavour at /prometheus', () => {
    expect(w.ds.type).toBe('prometheus');
    expect(w.ds.jsonData.prometheusType).toBe('Mimir');
    expect(w.ds.url).toBe('http://mimir-query-frontend.monitoring.svc:8080/prometheus');
  });

  test('tenancy off: multitenancy_enabled false and no writer or datasource sends a tenant', () => {
    expect(w.cfg.parsed.multitenancy_enabled).toBe(false);
    expect(w.tenants).toEqual({ prometheus: undefined, alloy: [], otel: undefined, grafana: undefined });
  });
});

describe('Mimir multi-tenancy: one setting', () => {
  const w = writers(MimirTenancy.multi('team-a'));

  test('multitenancy_enabled and the same X-Scope-OrgID on every writer and the datasource', () => {
    expect(w.cfg.parsed.multitenancy_enabled).toBe(true);
    expect(w.tenants).toEqual({ prometheus: 'team-a', alloy: ['team-a'], otel: 'team-a', grafana: 'team-a' });
    expect(w.mimir.tenantId).toBe('team-a');
    expectKnownKeys(w.cfg.raw);
  });
});

describe('Mimir bad input', () => {
  function make(props: MimirProps, withS3 = false): App {
    const app = new App();
    const chart = new Chart(app, 'c');
    new Mimir(chart, 'Mimir', { ...(withS3 ? { objectStorage: s3(chart) } : {}), ...props });
    return app;
  }
  const FIVE = /\[c\/Mimir\] .+\. Received: .+; expected: .+\. Fix: .+/s;

  test('distributed mode with filesystem storage', () => {
    expect(() => make({ mode: MimirMode.DISTRIBUTED })).toThrow(FIVE);
    expect(() => make({ mode: MimirMode.DISTRIBUTED, objectStorage: ObjectStorage.filesystem() }))
      .toThrow(/Distributed mode needs object storage.*Received: ObjectStorage\.filesystem.*Fix: pass 'objectStorage'/s);
  });

  test('zone-awareness with fewer than 3 zones, or a repeated zone', () => {
    expect(() => make({ mode: MimirMode.DISTRIBUTED, ingesterZones: ['zone-a', 'zone-b'] }, true))
      .toThrow(/zone-aware replication needs at least 3 zones, got 2.*Received: \["zone-a","zone-b"\]/s);
    expect(() => make({ mode: MimirMode.DISTRIBUTED, ingesterZones: ['a', 'a', 'b'] }, true)).toThrow(/repeats a zone/);
    expect(() => make({ mode: MimirMode.DISTRIBUTED, ingesterZones: ['Zone A', 'b', 'c'] }, true)).toThrow(/invalid zone name.*Received: "Zone A"/s);
    expect(() => make({ ingesterZones: ['a', 'b', 'c'] })).toThrow(/'ingesterZones' needs Distributed mode/);
  });

  test('replication factor greater than the ingesters (or the zones)', () => {
    expect(() => make({ mode: MimirMode.DISTRIBUTED, targetReplicas: { ingester: 2 }, replicationFactor: 3 }, true))
      .toThrow(/'replicationFactor' \(3\) must be between 1 and the number of ingesters \(2\).*Fix: raise 'targetReplicas\.ingester' to at least 3/s);
    expect(() => make({ replicationFactor: 3 })).toThrow(/Monolithic mode runs one ingester/);
    expect(() => make({ mode: MimirMode.DISTRIBUTED, replicationFactor: 0 }, true)).toThrow(FIVE);
    expect(() => make({ mode: MimirMode.DISTRIBUTED, replicationFactor: 1.5 }, true)).toThrow(/replicationFactor/);
  });

  test('zero, negative or non-finite sizing input', () => {
    for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => make({ workload: { activeSeries: v } })).toThrow(/\[c\/Mimir\] 'workload\.activeSeries' must be a positive number\. Received: .+; expected: a finite number > 0/);
    }
    expect(() => make({ workload: { activeSeries: 1e6, queriesPerSecond: -5 } })).toThrow(/'workload\.queriesPerSecond' must be a positive number/);
    expect(() => make({ workload: { activeSeries: 1e6, scrapeInterval: Duration.seconds(0) } })).toThrow(/'workload\.scrapeInterval' must be a positive number/);
    expect(() => make({ mode: MimirMode.DISTRIBUTED, targetReplicas: { querier: 0 } }, true)).toThrow(/'targetReplicas\.querier' must be a positive integer/);
    expect(() => make({ limits: { ingestionRate: 100000, ingestionBurstSize: 10 } })).toThrow(/'limits\.ingestionBurstSize' is smaller/);
    expect(() => make({ limits: { maxGlobalSeriesPerUser: -1 } })).toThrow(/'limits\.maxGlobalSeriesPerUser' must be a positive integer/);
  });

  test('a tenant id Mimir rejects', () => {
    for (const bad of ['', '.', '..', '__mimir_cluster', 'team a', 'team/a', 'x'.repeat(151), 'tenant|other']) {
      expect(() => make({ tenancy: MimirTenancy.multi(bad) })).toThrow(/\[c\/Mimir\] 'tenancy' is not a tenant id Mimir accepts: .+Received: .+; expected: 1-150 characters/s);
    }
    expect(() => make({ tenancy: MimirTenancy.multi("team-a.prod_(1)*!'") })).not.toThrow();
  });

  test('remote write to a construct that is not a remote-write target', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const prometheus = new Prometheus(chart, 'Prometheus');
    const grafana = new Grafana(chart, 'Grafana', { adminSecret: ADMIN });
    expect(() => prometheus.addRemoteWrite(grafana as any))
      .toThrow(/\[c\/Prometheus\] 'addRemoteWrite' was given a construct that is not a remote-write target\. Received: c\/Grafana.*expected: .*Mimir.*Fix: /s);
    expect(() => new AlloyCollector(chart, 'Alloy', { metricsTarget: grafana as any }))
      .toThrow(/'metricsTarget' is not a remote-write target.*Received: c\/Grafana/s);
    expect(() => new OtelCollector(chart, 'Otel', { metricsTarget: grafana as any }))
      .toThrow(/'metricsTarget' is not a remote-write target.*Received: c\/Grafana/s);
  });

  test('monolithic with several replicas', () => {
    expect(() => make({ replicas: 3 })).toThrow(/'replicas' does not apply to monolithic mode.*Fix: use mode: MimirMode\.DISTRIBUTED/s);
    expect(() => make({ retention: Duration.hours(2) })).toThrow(/retention/);
  });
});

describe('Mimir on one bucket for every purpose', () => {
  test('blocks and rules get distinct prefixes', () => {
    const app = new App();
    const chart = new Chart(app, 'b');
    new Mimir(chart, 'Mimir', {
      namespace: NS,
      mode: MimirMode.DISTRIBUTED,
      objectStorage: ObjectStorage.s3({ bucket: 'metrics', region: 'eu-west-1', credentials: StorageCredentials.fromSecret('aws') }),
    });
    const cfg = mimirYaml(synthApp(app));
    expect(cfg.parsed.blocks_storage.s3.bucket_name).toBe('metrics');
    expect(cfg.parsed.ruler_storage.s3.bucket_name).toBe('metrics');
    expect(cfg.parsed.blocks_storage.storage_prefix).toBe('blocks');
    expect(cfg.parsed.ruler_storage.storage_prefix).toBe('rules');
    expect(cfg.parsed.alertmanager_storage.s3.bucket_name).toBe('metrics');
    expect(cfg.parsed.alertmanager_storage.storage_prefix).toBe('alertmanager');
    expectKnownKeys(cfg.raw);
  });
});
