/** Test doubles: backends that emit a Service and implement IDatasourceProvider, and a tiny IDashboard. */
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DatasourceInfo, DatasourceKind, IDashboard, IDatasourceProvider } from '../../src/core/interfaces';
import { kubeService, ServiceRef } from '../../src/core/kube';

const PORTS: Record<string, number> = {
  [DatasourceKind.PROMETHEUS]: 9090,
  [DatasourceKind.LOKI]: 3100,
  [DatasourceKind.TEMPO]: 3200,
  [DatasourceKind.PYROSCOPE]: 4040,
  [DatasourceKind.ALERTMANAGER]: 9093,
};

interface BackendOptions {
  name: string;
  namespace?: string;
  tenantId?: string;
  implementation?: string;
  uid?: string;
}

export class FakeBackend extends Construct implements IDatasourceProvider {
  public readonly service: ServiceRef;
  public readonly datasourceInfo: DatasourceInfo;
  constructor(scope: Construct, id: string, kind: DatasourceKind, opts: BackendOptions) {
    super(scope, id);
    const namespace = opts.namespace ?? 'monitoring';
    this.service = kubeService(this, 'Service', {
      name: opts.name, namespace, selector: { app: opts.name }, ports: [{ name: 'http', port: PORTS[kind] }],
    });
    this.datasourceInfo = {
      kind,
      name: opts.name.charAt(0).toUpperCase() + opts.name.slice(1),
      uid: opts.uid ?? opts.name,
      url: this.service.url('http'),
      serviceName: opts.name,
      serviceNamespace: namespace,
      servicePort: PORTS[kind],
      tenantId: opts.tenantId,
      implementation: opts.implementation,
    };
  }
}

/** A dashboard whose single panel uses the first datasource of `kind`; fails like GrafanaDashboard when none. */
export class FakeDashboard extends Construct implements IDashboard {
  constructor(
    scope: Construct, id: string,
    public readonly uid: string, public readonly title: string, public readonly folder: string,
    private readonly kind: DatasourceKind, private readonly padding = 0,
  ) {
    super(scope, id);
  }
  public renderJson(datasources: DatasourceInfo[]): string {
    const ds = datasources.find((d) => d.kind === this.kind);
    if (!ds) throw new Error(`[${this.node.path}] dashboard '${this.uid}' references an unknown datasource of kind ${this.kind}. Received: ${JSON.stringify(datasources.map((d) => d.uid))}`);
    const panel = { id: 1, type: 'timeseries', datasource: { type: ds.kind, uid: ds.uid }, targets: [{ refId: 'A', expr: 'up' }] };
    return JSON.stringify({ uid: this.uid, title: this.title, schemaVersion: 41, pad: 'x'.repeat(this.padding), panels: [panel] });
  }
}

export function backends(chart: Chart) {
  return {
    prometheus: new FakeBackend(chart, 'Prometheus', DatasourceKind.PROMETHEUS, { name: 'prometheus' }),
    alertmanager: new FakeBackend(chart, 'Alertmanager', DatasourceKind.ALERTMANAGER, { name: 'alertmanager' }),
    loki: new FakeBackend(chart, 'Loki', DatasourceKind.LOKI, { name: 'loki', tenantId: 'team-a' }),
    tempo: new FakeBackend(chart, 'Tempo', DatasourceKind.TEMPO, { name: 'tempo' }),
    pyroscope: new FakeBackend(chart, 'Pyroscope', DatasourceKind.PYROSCOPE, { name: 'pyroscope' }),
  };
}
