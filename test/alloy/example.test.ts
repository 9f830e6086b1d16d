import { Chart, Testing } from 'cdk8s';
import { addLogCollection } from '../../examples/reference/log-collection';
import { Loki } from '../../src/loki';
import { parseYamlDocs, restrictedViolations, schemaErrors, synthAppFiles, urlResolution } from '../harness';
import { expectAlloySyntaxAccepts } from './alloy-engine';
import { alloyReferenceErrors } from './alloy-reference';
import { ALLOY_DOCUMENTED_EXCEPTIONS } from './fixtures';

test('reference stack log collection: chart 35-log-collection, valid, wired to Loki, only documented PSS exceptions', () => {
  const app = Testing.app();
  const loki = new Loki(new Chart(app, '30-logs'), 'Loki', { namespace: 'monitoring' });
  const alloy = addLogCollection(app, 'monitoring-agents', loki);
  const files = synthAppFiles(app);
  expect(Object.keys(files)).toContain('35-log-collection.k8s.yaml');
  const objs = Object.values(files).flatMap(parseYamlDocs);
  const mine = parseYamlDocs(files['35-log-collection.k8s.yaml']);
  expect(schemaErrors(mine)).toEqual([]);
  expect(restrictedViolations(mine)).toEqual(ALLOY_DOCUMENTED_EXCEPTIONS);
  const cfg = mine.find((o) => o.kind === 'ConfigMap')!.data['config.alloy'];
  expect(alloyReferenceErrors(cfg)).toEqual([]);
  expectAlloySyntaxAccepts({ 'reference-log-collection.alloy': cfg });
  expect(alloy.pushUrls).toEqual([loki.pushUrl]);
  for (const u of alloy.pushUrls) expect(urlResolution(u, objs)).toBeUndefined();
});
