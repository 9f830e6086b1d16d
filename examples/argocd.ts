/**
 * Argo CD Applications that sync the committed dist/ folders. Rendered into dist/argocd/ so users can
 * `kubectl apply --server-side -f dist/argocd/` once in the argocd namespace.
 *
 * Requires Argo CD 3.x (annotation-based resource tracking, the default since 3.0). With label tracking,
 * Argo CD would overwrite `app.kubernetes.io/instance`, which our ServiceMonitors select Services by.
 */
import { App, Chart } from 'cdk8s';
import { Application } from '../src/imports/argocd-applications-argoproj.io';

export const REPO_URL = 'https://github.com/cdk8s-lgtm/cdk8s-lgtm.git';

export function buildArgoCdApplications(app: App): void {
  const chart = new Chart(app, 'applications');
  new Application(chart, 'reference', {
    metadata: { name: 'lgtm-reference', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoUrl: REPO_URL, targetRevision: 'main', path: 'dist/reference' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'monitoring' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // The prometheus-operator CRDs exceed the 262,144-byte annotation limit of client-side apply.
        syncOptions: ['ServerSideApply=true', 'CreateNamespace=false'],
      },
    },
  });
}
