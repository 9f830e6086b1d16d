import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { touchApp } from '../../src/core/app-index';
import { addLgtmValidation } from '../../src/core/errors';
import { LgtmNetworkPolicies } from '../../src/network';
import { Prometheus, ServiceMonitor } from '../../src/prometheus';

/** An app of three charts (cdk8s validates the whole app once, then again for each chart it writes). */
function threeCharts(): { app: App; counter: { n: number }; charts: Chart[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-passes-'));
  const app = new App({ outdir });
  const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: 'monitoring' }));
  new Prometheus(charts[0], 'prometheus', { namespace: 'monitoring' });
  new ServiceMonitor(charts[1], 'sm', { name: 'web', namespace: 'team-a', selector: { app: 'web' }, endpoints: [{ port: 'http' }] });
  const counter = { n: 0 };
  addLgtmValidation(new Construct(charts[2], 'probe'), () => {
    counter.n++;
    return [];
  });
  return { app, counter, charts };
}

describe('validation passes of one App.synth()', () => {
  test('a library check runs once per tree, not once per chart', () => {
    const { app, counter } = threeCharts();
    app.synth();
    expect(counter.n).toBe(1);
    // a new synth checks again
    app.synth();
    expect(counter.n).toBe(2);
  });

  test('outside App.synth() every pass checks (the caller may change the app in between)', () => {
    const { charts, counter } = threeCharts();
    Testing.synth(charts[2]);
    Testing.synth(charts[2]);
    expect(counter.n).toBe(2);
  });

  test('a change between two passes of one synth (touchApp) checks again', () => {
    const { app, counter, charts } = threeCharts();
    let touched = false;
    // a validation that changes the app in the first pass, as the Argo CD annotations did
    charts[0].node.addValidation({
      validate: () => {
        if (!touched) { touched = true; touchApp(charts[0]); }
        return [];
      },
    });
    app.synth();
    expect(counter.n).toBe(2);
  });

  test('the discovery Roles are created before the checks of the first pass, and written', () => {
    const { app } = threeCharts();
    app.synth();
    const roles = fs.readdirSync(app.outdir).flatMap((f) => fs.readFileSync(path.join(app.outdir, f), 'utf8').split('\n---\n'))
      .filter((d) => /^kind: Role$/m.test(d)).map((d) => /namespace: (\S+)/.exec(d)![1]).sort();
    expect(roles).toEqual(['monitoring', 'team-a']);
  });

  test('after the synth no object keeps the pinned toJson of the pass, and a later change is written', () => {
    const { app, charts } = threeCharts();
    const extra = new ApiObject(charts[2], 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
    app.synth();
    for (const c of app.node.findAll()) if (ApiObject.isApiObject(c)) expect(Object.prototype.hasOwnProperty.call(c, 'toJson')).toBe(false);
    extra.addJsonPatch(JsonPatch.replace('/data/a', '2'));
    app.synth();
    const text = fs.readFileSync(path.join(app.outdir, 'c.k8s.yaml'), 'utf8');
    expect(text).toContain('a: "2"');
  });

  test('the same output as each chart written on its own (Testing.synth: no shared passes)', () => {
    const { app, charts } = threeCharts();
    app.synth();
    for (const chart of charts) {
      const written = fs.readFileSync(path.join(app.outdir, `${chart.node.id}.k8s.yaml`), 'utf8');
      expect(written).toBe(Yaml.stringify(...Testing.synth(chart)));
    }
  });

  test('with LgtmNetworkPolicies (drawn in the first pass from its index, kept by `adopt`) every object is resolved once', () => {
    const { app, charts } = threeCharts();
    const resolves = new Map<string, number>();
    class Counted extends ApiObject {
      public toJson(): any {
        resolves.set(this.node.path, (resolves.get(this.node.path) ?? 0) + 1);
        return super.toJson();
      }
    }
    new Counted(new Chart(app, 'n'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } });
    new Counted(charts[2], 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' }, data: { a: 'http://prometheus-operated.monitoring.svc:9090' } });
    const policies = new LgtmNetworkPolicies(charts[1], 'np');
    app.synth();
    expect([...resolves.values()]).toEqual([1, 1]);
    expect(policies.namespaces).toEqual(['monitoring']);
    const written = fs.readFileSync(path.join(app.outdir, 'b.k8s.yaml'), 'utf8');
    expect(written).toContain('name: lgtm-default-deny-ingress');
    // a second synth resolves again, once
    app.synth();
    expect([...resolves.values()]).toEqual([2, 2]);
  });
});
