/**
 * Runs the real rule engine's checker: `promtool` of the pinned Prometheus (src/core/images.ts), built from
 * its Go module by `scripts/ensure-engines.sh prometheus` (engines/prometheus). A missing or wrong-version
 * promtool fails the test with the build command (test/engines.ts); nothing is skipped.
 *
 * Rule files are written exactly as rendered: nothing is removed or rewritten before promtool reads them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Images, imageVersion } from '../../src/core/images';
import { engineBinary } from '../engines';

/** The Prometheus version we ship, which promtool must report. */
export const PROMETHEUS_VERSION = imageVersion(Images.PROMETHEUS);

/** The pinned promtool (throws with the build command when missing or at another version). */
export function promtoolBinary(): string {
  return engineBinary('prometheus', 'promtool', PROMETHEUS_VERSION);
}

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs promtool with `args`; the binary check throws, a failing check returns `ok: false`. */
export function runPromtool(args: string[]): PromtoolResult {
  const bin = promtoolBinary();
  try {
    const out = execFileSync(bin, args, { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e: any) {
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
    return runPromtool(['check', 'rules', f]);
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

/** A PromQL series selector `name{k="v",...}` with Go-style quoting, as promtool reads exp_samples labels. */
function seriesText(name: string, labels: Record<string, string>): string {
  const body = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ');
  return `${name}{${body}}`;
}

/**
 * The promtool unit test of one case. With `expectedAnnotations` it is an `alert_rule_test`, which compares
 * labels and annotations exactly. Without, it asserts on the labels alone — what routing uses — through the
 * `ALERTS` series the rule engine writes for every firing alert (a `promql_expr_test`), so the rule file is
 * still read as rendered, annotations included.
 */
function caseTest(c: AlertCase, interval: string): any {
  const base = { name: c.name, interval, input_series: c.input };
  if (c.expectedAnnotations !== undefined) {
    if (c.expectedAnnotations.length !== c.expected.length) {
      throw new Error(`promtool case '${c.name}': expectedAnnotations has ${c.expectedAnnotations.length} entries, expected has ${c.expected.length}`);
    }
    return {
      ...base,
      alert_rule_test: [{
        eval_time: c.evalTime,
        alertname: c.alertname,
        exp_alerts: c.expected.map((l, i) => ({ exp_labels: l, exp_annotations: c.expectedAnnotations![i] })),
      }],
    };
  }
  return {
    ...base,
    promql_expr_test: [{
      expr: `ALERTS{alertname=${JSON.stringify(c.alertname)}, alertstate="firing"}`,
      eval_time: c.evalTime,
      exp_samples: c.expected.map((l) => ({ labels: seriesText('ALERTS', { ...l, alertname: c.alertname, alertstate: 'firing' }), value: 1 })),
    }],
  };
}

/** Writes the rule file (as rendered) and a unit-test file into a temp dir and runs `promtool test rules`. */
export function testRules(ruleFile: any, cases: AlertCase[], interval: string = '1m'): PromtoolResult {
  const dir = tmpDir();
  try {
    fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify(ruleFile, { lineWidth: 0 }));
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: interval,
      tests: cases.map((c) => caseTest(c, interval)),
    };
    const f = path.join(dir, 'tests.yaml');
    fs.writeFileSync(f, YAML.stringify(tests, { lineWidth: 0 }));
    return runPromtool(['test', 'rules', f]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool --version`, first line (throws when promtool is missing or at another version). */
export function promtoolVersion(): string {
  return execFileSync(promtoolBinary(), ['--version'], { encoding: 'utf8', timeout: 30_000 }).split('\n')[0];
}
