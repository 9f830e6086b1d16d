/**
 * Pod Security Standards levels, and the lowest level a pod spec satisfies: the rules of
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ that a rendered spec can break.
 */

/** A Pod Security Standards level (`pod-security.kubernetes.io/enforce`). */
export enum PodSecurityLevel {
  /** Unrestricted: host namespaces, host paths, privileged containers. Only for node agents. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations (no host namespaces or host paths). */
  BASELINE = 'baseline',
  /** Hardened: non-root, seccomp, all capabilities dropped, no privilege escalation. */
  RESTRICTED = 'restricted',
}

const ORDER = [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED];

/** True when a namespace enforcing `enforced` admits a pod that needs `needed`. */
export function admits(enforced: PodSecurityLevel, needed: PodSecurityLevel): boolean {
  return ORDER.indexOf(enforced) <= ORDER.indexOf(needed);
}

/** Capabilities "baseline" allows to add. */
const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** Volume types "restricted" allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** The strictest level a pod spec meets, and why it does not meet the stricter ones. */
export interface PodSecurityAssessment {
  /** The strictest level the spec satisfies. */
  readonly level: PodSecurityLevel;
  /** What keeps it below "restricted" (and below "baseline"), for error messages. */
  readonly reasons: string[];
}

/** Assesses a rendered pod spec (JSON as emitted). */
export function assessPodSpec(spec: any): PodSecurityAssessment {
  const baseline: string[] = [];
  const restricted: string[] = [];
  if (!spec || typeof spec !== 'object') return { level: PodSecurityLevel.RESTRICTED, reasons: [] };
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) baseline.push(`${f}: true`);
  for (const v of spec.volumes ?? []) {
    if (v.hostPath) baseline.push(`hostPath volume ${v.name} (${v.hostPath.path})`);
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type) && !v.hostPath) restricted.push(`${type} volume ${v.name}`);
  }
  const podSc = spec.securityContext ?? {};
  const seccompType = (sc: any) => sc?.seccompProfile?.type;
  if (seccompType(podSc) === 'Unconfined') baseline.push('pod seccompProfile Unconfined');
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const who = `container ${c.name}`;
    if (sc.privileged) baseline.push(`${who}: privileged`);
    for (const p of c.ports ?? []) if (p.hostPort) baseline.push(`${who}: hostPort ${p.hostPort}`);
    const added: string[] = sc.capabilities?.add ?? [];
    for (const cap of added) if (!BASELINE_CAPS.has(cap)) baseline.push(`${who}: adds capability ${cap}`);
    if (seccompType(sc) === 'Unconfined') baseline.push(`${who}: seccompProfile Unconfined`);
    if (sc.allowPrivilegeEscalation !== false) restricted.push(`${who}: allowPrivilegeEscalation is not false`);
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) restricted.push(`${who}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) restricted.push(`${who}: runs as UID 0`);
    const seccomp = seccompType(sc) ?? seccompType(podSc);
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') restricted.push(`${who}: seccompProfile is not RuntimeDefault`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) restricted.push(`${who}: does not drop ALL capabilities`);
    for (const cap of added) if (cap !== 'NET_BIND_SERVICE') restricted.push(`${who}: adds capability ${cap}`);
  }
  if (baseline.length > 0) return { level: PodSecurityLevel.PRIVILEGED, reasons: [...baseline, ...restricted] };
  if (restricted.length > 0) return { level: PodSecurityLevel.BASELINE, reasons: restricted };
  return { level: PodSecurityLevel.RESTRICTED, reasons: [] };
}

/** The pod spec of a rendered workload object (Pod, Deployment, DaemonSet, StatefulSet, Job, CronJob...). */
export function podSpecOf(json: any): any | undefined {
  if (!json || typeof json !== 'object') return undefined;
  if (json.kind === 'Pod') return json.spec;
  if (json.kind === 'CronJob') return json.spec?.jobTemplate?.spec?.template?.spec;
  return json.spec?.template?.spec;
}
