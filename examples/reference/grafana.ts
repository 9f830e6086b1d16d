/** Grafana part of the reference stack (issue 5). */
import { App, Chart, Duration } from 'cdk8s';
import { LogsParts } from './logs';
import { MetricsParts } from './metrics';
import { TracesParts } from './traces';
import {
  AlertSeverity, GoldenSignalsDashboard, Grafana, GrafanaContactPoint, KubernetesDashboards, PlatformOverviewDashboard,
  StackDashboards,
} from '../../src';

/**
 * Secrets the stack expects to exist in the namespace before Argo CD syncs (never rendered here):
 *   kubectl create secret generic grafana-admin -n monitoring \
 *     --from-literal=admin-user=admin --from-literal=admin-password="$(openssl rand -base64 24)"
 *   kubectl create secret generic grafana-slack-webhook -n monitoring \
 *     --from-literal=url=https://hooks.slack.com/services/...
 */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';
export const SLACK_WEBHOOK_SECRET = 'grafana-slack-webhook';

export function addGrafana(app: App, namespace: string, backends: MetricsParts & LogsParts & TracesParts): Grafana {
  const chart = new Chart(app, '50-grafana');
  const grafana = new Grafana(chart, 'Grafana', {
    namespace,
    adminSecret: { name: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
  });

  // Every datasource of the stack, with correlations wired by kind (Tempo/Pyroscope join when they exist).
  if (backends.prometheus) grafana.addDatasource(backends.prometheus);
  if (backends.alertmanager) grafana.addDatasource(backends.alertmanager);
  if (backends.loki) grafana.addDatasource(backends.loki);
  if (backends.tempo) grafana.addDatasource(backends.tempo);

  // Shipped dashboards (src/dashboards), built with the Grafana Foundation SDK.
  if (backends.prometheus) {
    // The reference stack runs no application of its own: its request panels and its alert read the HTTP
    // metrics of a service the stack scrapes (the Prometheus API), never a series nothing scrapes.
    if (backends.loki) {
      grafana.addDashboard(new PlatformOverviewDashboard(chart, 'PlatformOverview', {
        requestsMetric: 'prometheus_http_requests_total',
        latencyBucketMetric: 'prometheus_http_request_duration_seconds_bucket',
        statusLabel: 'code',
        pathLabel: 'handler',
        defaultNamespace: namespace,
      }));
    }
    grafana.addDashboard(new GoldenSignalsDashboard(chart, 'PrometheusGoldenSignals', {
      serviceName: 'prometheus',
      requestsMetric: 'prometheus_http_requests_total',
      latencyBucketMetric: 'prometheus_http_request_duration_seconds_bucket',
      errorMatcher: 'code=~"5.."',
    }));
    // Prometheus, Alertmanager, Loki and Alloy, plus Grafana itself, the operator and Tempo
    const components = [grafana, backends.operator, backends.tempo].filter((c): c is NonNullable<typeof c> => c !== undefined);
    for (const d of new StackDashboards(chart, 'StackDashboards', { components }).all) grafana.addDashboard(d);
    // Kubernetes / Compute Resources (cluster, namespace, pod, workload) and Node Exporter / Nodes
    // with the collector's cluster events (in Loki) as annotations
    const clusterEvents = backends.loki && backends.collector?.eventsBackend ? { logsDatasourceUid: backends.loki.datasourceInfo.uid } : undefined;
    for (const d of new KubernetesDashboards(chart, 'KubernetesDashboards', { clusterEvents }).all) grafana.addDashboard(d);
  }

  // Seed 000: "If the error rate goes above 5 % for more than 5 minutes, Grafana sends a message to our
  // Slack channel." The webhook URL stays in the Secret.
  const slack = GrafanaContactPoint.slack({
    name: 'slack-alerts',
    webhookUrl: { secretName: SLACK_WEBHOOK_SECRET, key: 'url' },
    recipient: '#alerts',
  });
  grafana.alerting.applyNotificationPolicy({ defaultReceiver: slack });
  if (backends.prometheus) {
    grafana.alerting.addAlertRule({
      alert: 'High error rate',
      uid: 'frontend-high-error-rate',
      folder: 'Platform',
      group: 'platform',
      datasource: backends.prometheus,
      // a series the reference Prometheus scrapes (its own ServiceMonitor), so the rule never sits in NoData
      expr: 'sum(rate(prometheus_http_requests_total{code=~"5.."}[5m])) / sum(rate(prometheus_http_requests_total[5m]))',
      threshold: 0.05,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Error rate above 5 % for 5 minutes',
      description: 'The share of 5xx responses of the frontend has been above 5 % for 5 minutes (now {{ humanizePercentage $values.A.Value }}).',
      receiver: slack,
    });
  }
  return grafana;
}
