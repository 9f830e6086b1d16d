/* eslint-disable @typescript-eslint/no-deprecated */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Images } from '../../src/core/images';
import { Promtail, PromtailProps, PromtailStage } from '../../src/promtail';
import { PROMTAIL_DEPRECATION, WARNING_METADATA } from '../../src/promtail/deprecation';
import { FakeLogsBackend } from '../alloy/fixtures';
import { find, K8sObject, restrictedViolations, schemaErrors, selectorMatches, synthApp, urlResolution, YAML } from '../harness';

const NS = 'monitoring-agents';

/** Seed 002: the Go log generator writes ./logs/backend, ./logs/frontend; Promtail labels them job=<dir>. */
const SEED_002_TARGETS = [
  { job: 'backend', hostPath: '/srv/app/logs/backend' },
  { job: 'frontend', hostPath: '/srv/app/logs/frontend', include: '*.log', labels: { env: 'dev' } },
];

function build(props: Partial<PromtailProps> = {}, backend: { tenantId?: string; url?: string } = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'logs');
  const loki = new FakeLogsBackend(chart, 'Loki', backend);
  const promtail = new Promtail(chart, 'Promtail', { namespace: NS, ...props });
  promtail.addLogsDestination(loki);
  return { app, promtail, objs: () => synthApp(app) };
}

function config(objs: K8sObject[]): any {
  return YAML.parse(find(objs, 'ConfigMap', 'promtail', NS).data['promtail.yaml']);
}

let warn: jest.SpyInstance;
beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });
afterEach(() => warn.mockRestore());

