/**
 * Loki's tenancy, set explicitly: it decides `auth_enabled`. With multi-tenancy on, every client must
 * send `X-Scope-OrgID` or Loki answers "no org id" (loki#9756); the construct hands the tenant to
 * collectors (`ILogsBackend.tenantId`) and to Grafana (`datasourceInfo.tenantId`) so they always do.
 */
export class LokiTenancy {
  /** One implicit tenant (`auth_enabled: false`; Loki stores everything as tenant `fake`). */
  public static single(): LokiTenancy {
    return new LokiTenancy(false, undefined);
  }

  /**
   * Multi-tenancy (`auth_enabled: true`). `defaultTenantId` is the tenant the library's own collectors
   * and the Grafana datasource use.
   */
  public static multi(defaultTenantId: string): LokiTenancy {
    return new LokiTenancy(true, defaultTenantId);
  }

  /** Whether `auth_enabled` is on. */
  public readonly authEnabled: boolean;
  /** The tenant collectors and Grafana send (multi-tenancy only). */
  public readonly tenantId?: string;

  private constructor(authEnabled: boolean, tenantId: string | undefined) {
    this.authEnabled = authEnabled;
    this.tenantId = tenantId;
  }
}
