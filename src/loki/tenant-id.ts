import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';

/** Tenant-id rules of Loki 3.7.6 (dskit `tenant.ValidTenantID`): at most 150 of `[A-Za-z0-9!-_.*'()]`, not `.` or `..`. */
const TENANT_CHARS = /^[A-Za-z0-9!\-_.*'()]+$/;
export const MAX_TENANT_LENGTH = 150;

/** Fails unless Loki accepts `tenant` as a tenant id. */
export function validateTenantId(scope: IConstruct, prop: string, tenant: string): string {
  let why: string | undefined;
  if (tenant.length === 0) {why = 'it is empty';} else if (tenant.length > MAX_TENANT_LENGTH) {why = `it is ${tenant.length} characters long (max ${MAX_TENANT_LENGTH})`;} else if (tenant === '.' || tenant === '..') {why = "'.' and '..' are reserved";} else if (!TENANT_CHARS.test(tenant)) {
    const bad = [...new Set([...tenant].filter((c) => !TENANT_CHARS.test(c)))].join('');
    why = `it contains characters Loki rejects: ${show(bad)}`;
  }
  if (why) {
    fail(scope, {
      problem: `'${prop}' is not a tenant id Loki accepts: ${why}`,
      received: show(tenant),
      expected: "1-150 characters of letters, digits and ! - _ . * ' ( ), not '.' or '..'",
      fix: "choose a tenant id such as 'team-a' (Loki answers 400 to every request from an invalid tenant)",
    });
  }
  return tenant;
}
