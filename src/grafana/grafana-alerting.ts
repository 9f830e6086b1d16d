import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CheckedGrafanaRule, DEFAULT_RULE_FOLDER, renderGrafanaRule, RenderedGrafanaGroup, ruleUid } from './alert-rules';
import { GrafanaAlertRuleProps, GrafanaContactPoint, GrafanaNotificationPolicyProps } from './alerting';
import { GrafanaFolders } from './folders';
import type { Grafana } from './grafana';
import { SecretEnv } from './secrets';
import { appIndex } from '../core/app-index';
import { promDuration, requirePositive } from '../core/duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { DatasourceInfo, DatasourceKind } from '../core/interfaces';
import { promqlMetricNames } from '../core/promql-types';
import { MetricQuery, registerMetricQueries } from '../core/provenance/registry';
import { logqlError, PROMQL_TYPES_EXPECTED, promqlError, promqlTypeProblem, requireValidLogQL, requireValidPromQL } from '../core/query';
import { AlertReceiverKind } from '../prometheus/routing';
import { checkRoutes, checkTiming, MatcherStyle, reachedReceivers, renderRoute, unregisteredReceivers } from '../prometheus/routing-render';
import { alertFields } from '../rules/alert-fields';

/**
 * Grafana-managed alerting of a Grafana (`grafana.alerting`): contact points, the notification policy
 * tree (the library's shared `NotificationRoute` vocabulary) and alert rules, provisioned from
 * alerting.yaml. Every check runs when a call is made or at synth, before any file is written.
 */
export class GrafanaAlerting {
  /** @internal */
  public static _create(grafana: Grafana, folders: GrafanaFolders, env: SecretEnv, smtp: boolean): GrafanaAlerting {
    return new GrafanaAlerting(grafana, folders, env, smtp);
  }

  private readonly contactPoints: GrafanaContactPoint[] = [];
  private readonly rules: CheckedGrafanaRule[] = [];
  private policy?: GrafanaNotificationPolicyProps;

  private constructor(
    private readonly grafana: Grafana, private readonly folders: GrafanaFolders,
    private readonly env: SecretEnv, private readonly smtp: boolean,
  ) {
    addLgtmValidation(grafana, () => [...this.receiverErrors(), ...this.ruleErrors()]);
    // metric provenance: the user's rules warn on a metric nothing scrapes (a pack's rules fail, see _addAlertRule)
    registerMetricQueries(grafana, () => this.metricQueries(undefined), 'rule');
  }

  /**
   * Registers a contact point (idempotent for the same object). Fails when it has no credential
   * reference, or another contact point has the same name.
   */
  public addContactPoint(cp: GrafanaContactPoint): GrafanaContactPoint {
    const g = this.grafana;
    if (!(cp instanceof GrafanaContactPoint)) {
      fail(g, {
        problem: 'addContactPoint() needs a GrafanaContactPoint',
        received: show((cp as { name?: string } | undefined)?.name ?? cp),
        expected: 'GrafanaContactPoint.slack(...), .webhook(...), .email(...), .pagerDuty(...), .onCall(...) or .opsgenie(...) (AlertReceiver belongs to an Alertmanager)',
        fix: 'build the contact point with a GrafanaContactPoint factory',
      });
    }
    if (this.contactPoints.includes(cp)) return cp;
    cp._validate(g);
    if (this.contactPoints.some((x) => x.name === cp.name)) {
      fail(g, {
        problem: `duplicate contact point name '${cp.name}'`,
        received: `two GrafanaContactPoint objects named ${show(cp.name)}`,
        expected: 'unique contact point names (routes and rules refer to contact points by name)',
        fix: 'rename one of them, or build the contact point once and reuse the object',
      });
    }
    if (cp._needsSmtp && !this.smtp) {
      fail(g, {
        problem: `e-mail contact point '${cp.name}' has no credential reference: this Grafana has no SMTP server`,
        received: 'smtp: undefined',
        expected: 'Grafana prop smtp: { host, fromAddress, user, passwordSecret: { secretName, key } }',
        fix: "configure 'smtp' on the Grafana (the SMTP password comes from a Secret)",
      });
    }
    this.contactPoints.push(cp);
    return cp;
  }

