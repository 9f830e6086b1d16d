import { ApiObject, App, Chart } from 'cdk8s';
import { objectSchemaErrors, restrictedViolations, schemaErrors, synthApp, urlResolution, promqlErrors } from './harness';

function serviceMonitor(interval: string): any {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'web', namespace: 'dev' },
    spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http', interval }] },
  };
}

describe('schema harness', () => {
  test('accepts a valid ServiceMonitor', () => {
    expect(objectSchemaErrors(serviceMonitor('15s'))).toEqual([]);
  });

  test('rejects a ServiceMonitor endpoint with an invalid interval, naming the object, path and pattern', () => {
    const errors = objectSchemaErrors(serviceMonitor('15 seconds'));
    expect(errors.join('\n')).toMatch(/^ServiceMonitor\/dev\/web: \/spec\/endpoints\/0\/interval must match pattern/);
  });

  test('rejects unknown fields in custom resources (strict)', () => {
    const sm = serviceMonitor('15s');
    sm.spec.endpoints[0].intervall = '30s';
    expect(objectSchemaErrors(sm).join('\n')).toMatch(/must NOT have additional properties \('intervall'\)/);
  });

  test('rejects an invalid core object', () => {
    const errors = objectSchemaErrors({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'y' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 1 }] } } },
    } as any);
    expect(errors.join('\n')).toMatch(/containers\/0\/name must be string/);
  });

  test('rejects kinds it knows no schema for', () => {
    expect(objectSchemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0]).toMatch(/no schema known/);
  });

  test('synthApp validates whole apps', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' }, data: { k: 'v' } });
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
  });

  test('PromQL in PrometheusRules is parsed', () => {
    const rule: any = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'r', namespace: 'n' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == ' }] }] },
    };
    expect(promqlErrors([rule])[0]).toMatch(/^r\/g\/A: PromQL error at 6/);
  });

  test('Pod Security restricted violations are reported', () => {
    const dep: any = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'n' },
      spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'c', securityContext: {} }], volumes: [{ name: 'h', hostPath: { path: '/' } }] } } },
    };
    const v = restrictedViolations([dep]);
    expect(v).toEqual(expect.arrayContaining([
      'Deployment/n/d: host namespaces',
      'Deployment/n/d: volume h uses hostPath',
      'Deployment/n/d: c: allowPrivilegeEscalation must be false',
      'Deployment/n/d: c: capabilities.drop must include ALL',
    ]));
    expect(restrictedViolations([dep], ['Deployment/n/d'])).toEqual([]);
  });

  test('URL resolution finds emitted Services and ports', () => {
    const svc: any = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'loki', namespace: 'monitoring' }, spec: { ports: [{ port: 3100 }] } };
    expect(urlResolution('http://loki.monitoring.svc:3100/loki/api/v1/push', [svc])).toBeUndefined();
    expect(urlResolution('http://loki.monitoring.svc:3101', [svc])).toMatch(/has no port 3101/);
    expect(urlResolution('http://loki.other.svc:3100', [svc])).toMatch(/no Service other\/loki/);
  });
});
