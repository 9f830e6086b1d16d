import { Testing } from 'cdk8s';
import { AGENTS_NAMESPACE, buildReferenceStack } from '../../examples/reference-stack';
import { K8sObject, find, restrictedViolations, schemaErrors, synthApp, synthAppFiles, parseYamlDocs, urlResolution } from '../harness';
import { configTexts, monitorSelectionErrors } from './selection';

let files: Record<string, string>;
let objs: K8sObject[];
beforeAll(() => {
  const app = Testing.app();
  buildReferenceStack(app);
  files = synthAppFiles(app);
  objs = Object.values(files).flatMap(parseYamlDocs);
});

const MINE = ['prometheus-operator', 'kube-state-metrics', 'node-exporter', 'prometheus', 'alertmanager'];
/** The objects of this module (other modules test their own workloads). */
const metricsObjs = () => objs.filter((o) => o.kind !== 'CustomResourceDefinition' && MINE.includes(o.metadata.labels?.['app.kubernetes.io/name']));

test('reference stack: every metrics object passes the schema harness', () => {
  expect(schemaErrors(objs.filter((o) => ['monitoring.coreos.com', 'rbac', 'apps', 'v1'].some((g) => o.apiVersion.startsWith(g)) || o.kind === 'CustomResourceDefinition'))).toEqual([]);
});

test('reference stack: every ServiceMonitor/PodMonitor/PrometheusRule is selected, discoverable, and its ports exist', () => {
  expect(monitorSelectionErrors(objs)).toEqual([]);
  expect(objs.filter((o) => o.kind === 'ServiceMonitor').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(expect.arrayContaining([
    'monitoring/alertmanager', 'monitoring/kube-state-metrics', 'monitoring/prometheus', 'monitoring/prometheus-operator',
    `${AGENTS_NAMESPACE}/node-exporter`, 'monitoring/kubelet',
  ]));
});

test('reference stack: the CRD chart sorts first and carries the Argo CD annotations', () => {
  const names = Object.keys(files);
  expect(names[0]).toMatch(/^00-crds/);
  const crdDocs = parseYamlDocs(files[names[0]]);
  expect(crdDocs).toHaveLength(10);
  for (const c of crdDocs) {
    expect(c.kind).toBe('CustomResourceDefinition');
    expect(c.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-10');
    expect(c.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Prune=false');
  }
  expect(objs.filter((o) => o.kind === 'CustomResourceDefinition').length).toBe(10);
});

test('reference stack: Prometheus watches the stack and agents namespaces, RBAC only there', () => {
  const p = find(objs, 'Prometheus', 'prometheus', 'monitoring');
  expect(p.spec.serviceMonitorSelector).toEqual({});
  expect(p.spec.serviceMonitorNamespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring', AGENTS_NAMESPACE] }] });
  expect(p.spec.enableRemoteWriteReceiver).toBe(true);
  expect(p.spec.enableFeatures).toEqual(['exemplar-storage']);
  expect(p.spec.alerting.alertmanagers).toEqual([{ namespace: 'monitoring', name: 'alertmanager', port: 'http-web', apiVersion: 'v2' }]);
  const roles = objs.filter((o) => o.kind === 'Role' && o.metadata.name.includes('prometheus')).map((o) => o.metadata.namespace).sort();
  // kube-system: discovery of the operator-managed kubelet Service (KubeletMonitor's target namespace);
  // it is not a watched namespace (no ServiceMonitor object lives there)
  expect(roles).toEqual(['kube-system', 'monitoring', AGENTS_NAMESPACE]);
  // no cluster-wide discovery; nodes/metrics for the kubelet's SubjectAccessReview
  const cr = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'monitoring-prometheus')!;
  expect(cr.rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }, { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }]);
});

test('reference stack: Pod Security restricted everywhere except node-exporter (documented exception)', () => {
  expect(restrictedViolations(metricsObjs(), [`DaemonSet/${AGENTS_NAMESPACE}/node-exporter`])).toEqual([]);
  const ne = find(objs, 'DaemonSet', 'node-exporter', AGENTS_NAMESPACE);
  expect(ne.spec.template.spec.hostNetwork).toBe(true);
  for (const m of ne.spec.template.spec.containers[0].volumeMounts) expect(m.readOnly).toBe(true);
});

test('reference stack: no credential in the YAML; receivers read mounted Secret files', () => {
  const am = find(objs, 'Alertmanager', 'alertmanager', 'monitoring');
  expect(am.spec.secrets).toEqual(['alertmanager-oncall', 'alertmanager-slack']);
  const text = configTexts([find(objs, 'Secret', 'alertmanager-config', 'monitoring')]).join('\n');
  expect(text).toContain('url_file: /etc/alertmanager/secrets/alertmanager-oncall/url');
  expect(text).toContain('api_url_file: /etc/alertmanager/secrets/alertmanager-slack/webhook-url');
  expect(text).not.toMatch(/hooks\.slack\.com|api_url:|routing_key:|auth_password:|\burl: /);
  // no Secret with credentials is emitted at all: the only Secrets are config files
  expect(objs.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).not.toContain('alertmanager-slack');
});

test('reference stack: datasource URLs resolve to emitted Services', () => {
  const p = objs.find((o) => o.kind === 'Service' && o.metadata.name === 'prometheus')!;
  expect(p.spec.ports).toEqual([{ name: 'http-web', port: 9090, protocol: 'TCP', targetPort: 9090 }]);
  expect(urlResolution('http://prometheus.monitoring.svc:9090/api/v1/write', objs)).toBeUndefined();
  expect(urlResolution('http://alertmanager.monitoring.svc:9093', objs)).toBeUndefined();
});

test('synthApp works on the reference stack', () => {
  const app = Testing.app();
  buildReferenceStack(app);
  expect(synthApp(app).length).toBe(objs.length);
});
