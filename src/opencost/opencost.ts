import { Construct } from 'constructs';
import { Component, ExporterProps } from '../core/component';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { Images } from '../core/images';
import { DatasourceKind, IDatasourceProvider } from '../core/interfaces';
import { PortSpec } from '../core/kube';
import { emptyDirVolume, httpGetProbe, kubeContainer } from '../core/pod';
import { ResourcePreset } from '../core/resources';
import { restrictedPodSecurityContext } from '../core/security';

/**
 * Props of {@link OpenCost} (defaults: name 'opencost', resources SMALL, no tolerations).
 */
export interface OpenCostProps extends ExporterProps {
  /**
   * The Prometheus-compatible store OpenCost queries for usage (our Prometheus, or Mimir): its query
   * URL and tenant are taken from the object. It must hold the kube-state-metrics and cAdvisor series.
   */
  readonly metricsSource: IDatasourceProvider;
  /**
   * Cluster ID on the cost metrics (`CLUSTER_ID`) when the series carry no `cluster_id` label.
   * @default 'default-cluster'
   */
  readonly clusterId?: string;
}

/** The UID the opencost image runs as (its Dockerfile: `USER 1001`). */
const OPENCOST_UID = 1001;
const HTTP: PortSpec = { name: 'http', port: 9003 };
const CLUSTER_ID = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * OpenCost: cost allocation of the cluster's workloads, exported as Prometheus metrics
 * (`node_total_hourly_cost`, `container_cpu_allocation`, ...) on port 9003, scraped through its
 * ServiceMonitor. It reads usage from `metricsSource` (a Prometheus-compatible datasource given by
 * reference: the URL and tenant come from the object, never hand-typed) and lists and watches the
 * cluster's objects read-only. Prices are the on-premises defaults of the image (`/models/default.json`)
 * unless a cloud provider is detected.
 *
 * Shared props: `resources` (default SMALL), `serviceMonitor`, `nodeSelector`, `tolerations`. One replica.
 */
export class OpenCost extends Component {
  /** The query URL OpenCost reads from. */
  public readonly prometheusUrl: string;

  constructor(scope: Construct, id: string, props: OpenCostProps) {
    super(scope, id, props, { appName: 'opencost', component: 'cost', name: 'opencost', image: Images.OPENCOST });
    const src = props.metricsSource as IDatasourceProvider | undefined;
    const info = src?.datasourceInfo;
    if (!src || !info || info.kind !== DatasourceKind.PROMETHEUS) {
      fail(this, {
        problem: 'OpenCost has no Prometheus-compatible source to read usage from',
        received: src ? `${src.node.path} (a ${info?.kind ?? 'non-datasource'} datasource)` : 'metricsSource: undefined',
        expected: 'a Prometheus or Mimir of the app (a Prometheus-type IDatasourceProvider)',
        fix: "pass 'metricsSource: prometheus'",
      });
    }
    const clusterId = props.clusterId ?? 'default-cluster';
    if (!CLUSTER_ID.test(clusterId)) {
      fail(this, { problem: "'clusterId' is not a valid cluster ID", received: show(clusterId), expected: 'letters, digits, "-", "_" and ".", at most 63, starting and ending with a letter or digit', fix: 'use e.g. "prod-eu-1"' });
    }
    this.prometheusUrl = info.url;

    this._addServiceAccount(true);
    // read-only: the objects whose cost OpenCost allocates (upstream kubernetes/opencost.yaml, without writes)
    const read = ['get', 'list', 'watch'];
    this._addClusterRole([
      { apiGroups: [''], resources: ['configmaps', 'endpoints', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'resourcequotas', 'services'], verbs: read },
      { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: read },
      { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: read },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: read },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: read },
    ]);
    this._addService({ ports: [HTTP] });
    this._addDeployment({
      replicas: 1,
      strategy: { type: 'Recreate' },
      template: this._podTemplate({
        automountServiceAccountToken: true,
        securityContext: restrictedPodSecurityContext(OPENCOST_UID),
        containers: [kubeContainer({
          name: 'opencost',
          image: this.image,
          env: [
            { name: 'PROMETHEUS_SERVER_ENDPOINT', value: info.url },
            ...(info.tenantId ? [{ name: 'PROMETHEUS_HEADER_X_SCOPE_ORGID', value: info.tenantId }] : []),
            { name: 'CLUSTER_ID', value: clusterId },
            // the config directory OpenCost writes its runtime settings to
            { name: 'CONFIG_PATH', value: '/var/configs/' },
          ],
          ports: [HTTP],
          resources: this._resources(ResourcePreset.SMALL),
          readinessProbe: httpGetProbe('/healthz', HTTP.name),
          volumeMounts: [
            { name: 'configs', mountPath: '/var/configs' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        })],
        volumes: [emptyDirVolume('configs', '16Mi'), emptyDirVolume('tmp', '64Mi')],
      }),
    });
    // the cost metrics, declared so that the app's query-source check knows this monitor produces them
    this._addServiceMonitor({ endpoints: [{ port: HTTP.name, path: '/metrics' }] });
    addLgtmValidation(this, () => this.sourceErrors(src));
  }

  private sourceErrors(src: IDatasourceProvider): LgtmErrorDetails[] {
    if (src.node.root === this.node.root) return [];
    return [{
      problem: "'metricsSource' points at a construct of another app",
      received: src.node.path || '<root>',
      expected: 'a Prometheus or Mimir of the same cdk8s App (its Service is emitted with this one)',
      fix: 'create the metrics store in this App',
    }];
  }
}
