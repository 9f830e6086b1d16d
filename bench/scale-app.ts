/**
 * The scaling app of the bench: one Prometheus, `monitors` ServiceMonitors over ten namespaces and
 * `rules` alerting rules (50 per group, 10 groups per PrometheusRule), each parsed and checked like any
 * other. Run from compiled JS: `node .tmp/bench-js/bench/scale-app.js <monitors> <rules> <outdir>`.
 */
import { App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { Prometheus, ServiceMonitor } from '../src/prometheus';
import { PrometheusRule } from '../src/rules';

export function buildScale(app: App, monitors: number, rules: number): void {
  const chart = new Chart(app, 'monitoring');
  new Prometheus(chart, 'Prometheus', { namespace: 'monitoring' });
  for (let i = 0; i < monitors; i++) {
    const ns = `team-${i % 10}`;
    new ServiceMonitor(chart, `sm-${i}`, {
      name: `svc-${i}`,
      namespace: ns,
      selector: { 'app.kubernetes.io/name': `svc-${i}` },
      endpoints: [{ port: 'http', path: '/metrics', interval: Duration.seconds(30) }],
    });
  }
  const perGroup = 50;
  const groupsPerRule = 10;
  let made = 0;
  for (let r = 0; made < rules; r++) {
    const pr = new PrometheusRule(chart, `rules-${r}`, { namespace: 'monitoring' });
    for (let g = 0; g < groupsPerRule && made < rules; g++) {
      const group = pr.addGroup({ name: `group-${g}` });
      for (let k = 0; k < perGroup && made < rules; k++, made++) {
        group.addAlert({
          alert: `HighErrorRate${made}`,
          expr: `sum(rate(http_requests_total{job="svc-${made}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="svc-${made}"}[5m])) > 0.05`,
          pendingFor: Duration.minutes(5),
          summary: `svc-${made} returns errors`,
        });
      }
    }
  }
}

if (require.main === module) {
  const [monitors, rules, outdir] = process.argv.slice(2);
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
  buildScale(app, Number(monitors), Number(rules));
  app.synth();
}
