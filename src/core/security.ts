import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * Pod Security Standards "restricted" defaults.
 *
 * Every workload the library emits uses these unless it has a documented exception (see
 * docs/ARCHITECTURE.md, "Security exceptions"): node-exporter (host network/PID and read-only host
 * paths), the Alloy log DaemonSet (a hostPath for its positions, and a root init container with only
 * CHOWN; Alloy itself runs as UID 473) and Promtail (read-only host log paths, root to read them).
 */
export const RESTRICTED_UID = 65534;

/** Pod-level security context for the "restricted" profile. */
export function restrictedPodSecurityContext(uid: number = RESTRICTED_UID, fsGroup?: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: fsGroup ?? uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context for the "restricted" profile. */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
