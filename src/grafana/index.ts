// Public API of the grafana module (issue 5).
export { Grafana, GrafanaProps, GrafanaIngressOptions, GrafanaSmtpOptions } from './grafana';
export { GrafanaDatabase, GrafanaSqliteOptions, GrafanaPostgresOptions } from './database';
export { GrafanaAdminSecret } from './secrets';
export {
  AddDatasourceOptions, ExternalDatasourceProps, DatasourceCorrelations, TraceIdMatcher,
} from './datasources';
export {
  GrafanaContactPoint, SlackContactPointProps, WebhookContactPointProps, EmailContactPointProps,
  PagerDutyContactPointProps, OnCallContactPointProps, OpsgenieContactPointProps,
  MatchOperator, GrafanaMatcher, GrafanaRouteTiming, GrafanaNotificationRoute, GrafanaNotificationPolicyProps,
  AlertComparison, NoDataState, GrafanaAlertRuleProps,
} from './alerting';
