import { DatasourceEntry, entryInfo, renderDatasources } from './datasources-render';
import type { Grafana } from './grafana';
import { requireSecretKey, SecretEnv } from './secrets';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { DatasourceInfo, DatasourceKind, IDatasourceProvider } from '../core/interfaces';
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


/**
 * The datasources of a Grafana (`grafana.datasources`): stable UIDs, correlations wired by kind, and a
 * synth-time check that every correlation link points at a datasource of the same Grafana.
 */
export class GrafanaDatasources {
  /** @internal */
  public static _create(grafana: Grafana, env: SecretEnv): GrafanaDatasources {
    return new GrafanaDatasources(grafana, env);
  }

  private readonly entries: DatasourceEntry[] = [];

  private constructor(private readonly grafana: Grafana, private readonly env: SecretEnv) {
    addLgtmValidation(grafana, () => this.linkErrors());
  }

  /**
   * Provisions a backend of this app as a datasource, with a stable UID and correlations wired to the
   * other datasources by kind. Fails for a backend from another app and for a duplicate UID.
   */
  public add(provider: IDatasourceProvider, options: AddDatasourceOptions = {}): DatasourceInfo {
    const g = this.grafana;
    if (!provider || !provider.node || !provider.datasourceInfo) {
      fail(g, { problem: 'addDatasource() needs a datasource provider', received: show(provider === undefined ? undefined : '<object>'), expected: 'a construct implementing IDatasourceProvider (Prometheus, Alertmanager, Loki, ...)', fix: 'pass the backend construct, or use addExternalDatasource({ url, ... })' });
    }
    if (provider.node.root !== g.node.root) {
      fail(g, {
        problem: `datasource '${provider.node.path}' belongs to another app`,
        received: `a construct under app '${provider.node.root.node.id || '<root>'}' (Grafana is under '${g.node.root.node.id || '<root>'}')`,
        expected: 'a backend construct of the same App as the Grafana (its Service is emitted with it)',
        fix: 'create the backend in the same App, or add it with addExternalDatasource({ kind, name, uid, url })',
      });
    }
    const info = provider.datasourceInfo;
    this.addEntry({
      provider,
      uid: options.uid ?? info.uid,
      name: options.name,
      isDefault: options.isDefault,
      correlations: options.correlations ?? true,
      correlateWith: options.correlateWith,
      traceIdMatcher: options.traceIdMatcher,
    }, `datasource '${provider.node.path}'`);
    return entryInfo(this.entries[this.entries.length - 1]);
  }

  /** Provisions a datasource outside this app by URL. */
  public addExternal(props: ExternalDatasourceProps): DatasourceInfo {
    const g = this.grafana;
    if (!props.url || !/^https?:\/\/[^\s]+$/.test(props.url)) {
      fail(g, { problem: `external datasource '${props.name}' has no valid URL`, received: show(props.url), expected: 'an http(s) URL', fix: "set 'url'" });
    }
    if (!props.name) fail(g, { problem: 'external datasource has no name', received: show(props.name), expected: 'a display name', fix: "set 'name'" });
    if (props.basicAuthUser) requireSecretKey(g, `external datasource '${props.name}' basicAuthPassword`, props.basicAuthPassword);
    this.addEntry({
      external: props,
      uid: props.uid,
      isDefault: props.isDefault,
      correlations: props.correlations ?? true,
      correlateWith: props.correlateWith,
      traceIdMatcher: props.traceIdMatcher,
    }, `external datasource '${props.name}'`);
    return entryInfo(this.entries[this.entries.length - 1]);
  }

  /** Every datasource as dashboards see it (UIDs after overrides), in the order added. */
  public get all(): DatasourceInfo[] {
    return this.entries.map(entryInfo);
  }

  /** @internal The datasource a provider was added as, if it was. */
  public _infoOf(provider: IDatasourceProvider): DatasourceInfo | undefined {
    const e = this.entries.find((x) => x.provider === provider);
    return e ? entryInfo(e) : undefined;
  }

  /** @internal datasources.yaml (registers the Secret-backed variables it references). */
  public _file(): unknown {
    return renderDatasources(this.entries, this.env).file;
  }

  private addEntry(e: DatasourceEntry, what: string): void {
    const g = this.grafana;
    if (!e.uid || !/^[a-zA-Z0-9_-]{1,40}$/.test(e.uid)) {
      fail(g, { problem: `${what} has an invalid UID`, received: show(e.uid), expected: "at most 40 letters, digits, '-' or '_'", fix: "pass { uid: 'my-uid' }" });
    }
    const dup = this.entries.find((x) => x.uid === e.uid);
    if (dup) {
      fail(g, {
        problem: `duplicate datasource UID '${e.uid}'`,
        received: `${what} and ${dup.provider ? `datasource '${dup.provider.node.path}'` : `external datasource '${dup.external!.name}'`} both use it`,
        expected: 'a unique UID per datasource (dashboards and correlation links refer to it)',
        fix: "give one of them another UID: addDatasource(backend, { uid: 'prometheus-2' })",
      });
    }
    const name = entryInfo(e).name;
    if (this.entries.some((x) => entryInfo(x).name === name)) {
      fail(g, { problem: `duplicate datasource name '${name}'`, received: what, expected: 'a unique display name per datasource', fix: "pass { name: 'Other name' }" });
    }
    if (entryInfo(e).kind === DatasourceKind.PROMETHEUS && e.isDefault) {
      const other = this.entries.find((x) => x.isDefault);
      if (other) fail(g, { problem: 'two datasources are marked default', received: `${show(other.uid)} and ${show(e.uid)}`, expected: 'at most one default datasource', fix: "drop 'isDefault' from one of them" });
    }
    this.entries.push(e);
  }

  private linkErrors(): LgtmErrorDetails[] {
    const uids = new Set(this.all.map((d) => d.uid));
    const out: LgtmErrorDetails[] = [];
    for (const l of renderDatasources(this.entries, new SecretEnv()).links) {
      if (!uids.has(l.uid)) {
        out.push({
          problem: `datasource '${l.from}' links (${l.field}) to an unknown datasource UID '${l.uid}'`,
          received: show(l.uid),
          expected: `one of ${show([...uids])}`,
          fix: 'add the target datasource to this Grafana, or correct correlateWith',
        });
      }
    }
    return out;
  }
}
