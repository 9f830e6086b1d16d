import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  KubeletMonitor, KubeletTlsVerification, KubeStateMetrics, PodMonitor, Prometheus, PrometheusOperator, RelabelAction, ScrapeScheme, ServiceMonitor,
} from '../../src/prometheus';
import { KubernetesWorkloadRules, StackSelfMonitoringRules } from '../../src/rules';
import { find, K8sObject, restrictedViolations, schemaErrors, synthApp } from '../harness';
import { canDiscover, monitorSelectionErrors, operatorManagedServices, prometheusSelects } from './selection';
import { AlertCase, testRules } from '../rules/promtool';

function stack(opts: { monitor?: any; operator?: any; prometheus?: any } = {}): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'metrics');
  new PrometheusOperator(chart, 'op', opts.operator);
  new Prometheus(chart, 'prom', opts.prometheus);
  new KubeStateMetrics(chart, 'ksm');
  new KubeletMonitor(chart, 'kubelet', opts.monitor);
  return { app, chart };
}

let objs: K8sObject[];
beforeAll(() => {
  const { app, chart } = stack();
  new KubernetesWorkloadRules(chart, 'workloads', { namespace: 'monitoring' });
  // no Alertmanager in this app: its self-monitoring part is off (it would fail the provenance check)
  new StackSelfMonitoringRules(chart, 'self', { namespace: 'monitoring', alertmanagerAlerts: false });
  objs = synthApp(app);
});

const kubeletSm = () => find(objs, 'ServiceMonitor', 'kubelet', 'monitoring');

