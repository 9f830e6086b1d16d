import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';

/**
 * Mimir's tenancy, set explicitly: it decides `multitenancy_enabled` (on by default upstream). With
 * multi-tenancy on, every client must send `X-Scope-OrgID` or Mimir answers "no org id" (mimir#2030);
 * the construct hands its tenant to every writer (`IRemoteWriteTarget.remoteWriteTenantId`: Prometheus
 * remote write, Alloy, the OpenTelemetry Collector) and to Grafana (`datasourceInfo.tenantId`), so all
 * of them send the same one. The same shape as `LokiTenancy`.
 */
export class MimirTenancy {
  /** One implicit tenant (`multitenancy_enabled: false`; Mimir stores everything as tenant `anonymous`). */
  public static single(): MimirTenancy {
    return new MimirTenancy(false, undefined);
  }

  /**
   * Multi-tenancy (`multitenancy_enabled: true`). `defaultTenantId` is the tenant the library's own
   * writers and the Grafana datasource send.
   */
  public static multi(defaultTenantId: string): MimirTenancy {
    return new MimirTenancy(true, defaultTenantId);
  }

  /** Whether `multitenancy_enabled` is on. */
  public readonly multitenancyEnabled: boolean;
  /** The tenant writers and Grafana send (multi-tenancy only). */
  public readonly tenantId?: string;

  private constructor(enabled: boolean, tenantId: string | undefined) {
    this.multitenancyEnabled = enabled;
    this.tenantId = tenantId;
  }
}

/**
 * Tenant-id rules of Mimir 3.1 ("About Grafana Mimir tenant IDs"; dskit `tenant.ValidTenantID`):
 * at most 150 bytes of `[A-Za-z0-9!-_.*'()]`, not `.` or `..`, and not the reserved `__mimir_cluster`.
 */
const TENANT_CHARS = /^[A-Za-z0-9!\-_.*'()]+$/;
const MAX_TENANT_LENGTH = 150;
const RESERVED = ['.', '..', '__mimir_cluster'];

/** Fails unless Mimir accepts `tenant` as a tenant id. */
export function validateMimirTenantId(scope: IConstruct, prop: string, tenant: string): string {
  let why: string | undefined;
  if (typeof tenant !== 'string' || tenant.length === 0) {
    why = 'it is empty';
  } else if (tenant.length > MAX_TENANT_LENGTH) {
    why = `it is ${tenant.length} characters long (max ${MAX_TENANT_LENGTH})`;
  } else if (RESERVED.includes(tenant)) {
    why = `${show(tenant)} is reserved`;
  } else if (!TENANT_CHARS.test(tenant)) {
    const bad = [...new Set([...tenant].filter((c) => !TENANT_CHARS.test(c)))].join('');
    why = `it contains characters Mimir rejects: ${show(bad)}`;
  }
  if (why) {
    fail(scope, {
      problem: `'${prop}' is not a tenant id Mimir accepts: ${why}`,
      received: show(tenant),
      expected: "1-150 characters of letters, digits and ! - _ . * ' ( ), not '.', '..' or '__mimir_cluster'",
      fix: "choose a tenant id such as 'team-a' (Mimir rejects every request from an invalid tenant)",
    });
  }
  return tenant;
}
