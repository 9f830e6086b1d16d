/**
 * The collection features of Grafana's Kubernetes monitoring chart, on the central collector
 * (AlloyCollector: cluster events, annotation autodiscovery, PodMonitor discovery) and on the node agent
 * (AlloyLogs: systemd journal, eBPF profiles). Every config goes through Alloy's parser and printer and
 * the Alloy 1.18.1 component reference; autodiscovery's relabel rules run through Prometheus' relabel code.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { expectAlloySyntaxAccepts } from './alloy-engine';
import { parseAlloy, ParsedBlock } from './alloy-parse';
import { alloyReferenceErrors } from './alloy-reference';
import { ALLOY_DOCUMENTED_EXCEPTIONS } from './fixtures';
import { relabel, rulesOf } from './relabel-engine';
import { AlloyCollector, AlloyCollectorProps, AlloyLogs, AlloyLogsProps, CollectorSizing, PodLogsDiscovery, ProfileType } from '../../src/alloy';
import { kubeService } from '../../src/core/kube';
import { PodMonitor, ServiceMonitor } from '../../src/core/monitors';
import { Namespace } from '../../src/core/namespace';
import { Loki } from '../../src/loki';
import { Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { Pyroscope } from '../../src/pyroscope';
import { find, readYamlDir, restrictedViolations, schemaErrors, synthApp, urlResolution } from '../harness';

const NS = 'monitoring';
const AGENTS = 'monitoring-agents';

function component(cfg: string, name: string, label: string): ParsedBlock {
  const b = parseAlloy(cfg).find((x) => x.name === name && x.label === label);
  if (!b) throw new Error(`no ${name} "${label}" in\n${cfg}`);
  return b;
}

function checkedConfig(text: string, name: string): string {
  expectAlloySyntaxAccepts({ [name]: text });
  expect(alloyReferenceErrors(text)).toEqual([]);
  return text;
}

/** A Deployment in `namespace` with pod labels/annotations and one container port. */
function workload(chart: Chart, id: string, namespace: string, labels: Record<string, string>, annotations: Record<string, string> = {}): void {
  new k8s.KubeDeployment(chart, id, {
    metadata: { name: id, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0.0', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9102 }] }] },
      },
    },
  });
}

function stack(extra: Partial<AlloyCollectorProps> = {}, app = new App()) {
  const chart = new Chart(app, 'stack');
  new PrometheusOperatorCrds(chart, 'Crds');
  const prometheus = new Prometheus(chart, 'Prometheus', { namespace: NS });
  const loki = new Loki(chart, 'Loki', { namespace: NS });
  const alloy = new AlloyCollector(chart, 'Alloy', { metricsTarget: prometheus, logsBackend: loki, ...extra });
  return { app, chart, alloy, loki, prometheus };
}

describe('cluster events', () => {
  const { app, alloy } = stack({ clusterEvents: {} });
  const objs = synthApp(app);
  const text = checkedConfig(find(objs, 'ConfigMap', 'alloy-collector', NS).data['config.alloy'], 'events.alloy');

  test('loki.source.kubernetes_events into loki.write at the Loki push URL', () => {
    const src = component(text, 'loki.source.kubernetes_events', 'cluster_events');
    expect(src.attrs.find((a) => a.name === 'forward_to')!.value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'loki.process.cluster_events.receiver' }] });
    expect(text).toContain('url = "http://loki.monitoring.svc:3100/loki/api/v1/push"');
    expect(urlResolution(alloy.eventsBackend!.pushUrl, objs)).toBeUndefined();
    expect(alloy.buildConfig().danglingReferences()).toEqual([]);
  });

  test('labels: namespace (set by the source), kind, name and reason lifted from the logfmt line', () => {
    const proc = component(text, 'loki.process', 'cluster_events');
    const labels = proc.blocks.find((b) => b.name === 'stage.labels')!;
    expect(labels.attrs[0].value).toEqual({ t: 'object', v: [['kind', { t: 'string', v: '' }], ['name', { t: 'string', v: '' }], ['reason', { t: 'string', v: '' }]] });
    expect(proc.blocks.find((b) => b.name === 'stage.logfmt')).toBeDefined();
  });

  test('shipped once: clustered collector, and the events source takes part in the cluster (one owner per watched namespace)', () => {
    const sts = find(objs, 'StatefulSet', 'alloy-collector', NS);
    expect(sts.spec.replicas).toBeGreaterThan(1);
    expect(sts.spec.template.spec.containers[0].args).toContain('--cluster.enabled=true');
    const src = component(text, 'loki.source.kubernetes_events', 'cluster_events');
    const clustering = src.blocks.find((b) => b.name === 'clustering')!;
    expect(clustering.attrs).toEqual([{ name: 'enabled', value: { t: 'bool', v: true } }]);
    // positions (the last event shipped) live on the member's PVC: a restarted member resumes, it does not replay
    expect(sts.spec.template.spec.containers[0].args).toContain('--storage.path=/var/lib/alloy/data');
    expect(sts.spec.volumeClaimTemplates.map((c: any) => c.metadata.name)).toContain('data');
  });

  test('RBAC: read-only access to events, cluster-wide only when every namespace is watched', () => {
    const rules = find(objs, 'ClusterRole', 'monitoring-alloy-collector').rules;
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] });
    for (const r of rules) expect(r.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v))).toBe(true);
  });

  test('a namespace filter: namespaces argument, a Role per namespace, no cluster-wide events access', () => {
    const s = stack({ clusterEvents: { namespaces: ['shop', 'payments'] } });
    const o = synthApp(s.app);
    const t = checkedConfig(find(o, 'ConfigMap', 'alloy-collector', NS).data['config.alloy'], 'events-ns.alloy');
    expect(component(t, 'loki.source.kubernetes_events', 'cluster_events').attrs.find((a) => a.name === 'namespaces')!.value)
      .toEqual({ t: 'array', v: [{ t: 'string', v: 'shop' }, { t: 'string', v: 'payments' }] });
    expect(find(o, 'ClusterRole', 'monitoring-alloy-collector').rules.flatMap((r: any) => r.resources)).not.toContain('events');
    for (const ns of ['shop', 'payments']) {
      expect(find(o, 'Role', 'monitoring-alloy-collector', ns).rules).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] }]);
      expect(find(o, 'RoleBinding', 'monitoring-alloy-collector', ns).subjects).toEqual([{ kind: 'ServiceAccount', name: 'alloy-collector', namespace: NS }]);
    }
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('bad input: no logs backend for the events', () => {
    const app2 = new App();
    const chart = new Chart(app2, 'c');
    const prometheus = new Prometheus(chart, 'P');
    new AlloyCollector(chart, 'Alloy', { metricsTarget: prometheus, clusterEvents: {} });
    expect(() => app2.synth()).toThrow(/\[c\/Alloy\] 'clusterEvents' is on but there is no logs backend to ship the events to\. Received: .*; expected: a Loki given by reference\. Fix: /);
  });

  test('bad input: an empty namespace list, a bad namespace, an empty job name', () => {
    expect(() => stack({ clusterEvents: { namespaces: [] } })).toThrow(/'clusterEvents\.namespaces' is an empty list/);
    expect(() => stack({ clusterEvents: { namespaces: ['Shop_1'] } })).toThrow(/clusterEvents\.namespaces\[\]/);
    expect(() => stack({ clusterEvents: { jobName: ' ' } })).toThrow(/'clusterEvents\.jobName' is empty/);
  });
});

