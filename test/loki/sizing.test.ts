import { App, Chart } from 'cdk8s';
import { checkKeys, lokiYamls } from './util';
import { Loki, LokiMode, LokiProfile, LokiSizing, LokiTargetSize } from '../../src/loki';
import { SeaweedFs } from '../../src/storage';
import { find, schemaErrors, synthApp } from '../harness';

/** Loki's published "Size the cluster" tier "less than 3 TB/day", taken at 3,000 GB/day. */
const TIER_3TB: Record<string, { replicas: number; cpu: number; memGi: number }> = {
  ingester: { replicas: 6, cpu: 2000, memGi: 4 },
  distributor: { replicas: 4, cpu: 2000, memGi: 0.5 },
  indexGateway: { replicas: 4, cpu: 500, memGi: 2 },
  querier: { replicas: 10, cpu: 1000, memGi: 1 },
  queryFrontend: { replicas: 2, cpu: 1000, memGi: 2 },
  queryScheduler: { replicas: 2, cpu: 1000, memGi: 0.5 },
  compactor: { replicas: 1, cpu: 2000, memGi: 10 },
};
/** The next tier's published counts at 30 TB/day. */
const TIER_30TB = { ingester: { replicas: 90, memGi: 6 }, distributor: { replicas: 40, memGi: 1 }, indexGateway: { replicas: 10, memGi: 4 } };

const within10 = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.1);
const cpu = (t: LokiTargetSize) => t.resources.spec.cpuMillis;
const memGi = (t: LokiTargetSize) => t.resources.spec.memory.toMebibytes() / 1024;
/** The embedded cache (MB) a target's memory includes on top of the published pod. */
const cacheOf = (s: LokiSizing, k: string) =>
  k === 'queryFrontend' ? s.resultsCacheMb : k === 'querier' || k === 'ingester' ? s.chunkCacheMb : 0;
/** The published pod memory: the request without the embedded cache (the guide puts caches in memcached). */
const podGi = (s: LokiSizing, k: string) => memGi((s as any)[k]) - cacheOf(s, k) / 1024;
const TARGETS = ['ingester', 'distributor', 'indexGateway', 'querier', 'queryFrontend', 'queryScheduler', 'compactor'] as const;

