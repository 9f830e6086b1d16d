/* eslint-disable @typescript-eslint/no-deprecated */
/**
 * Wiring with the real `Loki` construct (src/loki): every Loki push URL in every collector config
 * (Alloy and Promtail) resolves to a Service and port that the app emits, in Monolithic and Distributed
 * mode, and the tenant reaches the collectors when multi-tenancy is on.
 */
import { App, Chart, Testing } from 'cdk8s';
import { AlloyLogs } from '../../src/alloy';
import { Loki, LokiMode, LokiTenancy } from '../../src/loki';
import { Promtail } from '../../src/promtail';
import { ObjectStorage, StorageCredentials } from '../../src/storage';
import { find, K8sObject, synthApp, urlResolution, YAML } from '../harness';
import { parseAlloy } from './alloy-parse';

function alloyPushUrls(objs: K8sObject[]): Array<{ url: string; tenant?: string }> {
  const out: Array<{ url: string; tenant?: string }> = [];
  for (const cm of objs.filter((o) => o.kind === 'ConfigMap' && o.data?.['config.alloy'])) {
    for (const w of parseAlloy(cm.data['config.alloy']).filter((b) => b.name === 'loki.write')) {
      for (const e of w.blocks.filter((b) => b.name === 'endpoint')) {
        const attr = (n: string) => (e.attrs.find((a) => a.name === n)?.value as any)?.v;
        out.push({ url: attr('url'), ...(attr('tenant_id') !== undefined ? { tenant: attr('tenant_id') } : {}) });
      }
    }
  }
  return out;
}

function promtailPushUrls(objs: K8sObject[]): Array<{ url: string; tenant?: string }> {
  return objs.filter((o) => o.kind === 'ConfigMap' && o.data?.['promtail.yaml'])
    .flatMap((cm) => YAML.parse(cm.data['promtail.yaml']).clients.map((c: any) => ({ url: c.url, ...(c.tenant_id ? { tenant: c.tenant_id } : {}) })));
}

function stack(lokiProps: Partial<ConstructorParameters<typeof Loki>[2]> = {}): App {
  const app = Testing.app();
  const loki = new Loki(new Chart(app, '30-logs'), 'Loki', { namespace: 'monitoring', ...lokiProps });
  const agents = new Chart(app, '35-log-collection');
  new AlloyLogs(agents, 'AlloyLogs', { namespace: 'monitoring-agents' }).addLogsDestination(loki);
  new Promtail(agents, 'Promtail', { namespace: 'monitoring-agents' }).addLogsDestination(loki);
  return app;
}

let warn: jest.SpyInstance;
beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });
afterEach(() => warn.mockRestore());

test('Monolithic Loki: every collector push URL resolves to an emitted Loki Service and port', () => {
  const objs = synthApp(stack());
  const urls = [...alloyPushUrls(objs), ...promtailPushUrls(objs)];
  expect(urls).toHaveLength(2);
  for (const { url, tenant } of urls) {
    expect(urlResolution(url, objs)).toBeUndefined();
    expect(url).toMatch(/\/loki\/api\/v1\/push$/);
    expect(tenant).toBeUndefined();
  }
  // the Service the URL names is Loki's own (selects the Loki pods)
  const host = /^http:\/\/([a-z0-9-]+)\.monitoring\.svc:/.exec(urls[0].url)![1];
  expect(find(objs, 'Service', host, 'monitoring').spec.selector['app.kubernetes.io/name']).toBe('loki');
});

test('Distributed Loki: collectors push to the distributor Service', () => {
  const objs = synthApp(stack({
    mode: LokiMode.DISTRIBUTED,
    objectStorage: ObjectStorage.s3({ bucket: 'logs', endpoint: 'http://s3.example.com', credentials: StorageCredentials.fromSecret('loki-s3') }),
  }));
  const urls = [...alloyPushUrls(objs), ...promtailPushUrls(objs)];
  expect(urls).toHaveLength(2);
  for (const { url } of urls) {
    expect(urlResolution(url, objs)).toBeUndefined();
    expect(url).toContain('distributor');
  }
});

test('multi-tenant Loki: collectors send its tenant', () => {
  const objs = synthApp(stack({ tenancy: LokiTenancy.multi('team-a') }));
  const urls = [...alloyPushUrls(objs), ...promtailPushUrls(objs)];
  expect(urls.map((u) => u.tenant)).toEqual(['team-a', 'team-a']);
  for (const { url } of urls) expect(urlResolution(url, objs)).toBeUndefined();
});