describe('annotation autodiscovery', () => {
  const SHOP = 'shop';
  function discoveryApp(extra: Partial<AlloyCollectorProps> = {}) {
    const s = stack({ autodiscovery: {}, scrapeServiceMonitors: true, ...extra });
    const ann = { 'k8s.grafana.com/scrape': 'true', 'k8s.grafana.com/metrics.portNumber': '9102', 'k8s.grafana.com/metrics.path': '/custom/metrics', 'k8s.grafana.com/metrics.scrapeInterval': '15s' };
    workload(s.chart, 'annotated', SHOP, { 'app.kubernetes.io/name': 'annotated' }, ann);
    workload(s.chart, 'plain', SHOP, { 'app.kubernetes.io/name': 'plain' });
    // annotated too, but a ServiceMonitor of the app selects its Service: Prometheus scrapes it, Alloy must not
    workload(s.chart, 'monitored', SHOP, { 'app.kubernetes.io/name': 'monitored' }, ann);
    const svc = kubeService(s.chart, 'MonitoredService', { name: 'monitored', namespace: SHOP, labels: { 'app.kubernetes.io/name': 'monitored' }, selector: { 'app.kubernetes.io/name': 'monitored' }, ports: [{ name: 'metrics', port: 9102 }] });
    ServiceMonitor.forServiceRef(s.chart, 'MonitoredMonitor', svc, { endpoints: [{ port: 'metrics' }] });
    // annotated, and a PodMonitor selects it
    workload(s.chart, 'podmonitored', SHOP, { 'app.kubernetes.io/name': 'podmonitored' }, ann);
    new PodMonitor(s.chart, 'PodMonitored', { namespace: SHOP, selector: { 'app.kubernetes.io/name': 'podmonitored' }, endpoints: [{ port: 'metrics' }] });
    return { ...s, objs: synthApp(s.app) };
  }
  const { objs, alloy } = discoveryApp();
  const text = checkedConfig(find(objs, 'ConfigMap', 'alloy-collector', NS).data['config.alloy'], 'autodiscovery.alloy');

  /** What Kubernetes pod discovery yields for every pod template of the app: one target per container port. */
  function podTargets(): Array<Record<string, string>> {
    const out: Array<Record<string, string>> = [];
    let ip = 10;
    const meta = (prefix: string, m: Record<string, string> = {}) => Object.fromEntries(Object.entries(m).map(([k, v]) => [`${prefix}${k.replace(/[^A-Za-z0-9_]/g, '_')}`, v]));
    for (const d of objs.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === SHOP)) {
      const tpl = d.spec.template;
      for (const c of tpl.spec.containers) {
        for (const p of c.ports) {
          out.push({
            __address__: `10.0.0.${ip}:${p.containerPort}`,
            __meta_kubernetes_namespace: d.metadata.namespace!,
            __meta_kubernetes_pod_name: `${d.metadata.name}-7d4b9-abcde`,
            __meta_kubernetes_pod_ip: `10.0.0.${ip}`,
            __meta_kubernetes_pod_phase: 'Running',
            __meta_kubernetes_pod_controller_name: `${d.metadata.name}-7d4b9`,
            __meta_kubernetes_pod_container_name: c.name,
            __meta_kubernetes_pod_container_port_number: String(p.containerPort),
            ...meta('__meta_kubernetes_pod_label_', tpl.metadata.labels),
            ...meta('__meta_kubernetes_pod_annotation_', tpl.metadata.annotations),
          });
        }
      }
      ip++;
    }
    return out;
  }

  /** What prometheus.scrape makes of the relabelled targets: one scrape per distinct URL and label set. */
  function scrapes(rules = rulesOf(component(text, 'discovery.relabel', 'autodiscovery_pods'))): Array<{ url: string; interval?: string; labels: Record<string, string> }> {
    const seen = new Map<string, { url: string; interval?: string; labels: Record<string, string> }>();
    for (const t of relabel(rules, podTargets())) {
      if (!t) continue;
      const labels = Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('__')));
      const url = `${t.__scheme__ ?? 'http'}://${t.__address__}${t.__metrics_path__ ?? '/metrics'}`;
      seen.set(JSON.stringify([url, labels]), { url, interval: t.__scrape_interval__, labels });
    }
    return [...seen.values()];
  }

  test('an annotated pod is scraped once, at the annotated port, path and interval (rules run by Prometheus\' relabel code)', () => {
    const got = scrapes();
    const annotated = got.filter((s) => s.labels.pod?.startsWith('annotated-'));
    expect(annotated).toEqual([{
      url: 'http://10.0.0.10:9102/custom/metrics',
      interval: '15s',
      labels: { namespace: SHOP, pod: 'annotated-7d4b9-abcde', job: 'shop/annotated' },
    }]);
  });

  test('a pod without the annotation is not scraped', () => {
    expect(scrapes().some((s) => s.labels.pod?.startsWith('plain-'))).toBe(false);
  });

  test('a pod that a ServiceMonitor or a PodMonitor of the app also selects is left to Prometheus (scraped once)', () => {
    const got = scrapes();
    expect(got.map((s) => s.labels.pod)).toEqual(['annotated-7d4b9-abcde']);
    // and Prometheus does select those monitors
    expect(find(objs, 'ServiceMonitor', 'monitored', SHOP)).toBeDefined();
    expect(find(objs, 'PodMonitor', 'pod-monitored', SHOP)).toBeDefined();
  });

  test('without the monitor exclusions the same pods would be scraped (the exclusion rules are what prevents the double scrape)', () => {
    const rules = rulesOf(component(text, 'discovery.relabel', 'autodiscovery_pods'))
      .filter((r) => !(r.action === 'drop' && r.source_labels?.[0] === '__meta_kubernetes_namespace'));
    expect(scrapes(rules).map((s) => s.labels.pod).sort()).toEqual(['annotated-7d4b9-abcde', 'monitored-7d4b9-abcde', 'podmonitored-7d4b9-abcde']);
  });

  test('annotated Services: endpoint slices, pods that opt in themselves are left to the pod discovery', () => {
    const svc = component(text, 'discovery.relabel', 'autodiscovery_services');
    const rules = rulesOf(svc);
    const base = {
      __address__: '10.0.0.50:8080',
      __meta_kubernetes_namespace: SHOP,
      __meta_kubernetes_service_name: 'web',
      __meta_kubernetes_pod_name: 'web-1',
      __meta_kubernetes_service_annotation_k8s_grafana_com_scrape: 'true',
      __meta_kubernetes_service_annotation_k8s_grafana_com_metrics_portNumber: '9102',
      __meta_kubernetes_service_annotation_k8s_grafana_com_metrics_scheme: 'https',
    };
    const [svcScraped, podOptedIn, notAnnotated] = relabel(rules, [
      base,
      { ...base, __meta_kubernetes_pod_annotation_k8s_grafana_com_scrape: 'true' },
      { ...base, __meta_kubernetes_service_annotation_k8s_grafana_com_scrape: 'false' },
    ]);
    expect(svcScraped).toMatchObject({ __address__: '10.0.0.50:9102', __scheme__: 'https', namespace: SHOP, service: 'web', pod: 'web-1', job: 'shop/web' });
    expect(podOptedIn).toBeNull();
    expect(notAnnotated).toBeNull();
    expect(component(text, 'discovery.kubernetes', 'autodiscovery_services').attrs).toContainEqual({ name: 'role', value: { t: 'string', v: 'endpointslice' } });
  });

  test('discovered targets are remote-written into the metrics target, clustered', () => {
    for (const l of ['autodiscovery_pods', 'autodiscovery_services']) {
      const sc = component(text, 'prometheus.scrape', l);
      expect(sc.attrs.find((a) => a.name === 'forward_to')!.value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'prometheus.remote_write.default.receiver' }] });
      expect(sc.blocks.find((b) => b.name === 'clustering')).toBeDefined();
    }
    expect(alloy.buildConfig().danglingReferences()).toEqual([]);
    const rules = find(objs, 'ClusterRole', 'monitoring-alloy-collector').rules;
    expect(rules).toContainEqual({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] });
  });

  test('configurable annotation names', () => {
    const s = stack({ autodiscovery: { annotations: { scrapeAnnotation: 'example.com/scrape', portAnnotation: 'example.com/port' }, services: false } });
    const t = checkedConfig(s.alloy.renderConfig(), 'custom.alloy');
    expect(t).toContain('"__meta_kubernetes_pod_annotation_example_com_scrape"');
    expect(t).toContain('"__meta_kubernetes_pod_annotation_example_com_port"');
    expect(t).toContain('"__meta_kubernetes_pod_annotation_k8s_grafana_com_metrics_path"');
    expect(t).not.toContain('autodiscovery_services');
  });

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs.filter((o) => o.metadata.namespace !== SHOP))).toEqual([]);
  });

  test.each([
    ['not/a/key'], ['k8s.grafana.com/'], ['-scrape'], ['Example.com/scrape'], ['k8s.grafana.com/scrape!'], [`k8s.grafana.com/${'a'.repeat(64)}`], [''],
  ])('bad input: annotation name %j is not a Kubernetes annotation key', (bad) => {
    expect(() => stack({ autodiscovery: { annotations: { scrapeAnnotation: bad } } }))
      .toThrow(/'autodiscovery\.annotations\.scrapeAnnotation' is not a valid Kubernetes annotation key\. Received: .*; expected: .*Fix: /);
  });

  test('bad input: the message says which part of the key is wrong (the shared key rule of core/validation)', () => {
    expect(() => stack({ autodiscovery: { annotations: { portAnnotation: 'not/a/key' } } })).toThrow(/Received: "not\/a\/key" \(more than one '\/'\)/);
    expect(() => stack({ autodiscovery: { annotations: { pathAnnotation: `k8s.grafana.com/${'a'.repeat(64)}` } } })).toThrow(/\(the name part has 64 characters \(at most 63\)\)/);
    expect(() => stack({ autodiscovery: { annotations: { intervalAnnotation: 'Example.com/interval' } } })).toThrow(/\(the prefix "Example\.com" is not a DNS-1123 subdomain\)/);
  });

  test('bad input: two annotations with the same name', () => {
    expect(() => stack({ autodiscovery: { annotations: { portAnnotation: 'k8s.grafana.com/scrape' } } })).toThrow(/two autodiscovery annotations have the same name/);
  });

  test('bad input: autodiscovery without a destination', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new AlloyCollector(chart, 'Alloy', { logsBackend: new Loki(chart, 'Loki'), autodiscovery: {} });
    expect(() => app.synth()).toThrow(/\[c\/Alloy\] 'autodiscovery' is on but there is no 'metricsTarget'.*Fix: pass 'metricsTarget'/);
  });
});

