/** Grafana part of the reference stack (issue 5). */
import { App, Chart, Duration } from 'cdk8s';
import { LogsParts } from './logs';
import { MetricsParts } from './metrics';
import {
  GoldenSignalsDashboard, Grafana, GrafanaContactPoint, PlatformOverviewDashboard, StackDashboards,
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

export function addGrafana(app: App, namespace: string, backends: MetricsParts & LogsParts): Grafana {
  const chart = new Chart(app, '50-grafana');
  const grafana = new Grafana(chart, 'Grafana', {
    namespace,
    adminSecret: { name: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
  });

  // Every datasource of the stack, with correlations wired by kind (Tempo/Pyroscope join when they exist).
  if (backends.prometheus) grafana.addDatasource(backends.prometheus);
  if (backends.alertmanager) grafana.addDatasource(backends.alertmanager);
  if (backends.loki) grafana.addDatasource(backends.loki);

  // Shipped dashboards (src/dashboards), built with the Grafana Foundation SDK.
  if (backends.prometheus) {
    if (backends.loki) grafana.addDashboard(new PlatformOverviewDashboard(chart, 'PlatformOverview'));
    grafana.addDashboard(new GoldenSignalsDashboard(chart, 'FrontendGoldenSignals', {
      // the seed's frontend (examples/seed-frontend.ts) exports these series
      serviceName: 'frontend',
      requestsMetric: 'frontend_requests_total',
      latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
      errorMatcher: 'status=~"5.."',
    }));
    for (const d of new StackDashboards(chart, 'StackDashboards').all) grafana.addDashboard(d);
  }

  // Seed 000: "If the error rate goes above 5 % for more than 5 minutes, Grafana sends a message to our
  // Slack channel." The webhook URL stays in the Secret.
  const slack = GrafanaContactPoint.slack({
    name: 'slack-alerts',
    webhookUrl: { secretName: SLACK_WEBHOOK_SECRET, key: 'url' },
    recipient: '#alerts',
  });
  grafana.applyNotificationPolicy({ contactPoint: slack });
  if (backends.prometheus) {
    grafana.addAlertRule({
      title: 'High error rate',
      uid: 'frontend-high-error-rate',
      folder: 'Platform',
      group: 'platform',
      datasource: backends.prometheus,
      expr: 'sum(rate(frontend_requests_total{status=~"5.."}[5m])) / sum(rate(frontend_requests_total[5m]))',
      threshold: 0.05,
      pendingFor: Duration.minutes(5),
      labels: { severity: 'critical' },
      summary: 'Error rate above 5 % for 5 minutes',
      description: 'The share of 5xx responses of the frontend has been above 5 % for 5 minutes (now {{ humanizePercentage $values.A.Value }}).',
      contactPoint: slack,
    });
  }
  return grafana;
}
