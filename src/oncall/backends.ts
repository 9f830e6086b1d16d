import { ResourcePreset } from '../core/resources';
import { SecretKeyReference } from '../prometheus/common';

/** Options of `OnCallDatabase.postgres` and `OnCallDatabase.mysql`: a database the engine reaches, never one the library runs. */
export interface OnCallDatabaseOptions {
  /** Host name or IPv4 address of the server, e.g. `oncall-db.databases.svc`. */
  readonly host: string;
  /**
   * Port.
   * @default - 5432 for PostgreSQL, 3306 for MySQL
   */
  readonly port?: number;
  /**
   * Database name (the migration creates the tables in it; the database itself must exist).
   * @default 'oncall'
   */
  readonly databaseName?: string;
  /** User name. */
  readonly user: string;
  /** The key of an existing Secret holding the password (`DATABASE_PASSWORD`). */
  readonly passwordSecret: SecretKeyReference;
  /**
   * Driver options (`DATABASE_OPTIONS`, e.g. `{ sslmode: 'require' }` for PostgreSQL).
   * @default - none
   */
  readonly options?: { [key: string]: string };
}

/**
 * The database of `GrafanaOnCall`, by reference: PostgreSQL or MySQL, run elsewhere (a managed database,
 * an operator such as CloudNativePG). The library bundles none.
 */
export class OnCallDatabase {
  /** A PostgreSQL database (`DATABASE_TYPE=postgresql`). */
  public static postgres(options: OnCallDatabaseOptions): OnCallDatabase {
    return new OnCallDatabase('postgresql', 5432, options);
  }

  /** A MySQL 8 database (`DATABASE_TYPE=mysql`, utf8mb4). */
  public static mysql(options: OnCallDatabaseOptions): OnCallDatabase {
    return new OnCallDatabase('mysql', 3306, options);
  }

  private constructor(
    /** `postgresql` or `mysql` (OnCall's `DATABASE_TYPE`). */
    public readonly type: string,
    /** @internal */
    public readonly _defaultPort: number,
    /** @internal */
    public readonly _options: OnCallDatabaseOptions,
  ) {}
}

/** Options of `OnCallRedis.inCluster`. */
export interface OnCallInClusterRedisOptions {
  /**
   * The key of an existing Secret holding the password Redis requires (`--requirepass`) and the engine
   * sends. Use a URL-safe value (`openssl rand -hex 24`): OnCall puts it in a `redis://` URI unescaped.
   */
  readonly passwordSecret: SecretKeyReference;
  /**
   * Redis image (a registry mirror).
   * @default Images.REDIS
   */
  readonly image?: string;
  /**
   * CPU and memory of the Redis container.
   * @default - 50m CPU, 256Mi memory
   */
  readonly resources?: ResourcePreset;
}

/** Options of `OnCallRedis.external`. */
export interface OnCallExternalRedisOptions {
  /** Host name or IPv4 address, e.g. `redis.cache.svc`. */
  readonly host: string;
  /**
   * Port.
   * @default 6379
   */
  readonly port?: number;
  /**
   * Database number.
   * @default 0
   */
  readonly database?: number;
  /**
   * ACL user name.
   * @default - none (the `default` user)
   */
  readonly username?: string;
  /** The key of an existing Secret holding the password (URL-safe: OnCall puts it in a URI unescaped). */
  readonly passwordSecret: SecretKeyReference;
  /**
   * Connect with TLS (`rediss://`, `REDIS_USE_SSL`).
   * @default false
   */
  readonly tls?: boolean;
}

/**
 * The Redis of `GrafanaOnCall` (celery broker and cache): a small StatefulSet with a PVC rendered by the
 * construct, or an existing Redis by reference. Both need a password from a Secret; there is no default.
 */
export class OnCallRedis {
  /**
   * A single-pod Redis StatefulSet `<name>-redis` with an append-only file on a PVC (the `storage` prop of
   * the `GrafanaOnCall`, default 2 GiB).
   */
  public static inCluster(options: OnCallInClusterRedisOptions): OnCallRedis {
    return new OnCallRedis(true, options.passwordSecret, undefined, options);
  }

  /** An existing Redis. */
  public static external(options: OnCallExternalRedisOptions): OnCallRedis {
    return new OnCallRedis(false, options.passwordSecret, options, undefined);
  }

  private constructor(
    /** True when the construct renders the Redis (a StatefulSet `<name>-redis`). */
    public readonly rendered: boolean,
    /** @internal */
    public readonly _passwordSecret: SecretKeyReference,
    /** @internal */
    public readonly _external: OnCallExternalRedisOptions | undefined,
    /** @internal */
    public readonly _inCluster: OnCallInClusterRedisOptions | undefined,
  ) {}
}
