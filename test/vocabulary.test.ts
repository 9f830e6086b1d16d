/**
 * One prop vocabulary, enforced over the compiled jsii assembly (`.jsii`, built by `npx projen compile`;
 * `npx projen test` builds it when missing or older than src/). Every struct and construct of the public
 * API falls under it, including the components written after this test.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ASSEMBLY, Assembly, newestSource, readAssembly, vocabularyErrors } from './vocabulary';

/**
 * Violations not fixed yet, each with the file that owns it. This list only shrinks: an entry that no
 * longer fails makes the test fail, so it is removed as soon as its construct is converted.
 */
const PENDING: Record<string, string> = {
  'Alertmanager:': 'src/prometheus/alertmanager.ts',
  'AlertmanagerProps.storageSize:': 'src/prometheus/alertmanager.ts',
  'AlertmanagerProps.storageClassName:': 'src/prometheus/alertmanager.ts',
  'Grafana:': 'src/grafana',
  'Loki:': 'src/loki',
  'Loki.configMap:': 'src/loki',
  'LokiProps.monitoring:': 'src/loki',
  'LokiProps.replicas:': 'src/loki',
  'LokiProps.storage:': 'src/loki',
  'LokiProps.storageClass:': 'src/loki',
  'LokiProps.volumeSize:': 'src/loki',
};

describe('the prop vocabulary (over .jsii)', () => {
  test('the assembly is built and not older than src/', () => {
    const a = readAssembly();
    expect(a.name).toBe('cdk8s-lgtm');
    const stale = fs.statSync(ASSEMBLY).mtimeMs < newestSource(path.join(__dirname, '..', 'src'));
    if (stale) throw new Error(`${ASSEMBLY} is older than src/: rebuild it with \`npx projen compile\` (\`npx projen test\` does it for you).`);
  });

  test('every struct and construct spells the shared concepts one way', () => {
    const errors = vocabularyErrors(readAssembly());
    expect(errors.filter((e) => !Object.keys(PENDING).some((k) => e.startsWith(k)))).toEqual([]);
  });

  test('the pending list only shrinks (every entry still fails)', () => {
    const errors = vocabularyErrors(readAssembly());
    const fixed = Object.keys(PENDING).filter((k) => !errors.some((e) => e.startsWith(k)));
    expect(fixed).toEqual([]); // remove these entries from PENDING
  });

  test('fails on a deliberately misspelt prop of a new construct', () => {
    // A fragment of an assembly: a future component whose props misspell five shared concepts.
    const fake: Assembly = {
      name: 'cdk8s-lgtm',
      types: {
        'cdk8s-lgtm.Tempo': {
          fqn: 'cdk8s-lgtm.Tempo',
          kind: 'class',
          base: 'constructs.Construct',
          initializer: { parameters: [{ name: 'scope', type: { fqn: 'constructs.Construct' } }, { name: 'id', type: { primitive: 'string' } }, { name: 'props', type: { fqn: 'cdk8s-lgtm.TempoProps' } }] },
          properties: [{ name: 'service', type: { fqn: 'cdk8s.ApiObject' } }, { name: 'workload', type: { fqn: 'cdk8s.ApiObject' } }],
        },
        'cdk8s-lgtm.TempoProps': {
          fqn: 'cdk8s-lgtm.TempoProps',
          kind: 'interface',
          datatype: true,
          properties: [
            { name: 'storageSize', type: { fqn: 'cdk8s.Size' } },
            { name: 'size', type: { fqn: 'cdk8s.Size' } },
            { name: 'monitoring', type: { primitive: 'boolean' } },
            { name: 'namespace', type: { primitive: 'number' } },
            { name: 'replicas', type: { fqn: 'cdk8s-lgtm.TempoReplicas' } },
            { name: 'storage', type: { fqn: 'cdk8s-lgtm.StorageOptions' } },
            { name: 'image', type: { primitive: 'string' } },
          ],
        },
      },
    };
    expect(vocabularyErrors(fake)).toEqual([
      "Tempo.service: member 'service' must be ServiceRef, not cdk8s.ApiObject",
      "Tempo: runs pods (its props take 'image') but does not extend Component (the skeleton in src/core)",
      "TempoProps.monitoring: 'monitoring' is not in the vocabulary; use 'serviceMonitor'",
      "TempoProps.namespace: 'namespace' must be string, not number",
      "TempoProps.replicas: 'replicas' must be number, not TempoReplicas",
      "TempoProps.size: construct props do not take 'size'; use 'storage (a StorageOptions with size and storageClassName)'",
      "TempoProps.storageSize: 'storageSize' is not in the vocabulary; use 'storage.size'",
    ]);
  });

  test('a missing assembly fails with the command that builds it', () => {
    expect(() => readAssembly('/nonexistent/.jsii')).toThrow(/\/nonexistent\/\.jsii is missing.*Build it with `npx projen compile`/);
  });
});
