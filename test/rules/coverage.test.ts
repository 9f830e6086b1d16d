/**
 * The rule "every component we ship has at least a 'down or absent' alert and an error-rate or failure
 * alert", enforced over the component classes of src/ (every `class X extends Component`, so a new component
 * fails here until it is covered):
 *
 * - each component class is a row of the "Components we ship beyond the mixins" table of docs/ALERTS.md,
 *   with at least one alert in each column;
 * - each alert named there exists (in a pack, or in the component's own alerts) and has a promtool test
 *   (a pack fixture, or a case of the component's own alerts test);
 * - the down alert reads `up` of the component's targets (Beyla, without a scrape endpoint: its DaemonSet in
 *   kube-state-metrics), and the failure alert does not only read `up`;
 * - a real instance of each watched kind is recognised by `watchComponent`, and the rules of an app watching
 *   all of them pass the metric-provenance check (each metric has a source in the app).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { allPacks } from './alert-catalog';
import { GOLDEN_FIXTURES, NODE_FIXTURES, PROBE_FIXTURES, SELF_FIXTURES, SYSTEM_FIXTURES, WORKLOAD_FIXTURES } from './fixtures';
import { AlloyCollector, AlloyLogs } from '../../src/alloy';
import { Beyla } from '../../src/beyla';
import { metricNamesOf } from '../../src/core/provenance/metric-names';
import { Grafana } from '../../src/grafana';
import { Kepler } from '../../src/kepler';
import { Loki } from '../../src/loki';
import { lokiAlerts } from '../../src/loki/alerts';
import { mimirAlerts } from '../../src/mimir/alerts';
import { onCallAlerts } from '../../src/oncall/alerts';
import { OpenCost } from '../../src/opencost';
import { OtelCollector } from '../../src/otel';
import { KubeStateMetrics, NodeExporter, Prometheus, PrometheusOperatorCrds } from '../../src/prometheus';
import { Promtail } from '../../src/promtail';
import { Pyroscope } from '../../src/pyroscope';
import { StackSelfMonitoringRules } from '../../src/rules';
import { SeaweedFs } from '../../src/storage';
import { Tempo } from '../../src/tempo';
import { tempoAlerts } from '../../src/tempo/alerts';

const ROOT = path.join(__dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'ALERTS.md');

/** Every `class X extends Component` under src/. */
function componentClasses(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'imports') walk(p);
      } else if (e.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/export (?:abstract )?class (\w+) extends Component\b/g)) out.push(m[1]);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return out.sort();
}

interface Row { readonly constructs: string[]; readonly down: string[]; readonly failure: string[] }