describe('Promtail (deprecated)', () => {
  test('renders promtail.yaml for static host files with job labels and for Pod logs', () => {
    const { objs } = build({ staticTargets: SEED_002_TARGETS, externalLabels: { cluster: 'dev' } }, { tenantId: 'team-a' });
    expect(find(objs(), 'ConfigMap', 'promtail', NS).data['promtail.yaml']).toMatchSnapshot();
  });

  test('the deprecation warning is attached and printed once at synth', () => {
    const { promtail, objs } = build();
    expect(promtail.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => m.data)).toEqual([PROMTAIL_DEPRECATION]);
    expect(PROMTAIL_DEPRECATION).toBe('Promtail reached end of life on 2026-03-02; use AlloyLogs (migrate with `alloy convert --source-format=promtail`)');
    objs();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(`[WARNING] logs/Promtail: ${PROMTAIL_DEPRECATION}`);
  });

  test('the class is marked @deprecated in its TSDoc', () => {
    const src = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'promtail', 'promtail.ts'), 'utf8');
    expect(src).toMatch(/@deprecated Promtail reached end of life on 2026-03-02[\s\S]*\*\/\nexport class Promtail /);
  });

  test('server, durable positions and clients from the backend pushUrl and tenant', () => {
    const cfg = config(build({ externalLabels: { cluster: 'dev' } }, { tenantId: 'team-a' }).objs());
    expect(cfg.server).toEqual({ http_listen_port: 3101, grpc_listen_port: 0, log_level: 'info' });
    expect(cfg.positions).toEqual({ filename: '/var/lib/promtail/positions.yaml' });
    expect(cfg.clients).toEqual([{ url: 'http://fake-loki.monitoring.svc:3100/loki/api/v1/push', tenant_id: 'team-a', external_labels: { cluster: 'dev' } }]);
    expect(config(build().objs()).clients).toEqual([{ url: 'http://fake-loki.monitoring.svc:3100/loki/api/v1/push' }]);
  });

  test('every push URL in the config resolves to an emitted Service and port', () => {
    const objs = build().objs();
    const urls = config(objs).clients.map((c: any) => c.url);
    expect(urls).toHaveLength(1);
    for (const u of urls) expect(urlResolution(u, objs)).toBeUndefined();
  });

  test('Pod logs via kubernetes_sd, node-local (__host__), CRI + JSON stages, level label, trace_id metadata', () => {
    const job = config(build().objs()).scrape_configs[0];
    expect(job.job_name).toBe('kubernetes-pods');
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    expect(job.pipeline_stages).toEqual([
      { cri: {} },
      { json: { expressions: { level: 'level', trace_id: 'trace_id' } } },
      { labels: { level: '' } },
      { structured_metadata: { trace_id: '' } },
    ]);
    expect(job.relabel_configs.map((r: any) => r.target_label)).toEqual(['__host__', 'namespace', 'pod', 'container', 'app', 'job', '__path__']);
    expect(job.relabel_configs[6]).toEqual({ source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: '__path__', replacement: '/var/log/pods/*$1/*.log' });
    const c = find(build().objs(), 'DaemonSet', 'promtail', NS).spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }]);
  });

  test('static host directories, mounted read-only, with job labels and their own stages', () => {
    const objs = build({
      kubernetesPods: false,
      staticTargets: [...SEED_002_TARGETS, { job: 'worker', hostPath: '/srv/app/logs/worker', pipelineStages: [PromtailStage.dropMatching('{job="worker"} |= "heartbeat"')] }],
    }).objs();
    const cfg = config(objs);
    expect(cfg.scrape_configs).toEqual([
      { job_name: 'backend', static_configs: [{ targets: ['localhost'], labels: { job: 'backend', __path__: '/var/log/static/0/*.log' } }] },
      { job_name: 'frontend', static_configs: [{ targets: ['localhost'], labels: { env: 'dev', job: 'frontend', __path__: '/var/log/static/1/*.log' } }] },
      {
        job_name: 'worker',
        static_configs: [{ targets: ['localhost'], labels: { job: 'worker', __path__: '/var/log/static/2/*.log' } }],
        pipeline_stages: [{ match: { selector: '{job="worker"} |= "heartbeat"', action: 'drop', drop_counter_reason: 'drop_filter' } }],
      },
    ]);
    const pod = find(objs, 'DaemonSet', 'promtail', NS).spec.template.spec;
    expect(pod.volumes.filter((v: any) => v.name.startsWith('static-'))).toEqual([
      { name: 'static-0', hostPath: { path: '/srv/app/logs/backend', type: 'Directory' } },
      { name: 'static-1', hostPath: { path: '/srv/app/logs/frontend', type: 'Directory' } },
      { name: 'static-2', hostPath: { path: '/srv/app/logs/worker', type: 'Directory' } },
    ]);
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('static-')).every((m: any) => m.readOnly)).toBe(true);
    expect(pod.volumes.some((v: any) => v.name === 'pods')).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('positions live on a durable hostPath', () => {
    const pod = find(build().objs(), 'DaemonSet', 'promtail', NS).spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'positions')).toEqual({ name: 'positions', hostPath: { path: '/var/lib/promtail/promtail', type: 'DirectoryOrCreate' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'positions', mountPath: '/var/lib/promtail' });
  });

  test('every object passes the schema harness; image pinned to the last Promtail release', () => {
    const objs = build({ staticTargets: SEED_002_TARGETS }).objs();
    expect(schemaErrors(objs)).toEqual([]);
    expect(find(objs, 'DaemonSet', 'promtail', NS).spec.template.spec.containers[0].image).toBe(Images.PROMTAIL);
    expect(Images.PROMTAIL).toBe('docker.io/grafana/promtail:3.6.11');
  });

  test('Pod Security "restricted" violations are exactly the documented exceptions', () => {
    const objs = build({ staticTargets: SEED_002_TARGETS }).objs();
    const expected = [
      'volume positions uses hostPath',
      'volume pods uses hostPath',
      'volume static-0 uses hostPath',
      'volume static-1 uses hostPath',
      'promtail: runAsNonRoot must be true',
      'promtail: runAsUser 0',
    ];
    expect(restrictedViolations(objs)).toEqual(expected.map((e) => `DaemonSet/${NS}/promtail: ${e}`));
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'components', 'alloy.md'), 'utf8');
    for (const e of ['volume positions uses hostPath', 'volume pods uses hostPath', 'volume static-<i> uses hostPath', 'promtail: runAsNonRoot must be true', 'promtail: runAsUser 0']) {
      expect(doc).toContain(e);
    }
    const c = find(objs, 'DaemonSet', 'promtail', NS).spec.template.spec.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('least-privilege RBAC, Service and ServiceMonitor', () => {
    const objs = build().objs();
    expect(find(objs, 'ClusterRole', 'monitoring-agents-promtail').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    const svc = find(objs, 'Service', 'promtail', NS);
    expect(svc.spec.ports[0]).toMatchObject({ name: 'http', port: 3101 });
    expect(selectorMatches(find(objs, 'ServiceMonitor', 'promtail', NS).spec.selector, svc.metadata.labels)).toBe(true);
  });
});

