import { App, Chart, Duration } from 'cdk8s';
import { AlertReceiver, LgtmStack, ObjectStorage, StackProfile, StorageCredentials } from '../../src';
import { SeaweedFs } from '../../src/storage';
import { Tempo, TempoMode, TempoSizing, TempoWorkload } from '../../src/tempo';
import { find, schemaErrors, synthApp, YAML } from '../harness';
import { checkKeys } from '../loki/util';

/**
 * Tempo's published "Size the cluster" ratios (grafana.com/docs/tempo/latest/setup/size/, the 2.x version): replicas per
 * MB/s of received traffic (the middle of each published range) and pod sizes (the lower end of each
 * memory range; the querier's CPU is "dependent" upstream, 1 core assumed).
 */
const GUIDE = {
  distributor: { mbPer: 10, cpu: 2000, memMi: 2048 },
  ingester: { mbPer: 4, cpu: 2500, memMi: 4096 },
  querier: { mbPer: 1.5, cpu: 1000, memMi: 4096 },
  compactor: { mbPer: 4, cpu: 1000, memMi: 4096 },
} as const;
const KINDS = ['distributor', 'ingester', 'querier', 'compactor'] as const;

const within10 = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.1);
const cpu = (s: TempoSizing) => s.resources.spec.cpuMillis;
const memMi = (s: TempoSizing) => s.resources.spec.memory.toMebibytes();

describe('TempoSizing calibration', () => {
  // 30k and 100k spans/s at 500 bytes: 15 and 50 MB/s; 200k: 100 MB/s, the top of the range
  for (const spans of [30_000, 100_000, 200_000]) {
    test(`${spans} spans/s: the guide's component counts and its total CPU and memory within 10 %`, () => {
      const s = TempoSizing.forWorkload({ spansPerSecond: spans });
      const mb = (spans * 500) / 1e6;
      expect(s.ingestMbPerSecond).toBeCloseTo(mb, 6);
      // whole replicas, as the guide's layout would run them
      for (const k of KINDS) within10(s.components[k], Math.ceil(mb / GUIDE[k].mbPer));
      expect(s.components.queryFrontend).toBe(2);
      // the scalable pods together run what the guide's microservices layout runs (volume-scaled parts),
      // plus each pod's query-frontend allowance (250m, 1 GiB)
      const guideCpu = KINDS.reduce((t, k) => t + (mb / GUIDE[k].mbPer) * GUIDE[k].cpu, 0);
      const guideMem = KINDS.reduce((t, k) => t + (mb / GUIDE[k].mbPer) * GUIDE[k].memMi, 0);
      within10(s.replicas * (cpu(s) - 250), guideCpu);
      within10(s.replicas * (memMi(s) - 1024), guideMem);
    });
  }

  test('the pods are the querier count, never below the HA floor of 3 (replication factor 3)', () => {
    expect(TempoSizing.forWorkload({ spansPerSecond: 100 }).replicas).toBe(3);
    expect(TempoSizing.forWorkload({ spansPerSecond: 10_000 }).replicas).toBe(4);
    expect(TempoSizing.forWorkload({ spansPerSecond: 100_000 }).replicas).toBe(34);
    expect(TempoSizing.forWorkload({ spansPerSecond: 100 }).replicationFactor).toBe(3);
  });

  test('the span size and trace-by-ID rate count: bytes are spans x size, lookups add pods', () => {
    const big = TempoSizing.forWorkload({ spansPerSecond: 10_000, averageSpanBytes: 2000 });
    expect(big.ingestMbPerSecond).toBe(20);
    expect(big.replicas).toBe(14);
    expect(TempoSizing.forWorkload({ spansPerSecond: 10_000, traceByIdQueriesPerSecond: 100 }).replicas).toBe(10);
  });

  test('every value grows monotonically with the span rate', () => {
    let prev: TempoSizing | undefined;
    for (const spans of [1, 100, 1000, 3000, 5000, 8999, 9000, 9001, 10_000, 20_000, 50_000, 100_000, 150_000, 200_000]) {
      const s = TempoSizing.forWorkload({ spansPerSecond: spans });
      expect(s.replicas).toBeGreaterThanOrEqual(3);
      if (prev) {
        expect(s.replicas).toBeGreaterThanOrEqual(prev.replicas);
        expect(cpu(s)).toBeGreaterThanOrEqual(cpu(prev));
        expect(memMi(s)).toBeGreaterThanOrEqual(memMi(prev));
        expect(s.resources.spec.memoryLimit!.toMebibytes()).toBeGreaterThanOrEqual(prev.resources.spec.memoryLimit!.toMebibytes());
        expect(s.volume.toGibibytes()).toBeGreaterThanOrEqual(prev.volume.toGibibytes());
        expect(s.objectStorageGb).toBeGreaterThanOrEqual(prev.objectStorageGb);
        expect(s.limits.rateLimitBytes).toBeGreaterThanOrEqual(prev.limits.rateLimitBytes);
        expect(s.limits.burstSizeBytes).toBeGreaterThanOrEqual(prev.limits.burstSizeBytes);
        expect(s.limits.maxTracesPerUser).toBeGreaterThanOrEqual(prev.limits.maxTracesPerUser);
        for (const k of [...KINDS, 'queryFrontend'] as const) expect(s.components[k]).toBeGreaterThanOrEqual(prev.components[k]);
      }
      prev = s;
    }
  });

  test('tenant limits: 1.5x the rate, never below the upstream defaults', () => {
    const small = TempoSizing.forWorkload({ spansPerSecond: 1000 });
    expect(small.limits).toEqual({ rateStrategy: 'global', rateLimitBytes: 15_000_000, burstSizeBytes: 20_000_000, maxTracesPerUser: 10_000 });
    const large = TempoSizing.forWorkload({ spansPerSecond: 100_000 });
    expect(large.limits.rateLimitBytes).toBe(75_000_000);
    expect(large.limits.burstSizeBytes).toBe(75_000_000);
  });

  test('the capped variant sets requests equal to limits', () => {
    const s = TempoSizing.forWorkload({ spansPerSecond: 10_000, capped: true });
    expect(s.resources.spec.cpuLimitMillis).toBe(cpu(s));
    expect(s.resources.spec.memoryLimit!.toMebibytes()).toBe(memMi(s));
    const u = TempoSizing.forWorkload({ spansPerSecond: 10_000 });
    expect(u.resources.spec.cpuLimitMillis).toBeUndefined();
    expect(u.resources.spec.memoryLimit!.toMebibytes()).toBe(Math.ceil((memMi(u) * 1.5) / 64) * 64);
  });

  test('retention sets the bucket estimate', () => {
    const s = TempoSizing.forWorkload({ spansPerSecond: 10_000, retention: Duration.days(7) });
    expect(s.objectStorageGb).toBe(3024); // 5 MB/s x 7 days
  });
});

