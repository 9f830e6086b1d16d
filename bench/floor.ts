/**
 * The floor of an app: the least a cdk8s synth of the same output can cost. It loads cdk8s, builds one
 * plain `ApiObject` per output object from a JSON copy of the output, writes them with `app.synth()`,
 * and copies the CRD file. `node .tmp/bench-js/bench/floor.js <copy.json> <outdir>`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';

/** The JSON copy of an app's output, file by file. */
export interface OutputCopy {
  readonly files: Array<{ readonly chart: string; readonly objects?: any[]; readonly copyFrom?: string }>;
}

if (require.main === module) {
  const [copyFile, outdir] = process.argv.slice(2);
  const copy: OutputCopy = JSON.parse(fs.readFileSync(copyFile, 'utf8'));
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
  for (const f of copy.files.filter((x) => x.objects)) {
    const chart = new Chart(app, f.chart);
    f.objects!.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  }
  app.synth();
  for (const f of copy.files.filter((x) => x.copyFrom)) fs.copyFileSync(f.copyFrom!, path.join(outdir, `${f.chart}.yaml`));
}
