import { DatasourceInfo, DatasourceKind } from '../../src/core/interfaces';

/** The datasources dashboards are rendered with in these tests (what a Grafana with the stack would pass). */
export const DATASOURCES: DatasourceInfo[] = [
  {
    kind: DatasourceKind.PROMETHEUS,
    name: 'Prometheus',
    uid: 'prometheus',
    url: 'http://prometheus.monitoring.svc:9090',
    serviceName: 'prometheus',
    serviceNamespace: 'monitoring',
    servicePort: 9090,
  },
  {
    kind: DatasourceKind.LOKI,
    name: 'Loki',
    uid: 'loki',
    url: 'http://loki.monitoring.svc:3100',
    serviceName: 'loki',
    serviceNamespace: 'monitoring',
    servicePort: 3100,
  },
  {
    kind: DatasourceKind.ALERTMANAGER,
    name: 'Alertmanager',
    uid: 'alertmanager',
    url: 'http://alertmanager.monitoring.svc:9093',
    serviceName: 'alertmanager',
    serviceNamespace: 'monitoring',
    servicePort: 9093,
    implementation: 'prometheus',
  },
];

/** A second Prometheus-type datasource (Mimir), to make "by kind" references ambiguous. */
export const MIMIR: DatasourceInfo = {
  kind: DatasourceKind.PROMETHEUS,
  name: 'Mimir',
  uid: 'mimir',
  url: 'http://mimir.monitoring.svc:8080/prometheus',
  serviceName: 'mimir',
  serviceNamespace: 'monitoring',
  servicePort: 8080,
  implementation: 'mimir',
};

/** A minimal classic dashboard with one panel of the given datasource and query. */
export function oneQueryDashboard(datasource: any, expr: string, extra: any = {}): any {
  return {
    uid: 'one-query',
    title: 'One query',
    schemaVersion: 39,
    panels: [
      { id: 1, type: 'timeseries', title: 'First', gridPos: { x: 0, y: 0, w: 12, h: 8 }, datasource, targets: [{ refId: 'A', expr }] },
    ],
    templating: { list: [] },
    ...extra,
  };
}
