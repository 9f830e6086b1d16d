/** `promtool check rules` of the pinned Prometheus on every PrometheusRule committed under dist/, as committed. */
import * as fs from 'fs';
import * as path from 'path';
import { K8sObject, promqlErrors, readYamlDir } from '../harness';
import { checkRules } from './promtool';

const DIST = path.join(__dirname, '..', '..', 'dist');
const rules: K8sObject[] = fs.existsSync(DIST) ? readYamlDir(DIST).filter((o) => o?.kind === 'PrometheusRule') : [];

describe('PrometheusRules in dist/', () => {
  test('dist/ holds the rules of the reference stack and the seed', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
  });

  test.each(rules.map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r] as [string, K8sObject]))('%s passes promtool check rules', (_id, r) => {
    const res = checkRules({ groups: r.spec.groups });
    if (!res.ok) throw new Error(res.output);
    expect(res.output).toMatch(/SUCCESS/);
  });

  test('every expression parses', () => {
    expect(promqlErrors(rules)).toEqual([]);
  });
});