describe('logs autodiscovery (node agent)', () => {
  function logsAgent(props: Partial<AlloyLogsProps>) {
    const app = new App();
    const chart = new Chart(app, 'agents');
    Namespace.forNodeAgents(chart, 'Agents');
    const logs = new AlloyLogs(chart, 'Logs', { namespace: AGENTS, ...props });
    logs.addLogsDestination(new Loki(chart, 'Loki', { namespace: NS }));
    return { app, logs };
  }
  const config = (props: Partial<AlloyLogsProps>) => checkedConfig(find(synthApp(logsAgent(props).app), 'ConfigMap', 'alloy-logs', AGENTS).data['config.alloy'], 'logs.alloy');
  const text = config({ autodiscovery: { labelsFromAnnotations: { team: 'example.com/team' }, excludeNamespaces: ['kube-system'] } });

  /** A pod log target as the agent's own relabelling leaves it (meta labels still present). */
  const target = (ns: string, pod: string, annotations: Record<string, string> = {}) => ({
    __meta_kubernetes_namespace: ns,
    __meta_kubernetes_pod_name: pod,
    __meta_kubernetes_pod_container_name: 'app',
    namespace: ns,
    pod,
    container: 'app',
    job: `${ns}/app`,
    ...Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`__meta_kubernetes_pod_annotation_${k.replace(/[^A-Za-z0-9_]/g, '_')}`, v])),
  });
  const visible = (t: Record<string, string> | null) => (t ? Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('__'))) : null);

  test('the log source reads the autodiscovery stage; eBPF profiling would still read the unfiltered pods', () => {
    const src = component(text, 'loki.source.kubernetes', 'pods');
    expect(src.attrs.find((a) => a.name === 'targets')!.value).toEqual({ t: 'ref', v: 'discovery.relabel.pod_logs.output' });
    expect(component(text, 'discovery.relabel', 'pod_logs').attrs.find((a) => a.name === 'targets')!.value).toEqual({ t: 'ref', v: 'discovery.relabel.pods.output' });
  });

  test('every Pod unless it opts out; job and annotation labels set; excluded namespaces dropped (Prometheus relabel code)', () => {
    const rules = rulesOf(component(text, 'discovery.relabel', 'pod_logs'));
    const out = relabel(rules, [
      target('shop', 'plain'),
      target('shop', 'opted-out', { 'k8s.grafana.com/logs.autogather': 'false' }),
      target('shop', 'with-job', { 'k8s.grafana.com/logs.job': 'shop/checkout', 'example.com/team': 'payments' }),
      target('kube-system', 'coredns'),
    ]).map(visible);
    expect(out).toEqual([
      { namespace: 'shop', pod: 'plain', container: 'app', job: 'shop/app' },
      null,
      { namespace: 'shop', pod: 'with-job', container: 'app', job: 'shop/checkout', team: 'payments' },
      null,
    ]);
  });

  test('ANNOTATED: only the Pods that opt in; configurable annotation names', () => {
    const t = config({ autodiscovery: { discovery: PodLogsDiscovery.ANNOTATED, annotations: { gatherAnnotation: 'example.com/logs', jobAnnotation: 'example.com/job' } } });
    const out = relabel(rulesOf(component(t, 'discovery.relabel', 'pod_logs')), [
      target('shop', 'plain'),
      target('shop', 'in', { 'example.com/logs': 'true', 'example.com/job': 'checkout' }),
      target('shop', 'grafana-name', { 'k8s.grafana.com/logs.autogather': 'true' }),
    ]).map(visible);
    expect(out).toEqual([null, { namespace: 'shop', pod: 'in', container: 'app', job: 'checkout' }, null]);
  });

  test('without autodiscovery the source reads the pods directly (nothing changes)', () => {
    const t = config({});
    expect(component(t, 'loki.source.kubernetes', 'pods').attrs.find((a) => a.name === 'targets')!.value).toEqual({ t: 'ref', v: 'discovery.relabel.pods.output' });
    expect(t).not.toContain('pod_logs');
  });

  test.each<[string, Partial<AlloyLogsProps>, RegExp]>([
    ['a gather annotation that is not a key', { autodiscovery: { annotations: { gatherAnnotation: 'not/a/key' } } }, /'autodiscovery\.annotations\.gatherAnnotation' is not a valid Kubernetes annotation key\. Received: "not\/a\/key"/],
    ['the same annotation for gather and job', { autodiscovery: { annotations: { jobAnnotation: 'k8s.grafana.com/logs.autogather' } } }, /the gather and job annotations of logs autodiscovery have the same name/],
    ['a label that is not a Loki label name', { autodiscovery: { labelsFromAnnotations: { 'team-name': 'example.com/team' } } }, /has the key "team-name", which is not a Loki label name.*Fix: rename it, e\.g\. "team_name"/],
    ['a label the agent sets itself', { autodiscovery: { labelsFromAnnotations: { job: 'example.com/job' } } }, /would overwrite the "job" label.*jobAnnotation/],
    ['a label read from a bad annotation key', { autodiscovery: { labelsFromAnnotations: { team: 'Example.com/team' } } }, /'autodiscovery\.labelsFromAnnotations\.team' is not a valid Kubernetes annotation key/],
    ['an empty exclusion list', { autodiscovery: { excludeNamespaces: [] } }, /'autodiscovery\.excludeNamespaces' is an empty list/],
    ['excluding an included namespace', { namespaces: ['shop'], autodiscovery: { excludeNamespaces: ['shop'] } }, /excludes namespaces that are also the only ones included: logs would never come from them/],
    ['an unknown discovery mode', { autodiscovery: { discovery: 'some' as any } }, /'autodiscovery\.discovery' is not a PodLogsDiscovery/],
  ])('bad input: %s', (_what, props, re) => {
    expect(() => logsAgent(props)).toThrow(re);
  });
});

