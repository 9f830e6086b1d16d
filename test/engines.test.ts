/**
 * The engine lookup (test/engines.ts) fails loudly, never skips: a missing binary, a dangling link into a
 * cache entry that is gone, and a binary at another version each fail with the engine, what was found,
 * and the build command.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { engineBinary, EngineProcesses, mentionsVersion } from './engines';
import { PROMETHEUS_VERSION, testRules } from './rules/promtool';

const dirs: string[] = [];
function tmpBin(files: Record<string, string> = {}): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-engines-'));
  dirs.push(d);
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(d, name), body, { mode: 0o755 });
  return d;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('engineBinary', () => {
  test('a missing binary names the engine, where it looked, and the build command', () => {
    const binDir = tmpBin();
    expect(() => engineBinary('prometheus', 'promtool', '3.13.2', { binDir })).toThrow([
      'engine prometheus: promtool is missing',
      `  received: no executable at ${path.join(binDir, 'promtool')}`,
      '  expected: promtool 3.13.2, built from engines/prometheus',
      '  fix: build it with: bash scripts/ensure-engines.sh prometheus   (the test command runs this first; see engines/README.md)',
    ].join('\n'));
  });

  test('a link into a cache entry that is gone is reported as such', () => {
    const binDir = tmpBin();
    fs.symlinkSync(path.join(binDir, 'gone', 'amtool'), path.join(binDir, 'amtool'));
    expect(() => engineBinary('alertmanager', 'amtool', '0.33.1', { binDir })).toThrow(/engine alertmanager: amtool is missing\n.*\(a link to a cache entry that is gone\)\n[\s\S]*bash scripts\/ensure-engines\.sh alertmanager/);
  });

  test('a binary at another version (Debian\'s promtool 2.42, say) names both versions and the build command', () => {
    const binDir = tmpBin({ promtool: '#!/bin/sh\necho "promtool, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5)"\n' });
    expect(() => engineBinary('prometheus', 'promtool', '3.13.2', { binDir })).toThrow([
      'engine prometheus: promtool is at the wrong version',
      `  received: promtool, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5) (${path.join(binDir, 'promtool')})`,
      '  expected: promtool 3.13.2',
      '  fix: build it with: bash scripts/ensure-engines.sh prometheus   (the test command runs this first; see engines/README.md)',
    ].join('\n'));
  });

  test('a binary that does not run fails with its error and the build command', () => {
    const binDir = tmpBin({ otelcol: 'not an executable format' });
    expect(() => engineBinary('otelcol', 'otelcol', '0.155.0', { binDir })).toThrow(/engine otelcol: otelcol does not run\n[\s\S]*bash scripts\/ensure-engines\.sh otelcol/);
  });

  test('versions match whole: 3.13.2 is not 3.13.21, 13.13.2 or 3.13.2.1', () => {
    expect(mentionsVersion('promtool, version 3.13.2 (branch', '3.13.2')).toBe(true);
    expect(mentionsVersion('Kubernetes v1.37.2', 'v1.37.2')).toBe(true);
    expect(mentionsVersion('promtool, version 3.13.21 (', '3.13.2')).toBe(false);
    expect(mentionsVersion('version 13.13.2', '3.13.2')).toBe(false);
    expect(mentionsVersion('version 3.13.2.1', '3.13.2')).toBe(false);
  });

  test('the pinned promtool is found', () => {
    expect(engineBinary('prometheus', 'promtool', PROMETHEUS_VERSION)).toMatch(/\.engines\/bin\/promtool$/);
  });
});

describe('EngineProcesses', () => {
  test('an engine that exits before it is ready: its log tail is in the error, and stopAll ends the others by PID', async () => {
    const procs = new EngineProcesses();
    const sleeper = procs.start('sleeper', 'sleep', ['60']);
    const broken = procs.start('broken', 'sh', ['-c', 'echo "line 1"; echo "fatal: cannot bind 127.0.0.1:1" >&2; exit 3']);
    await expect(procs.waitReady(broken, 'ready', Date.now() + 10_000, async () => undefined)).rejects.toThrow(
      /^engine broken exited \(3\) before ready\n--- broken log \(tail\) ---\nline 1\nfatal: cannot bind 127\.0\.0\.1:1\n$/,
    );
    expect(procs.running()).toEqual([sleeper.child.pid]);
    await procs.stopAll(2000);
    expect(procs.running()).toEqual([]);
    expect(sleeper.child.signalCode).toBe('SIGTERM');
  });

  test('an engine that ignores SIGTERM is killed after the grace period', async () => {
    const procs = new EngineProcesses();
    const stubborn = procs.start('stubborn', 'sh', ['-c', 'trap "" TERM; echo started; while :; do sleep 0.1; done']);
    await procs.waitReady(stubborn, 'its first line', Date.now() + 10_000, async () => (stubborn.log().includes('started') ? true : undefined));
    const t0 = Date.now();
    await procs.stopAll(500);
    expect(stubborn.child.signalCode).toBe('SIGKILL');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('a wait that passes its deadline fails with the log tail', async () => {
    const procs = new EngineProcesses();
    const slow = procs.start('slow', 'sh', ['-c', 'echo warming up; sleep 30']);
    try {
      await expect(procs.waitReady(slow, 'ready', Date.now() + 1000, async () => undefined)).rejects.toThrow(/^engine slow: timed out waiting for ready\n--- slow log \(tail\) ---\nwarming up\n$/);
    } finally {
      await procs.stopAll(1000);
    }
  });
});

test('promtool unit tests are not vacuous: a wrong expected label fails, a silent alert expected to fire fails', () => {
  const rules = { groups: [{ name: 'g', rules: [{ alert: 'Down', expr: 'up == 0', for: '1m', labels: { severity: 'critical' }, annotations: { summary: '{{ $labels.job }} is down' } }] }] };
  const input = [{ series: 'up{job="api"}', values: '0x10' }];
  expect(testRules(rules, [{ name: 'fires', input, evalTime: '5m', alertname: 'Down', expected: [{ severity: 'critical', job: 'api' }] }]).ok).toBe(true);
  expect(testRules(rules, [{ name: 'wrong label', input, evalTime: '5m', alertname: 'Down', expected: [{ severity: 'warning', job: 'api' }] }]).ok).toBe(false);
  expect(testRules(rules, [{ name: 'not yet (for: 1m)', input, evalTime: '30s', alertname: 'Down', expected: [{ severity: 'critical', job: 'api' }] }]).ok).toBe(false);
  expect(testRules(rules, [{ name: 'silent', input, evalTime: '30s', alertname: 'Down', expected: [] }]).ok).toBe(true);
  expect(testRules(rules, [{ name: 'annotations', input, evalTime: '5m', alertname: 'Down', expected: [{ severity: 'critical', job: 'api' }], expectedAnnotations: [{ summary: 'api is down' }] }]).ok).toBe(true);
  expect(testRules(rules, [{ name: 'wrong annotation', input, evalTime: '5m', alertname: 'Down', expected: [{ severity: 'critical', job: 'api' }], expectedAnnotations: [{ summary: 'x' }] }]).ok).toBe(false);
});
