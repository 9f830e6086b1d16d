/**
 * Runs the real rule engine's checker: Debian's `promtool` (prometheus 2.42, installed by
 * scripts/ensure-tools.sh). Every rule the library emits parses with 2.42; nothing here needs newer PromQL.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** The message a test fails with when promtool is not installed. */
export const PROMTOOL_MISSING = 'promtool is not installed. Install it with: bash scripts/ensure-tools.sh (as root; it runs apt-get install -y prometheus prometheus-alertmanager)';

function run(args: string[]): PromtoolResult {
  try {
    const out = execFileSync('promtool', args, { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e: any) {
    // a missing promtool fails the test that needs it, never skips it
    if (e.code === 'ENOENT') throw new Error(PROMTOOL_MISSING);
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message ?? ''}` };
  }
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-promtool-'));
}

/** `promtool check rules` on one rule file (a `{groups: [...]}` structure). */
export function checkRules(ruleFile: any): PromtoolResult {
  const dir = tmpDir();
  try {
    const f = path.join(dir, 'rules.yaml');
    fs.writeFileSync(f, YAML.stringify(ruleFile, { lineWidth: 0 }));
    return run(['check', 'rules', f]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An input series in promtool's expanding notation, e.g. `0+10x60`. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** One `promtool test rules` case: input series and, per alert, the alerts expected at `evalTime`. */
export interface AlertCase {
  readonly name: string;
  readonly input: InputSeries[];
  readonly evalTime: string;
  readonly alertname: string;
  /** Labels of each expected alert (without `alertname`); `[]` asserts that the alert is silent. */
  readonly expected: Array<Record<string, string>>;
  /** Annotations of each expected alert (same order as `expected`); only compared when given. */
  readonly expectedAnnotations?: Array<Record<string, string>>;
}

/**
 * Removes annotations from a rule file: promtool compares annotations exactly, and the templates are
 * already checked by `promtool check rules` (the unit tests assert on labels: what routing uses).
 */
export function withoutAnnotations(ruleFile: any): any {
  return {
    groups: ruleFile.groups.map((g: any) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...r }: any) => r) })),
  };
}

/**
 * Writes the rule file and a unit-test file into a temp dir and runs `promtool test rules`. Annotations are
 * kept (and compared) only when every case gives `expectedAnnotations`.
 */
export function testRules(ruleFile: any, cases: AlertCase[], interval: string = '1m'): PromtoolResult {
  const dir = tmpDir();
  const withAnnotations = cases.every((c) => c.expectedAnnotations !== undefined);
  try {
    fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify(withAnnotations ? ruleFile : withoutAnnotations(ruleFile), { lineWidth: 0 }));
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: interval,
      tests: cases.map((c) => ({
        name: c.name,
        interval,
        input_series: c.input,
        alert_rule_test: [{
          eval_time: c.evalTime,
          alertname: c.alertname,
          exp_alerts: c.expected.map((l, i) => ({ exp_labels: l, ...(withAnnotations ? { exp_annotations: c.expectedAnnotations![i] } : {}) })),
        }],
      })),
    };
    const f = path.join(dir, 'tests.yaml');
    fs.writeFileSync(f, YAML.stringify(tests, { lineWidth: 0 }));
    return run(['test', 'rules', f]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether promtool is installed (CI installs it with scripts/ensure-tools.sh). */
export function havePromtool(): boolean {
  try {
    return run(['--version']).ok;
  } catch {
    return false;
  }
}
