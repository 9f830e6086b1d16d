import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { K8sObject, YAML } from '../harness';

const ROOT = path.join(__dirname, '..', '..');
const CHECKER = path.join(ROOT, '..', 'shared', 'config-reference', 'check-keys.mjs');

/**
 * Runs the shared key checker on a rendered config file; `output` is its stdout (one line per unknown
 * key: empty when every key exists in the pinned version), `summary` its stderr summary line.
 */
export function checkKeys(content: string, product: string): { status: number | null; output: string; summary: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-keys-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, content);
  const r = spawnSync('node', [CHECKER, file, product], { cwd: ROOT, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, output: r.stdout, summary: r.stderr };
}

/** Every loki.yaml among the objects (ConfigMaps with a `loki.yaml` key), parsed. */
export function lokiYamls(objs: K8sObject[]): Array<{ name: string; raw: string; parsed: any }> {
  return objs
    .filter((o) => o.kind === 'ConfigMap' && o.data?.['loki.yaml'] !== undefined)
    .map((o) => ({ name: `${o.metadata.namespace}/${o.metadata.name}`, raw: o.data['loki.yaml'], parsed: YAML.parse(o.data['loki.yaml']) }));
}
