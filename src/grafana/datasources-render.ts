import { DatasourceCorrelations, ExternalDatasourceProps, TraceIdMatcher } from './datasources';
import { SecretEnv } from './secrets';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider } from '../core/interfaces';

/** One datasource of a Grafana (internal). */
export interface DatasourceEntry {
  readonly provider?: IDatasourceProvider;
  readonly external?: ExternalDatasourceProps;
  readonly uid: string;
  readonly name?: string;
  readonly isDefault?: boolean;
  readonly correlations: boolean;
  readonly correlateWith?: DatasourceCorrelations;
  readonly traceIdMatcher?: TraceIdMatcher;
}

/** The datasource as Grafana (and dashboards) see it: the provider's info with the overrides applied. */
export function entryInfo(e: DatasourceEntry): DatasourceInfo {
  if (e.provider) {
    const i = e.provider.datasourceInfo;
    return { ...i, uid: e.uid, name: e.name ?? i.name };
  }
  const x = e.external!;
  const port = /^[a-z]+:\/\/[^/:]+:(\d+)/.exec(x.url);
  return {
    kind: x.kind,
    name: x.name,
    uid: x.uid,
    url: x.url,
    serviceName: '',
    serviceNamespace: '',
    servicePort: port ? Number(port[1]) : 0,
    tenantId: x.tenantId,
    implementation: x.implementation,
  };
}

/** A correlation link found in the rendered provisioning (for the synth-time check). */
export interface DatasourceLink {
  readonly from: string;
  readonly field: string;
  readonly uid: string;
}

/** Rendered datasources file plus the links it contains. */
export interface RenderedDatasources {
  readonly file: Record<string, unknown>;
  readonly links: DatasourceLink[];
}

// Traces-to-metrics queries over Tempo's metrics-generator span metrics. `$__tags` is Grafana's macro
// (escaped to `$$__tags` in the file by escapeProvisioning).
const SPAN_METRICS_QUERIES = [
  { name: 'Request rate', query: 'sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags}[5m]))' },
  { name: 'Error rate', query: 'sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags,status_code="STATUS_CODE_ERROR"}[5m]))' },
  { name: 'p95 latency', query: 'histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))' },
];

/**
 * Renders the datasource provisioning file (Grafana 13.1 `apiVersion: 1`, `datasources:`) with
 * correlation settings wired from the datasources' kinds. Keys follow Grafana's datasource
 * provisioning reference (Prometheus `exemplarTraceIdDestinations`, Loki `derivedFields`, Tempo
 * `tracesToLogsV2`/`tracesToMetrics`/`serviceMap`/`tracesToProfiles`).
 */
