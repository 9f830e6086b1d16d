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
const TARGETS = ['ingester', 'distributor', 'indexGateway', 'querier', 'queryFrontend', 'queryScheduler', 'compactor'] as const;

describe('LokiSizing calibration', () => {
  test('3,000 GB/day reproduces the published tier within 10 % per component', () => {
    const s = LokiSizing.forWorkload({ ingestGbPerDay: 3000 });
    for (const k of TARGETS) {
      within10(s[k].replicas, TIER_3TB[k].replicas);
      within10(cpu(s[k]), TIER_3TB[k].cpu);
      within10(memGi(s[k]), TIER_3TB[k].memGi);
    }
  });

  test('30,000 GB/day reproduces the published ingester, distributor and index-gateway counts of the next tier', () => {
    const s = LokiSizing.forWorkload({ ingestGbPerDay: 30_000 });
    for (const k of ['ingester', 'distributor', 'indexGateway'] as const) {
      within10(s[k].replicas, TIER_30TB[k].replicas);
      within10(memGi(s[k]), TIER_30TB[k].memGi);
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
      if (prev) expect(s.ingestionRateMb).toBeGreaterThanOrEqual(prev.ingestionRateMb);
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
    expect(ingester.resources.requests).toEqual({ cpu: '2000m', memory: '4096Mi' });
    const [cfg] = lokiYamls(objs);
    expect(cfg.parsed.limits_config.ingestion_rate_mb).toBe(53);
    expect(cfg.parsed.common?.replication_factor ?? cfg.parsed.ingester?.lifecycler?.ring?.replication_factor).toBe(3);
    expect(checkKeys(cfg.raw, 'loki').output).toBe('');
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
