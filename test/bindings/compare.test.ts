/**
 * The byte-identity check of scripts/bindings-test.sh (TypeScript synth vs. each language port): it passes
 * on identical trees and fails loudly, with the diff, on any difference. The real comparison runs in CI
 * (the packaging stage of .ci/run), where the Python wheel, Go module and Java jar are built.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'bindings-test.sh');

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-compare-'));
  for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), content);
  return dir;
}

function compare(ref: string, port: string) {
  return spawnSync('bash', [SCRIPT, 'compare', ref, port, 'python'], { encoding: 'utf8' });
}

const YAML_A = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: loki\n';

test('identical trees pass', () => {
  const r = compare(tree({ 'monitoring.k8s.yaml': YAML_A }), tree({ 'monitoring.k8s.yaml': YAML_A }));
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/ok {3}python: 1 files byte-identical/);
  expect(r.status).toBe(0);
});

test('a changed byte fails with the diff', () => {
  const r = compare(tree({ 'monitoring.k8s.yaml': YAML_A }), tree({ 'monitoring.k8s.yaml': YAML_A.replace('loki', 'loki ') }));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/FAIL python: YAML differs from the TypeScript synth/);
  expect(r.stderr).toMatch(/^- {2}name: loki$/m);
  expect(r.stderr).toMatch(/^\+ {2}name: loki $/m);
});

test('a missing or extra file fails', () => {
  const r = compare(tree({ 'a.yaml': YAML_A, 'b.yaml': YAML_A }), tree({ 'a.yaml': YAML_A }));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/Only in .*: b\.yaml/);
});

test('a port that wrote nothing fails', () => {
  const r = compare(tree({ 'a.yaml': YAML_A }), tree({}));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/FAIL python: .* is missing or empty \(the port wrote no YAML\)/);
});
