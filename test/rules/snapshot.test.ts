import { Chart, Testing } from 'cdk8s';
import { GoldenSignalsRules, KubernetesWorkloadRules, Slo, SloIndicator } from '../../src/rules';
import { promqlErrors, schemaErrors } from '../harness';

test('seed rules for the frontend in dev: golden signals, SLO, workload health (snapshot)', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'frontend-rules', { namespace: 'dev' });
  const gs = new GoldenSignalsRules(chart, 'golden', {
    serviceName: 'frontend',
    requestsMetric: 'frontend_requests_total',
    latencyBucketMetric: 'frontend_request_duration_seconds_bucket',
    runbookBaseUrl: 'https://runbooks.example.com/frontend',
  });
  new Slo(chart, 'slo', { service: 'frontend', objective: 0.999, indicator: SloIndicator.fromGoldenSignals(gs) });
  new KubernetesWorkloadRules(chart, 'workloads', { watchNamespaces: ['dev'] });
  const objs = Testing.synth(chart);
  expect(schemaErrors(objs as any)).toEqual([]);
  expect(promqlErrors(objs as any)).toEqual([]);
  expect(objs).toMatchSnapshot();
});
