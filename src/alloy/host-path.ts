import * as path from 'path';
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';

/**
 * Validates a host path used for agent state (positions, WAL) or for log files: absolute, normalised,
 * not the root, and — for state — not on a tmpfs/ephemeral location (`/tmp`, `/run`, `/var/run`,
 * `/dev/shm`), where a node reboot loses the read positions and logs are shipped twice or lost.
 * Shared by AlloyLogs and Promtail (internal).
 */
export function validateHostPath(scope: IConstruct, prop: string, p: string, durable: boolean): string {
  const normalised = path.posix.normalize(p);
  if (p === '/') {
    fail(scope, {
      problem: `'${prop}' is the host root directory`,
      received: show(p),
      expected: 'a dedicated directory',
      fix: 'use a dedicated directory such as "/var/lib/alloy/alloy-logs"',
    });
  }
  if (!p.startsWith('/') || p.includes('\0') || normalised !== p.replace(/\/+$/, '') || /(^|\/)\.\.?(\/|$)/.test(p)) {
    fail(scope, {
      problem: `'${prop}' is not an absolute, normalised host path`,
      received: show(p),
      expected: 'an absolute path without "." or ".." segments or a trailing slash, e.g. "/var/lib/alloy/alloy-logs"',
      fix: p.startsWith('/') ? `use ${show(normalised.replace(/\/+$/, ''))}` : `use an absolute path, e.g. ${show('/' + p.replace(/^\.?\/*/, ''))}`,
    });
  }
  if (durable && /^\/(tmp|run|var\/run|var\/tmp|dev\/shm)(\/|$)/.test(p)) {
    fail(scope, {
      problem: `'${prop}' is on an ephemeral host directory: positions and WAL would be lost on reboot (logs shipped twice or dropped)`,
      received: show(p),
      expected: 'a directory on the node\'s persistent disk, e.g. under /var/lib',
      fix: 'use a path under /var/lib, e.g. "/var/lib/alloy/alloy-logs"',
    });
  }
  return p;
}
