import { IConstruct } from 'constructs';
import { fail } from './errors';

/** Kinds of Grafana datasource the library wires. */
export enum DatasourceKind {
  /** Prometheus (also Mimir, which speaks the Prometheus API). */
  PROMETHEUS = 'prometheus',
  /** Loki. */
  LOKI = 'loki',
  /** Tempo. */
  TEMPO = 'tempo',
  /** Pyroscope. */
  PYROSCOPE = 'grafana-pyroscope-datasource',
  /** Alertmanager (Prometheus or Mimir implementation). */
  ALERTMANAGER = 'alertmanager',
}

/** What Grafana needs to know about a backend to provision it as a datasource. */
export interface DatasourceInfo {
  /** The datasource type. */
  readonly kind: DatasourceKind;
  /** Display name, e.g. `Prometheus`. */
  readonly name: string;
  /** Stable UID; dashboards and correlation links refer to it. */
  readonly uid: string;
  /** In-cluster URL, computed from the emitted Service (never hand-typed). */
  readonly url: string;
  /** The Service this URL points at (`name.namespace`), for wiring checks. */
  readonly serviceName: string;
  /** Namespace of that Service. */
  readonly serviceNamespace: string;
  /** Port number of that Service the URL uses. */
  readonly servicePort: number;
  /**
   * Tenant to send as `X-Scope-OrgID` (Loki, Mimir, Tempo with tenancy on).
   * @default - no tenant header
   */
  readonly tenantId?: string;
  /**
   * For `ALERTMANAGER`: the implementation (`prometheus` or `mimir`); for `PROMETHEUS`: `prometheus` or `mimir`.
   * @default 'prometheus'
   */
  readonly implementation?: string;
}

/** A backend that Grafana can use as a datasource (`grafana.addDatasource(backend)`). */
export interface IDatasourceProvider extends IConstruct {
  /** Datasource description computed from the backend's emitted Service. */
  readonly datasourceInfo: DatasourceInfo;
}

/** A logs backend that collectors push to (Loki). */
export interface ILogsBackend extends IConstruct {
  /** The push URL, e.g. `http://loki.monitoring.svc:3100/loki/api/v1/push`. */
  readonly pushUrl: string;
  /**
   * Tenant collectors must send as `X-Scope-OrgID`.
   * @default - tenancy off, no header
   */
  readonly tenantId?: string;
}

/** A Prometheus remote-write receiver (Mimir, or a Prometheus with the receiver on). */
export interface IRemoteWriteTarget extends IConstruct {
  /** Remote-write URL computed from the emitted Service. */
  readonly remoteWriteUrl: string;
  /**
   * Tenant to send as `X-Scope-OrgID`.
   * @default - no header
   */
  readonly remoteWriteTenantId?: string;
}

/**
 * A long-term metrics store Prometheus writes into and Grafana queries (Mimir, or any
 * Prometheus-compatible store with a remote-write endpoint).
 */
export interface IMetricsStore extends IRemoteWriteTarget, IDatasourceProvider {}

/**
 * Fails unless `target` is an `IRemoteWriteTarget` (for callers that bypass the type system: jsii
 * languages, `any`). Returns it typed.
 * @internal
 */
export function requireRemoteWriteTarget(scope: IConstruct, what: string, target: unknown): IRemoteWriteTarget {
  const ok = target !== null && typeof target === 'object' && 'remoteWriteUrl' in (target as object);
  if (!ok) {
    const t = target as IConstruct | undefined;
    fail(scope, {
      problem: `${what} is not a remote-write target`,
      received: t?.node?.path ?? String(target),
      expected: 'an IRemoteWriteTarget: a Mimir, or a Prometheus with enableRemoteWriteReceiver',
      fix: 'pass the Mimir (or Prometheus) the samples should go to',
    });
  }
  return target as IRemoteWriteTarget;
}

/**
 * A dashboard Grafana provisions from a file (`grafana.addDashboard(d)`).
 * Implemented by `GrafanaDashboard` (src/dashboards); consumed by `Grafana` (src/grafana).
 */
export interface IDashboard extends IConstruct {
  /** Stable dashboard UID (at most 40 chars). */
  readonly uid: string;
  /** Title. */
  readonly title: string;
  /** Folder it is provisioned into. */
  readonly folder: string;
  /**
   * Renders the dashboard JSON with every datasource reference resolved to the UID of one of
   * `datasources` (the datasources of the Grafana it is added to). Fails at synth, with the library's
   * error message, when a reference matches none of them or a query does not parse.
   */
  renderJson(datasources: DatasourceInfo[]): string;
}

/** A logs backend with a native OTLP endpoint (Loki 3.x: `/otlp/v1/logs`). */
export interface IOtlpLogsBackend extends ILogsBackend {
  /** OTLP/HTTP base URL (the exporter appends `/v1/logs`), e.g. `http://loki.monitoring.svc:3100/otlp`. */
  readonly otlpLogsUrl: string;
}

/** A traces backend that collectors send OTLP to (Tempo). */
export interface ITracesBackend extends IConstruct {
  /** OTLP/gRPC `host:port`, e.g. `tempo.monitoring.svc:4317`. */
  readonly otlpGrpcAddress: string;
  /** OTLP/HTTP base URL (exporters append `/v1/traces`), e.g. `http://tempo.monitoring.svc:4318`. */
  readonly otlpHttpUrl: string;
  /**
   * Tenant to send as `X-Scope-OrgID`.
   * @default - no header
   */
  readonly tracesTenantId?: string;
}

/** A profiles backend that collectors push to (Pyroscope). */
export interface IProfilesBackend extends IConstruct {
  /** Push base URL, e.g. `http://pyroscope.monitoring.svc:4040`. */
  readonly profilesPushUrl: string;
}
