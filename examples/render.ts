/**
 * Renders every app of examples/apps.ts into dist/<name>/, with a PREREQUISITES.md beside the YAML
 * (the Secrets the app reads and does not create, with the `kubectl create secret` command for each).
 *
 * Each app is synthesized into a temporary folder inside dist/ first (same filesystem, so the swap is a
 * rename); dist/<name>/ is replaced only when every app synthesized, and the temporary folders are
 * always removed, so a synth-time error never leaves half-written YAML behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { RENDERED_APPS, RenderedApp } from './apps';
import { ArgoCdSyncAnnotations } from '../src/argocd';
import { ARGOCD_CHECKOUT_CONTEXT } from '../src/argocd/application';
import { appSecretPrerequisites, renderPrerequisitesMarkdown } from '../src/core/prerequisites';
import { renderDataflowMarkdown, wiringGraph } from '../src/core/wiring';
import { appManifests } from '../src/network/network-policies';

/** The file written beside each synthesized app. */
export const PREREQUISITES_FILE = 'PREREQUISITES.md';
/** The data-flow diagram written beside each synthesized app (not the Argo CD one). */
export const DATAFLOW_FILE = 'DATAFLOW.md';

/** The repository root (what Argo CD checks out). */
const REPO_ROOT = path.join(__dirname, '..');

/**
 * Synthesizes one app into `outdir`, with the Argo CD sync annotations on every object. `checkouts` are
 * the directories where an Application's folder is looked up (the staged output first, then the repo).
 */
export function renderApp(
  build: (app: App) => void, outdir: string, appName: string = path.basename(outdir), checkouts: string[] = [REPO_ROOT],
): void {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
  app.node.setContext(ARGOCD_CHECKOUT_CONTEXT, checkouts);
  ArgoCdSyncAnnotations.applyTo(app);
  build(app);
  app.synth();
  fs.writeFileSync(path.join(outdir, PREREQUISITES_FILE), renderPrerequisitesMarkdown(appName, appSecretPrerequisites(app)));
  if (appName !== 'argocd') fs.writeFileSync(path.join(outdir, DATAFLOW_FILE), renderDataflowMarkdown(appName, wiringGraph(appManifests(app))));
}

/**
 * Renders `apps` into `dist/<name>/`: all are synthesized into a staging folder first; only when every
 * one succeeded is each swapped in with renames. The staging and old folders are always removed.
 */
export function renderAll(dist: string, apps: ReadonlyArray<Pick<RenderedApp, 'name' | 'build'>>, log: (line: string) => void = console.log): void {
  fs.mkdirSync(dist, { recursive: true });
  const staged: Array<[string, string]> = [];
  // staged as <stage>/dist/<name>, so that the Argo CD Applications (rendered last) find their folders there
  const stage = fs.mkdtempSync(path.join(dist, '.render-'));
  const temps: string[] = [stage];
  try {
    const selected = apps;
    // the apps with Argo CD Applications check the folders those point at: render them last
    const ordered = [...selected.filter((a) => a.name !== 'argocd'), ...selected.filter((a) => a.name === 'argocd')];
    for (const a of ordered) {
      const tmp = path.join(stage, 'dist', a.name);
      fs.mkdirSync(tmp, { recursive: true });
      renderApp(a.build, tmp, a.name, [stage, REPO_ROOT]);
      staged.push([a.name, tmp]);
    }
    // every app synthesized: swap each in with renames (the old folder is moved aside, then removed)
    for (const [name, tmp] of staged) {
      const target = path.join(dist, name);
      const old = `${tmp}.old`;
      temps.push(old);
      if (fs.existsSync(target)) fs.renameSync(target, old);
      fs.renameSync(tmp, target);
      log(`dist/${name}: ${fs.readdirSync(target).length} file(s)`);
    }
  } finally {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  }
}

function main(): void {
  const only = process.argv.slice(2);
  renderAll(path.join(__dirname, '..', 'dist'), RENDERED_APPS.filter((x) => only.length === 0 || only.includes(x.name)));
}

if (require.main === module) main();
