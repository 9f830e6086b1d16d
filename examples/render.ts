/**
 * Renders every app of examples/apps.ts into dist/<name>/.
 *
 * Each app is synthesized into a temporary folder first; dist/<name>/ is replaced only when the synth
 * succeeded, so a synth-time error never leaves half-written YAML behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { RENDERED_APPS } from './apps';

export function renderApp(build: (app: App) => void, outdir: string): void {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
  build(app);
  app.synth();
}

function main(): void {
  const dist = path.join(__dirname, '..', 'dist');
  const only = process.argv.slice(2);
  const staged: Array<[string, string]> = [];
  for (const a of RENDERED_APPS.filter((x) => only.length === 0 || only.includes(x.name))) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `render-${a.name}-`));
    renderApp(a.build, tmp);
    staged.push([a.name, tmp]);
  }
  // all apps synthesized: now swap them in
  fs.mkdirSync(dist, { recursive: true });
  for (const [name, tmp] of staged) {
    const target = path.join(dist, name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(tmp, target, { recursive: true });
    fs.rmSync(tmp, { recursive: true, force: true });
    const files = fs.readdirSync(target);
    console.log(`dist/${name}: ${files.length} file(s)`);
  }
}

if (require.main === module) main();
