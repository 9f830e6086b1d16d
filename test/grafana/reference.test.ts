/** The Grafana part of the reference stack, checked in isolation (backends as test doubles). */
import { App, Chart } from 'cdk8s';
import { addGrafana } from '../../examples/reference/grafana';
import { find, restrictedViolations, schemaErrors, synthApp, urlResolution, YAML } from '../harness';
import { backends } from './doubles';

describe('reference stack: Grafana', () => {
  test('renders with no backends yet (other parts still being built)', () => {
    const app = new App();
    addGrafana(app, 'monitoring', {});
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(find(objs, 'Deployment', 'grafana', 'monitoring')).toBeDefined();
  });

  test('with Prometheus, Alertmanager and Loki: every datasource resolves, dashboards and the seed-000 alert are provisioned', () => {
    const app = new App();
    const b = backends(new Chart(app, '10-data'));
    // The reference Loki is also a push target (ILogsBackend); Grafana only needs its datasource side.
    const loki = Object.assign(b.loki, { pushUrl: `${b.loki.datasourceInfo.url}/loki/api/v1/push` });
    addGrafana(app, 'monitoring', { prometheus: b.prometheus, alertmanager: b.alertmanager, loki });
    const objs = synthApp(app);
    expect(schemaErrors(objs)).toEqual([]);
    expect(restrictedViolations(objs)).toEqual([]);
    const cm = find(objs, 'ConfigMap', 'grafana-config', 'monitoring');
    const ds = YAML.parse(cm.data['datasources.yaml']).datasources;
    expect(ds.map((d: any) => d.type)).toEqual(['prometheus', 'alertmanager', 'loki']);
    for (const d of ds) expect(urlResolution(d.url, objs)).toBeUndefined();
    const alerting = YAML.parse(cm.data['alerting.yaml']);
    const rule = alerting.groups[0].rules[0];
    expect(rule).toMatchObject({ uid: 'frontend-high-error-rate', for: '5m', notification_settings: { receiver: 'slack-alerts' } });
    expect(rule.data[1].model.conditions[0].evaluator.params).toEqual([0.05]);
    expect(alerting.contactPoints[0].receivers[0].settings.url).toBe('${LGTM_SECRET_GRAFANA_SLACK_WEBHOOK_URL}');
    const dashboards = objs.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboard-')).map((o) => o.metadata.name);
    expect(dashboards).toContain('grafana-dashboard-platform-overview');
    expect(dashboards.length).toBeGreaterThanOrEqual(6);
    // Every datasource UID a shipped dashboard uses exists in this Grafana.
    const uids = new Set(ds.map((d: any) => d.uid));
    for (const o of objs.filter((x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith('grafana-dashboard-'))) {
      const json = Object.values(o.data)[0] as string;
      const used = [...json.matchAll(/"datasource":\s*\{[^{}]*"uid":\s*"([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('$') && u !== '-- Grafana --' && u !== 'grafana');
      // a dashboard that queries a datasource variable (`${datasource}`) has no fixed uid; the variable's type must exist
      if (used.length === 0 && /"type": "datasource"/.test(json)) continue;
      expect(used.length).toBeGreaterThan(0);
      for (const u of used) expect(uids.has(u)).toBe(true);
    }
  });
});
