import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { AlloyLogs, AlloyLogsProps } from '../../src/alloy';
import { Images } from '../../src/core/images';
import { find, K8sObject, restrictedViolations, schemaErrors, selectorMatches, synthApp, urlResolution } from '../harness';
import { expectAlloySyntaxAccepts } from './alloy-engine';
import { parseAlloy, ParsedBlock } from './alloy-parse';
import { alloyReferenceErrors } from './alloy-reference';
import { ALLOY_DOCUMENTED_EXCEPTIONS, FakeLogsBackend } from './fixtures';

const NS = 'monitoring-agents';


interface Built { app: App; alloy: AlloyLogs; objs: () => K8sObject[] }

function build(props: Partial<AlloyLogsProps> = {}, backend: { tenantId?: string; url?: string } = {}): Built {
  const app = Testing.app();
  const chart = new Chart(app, 'logs');
  const loki = new FakeLogsBackend(chart, 'Loki', backend);
  const alloy = new AlloyLogs(chart, 'Alloy', { namespace: NS, ...props });
  alloy.addLogsDestination(loki);
  return { app, alloy, objs: () => synthApp(app) };
}

/** The rendered config.alloy; every one the tests read goes through Alloy's own parser and printer first. */
function configOf(objs: K8sObject[], name = 'alloy-logs'): string {
  const cfg = find(objs, 'ConfigMap', name, NS).data['config.alloy'];
  expectAlloySyntaxAccepts({ [`${name}.alloy`]: cfg });
  return cfg;
}

function component(cfg: string, name: string, label: string): ParsedBlock {
  const b = parseAlloy(cfg).find((x) => x.name === name && x.label === label);
  if (!b) throw new Error(`no ${name} "${label}" in\n${cfg}`);
  return b;
}

