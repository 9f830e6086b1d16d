/**
 * Every app whose synthesized YAML is committed under dist/. `npx projen render` synthesizes each into
 * dist/<name>/ and the drift test (test/dist.test.ts) checks that a fresh synth is byte-identical.
 */
import { App } from 'cdk8s';
import { buildAlloyBeylaPyroscope } from './alloy-beyla-pyroscope';
import { buildAppInstrumentation } from './app-instrumentation';
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

export interface RenderedApp {
  /** Folder under dist/. */
  readonly name: string;
  /** What it shows. */
  readonly description: string;
  /** Adds the app's charts. */
  readonly build: (app: App) => void;
  /**
   * The complete stack this folder adds to (it relies on that stack's CRDs and operator, and may place
   * objects in its namespaces). A folder without it is a complete stack in its own namespaces. Either
   * way, no object is defined by two folders (test/dist-unique.test.ts).
   */
  readonly additionTo?: string;
}

export const RENDERED_APPS: RenderedApp[] = [
  { name: 'reference', description: 'The reference LGTM stack (what Argo CD syncs)', build: buildReferenceStack },
  { name: 'argocd', description: 'Argo CD Applications that point at dist/ folders', build: buildArgoCdApplications },
  { name: 'seed-frontend', description: 'Seed scenario: frontend ServiceMonitor, workload/golden-signal/SLO alerts, critical alerts to Slack', build: buildSeedFrontend, additionTo: 'reference' },
  { name: 'otel-hub', description: 'OpenTelemetry Collector hub (contrib) with Tempo, Loki, Prometheus and correlated Grafana datasources, in namespace otel-hub', build: buildOtelHub, additionTo: 'reference' },
  { name: 'alloy-beyla-pyroscope', description: 'Alloy central collector, Beyla eBPF auto-instrumentation and Pyroscope profiles, in namespaces o11y and o11y-agents', build: buildAlloyBeylaPyroscope, additionTo: 'reference' },
  { name: 'loki-distributed', description: 'Distributed Loki (production profile) on an in-cluster S3-compatible store (SeaweedFS)', build: buildLokiDistributed, additionTo: 'reference' },
  { name: 'mimir-production', description: 'Distributed Mimir sized for 1M series on SeaweedFS S3, with Prometheus and Alloy remote-writing to it and Grafana querying it, in namespace mimir-prod', build: buildMimirProduction, additionTo: 'reference' },
  { name: 'minikube', description: 'LgtmStack, minikube profile: the whole stack within 1 GiB of memory requests, in namespaces lgtm and lgtm-agents', build: buildMinikube },
  { name: 'app-instrumentation', description: 'Addition to minikube: a demo service in namespace demo with its ServiceMonitor, golden-signal rules, an SLO and OTLP traces', build: buildAppInstrumentation, additionTo: 'minikube' },
  { name: 'promtail-legacy', description: 'Promtail tailing host files with job labels into Loki, Tempo and Grafana, in namespaces plgt and plgt-agents', build: buildPromtailLegacy },
  { name: 'k8s-monitoring', description: 'Grafana k8s-monitoring features: cluster events, journal, annotation autodiscovery, PodMonitors, OpenCost, Kepler, in namespaces k8s-mon and k8s-mon-agents', build: buildK8sMonitoring, additionTo: 'reference' },
  { name: 'production', description: 'LgtmStack, production profile: Mimir, Loki, Tempo, Pyroscope on object storage, HA with PDBs and spread, Alloy sized for 200 nodes, Beyla, NetworkPolicies, in namespaces lgtm-prod, lgtm-prod-agents and prod-apps', build: buildProduction },
];

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
