import { App, Chart, Size } from 'cdk8s';
import { Pyroscope } from '../../src/pyroscope';
import { ObjectStorage, SeaweedFs } from '../../src/storage';
import { find, K8sObject, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';

const NS = 'monitoring';

function build(props: Record<string, any> = {}): { pyroscope: Pyroscope; objs: K8sObject[] } {
  const app = new App();
  const chart = new Chart(app, 'c');
  const s3 = new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 's3', buckets: ['profiles'] });
  const pyroscope = new Pyroscope(chart, 'Pyroscope', { namespace: NS, objectStorage: s3.toObjectStorage({ bucket: 'profiles' }), ...props });
  return { pyroscope, objs: synthApp(app) };
}

describe('Pyroscope replicated (HA)', () => {
  const { pyroscope, objs } = build({ replicas: 3 });
  const cfg = YAML.parse(find(objs, 'ConfigMap', 'pyroscope', NS).data['config.yaml']);
  const sts = find(objs, 'StatefulSet', 'pyroscope', NS);

  test('one memberlist ring over the headless Service, replication factor 3 (Pyroscope 1.18.0 keys)', () => {
    expect(pyroscope.replicas).toBe(3);
    expect(cfg.memberlist).toEqual({ join_members: ['dns+pyroscope-headless.monitoring.svc:7946'], bind_port: 7946, cluster_label: 'monitoring.pyroscope' });
    expect(cfg.ingester).toEqual({ lifecycler: { ring: { kvstore: { store: 'memberlist' }, replication_factor: 3 } } });
    expect(cfg.store_gateway).toEqual({ sharding_ring: { kvstore: { store: 'memberlist' }, replication_factor: 3 } });
    const headless = find(objs, 'Service', 'pyroscope-headless', NS);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => p.port)).toEqual([4040, 7946]);
    expect(sts.spec.serviceName).toBe('pyroscope-headless');
  });

  test('PDB, anti-affinity, grace to flush; the monitor scrapes the main Service only', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(find(objs, 'PodDisruptionBudget', 'pyroscope', NS).spec.maxUnavailable).toBe(1);
    expect(sts.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(300);
    const sm = find(objs, 'ServiceMonitor', 'pyroscope', NS);
    const services = objs.filter((o) => o.kind === 'Service' && Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
    expect(services.map((s) => s.metadata.name)).toEqual(['pyroscope']);
    expect(urlResolution(pyroscope.profilesPushUrl, objs)).toBeUndefined();
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('a single Pyroscope renders no ring, no headless Service and no PDB', () => {
    const single = build();
    const c = YAML.parse(find(single.objs, 'ConfigMap', 'pyroscope', NS).data['config.yaml']);
    expect(c.memberlist).toBeUndefined();
    expect(c.ingester).toBeUndefined();
    expect(single.objs.filter((o) => o.kind === 'PodDisruptionBudget' || o.metadata.name === 'pyroscope-headless')).toEqual([]);
    expect(find(single.objs, 'StatefulSet', 'pyroscope', NS).spec.serviceName).toBe('pyroscope');
  });
});

describe('Pyroscope replicas: bad input', () => {
  test('2 replicas (a write needs 2 of 3 ingesters)', () => {
    expect(() => build({ replicas: 2 })).toThrow(/\[c\/Pyroscope\] 'replicas' is out of range for Pyroscope\. Received: 2; expected: 1 \(single binary\), or 3 to 100.*Fix: pass replicas: 1, or replicas >= 3/);
  });
  test('replicated on filesystem storage', () => {
    expect(() => new Pyroscope(new Chart(new App(), 'c'), 'Pyroscope', { replicas: 3, objectStorage: ObjectStorage.filesystem({ size: Size.gibibytes(5) }) }))
      .toThrow(/a replicated Pyroscope needs object storage.*Received: replicas: 3, ObjectStorage\.filesystem\(\.\.\.\).*Fix: pass 'objectStorage', or replicas: 1/);
  });
});