describe('profiles autodiscovery (central collector)', () => {
  function profilesApp(extra: Partial<AlloyCollectorProps> = {}) {
    const app = new App();
    const chart = new Chart(app, 'stack');
    const pyroscope = new Pyroscope(chart, 'Pyroscope', { namespace: NS });
    const alloy = new AlloyCollector(chart, 'Alloy', { profilesBackend: pyroscope, ...extra });
    return { app, alloy };
  }
  const text = checkedConfig(profilesApp({ profilesAutodiscovery: { types: [ProfileType.CPU, ProfileType.MEMORY, ProfileType.GOROUTINE], excludeNamespaces: ['kube-system'] } }).alloy.renderConfig(), 'profiles.alloy');

  /** Pod discovery targets: one per container port (name, number) of a pod. */
  const pod = (ns: string, name: string, ports: Array<[string, number]>, annotations: Record<string, string>) => ports.map(([portName, port]) => ({
    __address__: `10.0.0.7:${port}`,
    __meta_kubernetes_namespace: ns,
    __meta_kubernetes_pod_name: name,
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_container_name: 'app',
    __meta_kubernetes_pod_container_port_name: portName,
    __meta_kubernetes_pod_container_port_number: String(port),
    ...Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`__meta_kubernetes_pod_annotation_${k.replace(/[^A-Za-z0-9_]/g, '_')}`, v])),
  }));
  /** What pyroscope.scrape "profile_<type>" scrapes: base relabel, by number and by name, array.concat, settings. */
  function scraped(type: string, targets: Array<Record<string, string>>, t = text): string[] {
    const run = (label: string, ts: Array<Record<string, string>>) => relabel(rulesOf(component(t, 'discovery.relabel', label)), ts).filter((x): x is Record<string, string> => x !== null);
    const base = run('profile_pods', targets);
    const concat = [...run(`profile_${type}_port_number`, base), ...run(`profile_${type}_port_name`, base)];
    return run(`profile_${type}`, concat).map((x) => `${x.__scheme__ ?? 'http'}://${x.__address__}${x.__profile_path__ ?? '(default path)'} ${x.namespace}/${x.pod}/${x.container}`);
  }
  const ports: Array<[string, number]> = [['http', 8080], ['pprof', 6060]];

  test('by port number: the annotated container port only, once', () => {
    expect(scraped('cpu', pod('shop', 'a', ports, { 'profiles.grafana.com/cpu.scrape': 'true', 'profiles.grafana.com/cpu.port': '6060' })))
      .toEqual(['http://10.0.0.7:6060(default path) shop/a/app']);
  });

  test('by port name; the number wins when both are set; path and scheme from the annotations', () => {
    expect(scraped('memory', pod('shop', 'b', ports, { 'profiles.grafana.com/memory.scrape': 'true', 'profiles.grafana.com/memory.port_name': 'pprof', 'profiles.grafana.com/memory.path': '/custom/heap', 'profiles.grafana.com/memory.scheme': 'https' })))
      .toEqual(['https://10.0.0.7:6060/custom/heap shop/b/app']);
    expect(scraped('memory', pod('shop', 'c', ports, { 'profiles.grafana.com/memory.scrape': 'true', 'profiles.grafana.com/memory.port_name': 'pprof', 'profiles.grafana.com/memory.port': '8080' })))
      .toEqual(['http://10.0.0.7:8080(default path) shop/c/app']);
  });

  test('not scraped: without the scrape annotation, without a port, another type\'s annotation, an excluded namespace', () => {
    expect(scraped('cpu', pod('shop', 'd', ports, { 'profiles.grafana.com/cpu.port': '6060' }))).toEqual([]);
    expect(scraped('cpu', pod('shop', 'e', ports, { 'profiles.grafana.com/cpu.scrape': 'true' }))).toEqual([]);
    expect(scraped('goroutine', pod('shop', 'f', ports, { 'profiles.grafana.com/cpu.scrape': 'true', 'profiles.grafana.com/cpu.port': '6060' }))).toEqual([]);
    expect(scraped('cpu', pod('kube-system', 'g', ports, { 'profiles.grafana.com/cpu.scrape': 'true', 'profiles.grafana.com/cpu.port': '6060' }))).toEqual([]);
  });

  test('one pyroscope.scrape per type, with only its profile enabled (Alloy enables several by default), clustered, into pyroscope.write', () => {
    for (const [type, block] of [['cpu', 'profile.process_cpu'], ['memory', 'profile.memory'], ['goroutine', 'profile.goroutine']]) {
      const sc = component(text, 'pyroscope.scrape', `profile_${type}`);
      const cfg = sc.blocks.find((b) => b.name === 'profiling_config')!;
      expect(cfg.blocks).toHaveLength(9);
      expect(cfg.blocks.filter((b) => b.attrs.some((a) => a.name === 'enabled' && (a.value as any).v === true)).map((b) => b.name)).toEqual([block]);
      expect(sc.attrs.find((a) => a.name === 'forward_to')!.value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'pyroscope.write.default.receiver' }] });
      expect(sc.blocks.find((b) => b.name === 'clustering')).toBeDefined();
    }
    expect(text).not.toContain('profile_block');
  });

  test('defaults: cpu and memory under profiles.grafana.com; a configurable prefix and namespaces', () => {
    const d = profilesApp().alloy.renderConfig();
    expect(parseAlloy(d).filter((b) => b.name === 'pyroscope.scrape').map((b) => b.label)).toEqual(['profile_cpu', 'profile_memory']);
    const t = checkedConfig(profilesApp({ profilesAutodiscovery: { annotationPrefix: 'profiles.example.com', namespaces: ['shop'], types: [ProfileType.FGPROF] } }).alloy.renderConfig(), 'prefix.alloy');
    expect(scraped('fgprof', pod('shop', 'h', ports, { 'profiles.example.com/fgprof.scrape': 'true', 'profiles.example.com/fgprof.port': '6060' }), t)).toEqual(['http://10.0.0.7:6060(default path) shop/h/app']);
    expect(component(t, 'discovery.kubernetes', 'profile_pods').blocks[0].attrs).toEqual([{ name: 'names', value: { t: 'array', v: [{ t: 'string', v: 'shop' }] } }]);
  });

  test.each<[string, Partial<AlloyCollectorProps>, RegExp]>([
    ['an empty type list', { profilesAutodiscovery: { types: [] } }, /'profilesAutodiscovery\.types' is empty: nothing would be profiled/],
    ['a type twice', { profilesAutodiscovery: { types: [ProfileType.CPU, ProfileType.CPU] } }, /lists "cpu" twice/],
    ['an unknown type', { profilesAutodiscovery: { types: ['heap' as any] } }, /'profilesAutodiscovery\.types\[0\]' is not a ProfileType/],
    ['a prefix that is not a DNS subdomain', { profilesAutodiscovery: { annotationPrefix: 'Profiles/Grafana' } }, /'profilesAutodiscovery\.annotationPrefix' is not an annotation prefix/],
    ['excluding the only included namespace', { profilesAutodiscovery: { namespaces: ['shop'], excludeNamespaces: ['shop'] } }, /profiles would never come from them/],
  ])('bad input: %s', (_what, props, re) => {
    expect(() => profilesApp(props)).toThrow(re);
  });

  test('bad input: profiles autodiscovery without a profiles backend', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new AlloyCollector(chart, 'Alloy', { logsBackend: new Loki(chart, 'Loki'), profilesAutodiscovery: {} });
    expect(() => app.synth()).toThrow(/'profilesAutodiscovery' is set but there is no 'profilesBackend'.*Fix: pass 'profilesBackend'/);
  });
});

