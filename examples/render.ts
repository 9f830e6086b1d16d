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
import { RENDERED_APPS } from './apps';
import { appSecretPrerequisites, renderPrerequisitesMarkdown } from '../src/core/prerequisites';

/** The file written beside each synthesized app. */
export const PREREQUISITES_FILE = 'PREREQUISITES.md';

export function renderApp(build: (app: App) => void, outdir: string, appName: string = path.basename(outdir)): void {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
  build(app);
  app.synth();
  fs.writeFileSync(path.join(outdir, PREREQUISITES_FILE), renderPrerequisitesMarkdown(appName, appSecretPrerequisites(app)));
}

function main(): void {
  const dist = path.join(__dirname, '..', 'dist');
  const only = process.argv.slice(2);
  fs.mkdirSync(dist, { recursive: true });
  const staged: Array<[string, string]> = [];
  const temps: string[] = [];
  try {
    for (const a of RENDERED_APPS.filter((x) => only.length === 0 || only.includes(x.name))) {
      const tmp = fs.mkdtempSync(path.join(dist, `.render-${a.name}-`));
      temps.push(tmp);
      renderApp(a.build, tmp, a.name);
      staged.push([a.name, tmp]);
    }
    // every app synthesized: swap each in with renames (the old folder is moved aside, then removed)
    for (const [name, tmp] of staged) {
      const target = path.join(dist, name);
      const old = `${tmp}.old`;
      temps.push(old);
      if (fs.existsSync(target)) fs.renameSync(target, old);
      fs.renameSync(tmp, target);
      console.log(`dist/${name}: ${fs.readdirSync(target).length} file(s)`);
    }
  } finally {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  }
}

if (require.main === module) main();