  /**
   * Sets the notification policy tree (replaces Grafana's default policy). The default receiver is
   * registered automatically; every route's receiver must be registered with `addContactPoint`.
   */
  public applyNotificationPolicy(policy: GrafanaNotificationPolicyProps): void {
    const g = this.grafana;
    if (this.policy) {
      fail(g, { problem: 'the notification policy is applied twice', received: show(policy.defaultReceiver?.name), expected: 'one applyNotificationPolicy() call per Grafana (it replaces the whole tree)', fix: 'build the whole tree once, with every route in `routes`' });
    }
    if (!(policy.defaultReceiver instanceof GrafanaContactPoint)) {
      fail(g, {
        problem: "the notification policy's 'defaultReceiver' must be a GrafanaContactPoint",
        received: show(policy.defaultReceiver),
        expected: "GrafanaContactPoint.slack({ name: 'slack', webhookUrl: { secretName, key } }) or another factory",
        fix: 'route unmatched alerts somewhere a human looks; pass the contact point object',
      });
    }
    checkTiming(g, policy, 'the notification policy');
    checkRoutes(g, policy.routes ?? [], 'routes');
    this.addContactPoint(policy.defaultReceiver);
    this.policy = policy;
  }

  /**
   * Provisions a Grafana-managed alert rule. The query is parsed at synth (PromQL for
   * Prometheus/Mimir, LogQL for Loki).
   */
  public addAlertRule(rule: GrafanaAlertRuleProps): void {
    this._addAlertRule(rule, undefined);
  }

