import { Chart, Testing } from 'cdk8s';
import { checkDashboard, flatPanels, queries } from './dashboard-checker';
import { DATASOURCES } from './fixtures';
import { promqlTypeErrors } from '../../src/core/promql-types';
import { metricNamesOf } from '../../src/core/provenance/metric-names';
import { sourcesOfMetric } from '../../src/core/provenance/sources';
import {
  GrafanaDashboard, KubernetesClusterDashboard, KubernetesDashboards, StackDashboards, TempoDashboard,
} from '../../src/dashboards';
import { substituteVariables } from '../../src/dashboards/model';
import { KubeletMonitor, KubeStateMetrics, NodeExporter, Prometheus } from '../../src/prometheus';

const kubernetes = () => new KubernetesDashboards(Testing.chart(), 'Kubernetes');
const rendered = (d: GrafanaDashboard) => JSON.parse(d.renderJson(DATASOURCES));

describe('Kubernetes compute and node dashboards', () => {
  const set = kubernetes();

  test('stable uids, titles and folder', () => {
    expect(set.all.map((d) => [d.uid, d.title, d.folder])).toEqual([
      ['k8s-compute-cluster', 'Kubernetes / Compute Resources / Cluster', 'Kubernetes'],
      ['k8s-compute-namespace', 'Kubernetes / Compute Resources / Namespace (Pods)', 'Kubernetes'],
      ['k8s-compute-pod', 'Kubernetes / Compute Resources / Pod', 'Kubernetes'],
      ['k8s-compute-workload', 'Kubernetes / Compute Resources / Workload', 'Kubernetes'],
      ['node-exporter-nodes', 'Node Exporter / Nodes', 'Kubernetes'],
    ]);
  });

  test.each(set.all.map((d) => [d.uid, d] as const))('%s: valid, every query parses and type-checks, the datasource is a variable', (_uid, d) => {
    const json = rendered(d);
    // panels query the `${datasource}` variable, which stays dynamic: every other problem counts
    expect(checkDashboard(json, DATASOURCES).filter((e) => !e.includes('"${datasource}"'))).toEqual([]);
    const qs = queries(json);
    expect(qs.length).toBeGreaterThan(3);
    for (const q of qs) {
      expect(q.type).toBe('prometheus');
      expect([q.where, promqlTypeErrors(substituteVariables(q.expr).text)]).toEqual([q.where, []]);
    }
    for (const p of flatPanels(json.panels).filter((x) => x.type !== 'row')) expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  test.each(set.all.map((d) => [d.uid, d] as const))('%s: variables for datasource, namespace and pod', (_uid, d) => {
    const vars = rendered(d).templating.list;
    expect(vars[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(vars.map((v: any) => v.name)).toEqual(expect.arrayContaining(['datasource', 'namespace', 'pod']));
    for (const v of vars.filter((x: any) => x.type === 'query')) expect(v.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  test.each(set.all.map((d) => [d.uid, d] as const))('%s: links to every level, keeping time and variables', (_uid, d) => {
    const links = rendered(d).links;
    expect(links.map((l: any) => l.url)).toEqual(['/d/k8s-compute-cluster', '/d/k8s-compute-namespace', '/d/k8s-compute-workload', '/d/k8s-compute-pod', '/d/node-exporter-nodes']);
    for (const l of links) expect(l).toMatchObject({ type: 'link', includeVars: true, keepTime: true });
    // every link points at a dashboard of the set
    expect(links.map((l: any) => l.url.slice(3)).sort()).toEqual(set.all.map((x) => x.uid).sort());
  });

  test('requests and limits only count pods that are Pending or Running', () => {
    const json = rendered(set.cluster);
    const commitment = flatPanels(json.panels).find((p) => p.title === 'CPU requests commitment');
    expect(commitment.targets[0].expr).toContain('kube_pod_status_phase{phase=~"Pending|Running"}');
  });

  test('uid, title and folder can be overridden', () => {
    const d = new KubernetesClusterDashboard(Testing.chart(), 'C', { uid: 'my-cluster', title: 'Cluster', folder: 'Infra' });
    expect([d.uid, d.title, d.folder]).toEqual(['my-cluster', 'Cluster', 'Infra']);
  });
});

describe('the shipped dashboards use only metrics the provenance lists contain', () => {
  const chart = Testing.chart();
  const all = [...new KubernetesDashboards(chart, 'K').all, ...new StackDashboards(chart, 'S').all, new TempoDashboard(chart, 'T')];
  test.each(all.map((d) => [d.uid, d] as const))('%s', (_uid, d) => {
    const unknown = queries(rendered(d))
      .filter((q) => q.type === 'prometheus')
      .flatMap((q) => metricNamesOf(substituteVariables(q.expr).text))
      .filter((m) => sourcesOfMetric(m).length === 0);
    expect(unknown).toEqual([]);
  });

  test('in an app with kube-state-metrics, the kubelet and node-exporter, they pass the synth check', () => {
    const app = Testing.app();
    const c = new Chart(app, 'mon', { namespace: 'monitoring' });
    new Prometheus(c, 'Prometheus');
    new KubeStateMetrics(c, 'Ksm');
    new KubeletMonitor(c, 'Kubelet');
    new NodeExporter(c, 'Node', { namespace: 'monitoring' });
    new KubernetesDashboards(c, 'K');
    expect(() => app.synth()).not.toThrow();
  });

  test('without node-exporter, Node Exporter / Nodes fails the synth and names NodeExporter', () => {
    const app = Testing.app();
    const c = new Chart(app, 'mon', { namespace: 'monitoring' });
    new Prometheus(c, 'Prometheus');
    new KubeStateMetrics(c, 'Ksm');
    new KubeletMonitor(c, 'Kubelet');
    new KubernetesDashboards(c, 'K');
    expect(() => app.synth()).toThrow(/\[mon\/K\/Nodes\] variable "instance" queries node_uname_info, which no scraped target in the app produces: the panel stays empty\. Received: the query "node_uname_info"; expected: a scraped target that exposes node_uname_info: node-exporter v1\.12\.1[\s\S]*Fix: add NodeExporter to the app, or remove the pack/);
  });
});

describe('TempoDashboard', () => {
  test('a valid dashboard whose queries parse, on the Tempo job', () => {
    const d = new TempoDashboard(Testing.chart(), 'T', { job: 'traces' });
    const json = rendered(d);
    expect(checkDashboard(json, DATASOURCES)).toEqual([]);
    expect([d.uid, d.title, d.folder]).toEqual(['lgtm-tempo', 'LGTM / Tempo', 'LGTM Stack']);
    expect(queries(json).every((q) => q.expr.includes('job="traces"') || q.expr.includes('up{job="traces"}'))).toBe(true);
  });
});