describe('TempoSizing bad input', () => {
  const cases: Array<[string, any, RegExp]> = [
    ['zero', { spansPerSecond: 0 }, /'workload\.spansPerSecond' must be a positive number\. Received: 0/],
    ['negative', { spansPerSecond: -5 }, /'workload\.spansPerSecond' must be a positive number\. Received: -5/],
    ['NaN', { spansPerSecond: NaN }, /'workload\.spansPerSecond' must be a positive number\. Received: NaN/],
    ['missing', {}, /'workload\.spansPerSecond' must be a positive number\. Received: undefined/],
    ['span size zero', { spansPerSecond: 10, averageSpanBytes: 0 }, /'workload\.averageSpanBytes' must be a positive number/],
    ['queries negative', { spansPerSecond: 10, traceByIdQueriesPerSecond: -1 }, /'workload\.traceByIdQueriesPerSecond' must be a positive number/],
    ['beyond the range', { spansPerSecond: 200_001 }, /beyond the range the scalable Tempo is sized for\. Received: 200001 spans\/s x 500 bytes = 100\.0 MB\/s; expected: at most 100 MB\/s.*Fix: size a cluster this large by hand/],
    ['too many lookups', { spansPerSecond: 10, traceByIdQueriesPerSecond: 2000 }, /'workload\.traceByIdQueriesPerSecond' is beyond the range/],
  ];
  for (const [name, w, re] of cases) {
    test(name, () => expect(() => TempoSizing.forWorkload(w as TempoWorkload)).toThrow(re));
  }
});

