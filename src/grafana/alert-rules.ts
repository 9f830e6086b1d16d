/**
 * Rendering of Grafana-managed alert rules into the `groups:` of alerting.yaml (Grafana 13.1 file
 * provisioning: a query `A`, a threshold expression `C`). Internal: not part of the jsii API.
 */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AlertComparison, GrafanaAlertRuleProps, NoDataState } from './alerting';
import { slug } from './folders';
import { promDuration } from '../core/duration';
import { DatasourceInfo, DatasourceKind } from '../core/interfaces';
import { AlertFields } from '../rules/alert-fields';

/** A rule with the fields every alerting rule shares, already validated. */
export interface CheckedGrafanaRule {
  readonly props: GrafanaAlertRuleProps;
  readonly uid: string;
  readonly fields: AlertFields;
  /** The pack that added the rule (undefined: the user's own rule). */
  readonly owner?: IConstruct;
}

/** One rule of a provisioned group. */
export interface RenderedGrafanaRule {
  readonly uid: string;
  readonly title: string;
  readonly condition: string;
  readonly data: unknown[];
  readonly noDataState: string;
  readonly execErrState: string;
  readonly for: string;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly isPaused: boolean;
  readonly notification_settings?: { readonly receiver: string };
}

/** One provisioned rule group. */
export interface RenderedGrafanaGroup {
  readonly orgId: number;
  readonly name: string;
  readonly folder: string;
  readonly interval: string;
  readonly rules: RenderedGrafanaRule[];
}

/** The default folder title of a Grafana alert rule. */
export const DEFAULT_RULE_FOLDER = 'Alerts';

/** The UID of a rule: its `uid`, else derived from the alert name. */
export function ruleUid(r: GrafanaAlertRuleProps): string {
  return r.uid ?? slug(r.alert ?? '', 40);
}

/** Renders one rule against the datasource it queries. */
export function renderGrafanaRule(rule: CheckedGrafanaRule, ds: DatasourceInfo | undefined): RenderedGrafanaRule {
  const r = rule.props;
  const kind = ds?.kind ?? DatasourceKind.PROMETHEUS;
  const uid = ds?.uid ?? r.datasourceUid ?? '';
  return {
    uid: rule.uid,
    title: r.alert,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: uid,
        model: {
          refId: 'A',
          datasource: { type: kind, uid },
          expr: r.expr,
          instant: true,
          range: false,
          ...(kind === DatasourceKind.LOKI ? { queryType: 'instant' } : {}),
          intervalMs: 1000,
          maxDataPoints: 43200,
        },
      },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: {
          refId: 'C',
          type: 'threshold',
          expression: 'A',
          datasource: { type: '__expr__', uid: '__expr__' },
          conditions: [{ evaluator: { type: r.comparison ?? AlertComparison.ABOVE, params: [r.threshold] } }],
        },
      },
    ],
    noDataState: r.noDataState ?? NoDataState.NO_DATA,
    execErrState: 'Error',
    for: promDuration(r.pendingFor ?? Duration.seconds(0)),
    ...(rule.fields.annotations ? { annotations: rule.fields.annotations } : {}),
    labels: rule.fields.labels,
    isPaused: false,
    ...(r.receiver ? { notification_settings: { receiver: r.receiver.name } } : {}),
  };
}
