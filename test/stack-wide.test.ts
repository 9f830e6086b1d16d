/**
 * Whole-output checks over every app committed in dist/ (what Argo CD syncs), beyond schemas:
 * monitors and rules are selected, URLs resolve to emitted Services, Pod Security holds except for the
 * documented exceptions, stateful workloads keep data on volumes, config changes roll pods, and no
 * credential is rendered.
 */
import * as path from 'path';
import { K8sObject, podSpecs, readYamlDir, restrictedViolations, urlResolution } from './harness';
import { RENDERED_APPS } from '../examples/apps';
import { configTexts, monitorSelectionErrors, operatorManagedServices } from './prometheus/selection';

const DIST = path.join(__dirname, '..', 'dist');
const apps = RENDERED_APPS.map((a) => a.name).filter((n) => n !== 'argocd');
const load = (name: string) => readYamlDir(path.join(DIST, name));

/** Workloads that are documented exceptions to Pod Security "restricted" (docs/ARCHITECTURE.md). */
const PSS_EXCEPTIONS = ['DaemonSet/monitoring-agents/node-exporter', 'DaemonSet/monitoring-agents/alloy-logs', 'DaemonSet/o11y-agents/beyla',
  'DaemonSet/lgtm-agents/node-exporter', 'DaemonSet/lgtm-agents/alloy-logs', 'DaemonSet/plgt-agents/promtail',
  'DaemonSet/k8s-mon-agents/alloy-logs', 'DaemonSet/k8s-mon-agents/kepler',
  'DaemonSet/lgtm-prod-agents/node-exporter', 'DaemonSet/lgtm-prod-agents/alloy-logs', 'DaemonSet/lgtm-prod-agents/beyla'];

/** Every `name.namespace.svc[:port]` reference in any string of any object. */
function svcReferences(objs: K8sObject[]): string[] {
  const out = new Set<string>();
  const walk = (v: any): void => {
    if (typeof v === 'string') {
      const texts = [v];
      for (const t of texts) {
        for (const m of t.matchAll(/(?:[a-z+]+:\/\/)?[a-z0-9-]+\.[a-z0-9-]+\.svc(?:\.cluster\.local)?(?::\d+)?/g)) out.add(m[0]);
      }
    } else if (Array.isArray(v)) {v.forEach(walk);} else if (v && typeof v === 'object') {Object.values(v).forEach(walk);}
  };
  for (const o of objs) {
    if (o.kind === 'CustomResourceDefinition') continue;
    walk(o.kind === 'Secret' ? { ...o, data: configTexts([o]) } : o);
  }
  return [...out].sort();
}

describe.each(apps)('dist/%s', (name) => {
  const objs = load(name);
  // an addition runs next to the stack it extends (examples/apps.ts `additionTo`), every other example next to the reference stack
  const base = RENDERED_APPS.find((a) => a.name === name)?.additionTo;
  const external = name === 'reference' ? [] : load(base ?? 'reference');

  test('every ServiceMonitor, PodMonitor and PrometheusRule is selected by an emitted Prometheus, ports exist', () => {
    // examples run next to the reference stack, whose operator maintains the kube-system/kubelet Service
    if (base) {
      // an addition's monitors and rules are selected by its stack's Prometheus
      expect(monitorSelectionErrors([...external, ...objs], operatorManagedServices(external))).toEqual([]);
    } else {
      expect(monitorSelectionErrors(objs, name === 'reference' ? [] : operatorManagedServices(load('reference')))).toEqual([]);
    }
  });

  test('every in-cluster URL in every object points at an emitted Service and port', () => {
    const refs = svcReferences(objs).filter((r) => /:\d+$/.test(r));
    const all = [...objs, ...external];
    const errors = refs.map((r) => urlResolution(r, all)).filter((e) => e !== undefined);
    expect(errors).toEqual([]);
  });

  test('Pod Security "restricted" holds except for the documented exceptions', () => {
    expect(restrictedViolations(objs, PSS_EXCEPTIONS)).toEqual([]);
  });

  test('stateful workloads keep their data on PersistentVolumeClaims', () => {
    for (const s of objs.filter((o) => o.kind === 'StatefulSet')) {
      const claims = (s.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name);
      const pvcVolumes = (s.spec.template.spec.volumes ?? []).filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.name);
      expect(`${s.metadata.name}: ${claims.length + pvcVolumes.length > 0}`).toBe(`${s.metadata.name}: true`);
      for (const c of s.spec.volumeClaimTemplates ?? []) {
        // fully defaulted, or Argo CD shows the StatefulSet OutOfSync forever (argo-cd#11143)
        expect(c).toMatchObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { volumeMode: 'Filesystem' } });
      }
    }
    for (const cr of objs.filter((o) => o.kind === 'Prometheus' || o.kind === 'Alertmanager')) {
      expect(`${cr.kind}/${cr.metadata.name}: ${Boolean(cr.spec.storage?.volumeClaimTemplate)}`).toBe(`${cr.kind}/${cr.metadata.name}: true`);
    }
  });

  test('pods that mount a config file carry a checksum annotation, so config changes roll them', () => {
    const configNames = new Set(objs.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    for (const { id, spec, obj } of podSpecs(objs)) {
      const mountsConfig = (spec.volumes ?? []).some((v: any) =>
        (v.configMap && configNames.has(`${obj.metadata.namespace}/${v.configMap.name}`))
        || (v.projected?.sources ?? []).some((s: any) => s.configMap && configNames.has(`${obj.metadata.namespace}/${s.configMap.name}`)));
      if (!mountsConfig) continue;
      const annotations = obj.spec.template.metadata?.annotations ?? {};
      expect(`${id}: ${Object.keys(annotations).some((k) => k.startsWith('checksum/'))}`).toBe(`${id}: true`);
    }
  });

  test('no credential is rendered', () => {
    const text = JSON.stringify(objs) + configTexts(objs).join('\n');
    expect(text).not.toMatch(/hooks\.slack\.com\/services\/[A-Z0-9]/);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(text).not.toMatch(/(password|secret_access_key|api_key|routing_key|auth_password)["']?\s*[:=]\s*["']?(?!\$|\/|\{|\s|$)[^\s"',}]{4,}/i);
    for (const s of objs.filter((o) => o.kind === 'Secret')) {
      // the only Secrets we render are config files that reference credentials by path
      expect(`${s.metadata.name}: ${configTexts([s]).join('').match(/_file|\$\{/) !== null || configTexts([s]).join('') === ''}`).toBe(`${s.metadata.name}: true`);
    }
  });
});
