/**
 * The Argo CD side of dist/: an app-of-apps. `dist/argocd/root.yaml` holds the root Application, applied
 * once by hand; it syncs `dist/argocd/applications.yaml`, which holds the `lgtm` AppProject and one child
 * Application per dist/ folder (derived from examples/app-list.ts, so a new folder gets its Application).
 *
 *   kubectl apply -n argocd -f dist/argocd/root.yaml
 *
 * A complete stack syncs in wave 0, an addition to a stack (it relies on the stack's CRDs and operator)
 * in wave 1. Requires Argo CD 3.x (annotation-based resource tracking, the default since 3.0): label
 * tracking would overwrite `app.kubernetes.io/instance`, which our ServiceMonitors select Services by.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { APP_LIST } from './app-list';
import { ArgoCdAppOfApps, ArgoCdApplication, ArgoCdAppProject } from '../src/argocd';
import { scanManifests } from '../src/argocd/manifests';

export const REPO_URL = 'https://github.com/cdk8s-lgtm/cdk8s-lgtm.git';
/** The folder of this app. */
export const ARGOCD_APP = 'argocd';

/** Namespaces a dist/ folder emits (an addition may place objects in the namespaces of its stack). */
function emittedNamespaces(folder: string): string[] {
  return scanManifests(path.join(__dirname, '..', 'dist', folder)).filter((o) => o.kind === 'Namespace').map((o) => o.name);
}

export function buildArgoCdApplications(app: App): void {
  const children = new Chart(app, 'applications');
  const project = new ArgoCdAppProject(children, 'project', {
    name: 'lgtm',
    description: 'The cdk8s-lgtm stacks rendered into dist/',
    sourceRepos: [REPO_URL],
  });
  for (const a of APP_LIST.filter((x) => x.name !== ARGOCD_APP)) {
    new ArgoCdApplication(children, a.name, {
      name: `lgtm-${a.name}`,
      repoUrl: REPO_URL,
      targetRevision: 'main',
      path: `dist/${a.name}`,
      project,
      syncWave: a.additionTo === undefined ? 0 : 1,
      existingNamespaces: a.additionTo === undefined ? undefined : emittedNamespaces(a.additionTo),
    });
  }
  new ArgoCdAppOfApps(new Chart(app, 'root'), 'root', { repoUrl: REPO_URL, targetRevision: 'main', path: `dist/${ARGOCD_APP}`, children });
}