describe('Tempo with a workload', () => {
  function build(props: Record<string, any>) {
    const app = new App();
    const chart = new Chart(app, 'c');
    const s3 = new SeaweedFs(chart, 'S3', { namespace: 'monitoring', credentialsSecret: 's3', buckets: ['traces'] });
    const tempo = new Tempo(chart, 'Tempo', { mode: TempoMode.SCALABLE, objectStorage: s3.toObjectStorage({ bucket: 'traces' }), ...props });
    return { tempo, objs: synthApp(app) };
  }

  test('replicas, resources, PVC and ingestion limits come from the sizing; keys exist in Tempo 2.10.8', () => {
    const { tempo, objs } = build({ workload: { spansPerSecond: 30_000 } });
    const sts = find(objs, 'StatefulSet', 'tempo', 'monitoring');
    expect(sts.spec.replicas).toBe(10);
    expect(sts.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '2900m', memory: '8512Mi' }, limits: { memory: '12800Mi' } });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('14Gi');
    const raw = find(objs, 'ConfigMap', 'tempo', 'monitoring').data['tempo.yaml'];
    expect(YAML.parse(raw).overrides.defaults.ingestion).toEqual({
      rate_strategy: 'global', rate_limit_bytes: 23_000_000, burst_size_bytes: 23_000_000, max_traces_per_user: 72_000,
    });
    expect(YAML.parse(raw).ingester.lifecycler.ring.replication_factor).toBe(3);
    expect(checkKeys(raw, 'tempo').output).toBe('');
    expect(tempo.sizing!.replicas).toBe(10);
    expect(find(objs, 'PodDisruptionBudget', 'tempo', 'monitoring').spec.maxUnavailable).toBe(1);
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('explicit replicas and resources win; the workload retention is the block retention', () => {
    const { objs } = build({ workload: { spansPerSecond: 1000, retention: Duration.days(3) }, replicas: 5 });
    expect(find(objs, 'StatefulSet', 'tempo', 'monitoring').spec.replicas).toBe(5);
    expect(YAML.parse(find(objs, 'ConfigMap', 'tempo', 'monitoring').data['tempo.yaml']).compactor.compaction.block_retention).toBe('72h');
  });

  test('a workload for a monolithic Tempo fails', () => {
    expect(() => new Tempo(new Chart(new App(), 'c'), 'Tempo', { workload: { spansPerSecond: 1000 } }))
      .toThrow(/\[c\/Tempo\] 'workload' sizes a scalable Tempo.*Received: mode: "monolithic".*Fix: set mode: TempoMode.SCALABLE/);
  });

  test('contradicting retentions fail; bad workload input fails with the construct path', () => {
    expect(() => build({ workload: { spansPerSecond: 1000, retention: Duration.days(3) }, retention: Duration.days(7) }))
      .toThrow(/'retention' and 'workload\.retention' contradict each other\. Received: retention: 168h, workload\.retention: 72h/);
    expect(() => build({ workload: { spansPerSecond: -1 } })).toThrow(/\[c\/Tempo\] 'workload\.spansPerSecond' must be a positive number/);
  });
});

describe('LgtmStack production profile sizes its Tempo', () => {
  const base = () => {
    const credentials = StorageCredentials.fromSecret('lgtm-s3');
    return {
      profile: StackProfile.PRODUCTION,
      alertmanager: { defaultReceiver: AlertReceiver.webhook('oncall', { url: { secretName: 'am-oncall', key: 'url' } }) },
      grafana: { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } },
      objectStorage: ObjectStorage.s3({ region: 'eu-west-1', bucket: 'lgtm-data', credentials }),
      mimir: { objectStorage: ObjectStorage.s3({ region: 'eu-west-1', buckets: { chunks: 'mimir-blocks', ruler: 'mimir-ruler' }, credentials }) },
    };
  };

  test('10,000 spans/s unless tempo.workload is given; the workload retention becomes the block retention', () => {
    const dflt = new LgtmStack(new App(), 'lgtm', base());
    expect(dflt.tempo!.sizing!.workload.spansPerSecond).toBe(10_000);
    expect(dflt.tempo!.replicas).toBe(4);
    const given = new LgtmStack(new App(), 'lgtm', { ...base(), tempo: { workload: { spansPerSecond: 30_000, retention: Duration.days(3) } } });
    expect(given.tempo!.replicas).toBe(10);
    expect(given.tempo!.sizing!.retention.toDays()).toBe(3);
  });

  test('the minikube profile runs a monolithic Tempo: a workload there fails', () => {
    expect(() => new LgtmStack(new App(), 'lgtm', { ...base(), profile: StackProfile.MINIKUBE, objectStorage: undefined, mimir: undefined, tempo: { workload: { spansPerSecond: 10 } } }))
      .toThrow(/'workload' sizes a scalable Tempo/);
  });
});
