/**
 * The real Alloy syntax check: `alloy-syntax` (engines/alloy-syntax), our small program over Alloy's own
 * syntax module (github.com/grafana/alloy/syntax, the version Alloy v1.18.1 requires). It parses each config
 * with Alloy's parser and requires the text to equal Alloy's pretty-printed form, as `alloy fmt --test` does.
 * A missing or wrong-version binary fails with the build command (test/engines.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engineBinary } from '../engines';

/** The syntax module version Alloy v1.18.1 (src/core/images.ts) requires in its go.mod. */
export const ALLOY_SYNTAX_VERSION = '0.1.1';

/** The pinned alloy-syntax binary. */
export function alloySyntaxBinary(): string {
  return engineBinary('alloy-syntax', 'alloy-syntax', ALLOY_SYNTAX_VERSION);
}

/** Runs alloy-syntax over named configs (name → text), all in one process. */
export function alloySyntaxCheck(configs: Record<string, string>): { ok: boolean; output: string } {
  const bin = alloySyntaxBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-alloy-'));
  try {
    const files = Object.entries(configs).map(([name, text], i) => {
      const f = path.join(dir, `${String(i).padStart(3, '0')}-${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}`);
      fs.writeFileSync(f, text);
      return f;
    });
    if (files.length === 0) throw new Error('alloySyntaxCheck: no config given');
    const out = execFileSync(bin, files, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e: any) {
    if (e.status === undefined && !e.stderr) throw e;
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.split(dir + path.sep).join('') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws with Alloy's own message unless every config parses and is formatted as Alloy prints it. */
export function expectAlloySyntaxAccepts(configs: Record<string, string>): void {
  const res = alloySyntaxCheck(configs);
  if (!res.ok) throw new Error(`alloy-syntax (Alloy's parser and printer) rejects a rendered config:\n${res.output}`);
}
