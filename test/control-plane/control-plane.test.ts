/**
 * Every dist/ folder on a real control plane: etcd + kube-apiserver (admission on, PodSecurity enforcing the
 * namespace labels) + kube-controller-manager, and the Prometheus Operator at the shipped version.
 * Each folder gets a fresh control plane; new folders are covered as they appear in dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RENDERED_APPS } from '../../examples/apps';
import { Images } from '../../src/core/images';
import { engineBinary } from '../engines';
import { DIST, loadFolder, RenderedObject } from './apply';
import { ControlPlane, ETCD_VERSION } from './cluster';
import { OPERATOR_VERSION } from './operator';
import { checkFolder, summary } from './run';

const FOLDERS = fs.readdirSync(DIST).filter((f) => fs.statSync(path.join(DIST, f)).isDirectory()).sort();
const RUN_MS = 420_000;

describe('control plane: every dist/ folder applied, admitted and reconciled', () => {
  test('dist/ has folders to check', () => {
    expect(FOLDERS).toEqual(expect.arrayContaining(['reference']));
  });

  test.each(FOLDERS)('dist/%s', async (folder) => {
    // an addition (examples/apps.ts `additionTo`) is applied on top of the stack it extends, as users do
    const base = RENDERED_APPS.find((a) => a.name === folder)?.additionTo;
    const report = await checkFolder(folder, [...(base ? loadFolder(path.join(DIST, base)) : []), ...loadFolder(path.join(DIST, folder))]);
    console.log(summary(folder, report));
    expect(report.problems).toEqual([]);
    // the kubelet jobs authenticate with the rotated ServiceAccount token from the scrape class (promtool
    // accepted the config above), never with the deprecated bearer_token_file
    const kubelet = [...(report.scrapeConfigs)].filter(([job]) => /^serviceMonitor\/[^/]+\/kubelet\/\d+$/.test(job));
    if (folder === 'reference') expect(kubelet.length).toBe(3);
    for (const [, cfg] of kubelet) {
      expect(cfg.authorization).toEqual({ type: 'Bearer', credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' });
      expect(cfg.tls_config).toMatchObject({ ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', insecure_skip_verify: true });
      expect(cfg.bearer_token_file).toBeUndefined();
    }
  }, RUN_MS);
});

describe('control plane: broken input fails', () => {
  const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
  const find = (objs: RenderedObject[], kind: string, ns: string, name: string) => {
    const hit = objs.find((o) => o.obj.kind === kind && o.obj.metadata.namespace === ns && o.obj.metadata.name === name);
    if (!hit) throw new Error(`dist/reference has no ${kind} ${ns}/${name}`);
    return hit.obj;
  };

  test('an invalid field, a Pod violating the enforced Pod Security level, a ServiceMonitor in a namespace no Prometheus watches', async () => {
    const objs = loadFolder(path.join(DIST, 'reference')).map((o) => ({ ...o, obj: clone(o.obj) }));
    // 1. invalid fields: a value out of range, and a field the CRD schema does not have (strict validation)
    find(objs, 'Service', 'monitoring', 'kube-state-metrics').spec.ports[0].port = 70000;
    find(objs, 'ServiceMonitor', 'monitoring', 'grafana').spec.endpoints[0].intervall = '30s';
    // 2. a privileged container in `monitoring`, which enforces restricted
    const grafana = find(objs, 'Deployment', 'monitoring', 'grafana');
    const c0 = grafana.spec.template.spec.containers[0];
    c0.securityContext = { ...c0.securityContext, privileged: true, allowPrivilegeEscalation: true };
    // 3. a ServiceMonitor in a namespace outside every serviceMonitorNamespaceSelector
    const moved = clone(find(objs, 'ServiceMonitor', 'monitoring', 'kube-state-metrics'));
    moved.metadata = { ...moved.metadata, namespace: 'not-watched', name: 'moved' };
    objs.push({ file: '99-broken.yaml', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'not-watched', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } } });
    objs.push({ file: '99-broken.yaml', obj: moved });

    const report = await checkFolder('reference', objs);
    console.log(summary('reference (broken on purpose)', report));
    const expected = [
      /^Service monitoring\/kube-state-metrics: rejected \(422\): .*spec\.ports\[0\]\.port: Invalid value: 70000/,
      /^ServiceMonitor monitoring\/grafana: rejected \(\d+\): .*\.spec\.endpoints\[0\]\.intervall: field not declared in schema/,
      // ... and, being rejected, it is not in the Prometheus config either
      /^ServiceMonitor monitoring\/grafana: not selected: no scrape job serviceMonitor\/monitoring\/grafana\/0 /,
      /^Deployment monitoring\/grafana: warning: would violate PodSecurity "restricted:v1\.28": privileged/,
      /^Deployment monitoring\/grafana: has Pods \[\], expected 1; events: .*violates PodSecurity "restricted:v1\.28": privileged/,
      /^ServiceMonitor not-watched\/moved: not selected: no scrape job serviceMonitor\/not-watched\/moved\/\d+ in the config of any Prometheus \(monitoring\/prometheus\)/,
    ];
    for (const re of expected) expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(re)]));
    // nothing else failed: the rejected Service and ServiceMonitor take nothing else down with them
    expect(report.problems.filter((p) => !expected.some((re) => re.test(p)))).toEqual([]);
  }, RUN_MS);

  test('an engine that fails to start: its log tail, and the other engines stopped by PID', async () => {
    let err: any;
    await ControlPlane.start({ controllerManager: false, extraApiserverArgs: ['--no-such-flag=1'], readyWithinMs: 60_000 }).then(
      async (cp) => { await cp.stop(); }, (e) => { err = e; });
    expect(err).toBeDefined();
    expect(err.message).toMatch(/engine kube-apiserver exited \(\d+\) before kube-apiserver \/readyz/);
    expect(err.message).toMatch(/--- kube-apiserver log \(tail\) ---[\s\S]*unknown flag: --no-such-flag/);
    expect(err.stoppedPids.length).toBe(1); // etcd, which had started
    for (const pid of err.stoppedPids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  }, RUN_MS);

  test('an engine at another version than pinned fails with the build command', () => {
    expect(() => engineBinary('etcd', 'etcd', '3.0.0-not-pinned')).toThrow(
      /engine etcd: etcd is at the wrong version[\s\S]*expected: etcd 3\.0\.0-not-pinned[\s\S]*bash scripts\/ensure-engines\.sh etcd/);
    expect(engineBinary('etcd', 'etcd', ETCD_VERSION)).toMatch(/etcd$/);
  });
});

describe('control plane: pinned engines', () => {
  test('the Operator built is the release of the shipped operator image', () => {
    expect(`v${OPERATOR_VERSION.replace(/^v/, '')}`).toBe(Images.PROMETHEUS_OPERATOR.split(':')[1]);
    expect(engineBinary('prometheus-operator', 'prometheus-operator', OPERATOR_VERSION)).toMatch(/prometheus-operator$/);
  });
});
