/**
 * The check of scripts/consumer-test.sh: `node scripts/ts-run.js test/stack/consumer-check.ts <dir>`
 * reads the YAML a consumer app synthesized and requires that every object passes the schema harness,
 * that the whole stack is there (CRDs, Prometheus, Loki, Tempo, Grafana, Alloy), that the minikube
 * memory requests stay within 1 GiB and that the files are named `<stack id>-<NN>-<part>` without a
 * hash. Then it applies the output to the control plane of test/control-plane (etcd, kube-apiserver,
 * controller-manager, the Prometheus Operator), exactly as the dist/ folders are: every object admitted,
 * every Pod created, every Prometheus config accepted by promtool.
 */
import * as fs from 'fs';
import { readYamlDir, schemaErrors } from '../harness';
import { requestRows, totals } from './requests';
import { loadFolder } from '../control-plane/apply';
import { checkFolder, summary } from '../control-plane/run';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const objs = readYamlDir(dir);
  const problems = schemaErrors(objs);
  for (const [kind, name] of [['CustomResourceDefinition', 'prometheuses.monitoring.coreos.com'], ['Prometheus', 'prometheus'], ['StatefulSet', 'loki'], ['StatefulSet', 'tempo'], ['Deployment', 'grafana'], ['DaemonSet', 'alloy-logs']]) {
    if (!objs.some((o) => o.kind === kind && o.metadata.name === name)) problems.push(`no ${kind} ${name} in the output`);
  }
  for (const f of fs.readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) {
    if (!/^lgtm-\d\d-[a-z-]+[a-z]\.k8s\.yaml$/.test(f)) problems.push(`file ${f} is not named <stack id>-<NN>-<part>.k8s.yaml`);
  }
  const total = totals(requestRows(objs));
  if (total.memoryMi > 1024) problems.push(`memory requests ${total.memoryMi}Mi exceed 1 GiB`);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`consumer output: ${objs.length} objects pass the schema harness; memory requests ${total.memoryMi}Mi, CPU ${total.cpuMillis}m`);

  const report = await checkFolder('consumer', loadFolder(dir));
  console.log(summary('consumer output', report));
  if (report.problems.length > 0) {
    console.error(`control plane: ${report.problems.length} problem(s)\n${report.problems.join('\n')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
