import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { MimirSizing, MimirTargetSize } from '../../src/mimir';

/** The published layouts (mimir-distributed small.yaml / large.yaml, as summarised in the project reference). */
const PUBLISHED = {
  small: {
    series: 1_000_000,
    ingesters: 3,
    ingesterCpu: 3500,
    ingesterMemGi: 8,
    ingesterLimitGi: 12,
    ingesterDiskGi: 50,
    distributors: 2,
    distributorCpu: 2000,
    distributorMemGi: 4,
    storeGateways: 3,
  },
  large: { series: 10_000_000, ingesters: 27, distributors: 12 },
};

const within10 = (got: number, want: number) => {
  expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.1);
};
const cpu = (t: MimirTargetSize) => t.resources.spec.cpuMillis;
const memGi = (t: MimirTargetSize) => t.resources.spec.memory.toMebibytes() / 1024;
const limitGi = (t: MimirTargetSize) => (t.resources.spec.memoryLimit ?? t.resources.spec.memory).toMebibytes() / 1024;

const CACHES = ['resultsCache', 'chunksCache', 'indexCache', 'metadataCache'] as const;

describe('MimirSizing recommended caches (mimir-distributed small.yaml / large.yaml over the values.yaml defaults)', () => {
  test('1M series: 3 replicas each at the chart defaults; 10M: results cache 1024 MB', () => {
    const small = MimirSizing.forWorkload({ activeSeries: 1e6 });
    const large = MimirSizing.forWorkload({ activeSeries: 1e7 });
    const mb = (s: MimirSizing) => CACHES.map((k) => s[k].memoryMb);
    expect(mb(small)).toEqual([512, 8192, 2048, 512]);
    expect(mb(large)).toEqual([1024, 8192, 2048, 512]);
    for (const k of CACHES) {
      expect(small[k].replicas).toBe(3);
      expect(large[k].replicas).toBe(3);
      // the chart's request: floor(1.2 * allocatedMemory)
      expect(small[k].memoryRequest.toMebibytes()).toBe(Math.floor(small[k].memoryMb * 1.2));
    }
    expect(CACHES.map((k) => small[k].maxItemMb)).toEqual([5, 1, 5, 1]);
  });

  test('every cache size is non-decreasing in series and in queries/s, and never under its floor', () => {
    let prev: MimirSizing | undefined;
    for (const activeSeries of [1, 1e3, 1e5, 5e5, 1e6, 3e6, 1e7, 1e8]) {
      const s = MimirSizing.forWorkload({ activeSeries });
      expect(s.chunksCache.memoryMb).toBeGreaterThanOrEqual(1024);
      expect(s.resultsCache.memoryMb).toBeGreaterThanOrEqual(64);
      for (const k of CACHES) {
        expect(s[k].memoryMb % 64).toBe(0);
        if (prev) expect(s[k].memoryMb).toBeGreaterThanOrEqual(prev[k].memoryMb);
      }
      prev = s;
    }
    const byQ = [1, 5, 10, 50, 500].map((queriesPerSecond) => MimirSizing.forWorkload({ activeSeries: 1e6, queriesPerSecond }).resultsCache.memoryMb);
    expect(byQ).toEqual([...byQ].sort((a, b) => a - b));
    expect(byQ[byQ.length - 1]).toBe(1024);
  });
});

describe('MimirSizing calibration', () => {
  test('1M active series reproduces the published small layout within 10 % per component', () => {
    const s = MimirSizing.forWorkload({ activeSeries: PUBLISHED.small.series });
    const p = PUBLISHED.small;
    within10(s.ingester.replicas, p.ingesters);
    within10(cpu(s.ingester), p.ingesterCpu);
    within10(memGi(s.ingester), p.ingesterMemGi);
    within10(limitGi(s.ingester), p.ingesterLimitGi);
    within10(s.ingester.volume!.toGibibytes(), p.ingesterDiskGi);
    within10(s.distributor.replicas, p.distributors);
    within10(cpu(s.distributor), p.distributorCpu);
    within10(memGi(s.distributor), p.distributorMemGi);
    within10(s.storeGateway.replicas, p.storeGateways);
    expect(s.samplesPerSecond).toBe(66_667);
    expect(s.replicationFactor).toBe(3);
    // no CPU limit in the uncapped variant
    expect(s.ingester.resources.spec.cpuLimitMillis).toBeUndefined();
  });

  test('10M active series reproduces the published large layout within 10 % per component', () => {
    const s = MimirSizing.forWorkload({ activeSeries: PUBLISHED.large.series });
    within10(s.ingester.replicas, PUBLISHED.large.ingesters);
    within10(s.distributor.replicas, PUBLISHED.large.distributors);
    expect(s.ingester.replicas % 3).toBe(0);
  });

  test('capped variant: requests equal limits (CPU and memory)', () => {
    const s = MimirSizing.forWorkload({ activeSeries: 1_000_000, capped: true });
    for (const t of [s.ingester, s.distributor, s.querier, s.storeGateway, s.compactor, s.queryFrontend, s.queryScheduler]) {
      expect(t.resources.spec.cpuLimitMillis).toBe(t.resources.spec.cpuMillis);
      expect(t.resources.spec.memoryLimit!.toMebibytes()).toBe(t.resources.spec.memory.toMebibytes());
    }
    within10(memGi(s.ingester), PUBLISHED.small.ingesterLimitGi);
  });

  test('tenant limits let one tenant write the whole workload (never the 150,000 default when larger)', () => {
    for (const series of [1e6, 1e7]) {
      const s = MimirSizing.forWorkload({ activeSeries: series });
      expect(s.limits.maxGlobalSeriesPerUser!).toBeGreaterThan(series);
      expect(s.limits.ingestionRate!).toBeGreaterThan(s.samplesPerSecond);
      expect(s.limits.ingestionBurstSize!).toBeGreaterThanOrEqual(s.limits.ingestionRate!);
    }
    expect(MimirSizing.forWorkload({ activeSeries: 10_000 }).limits.maxGlobalSeriesPerUser).toBe(150_000);
  });

  test('a longer scrape interval means fewer samples/s and fewer distributors', () => {
    const a = MimirSizing.forWorkload({ activeSeries: 10e6 });
    const b = MimirSizing.forWorkload({ activeSeries: 10e6, scrapeInterval: Duration.seconds(60) });
    expect(b.samplesPerSecond).toBeLessThan(a.samplesPerSecond);
    expect(b.distributor.replicas).toBeLessThan(a.distributor.replicas);
  });
});