describe('KubeletMonitor', () => {
  test('schema harness (strict CRD schemas), Pod Security, selection/discovery/ports all clean', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    expect(monitorSelectionErrors(objs)).toEqual([]);
  });

  test('ServiceMonitor: kube-system kubelet Service, https-metrics /metrics, /metrics/cadvisor, /metrics/probes', () => {
    const sm = kubeletSm();
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['kube-system'] });
    expect(sm.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'kubelet' } });
    expect(sm.spec.jobLabel).toBe('app.kubernetes.io/name');
    expect(sm.spec.endpoints.map((e: any) => e.path)).toEqual(['/metrics', '/metrics/cadvisor', '/metrics/probes']);
    for (const e of sm.spec.endpoints) {
      expect(e).toMatchObject({
        port: 'https-metrics',
        scheme: 'https',
        interval: '30s',
        honorLabels: true,
        tlsConfig: { insecureSkipVerify: true },
      });
      // the token comes from the scrape class, never the deprecated bearerTokenFile
      expect(e.bearerTokenFile).toBeUndefined();
      expect(e.relabelings[0]).toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'kubelet' });
    }
    expect(sm.spec.scrapeClass).toBe(Prometheus.SERVICE_ACCOUNT_SCRAPE_CLASS);
    expect(sm.spec.endpoints[1].honorTimestamps).toBe(false);
    expect(sm.spec.endpoints[0].metricRelabelings).toBeUndefined();
    expect(sm.spec.endpoints[1]).toMatchSnapshot();
  });

  test('the Prometheus defines the service-account scrape class (token as credentialsFile, cluster CA), not as default', () => {
    const p = find(objs, 'Prometheus', 'prometheus', 'monitoring');
    expect(p.spec.scrapeClasses).toEqual([{
      name: 'kubernetes-service-account',
      authorization: { credentialsFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      tlsConfig: { caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
    }]);
  });

  test('it selects the Service the operator maintains (labels of pkg/kubelet/controller.go, port https-metrics)', () => {
    const [svc] = operatorManagedServices(objs);
    expect(svc.metadata).toMatchObject({ namespace: 'kube-system', name: 'kubelet' });
    expect(KubeletMonitor.SERVICE_LABELS).toEqual(svc.metadata.labels);
    for (const [k, v] of Object.entries(kubeletSm().spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
  });

  test('the emitted Prometheus selects it (namespace + labels) and may discover its target namespace', () => {
    const p = find(objs, 'Prometheus', 'prometheus', 'monitoring');
    expect(prometheusSelects(objs, p, kubeletSm())).toBe(true);
    expect(canDiscover(objs, 'prometheus', 'monitoring', 'kube-system')).toBe(true);
    // the ServiceMonitor object lives in monitoring: kube-system is a discovery namespace, not a watched one
    expect(p.spec.serviceMonitorNamespaceSelector.matchExpressions[0].values).toEqual(['monitoring']);
    const role = find(objs, 'Role', 'monitoring-prometheus', 'kube-system');
    expect(role.rules[0]).toEqual({ apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] });
    expect(role.rules[1]).toEqual({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] });
    const rb = find(objs, 'RoleBinding', 'monitoring-prometheus', 'kube-system');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'monitoring-prometheus' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]);
  });

  test('RBAC: nodes/metrics get (the kubelet SubjectAccessReview) in a ClusterRole bound to the Prometheus ServiceAccount', () => {
    const cr = find(objs, 'ClusterRole', 'monitoring-prometheus');
    expect(cr.rules).toContainEqual({ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] });
    // nothing else on nodes (no proxy, no stats)
    expect(JSON.stringify(cr.rules)).not.toMatch(/nodes\/proxy|nodes\/stats|"nodes"/);
    const crb = find(objs, 'ClusterRoleBinding', 'monitoring-prometheus');
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'monitoring-prometheus' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]);
    expect(find(objs, 'Prometheus', 'prometheus', 'monitoring').spec.serviceAccountName).toBe('prometheus');
  });

  test('without a KubeletMonitor the Prometheus gets no nodes/metrics and no kube-system Role', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new PrometheusOperator(chart, 'op');
    new Prometheus(chart, 'prom');
    const o = synthApp(app);
    expect(find(o, 'ClusterRole', 'monitoring-prometheus').rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    expect(o.filter((x) => x.kind === 'Role' && x.metadata.namespace === 'kube-system')).toEqual([]);
  });

  test('watchAllNamespaces: nodes/metrics joins the cluster-wide discovery rules', () => {
    const { app } = stack({ prometheus: { watchAllNamespaces: true } });
    const o = synthApp(app);
    const cr = find(o, 'ClusterRole', 'monitoring-prometheus');
    expect(cr.rules).toContainEqual({ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] });
    expect(monitorSelectionErrors(o)).toEqual([]);
  });

  test('options: cluster CA verification, custom interval and Service, no cAdvisor/probes, extra drops', () => {
    const { app } = stack({
      operator: { kubeletService: { namespace: 'kube-system', name: 'lgtm-kubelet' } },
      monitor: {
        kubeletService: { name: 'lgtm-kubelet' },
        tlsVerification: KubeletTlsVerification.CLUSTER_CA,
        interval: Duration.minutes(1),
        probes: false,
        cadvisorMetricRelabelings: [{ action: RelabelAction.DROP, sourceLabels: ['__name__'], regex: 'container_network_.*' }],
      },
    });
    const o = synthApp(app);
    expect(schemaErrors(o)).toEqual([]);
    expect(monitorSelectionErrors(o)).toEqual([]);
    const sm = find(o, 'ServiceMonitor', 'kubelet', 'monitoring');
    expect(sm.spec.endpoints.map((e: any) => e.path)).toEqual(['/metrics', '/metrics/cadvisor']);
    // the CA file comes from the scrape class: the endpoint sets no TLS of its own (and does not skip verification)
    expect(sm.spec.endpoints[0].tlsConfig).toBeUndefined();
    expect(sm.spec.scrapeClass).toBe('kubernetes-service-account');
    expect(sm.spec.endpoints[0].interval).toBe('1m');
    expect(sm.spec.endpoints[0].relabelings[0].regex).toBe('lgtm-kubelet');
    expect(sm.spec.endpoints[1].metricRelabelings.at(-1)).toEqual({ action: 'drop', sourceLabels: ['__name__'], regex: 'container_network_.*' });
    expect(find(o, 'Deployment', 'prometheus-operator').spec.template.spec.containers[0].args).toContain('--kubelet-service=kube-system/lgtm-kubelet');

    const c = Testing.chart();
    new KubeletMonitor(c, 'k', { cadvisor: false, probes: false });
    expect(Testing.synth(c)[0].spec.endpoints.map((e: any) => e.path)).toEqual(['/metrics']);
  });
});

