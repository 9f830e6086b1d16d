import * as path from 'path';
import { Testing } from 'cdk8s';
import { datasourceRefs } from './dashboard-checker';
import { DATASOURCES, MIMIR, oneQueryDashboard } from './fixtures';
import { GrafanaDashboard } from '../../src/dashboards';
import { substituteVariables, variableRefs } from '../../src/dashboards/model';
import { random } from '../random';

const render = (json: any, datasources = DATASOURCES) =>
  GrafanaDashboard.fromJson(Testing.chart(), 'D', { json }).renderModel(datasources);

const firstPanelDs = (json: any, datasources = DATASOURCES) => render(json, datasources).panels[0].datasource;

describe('datasource reference resolution', () => {
  test('a { type, uid } reference to a known uid is kept', () => {
    expect(firstPanelDs(oneQueryDashboard({ type: 'prometheus', uid: 'prometheus' }, 'up'))).toEqual({ type: 'prometheus', uid: 'prometheus' });
  });

  test('{ type } alone resolves to the only datasource of that kind', () => {
    expect(firstPanelDs(oneQueryDashboard({ type: 'loki' }, '{app="web"}'))).toEqual({ type: 'loki', uid: 'loki' });
  });

  test('a ${DS_...} placeholder resolves by the kind its name implies', () => {
    expect(firstPanelDs(oneQueryDashboard('${DS_PROMETHEUS}', 'up'))).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(firstPanelDs(oneQueryDashboard({ type: 'prometheus', uid: '${DS_PROM}' }, 'up'))).toEqual({ type: 'prometheus', uid: 'prometheus' });
  });

  test('a legacy reference by datasource name resolves to its uid', () => {
    expect(firstPanelDs(oneQueryDashboard('Loki', '{app="web"}'))).toEqual({ type: 'loki', uid: 'loki' });
  });

  test('a uid reference without type gets the type of the datasource', () => {
    expect(firstPanelDs(oneQueryDashboard({ uid: 'prometheus' }, 'up'))).toEqual({ type: 'prometheus', uid: 'prometheus' });
  });

  test('Grafana built-ins are left alone', () => {
    const json = oneQueryDashboard({ type: 'datasource', uid: '-- Mixed --' }, 'up');
    json.panels[0].targets[0].datasource = { type: 'prometheus' };
    const out = render(json);
    expect(out.panels[0].datasource).toEqual({ type: 'datasource', uid: '-- Mixed --' });
    expect(out.panels[0].targets[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(firstPanelDs(oneQueryDashboard('-- Grafana --', 'x'))).toBe('-- Grafana --');
  });

  test('a datasource template variable stays dynamic and its queries are still parsed by its type', () => {
    const json = oneQueryDashboard({ type: 'prometheus', uid: '${ds}' }, 'rate(x[$__rate_interval])', {
      templating: { list: [{ name: 'ds', type: 'datasource', query: 'prometheus' }] },
    });
    expect(firstPanelDs(json)).toEqual({ type: 'prometheus', uid: '${ds}' });
    json.panels[0].targets[0].expr = 'rate(x[5m]';
    expect(() => render(json)).toThrow(/invalid PromQL/);
  });

  test('{ type } is ambiguous when the Grafana has two datasources of that kind', () => {
    expect(() => firstPanelDs(oneQueryDashboard({ type: 'prometheus' }, 'up'), [...DATASOURCES, MIMIR]))
      .toThrow(/without a uid, and the Grafana has 2 of them.*candidates: Prometheus \(uid prometheus\), Mimir \(uid mimir\)/);
    expect(firstPanelDs(oneQueryDashboard({ type: 'prometheus', uid: 'mimir' }, 'up'), [...DATASOURCES, MIMIR])).toEqual({ type: 'prometheus', uid: 'mimir' });
  });

  test('a type that contradicts the datasource fails', () => {
    expect(() => render(oneQueryDashboard({ type: 'loki', uid: 'prometheus' }, 'up')))
      .toThrow(/names datasource uid "prometheus" with type "loki", but that datasource is a prometheus/);
  });

  test('references in variables, annotations, targets and collapsed rows are all resolved', () => {
    const json = {
      uid: 'everywhere',
      title: 'Everywhere',
      annotations: { list: [{ name: 'deploys', datasource: { type: 'prometheus' }, enable: true, expr: 'changes(kube_deployment_status_observed_generation[5m]) > 0' }] },
      templating: { list: [{ name: 'ns', type: 'query', datasource: 'Prometheus', query: 'label_values(up{job="x"}, namespace)' }] },
      panels: [
        {
          id: 1,
          type: 'row',
          title: 'Collapsed',
          collapsed: true,
          gridPos: { x: 0, y: 0, w: 24, h: 1 },
          panels: [{ id: 2, type: 'logs', title: 'Logs', datasource: { type: 'loki' }, gridPos: { x: 0, y: 1, w: 24, h: 8 }, targets: [{ refId: 'A', expr: '{ns=~"$ns"}' }] }],
        },
      ],
    };
    const out = render(json);
    expect(out.annotations.list[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(out.templating.list[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(out.panels[0].panels[0].datasource).toEqual({ type: 'loki', uid: 'loki' });
    expect(datasourceRefs(out).every((r) => typeof r === 'object')).toBe(true);
  });

  test('a dashboard exported "for sharing externally" is resolved from its __inputs and cleaned', () => {
    const d = GrafanaDashboard.fromFile(Testing.chart(), 'Exported', path.join(__dirname, 'fixtures', 'exported-for-sharing.json'), { folder: 'Imported' });
    expect(d.uid).toBe('exported-overview');
    expect(d.title).toBe('Exported overview');
    expect(d.folder).toBe('Imported');
    const out = JSON.parse(d.renderJson(DATASOURCES));
    expect(out.__inputs).toBeUndefined();
    expect(out.__requires).toBeUndefined();
    expect(out.id).toBeUndefined();
    expect(out.panels[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    expect(out.panels[0].targets[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
    // "DS_LOGS" names no kind: the __inputs entry says it is a loki datasource
    expect(out.panels[1].datasource).toEqual({ type: 'loki', uid: 'loki' });
    expect(out.templating.list[0].datasource).toEqual({ type: 'prometheus', uid: 'prometheus' });
  });

  test('rendering does not change the model, and later edits of the input do not leak in', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up');
    const d = GrafanaDashboard.fromJson(Testing.chart(), 'D', { json });
    json.panels[0].title = 'changed';
    d.renderJson(DATASOURCES);
    expect(d.renderModel(DATASOURCES).panels[0].title).toBe('First');
    expect(d.renderModel([...DATASOURCES, MIMIR].filter((x) => x.uid !== 'prometheus')).panels[0].datasource).toEqual({ type: 'prometheus', uid: 'mimir' });
  });
});

describe('identity', () => {
  test('uid, title and folder come from the JSON, props override them', () => {
    const c = Testing.chart();
    const a = GrafanaDashboard.fromJson(c, 'A', { json: oneQueryDashboard({ type: 'prometheus' }, 'up') });
    expect([a.uid, a.title, a.folder]).toEqual(['one-query', 'One query', 'Dashboards']);
    const b = GrafanaDashboard.fromJson(c, 'B', { json: oneQueryDashboard({ type: 'prometheus' }, 'up'), uid: 'other', title: 'Other', folder: 'Team A' });
    expect([b.uid, b.title, b.folder]).toEqual(['other', 'Other', 'Team A']);
    expect(b.renderModel(DATASOURCES)).toMatchObject({ uid: 'other', title: 'Other' });
  });

  test('fromJsonString parses text', () => {
    const d = GrafanaDashboard.fromJsonString(Testing.chart(), 'S', JSON.stringify(oneQueryDashboard({ type: 'prometheus' }, 'up')));
    expect(d.uid).toBe('one-query');
  });
});

describe('Grafana variables in queries', () => {
  test.each([
    'sum by (path) (rate(x{ns=~"$namespace"}[$__rate_interval]))',
    'rate(x{ns="${namespace:regex}"}[${__range}] offset $shift)', // offset belongs to the selector: after rate(...) Prometheus rejects it
    'topk($n, sum by ($group) (rate(x[$__interval])))',
    'histogram_quantile(0.99, sum by (le) (rate([[metric]]_bucket[5m])))',
  ])('PromQL with variables parses: %s', (expr) => {
    expect(() => render(oneQueryDashboard({ type: 'prometheus' }, expr, definedVariables(expr)))).not.toThrow();
  });

  test('LogQL with variables parses', () => {
    const expr = 'sum by (level) (count_over_time({namespace=~"$namespace"} | json [$__auto]))';
    expect(() => render(oneQueryDashboard({ type: 'loki' }, expr, definedVariables(expr)))).not.toThrow();
  });

  test('positions map back to the original query', () => {
    const s = substituteVariables('rate(x[$__rate_interval]) +');
    expect(s.text).toBe('rate(x[5m]) +');
    expect(s.originalPosition(s.text.length)).toBe(27);
  });
});

describe('bad input', () => {
  test('fails when a panel references an unknown datasource uid', () => {
    expect(() => render(oneQueryDashboard({ type: 'prometheus', uid: 'P1809F7CD0C75ACF3' }, 'up'))).toThrow(
      /dashboard "one-query" panel "First" \(id 1, panels\[0\] at x=0,y=0\) references an unknown datasource: the Grafana has no datasource with uid "P1809F7CD0C75ACF3".*Received: \{"type":"prometheus","uid":"P1809F7CD0C75ACF3"\}; expected: a reference to one of the Grafana's datasources: Prometheus \(type prometheus, uid prometheus\), Loki \(type loki, uid loki\).*Fix: add that datasource/s,
    );
  });

  test('fails when a panel references a kind the Grafana does not have', () => {
    expect(() => render(oneQueryDashboard({ type: 'tempo' }, 'x'))).toThrow(/references an unknown datasource: the Grafana has no datasource of type "tempo"/);
  });

  test('fails when a panel has invalid PromQL, naming dashboard, panel, position', () => {
    expect(() => render(oneQueryDashboard({ type: 'prometheus' }, 'sum(rate(http_requests_total[5m])'))).toThrow(
      /\[test\/D\] dashboard "one-query" panel "First" \(id 1, panels\[0\] at x=0,y=0\) target A: invalid PromQL at position \d+\. Received: \nsum\(rate\(http_requests_total\[5m\]\)\n *\^/,
    );
  });

  test('fails when a panel has invalid LogQL', () => {
    expect(() => render(oneQueryDashboard({ type: 'loki' }, '{namespace="dev" |= "error"'))).toThrow(
      /dashboard "one-query" panel "First" \(id 1, panels\[0\] at x=0,y=0\) target A: invalid LogQL at position \d+.*expected: a LogQL expression that Loki can parse/s,
    );
  });

  test('fails when a variable query has invalid PromQL', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up', {
      templating: { list: [{ name: 'ns', type: 'query', datasource: { type: 'prometheus' }, query: 'label_values(up{job=}, namespace)' }] },
    });
    json.panels[0].targets[0].expr = 'up{namespace=~"$ns"}';
    expect(() => render(json)).toThrow(/templating.list\[0\] \(variable "ns"\) query: invalid PromQL/);
  });

  test.each([
    ['a uid longer than 40 characters', 'a'.repeat(41), /\(41 chars\)/],
    ['a uid with a slash', 'team/overview', /"team\/overview"/],
    ['an empty uid', '', /""/],
  ])('fails on %s', (_what, uid, received) => {
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json: oneQueryDashboard({ type: 'prometheus' }, 'up'), uid }))
      .toThrow(/the dashboard uid \('uid'\) is not a valid Grafana dashboard uid/);
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json: oneQueryDashboard({ type: 'prometheus' }, 'up'), uid }))
      .toThrow(received);
  });

  test('fails when the JSON has no uid', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up');
    delete json.uid;
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json }))
      .toThrow(/the dashboard uid \(the "uid" of the JSON model\) is not a valid Grafana dashboard uid. Received: undefined; expected: 1 to 40 characters/);
  });

  test('fails when the JSON has no title', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up');
    delete json.title;
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json })).toThrow(/the dashboard has no title/);
  });

  test('fails on a folder with a slash', () => {
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json: oneQueryDashboard({ type: 'prometheus' }, 'up'), folder: 'a/b' }))
      .toThrow(/'folder' is not a usable folder title/);
  });

  test('fails on a file that does not exist or is not JSON', () => {
    expect(() => GrafanaDashboard.fromFile(Testing.chart(), 'F', '/nonexistent/dash.json')).toThrow(/\[test\/F\] the dashboard file cannot be read. Received: "\/nonexistent\/dash.json"/);
    expect(() => GrafanaDashboard.fromJsonString(Testing.chart(), 'S', '{ "title": ')).toThrow(/\[test\/S\] the JSON string is not valid JSON/);
  });

  test('fails on a Kubernetes-style dashboard resource', () => {
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'K', { json: { apiVersion: 'dashboard.grafana.app/v2beta1', kind: 'Dashboard', spec: {} } }))
      .toThrow(/Kubernetes-style dashboard resource/);
  });
});

