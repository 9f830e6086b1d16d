import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StorageCredentials } from './credentials';
import { ObjectStorage, ObjectStorageBuckets } from './object-storage';
import { Component } from '../core/component';
import { fail, show } from '../core/errors';
import { Images } from '../core/images';
import { emptyDirVolume, execProbe, kubeContainer, tcpProbe } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { Toleration } from '../core/scheduling';
import { restrictedPodSecurityContext } from '../core/security';
import { StorageOptions } from '../core/storage';

/** Properties for {@link SeaweedFs}. */
export interface SeaweedFsProps {
  /**
   * Namespace (the Secret named by `credentialsSecret` must exist there).
   * @default - the Chart's namespace, else 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Stable object name.
   * @default 'seaweedfs'
   */
  readonly name?: string;
  /**
   * An existing Secret holding the S3 access key pair (the library never creates one: no default keys).
   * Components that use this store read the same Secret (`toObjectStorage`), so it must exist in their
   * namespace too.
   */
  readonly credentialsSecret: string;
  /**
   * Key of the access key id in the Secret.
   * @default 'accessKeyId'
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key of the secret access key in the Secret.
   * @default 'secretAccessKey'
   */
  readonly secretAccessKeyKey?: string;
  /** Buckets created at start (before the Service routes to the pod), e.g. `['loki-chunks']`. */
  readonly buckets: string[];
  /**
   * The data volume.
   * @default - 20 GiB on the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;
  /**
   * SeaweedFS volume size limit. Every bucket is a collection that grows volumes of this size, so keep it
   * well below the PVC size (upstream default 30 GB would not fit a small PVC).
   * @default Size.gibibytes(1)
   */
  readonly volumeSizeLimit?: Size;
  /**
   * Resources.
   * @default - 250m CPU, 512Mi memory
   */
  readonly resources?: ResourcePreset;
  /**
   * Image.
   * @default Images.SEAWEEDFS
   */
  readonly image?: string;
  /**
   * Emit a ServiceMonitor for the server's metrics (port `http-metrics`).
   * @default true
   */
  readonly serviceMonitor?: boolean;
  /**
   * Extra labels on the ServiceMonitor.
   * @default - none
   */
  readonly serviceMonitorLabels?: { [key: string]: string };
  /**
   * Node labels the pod must match.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations.
   * @default - none
   */
  readonly tolerations?: Toleration[];
}

/** Options for {@link SeaweedFs.toObjectStorage}. */
export interface SeaweedFsBucketOptions {
  /**
   * The bucket for every purpose (must be one of the server's `buckets`).
   * @default - the first bucket of the server
   */
  readonly bucket?: string;
  /**
   * Per-purpose buckets (each must be one of the server's `buckets`).
   * @default - `bucket` for every purpose
   */
  readonly buckets?: ObjectStorageBuckets;
}

const S3_PORT = 8333;
const METRICS_PORT = 9327;
const UID = 65534;

/**
 * An in-cluster S3-compatible object store for development and small clusters: SeaweedFS
 * (Apache-2.0, maintained, the store the Pyroscope chart ships since MinIO OSS was archived on
 * 2026-04-25). One StatefulSet running `weed server` (master, volume, filer and S3 gateway in one
 * process) on a PVC, an S3 Service on port 8333, buckets created by a sidecar at start.
 *
 * It is *swappable*: consumers only see the `ObjectStorage` returned by `toObjectStorage()`, which is an
 * ordinary `ObjectStorage.s3(...)`; replacing the server by any other S3 endpoint changes one line.
 * Single replica: it is not a highly available store (use a cloud bucket or a replicated store for that).
 */
export class SeaweedFs extends Component {
  /** The buckets the server creates. */
  public readonly buckets: string[];
  private readonly props: SeaweedFsProps;