describe('Promtail bad input', () => {
  const chart = () => new Chart(Testing.app(), 'c');
  beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });

  test('fails when a drop stage is invalid LogQL', () => {
    expect(() => build({ staticTargets: [{ job: 'a', hostPath: '/srv/a', pipelineStages: [PromtailStage.dropMatching('{job="a" |= "x"')] }] }).objs())
      .toThrow(/staticTargets\[0\]\.pipelineStages\[0\]: invalid LogQL at position/);
    expect(() => build({ kubernetesPodStages: [PromtailStage.dropMatching('|= "x"')] }).objs()).toThrow(/kubernetesPodStages\[0\]: invalid LogQL/);
  });

  test('fails when a static host path is relative or not normalised', () => {
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: 'backend', hostPath: './logs/backend' }] }))
      .toThrow(/'staticTargets\[0\]\.hostPath' is not an absolute, normalised host path\. Received: "\.\/logs\/backend".*Fix: use an absolute path, e\.g\. "\/logs\/backend"/);
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: 'backend', hostPath: '/srv/../etc' }] })).toThrow(/not an absolute, normalised host path/);
  });

  test('fails when the positions path is ephemeral or relative', () => {
    expect(() => new Promtail(chart(), 'P', { namespace: NS, positionsHostPath: '/tmp/promtail' })).toThrow(/'positionsHostPath' is on an ephemeral host directory/);
    expect(() => new Promtail(chart(), 'P', { namespace: NS, positionsHostPath: 'positions' })).toThrow(/'positionsHostPath' is not an absolute, normalised host path/);
  });

  test('fails on bad static targets: include glob, duplicate job, label names', () => {
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: 'a', hostPath: '/srv/a', include: '/etc/*.log' }] })).toThrow(/staticTargets\[0\]\.include must be a glob relative to hostPath/);
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: 'a', hostPath: '/srv/a', include: '../*.log' }] })).toThrow(/must be a glob relative/);
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: 'a', hostPath: '/srv/a' }, { job: 'a', hostPath: '/srv/b' }] })).toThrow(/job 'a' is defined twice/);
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: '', hostPath: '/srv/a' }] })).toThrow(/staticTargets\[0\]\.job is empty/);
    expect(() => new Promtail(chart(), 'P', { namespace: NS, staticTargets: [{ job: 'a', hostPath: '/srv/a', labels: { 'my-env': 'x' } }] })).toThrow(/staticTargets\[0\]\.labels: 'my-env' is not a valid Loki label name/);
    expect(() => build({ kubernetesPodStages: [PromtailStage.labels(['trace-id'])] }).objs()).toThrow(/kubernetesPodStages\[0\]: 'trace-id' is not a valid Loki label name/);
  });

  test('fails when there is nothing to tail or no destination', () => {
    expect(() => new Promtail(chart(), 'P', { namespace: NS, kubernetesPods: false })).toThrow(/Promtail has nothing to tail/);
    const app = Testing.app();
    new Promtail(new Chart(app, 'c'), 'P', { namespace: NS });
    expect(() => app.synth()).toThrow(/Promtail 'promtail' has no logs destination/);
  });

  test('fails at synth when the tenant is one Loki rejects', () => {
    expect(() => build({}, { tenantId: 'a b' }).objs()).toThrow(/has a tenant Loki rejects\. Received: "a b"/);
  });
});
