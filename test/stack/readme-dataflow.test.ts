/**
 * The data-flow diagram in the README is the generated one of dist/minikube/ (itself checked against the
 * YAML by the data-flow test), so it cannot drift from the wiring.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const mermaid = (file: string) => [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/```mermaid\n[\s\S]*?```/g)].map((m) => m[0]);

test('the README embeds the generated data-flow diagram of dist/minikube/', () => {
  const generated = mermaid('dist/minikube/DATAFLOW.md');
  expect(generated).toHaveLength(1);
  expect(mermaid('README.md')).toContain(generated[0]);
});

test('the README points at the production example', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('examples/production.ts');
  expect(readme).toContain('dist/production/');
  // the two quick-start commands
  expect(readme).toContain('npm ci && npx projen render\n');
  expect(readme).toMatch(/\nnpm test\n/);
});
