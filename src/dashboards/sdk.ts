/**
 * Internal: thin helpers over `@grafana/grafana-foundation-sdk` (v0.0.21, bundled) for the shipped
 * dashboards. The SDK is not jsii-compatible (generics, fluent `this`), so it never appears in an exported
 * signature: shipped dashboards hand the SDK's `build()` output (plain JSON) to `GrafanaDashboard`.
 *
 * The SDK package is CommonJS with `exports` typings, so TypeScript's node16 resolution imports its types
 * directly (eslint's import resolver does not read `exports` subpaths, hence the disables); at run time the
 * modules come from ./sdk-loader, which loads only the SDK files the dashboards use.
 */
/* eslint-disable import/no-unresolved */
import type * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as logs from '@grafana/grafana-foundation-sdk/logs';
import type * as loki from '@grafana/grafana-foundation-sdk/loki';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
/* eslint-enable import/no-unresolved */
import { IConstruct } from 'constructs';
import { sdkPackage } from './sdk-loader';
import { fail, show } from '../core/errors';
import { DatasourceKind } from '../core/interfaces';

/** The SDK modules: lazy stand-ins for the entry points that load only the files used (./sdk-loader). */
interface Sdk {
  readonly common: typeof common;
  readonly dashboard: typeof dashboard;
  readonly logs: typeof logs;
  readonly loki: typeof loki;
  readonly prometheus: typeof prometheus;
  readonly stat: typeof stat;
  readonly timeseries: typeof timeseries;
}
let loaded: Sdk | undefined;
function sdk(): Sdk {
  return (loaded ??= {
    common: sdkPackage('common'),
    dashboard: sdkPackage('dashboard'),
    logs: sdkPackage('logs'),
    loki: sdkPackage('loki'),
    prometheus: sdkPackage('prometheus'),
    stat: sdkPackage('stat'),
    timeseries: sdkPackage('timeseries'),
  });
}

/** A datasource reference: `{ type }` (resolved by kind at render) or `{ type, uid }`. */
export function dsRef(kind: DatasourceKind, uid?: string): common.DataSourceRef {
  return uid ? { type: kind, uid } : { type: kind };
}

/** Common dashboard settings of every shipped dashboard. */
export function newDashboard(title: string, uid: string, tags: string[], description: string): dashboard.DashboardBuilder {
  const { dashboard } = sdk();
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['cdk8s-lgtm', ...tags])
    .readonly() // provisioned from Git: edits belong in code, not in the UI
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .refresh('30s')
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('Annotations & Alerts')
        .datasource({ type: 'grafana', uid: '-- Grafana --' })
        .builtIn(1)
        .enable(true)
        .hide(true)
        .iconColor('rgba(0, 211, 255, 1)')
        .type('dashboard'),
    );
}

/** A PromQL query. */
export interface PromQuery {
  readonly expr: string;
  readonly legend?: string;
  /** Instant query (stat panels showing the current value). */
  readonly instant?: boolean;
}

function promTargets(ds: common.DataSourceRef, queries: PromQuery[]): prometheus.DataqueryBuilder[] {
  const { prometheus } = sdk();
  return queries.map((q, i) => {
    const b = new prometheus.DataqueryBuilder().datasource(ds).refId(refId(i)).expr(q.expr);
    if (q.legend) b.legendFormat(q.legend);
    if (q.instant) b.instant();
    else b.range();
    return b;
  });
}

/** Options of a time-series panel. */
export interface TimeseriesOptions {
  readonly title: string;
  readonly description?: string;
  readonly unit: string;
  readonly queries: PromQuery[];
  readonly width?: number;
  readonly height?: number;
  readonly stack?: boolean;
  readonly min?: number;
}

/** A time-series panel of PromQL queries. */
export function timeseriesPanel(ds: common.DataSourceRef, o: TimeseriesOptions): timeseries.PanelBuilder {
  const { common, timeseries } = sdk();
  const b = new timeseries.PanelBuilder()
    .title(o.title)
    .datasource(ds)
    .targets(promTargets(ds, o.queries))
    .unit(o.unit)
    .span(o.width ?? 12)
    .height(o.height ?? 8)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  if (o.description) b.description(o.description);
  if (o.min !== undefined) b.min(o.min);
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return b;
}

/** A threshold step: `value` undefined is the base step. */
export interface Step {
  readonly value?: number;
  readonly color: string;
}

/** Options of a stat panel. */
export interface StatOptions {
  readonly title: string;
  readonly description?: string;
  readonly unit: string;
  readonly queries: PromQuery[];
  readonly thresholds?: Step[];
  readonly width?: number;
  readonly height?: number;
  readonly decimals?: number;
}