  /**
   * Provisions an alert rule on behalf of `owner` (a shipped pack or dashboard: a metric without a
   * source in the app fails the synth instead of warning).
   * @internal
   */
  public _addAlertRule(rule: GrafanaAlertRuleProps, owner: IConstruct | undefined): void {
    const g = this.grafana;
    if (!rule.alert || typeof rule.alert !== 'string' || !rule.alert.trim()) {
      fail(g, { problem: 'alert rule has no name', received: show(rule.alert), expected: "a name, e.g. alert: 'High error rate' (the rule title)", fix: "set 'alert'" });
    }
    const where = `alert rule '${rule.alert}'`;
    if (!rule.datasource === !rule.datasourceUid) {
      fail(g, {
        problem: `${where} needs exactly one of 'datasource' and 'datasourceUid'`,
        received: show({ datasource: rule.datasource?.node.path, datasourceUid: rule.datasourceUid }),
        expected: 'datasource: prometheus (added with addDatasource) or datasourceUid: "..."',
        fix: "set one of 'datasource' or 'datasourceUid'",
      });
    }
    if (typeof rule.threshold !== 'number' || !Number.isFinite(rule.threshold)) {
      fail(g, { problem: `${where} has no numeric threshold`, received: show(rule.threshold), expected: 'a number, e.g. 0.05', fix: "set 'threshold'" });
    }
    requirePositive(g, 'interval', rule.interval);
    const fields = alertFields(g, where, rule);
    // Grafana interpolates environment variables in provisioning files, but not in annotations
    // (grafana#84106), so `${` there would reach the notification as written.
    for (const [k, v] of Object.entries(fields.annotations ?? {})) {
      if (v.includes('${')) {
        fail(g, {
          problem: `${where}: '${k}' contains '\${', which Grafana may read as an environment variable`,
          received: show(v),
          expected: 'Go template syntax such as {{ $labels.pod }} or {{ $values.A }}',
          fix: `remove '\${' from '${k}'`,
        });
      }
    }
    const uid = ruleUid(rule);
    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) fail(g, { problem: `${where} has an invalid UID`, received: show(uid), expected: "at most 40 letters, digits, '-' or '_'", fix: "set 'uid'" });
    if (this.rules.some((r) => r.uid === uid)) fail(g, { problem: `duplicate alert rule UID '${uid}'`, received: show(rule.alert), expected: 'unique rule UIDs', fix: "set 'uid'" });
    if (rule.datasource) {
      const kind = rule.datasource.datasourceInfo.kind;
      if (kind === DatasourceKind.LOKI) requireValidLogQL(g, where, rule.expr);
      else requireValidPromQL(g, where, rule.expr);
    }
    this.folders.register(rule.folder ?? DEFAULT_RULE_FOLDER);
    const interval = promDuration(rule.interval ?? Duration.minutes(1));
    const folder = rule.folder ?? DEFAULT_RULE_FOLDER;
    const group = rule.group ?? 'default';
    const other = this.rules.find((r) => (r.props.folder ?? DEFAULT_RULE_FOLDER) === folder && (r.props.group ?? 'default') === group);
    if (other && promDuration(other.props.interval ?? Duration.minutes(1)) !== interval) {
      fail(g, {
        problem: `alert rules of group '${group}' in folder '${folder}' disagree on 'interval'`,
        received: `${promDuration(other.props.interval ?? Duration.minutes(1))} and ${interval}`,
        expected: 'one evaluation interval per group',
        fix: "use the same 'interval' or another 'group'",
      });
    }
    if (owner && !this.rules.some((r) => r.owner === owner)) registerMetricQueries(g, () => this.metricQueries(owner), 'rule', owner);
    this.rules.push({ props: rule, uid, fields, owner });
  }

  /** The PromQL of the rules of `owner` (undefined: the user's) that query a Prometheus-type datasource. */
  private metricQueries(owner: IConstruct | undefined): MetricQuery[] {
    return this.rules
      .filter((r) => r.owner === owner && this.datasourceOf(r.props)?.kind === DatasourceKind.PROMETHEUS)
      .map((r) => ({ where: `Grafana alert rule "${r.props.alert}"`, expr: r.props.expr }));
  }

  /** Names of the registered contact points, in order. */
  public get contactPointNames(): string[] {
    return this.contactPoints.map((c) => c.name);
  }

  /** @internal alerting.yaml, before the `$` escaping of the Grafana (contact points, policy, rules). */
  public _file(): unknown {
    const file: { [key: string]: unknown } = { apiVersion: 1 };
    if (this.contactPoints.length > 0) file.contactPoints = this.contactPoints.map((c) => c._render(this.env));
    if (this.policy) {
      const p = this.policy;
      file.policies = [{
        orgId: 1,
        receiver: p.defaultReceiver.name,
        group_by: p.groupBy ?? ['grafana_folder', 'alertname'],
        group_wait: promDuration(p.groupWait ?? Duration.seconds(30)),
        group_interval: promDuration(p.groupInterval ?? Duration.minutes(5)),
        repeat_interval: promDuration(p.repeatInterval ?? Duration.hours(4)),
        ...(p.routes && p.routes.length > 0 ? { routes: p.routes.map((r) => renderRoute(r, MatcherStyle.GRAFANA)) } : {}),
      }];
    }
    if (this.rules.length > 0) {
      const groups = new Map<string, RenderedGrafanaGroup>();
      for (const r of this.rules) {
        const folder = r.props.folder ?? DEFAULT_RULE_FOLDER;
        const name = r.props.group ?? 'default';
        const key = `${folder}\u0000${name}`;
        let grp = groups.get(key);
        if (!grp) {
          grp = { orgId: 1, name, folder, interval: promDuration(r.props.interval ?? Duration.minutes(1)), rules: [] };
          groups.set(key, grp);
        }
        grp.rules.push(renderGrafanaRule(r, this.datasourceOf(r.props)));
      }
      file.groups = [...groups.values()];
    }
    return file;
  }

  private datasourceOf(r: GrafanaAlertRuleProps): DatasourceInfo | undefined {
    if (r.datasource) return this.grafana.datasources._infoOf(r.datasource);
    return this.grafana.datasources.all.find((d) => d.uid === r.datasourceUid);
  }

  /** Names of the form `level:metric:operations` in `expr` that no PrometheusRule of the app records. */
  private unrecordedMetrics(expr: string): string[] {
    const wanted = promqlMetricNames(expr).filter((m) => m.includes(':'));
    if (wanted.length === 0) return [];
    const recorded = new Set<string>();
    for (const o of appIndex(this.grafana).objectsOfKind('monitoring.coreos.com', 'PrometheusRule')) {
      for (const g of (o.toJson()?.spec?.groups ?? []) as Array<{ rules?: Array<{ record?: string }> }>) {
        for (const rule of g.rules ?? []) if (rule.record) recorded.add(rule.record);
      }
    }
    return wanted.filter((m) => !recorded.has(m));
  }

  private receiverErrors(): LgtmErrorDetails[] {
    const reached = [
      ...reachedReceivers(this.policy?.routes ?? [], 'notification policy routes'),
      ...this.rules.filter((r) => r.props.receiver).map((r) => ({ receiver: r.props.receiver!, where: `alert rule '${r.props.alert}'` })),
    ];
    return unregisteredReceivers(reached, this.contactPoints, AlertReceiverKind.GRAFANA, `Grafana '${this.grafana.name}'`, 'register it with grafana.alerting.addContactPoint(contactPoint)');
  }

  private ruleErrors(): LgtmErrorDetails[] {
    const out: LgtmErrorDetails[] = [];
    const uids = this.grafana.datasources.all.map((d) => d.uid);
    for (const { props: r } of this.rules) {
      const ds = this.datasourceOf(r);
      if (!ds) {
        out.push({
          problem: `alert rule '${r.alert}' uses a datasource this Grafana does not have`,
          received: r.datasource ? show(r.datasource.node.path) : show(r.datasourceUid),
          expected: `a datasource added with addDatasource/addExternalDatasource (UIDs: ${show(uids)})`,
          fix: 'add the datasource to the Grafana before synth',
        });
        continue;
      }
      if (ds.kind !== DatasourceKind.PROMETHEUS && ds.kind !== DatasourceKind.LOKI) {
        out.push({ problem: `alert rule '${r.alert}' queries a ${ds.kind} datasource`, received: show(ds.uid), expected: 'a Prometheus/Mimir or Loki datasource', fix: 'point the rule at a metrics or logs datasource' });
        continue;
      }
      const err = ds.kind === DatasourceKind.LOKI ? logqlError(r.expr) : promqlError(r.expr);
      if (err) {
        out.push({ problem: `alert rule '${r.alert}': invalid ${ds.kind === DatasourceKind.LOKI ? 'LogQL' : 'PromQL'} at position ${err.position}`, received: `\n${err.pointer}\n`, expected: 'a query that parses', fix: 'correct the expression at the marked position' });
      }
      const unrecorded = !err && r.datasource && ds.kind === DatasourceKind.PROMETHEUS ? this.unrecordedMetrics(r.expr) : [];
      if (unrecorded.length > 0) {
        out.push({
          problem: `alert rule '${r.alert}' queries ${unrecorded.map((m) => show(m)).join(', ')}, which no PrometheusRule of this app records (a name with ':' is a recording rule's by convention: nothing else exports it), so the rule only ever sees no data`,
          received: show(r.expr),
          expected: 'each recorded metric the query uses recorded by a PrometheusRule of the app (addRecord({ record, expr }))',
          fix: 'add the recording rule, or query the raw metric it would be recorded from',
        });
      }
      const typeErr = !err && ds.kind === DatasourceKind.PROMETHEUS ? promqlTypeProblem(r.expr) : undefined;
      if (typeErr) {
        out.push({ problem: `alert rule '${r.alert}': PromQL does not type-check at position ${typeErr.position}: ${typeErr.message}`, received: `\n${typeErr.pointer}\n`, expected: PROMQL_TYPES_EXPECTED, fix: typeErr.fix });
      }
    }
    return out;
  }
}
