/**
 * What the control-plane test accepts beyond "every object accepted without warnings": each entry names why.
 */

/** A warning the API server may give for an object, and why that is intended. */
export interface AllowedWarning {
  /** The dist/ folders it applies to (all when absent). */
  readonly folders?: string[];
  /** Matches the object, as `Kind namespace/name`. */
  readonly object: RegExp;
  /** Matches the warning text. */
  readonly warning: RegExp;
  readonly reason: string;
}

export const ALLOWED_WARNINGS: AllowedWarning[] = [
  {
    object: /^(DaemonSet|Pod) monitoring-agents\//,
    warning: /^would violate PodSecurity "restricted:v1\.28"/,
    reason: 'the node agents (node-exporter, log collection) read the host, so monitoring-agents enforces privileged'
      + ' and only warns at restricted, on purpose, so that every other deviation stays visible',
  },
  {
    object: /^(DaemonSet|Pod) (lgtm-agents|plgt-agents)\//,
    warning: /^would violate PodSecurity "restricted:v1\.28"/,
    reason: 'the node-agent namespaces of dist/minikube (node-exporter, log DaemonSet) and dist/promtail-legacy (Promtail'
      + ' reads host files), labelled like monitoring-agents: privileged enforced, restricted warned',
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
