/**
 * Proves that snapshot drift fails the test command: the projen `test` task never passes
 * `--updateSnapshot`, and jest in `--ci` mode fails on a snapshot that differs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

test('the test task never updates snapshots', () => {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
  const steps = JSON.stringify(tasks.test.steps);
  expect(steps).toContain('jest');
  expect(steps).toContain('--ci');
  expect(steps).not.toMatch(/updateSnapshot|"-u"/);
});

test('a changed snapshot makes jest fail', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snap-guard-'));
  fs.mkdirSync(path.join(dir, '__snapshots__'));
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify({ testEnvironment: 'node', testMatch: ['**/guard.test.js'] }));
  fs.writeFileSync(path.join(dir, 'guard.test.js'), "test('out', () => { expect({ replicas: 3 }).toMatchSnapshot(); });\n");
  fs.writeFileSync(
    path.join(dir, '__snapshots__', 'guard.test.js.snap'),
    '// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing\n\nexports[`out 1`] = `\n{\n  "replicas": 1,\n}\n`;\n',
  );
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const r = spawnSync(process.execPath, [jest, '--ci', '--config', path.join(dir, 'jest.config.json'), '--rootDir', dir, '--no-cache'], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/1 snapshot failed/);
});
