/**
 * The reference stack: what `npx projen render` writes into dist/reference/ and what the Argo CD
 * Application in dist/argocd/ syncs. Each component issue adds its part here until it is the full stack.
 */
import { App, Chart } from 'cdk8s';
import { kubeObject } from '../src/core/kube';

export const REFERENCE_NAMESPACE = 'monitoring';

export function buildReferenceStack(app: App): void {
  const ns = new Chart(app, '00-namespace');
  kubeObject(ns, 'Namespace', 'v1', 'Namespace', {
    name: REFERENCE_NAMESPACE,
    labels: {
      'app.kubernetes.io/part-of': 'cdk8s-lgtm',
      // Enforce Pod Security "restricted" on the stack namespace; node-exporter and the log collectors
      // that need host access run in their own privileged namespace (see docs/ARCHITECTURE.md).
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
    },
  }, {});
}