describe('AlloyLogs', () => {
  test('renders the log pipeline (snapshot of config.alloy)', () => {
    const { objs } = build();
    expect(configOf(objs())).toMatchSnapshot();
  });

  test('every component, argument and block exists in the Alloy 1.18.1 reference; required ones are present', () => {
    const { objs } = build({
      namespaces: ['default', 'shop'],
      externalLabels: { cluster: 'prod' },
      dropSelectors: ['{namespace="kube-system", container="coredns"} |= "NOERROR"'],
    }, { tenantId: 'team-a' });
    const cfg = configOf(objs());
    expect(alloyReferenceErrors(cfg)).toEqual([]);
    expect(alloyReferenceErrors(configOf(build().objs()))).toEqual([]);
  });

  test('the reference check catches unknown arguments and blocks', () => {
    const bad = 'loki.write "x" {\n  endpoint {\n    urll = "http://a"\n  }\n}\n\nloki.source.file "y" {\n}\n';
    expect(alloyReferenceErrors(bad)).toEqual([
      expect.stringMatching(/loki.write "x" > endpoint: argument 'urll' is not in the reference/),
      'loki.write "x" > endpoint: required argument \'url\' is missing',
      'loki.source.file "y": component \'loki.source.file\' is not in the Alloy 1.18.1 reference',
    ]);
  });

  test('every object passes the schema harness', () => {
    const { objs } = build({ externalLabels: { cluster: 'prod' } }, { tenantId: 'team-a' });
    expect(schemaErrors(objs())).toEqual([]);
  });

  test('Pod Security "restricted" violations are exactly the documented exceptions', () => {
    const { objs } = build();
    expect(restrictedViolations(objs())).toEqual(ALLOY_DOCUMENTED_EXCEPTIONS);
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'components', 'alloy.md'), 'utf8');
    for (const e of ALLOY_DOCUMENTED_EXCEPTIONS) expect(doc).toContain(e.replace(`DaemonSet/${NS}/alloy-logs: `, ''));
  });

  test('the Alloy container itself runs as the non-root alloy user with no capabilities and a read-only root', () => {
    const ds = find(build().objs(), 'DaemonSet', 'alloy-logs', NS);
    const pod = ds.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 473, runAsGroup: 473, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers.find((x: any) => x.name === 'alloy');
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.image).toBe(Images.ALLOY);
    expect(Images.ALLOY).toBe('docker.io/grafana/alloy:v1.18.1');
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } });
    const init = pod.initContainers[0];
    expect(init.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN'] });
    expect(init.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(init.command.join(' ')).toContain('chown 473:473 /var/lib/alloy/data');
  });

  test('positions and state live on a durable hostPath (not /tmp, not emptyDir) passed as --storage.path', () => {
    const ds = find(build().objs(), 'DaemonSet', 'alloy-logs', NS);
    const pod = ds.spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'storage')).toEqual({ name: 'storage', hostPath: { path: '/var/lib/alloy/alloy-logs', type: 'DirectoryOrCreate' } });
    const c = pod.containers.find((x: any) => x.name === 'alloy');
    expect(c.args).toContain('--storage.path=/var/lib/alloy/data');
    expect(c.volumeMounts).toContainEqual({ name: 'storage', mountPath: '/var/lib/alloy/data' });
    expect(c.args).toEqual(expect.arrayContaining(['--stability.level=generally-available', '--disable-reporting']));
    // a custom durable path
    const ds2 = find(build({ storageHostPath: '/var/lib/custom/alloy' }).objs(), 'DaemonSet', 'alloy-logs', NS);
    expect(ds2.spec.template.spec.volumes.find((v: any) => v.name === 'storage').hostPath.path).toBe('/var/lib/custom/alloy');
  });

  test('discovery is node-local: HOSTNAME is the node name and the field selector uses it', () => {
    const objs = build().objs();
    const c = find(objs, 'DaemonSet', 'alloy-logs', NS).spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }]);
    const d = component(configOf(objs), 'discovery.kubernetes', 'pods');
    expect(d.blocks[0].attrs).toEqual([
      { name: 'role', value: { t: 'string', v: 'pod' } },
      { name: 'field', value: { t: 'concat', v: [{ t: 'string', v: 'spec.nodeName=' }, { t: 'call', fn: 'sys.env', args: [{ t: 'string', v: 'HOSTNAME' }] }] } },
    ]);
  });

  test('streams are labelled with namespace, pod, container, app (app.kubernetes.io/name, then app) and job', () => {
    const r = component(configOf(build().objs()), 'discovery.relabel', 'pods');
    const rules = r.blocks.map((b) => Object.fromEntries(b.attrs.map((a) => [a.name, a.value.t === 'array' ? a.value.v.map((x: any) => x.v) : (a.value as any).v])));
    expect(rules).toEqual([
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app'], separator: ';', regex: '^;*([^;]+)(;.*)?$', target_label: 'app' },
      { source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: 'job' },
    ]);
    // the app regex picks the first non-empty of the two labels (RE2 and JS agree on this pattern)
    const re = /^;*([^;]+)(;.*)?$/;
    expect(re.exec('web;legacy')![1]).toBe('web');
    expect(re.exec(';legacy')![1]).toBe('legacy');
    expect(re.exec(';')).toBeNull();
  });

  test('JSON lines: level becomes a label, trace_id structured metadata (never a label)', () => {
    const p = component(configOf(build({ levelField: 'severity' }).objs()), 'loki.process', 'pods');
    const stage = (n: string) => p.blocks.find((b) => b.name === n)!;
    expect(stage('stage.json').attrs[0].value).toEqual({ t: 'object', v: [['level', { t: 'string', v: 'severity' }], ['trace_id', { t: 'string', v: 'trace_id' }]] });
    expect(stage('stage.labels').attrs[0].value).toEqual({ t: 'object', v: [['level', { t: 'string', v: '' }]] });
    expect(stage('stage.structured_metadata').attrs[0].value).toEqual({ t: 'object', v: [['trace_id', { t: 'string', v: '' }]] });
    expect(p.blocks.map((b) => b.name)).toEqual(['stage.json', 'stage.labels', 'stage.structured_metadata']);
  });

  test('loki.write pushes to the backend pushUrl, with tenant_id only when tenancy is on', () => {
    const single = component(configOf(build().objs()), 'loki.write', 'loki');
    expect(single.blocks[0].attrs).toEqual([{ name: 'url', value: { t: 'string', v: 'http://fake-loki.monitoring.svc:3100/loki/api/v1/push' } }]);
    const multi = component(configOf(build({}, { tenantId: 'team-a' }).objs()), 'loki.write', 'loki');
    expect(multi.blocks[0].attrs[1]).toEqual({ name: 'tenant_id', value: { t: 'string', v: 'team-a' } });
  });

  test('every push URL in the config resolves to an emitted Service and port', () => {
    const objs = build().objs();
    const urls = parseAlloy(configOf(objs)).filter((b) => b.name === 'loki.write')
      .flatMap((b) => b.blocks.filter((e) => e.name === 'endpoint')).map((e) => (e.attrs.find((a) => a.name === 'url')!.value as any).v);
    expect(urls).toHaveLength(1);
    for (const u of urls) expect(urlResolution(u, objs)).toBeUndefined();
  });

  test('destinations added after construction are rendered (lazy), fanned out from loki.process', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'logs');
    const alloy = new AlloyLogs(chart, 'Alloy', { namespace: NS });
    alloy.addLogsDestination(new FakeLogsBackend(chart, 'Loki', { name: 'loki-a' }));
    alloy.addLogsDestination(new FakeLogsBackend(chart, 'Loki2', { name: 'loki-b' }));
    const cfg = configOf(synthApp(app));
    expect(component(cfg, 'loki.process', 'pods').attrs[0].value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'loki.write.loki.receiver' }, { t: 'ref', v: 'loki.write.loki2.receiver' }] });
    expect(alloy.pushUrls).toEqual(['http://loki-a.monitoring.svc:3100/loki/api/v1/push', 'http://loki-b.monitoring.svc:3100/loki/api/v1/push']);
  });

  test('a config change rolls the pods (checksum annotation)', () => {
    const checksum = (b: ReturnType<typeof build>) => find(b.objs(), 'DaemonSet', 'alloy-logs', NS).spec.template.metadata.annotations['checksum/config'];
    const a = checksum(build());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(build())).toBe(a);
    const b = build();
    b.alloy.addDropFilter('{namespace="noisy"}');
    expect(checksum(b)).not.toBe(a);
  });

  test('drop filters become stage.match drop stages before JSON parsing', () => {
    const p = component(configOf(build({ dropSelectors: ['{namespace="kube-system"} |= "debug"'] }).objs()), 'loki.process', 'pods');
    expect(p.blocks[0]).toEqual({
      name: 'stage.match',
      attrs: [
        { name: 'selector', value: { t: 'string', v: '{namespace="kube-system"} |= "debug"' } },
        { name: 'action', value: { t: 'string', v: 'drop' } },
        { name: 'drop_counter_reason', value: { t: 'string', v: 'drop_filter' } },
      ],
      blocks: [],
    });
  });

  test('least-privilege RBAC: pods get/list/watch and pods/log get, nothing else', () => {
    const objs = build().objs();
    const role = find(objs, 'ClusterRole', 'monitoring-agents-alloy-logs');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ]);
    const binding = find(objs, 'ClusterRoleBinding', 'monitoring-agents-alloy-logs');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'alloy-logs', namespace: NS }]);
    expect(find(objs, 'DaemonSet', 'alloy-logs', NS).spec.template.spec.serviceAccountName).toBe('alloy-logs');
  });

  test('HTTP Service on 12345 and a ServiceMonitor that selects it', () => {
    const objs = build({ serviceMonitorLabels: { release: 'x' } }).objs();
    const svc = find(objs, 'Service', 'alloy-logs', NS);
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 12345, targetPort: 12345, protocol: 'TCP' }]);
    const ds = find(objs, 'DaemonSet', 'alloy-logs', NS);
    expect(selectorMatches({ matchLabels: svc.spec.selector }, ds.spec.template.metadata.labels)).toBe(true);
    const sm = find(objs, 'ServiceMonitor', 'alloy-logs', NS);
    expect(selectorMatches(sm.spec.selector, svc.metadata.labels)).toBe(true);
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', scheme: 'http' }]);
    expect(sm.metadata.labels).toEqual({ release: 'x' });
    expect(build({ serviceMonitor: false }).objs().some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  test('tolerates every taint by default (logs of every node), and not when disabled', () => {
    expect(find(build().objs(), 'DaemonSet', 'alloy-logs', NS).spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(find(build({ tolerations: [] }).objs(), 'DaemonSet', 'alloy-logs', NS).spec.template.spec.tolerations).toBeUndefined();
  });
});