describe('operator: kubelet Service', () => {
  const args = (o: K8sObject[]) => find(o, 'Deployment', 'prometheus-operator').spec.template.spec.containers[0].args as string[];

  test('args: --kubelet-service, Endpoints and EndpointSlices both managed', () => {
    expect(args(objs)).toEqual(expect.arrayContaining(['--kubelet-service=kube-system/kubelet', '--kubelet-endpoints=true', '--kubelet-endpointslice=true']));
  });

  test('its ClusterRole may manage the Service, Endpoints and EndpointSlices there and list nodes', () => {
    const rules = find(objs, 'ClusterRole', 'monitoring-prometheus-operator').rules as any[];
    const allows = (group: string, resource: string, verbs: string[]) => rules.some((r) => r.apiGroups.includes(group)
      && r.resources.includes(resource)
      && verbs.every((v) => r.verbs.includes(v) || r.verbs.includes('*')));
    expect(allows('', 'services', ['get', 'create', 'update'])).toBe(true);
    expect(allows('', 'services/finalizers', ['update'])).toBe(true); // EndpointSlices carry a blockOwnerDeletion ownerReference
    expect(allows('', 'endpoints', ['get', 'create', 'update'])).toBe(true);
    expect(allows('discovery.k8s.io', 'endpointslices', ['get', 'list', 'create', 'update', 'delete'])).toBe(true);
    expect(allows('', 'nodes', ['list', 'watch'])).toBe(true);
  });

  test('manageKubeletService: false drops the flags', () => {
    const app = Testing.app();
    const op = new PrometheusOperator(new Chart(app, 'c'), 'op', { manageKubeletService: false });
    expect(op.kubeletServiceName).toBeUndefined();
    expect(args(synthApp(app)).filter((a) => a.startsWith('--kubelet'))).toEqual([]);
  });
});

/**
 * What a scrape of the kubelet stores, per the emitted endpoint: target labels (as the operator's
 * generated config sets them) merged with the exposed labels (`honorLabels`: exposed wins; otherwise a
 * clash becomes `exported_<name>`), then `metricRelabelings` (drop/keep). Undefined when dropped.
 */
