/**
 * Grafana OnCall's own alerts. The engine exports no request or error counters (its /metrics/ carries
 * application metrics only: alert groups, response times, notifications; see
 * `core/provenance/oncall.ts`), so the failure alerts read kube-state-metrics: the celery Deployment
 * (the workers send every escalation and notification) and the migration Job.
 */
import { Duration } from 'cdk8s';
import { AlertSeverity, AlertingRuleProps } from '../rules/alert-rule';

/** The alerts for one GrafanaOnCall (scoped by namespace and object names). */
export function onCallAlerts(namespace: string, name: string): AlertingRuleProps[] {
  const up = `up{namespace="${namespace}", job="${name}"}`;
  return [
    {
      alert: 'OnCallEngineDown',
      expr: `(${up} == 0)\nor\nabsent(${up})`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'The Grafana OnCall engine is down or not scraped.',
      description: 'No OnCall engine answers on /metrics/ in {{ $labels.namespace }}: integrations cannot receive alerts and the Grafana app cannot reach its backend.',
    },
    {
      alert: 'OnCallCeleryWorkersUnavailable',
      expr: `kube_deployment_status_replicas_available{namespace="${namespace}", deployment="${name}-celery"} == 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'No Grafana OnCall celery worker is available.',
      description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has no available pod: alert groups are created but nobody is escalated or notified.',
    },
    {
      alert: 'OnCallMigrationFailed',
      expr: `kube_job_status_failed{namespace="${namespace}", job_name="${name}-migrate"} > 0`,
      pendingFor: Duration.minutes(1),
      severity: AlertSeverity.WARNING,
      summary: 'The Grafana OnCall database migration failed.',
      description: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed: the engine and workers wait in their init container until the schema is current (check the database reference and its Secret).',
    },
  ];
}