  constructor(scope: Construct, id: string, props: SeaweedFsProps) {
    super(scope, id, props, { appName: 'seaweedfs', component: 'object-store', name: 'seaweedfs', image: Images.SEAWEEDFS });
    this.props = props;
    if (!props.credentialsSecret) {
      fail(this, {
        problem: "'credentialsSecret' is required",
        received: show(props.credentialsSecret),
        expected: 'the name of an existing Secret with accessKeyId and secretAccessKey',
        fix: 'create the Secret out of band (e.g. sealed-secrets / external-secrets) and pass its name; there are no default keys',
      });
    }
    if (!props.buckets || props.buckets.length === 0) {
      fail(this, {
        problem: "'buckets' is empty",
        received: show(props.buckets),
        expected: 'at least one bucket name, e.g. [\'loki-chunks\']',
        fix: 'list the buckets the consumers use; they are created at start so consumers never crash on a missing bucket',
      });
    }
    for (const b of props.buckets) {
      // SeaweedFS bucket names follow the S3 rules.
      if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(b)) {
        fail(this, {
          problem: 'bucket name is not valid',
          received: show(b),
          expected: '3-63 lowercase letters, digits and hyphens, starting and ending alphanumeric',
          fix: "rename the bucket, e.g. 'loki-chunks'",
        });
      }
    }
    this.buckets = [...props.buckets];
    const image = this.image;
    const volumeMb = (props.volumeSizeLimit ?? Size.gibibytes(1)).toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });

    this._addService({
      ports: [
        { name: 's3', port: S3_PORT },
        { name: 'http-metrics', port: METRICS_PORT },
      ],
    });
    const headless = this._addService({
      id: 'Headless',
      name: `${this.name}-headless`,
      // its own component label: the ServiceMonitor selects the main Service's labels, and must not also
      // select this one (it has no metrics port)
      labels: { ...this.labels, 'app.kubernetes.io/component': 'object-store-headless', 'lgtm.cdk8s.io/headless': 'true' },
      headless: true,
      ports: [{ name: 's3', port: S3_PORT }],
    });

    const secretEnv: k8s.EnvVar[] = [
      { name: 'S3_ACCESS_KEY', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: props.accessKeyIdKey ?? 'accessKeyId' } } },
      { name: 'S3_SECRET_KEY', valueFrom: { secretKeyRef: { name: props.credentialsSecret, key: props.secretAccessKeyKey ?? 'secretAccessKey' } } },
    ];
    // The S3 identity file is written from the Secret into a memory-backed emptyDir (never into the
    // manifest): one Secret serves the server and its clients.
    const writeConfig = [
      'set -eu',
      'umask 077',
      'case "$S3_ACCESS_KEY$S3_SECRET_KEY" in *\\"*|*\\\\*) echo "S3 keys must not contain quotes or backslashes" >&2; exit 1;; esac',
      'printf \'{"identities":[{"name":"admin","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","List","Tagging","Write"]}]}\\n\' "$S3_ACCESS_KEY" "$S3_SECRET_KEY" > /etc/seaweedfs/s3.json',
    ].join('\n');
    // Buckets are created through `weed shell` once the master and filer answer; the pod is Ready only
    // when every bucket exists, so consumers never hit a missing bucket through the Service.
    const createBuckets = [
      'set -u',
      `for b in ${this.buckets.join(' ')}; do`,
      '  until echo "s3.bucket.list" | weed shell -master=127.0.0.1:9333 -filer=127.0.0.1:8888 2>/dev/null | grep -qE "(^|[[:space:]])$b([[:space:]]|$)"; do',
      '    echo "s3.bucket.create -name $b" | weed shell -master=127.0.0.1:9333 -filer=127.0.0.1:8888 >/dev/null 2>&1 || true',
      '    sleep 3',
      '  done',
      '  echo "bucket $b ready"',
      'done',
      'touch /ready/buckets',
      'while true; do sleep 3600; done',
    ].join('\n');

    const tmp = { name: 'tmp', mountPath: '/tmp' };
    const server = kubeContainer({
      name: 'seaweedfs',
      image,
      command: ['/usr/bin/weed'],
      args: [
        'server',
        '-dir=/data',
        '-ip=127.0.0.1',
        '-ip.bind=0.0.0.0',
        `-master.volumeSizeLimitMB=${volumeMb}`,
        '-master.telemetry=false',
        '-volume.max=0',
        '-filer',
        '-s3',
        `-s3.port=${S3_PORT}`,
        '-s3.config=/etc/seaweedfs/s3.json',
        `-metricsPort=${METRICS_PORT}`,
      ],
      env: [{ name: 'HOME', value: '/tmp' }],
      ports: [{ name: 's3', port: S3_PORT }, { name: 'http-metrics', port: METRICS_PORT }],
      resources: this._resources(ResourcePreset.custom({ cpuMillis: 250, memory: Size.mebibytes(512) })),
      readinessProbe: tcpProbe('s3', { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
      livenessProbe: tcpProbe('s3', { initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 }),
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 's3-config', mountPath: '/etc/seaweedfs', readOnly: true },
        tmp,
      ],
    });
    const bucketSidecar = kubeContainer({
      name: 'create-buckets',
      image,
      command: ['/bin/sh', '-c', createBuckets],
      env: [{ name: 'HOME', value: '/tmp' }],
      resources: ResourcePreset.custom({ cpuMillis: 10, memory: Size.mebibytes(64) }),
      readinessProbe: execProbe(['test', '-f', '/ready/buckets'], { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 }),
      volumeMounts: [{ name: 'ready', mountPath: '/ready' }, tmp],
    });
    const init = kubeContainer({
      name: 'write-s3-config',
      image,
      command: ['/bin/sh', '-c', writeConfig],
      env: secretEnv,
      resources: ResourcePreset.custom({ cpuMillis: 10, memory: Size.mebibytes(32) }),
      volumeMounts: [{ name: 's3-config', mountPath: '/etc/seaweedfs' }],
    });

    this._addStatefulSet({
      serviceName: headless.name,
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      template: this._podTemplate({
        securityContext: restrictedPodSecurityContext(UID),
        initContainers: [init],
        containers: [server, bucketSidecar],
        terminationGracePeriodSeconds: 60,
        volumes: [
          emptyDirVolume('s3-config', '1Mi', 'Memory'),
          emptyDirVolume('ready', '1Mi'),
          emptyDirVolume('tmp', '1Gi'),
        ],
      }),
      volumeClaimTemplates: [this._volumeClaim('data', Size.gibibytes(20))],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    this._addServiceMonitor({ endpoints: [{ port: 'http-metrics' }] });
  }

  /** The S3 endpoint URL, e.g. `http://seaweedfs.monitoring.svc:8333`. */
  public get s3Url(): string {
    return this.service.url('s3');
  }

  /**
   * An `ObjectStorage` pointing at this server (path-style, plain HTTP inside the cluster, credentials
   * from the same Secret). Fails when a bucket is not one the server creates.
   */
  public toObjectStorage(options: SeaweedFsBucketOptions = {}): ObjectStorage {
    const chunks = options.buckets?.chunks ?? options.bucket ?? this.buckets[0];
    const wanted = [chunks, options.buckets?.ruler, options.buckets?.admin].filter((b): b is string => b !== undefined);
    for (const b of wanted) {
      if (!this.buckets.includes(b)) {
        fail(this, {
          problem: 'bucket is not created by this SeaweedFS server',
          received: show(b),
          expected: `one of ${show(this.buckets)}`,
          fix: `add ${show(b)} to the SeaweedFs 'buckets' prop`,
        });
      }
    }
    return ObjectStorage.s3({
      endpoint: this.service.address('s3'),
      region: 'us-east-1',
      bucket: chunks,
      buckets: options.buckets,
      forcePathStyle: true,
      insecure: true,
      credentials: StorageCredentials.fromSecret(this.props.credentialsSecret, {
        accessKeyIdKey: this.props.accessKeyIdKey ?? 'accessKeyId',
        secretAccessKeyKey: this.props.secretAccessKeyKey ?? 'secretAccessKey',
      }),
    });
  }
}
