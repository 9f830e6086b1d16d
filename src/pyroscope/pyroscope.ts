import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PyroscopeYaml, renderPyroscopeConfig } from './config';
import { Component, ComponentProps } from '../core/component';
import { CHECKSUM_ANNOTATION, ConfigFiles } from '../core/config';
import { serviceDatasource } from '../core/datasource';
import { Images } from '../core/images';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider, IProfilesBackend } from '../core/interfaces';
import { PortSpec } from '../core/kube';
import { emptyDirVolume, httpGetProbe, kubeContainer } from '../core/pod';
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
 * `resources` (default SMALL). One replica.
 */
export class Pyroscope extends Component implements IDatasourceProvider, IProfilesBackend {
  /** The config files (`config.yaml`). */
  public readonly config: ConfigFiles;

  private readonly props: PyroscopeProps;
  private readonly binding: ObjectStorageBinding;

  constructor(scope: Construct, id: string, props: PyroscopeProps = {}) {
    super(scope, id, props, { appName: 'pyroscope', name: 'pyroscope', image: Images.PYROSCOPE });
    this.props = props;
    this._replicas(1);
    this.binding = (props.objectStorage ?? ObjectStorage.filesystem({ size: Size.gibibytes(10) }))._bind(this);

    this.config = new ConfigFiles(this, 'Config', { name: this.name, namespace: this.namespace, labels: this.labels });
    this.config._addYaml('config.yaml', () => this.renderConfig());
    const sa = this._addServiceAccount(false);
    for (const [k, v] of Object.entries(this.binding.serviceAccountAnnotations)) sa.metadata.addAnnotation(k, v);
    this._addService({ ports: [HTTP] });
    this.configureWorkload();
    this._addServiceMonitor({ endpoints: [{ port: HTTP.name, path: '/metrics' }] });
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
    return renderPyroscopeConfig({ httpPort: HTTP.port, dataDir: DATA, storage: this.binding });
  }

  private configureWorkload(): void {
    const args = ['-config.file=/etc/pyroscope/config.yaml'];
    if (this.binding.expandEnv) args.push('-config.expand-env=true');
    this._addStatefulSet({
      serviceName: this.service.name,
      replicas: 1,
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
          ports: [HTTP],
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
        // the ingester flushes in-memory profiles on shutdown
        terminationGracePeriodSeconds: 120,
      }),
      volumeClaimTemplates: [this._volumeClaim('data', Size.gibibytes(this.binding.filesystem?.sizeGi ?? 10), this.binding.filesystem?.storageClass)],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  }
}