function scrape(endpoint: any, target: Record<string, string>, name: string, exposed: Record<string, string>): string | undefined {
  const labels: Record<string, string> = { ...target };
  for (const [k, v] of Object.entries(exposed)) {
    if (endpoint.honorLabels || !(k in target)) labels[k] = v;
    else labels[`exported_${k}`] = v;
  }
  const all = { __name__: name, ...labels };
  for (const r of endpoint.metricRelabelings ?? []) {
    const value = (r.sourceLabels as string[]).map((l) => (all as any)[l] ?? '').join(r.separator ?? ';');
    const hit = new RegExp(`^(?:${r.regex})$`).test(value);
    if ((r.action === 'drop' && hit) || (r.action === 'keep' && !hit)) return undefined;
  }
  return `${name}{${Object.entries(labels).filter(([, v]) => v !== '').map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

describe('the rule packs get their series from the kubelet endpoints', () => {
  const target = (path: string) => ({
    job: 'kubelet', namespace: 'kube-system', service: 'kubelet', endpoint: 'https-metrics', instance: '10.0.0.1:10250', node: 'node-1', metrics_path: path,
  });
  const cadvisor = () => kubeletSm().spec.endpoints.find((e: any) => e.path === '/metrics/cadvisor');
  const kubelet = () => kubeletSm().spec.endpoints.find((e: any) => e.path === '/metrics');
  const ksmLimit = 'kube_pod_container_resource_limits{job="kube-state-metrics", namespace="dev", pod="web-1", container="app", node="node-1", resource="memory", unit="byte"}';
  // the kubelet's cAdvisor exposes all six labels on every series, empty for what does not apply; with
  // honorLabels an exposed empty `namespace` keeps the target's namespace="kube-system" off the series
  // (an empty label is no label), which is what kube-prometheus' `;;` drop relies on
  const workingSet = { container: 'app', id: '/kubepods/pod1/abc', image: 'web:1', name: 'abc', namespace: 'dev', pod: 'web-1' };
  const podCgroup = { container: '', id: '/kubepods/pod1', image: '', name: '', namespace: 'dev', pod: 'web-1' };
  const systemCgroup = { container: '', id: '/system.slice/kubelet.service', image: '', name: '', namespace: '', pod: '' };

  test('cAdvisor drops keep container_memory_working_set_bytes and drop the kube-prometheus set', () => {
    const ep = cadvisor();
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_memory_working_set_bytes', workingSet)).toContain('namespace="dev"');
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_memory_working_set_bytes', podCgroup)).toBeDefined();
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_memory_working_set_bytes', systemCgroup)).toBeDefined();
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_tasks_state', workingSet)).toBeUndefined();
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_spec_memory_limit_bytes', systemCgroup)).toBeUndefined();
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_spec_memory_limit_bytes', workingSet)).toBeDefined();
    expect(scrape(ep, target('/metrics/cadvisor'), 'container_blkio_device_usage_total', workingSet)).toBeUndefined();
  });

  test('promtool: HighMemoryUsage fires on the series as scraped (honorLabels keeps the pod namespace)', () => {
    const rules = find(objs, 'PrometheusRule', 'kubernetes-workloads', 'monitoring');
    const series = scrape(cadvisor(), target('/metrics/cadvisor'), 'container_memory_working_set_bytes', workingSet)!;
    const withoutHonor = scrape({ ...cadvisor(), honorLabels: false }, target('/metrics/cadvisor'), 'container_memory_working_set_bytes', workingSet)!;
    expect(withoutHonor).toContain('exported_namespace="dev"');
    const cases: AlertCase[] = [
      {
        name: 'scraped working set at 95 % of the limit',
        alertname: 'HighMemoryUsage',
        evalTime: '30m',
        input: [
          { series, values: '950x40' },
          // pod-level and system cgroups (container="") are scraped too; the rule ignores them
          { series: scrape(cadvisor(), target('/metrics/cadvisor'), 'container_memory_working_set_bytes', podCgroup)!, values: '990x40' },
          { series: scrape(cadvisor(), target('/metrics/cadvisor'), 'container_memory_working_set_bytes', systemCgroup)!, values: '5000x40' },
          { series: ksmLimit, values: '1000x40' },
        ],
        expected: [{ namespace: 'dev', pod: 'web-1', container: 'app', severity: 'warning' }],
      },
      {
        name: 'without honorLabels the namespace would be kube-system and nothing would match',
        alertname: 'HighMemoryUsage',
        evalTime: '30m',
        input: [{ series: withoutHonor, values: '950x40' }, { series: ksmLimit, values: '1000x40' }],
        expected: [],
      },
    ];
    const res = testRules({ groups: rules.spec.groups }, cases);
    if (!res.ok) throw new Error(res.output);
    expect(res.output).toMatch(/SUCCESS/);
  });

  test('promtool: StackVolumeAlmostFull fires on kubelet_volume_stats_* as scraped from /metrics', () => {
    const rules = find(objs, 'PrometheusRule', 'lgtm-stack-self-monitoring-volumes', 'monitoring');
    const pvc = { namespace: 'monitoring', persistentvolumeclaim: 'prometheus-db-prometheus-0' };
    const avail = scrape(kubelet(), target('/metrics'), 'kubelet_volume_stats_available_bytes', pvc)!;
    const cap = scrape(kubelet(), target('/metrics'), 'kubelet_volume_stats_capacity_bytes', pvc)!;
    const cases: AlertCase[] = [{
      name: 'volume almost full',
      alertname: 'StackVolumeAlmostFull',
      evalTime: '10m',
      input: [{ series: avail, values: '20x20' }, { series: cap, values: '1000x20' }],
      expected: [{ ...pvc, job: 'kubelet', service: 'kubelet', endpoint: 'https-metrics', instance: '10.0.0.1:10250', node: 'node-1', metrics_path: '/metrics', severity: 'critical' }],
    }];
    const res = testRules({ groups: rules.spec.groups }, cases);
    if (!res.ok) throw new Error(res.output);
    expect(res.output).toMatch(/SUCCESS/);
  });
});

describe('bad input', () => {
  test('fails when the kubelet Service namespace is not a valid name', () => {
    expect(() => new KubeletMonitor(Testing.chart(), 'k', { kubeletService: { namespace: 'Kube_System' } }))
      .toThrow(/'kubeletService.namespace' is not a valid Kubernetes object name[\s\S]*Kube_System/);
    expect(() => new PrometheusOperator(Testing.chart(), 'op', { kubeletService: { namespace: 'kube system' } }))
      .toThrow(/'kubeletService.namespace' is not a valid Kubernetes (object )?name/);
  });

  test('fails when no operator in the app maintains the scraped kubelet Service', () => {
    const { app } = stack({ monitor: { kubeletService: { name: 'other-kubelet' } } });
    expect(() => synthApp(app)).toThrow(/KubeletMonitor scrapes the kubelet Service kube-system\/other-kubelet, but no Prometheus Operator in the app maintains it/);
    const { app: app2 } = stack({ operator: { manageKubeletService: false } });
    expect(() => synthApp(app2)).toThrow(/no Prometheus Operator in the app maintains it[\s\S]*manageKubeletService is false/);
  });

  test('fails when kubeletService is set but manageKubeletService is false', () => {
    expect(() => new PrometheusOperator(Testing.chart(), 'op', { manageKubeletService: false, kubeletService: { name: 'x' } }))
      .toThrow(/'kubeletService' is set but 'manageKubeletService' is false/);
  });

  test('fails when no Prometheus selects the kubelet ServiceMonitor', () => {
    const { app } = stack({ prometheus: { watchNamespaces: ['apps'] } });
    expect(() => synthApp(app)).toThrow(/no Prometheus in the app selects ServiceMonitor monitoring\/kubelet/);
  });

  test('a monitor naming a scrape class the selecting Prometheus does not define fails (the operator would refuse it)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Prometheus(chart, 'prom', { scrapeClasses: [{ name: 'mtls', caFile: '/etc/ca/ca.crt', certFile: '/etc/tls/tls.crt', keyFile: '/etc/tls/tls.key' }] });
    new ServiceMonitor(chart, 'ok', { name: 'ok', namespace: 'monitoring', selector: { a: 'b' }, scrapeClass: 'mtls', endpoints: [{ port: 'p' }] });
    new PodMonitor(chart, 'typo', { name: 'typo', namespace: 'monitoring', selector: { a: 'b' }, scrapeClass: 'kubernetes-serviceaccount', endpoints: [{ port: 'p' }] });
    expect(() => synthApp(app)).toThrow(
      /\[c\/typo\] PodMonitor monitoring\/typo names scrape class "kubernetes-serviceaccount", which the Prometheus c\/prom selecting it does not define[\s\S]*Received: [\s\S]*"kubernetes-service-account","mtls"[\s\S]*Fix: use scrapeClass "kubernetes-service-account"/);
  });

  test('scrape classes: bad names, duplicates (also of the built-in class), relative files, cert without key, two defaults, empty', () => {
    const bad = (scrapeClasses: any[], re: RegExp) => expect(() => new Prometheus(Testing.chart(), 'p', { scrapeClasses })).toThrow(re);
    bad([{ name: 'My_Class', caFile: '/ca' }], /scrapeClasses\[0\]\.name is not a scrape class name[\s\S]*My_Class/);
    bad([{ name: 'kubernetes-service-account', caFile: '/ca' }], /defined twice \(every Prometheus defines it already\)/);
    bad([{ name: 'a', caFile: '/ca' }, { name: 'a', caFile: '/ca' }], /scrapeClasses\[1\]\.name "a" is defined twice/);
    bad([{ name: 'a', credentialsFile: 'token' }], /scrapeClasses\[0\]\.credentialsFile must be an absolute path/);
    bad([{ name: 'a', certFile: '/c' }], /sets certFile without keyFile/);
    bad([{ name: 'a', caFile: '/c', isDefault: true }, { name: 'b', caFile: '/c', isDefault: true }], /more than one scrape class is the default/);
    bad([{ name: 'a' }], /scrapeClasses\[0\] \("a"\) sets nothing/);
    expect(() => new ServiceMonitor(Testing.chart(), 'm', { selector: { a: 'b' }, scrapeClass: 'Bad Class', endpoints: [{ port: 'p' }] }))
      .toThrow(/'scrapeClass' is not a scrape class name[\s\S]*"Bad Class"/);
  });

  test('fails on a zero interval', () => {
    expect(() => new KubeletMonitor(Testing.chart(), 'k', { interval: Duration.seconds(0) })).toThrow(/interval/);
  });

  test('endpoint TLS/auth fields: tlsConfig needs https, files must be absolute, PodMonitors have no file fields', () => {
    const chart = Testing.chart();
    expect(() => new ServiceMonitor(chart, 'a', { name: 'a', namespace: 'x', selector: { a: 'b' }, endpoints: [{ port: 'p', tlsConfig: { insecureSkipVerify: true } }] }))
      .toThrow(/has a 'tlsConfig' but scrapes over http/);
    expect(() => new ServiceMonitor(chart, 'b', { name: 'b', namespace: 'x', selector: { a: 'b' }, endpoints: [{ port: 'p', scheme: ScrapeScheme.HTTPS, bearerTokenFile: 'token' }] }))
      .toThrow(/bearerTokenFile must be an absolute path/);
    expect(() => new PodMonitor(chart, 'c', { name: 'c', namespace: 'x', selector: { a: 'b' }, endpoints: [{ port: 'p', bearerTokenFile: '/t' }] }))
      .toThrow(/bearerTokenFile is not supported by a PodMonitor/);
  });
});
