/**
 * Monitoring your own application, as an addition to the minikube stack (dist/minikube/): a demo
 * service in its own namespace `demo` with a `/metrics` endpoint, its ServiceMonitor (port `http`,
 * `/metrics` every 15 s), golden-signal rules (error ratio, p99 latency), an availability SLO with
 * multi-window burn-rate alerts, and a load generator sending OTLP traces to the stack's collector
 * (`alloy-collector.lgtm.svc:4317`). The minikube Prometheus watches every namespace, so it selects
 * the monitor and the rules; the dashboard is provisioned by the stack's Grafana (`addDemoDashboard`,
 * rendered into dist/minikube/).
 *
 * The demo image is prometheus-example-app (`http_requests_total{code,method}`,
 * `http_request_duration_seconds` histogram on :8080/metrics); the trace source is the OpenTelemetry
 * `telemetrygen` at the collector version the library ships.
 *
 * Rendered into dist/app-instrumentation/; apply it after dist/minikube/.
 */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  GoldenSignalsDashboard, GoldenSignalsRules, KubernetesWorkloadRules, LgtmStack, Namespace, ServiceMonitor, Slo, SloIndicator,
} from '../src';

export const DEMO_NAMESPACE = 'demo';
const APP = 'demo-app';
const DEMO_IMAGE = 'quay.io/brancz/prometheus-example-app:v0.5.0';
const TELEMETRYGEN_IMAGE = 'ghcr.io/open-telemetry/opentelemetry-collector-contrib/telemetrygen:v0.155.0';
/** The minikube stack's collector (examples/minikube.ts): OTLP gRPC. */
const COLLECTOR_OTLP = 'alloy-collector.lgtm.svc:4317';

const METRICS = { requests: 'http_requests_total', latencyBuckets: 'http_request_duration_seconds_bucket', errors: 'code=~"5.."' };

/** Pod Security "restricted" for a container that runs as a non-root user. */
const restricted: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65534,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function deployment(chart: Chart, name: string, container: k8s.Container): void {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': APP };
  new k8s.KubeDeployment(chart, name, {
    metadata: { name, namespace: DEMO_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels },
        spec: { automountServiceAccountToken: false, containers: [{ ...container, securityContext: restricted }] },
      },
    },
  });
}

export function buildAppInstrumentation(app: App): void {
  new Namespace(new Chart(app, '01-namespace'), 'Namespace', { name: DEMO_NAMESPACE });
  const chart = new Chart(app, '10-demo');

  deployment(chart, APP, {
    name: 'app',
    image: DEMO_IMAGE,
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/metrics', port: k8s.IntOrString.fromString('http') } },
    resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') }, limits: { memory: k8s.Quantity.fromString('64Mi') } },
  });
  const service = new kplus.Service(chart, 'Service', {
    metadata: { name: APP, namespace: DEMO_NAMESPACE, labels: { 'app.kubernetes.io/name': APP, 'tier': 'web' } },
    ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
  });
  service.selectLabel('app.kubernetes.io/name', APP);
  ServiceMonitor.forService(chart, 'Monitor', service, {
    endpoints: [{ port: 'http', path: '/metrics', interval: Duration.seconds(15) }],
  });

  // OTLP traces into the stack's collector (Tempo behind it)
  deployment(chart, 'demo-traces', {
    name: 'telemetrygen',
    image: TELEMETRYGEN_IMAGE,
    args: ['traces', `--otlp-endpoint=${COLLECTOR_OTLP}`, '--otlp-insecure', '--rate=1', '--duration=8760h', `--service=${APP}`],
    resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') }, limits: { memory: k8s.Quantity.fromString('64Mi') } },
  });

  // alerts: the pods (ready, crash loops, memory) and the golden signals, and an SLO on availability
  new KubernetesWorkloadRules(chart, 'WorkloadRules', { namespace: DEMO_NAMESPACE, watchNamespaces: [DEMO_NAMESPACE] });
  const golden = new GoldenSignalsRules(chart, 'GoldenSignals', {
    namespace: DEMO_NAMESPACE,
    serviceName: APP,
    requestsMetric: METRICS.requests,
    latencyBucketMetric: METRICS.latencyBuckets,
    errorMatcher: METRICS.errors,
  });
  new Slo(chart, 'Availability', { namespace: DEMO_NAMESPACE, service: APP, objective: 0.999, indicator: SloIndicator.fromGoldenSignals(golden) });
}

/** The demo's golden-signal dashboard, provisioned by the stack's Grafana. */
export function addDemoDashboard(stack: LgtmStack): void {
  if (!stack.grafana) return;
  stack.grafana.addDashboard(new GoldenSignalsDashboard(stack.grafana, 'DemoGoldenSignals', {
    serviceName: APP,
    requestsMetric: METRICS.requests,
    latencyBucketMetric: METRICS.latencyBuckets,
    errorMatcher: METRICS.errors,
  }));
}
