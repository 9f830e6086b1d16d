// The README's usage example, kept as a file so it is type-checked (`tsc -p test/tsconfig.json`).
// test/readme.test.ts checks that the README shows exactly this code (imports from 'cdk8s-lgtm') and runs it.
import { App, Chart, Duration } from 'cdk8s';
import {
  Alertmanager, AlertReceiver, AlloyLogs, Grafana, KubeletMonitor, KubernetesWorkloadRules, KubeStateMetrics,
  Loki, Prometheus, PrometheusOperator, PrometheusOperatorCrds,
} from '../src';

const app = new App();
new PrometheusOperatorCrds(new Chart(app, '00-crds'), 'Crds'); // sync wave -10, server-side apply

const chart = new Chart(app, 'monitoring');
const namespace = 'monitoring';
new PrometheusOperator(chart, 'Operator', { namespace });
const prometheus = new Prometheus(chart, 'Prometheus', { namespace, retention: Duration.days(15) });
const alertmanager = new Alertmanager(chart, 'Alertmanager', {
  namespace,
  // required: never a silent black hole
  defaultReceiver: AlertReceiver.slack('slack', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts' }),
});
prometheus.addAlertmanager(alertmanager);
new KubeStateMetrics(chart, 'KubeStateMetrics', { namespace }); // the workload alerts read its series
new KubeletMonitor(chart, 'KubeletMonitor', { namespace }); // and cAdvisor's, through the kubelet
new KubernetesWorkloadRules(chart, 'WorkloadRules', { namespace });

const loki = new Loki(chart, 'Loki', { namespace }); // Monolithic on a PVC by default
const logs = new AlloyLogs(chart, 'Logs', { namespace: 'monitoring-agents' });
logs.addLogsDestination(loki); // push URL taken from `loki`

const grafana = new Grafana(chart, 'Grafana', {
  namespace,
  adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
});
grafana.addDatasource(prometheus); // stable UIDs, correlations wired
grafana.addDatasource(loki);
grafana.addDatasource(alertmanager);

app.synth();
