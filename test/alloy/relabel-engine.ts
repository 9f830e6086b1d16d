/**
 * The real relabel engine: `relabel-check` (test/alloy/relabel-engine), a small program over Prometheus'
 * own `model/relabel` package (the code Alloy's `discovery.relabel` runs), at the version of the Prometheus
 * we ship. It is built on first use into the engines cache (keyed by a hash of its sources) with the
 * committed go.sum; a missing Go toolchain fails with the install command.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ParsedBlock, PlainValue } from './alloy-parse';

const SRC = path.join(__dirname, 'relabel-engine');
const CACHE = process.env.LGTM_ENGINES_CACHE ?? path.join(os.homedir(), '.cache', 'cdk8s-lgtm', 'engines');

let binary: string | undefined;

/** The relabel-check binary (built once per source hash). */
export function relabelBinary(): string {
  if (binary) return binary;
  const stamp = crypto.createHash('sha256')
    .update(['main.go', 'go.mod', 'go.sum'].map((f) => fs.readFileSync(path.join(SRC, f), 'utf8')).join('\0'))
    .digest('hex').slice(0, 16);
  const out = path.join(CACHE, `relabel-check-${stamp}`, 'relabel-check');
  if (!fs.existsSync(out)) {
    try {
      execFileSync('go', ['version'], { stdio: 'ignore' });
    } catch {
      throw new Error('relabel-check needs the Go toolchain (1.26): install it (e.g. apt-get install golang, or https://go.dev/dl) and re-run');
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync('go', ['build', '-mod=readonly', '-trimpath', '-o', tmp, '.'], { cwd: SRC, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CGO_ENABLED: '0' } });
    fs.renameSync(tmp, out);
  }
  binary = out;
  return out;
}

/** A relabel rule in Prometheus' JSON field names. */
export interface RelabelRule {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  replacement?: string;
  target_label?: string;
  action?: string;
}

function plain(v: PlainValue): any {
  switch (v.t) {
    case 'string': case 'number': case 'bool': return v.v;
    case 'array': return v.v.map(plain);
    default: throw new Error(`relabel rule value of kind ${v.t} is not a literal`);
  }
}

/** The `rule` blocks of a parsed `discovery.relabel` component. */
export function rulesOf(block: ParsedBlock): RelabelRule[] {
  return block.blocks.filter((b) => b.name === 'rule').map((b) => Object.fromEntries(b.attrs.map((a) => [a.name, plain(a.value)])));
}

/** Runs the rules over the targets with Prometheus' relabel code: the relabelled targets, null where dropped. */
export function relabel(rules: RelabelRule[], targets: Array<Record<string, string>>): Array<Record<string, string> | null> {
  const res = execFileSync(relabelBinary(), [], { input: JSON.stringify({ rules, targets }), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(res);
}