/** Custom variables for every (non built-in) variable `expr` refers to. */
function definedVariables(expr: string): any {
  const names = [...new Set(variableRefs(expr).filter((n) => !n.startsWith('__')))];
  return { templating: { list: names.map((name) => ({ name, type: 'custom', query: 'a,b' })) } };
}

describe('template variables (bad input)', () => {
  test('a variable that nothing uses fails, naming it', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up', { templating: { list: [{ name: 'namespace', type: 'custom', query: 'a,b' }] } });
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json })).toThrow(
      /\[test\/D\] dashboard "one-query" templating\.list\[0\] \(variable "namespace"\) is not used by any query, datasource reference, title or link\. Received: \{"name":"namespace","type":"custom","query":"a,b"\}; expected: every variable referred to somewhere in the dashboard as \$namespace or \$\{namespace\}\. Fix: use \$namespace in the queries it should filter/,
    );
  });

  test('a variable used only in a title, a datasource reference or a repeat counts as used', () => {
    const json = oneQueryDashboard({ type: 'prometheus', uid: '${ds}' }, 'up', {
      templating: { list: [{ name: 'ds', type: 'datasource', query: 'prometheus' }, { name: 'pod', type: 'custom', query: 'a,b' }, { name: 'node', type: 'custom', query: 'a' }] },
    });
    json.panels[0].title = 'Pod $pod';
    json.panels[0].repeat = 'node';
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json })).not.toThrow();
  });

  test.each([
    ['$namespce', 'up{namespace=~"$namespce"}'],
    ['${pod:regex}', 'up{pod=~"${pod:regex}"}'],
    ['[[job]]', 'up{job="[[job]]"}'],
  ])('a query that uses an undefined variable (%s) fails, with the defined ones and the nearest', (_what, expr) => {
    const json = oneQueryDashboard({ type: 'prometheus' }, `${expr} or up{namespace=~"$namespace"}`, { templating: { list: [{ name: 'namespace', type: 'custom', query: 'a' }] } });
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json })).toThrow(
      /dashboard "one-query" panel "First" \(id 1, panels\[0\] at x=0,y=0\) target A uses the variable \$\w+, which the dashboard does not define\. Received: ".*"; expected: one of the dashboard's variables \(\$namespace\) or a Grafana built-in such as \$__rate_interval, \$__interval or \$__range\. Fix: define "\w+" in templating\.list, or correct the name/,
    );
  });

  test('the nearest defined name is suggested', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up{namespace=~"$namespce"} or up{namespace=~"$namespace"}', { templating: { list: [{ name: 'namespace', type: 'custom', query: 'a' }] } });
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json })).toThrow(/did you mean \$namespace\?/);
  });

  test('an undefined variable in a variable query fails too', () => {
    const json = oneQueryDashboard({ type: 'prometheus' }, 'up{pod=~"$pod"}', {
      templating: { list: [{ name: 'pod', type: 'query', datasource: { type: 'prometheus' }, query: 'label_values(kube_pod_info{namespace=~"$namespace"}, pod)' }] },
    });
    expect(() => GrafanaDashboard.fromJson(Testing.chart(), 'D', { json })).toThrow(/templating\.list\[0\] \(variable "pod"\) query uses the variable \$namespace, which the dashboard does not define/);
  });
});

