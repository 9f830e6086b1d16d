/**
 * Every app whose synthesized YAML is committed under dist/. `npx projen render` synthesizes each into
 * dist/<name>/ and the drift test (test/dist.test.ts) checks that a fresh synth is byte-identical.
 */
import { App } from 'cdk8s';
import { buildAlloyBeylaPyroscope } from './alloy-beyla-pyroscope';
import { buildAppInstrumentation } from './app-instrumentation';
import { APP_LIST, AppInfo } from './app-list';
import { buildArgoCdApplications } from './argocd';
import { buildK8sMonitoring } from './k8s-monitoring';
import { buildLokiDistributed } from './loki-distributed';
import { buildMimirProduction } from './mimir-production';
import { buildMinikube } from './minikube';
import { buildOtelHub } from './otel-hub';
import { buildProduction } from './production';
import { buildPromtailLegacy } from './promtail-legacy';
import { buildReferenceStack } from './reference-stack';
import { buildSeedFrontend } from './seed-frontend';

export interface RenderedApp extends AppInfo {
  /** Adds the app's charts. */
  readonly build: (app: App) => void;
}

/** The builder of each app of APP_LIST. */
const BUILDERS: Record<string, (app: App) => void> = {
  'reference': buildReferenceStack,
  'argocd': buildArgoCdApplications,
  'seed-frontend': buildSeedFrontend,
  'otel-hub': buildOtelHub,
  'alloy-beyla-pyroscope': buildAlloyBeylaPyroscope,
  'loki-distributed': buildLokiDistributed,
  'mimir-production': buildMimirProduction,
  'minikube': buildMinikube,
  'app-instrumentation': buildAppInstrumentation,
  'promtail-legacy': buildPromtailLegacy,
  'k8s-monitoring': buildK8sMonitoring,
  'production': buildProduction,
};

export const RENDERED_APPS: RenderedApp[] = APP_LIST.map((a) => {
  const build = BUILDERS[a.name];
  if (build === undefined) throw new Error(`examples/apps.ts: no builder for the app '${a.name}' of examples/app-list.ts`);
  return { ...a, build };
});

/** The scenario of each guide in ../shared/seeds (the user's guides, 000-004) and the dist/ apps that render it. */
export interface SeedCoverage {
  /** The guide's number. */
  readonly seed: string;
  /** Its scenario. */
  readonly scenario: string;
  /** The dist/ apps that render it (each an entry of RENDERED_APPS). */
  readonly apps: string[];
}

export const SEED_COVERAGE: SeedCoverage[] = [
  { seed: '000', scenario: 'PLGT: Grafana, Prometheus fed by Alloy, Loki, Tempo; Slack alert on the error rate', apps: ['reference', 'seed-frontend'] },
  { seed: '001', scenario: 'LGTM with Mimir, Pyroscope, Alloy, Beyla and object storage; alerts to OnCall', apps: ['production', 'mimir-production', 'alloy-beyla-pyroscope'] },
  { seed: '002', scenario: 'Promtail tailing host files with job labels, Tempo over OTLP, hand-made datasources', apps: ['promtail-legacy'] },
  { seed: '003', scenario: 'minikube: small requests, ServiceMonitor, golden signals, SLOs, Argo CD', apps: ['minikube', 'app-instrumentation', 'seed-frontend', 'argocd'] },
  { seed: '004', scenario: 'OpenTelemetry Collector hub with correlated datasources, app instrumentation, production notes', apps: ['otel-hub', 'app-instrumentation', 'production'] },
];