describe('LokiSizing calibration', () => {
  test('3,000 GB/day reproduces the published tier within 10 % per component', () => {
    const s = LokiSizing.forWorkload({ ingestGbPerDay: 3000 });
    for (const k of TARGETS) {
      within10(s[k].replicas, TIER_3TB[k].replicas);
      within10(cpu(s[k]), TIER_3TB[k].cpu);
      within10(podGi(s, k), TIER_3TB[k].memGi);
    }
  });

  test('30,000 GB/day reproduces the published ingester, distributor and index-gateway counts of the next tier', () => {
    const s = LokiSizing.forWorkload({ ingestGbPerDay: 30_000 });
    for (const k of ['ingester', 'distributor', 'indexGateway'] as const) {
      within10(s[k].replicas, TIER_30TB[k].replicas);
      within10(podGi(s, k), TIER_30TB[k].memGi);
    }
  });

  test('every value grows monotonically with the volume, and HA floors hold', () => {
    let prev: LokiSizing | undefined;
    for (const gb of [1, 10, 50, 100, 300, 1000, 2000, 2999, 3000, 3001, 5000, 10_000, 20_000, 30_000]) {
      const s = LokiSizing.forWorkload({ ingestGbPerDay: gb });
      expect(s.ingester.replicas).toBeGreaterThanOrEqual(3);
      expect(s.replicationFactor).toBe(3);
      for (const k of TARGETS) {
        if (k !== 'compactor') expect(s[k].replicas).toBeGreaterThanOrEqual(2);
        if (prev) {
          expect(s[k].replicas).toBeGreaterThanOrEqual(prev[k].replicas);
          expect(cpu(s[k])).toBeGreaterThanOrEqual(cpu(prev[k]));
          expect(memGi(s[k])).toBeGreaterThanOrEqual(memGi(prev[k]));
        }
      }
      if (prev) {
        expect(s.ingestionRateMb).toBeGreaterThanOrEqual(prev.ingestionRateMb);
        expect(s.resultsCacheMb).toBeGreaterThanOrEqual(prev.resultsCacheMb);
        expect(s.chunkCacheMb).toBeGreaterThanOrEqual(prev.chunkCacheMb);
      }
      prev = s;
    }
  });

  test('ingestion limits let one tenant write the whole volume with headroom', () => {
    const s = LokiSizing.forWorkload({ ingestGbPerDay: 3000 });
    expect(s.ingestMbPerSecond).toBeCloseTo(34.72, 1);
    expect(s.ingestionRateMb).toBe(53);
    expect(s.ingestionBurstSizeMb).toBe(106);
    expect(LokiSizing.forWorkload({ ingestGbPerDay: 10 }).ingestionRateMb).toBe(4); // upstream default floor
  });

  test('embedded caches: linear from the 3 TB/day point between floor and cap, above the upstream default', () => {
    const at = (gb: number) => LokiSizing.forWorkload({ ingestGbPerDay: gb });
    expect([at(3000).resultsCacheMb, at(3000).chunkCacheMb]).toEqual([256, 512]);
    expect([at(1).resultsCacheMb, at(1).chunkCacheMb]).toEqual([128, 256]);
    expect([at(30_000).resultsCacheMb, at(30_000).chunkCacheMb]).toEqual([1024, 2048]);
    for (const gb of [1, 100, 1000, 3000, 10_000, 30_000]) {
      const s = at(gb);
      expect(s.resultsCacheMb).toBeGreaterThan(100); // upstream default max_size_mb
      expect(s.resultsCacheMb % 64).toBe(0);
      expect(s.chunkCacheMb % 64).toBe(0);
    }
  });

  test('memory accounting: each cache is in the request and the limit of the pods that fill it, and only there', () => {
    for (const capped of [false, true]) {
      const s = LokiSizing.forWorkload({ ingestGbPerDay: 3000, capped });
      const req = (k: typeof TARGETS[number]) => s[k].resources.spec.memory.toMebibytes();
      const lim = (k: typeof TARGETS[number]) => s[k].resources.spec.memoryLimit!.toMebibytes();
      // the published pods (4 Gi ingester, 1 Gi querier, 2 Gi query-frontend) plus the cache
      const published: Record<string, number> = {
        ingester: 4096, querier: 1024, queryFrontend: 2048, distributor: 512, indexGateway: 2048, queryScheduler: 512, compactor: 10240,
      };
      for (const k of TARGETS) {
        const limit = Math.ceil((published[k] * 1.5) / 64) * 64 + cacheOf(s, k);
        expect(lim(k)).toBe(limit);
        expect(req(k)).toBe(capped ? limit : published[k] + cacheOf(s, k));
      }
    }
  });

  test('the capped variant sets requests equal to limits', () => {
    const s = LokiSizing.forWorkload({ ingestGbPerDay: 1000, capped: true });
    for (const k of TARGETS) {
      expect(s[k].resources.spec.cpuLimitMillis).toBe(cpu(s[k]));
      expect(s[k].resources.spec.memoryLimit!.toMebibytes()).toBe(s[k].resources.spec.memory.toMebibytes());
    }
  });
});