export function renderDatasources(entries: DatasourceEntry[], env: SecretEnv): RenderedDatasources {
  const infos = entries.map(entryInfo);
  const links: DatasourceLink[] = [];
  const firstOf = (kind: DatasourceKind): string | undefined => infos.find((i) => i.kind === kind)?.uid;
  const defaultMetrics = (): string | undefined => {
    const idx = entries.findIndex((e, n) => infos[n].kind === DatasourceKind.PROMETHEUS && e.isDefault);
    return idx >= 0 ? infos[idx].uid : firstOf(DatasourceKind.PROMETHEUS);
  };
  const hasDefault = entries.some((e) => e.isDefault);
  const firstPromIdx = infos.findIndex((i) => i.kind === DatasourceKind.PROMETHEUS);

  const datasources = entries.map((e, n) => {
    const info = infos[n];
    const on = e.correlations;
    const c = e.correlateWith ?? {};
    const link = (field: string, uid: string | undefined): string | undefined => {
      if (uid === undefined) return undefined;
      links.push({ from: info.uid, field, uid });
      return uid;
    };
    const usesTraces = info.kind === DatasourceKind.PROMETHEUS || info.kind === DatasourceKind.LOKI;
    const traces = on && usesTraces ? link(info.kind === DatasourceKind.LOKI ? 'derivedFields' : 'exemplarTraceIdDestinations', c.tracesUid ?? firstOf(DatasourceKind.TEMPO)) : undefined;
    const jsonData: Record<string, unknown> = {};
    const secureJsonData: Record<string, unknown> = {};

    switch (info.kind) {
      case DatasourceKind.PROMETHEUS:
        jsonData.httpMethod = 'POST';
        jsonData.prometheusType = info.implementation === 'mimir' ? 'Mimir' : 'Prometheus';
        if (traces) jsonData.exemplarTraceIdDestinations = [{ name: 'trace_id', datasourceUid: traces }];
        break;
      case DatasourceKind.LOKI: {
        jsonData.maxLines = 1000;
        if (traces) {
          const m = e.traceIdMatcher ?? TraceIdMatcher.structuredMetadata();
          jsonData.derivedFields = [{
            name: 'TraceID',
            matcherType: m.matcherType,
            matcherRegex: m.matcherRegex,
            datasourceUid: traces,
            url: '${__value.raw}',
            urlDisplayLabel: 'View trace',
          }];
        }
        break;
      }
      case DatasourceKind.TEMPO: {
        if (!on) break;
        const logs = link('tracesToLogsV2', c.logsUid ?? firstOf(DatasourceKind.LOKI));
        const metrics = c.metricsUid ?? defaultMetrics();
        const profiles = link('tracesToProfiles', c.profilesUid ?? firstOf(DatasourceKind.PYROSCOPE));
        if (logs) {
          jsonData.tracesToLogsV2 = {
            datasourceUid: logs,
            spanStartTimeShift: '-2m',
            spanEndTimeShift: '2m',
            filterByTraceID: true,
            filterBySpanID: false,
            customQuery: false,
            tags: [{ key: 'service.name', value: 'service_name' }, { key: 'k8s.namespace.name', value: 'namespace' }],
          };
        }
        if (metrics) {
          link('tracesToMetrics', metrics);
          link('serviceMap', metrics);
          jsonData.tracesToMetrics = {
            datasourceUid: metrics,
            spanStartTimeShift: '-2m',
            spanEndTimeShift: '2m',
            tags: [{ key: 'service.name', value: 'service' }],
            queries: SPAN_METRICS_QUERIES,
          };
          jsonData.serviceMap = { datasourceUid: metrics };
        }
        if (profiles) {
          jsonData.tracesToProfiles = {
            datasourceUid: profiles,
            profileTypeId: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
            customQuery: false,
            tags: [{ key: 'service.name', value: 'service_name' }],
          };
        }
        jsonData.nodeGraph = { enabled: true };
        break;
      }
      case DatasourceKind.ALERTMANAGER:
        jsonData.implementation = info.implementation ?? 'prometheus';
        jsonData.handleGrafanaManagedAlerts = false;
        break;
      default:
        break;
    }
    if (info.tenantId) {
      jsonData.httpHeaderName1 = 'X-Scope-OrgID';
      secureJsonData.httpHeaderValue1 = info.tenantId;
    }
    const x = e.external;
    if (x?.basicAuthUser && x.basicAuthPassword) secureJsonData.basicAuthPassword = env.ref(x.basicAuthPassword);
    const isDefault = e.isDefault ?? (!hasDefault && n === firstPromIdx);
    return {
      name: info.name,
      uid: info.uid,
      type: info.kind,
      access: 'proxy',
      orgId: 1,
      url: info.url,
      isDefault,
      editable: false,
      ...(x?.basicAuthUser ? { basicAuth: true, basicAuthUser: x.basicAuthUser } : {}),
      ...(Object.keys(jsonData).length > 0 ? { jsonData } : {}),
      ...(Object.keys(secureJsonData).length > 0 ? { secureJsonData } : {}),
    };
  });
  return { file: { apiVersion: 1, datasources }, links };
}