describe('AlloyLogs bad input', () => {
  const chart = () => new Chart(Testing.app(), 'c');

  test('fails when a drop filter is invalid LogQL', () => {
    expect(() => build({ dropSelectors: ['{namespace="x"'] })).toThrow(/drop filter 0: invalid LogQL at position \d+/);
    expect(() => build().alloy.addDropFilter('{app="web"} |= ')).toThrow(/invalid LogQL/);
  });

  test('fails when a drop filter is not a selector with line filters', () => {
    expect(() => build({ dropSelectors: ['rate({app="web"}[5m])'] })).toThrow(/a drop filter must start with a stream selector/);
    expect(() => build({ dropSelectors: ['{app="web"} | json'] })).toThrow(/may only use a stream selector and line filters/);
  });

  test('fails when the storage host path is relative, not normalised or the root', () => {
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, storageHostPath: 'var/lib/alloy' }))
      .toThrow(/'storageHostPath' is not an absolute, normalised host path\. Received: "var\/lib\/alloy".*Fix: use an absolute path, e\.g\. "\/var\/lib\/alloy"/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, storageHostPath: '/var/lib/../alloy' })).toThrow(/not an absolute, normalised host path.*Fix: use "\/var\/alloy"/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, storageHostPath: '/var/lib/alloy/' })).toThrow(/not an absolute, normalised host path/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, storageHostPath: '/' })).toThrow(/'storageHostPath' is the host root directory/);
  });

  test('fails when the storage host path is ephemeral', () => {
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, storageHostPath: '/tmp/alloy' })).toThrow(/'storageHostPath' is on an ephemeral host directory.*Received: "\/tmp\/alloy"/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, storageHostPath: '/run/alloy' })).toThrow(/ephemeral/);
  });

  test('fails at synth when there is no logs destination', () => {
    const app = Testing.app();
    new AlloyLogs(new Chart(app, 'c'), 'A', { namespace: NS });
    expect(() => app.synth()).toThrow(/AlloyLogs 'alloy-logs' has no logs destination.*Fix: call alloy\.addLogsDestination\(loki\)/);
  });

  test('fails at synth when the backend tenant is one Loki rejects', () => {
    expect(() => build({}, { tenantId: 'team a/b' }).objs()).toThrow(/has a tenant Loki rejects\. Received: "team a\/b"/);
    expect(() => build({}, { tenantId: '..' }).objs()).toThrow(/tenant Loki rejects/);
  });

  test('fails at synth when the push URL is not an http(s) URL', () => {
    expect(() => build({}, { url: 'loki:3100' }).objs()).toThrow(/has an invalid push URL\. Received: "loki:3100"/);
  });

  test('fails when the same backend is added twice', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c');
    const loki = new FakeLogsBackend(c, 'Loki');
    const alloy = new AlloyLogs(c, 'A', { namespace: NS });
    alloy.addLogsDestination(loki);
    expect(() => alloy.addLogsDestination(loki)).toThrow(/logs destination 'c\/Loki' is added twice/);
  });

  test('fails on invalid names, namespaces and external label names', () => {
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, name: 'Alloy_Logs' })).toThrow(/'name' is not a valid Kubernetes (object )?name/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: 'Bad NS' })).toThrow(/'namespace' is not a valid Kubernetes (object )?name/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, namespaces: ['ok', 'not_ok'] })).toThrow(/'namespaces\[1?\]'/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, externalLabels: { 'k8s.cluster': 'x' } })).toThrow(/'externalLabels' has a key that is not a valid Loki label name\. Received: "k8s\.cluster"/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, externalLabels: { __name__: 'x' } })).toThrow(/not a valid Loki label name/);
    expect(() => new AlloyLogs(chart(), 'A', { namespace: NS, levelField: ' ' })).toThrow(/'levelField' is empty/);
  });
});
