import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component } from '../../src/core/component';
import { Images } from '../../src/core/images';
import { kebabCase, nameFromId } from '../../src/core/names';
import { Namespace } from '../../src/core/namespace';
import { clusterMeta } from '../../src/core/objects';
import { httpGetProbe, kubeContainer } from '../../src/core/pod';
import { PodSecurityLevel } from '../../src/core/pod-security';
import { ResourcePreset } from '../../src/core/resources';
import { Toleration, TolerationOperator } from '../../src/core/scheduling';
import { StorageOptions } from '../../src/core/storage';
import { KubeStateMetrics, NodeExporter, PodMonitor, Prometheus, ServiceMonitor } from '../../src/prometheus';
import { find, schemaErrors, synthApp } from '../harness';

// ---- the worked example of docs/ARCHITECTURE.md ("The component skeleton") -------------------------
/** Properties of `Echo`. */
export interface EchoProps {
  /** @default 'echo' */
  readonly name?: string;
  /** @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** @default Images.ALERTMANAGER */
  readonly image?: string;
  /** @default ResourcePreset.NANO */
  readonly resources?: ResourcePreset;
  /** @default 2 */
  readonly replicas?: number;
  /** @default true */
  readonly serviceMonitor?: boolean;
  /** @default - none */
  readonly nodeSelector?: { [key: string]: string };
  /** @default - none */
  readonly tolerations?: Toleration[];
  /** @default - 1 GiB on the default StorageClass */
  readonly storage?: StorageOptions;
}

/** The smallest complete component: a StatefulSet with a volume, a Service, its ServiceMonitor and a PDB. */
export class Echo extends Component {
  constructor(scope: Construct, id: string, props: EchoProps = {}) {
    // 1. resolve and validate the shared props (name, namespace, image, labels)
    super(scope, id, props, { appName: 'echo', component: 'server', name: 'echo', image: Images.ALERTMANAGER });
    // 2. validate the component's own props (none here), 3. render through the builders
    const replicas = this._replicas(2);
    this._addServiceAccount(false);
    this._addService({ ports: [{ name: 'http', port: 9093 }] });
    this._addStatefulSet({
      serviceName: this.name,
      replicas,
      template: this._podTemplate({
        containers: [kubeContainer({
          name: 'echo',
          image: this.image,
          ports: [{ name: 'http', port: 9093 }],
          resources: this._resources(ResourcePreset.NANO),
          readinessProbe: httpGetProbe('/-/ready', 'http'),
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        })],
      }),
      volumeClaimTemplates: [this._volumeClaim('data', Size.gibibytes(1))],
    });
    this._addServiceMonitor({ endpoints: [{ port: 'http' }] });
    this._addPodDisruptionBudget(replicas);
  }
}
// ----------------------------------------------------------------------------------------------------

