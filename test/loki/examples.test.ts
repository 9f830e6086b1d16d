import { App } from 'cdk8s';
import { checkKeys, lokiYamls } from './util';
import { buildLokiDistributed, LOKI_DISTRIBUTED_NAMESPACE } from '../../examples/loki-distributed';
import { buildReferenceStack, REFERENCE_NAMESPACE } from '../../examples/reference-stack';
import { find, promqlErrors, restrictedViolations, schemaErrors, synthApp, urlResolution } from '../harness';

describe('examples: reference stack logs part', () => {
  const app = new App();
  buildReferenceStack(app);
  const objs = synthApp(app);
  const loki = objs.filter((o) => o.metadata?.labels?.['app.kubernetes.io/name'] === 'loki');

  test('Monolithic Loki on a PVC in the monitoring namespace', () => {
    const sts = find(objs, 'StatefulSet', 'loki', REFERENCE_NAMESPACE);
    expect(sts.spec.template.spec.containers[0].args).toContain('-target=all');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(loki.every((o) => o.metadata.namespace === REFERENCE_NAMESPACE)).toBe(true);
  });

  test('Loki objects pass the schema harness and Pod Security restricted', () => {
    expect(schemaErrors(loki)).toEqual([]);
    expect(restrictedViolations(loki)).toEqual([]);
    expect(promqlErrors(loki)).toEqual([]);
  });

  test('loki.yaml is clean for 3.7.6', () => {
    const cfgs = lokiYamls(objs);
    expect(cfgs).toHaveLength(1);
    expect(checkKeys(cfgs[0].raw, 'loki').output).toBe('');
  });

  test('every Loki push URL in any collector config resolves to an emitted Loki Service and port', () => {
    const text = objs.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.values(o.data ?? {}) as string[]).join('\n');
    const urls = [...new Set(text.match(/https?:\/\/[a-z0-9.-]+:\d+\/loki\/api\/v1\/push/g) ?? [])];
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.map((u) => urlResolution(u, objs)).filter((e) => e)).toEqual([]);
    expect(urls).toEqual(['http://loki.monitoring.svc:3100/loki/api/v1/push']);
  });
});

describe('examples: loki-distributed', () => {
  const app = new App();
  buildLokiDistributed(app);
  const objs = synthApp(app);

  test('schema harness and Pod Security restricted for Loki and SeaweedFS', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('Distributed on the in-cluster S3 server, production profile', () => {
    const cfg = lokiYamls(objs)[0];
    expect(cfg.parsed.common.replication_factor).toBe(3);
    expect(cfg.parsed.common.storage.s3.bucketnames).toBe('loki-chunks');
    expect(urlResolution(`http://${cfg.parsed.common.storage.s3.endpoint}`, objs)).toBeUndefined();
    expect(cfg.parsed.limits_config.retention_period).toBe('720h');
    expect(checkKeys(cfg.raw, 'loki').output).toBe('');
    expect(find(objs, 'StatefulSet', 'seaweedfs', LOKI_DISTRIBUTED_NAMESPACE)).toBeDefined();
  });
});
