import { DatasourceKind } from '../core/interfaces';
import { SecretKeyReference } from '../prometheus/common';

/** How the Loki datasource finds a trace ID in a log line (for the link to Tempo). */
export class TraceIdMatcher {
  /**
   * A label or structured-metadata key (`matcherType: label`), e.g. `trace_id` attached by OTLP
   * ingestion or Alloy. Survives changes of the log line format.
   */
  public static structuredMetadata(key: string = 'trace_id'): TraceIdMatcher {
    return new TraceIdMatcher('label', key);
  }

  /** A regular expression with one capture group over the log line, e.g. `traceID=(\w+)`. */
  public static regex(pattern: string): TraceIdMatcher {
    return new TraceIdMatcher('regex', pattern);
  }

  /** A field of JSON log lines, e.g. `"trace_id":"abc..."`. */
  public static jsonField(field: string = 'trace_id'): TraceIdMatcher {
    return new TraceIdMatcher('regex', `"${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*"(\\w+)"`);
  }

  private constructor(
    /** `label` or `regex`. */
    public readonly matcherType: string,
    /** The label key or the regular expression. */
    public readonly matcherRegex: string,
  ) {}
}

/**
 * Correlation targets given by UID (for external datasources, or to override the automatic choice).
 * Every UID must belong to a datasource of the same Grafana (checked at synth).
 */
export interface DatasourceCorrelations {
  /**
   * Logs datasource (Loki) for Tempo's traces-to-logs.
   * @default - the first Loki datasource
   */
  readonly logsUid?: string;
  /**
   * Metrics datasource (Prometheus/Mimir) for traces-to-metrics and the service map.
   * @default - the default Prometheus datasource, else the first one
   */
  readonly metricsUid?: string;
  /**
   * Traces datasource (Tempo) for Loki derived fields and Prometheus exemplars.
   * @default - the first Tempo datasource
   */
  readonly tracesUid?: string;
  /**
   * Profiles datasource (Pyroscope) for traces-to-profiles.
   * @default - the first Pyroscope datasource
   */
  readonly profilesUid?: string;
}

/** Options for `grafana.addDatasource`. */
export interface AddDatasourceOptions {
  /**
   * UID override (letters, digits, '-' and '_', at most 40 chars).
   * @default - `provider.datasourceInfo.uid`
   */
  readonly uid?: string;
  /**
   * Display name override.
   * @default - `provider.datasourceInfo.name`
   */
  readonly name?: string;
  /**
   * Make this the default datasource.
   * @default - true for the first Prometheus datasource added
   */
  readonly isDefault?: boolean;
  /**
   * Wire correlations (exemplars, derived fields, traces-to-logs/metrics/profiles) to the other
   * datasources of this Grafana.
   * @default true
   */
  readonly correlations?: boolean;
  /**
   * Explicit correlation targets.
   * @default - chosen from the datasources of this Grafana by kind
   */
  readonly correlateWith?: DatasourceCorrelations;
  /**
   * For Loki: where the trace ID is found.
   * @default TraceIdMatcher.structuredMetadata('trace_id')
   */
  readonly traceIdMatcher?: TraceIdMatcher;
}

/** A datasource outside this app, by URL. */
export interface ExternalDatasourceProps {
  /** Datasource type. */
  readonly kind: DatasourceKind;
  /** Display name. */
  readonly name: string;
  /** Stable UID. */
  readonly uid: string;
  /** URL, e.g. `https://mimir.example.com/prometheus`. */
  readonly url: string;
  /**
   * Tenant sent as `X-Scope-OrgID`.
   * @default - no tenant header
   */
  readonly tenantId?: string;
  /**
   * `prometheus` or `mimir` (for PROMETHEUS and ALERTMANAGER).
   * @default 'prometheus'
   */
  readonly implementation?: string;
  /**
   * Make this the default datasource.
   * @default false
   */
  readonly isDefault?: boolean;
  /**
   * Basic-auth user.
   * @default - no basic auth
   */
  readonly basicAuthUser?: string;
  /**
   * Secret key holding the basic-auth password (required with `basicAuthUser`).
   * @default - no basic auth
   */
  readonly basicAuthPassword?: SecretKeyReference;
  /**
   * Wire correlations.
   * @default true
   */
  readonly correlations?: boolean;
  /**
   * Explicit correlation targets.
   * @default - chosen by kind
   */
  readonly correlateWith?: DatasourceCorrelations;
  /**
   * For Loki: where the trace ID is found.
   * @default TraceIdMatcher.structuredMetadata('trace_id')
   */
  readonly traceIdMatcher?: TraceIdMatcher;
}