/** A stat panel (last value) of PromQL queries, with absolute thresholds. */
export function statPanel(ds: common.DataSourceRef, o: StatOptions): stat.PanelBuilder {
  const { common, dashboard, stat } = sdk();
  const steps = (o.thresholds ?? [{ color: 'green' }]).map((s) => ({ value: s.value ?? null, color: s.color }));
  const b = new stat.PanelBuilder()
    .title(o.title)
    .datasource(ds)
    .targets(promTargets(ds, o.queries))
    .unit(o.unit)
    .span(o.width ?? 6)
    .height(o.height ?? 4)
    .thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps as dashboard.Threshold[]))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (o.description) b.description(o.description);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  return b;
}

/** Options of a logs panel. */
export interface LogsOptions {
  readonly title: string;
  readonly description?: string;
  readonly expr: string;
  readonly width?: number;
  readonly height?: number;
  readonly maxLines?: number;
}

/** A logs panel of one LogQL query. */
export function logsPanel(ds: common.DataSourceRef, o: LogsOptions): logs.PanelBuilder {
  const { common, logs, loki } = sdk();
  const b = new logs.PanelBuilder()
    .title(o.title)
    .datasource(ds)
    .withTarget(new loki.DataqueryBuilder().datasource(ds).refId('A').expr(o.expr).maxLines(o.maxLines ?? 100))
    .span(o.width ?? 24)
    .height(o.height ?? 10)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None);
  if (o.description) b.description(o.description);
  return b;
}

/** A collapsible-free row header. */
export function row(title: string): dashboard.RowBuilder {
  const { dashboard } = sdk();
  return new dashboard.RowBuilder(title);
}

/** A Prometheus `label_values` query variable (multi-select, with "All" = `.+`). */
export function labelValuesVariable(
  ds: common.DataSourceRef,
  name: string,
  label: string,
  selector: string,
  defaultValue?: string,
): dashboard.QueryVariableBuilder {
  const { dashboard } = sdk();
  const query = `label_values(${selector}, ${label})`;
  const b = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(ds)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.+');
  if (defaultValue) b.current({ text: defaultValue, value: defaultValue, selected: true });
  return b;
}

/**
 * Builds the dashboard and completes what the SDK leaves to Grafana's frontend: unique panel ids (rows
 * included), a `refId` and datasource on every target (Grafana 13 requires both to run the query), an
 * empty `fieldConfig` where a panel type has no field options (logs), and `templating.list` when the
 * dashboard has no variables.
 */
export function finish(b: dashboard.DashboardBuilder): { [key: string]: any } {
  const json: any = JSON.parse(JSON.stringify(b.build()));
  let id = 1;
  const walk = (panels: any[]) => {
    for (const p of panels) {
      p.id = id++;
      if (p.type !== 'row' && !p.fieldConfig) p.fieldConfig = { defaults: {}, overrides: [] };
      (p.targets ?? []).forEach((t: any, i: number) => {
        t.refId = t.refId ?? refId(i);
        if (!t.datasource && p.datasource) t.datasource = p.datasource;
      });
      if (Array.isArray(p.panels)) walk(p.panels);
    }
  };
  walk(json.panels ?? []);
  json.templating = { list: json.templating?.list ?? [] };
  return json;
}

function refId(i: number): string {
  return String.fromCharCode(65 + i);
}

/** Escapes a string for a PromQL/LogQL double-quoted label value. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** Fails unless `name` is a Prometheus metric name (caught here: a name like `a-b` would still parse, as a subtraction). */
export function requireMetricName(scope: IConstruct, prop: string, name: string): string {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
    fail(scope, {
      problem: `'${prop}' is not a Prometheus metric name`,
      received: show(name),
      expected: 'a name matching [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. http_requests_total',
      fix: `set '${prop}' to the metric name exactly as /metrics exposes it`,
    });
  }
  return name;
}

/** A datasource variable listing the Grafana's datasources of one type (panels refer to `${name}`). */
export function datasourceVariable(name: string, kind: DatasourceKind, label: string): dashboard.DatasourceVariableBuilder {
  const { dashboard } = sdk();
  return new dashboard.DatasourceVariableBuilder(name).label(label).type(kind);
}

/** A Prometheus query variable on the `${datasource}` variable (multi-select with "All" = `.+` unless `single`). */
export function queryVariable(name: string, label: string, query: string, single = false): dashboard.QueryVariableBuilder {
  const { dashboard } = sdk();
  const b = new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource({ type: DatasourceKind.PROMETHEUS, uid: '${datasource}' })
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (single) return b.multi(false).includeAll(false);
  return b.multi(true).includeAll(true).allValue('.+');
}

/** A link in the dashboard's header to another dashboard, keeping the time range and the variables. */
export function dashboardLink(title: string, uid: string, tooltip: string): dashboard.DashboardLinkBuilder {
  const { dashboard } = sdk();
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${uid}`)
    .tooltip(tooltip)
    .icon('dashboard')
    .asDropdown(false)
    .targetBlank(false)
    .includeVars(true)
    .keepTime(true);
}