describe('the component skeleton', () => {
  test('the worked example renders typed, schema-valid objects with the shared names and labels', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const echo = new Echo(chart, 'Echo', { storage: { size: Size.gibibytes(5), storageClassName: 'fast' }, nodeSelector: { pool: 'infra' } });
    new Prometheus(chart, 'Prometheus');
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    const sts = find(objs, 'StatefulSet', 'echo', 'monitoring');
    expect(sts.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'echo', 'app.kubernetes.io/component': 'server' });
    expect(sts.spec.volumeClaimTemplates[0]).toMatchObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } } });
    expect(sts.spec.template.spec.nodeSelector).toEqual({ pool: 'infra' });
    expect(sts.spec.template.spec.serviceAccountName).toBe('echo');
    expect(find(objs, 'PodDisruptionBudget', 'echo', 'monitoring').spec.maxUnavailable).toBe(1);
    expect(find(objs, 'ServiceMonitor', 'echo', 'monitoring').spec.endpoints[0].port).toBe('http');
    expect(echo.service.url('http')).toBe('http://echo.monitoring.svc:9093');
    expect(echo.workload.kind).toBe('StatefulSet');
    expect(echo.serviceAccount?.name).toBe('echo');
    expect(Component.isComponent(echo)).toBe(true);
  });

  test('serviceMonitor: false and a single replica leave out the monitor and the PDB', () => {
    const chart = Testing.chart();
    const echo = new Echo(chart, 'Echo', { serviceMonitor: false, replicas: 1 });
    expect(echo.serviceMonitor).toBeUndefined();
    expect(echo.podDisruptionBudget).toBeUndefined();
    expect(Testing.synth(chart).map((o) => o.kind).sort()).toEqual(['Service', 'ServiceAccount', 'StatefulSet']);
  });

  test('fails when storage.size is not a whole number of GiB', () => {
    expect(() => new Echo(Testing.chart(), 'Echo', { storage: { size: Size.mebibytes(1500) } })).toThrow(
      /'storage.size' must be a whole number of GiB, at least 1\. Received: 1500Mi; expected: e\.g\. Size\.gibibytes\(20\)\. Fix: /,
    );
  });

  test.each([
    [{ nodeSelector: { 'bad key!': 'x' } }, /'nodeSelector' has an invalid label key/],
    [{ nodeSelector: { pool: 'a b' } }, /'nodeSelector\.pool' has an invalid label value/],
    [{ tolerations: [{ operator: TolerationOperator.EXISTS, value: 'x' }] }, /tolerations\[0\] has a 'value' with operator Exists/],
    [{ tolerations: [{ value: 'x' }] }, /tolerations\[0\] has no key but operator "Equal"/],
    [{ replicas: 0 }, /'replicas' must be (a positive integer|an integer from 1 up)/],
  ])('fails on bad shared props %#', (props, message) => {
    expect(() => new Echo(Testing.chart(), 'Echo', props)).toThrow(message);
  });
});

describe('one namespace rule', () => {
  test('the prop, then the Chart namespace, then monitoring (node agents: monitoring-agents)', () => {
    const app = Testing.app();
    expect(new KubeStateMetrics(new Chart(app, 'a'), 'K', { namespace: 'x' }).namespace).toBe('x');
    expect(new KubeStateMetrics(new Chart(app, 'b', { namespace: 'team' }), 'K').namespace).toBe('team');
    expect(new KubeStateMetrics(new Chart(app, 'c'), 'K').namespace).toBe('monitoring');
    expect(new NodeExporter(new Chart(app, 'd'), 'N').namespace).toBe('monitoring-agents');
    expect(new NodeExporter(new Chart(app, 'e', { namespace: 'agents' }), 'N').namespace).toBe('agents');
  });

  test('cluster-scoped objects never carry the Chart namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'team' });
    new KubeStateMetrics(chart, 'K');
    new Namespace(chart, 'Ns', { name: 'team' });
    const objs = synthApp(app);
    for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'Namespace']) {
      const o = objs.find((x) => x.kind === kind)!;
      expect(o.metadata.namespace).toBeUndefined();
    }
    expect(find(objs, 'Deployment', 'kube-state-metrics').metadata.namespace).toBe('team');
  });

  test('fails when a cluster-scoped object is asked to take a namespace', () => {
    const chart = Testing.chart();
    expect(() => clusterMeta(chart, 'ClusterRole', { name: 'x', namespace: 'monitoring' })).toThrow(
      /a ClusterRole is cluster-scoped and cannot take a namespace\. Received: namespace "monitoring" for ClusterRole "x"; expected: no namespace on a ClusterRole .*Fix: remove the namespace/,
    );
  });

  test('fails at synth when any cluster-scoped object in the app renders a namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'team' });
    new KubeStateMetrics(chart, 'K');
    new kplus.ClusterRole(chart, 'UserRole', { metadata: { name: 'user-role' } });
    expect(() => app.synth()).toThrow(/ClusterRole user-role \(c\/UserRole\/Resource\) is cluster-scoped but renders namespace "team".*Fix: remove the namespace from the object, or put it in a Chart without a namespace/);
  });
});

