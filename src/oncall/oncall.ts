import { Construct } from 'constructs';
import { fail } from '../core/errors';

/** Props of {@link GrafanaOnCall}. */
export interface GrafanaOnCallProps {
  /** Stable object name. @default 'oncall' */
  readonly name?: string;
  /** Namespace. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
}

/**
 * The upstream status of Grafana OnCall OSS, as the synth error states it: archived, read-only, with the
 * supported ways to reach an on-call tool.
 */
export const GRAFANA_ONCALL_ARCHIVED =
  'Grafana OnCall OSS entered maintenance mode on 2025-03-11 and was archived on 2026-03-24 (the grafana/oncall repository is read-only; development continues in Grafana Cloud IRM)';

/**
 * Grafana OnCall OSS, self-hosted: not rendered. The project was archived upstream on 2026-03-24, so a
 * new deployment would run software that receives no security fixes. Constructing it fails at synth with
 * the supported alternatives (docs/components/oncall.md):
 *
 * - Alertmanager to Grafana IRM (or any on-call tool): `AlertReceiver.webhook(...)` with the integration
 *   URL in a Secret, routed by severity;
 * - Grafana alerting to Grafana IRM: `GrafanaContactPoint.onCall(...)`.
 *
 * @deprecated Grafana OnCall OSS is archived upstream (2026-03-24): route alerts to Grafana IRM with
 * `AlertReceiver.webhook` (Alertmanager) or `GrafanaContactPoint.onCall` (Grafana alerting).
 */
export class GrafanaOnCall extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaOnCallProps = {}) {
    super(scope, id);
    fail(this, {
      problem: `GrafanaOnCall is not rendered: ${GRAFANA_ONCALL_ARCHIVED}`,
      received: `new GrafanaOnCall(...) named ${JSON.stringify(props.name ?? 'oncall')}`,
      expected: 'an on-call tool that is maintained, reached by reference from Alertmanager or Grafana alerting',
      fix: "route alerts to Grafana IRM: AlertReceiver.webhook('oncall', { url: { secretName: 'alertmanager-oncall', key: 'url' } }) "
        + 'as an Alertmanager receiver, or GrafanaContactPoint.onCall({ ... }) in Grafana alerting (docs/components/oncall.md)',
    });
  }
}
