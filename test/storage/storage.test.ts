import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size, Testing } from 'cdk8s';
import { Images } from '../../src/core/images';
import { ObjectStorage, ObjectStorageBackend, SeaweedFs, StorageCredentials } from '../../src/storage';
import { find, restrictedViolations, schemaErrors, synthApp, urlResolution } from '../harness';

const NS = 'monitoring';

function seaweed(extra: Record<string, any> = {}) {
  const app = new App();
  const chart = new Chart(app, 'storage');
  const s3 = new SeaweedFs(chart, 'S3', { namespace: NS, credentialsSecret: 'objstore', buckets: ['loki-chunks', 'loki-ruler'], ...extra });
  return { app, chart, s3 };
}

describe('SeaweedFs', () => {
  const { app, s3 } = seaweed();
  const objs = synthApp(app);
  const sts = find(objs, 'StatefulSet', 'seaweedfs', NS);
  const spec = sts.spec.template.spec;

  test('schema harness and Pod Security restricted', () => {
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
  });

  test('pinned image, data on a PVC', () => {
    expect(Images.SEAWEEDFS).toBe('docker.io/chrislusf/seaweedfs:4.47');
    expect(spec.containers.every((c: any) => c.image === Images.SEAWEEDFS)).toBe(true);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  });

  test('a ServiceMonitor scrapes the metrics port; storage takes the shared struct', () => {
    const sm = find(objs, 'ServiceMonitor', 'seaweedfs', NS);
    expect(sm.spec.endpoints).toEqual([{ port: 'http-metrics', path: '/metrics', scheme: 'http' }]);
    expect(s3.serviceMonitor?.name).toBe('seaweedfs');
    const custom = seaweed({ storage: { size: Size.gibibytes(50), storageClassName: 'fast' }, serviceMonitor: false });
    const o = synthApp(custom.app);
    expect(find(o, 'StatefulSet', 'seaweedfs', NS).spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '50Gi' } } });
    expect(o.some((x) => x.kind === 'ServiceMonitor')).toBe(false);
  });

  test('S3 Service on 8333; toObjectStorage points at it by reference', () => {
    expect(s3.s3Url).toBe('http://seaweedfs.monitoring.svc:8333');
    expect(urlResolution(s3.s3Url, objs)).toBeUndefined();
    const store = s3.toObjectStorage({ buckets: { chunks: 'loki-chunks', ruler: 'loki-ruler' } });
    expect(store.backend).toBe(ObjectStorageBackend.S3);
    const b = store._bind(new Chart(new App(), 'x'));
    expect(b.s3).toEqual({
      endpoint: 'seaweedfs.monitoring.svc:8333',
      region: 'us-east-1',
      forcePathStyle: true,
      insecure: true,
      accessKeyIdRef: '${OBJSTORE_S3_ACCESS_KEY_ID}',
      secretAccessKeyRef: '${OBJSTORE_S3_SECRET_ACCESS_KEY}',
    });
    expect(b.buckets).toEqual({ chunks: 'loki-chunks', ruler: 'loki-ruler', admin: 'loki-chunks' });
    expect(b.env.map((e) => e.valueFrom?.secretKeyRef)).toEqual([{ name: 'objstore', key: 'accessKeyId' }, { name: 'objstore', key: 'secretAccessKey' }]);
  });

  test('credentials come from the user Secret only (no keys in the manifest)', () => {
    const init = spec.initContainers[0];
    expect(init.env.map((e: any) => e.valueFrom.secretKeyRef.name)).toEqual(['objstore', 'objstore']);
    expect(JSON.stringify(objs)).not.toMatch(/minioadmin|accessKey":"[A-Za-z0-9]/);
    expect(spec.containers[0].args).toContain('-s3.config=/etc/seaweedfs/s3.json');
    expect(spec.volumes).toContainEqual({ name: 's3-config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
  });

  test('buckets are created at start and gate readiness', () => {
    const sidecar = spec.containers.find((c: any) => c.name === 'create-buckets');
    expect(sidecar.command[2]).toContain('for b in loki-chunks loki-ruler; do');
    expect(sidecar.command[2]).toContain('s3.bucket.create -name $b');
    expect(sidecar.readinessProbe.exec.command).toEqual(['test', '-f', '/ready/buckets']);
  });

  test('the generated shell scripts parse', () => {
    for (const c of [...spec.initContainers, ...spec.containers].filter((x: any) => x.command?.[0] === '/bin/sh')) {
      const r = spawnSync('sh', ['-n', '-c', c.command[2]], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  test('the s3.json written by the init container is valid JSON', () => {
    const init = spec.initContainers[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-'));
    const script = init.command[2].replace(/\/etc\/seaweedfs\/s3\.json/g, `${dir}/s3.json`);
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { S3_ACCESS_KEY: 'AKIDEXAMPLE', S3_SECRET_KEY: 'wJalrXUtnFEMI/K7MDENG' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const written = fs.readFileSync(`${dir}/s3.json`, 'utf8');
    expect((fs.statSync(`${dir}/s3.json`).mode % 0o1000).toString(8)).toBe('600');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(JSON.parse(written).identities[0].credentials[0]).toEqual({ accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG' });
    const bad = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { S3_ACCESS_KEY: 'a"b', S3_SECRET_KEY: 'x' } });
    expect(bad.status).toBe(1);
  });

  test('snapshot', () => {
    expect(objs).toMatchSnapshot();
  });
});

describe('ObjectStorage', () => {
  const scope = () => Testing.chart();

  test('filesystem is single-node and carries its PVC size', () => {
    const fsStore = ObjectStorage.filesystem({ size: Size.gibibytes(25), storageClassName: 'fast' });
    expect(fsStore.isFilesystem).toBe(true);
    expect(fsStore._bind(scope()).filesystem).toEqual({ sizeGi: 25, storageClass: 'fast' });
  });

  test('an http:// endpoint implies insecure and is stripped to host:port', () => {
    const b = ObjectStorage.s3({ endpoint: 'http://ceph-rgw.storage.svc:7480', bucket: 'logs', credentials: StorageCredentials.fromSecret('s3', { accessKeyIdKey: 'AWS_ACCESS_KEY_ID', secretAccessKeyKey: 'AWS_SECRET_ACCESS_KEY' }) })._bind(scope());
    expect(b.s3!.endpoint).toBe('ceph-rgw.storage.svc:7480');
    expect(b.s3!.insecure).toBe(true);
    expect(b.env[0].valueFrom?.secretKeyRef).toEqual({ name: 's3', key: 'AWS_ACCESS_KEY_ID' });
    expect(b.expandEnv).toBe(true);
  });

  test('workload identity: no env, annotations for the ServiceAccount', () => {
    const b = ObjectStorage.gcs({ bucket: 'logs', credentials: StorageCredentials.workloadIdentity({ serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'loki@p.iam.gserviceaccount.com' } }) })._bind(scope());
    expect(b.env).toEqual([]);
    expect(b.volumes).toEqual([]);
    expect(b.serviceAccountAnnotations).toEqual({ 'iam.gke.io/gcp-service-account': 'loki@p.iam.gserviceaccount.com' });
  });

  test('Azure with an account key from a Secret', () => {
    const b = ObjectStorage.azure({ accountName: 'acme', bucket: 'logs', credentials: StorageCredentials.fromSecret('az') })._bind(scope());
    expect(b.azure).toEqual({ accountName: 'acme', accountKeyRef: '${OBJSTORE_AZURE_ACCOUNT_KEY}', endpointSuffix: undefined, useFederatedToken: false });
    expect(b.env).toEqual([{ name: 'OBJSTORE_AZURE_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'az', key: 'accountKey' } } }]);
  });

  test('fails when object storage has no bucket', () => {
    expect(() => ObjectStorage.gcs({ credentials: StorageCredentials.ambient() })._bind(scope()))
      .toThrow(/gcs object storage has no bucket\. Received: bucket: undefined, buckets: undefined; expected: a bucket name/);
  });

  test('fails on an invalid bucket name', () => {
    expect(() => ObjectStorage.s3({ bucket: 'Loki_Chunks', credentials: StorageCredentials.ambient() })._bind(scope()))
      .toThrow(/chunks bucket name is not valid\. Received: "Loki_Chunks"/);
  });

  test('fails on an endpoint with a path', () => {
    expect(() => ObjectStorage.s3({ endpoint: 'http://s3.local:9000/bucket', bucket: 'logs', credentials: StorageCredentials.ambient() })._bind(scope()))
      .toThrow(/S3 'endpoint' is not a host\[:port\]/);
  });
});

describe('SeaweedFs bad input', () => {
  test('fails without buckets', () => {
    expect(() => seaweed({ buckets: [] })).toThrow(/'buckets' is empty/);
  });

  test('fails without a credentials Secret', () => {
    expect(() => seaweed({ credentialsSecret: '' })).toThrow(/'credentialsSecret' is required.*there are no default keys/);
  });

  test('fails when a consumer asks for a bucket the server does not create', () => {
    const { s3 } = seaweed();
    expect(() => s3.toObjectStorage({ bucket: 'tempo-traces' })).toThrow(/bucket is not created by this SeaweedFS server\. Received: "tempo-traces"; expected: one of \["loki-chunks","loki-ruler"\]/);
  });
});
