/**
 * One app of examples/apps.ts, as `npx projen render` synthesizes it, into a folder of the bench's
 * choice: `node .tmp/bench-js/bench/render-app.js <app> <outdir>`. Loads only that app's module, as a
 * user's own synth process would (examples/apps.ts loads all four).
 */
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { ArgoCdSyncAnnotations } from '../src/argocd';
import { ARGOCD_CHECKOUT_CONTEXT } from '../src/argocd/application';

/* eslint-disable @typescript-eslint/no-require-imports */
const BUILDERS: Record<string, () => (app: App) => void> = {
  'reference': () => require('../examples/reference-stack').buildReferenceStack,
  'argocd': () => require('../examples/argocd').buildArgoCdApplications,
  'seed-frontend': () => require('../examples/seed-frontend').buildSeedFrontend,
  'loki-distributed': () => require('../examples/loki-distributed').buildLokiDistributed,
  'otel-hub': () => require('../examples/otel-hub').buildOtelHub,
  'alloy-beyla-pyroscope': () => require('../examples/alloy-beyla-pyroscope').buildAlloyBeylaPyroscope,
  'mimir-production': () => require('../examples/mimir-production').buildMimirProduction,
  'minikube': () => require('../examples/minikube').buildMinikube,
  'app-instrumentation': () => require('../examples/app-instrumentation').buildAppInstrumentation,
  'promtail-legacy': () => require('../examples/promtail-legacy').buildPromtailLegacy,
  'k8s-monitoring': () => require('../examples/k8s-monitoring').buildK8sMonitoring,
  'production': () => require('../examples/production').buildProduction,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The names the bench can render (the same as examples/apps.ts; checked by the bench). */
export const BENCH_APPS = Object.keys(BUILDERS);

if (require.main === module) {
  const [name, outdir] = process.argv.slice(2);
  const build = BUILDERS[name];
  if (!build) throw new Error(`no app '${name}' (${BENCH_APPS.join(', ')})`);
  // the App examples/render.ts synthesizes each app with
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
  // as examples/render.ts `renderApp` does (its PREREQUISITES.md and DATAFLOW.md are not synth output)
  app.node.setContext(ARGOCD_CHECKOUT_CONTEXT, [path.join(__dirname, '..', '..', '..')]);
  ArgoCdSyncAnnotations.applyTo(app);
  build()(app);
  app.synth();
}