describe('names derived from ids are kebab-cased', () => {
  test.each([
    ['PlatformAlerts', 'platform-alerts'],
    ['platformAlerts', 'platform-alerts'],
    ['HTTPErrors', 'http-errors'],
    ['my_rules', 'my-rules'],
    ['Loki2Rules', 'loki2-rules'],
    ['already-kebab', 'already-kebab'],
  ])('%s → %s', (id, name) => expect(kebabCase(id)).toBe(name));

  test('nameFromId validates the result', () => {
    const chart = Testing.chart();
    const c = new Construct(chart, 'PlatformAlerts');
    expect(nameFromId(c, 'name', undefined)).toBe('platform-alerts');
    expect(() => nameFromId(c, 'name', 'Bad_Name')).toThrow(/'name' is not a valid Kubernetes (object )?name/);
  });

  test('a PodMonitor without a name gets one from its id', () => {
    const chart = Testing.chart();
    const pm = new PodMonitor(chart, 'WorkerPods', { namespace: 'monitoring', selector: { app: 'worker' }, endpoints: [{ port: 'metrics' }] });
    expect(pm.name).toBe('worker-pods');
  });

  test('ServiceMonitor.forService can place the monitor in another namespace than the Service', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'frontend', namespace: 'dev', labels: { app: 'frontend' } }, ports: [{ name: 'http', port: 80 }] });
    const sm = ServiceMonitor.forService(chart, 'Monitor', svc, { namespace: 'monitoring' });
    expect(sm.namespace).toBe('monitoring');
    expect(sm.targetNamespaces).toEqual(['dev']);
    new Prometheus(chart, 'Prometheus');
    const objs = synthApp(app);
    expect(find(objs, 'ServiceMonitor', 'frontend', 'monitoring').spec.namespaceSelector).toEqual({ matchNames: ['dev'] });
  });
});

describe('Namespace', () => {
  test('restricted by default, privileged only through forNodeAgents', () => {
    const chart = Testing.chart();
    new Namespace(chart, 'Monitoring');
    Namespace.forNodeAgents(chart, 'Agents');
    const [stack, agents] = Testing.synth(chart);
    expect(stack.metadata).toEqual({
      name: 'monitoring',
      labels: { 'app.kubernetes.io/part-of': 'cdk8s-lgtm', 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28' },
      annotations: { 'argocd.argoproj.io/sync-wave': '-5' },
    });
    expect(agents.metadata.name).toBe('monitoring-agents');
    expect(agents.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'restricted' });
  });

  test.each([
    [{ name: 'Monitoring' }, /'name' is not a valid Kubernetes name \(DNS-1123 label\)\. Received: "Monitoring"/],
    [{ name: 'a'.repeat(64) }, /'name' is not a valid Kubernetes (object )?name/],
    [{ name: 'kube-monitoring' }, /'name' uses the 'kube-' prefix/],
    [{ podSecurityVersion: '1.28' }, /'podSecurityVersion' is not a Pod Security policy version/],
  ])('fails on a bad name or level %#', (props, message) => {
    expect(() => new Namespace(Testing.chart(), 'Ns', props)).toThrow(message);
  });

  test('fails at synth when a node agent is placed in a restricted namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Namespace(chart, 'Monitoring');
    new NodeExporter(chart, 'NodeExporter', { namespace: 'monitoring' });
    expect(() => app.synth()).toThrow(
      /DaemonSet monitoring\/node-exporter \(c\/NodeExporter\/DaemonSet\) needs Pod Security "privileged", but namespace monitoring enforces "restricted".*Received: hostNetwork: true; hostPID: true; hostPath volume proc.*Fix: place it in the node-agent namespace/,
    );
  });

  test('fails at synth when a baseline namespace gets a workload needing privileged, and when a privileged namespace needs none', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Namespace(chart, 'Base', { name: 'base', podSecurity: PodSecurityLevel.BASELINE });
    new NodeExporter(chart, 'NodeExporter', { namespace: 'base' });
    new Namespace(chart, 'Wide', { name: 'wide', podSecurity: PodSecurityLevel.PRIVILEGED });
    new KubeStateMetrics(chart, 'Ksm', { namespace: 'wide' });
    expect(() => app.synth()).toThrow(/namespace base enforces "baseline"[\s\S]*namespace wide enforces Pod Security "privileged", but none of its 1 workload\(s\) needs it/);
  });

  test('user workloads are checked too', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new Namespace(chart, 'Dev');
    new kplus.Deployment(chart, 'web', { metadata: { namespace: 'dev' }, containers: [{ image: 'nginx', securityContext: { ensureNonRoot: false } }] });
    expect(() => app.synth()).toThrow(/needs Pod Security "baseline", but namespace dev enforces "restricted"/);
  });
});
