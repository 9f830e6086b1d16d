import { Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { PyroscopeYaml, renderPyroscopeConfig } from './config';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { serviceDatasource } from '../core/datasource';
import { fail, show } from '../core/errors';
import { Images } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, IProfilesBackend } from '../core/interfaces';
import { PortSpec, ServiceRef } from '../core/kube';
import { antiAffinityAcrossNodes, emptyDirVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';
import { ObjectStorageBinding } from '../storage/binding';
import { ObjectStorage } from '../storage/object-storage';

/** Props of {@link Pyroscope}. */
export interface PyroscopeProps extends ComponentProps {
  /**
   * Where profile blocks live.
   * @default ObjectStorage.filesystem({ size: Size.gibibytes(10) })
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * Grafana datasource UID.
   * @default 'pyroscope'
   */
  readonly datasourceUid?: string;
}

const HTTP: PortSpec = { name: 'http', port: 4040 };
const SCRAPE_LABEL = 'lgtm.cdk8s.io/scrape';
const MEMBERLIST: PortSpec = { name: 'tcp-memberlist', port: 7946 };
/** Replication factor of the ingester and store-gateway rings of a replicated Pyroscope. */
const REPLICATION_FACTOR = 3;
const DATA = '/data';
/** The image runs as this user (grafana/pyroscope Dockerfile). */
const PYROSCOPE_UID = 10001;

/**
 * Grafana Pyroscope (single binary, `-target=all`): profiles on a PVC or object storage, its own
 * ServiceMonitor. Profiles are pushed by collectors (`AlloyCollector` scrapes pprof endpoints of
 * annotated pods). Implements `IDatasourceProvider` (traces-to-profiles in Grafana) and
 * `IProfilesBackend`.
 *
 * Shared props: `storage` (the data PVC; default the filesystem storage's size, else 10Gi),
 * `resources` (default SMALL), `replicas` (default 1). With 3 or more replicas Pyroscope is highly
 * available: every pod runs `target: all` and they form one cluster (memberlist over a headless
 * Service, the ingester ring on memberlist with replication factor 3, store-gateway blocks on 3
 * gateways), on object storage (required), with a PodDisruptionBudget, pods spread across nodes and a
 * grace period for the ingesters to flush their head blocks.
 */
export class Pyroscope extends Component implements IDatasourceProvider, IProfilesBackend {
  /** The config files (`config.yaml`). */
  public readonly config: ConfigFiles;
  /** Number of pods. */
  public readonly replicas: number;
  /** The headless Service of the memberlist ring (replicated only). */
  public readonly headlessService?: ServiceRef;

  private readonly props: PyroscopeProps;
  private readonly binding: ObjectStorageBinding;

  constructor(scope: Construct, id: string, props: PyroscopeProps = {}) {
    super(scope, id, props, { appName: 'pyroscope', name: 'pyroscope', image: Images.PYROSCOPE });
    this.props = props;
    this.replicas = this._replicas(1);
    const storage = props.objectStorage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) });
    this.validateReplicas(storage);
    this.binding = storage._bind(this);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('config.yaml', () => this.renderConfig());
    const sa = this._addServiceAccount(false);
    for (const [k, v] of Object.entries(this.binding.serviceAccountAnnotations)) sa.metadata.addAnnotation(k, v);
    // replicated: the scrape label tells the main Service from the headless one (the monitor selects it alone)
    this._addService({ ports: [HTTP], labels: this.clustered ? { ...this.labels, [SCRAPE_LABEL]: 'true' } : undefined });
    if (this.clustered) {
      this.headlessService = this._addService({
        id: 'Headless',
        name: `${this.name}-headless`,
        headless: true,
        publishNotReadyAddresses: true,
        ports: [HTTP, MEMBERLIST],
      });
    }
    this.configureWorkload();
    this._addPodDisruptionBudget(this.replicas);
    this._addServiceMonitor({ endpoints: [{ port: HTTP.name, path: '/metrics' }] });
  }

  /** Whether the pods form one replicated cluster. */
  private get clustered(): boolean {
    return this.replicas > 1;
  }

  private validateReplicas(storage: ObjectStorage): void {
    if (this.replicas === 2 || this.replicas > 100) {
      fail(this, {
        problem: "'replicas' is out of range for Pyroscope",
        received: show(this.replicas),
        expected: `1 (single binary), or 3 to 100 (replication factor ${REPLICATION_FACTOR}: a write needs 2 of 3 ingesters)`,
        fix: 'pass replicas: 1, or replicas >= 3 (with object storage) for a highly available Pyroscope',
      });
    }
    if (this.replicas > 1 && storage.isFilesystem) {
      fail(this, {
        problem: 'a replicated Pyroscope needs object storage: filesystem blocks are local to one pod',
        received: `replicas: ${this.replicas}, ObjectStorage.filesystem(...)`,
        expected: 'ObjectStorage.s3(...), .gcs(...) or .azure(...) (e.g. SeaweedFs(...).toObjectStorage())',
        fix: "pass 'objectStorage', or replicas: 1 for one pod on a PVC",
      });
    }
  }

  /** Push base URL of the Service. */
  public get profilesPushUrl(): string {
    return this.service.url(HTTP.name);
  }

  /** The Grafana datasource, computed from the Service. */
  public get datasourceInfo(): DatasourceInfo {
    return serviceDatasource(this.service, { kind: DatasourceKind.PYROSCOPE, name: 'Pyroscope', uid: this.props.datasourceUid ?? 'pyroscope', port: HTTP });
  }

  private renderConfig(): PyroscopeYaml {
    return renderPyroscopeConfig({
      httpPort: HTTP.port,
      dataDir: DATA,
      storage: this.binding,
      cluster: this.headlessService
        ? {
          joinMembers: `dns+${this.headlessService.address(MEMBERLIST.name)}`,
          bindPort: MEMBERLIST.port,
          clusterLabel: `${this.namespace}.${this.name}`,
          replicationFactor: REPLICATION_FACTOR,
        }
        : undefined,
    });
  }

  private configureWorkload(): void {
    const args = ['-config.file=/etc/pyroscope/config.yaml'];
    if (this.binding.expandEnv) args.push('-config.expand-env=true');
    this._addStatefulSet({
      serviceName: (this.headlessService ?? this.service).name,
      replicas: this.replicas,
      updateStrategy: { type: 'RollingUpdate' },
      template: this._podTemplate({
        labels: { ...this.labels, ...this.binding.podLabels },
        annotations: { [CHECKSUM_ANNOTATION]: this.config.checksum },
        securityContext: restrictedPodSecurityContext(PYROSCOPE_UID),
        containers: [kubeContainer({
          name: 'pyroscope',
          image: this.image,
          args,
          env: this.binding.env as k8s.EnvVar[],
          ports: this.clustered ? [HTTP, MEMBERLIST] : [HTTP],
          resources: this._resources(ResourcePreset.SMALL),
          readinessProbe: httpGetProbe('/ready', HTTP.name, { initialDelaySeconds: 15 }),
          volumeMounts: [
            { name: 'config', mountPath: '/etc/pyroscope', readOnly: true },
            { name: 'data', mountPath: DATA },
            { name: 'tmp', mountPath: '/tmp' },
            ...(this.binding.volumeMounts as k8s.VolumeMount[]),
          ],
        })],
        volumes: [
          { name: 'config', configMap: { name: this.config.name } },
          emptyDirVolume('tmp', '1Gi'),
          ...(this.binding.volumes as k8s.Volume[]),
        ],
        // the ingester flushes its head block on shutdown (a replicated one also leaves the ring first)
        terminationGracePeriodSeconds: this.clustered ? 300 : 120,
        affinity: this.clustered ? antiAffinityAcrossNodes(this.selectorLabels) : undefined,
      }),
      volumeClaimTemplates: [this._volumeClaim('data', Size.gibibytes(this.binding.filesystem?.sizeGi ?? 10), this.binding.filesystem?.storageClass)],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  }
}
