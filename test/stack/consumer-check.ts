/**
 * The check of scripts/consumer-test.sh: `node scripts/ts-run.js test/stack/consumer-check.ts <dir>`
 * reads the YAML a consumer app synthesized and requires that every object passes the schema harness,
 * that the whole stack is there (CRDs, Prometheus, Loki, Tempo, Grafana, Alloy) and that the minikube
 * memory requests stay within 1 GiB.
 */
import { readYamlDir, schemaErrors } from '../harness';
import { requestRows, totals } from './requests';

const dir = process.argv[2];
const objs = readYamlDir(dir);
const problems = schemaErrors(objs);
for (const [kind, name] of [['CustomResourceDefinition', 'prometheuses.monitoring.coreos.com'], ['Prometheus', 'prometheus'], ['StatefulSet', 'loki'], ['StatefulSet', 'tempo'], ['Deployment', 'grafana'], ['DaemonSet', 'alloy-logs']]) {
  if (!objs.some((o) => o.kind === kind && o.metadata.name === name)) problems.push(`no ${kind} ${name} in the output`);
}
const total = totals(requestRows(objs));
if (total.memoryMi > 1024) problems.push(`memory requests ${total.memoryMi}Mi exceed 1 GiB`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`consumer output: ${objs.length} objects pass the schema harness; memory requests ${total.memoryMi}Mi, CPU ${total.cpuMillis}m`);