describe('PodMonitor discovery', () => {
  test('prometheus.operator.podmonitors beside the servicemonitors, clustered, with read access to podmonitors', () => {
    const { app } = stack({ scrapeServiceMonitors: true, scrapePodMonitors: true });
    const objs = synthApp(app);
    const text = checkedConfig(find(objs, 'ConfigMap', 'alloy-collector', NS).data['config.alloy'], 'podmonitors.alloy');
    const pm = component(text, 'prometheus.operator.podmonitors', 'default');
    expect(pm.attrs[0].value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'prometheus.remote_write.default.receiver' }] });
    expect(pm.blocks.map((b) => b.name)).toEqual(['clustering']);
    expect(find(objs, 'ClusterRole', 'monitoring-alloy-collector').rules)
      .toContainEqual({ apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors'], verbs: ['get', 'list', 'watch'] });
  });

  test('bad input: PodMonitor discovery without a remote-write target', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new AlloyCollector(chart, 'Alloy', { logsBackend: new Loki(chart, 'Loki'), scrapePodMonitors: true });
    expect(() => app.synth()).toThrow(/'scrapePodMonitors' is on but there is no 'metricsTarget'/);
  });
});

describe('node agent: systemd journal and eBPF profiles', () => {
  function agent(props: Partial<AlloyLogsProps>) {
    const app = new App();
    const chart = new Chart(app, 'agents');
    Namespace.forNodeAgents(chart, 'Agents');
    const loki = new Loki(chart, 'Loki', { namespace: NS });
    const pyroscope = new Pyroscope(chart, 'Pyroscope', { namespace: NS });
    const logs = new AlloyLogs(chart, 'Logs', { namespace: AGENTS, ...props });
    logs.addLogsDestination(loki);
    return { app, logs, pyroscope, loki };
  }

  describe('journal', () => {
    const { app } = agent({ journal: {} });
    const objs = synthApp(app);
    const text = checkedConfig(find(objs, 'ConfigMap', 'alloy-logs', AGENTS).data['config.alloy'], 'journal.alloy');
    const pod = find(objs, 'DaemonSet', 'alloy-logs', AGENTS).spec.template.spec;

    test('kubelet and containerd units from the journal, labelled unit/node/level, to every destination', () => {
      const src = component(text, 'loki.source.journal', 'node');
      expect(src.attrs.find((a) => a.name === 'relabel_rules')!.value).toEqual({ t: 'ref', v: 'loki.relabel.journal.rules' });
      expect(src.attrs.find((a) => a.name === 'forward_to')!.value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'loki.write.loki.receiver' }] });
      const rules = component(text, 'loki.relabel', 'journal').blocks;
      expect(rules[0].attrs).toContainEqual({ name: 'regex', value: { t: 'string', v: 'kubelet\\.service|containerd\\.service' } });
      expect(rules.map((r) => r.attrs.find((a) => a.name === 'target_label')?.value)).toEqual([undefined, { t: 'string', v: 'unit' }, { t: 'string', v: 'node' }, { t: 'string', v: 'level' }]);
    });

    test('the unit filter keeps exactly the listed units (Prometheus relabel code)', () => {
      const rules = [rulesOf(component(text, 'loki.relabel', 'journal'))[0]];
      const out = relabel(rules, ['kubelet.service', 'containerd.service', 'sshd.service', 'kubeletXservice'].map((u) => ({ __journal__systemd_unit: u })));
      expect(out.map((x) => x !== null)).toEqual([true, true, false, false]);
    });

    test('host mounts: exactly /var/log/journal, /run/log/journal and /etc/machine-id, read-only, besides the state directory', () => {
      const host = pod.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.hostPath.path, v.hostPath.type]);
      expect(host).toEqual([['/var/lib/alloy/alloy-logs', 'DirectoryOrCreate'], ['/var/log/journal', 'DirectoryOrCreate'], ['/run/log/journal', 'DirectoryOrCreate'], ['/etc/machine-id', 'File']]);
      const mounts = pod.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('journal') || m.name === 'machine-id');
      expect(mounts).toEqual([
        { name: 'journal-var', mountPath: '/var/log/journal', readOnly: true },
        { name: 'journal-run', mountPath: '/run/log/journal', readOnly: true },
        { name: 'machine-id', mountPath: '/etc/machine-id', readOnly: true },
      ]);
    });

    test('reads the root-owned journal as root with no capabilities (documented); the state directory is handed to root', () => {
      expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(pod.containers[0].securityContext.capabilities.add).toBeUndefined();
      expect(pod.initContainers[0].command[2]).toBe('chown 0:0 /var/lib/alloy/data');
    });

    test('with a journal group the reader stays non-root (supplemental group)', () => {
      const o = synthApp(agent({ journal: { groupId: 190 } }).app);
      const p = find(o, 'DaemonSet', 'alloy-logs', AGENTS).spec.template.spec;
      expect(p.securityContext.supplementalGroups).toEqual([190]);
      expect(p.containers[0].securityContext.runAsNonRoot).toBe(true);
      expect(restrictedViolations(o).filter((v) => v.includes('alloy-logs')).sort()).toEqual([
        ...ALLOY_DOCUMENTED_EXCEPTIONS,
        'DaemonSet/monitoring-agents/alloy-logs: volume journal-var uses hostPath',
        'DaemonSet/monitoring-agents/alloy-logs: volume journal-run uses hostPath',
        'DaemonSet/monitoring-agents/alloy-logs: volume machine-id uses hostPath',
      ].sort());
    });

    test('schema harness; the namespace is the privileged node-agent namespace', () => {
      expect(schemaErrors(objs)).toEqual([]);
      expect(find(objs, 'Namespace', AGENTS).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    });

    test('bad input: an empty unit list', () => {
      expect(() => agent({ journal: { units: [] } })).toThrow(/\[agents\/Logs\] 'journal\.units' is empty: the journal reader would ship nothing\. Received: \[\]; expected: .*Fix: /);
    });

    test.each([['kubelet'], ['kubelet service'], [''], ['../x.service']])('bad input: unit %j is not a systemd unit', (u) => {
      expect(() => agent({ journal: { units: [u] } })).toThrow(/'journal\.units' has an entry that is not a systemd unit name/);
    });

    test('bad input: a duplicate unit, a bad group ID', () => {
      expect(() => agent({ journal: { units: ['kubelet.service', 'kubelet.service'] } })).toThrow(/lists a unit twice/);
      expect(() => agent({ journal: { groupId: 0 } })).toThrow(/'journal\.groupId' is not a group ID/);
    });
  });

  describe('eBPF profiles', () => {
    const built = agent({});
    const { app, pyroscope } = built;
    void pyroscope;
    // a second app with the profiler on
    const e = (() => {
      const a = new App();
      const chart = new Chart(a, 'agents');
      Namespace.forNodeAgents(chart, 'Agents');
      const loki = new Loki(chart, 'Loki', { namespace: NS });
      const pyro = new Pyroscope(chart, 'Pyroscope', { namespace: NS });
      const logs = new AlloyLogs(chart, 'Logs', { namespace: AGENTS, ebpfProfiles: { profilesBackend: pyro } });
      logs.addLogsDestination(loki);
      return { app: a, pyro };
    })();
    const objs = synthApp(e.app);
    const text = checkedConfig(find(objs, 'ConfigMap', 'alloy-logs', AGENTS).data['config.alloy'], 'ebpf.alloy');
    const pod = find(objs, 'DaemonSet', 'alloy-logs', AGENTS).spec.template.spec;

    test('pyroscope.ebpf over this node\'s pods into pyroscope.write at the Pyroscope Service', () => {
      const ebpf = component(text, 'pyroscope.ebpf', 'node');
      expect(ebpf.attrs.find((a) => a.name === 'targets')!.value).toEqual({ t: 'ref', v: 'discovery.relabel.ebpf.output' });
      expect(ebpf.attrs.find((a) => a.name === 'forward_to')!.value).toEqual({ t: 'array', v: [{ t: 'ref', v: 'pyroscope.write.ebpf.receiver' }] });
      expect(text).toContain(`url = "${e.pyro.profilesPushUrl}"`);
      expect(urlResolution(e.pyro.profilesPushUrl, objs)).toBeUndefined();
    });

    test('privileges: host PID, root with exactly the documented capabilities, no privileged mode, tracefs read-only', () => {
      expect(pod.hostPID).toBe(true);
      const sc = pod.containers[0].securityContext;
      expect(sc).toMatchObject({ runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      expect(sc.privileged).toBeUndefined();
      expect(sc.capabilities).toEqual({ drop: ['ALL'], add: AlloyLogs.EBPF_PROFILING_CAPABILITIES });
      expect(pod.volumes).toContainEqual({ name: 'kernel-tracing', hostPath: { path: '/sys/kernel/tracing', type: 'Directory' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'kernel-tracing', mountPath: '/sys/kernel/tracing', readOnly: true });
      expect(schemaErrors(objs)).toEqual([]);
    });

    test('without the profiler nothing changes (restricted except the documented state-directory exceptions)', () => {
      expect(restrictedViolations(synthApp(app)).filter((v) => v.includes('alloy-logs'))).toEqual(ALLOY_DOCUMENTED_EXCEPTIONS);
    });

    test('bad input: a sample rate out of range', () => {
      expect(() => agent({ ebpfProfiles: { profilesBackend: built.pyroscope, sampleRate: 0 } })).toThrow(/'ebpfProfiles\.sampleRate' is out of range/);
    });
  });
});

describe('CollectorSizing', () => {
  const chart = new Chart(new App(), 'sizing');
  test.each([
    [1, 100, 128], [50, 100, 128], [51, 500, 1024], [1000, 500, 1024],
  ])('%d nodes: %dm CPU and %d MiB per collector replica', (nodes, cpu, mem) => {
    const s = CollectorSizing.forNodes(chart, nodes);
    expect(s.collector.spec.cpuMillis).toBe(cpu);
    expect(s.collector.spec.memory.toMebibytes()).toBe(mem);
    expect(s.collectorReplicas).toBe(2);
    expect(s.nodeAgent.spec.cpuMillis).toBe(100);
  });

  test.each([[0], [-3], [2.5], [1001]])('bad input: %d nodes', (n) => {
    expect(() => CollectorSizing.forNodes(chart, n)).toThrow(/\[sizing\] .*(not a positive integer|beyond the upstream sizing figures).*Fix: /);
  });
});

describe('dist/k8s-monitoring', () => {
  const dir = path.join(__dirname, '..', '..', 'dist', 'k8s-monitoring');
  const objs = readYamlDir(dir);
  const configs = objs.filter((o) => o.kind === 'ConfigMap' && o.data?.['config.alloy']);

  test('every Alloy config parses and matches the Alloy 1.18.1 reference', () => {
    expect(configs.map((c) => c.metadata.name).sort()).toEqual(['alloy-collector', 'alloy-logs']);
    for (const c of configs) checkedConfig(c.data['config.alloy'], `${c.metadata.name}.alloy`);
  });

  test('turns on events, journal, autodiscovery and PodMonitor discovery; OpenCost and Kepler run', () => {
    const all = configs.map((c) => c.data['config.alloy']).join('\n');
    for (const c of ['loki.source.kubernetes_events', 'loki.source.journal', 'discovery.relabel "autodiscovery_pods"', 'prometheus.operator.podmonitors']) expect(all).toContain(c);
    expect(find(objs, 'Deployment', 'opencost', 'k8s-mon')).toBeDefined();
    expect(find(objs, 'DaemonSet', 'kepler', 'k8s-mon-agents')).toBeDefined();
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('Pod Security "restricted" holds outside the node-agent namespace', () => {
    expect(restrictedViolations(objs).filter((v) => !v.includes('/k8s-mon-agents/'))).toEqual([]);
  });
});
