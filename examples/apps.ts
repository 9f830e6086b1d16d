/**
 * Every app whose synthesized YAML is committed under dist/. `npx projen render` synthesizes each into
 * dist/<name>/ and the drift test (test/dist.test.ts) checks that a fresh synth is byte-identical.
 */
import { App } from 'cdk8s';
import { buildAlloyBeylaPyroscope } from './alloy-beyla-pyroscope';
import { buildArgoCdApplications } from './argocd';
import { buildK8sMonitoring } from './k8s-monitoring';
import { buildLokiDistributed } from './loki-distributed';
import { buildOtelHub } from './otel-hub';
import { buildReferenceStack } from './reference-stack';
import { buildSeedFrontend } from './seed-frontend';

export interface RenderedApp {
  /** Folder under dist/. */
  readonly name: string;
  /** What it shows. */
  readonly description: string;
  /** Adds the app's charts. */
  readonly build: (app: App) => void;
}

export const RENDERED_APPS: RenderedApp[] = [
  { name: 'reference', description: 'The reference LGTM stack (what Argo CD syncs)', build: buildReferenceStack },
  { name: 'argocd', description: 'Argo CD Applications that point at dist/ folders', build: buildArgoCdApplications },
  { name: 'seed-frontend', description: 'Seed scenario: frontend ServiceMonitor, workload/golden-signal/SLO alerts, critical alerts to Slack', build: buildSeedFrontend },
  { name: 'otel-hub', description: 'OpenTelemetry Collector hub (contrib) with Tempo, Loki, Prometheus and correlated Grafana datasources, in namespace otel-hub', build: buildOtelHub },
  { name: 'alloy-beyla-pyroscope', description: 'Alloy central collector, Beyla eBPF auto-instrumentation and Pyroscope profiles, in namespaces o11y and o11y-agents', build: buildAlloyBeylaPyroscope },
  { name: 'loki-distributed', description: 'Distributed Loki (production profile) on an in-cluster S3-compatible store (SeaweedFS)', build: buildLokiDistributed },
  { name: 'k8s-monitoring', description: 'Grafana k8s-monitoring features: cluster events, journal, annotation autodiscovery, PodMonitors, OpenCost, Kepler, in namespaces k8s-mon and k8s-mon-agents', build: buildK8sMonitoring },
];