describe('MimirSizing grows monotonically with the input', () => {
  const grid = [1, 1e3, 1e4, 5e4, 1e5, 2e5, 5e5, 8e5, 1e6, 1.2e6, 2e6, 3e6, 5e6, 7.5e6, 1e7, 1.5e7, 2e7, 5e7, 1e8];
  const keys = ['distributor', 'ingester', 'querier', 'queryFrontend', 'queryScheduler', 'storeGateway', 'compactor'] as const;
  for (const capped of [false, true]) {
    test(`every replica count, request, limit, volume and tenant limit (${capped ? 'capped' : 'uncapped'})`, () => {
      const sizes = grid.map((activeSeries) => MimirSizing.forWorkload({ activeSeries, capped }));
      for (let i = 1; i < sizes.length; i++) {
        const [a, b] = [sizes[i - 1], sizes[i]];
        for (const k of keys) {
          expect(b[k].replicas).toBeGreaterThanOrEqual(a[k].replicas);
          expect(cpu(b[k])).toBeGreaterThanOrEqual(cpu(a[k]));
          expect(memGi(b[k])).toBeGreaterThanOrEqual(memGi(a[k]));
          expect(limitGi(b[k])).toBeGreaterThanOrEqual(limitGi(a[k]));
          // total capacity of the target never shrinks
          expect(b[k].replicas * cpu(b[k])).toBeGreaterThanOrEqual(a[k].replicas * cpu(a[k]));
          if (a[k].volume) expect(b[k].volume!.toGibibytes() * b[k].replicas).toBeGreaterThanOrEqual(a[k].volume!.toGibibytes() * a[k].replicas);
        }
        expect(b.limits.maxGlobalSeriesPerUser!).toBeGreaterThanOrEqual(a.limits.maxGlobalSeriesPerUser!);
        expect(b.limits.ingestionRate!).toBeGreaterThanOrEqual(a.limits.ingestionRate!);
      }
    });
  }

  test('queries per second raise queriers and frontends monotonically', () => {
    const q = [0.1, 1, 5, 10, 50, 100, 500].map((queriesPerSecond) => MimirSizing.forWorkload({ activeSeries: 1e6, queriesPerSecond }));
    for (let i = 1; i < q.length; i++) {
      expect(q[i].querier.replicas).toBeGreaterThanOrEqual(q[i - 1].querier.replicas);
      expect(q[i].queryFrontend.replicas).toBeGreaterThanOrEqual(q[i - 1].queryFrontend.replicas);
      expect(cpu(q[i].querier)).toBeGreaterThanOrEqual(cpu(q[i - 1].querier));
    }
  });

  test('bad input outside a construct fails with the five-part message', () => {
    expect(() => MimirSizing.forWorkload({ activeSeries: 0 }))
      .toThrow(/\[MimirSizing\.forWorkload\] 'workload\.activeSeries' must be a positive number\. Received: 0; expected: .+\. Fix: .+/);
    expect(() => MimirSizing.forWorkload({ activeSeries: -3 })).toThrow(/Received: -3/);
  });
});

describe('the sizing table of docs/components/mimir.md', () => {
  const fmtMem = (x: { toMebibytes(): number }) => {
    const mi = x.toMebibytes();
    return mi >= 1024 ? `${+(mi / 1024).toFixed(2)}Gi` : `${mi}Mi`;
  };
  const fmt = (t: MimirTargetSize) => {
    const s = t.resources.spec;
    const c = s.cpuMillis >= 1000 ? `${s.cpuMillis / 1000}` : `${s.cpuMillis}m`;
    return `${t.replicas} x ${c} / ${fmtMem(s.memory)}${s.memoryLimit ? ` (limit ${fmtMem(s.memoryLimit)})` : ''}${t.volume ? `, ${t.volume.toGibibytes()}Gi` : ''}`;
  };
  test('matches MimirSizing for 100k, 1M and 10M series', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'components', 'mimir.md'), 'utf8');
    const sizes = [1e5, 1e6, 1e7].map((activeSeries) => MimirSizing.forWorkload({ activeSeries }));
    for (const k of ['distributor', 'ingester', 'querier', 'queryFrontend', 'queryScheduler', 'storeGateway', 'compactor'] as const) {
      expect(doc).toContain(`| ${k} | ${sizes.map((s) => fmt(s[k])).join(' | ')} |`);
    }
    expect(doc).toContain(`| tenant limits | ${sizes.map((s) => `${s.limits.maxGlobalSeriesPerUser} series, ${s.limits.ingestionRate}/s, burst ${s.limits.ingestionBurstSize}`).join(' | ')} |`);
    for (const k of CACHES) {
      expect(doc).toContain(`| ${k} | ${sizes.map((s) => `${s[k].replicas} x ${s[k].memoryMb} MB (request ${s[k].memoryRequest.toMebibytes()}Mi)`).join(' | ')} |`);
    }
  });
});
