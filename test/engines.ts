/**
 * The real engines the suite runs, built from their Go modules by `scripts/ensure-engines.sh` (engines/<name>/)
 * and linked into `.engines/bin/`. Tests find a binary with `engineBinary`, which FAILS (never skips) with
 * the build command when the binary is missing or reports another version than the one we pin.
 *
 * `EngineProcesses` runs long-lived engines (servers) for live tests: it collects each one's log, fails with
 * the log tail when an engine exits or is not ready in time, and stops every process by PID in bounded time.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where `scripts/ensure-engines.sh` links the engine binaries (git-ignored). */
export const ENGINES_BIN = process.env.LGTM_ENGINES_BIN ?? path.resolve(__dirname, '..', '.engines', 'bin');

/** The command that builds one engine into the cache and links it into `.engines/bin/`. */
export function engineBuildCommand(name: string): string {
  return `bash scripts/ensure-engines.sh ${name}`;
}

/** Options of `engineBinary`. */
export interface EngineBinaryOptions {
  /** The arguments that make the binary print its version (default `['--version']`). */
  readonly versionArgs?: string[];
  /** The folder to look in (default `.engines/bin`, or `$LGTM_ENGINES_BIN`). */
  readonly binDir?: string;
}

/** Whether `output` names `version` as a whole version (3.13.2 does not match 3.13.21 or 13.13.2). */
export function mentionsVersion(output: string, version: string): boolean {
  const v = version.replace(/^v/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^0-9.])v?${v}(?![0-9]|\\.[0-9])`).test(output);
}

const checked = new Map<string, string>();

/**
 * The absolute path of an engine binary, after checking that it exists and that `<binary> --version` names
 * `expectedVersion`. Throws (never skips) with the engine, what was found, and the build command.
 *
 * @param name the engine (its folder under engines/), e.g. `prometheus`
 * @param binary the executable, e.g. `promtool`
 * @param expectedVersion the pinned version, e.g. `3.13.2` (a leading `v` is ignored)
 */
export function engineBinary(name: string, binary: string, expectedVersion: string, options: EngineBinaryOptions = {}): string {
  const bin = path.join(options.binDir ?? ENGINES_BIN, binary);
  const key = `${bin}@${expectedVersion}`;
  const hit = checked.get(key);
  if (hit) return hit;
  const fix = `build it with: ${engineBuildCommand(name)}   (the test command runs this first; see engines/README.md)`;
  if (!fs.existsSync(bin)) {
    throw new Error([
      `engine ${name}: ${binary} is missing`,
      `  received: no executable at ${bin}${isDanglingLink(bin) ? ' (a link to a cache entry that is gone)' : ''}`,
      `  expected: ${binary} ${expectedVersion}, built from engines/${name}`,
      `  fix: ${fix}`,
    ].join('\n'));
  }
  let out: string;
  try {
    out = execFileSync(bin, options.versionArgs ?? ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    if (!mentionsVersion(out, expectedVersion)) {
      throw new Error([
        `engine ${name}: ${binary} does not run`,
        `  received: ${out.trim() ? out.trim().split('\n').slice(0, 3).join(' | ') : e.message} (${bin})`,
        `  expected: ${binary} ${expectedVersion} printing its version`,
        `  fix: ${fix}`,
      ].join('\n'));
    }
  }
  if (!mentionsVersion(out, expectedVersion)) {
    throw new Error([
      `engine ${name}: ${binary} is at the wrong version`,
      `  received: ${out.trim().split('\n')[0]} (${bin})`,
      `  expected: ${binary} ${expectedVersion}`,
      `  fix: ${fix}`,
    ].join('\n'));
  }
  checked.set(key, bin);
  return bin;
}

function isDanglingLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The last `maxChars` characters of a log, for failure messages. */
export function logTail(log: string, maxChars: number = 3000): string {
  return log.length <= maxChars ? log : `...${log.slice(-maxChars)}`;
}

/** One running engine. */
export interface EngineProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr interleaved). */
  log(): string;
}

/**
 * Engines started for one live test. Every wait polls against a deadline; `stopAll` sends SIGTERM to each
 * PID, then SIGKILL after `killAfterMs`, so a test always ends in bounded time.
 */
export class EngineProcesses {
  private readonly procs: Array<{ name: string; child: ChildProcess; out: string[] }> = [];

  /** Starts `bin args` and records its output. */
  public start(name: string, bin: string, args: string[], env?: NodeJS.ProcessEnv): EngineProcess {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    const rec = { name, child, out: [] as string[] };
    child.stdout!.on('data', (c) => rec.out.push(String(c)));
    child.stderr!.on('data', (c) => rec.out.push(String(c)));
    child.on('error', (e) => rec.out.push(`\n[spawn error] ${e.message}\n`));
    this.procs.push(rec);
    return { name, child, log: () => rec.out.join('') };
  }

  /** The log of every engine started, each under a header, tails only. */
  public logs(maxChars: number = 3000): string {
    return this.procs.map((p) => `--- ${p.name} log (tail) ---\n${logTail(p.out.join(''), maxChars)}`).join('\n');
  }

  /**
   * Polls `probe` (every 250 ms) until it returns a value. Fails with the engine's log tail when the engine
   * exits first, or when `deadline` (epoch ms) passes.
   */
  public async waitReady<T>(proc: EngineProcess, what: string, deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
    while (Date.now() < deadline) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        // let the last output arrive
        await new Promise((r) => setTimeout(r, 100));
        throw new Error(`engine ${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${what}\n--- ${proc.name} log (tail) ---\n${logTail(proc.log())}`);
      }
      const v = await probe().catch(() => undefined);
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`engine ${proc.name}: timed out waiting for ${what}\n--- ${proc.name} log (tail) ---\n${logTail(proc.log())}`);
  }

  /** The PIDs still running. */
  public running(): number[] {
    return this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null && p.child.pid !== undefined).map((p) => p.child.pid!);
  }

  /** Stops every engine by PID: SIGTERM, then SIGKILL after `killAfterMs`. Resolves when all have exited. */
  public async stopAll(killAfterMs: number = 5000): Promise<void> {
    await Promise.all(this.procs.map((p) => new Promise<void>((resolve) => {
      const c = p.child;
      if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return resolve();
      const t = setTimeout(() => {
        try { process.kill(c.pid!, 'SIGKILL'); } catch { /* already gone */ }
        // an unkillable process must not hang the test either
        setTimeout(resolve, 1000);
      }, killAfterMs);
      c.once('exit', () => { clearTimeout(t); resolve(); });
      try { process.kill(c.pid, 'SIGTERM'); } catch { clearTimeout(t); resolve(); }
    })));
  }
}
