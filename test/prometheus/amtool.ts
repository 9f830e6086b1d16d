/**
 * `amtool` and the Alertmanager server of the pinned Alertmanager (src/core/images.ts), built from their Go
 * module by `scripts/ensure-engines.sh alertmanager` (engines/alertmanager). A missing or wrong-version
 * binary fails with the build command (test/engines.ts). Configs are checked exactly as rendered.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Images, imageVersion } from '../../src/core/images';
import { engineBinary } from '../engines';

/** The Alertmanager version we ship, which amtool and the server must report. */
export const ALERTMANAGER_VERSION = imageVersion(Images.ALERTMANAGER);

/** The pinned amtool. */
export function amtoolBinary(): string {
  return engineBinary('alertmanager', 'amtool', ALERTMANAGER_VERSION);
}

/** The pinned Alertmanager server. */
export function alertmanagerBinary(): string {
  return engineBinary('alertmanager', 'alertmanager', ALERTMANAGER_VERSION);
}

/** `amtool --version`, first line. */
export function amtoolVersion(): string {
  return execFileSync(amtoolBinary(), ['--version'], { encoding: 'utf8', timeout: 30_000 }).split('\n')[0];
}

/** `amtool check-config` on a rendered alertmanager.yaml, written as it is. */
export function amtoolCheckConfig(yaml: string): { ok: boolean; output: string } {
  const bin = amtoolBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-amtool-'));
  try {
    const file = path.join(dir, 'alertmanager.yaml');
    fs.writeFileSync(file, yaml);
    const out = execFileSync(bin, ['check-config', file], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message ?? ''}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
