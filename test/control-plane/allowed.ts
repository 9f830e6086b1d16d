/**
 * What the control-plane test accepts beyond "every object accepted without warnings": each entry names why.
 */

/** A warning the API server may give for an object, and why that is intended. */
export interface AllowedWarning {
  /** The dist/ folders it applies to (all when absent). */
  readonly folders?: string[];
  /** Matches the object, as `Kind namespace/name`. */
  readonly object: RegExp;
  /**
   * Only for objects in a namespace that the folder itself labels `pod-security.kubernetes.io/enforce:
   * privileged` (the node-agent namespaces of `Namespace.forNodeAgents()`).
   */
  readonly inPrivilegedNamespace?: boolean;
  /** Matches the warning text. */
  readonly warning: RegExp;
  readonly reason: string;
}

export const ALLOWED_WARNINGS: AllowedWarning[] = [
  {
    object: /^(DaemonSet|Pod) /,
    inPrivilegedNamespace: true,
    warning: /^would violate PodSecurity "restricted:v1\.28"/,
    reason: 'the node agents (node-exporter, log collection, eBPF) read the host, so their namespace enforces privileged'
      + ' and only warns at restricted, on purpose, so that every other deviation stays visible',
  },
  {
    object: /^DaemonSet /,
    inPrivilegedNamespace: true,
    warning: /^spec\.template\.metadata\.annotations\[container\.apparmor\.security\.beta\.kubernetes\.io\/[a-z0-9-]+\]: deprecated since v1\.30/,
    reason: 'the AppArmor annotation is kept because the output targets Kubernetes 1.28 and later, and the'
      + ' securityContext.appArmorProfile field only exists from 1.30; from 1.30 the annotation still applies',
  },
];

/** A namespace a folder uses without creating it, because the install it targets creates it. */
export interface PrerequisiteNamespace {
  readonly folders: string[];
  readonly namespace: string;
  readonly reason: string;
}

export const PREREQUISITE_NAMESPACES: PrerequisiteNamespace[] = [
  { folders: ['argocd'], namespace: 'argocd', reason: 'created by the Argo CD install that the Applications are for' },
];
