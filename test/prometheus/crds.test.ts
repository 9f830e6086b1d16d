import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PrometheusOperatorCrds } from '../../src/prometheus';

test('fails with the helper message when the CRD folder holds no CRD', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
  expect(() => new PrometheusOperatorCrds(Testing.chart(), 'Crds', { directory: dir }))
    .toThrow(/\[test\/Crds\] 'directory' holds no prometheus-operator CRD file\. Received: ".*"; expected: a folder with monitoring\.coreos\.com_\*\.yaml/);
});

test('each app gets its own copy of the parsed CRDs', () => {
  const a = new PrometheusOperatorCrds(Testing.chart(), 'A');
  const b = new PrometheusOperatorCrds(Testing.chart(), 'B');
  expect(a.crds[0].toJson()).toEqual(b.crds[0].toJson());
  expect(a.crdNames).toHaveLength(10);
});