/** The rows of the components table: construct names, down alerts, failure alerts (backticked names). */
function coverageRows(): Row[] {
  const text = fs.readFileSync(DOC, 'utf8');
  const start = text.indexOf('### Components we ship beyond the mixins');
  expect(start).toBeGreaterThan(0);
  const section = text.slice(start, text.indexOf('\n### ', start + 10));
  const names = (cell: string) => [...cell.matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]);
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== 6 || !/^`/.test(cells[2])) continue;
    rows.push({ constructs: names(cells[2]), down: names(cells[3]).filter((n) => /^[A-Z]/.test(n) && n.endsWith('Down')), failure: names(cells[4]).filter((n) => /^[A-Z]/.test(n) && n !== 'ProbeRules') });
  }
  return rows;
}

/** Every alert the library defines: the packs' and the components' own. */
function knownAlerts(): Map<string, string> {
  const exprs = new Map<string, string>();
  for (const p of allPacks()) {
    for (const g of p.toRuleFile().groups) for (const r of g.rules) if (r.alert) exprs.set(r.alert, r.expr);
  }
  for (const a of [...lokiAlerts('monitoring', 'loki'), ...tempoAlerts('monitoring', 'tempo', true), ...mimirAlerts('monitoring', 'mimir'), ...onCallAlerts('monitoring', 'oncall')]) exprs.set(a.alert, a.expr);
  return exprs;
}

/** Alerts with a promtool test: pack fixtures, and the cases of the components' own alerts tests. */
function testedAlerts(): Set<string> {
  const fixtures = [...WORKLOAD_FIXTURES, ...GOLDEN_FIXTURES, ...SELF_FIXTURES, ...NODE_FIXTURES, ...SYSTEM_FIXTURES, ...PROBE_FIXTURES];
  const tested = new Set<string>(fixtures.map((f) => f.alert));
  for (const file of [...['loki', 'tempo', 'mimir'].map((c) => path.join(ROOT, 'test', c, 'alerts.test.ts')), path.join(ROOT, 'test', 'oncall', 'alerts-promtool.test.ts')]) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/alertname: '([A-Za-z0-9]+)'/g)) tested.add(m[1]);
  }
  return tested;
}

describe('every component we ship has a down-or-absent alert and a failure alert', () => {
  const rows = coverageRows();
  const known = knownAlerts();
  const tested = testedAlerts();

  test('every component class of src/ is a row of the table, and every row names an existing construct', () => {
    const classes = componentClasses();
    expect(classes.length).toBeGreaterThan(15);
    const covered = rows.flatMap((r) => r.constructs);
    expect(classes.filter((c) => !covered.includes(c))).toEqual([]);
    expect(covered.filter((c) => !classes.includes(c))).toEqual([]);
  });

  test('each row has both kinds, each named alert exists and has a promtool test', () => {
    for (const r of rows) {
      expect({ row: r.constructs, down: r.down.length > 0, failure: r.failure.length > 0 }).toEqual({ row: r.constructs, down: true, failure: true });
    }
    const named = rows.flatMap((r) => [...r.down, ...r.failure]);
    expect(named.filter((a) => !known.has(a))).toEqual([]);
    expect(named.filter((a) => !tested.has(a))).toEqual([]);
  });

  test('the down alerts read the targets (or, for Beyla, its DaemonSet); the failure alerts read more than up', () => {
    for (const r of rows) {
      for (const a of r.down) {
        const metrics = metricNamesOf(known.get(a)!);
        if (r.constructs.includes('Beyla')) expect(metrics).toContain('kube_daemonset_status_number_available');
        else expect({ alert: a, metrics }).toEqual({ alert: a, metrics: ['up'] });
      }
      for (const a of r.failure) expect({ alert: a, onlyUp: metricNamesOf(known.get(a)!).every((m) => m === 'up') }).toEqual({ alert: a, onlyUp: false });
    }
  });

  test('real components of each watched kind are recognised, and the rules watching them have a source for every metric', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'stack', { namespace: 'monitoring' });
    new PrometheusOperatorCrds(new Chart(app, 'crds'), 'Crds');
    const prometheus = new Prometheus(chart, 'Prometheus', { namespace: 'monitoring' });
    const loki = new Loki(chart, 'Loki', { namespace: 'monitoring' });
    const tempo = new Tempo(chart, 'Tempo', { namespace: 'monitoring' });
    const collector = new AlloyCollector(chart, 'Collector', { namespace: 'monitoring', tracesBackend: tempo });
    const logs = new AlloyLogs(chart, 'Logs');
    logs.addLogsDestination(loki);
    const promtail = new Promtail(chart, 'Promtail');
    promtail.addLogsDestination(loki);
    const watched: IConstruct[] = [
      loki, tempo, collector,
      new Grafana(chart, 'Grafana', { namespace: 'monitoring', adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } }),
      logs,
      new KubeStateMetrics(chart, 'Ksm', { namespace: 'monitoring' }),
      new NodeExporter(chart, 'NodeExporter'),
      new Pyroscope(chart, 'Pyroscope', { namespace: 'monitoring' }),
      new OtelCollector(chart, 'Otel', { namespace: 'monitoring', tracesBackend: tempo }),
      new SeaweedFs(chart, 'S3', { namespace: 'monitoring', credentialsSecret: 's3', buckets: ['bucket-a'] }),
      new OpenCost(chart, 'OpenCost', { namespace: 'monitoring', metricsSource: prometheus }),
      new Kepler(chart, 'Kepler'),
      new Beyla(chart, 'Beyla', { otlpTarget: collector, namespaces: ['apps'] }),
      promtail,
    ];
    const self = new StackSelfMonitoringRules(chart, 'Self', { alertmanagerAlerts: false, operatorAlerts: false, volumeAlerts: false, components: watched });
    const kinds = self.packs.map((p) => p.node.id);
    expect(kinds).toEqual(expect.arrayContaining(['Loki', 'Tempo', 'Grafana', 'Alloy', 'KubeStateMetrics', 'NodeExporter', 'Pyroscope', 'OtelCollector', 'SeaweedFS', 'OpenCost', 'Kepler', 'Beyla', 'Promtail']));
    // the provenance check runs at synth: a metric without a source in the app fails it
    expect(() => app.synth()).not.toThrow();
  });
});