describe('Loki with a workload', () => {
  function build(props: Record<string, any>) {
    const app = new App();
    const chart = new Chart(app, 'loki');
    const s3 = new SeaweedFs(chart, 'S3', { namespace: 'monitoring', credentialsSecret: 'loki-s3', buckets: ['loki-chunks'] });
    const loki = new Loki(chart, 'Loki', { namespace: 'monitoring', objectStorage: s3.toObjectStorage({ bucket: 'loki-chunks' }), ...props });
    return { app, loki };
  }

  test('the sizing reaches the workloads and loki.yaml, and the keys exist in the pinned version', () => {
    const { app, loki } = build({ mode: LokiMode.DISTRIBUTED, workload: { ingestGbPerDay: 3000 } });
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(loki.sizing!.ingester.replicas).toBe(6);
    expect(find(objs, 'StatefulSet', 'loki-ingester', 'monitoring')!.spec.replicas).toBe(6);
    expect(find(objs, 'Deployment', 'loki-querier', 'monitoring')!.spec.replicas).toBe(10);
    const ingester = find(objs, 'StatefulSet', 'loki-ingester', 'monitoring')!.spec.template.spec.containers[0];
    expect(ingester.resources.requests).toEqual({ cpu: '2000m', memory: '4608Mi' }); // 4 Gi + 512 MB chunk cache
    const querier = find(objs, 'Deployment', 'loki-querier', 'monitoring')!.spec.template.spec.containers[0];
    expect(querier.resources.requests.memory).toBe('1536Mi'); // 1 Gi + 512 MB chunk cache
    const qf = find(objs, 'Deployment', 'loki-query-frontend', 'monitoring')!.spec.template.spec.containers[0];
    expect(qf.resources.requests.memory).toBe('2304Mi'); // 2 Gi + 256 MB results cache
    const [cfg] = lokiYamls(objs);
    expect(cfg.parsed.query_range.results_cache.cache.embedded_cache).toEqual({ enabled: true, max_size_mb: 256 });
    expect(cfg.parsed.chunk_store_config.chunk_cache_config.embedded_cache).toEqual({ enabled: true, max_size_mb: 512 });
    expect(cfg.parsed.limits_config.ingestion_rate_mb).toBe(53);
    expect(cfg.parsed.common?.replication_factor ?? cfg.parsed.ingester?.lifecycler?.ring?.replication_factor).toBe(3);
    expect(checkKeys(cfg.raw, 'loki').output).toBe('');
  });

  test('the cache sizes follow the volume into loki.yaml (keys valid at every tier)', () => {
    for (const [gb, results, chunks] of [[100, 128, 256], [30_000, 1024, 2048]]) {
      const { app } = build({ mode: LokiMode.DISTRIBUTED, workload: { ingestGbPerDay: gb } });
      const [cfg] = lokiYamls(synthApp(app));
      expect(cfg.parsed.query_range.results_cache.cache.embedded_cache.max_size_mb).toBe(results);
      expect(cfg.parsed.chunk_store_config.chunk_cache_config.embedded_cache.max_size_mb).toBe(chunks);
      expect(checkKeys(cfg.raw, 'loki').output).toBe('');
    }
  });

  test('explicit targetReplicas still win over the sizing', () => {
    const { app } = build({ mode: LokiMode.DISTRIBUTED, workload: { ingestGbPerDay: 3000 }, targetReplicas: { querier: 4 } });
    expect(find(synthApp(app), 'Deployment', 'loki-querier', 'monitoring')!.spec.replicas).toBe(4);
  });

  test.each([
    [{ ingestGbPerDay: 0 }, /'workload\.ingestGbPerDay' must be a positive number[\s\S]*Received: 0[\s\S]*Fix: set 'workload\.ingestGbPerDay'/],
    [{ ingestGbPerDay: -5 }, /must be a positive number[\s\S]*Received: -5/],
    [{ ingestGbPerDay: Number.NaN }, /must be a positive number[\s\S]*Received: NaN/],
    [{ ingestGbPerDay: '100' }, /'workload\.ingestGbPerDay' must be a number[\s\S]*Received: "100" \(string\)/],
    [{}, /must be a positive number[\s\S]*Received: undefined/],
    [{ ingestGbPerDay: 50_000 }, /beyond the published sizing tiers[\s\S]*Received: 50000[\s\S]*expected: at most 30000 GB\/day[\s\S]*Fix: size a cluster this large by hand/],
  ])('bad workload %p fails with the five-part message and the construct path', (workload, msg) => {
    expect(() => build({ mode: LokiMode.DISTRIBUTED, workload })).toThrow(msg);
    expect(() => build({ mode: LokiMode.DISTRIBUTED, workload })).toThrow(/\[loki\/Loki\]/);
  });

  test('a workload on a Monolithic Loki, or together with a profile, fails', () => {
    expect(() => build({ workload: { ingestGbPerDay: 100 } })).toThrow(/\[loki\/Loki\] 'workload' sizes a Distributed Loki[\s\S]*Received: mode: "monolithic"[\s\S]*Fix: set mode: LokiMode.DISTRIBUTED/);
    expect(() => build({ mode: LokiMode.DISTRIBUTED, profile: LokiProfile.PRODUCTION, workload: { ingestGbPerDay: 100 } }))
      .toThrow(/'workload' and 'profile' both size Loki[\s\S]*Fix: leave out profile/);
  });
});
