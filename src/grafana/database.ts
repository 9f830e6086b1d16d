import { SecretKeyReference } from '../prometheus/common';

/** Options for `GrafanaDatabase.postgres`. */
export interface GrafanaPostgresOptions {
  /** Host name of the PostgreSQL server, e.g. `grafana-db.databases.svc`. */
  readonly host: string;
  /**
   * Port.
   * @default 5432
   */
  readonly port?: number;
  /** Database name. */
  readonly name: string;
  /** User name. */
  readonly user: string;
  /** The key of an existing Secret holding the password (passed as `GF_DATABASE_PASSWORD`). */
  readonly passwordSecret: SecretKeyReference;
  /**
   * `ssl_mode` (`disable`, `require`, `verify-full`).
   * @default 'require'
   */
  readonly sslMode?: string;
}

/**
 * Where Grafana keeps its state. SQLite on a PVC (one replica, Recreate strategy) or an external
 * PostgreSQL (the only option that allows several replicas).
 */
export class GrafanaDatabase {
  /** SQLite on a PersistentVolumeClaim mounted at /var/lib/grafana (sized by the Grafana's `storage` prop). */
  public static sqlite(): GrafanaDatabase {
    return new GrafanaDatabase('sqlite3', undefined);
  }

  /** An external PostgreSQL database; the password comes from an existing Secret. */
  public static postgres(options: GrafanaPostgresOptions): GrafanaDatabase {
    return new GrafanaDatabase('postgres', options);
  }

  private constructor(
    /** `sqlite3` or `postgres`. */
    public readonly type: string,
    /** @internal */
    public readonly _postgres?: GrafanaPostgresOptions,
  ) {}

  /** Whether the database lives outside the pod (several replicas are possible). */
  public get external(): boolean {
    return this.type !== 'sqlite3';
  }
}