/** substituteVariables as it was (a regex tried at every character), the reference for the one that only tries it at `$` and `[[`. */
function substituteVariablesReference(expr: string): { text: string; map: number[] } {
  let out = '';
  const map: number[] = [];
  let quote: string | undefined;
  let bracket = 0;
  let i = 0;
  const emit = (s: string, from: number) => {
    for (let k = 0; k < s.length; k++) map.push(from);
    out += s;
  };
  while (i < expr.length) {
    const c = expr[i];
    if (quote) {
      if (c === '\\' && quote !== '`') {
        emit(expr.slice(i, i + 2), i);
        i += 2;
        continue;
      }
      if (c === quote) quote = undefined;
      emit(c, i);
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      emit(c, i);
      i++;
      continue;
    }
    const v = /^(\$\{[A-Za-z0-9_.]+(?::[A-Za-z0-9_]+)?\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z0-9_]+(?::[A-Za-z0-9_]+)?\]\])/.exec(expr.slice(i));
    if (v) {
      emit(bracket > 0 || /offset\s*$/i.test(out) ? '5m' : 'grafana_variable', i);
      i += v[0].length;
      continue;
    }
    if (c === '[') bracket++;
    if (c === ']') bracket = Math.max(0, bracket - 1);
    emit(c, i);
    i++;
  }
  map.push(expr.length);
  return { text: out, map };
}

test('substituteVariables gives the text and positions of the reference implementation on generated queries', () => {
  const pieces = ['$', '${', '}', '[', '[[', ']]', ']', 'a', '_', ':', '.', 'x1', '"', "'", '`', '\\', 'offset ', 'OFFSET', ' ', '1', '$__rate_interval', '${v:csv}', '[[v]]', '5m'];
  const next = random(5);
  for (let i = 0; i < 20000; i++) {
    let expr = '';
    for (let j = Math.floor(next() * 12); j > 0; j--) expr += pieces[Math.floor(next() * pieces.length)];
    const ours = substituteVariables(expr);
    const ref = substituteVariablesReference(expr);
    expect({ expr, text: ours.text }).toEqual({ expr, text: ref.text });
    for (let p = 0; p <= ref.text.length + 1; p++) {
      if (ours.originalPosition(p) !== ref.map[Math.min(p, ref.map.length - 1)]) throw new Error(`position ${p} of ${JSON.stringify(expr)} differs`);
    }
  }
});
