import { LgtmErrorDetails, show } from './errors';
import { ILogsBackend } from './interfaces';

/** Tenant names Loki accepts (X-Scope-OrgID): at most 150 of these characters, not "." or "..". */
const TENANT = /^[A-Za-z0-9!._*'()-]{1,150}$/;

/**
 * The checks every log collector runs on its destinations at synth (Alloy, Promtail, and the collectors
 * that follow): at least one destination, an http(s) push URL, a tenant Loki accepts.
 */
export function logsDestinationErrors(collector: string, destinations: ILogsBackend[], addCall: string): LgtmErrorDetails[] {
  const out: LgtmErrorDetails[] = [];
  if (destinations.length === 0) {
    out.push({
      problem: `${collector} has no logs destination: it would collect logs and send them nowhere`,
      received: 'no addLogsDestination() call',
      expected: 'at least one logs backend',
      fix: `call ${addCall}`,
    });
  }
  for (const d of destinations) {
    const url = d.pushUrl;
    if (!/^https?:\/\/[^/\s]+\/\S*$/.test(url)) {
      out.push({ problem: `logs destination '${d.node.path}' has an invalid push URL`, received: show(url), expected: 'an http(s) URL such as http://loki.monitoring.svc:3100/loki/api/v1/push', fix: 'check the backend\'s pushUrl' });
    }
    const t = d.tenantId;
    if (t !== undefined && (!TENANT.test(t) || t === '.' || t === '..')) {
      out.push({ problem: `logs destination '${d.node.path}' has a tenant Loki rejects`, received: show(t), expected: 'at most 150 of A-Z a-z 0-9 ! - _ . * \' ( ), not "." or ".."', fix: 'rename the tenant' });
    }
  }
  return out;
}
