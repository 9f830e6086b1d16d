/**
 * A checker for the classic dashboard JSON model that Grafana 13.1's file provisioning reads.
 *
 * Target: `schemaVersion` 42, the version the Grafana Foundation SDK 0.0.21 stamps
 * (`dashboard.defaultDashboard().schemaVersion`) and the last schema version of the v1 (classic) dashboard
 * API. Grafana 13.1 loads classic dashboards from schema 13 upwards and migrates them to its latest version
 * on load (the migrations after 42 rewrite transformations we do not use), so 42 is valid and needs no
 * migration of our panels.
 *
 * The JSON schema lists the fields Grafana's DashboardModel/PanelModel need to render without repair;
 * `checkDashboard` adds what a schema cannot say: unique panel ids and target refIds, panels inside the
 * 24-column grid and not overlapping, and datasource UIDs among the rendered datasources.
 */
import Ajv from 'ajv';
import { DatasourceInfo } from '../../src/core/interfaces';
import { logqlError, promqlError } from '../../src/core/query';
import { substituteVariables } from '../../src/dashboards/model';

export const TARGET_SCHEMA_VERSION = 42;

const dsRef = {
  type: 'object',
  required: ['type', 'uid'],
  properties: { type: { type: 'string', minLength: 1 }, uid: { type: 'string', minLength: 1 } },
};

const gridPos = {
  type: 'object',
  required: ['x', 'y', 'w', 'h'],
  properties: {
    x: { type: 'integer', minimum: 0, maximum: 23 },
    y: { type: 'integer', minimum: 0 },
    w: { type: 'integer', minimum: 1, maximum: 24 },
    h: { type: 'integer', minimum: 1 },
  },
};

const queryPanel = {
  type: 'object',
  required: ['id', 'type', 'title', 'gridPos', 'datasource', 'targets', 'fieldConfig', 'options'],
  properties: {
    id: { type: 'integer', minimum: 1 },
    type: { enum: ['timeseries', 'stat', 'logs', 'gauge', 'table', 'bargauge', 'text', 'heatmap', 'piechart', 'barchart', 'state-timeline', 'status-history', 'histogram', 'nodeGraph', 'traces'] },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    gridPos,
    datasource: dsRef,
    targets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['refId', 'datasource'],
        properties: { refId: { type: 'string', pattern: '^[A-Z]+$' }, datasource: dsRef, expr: { type: 'string', minLength: 1 } },
      },
    },
    fieldConfig: { type: 'object', required: ['defaults', 'overrides'], properties: { defaults: { type: 'object' }, overrides: { type: 'array' } } },
    options: { type: 'object' },
  },
};

const rowPanel = {
  type: 'object',
  required: ['id', 'type', 'title', 'gridPos', 'collapsed', 'panels'],
  properties: {
    id: { type: 'integer', minimum: 1 },
    type: { const: 'row' },
    title: { type: 'string' },
    gridPos,
    collapsed: { type: 'boolean' },
    panels: { type: 'array', items: queryPanel },
  },
};

/** JSON schema of the fields the shipped dashboards must carry. */
export const DASHBOARD_SCHEMA = {
  type: 'object',
  required: ['uid', 'title', 'schemaVersion', 'panels', 'templating', 'annotations', 'time', 'timezone', 'editable', 'tags', 'refresh', 'graphTooltip'],
  properties: {
    uid: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,40}$' },
    title: { type: 'string', minLength: 1 },
    schemaVersion: { const: TARGET_SCHEMA_VERSION },
    tags: { type: 'array', items: { type: 'string' } },
    timezone: { enum: ['browser', 'utc', ''] },
    editable: { type: 'boolean' },
    graphTooltip: { enum: [0, 1, 2] },
    refresh: { type: 'string' },
    time: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
    templating: {
      type: 'object',
      required: ['list'],
      properties: {
        list: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'type'],
            properties: { name: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }, type: { enum: ['query', 'custom', 'constant', 'datasource', 'interval', 'textbox', 'adhoc'] } },
            if: { properties: { type: { const: 'query' } } },
            then: { required: ['datasource', 'query'], properties: { datasource: dsRef } },
          },
        },
      },
    },
    annotations: {
      type: 'object',
      required: ['list'],
      properties: {
        list: {
          type: 'array',
          items: { type: 'object', required: ['name', 'datasource', 'enable'], properties: { datasource: dsRef } },
        },
      },
    },
    panels: { type: 'array', minItems: 1, items: { if: { properties: { type: { const: 'row' } } }, then: rowPanel, else: queryPanel } },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(DASHBOARD_SCHEMA);

const BUILTIN_UIDS = new Set(['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana', '__expr__']);

/** Every problem of a rendered dashboard (empty when valid). */
export function checkDashboard(json: any, datasources: DatasourceInfo[]): string[] {
  const errors: string[] = [];
  if (!validate(json)) {
    for (const e of validate.errors ?? []) errors.push(`schema: ${e.instancePath || '/'} ${e.message}`);
  }
  const panels = flatPanels(json.panels ?? []);
  const ids = new Set<number>();
  for (const p of panels) {
    if (ids.has(p.id)) errors.push(`panel id ${p.id} is used twice`);
    ids.add(p.id);
    const g = p.gridPos;
    if (g && g.x + g.w > 24) errors.push(`panel "${p.title}" is wider than the 24-column grid (x=${g.x}, w=${g.w})`);
    const refIds = new Set<string>();
    for (const t of p.targets ?? []) {
      if (refIds.has(t.refId)) errors.push(`panel "${p.title}" has two targets with refId ${t.refId}`);
      refIds.add(t.refId);
    }
  }
  // top-level panels must not overlap
  const top = (json.panels ?? []).filter((p: any) => p.gridPos);
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i].gridPos;
      const b = top[j].gridPos;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        errors.push(`panels "${top[i].title}" and "${top[j].title}" overlap`);
      }
    }
  }
  const uids = new Set(datasources.map((d) => d.uid));
  for (const ref of datasourceRefs(json)) {
    if (typeof ref === 'string' || !ref || typeof ref !== 'object') {
      errors.push(`datasource reference ${JSON.stringify(ref)} is not a { type, uid } object`);
    } else if (!BUILTIN_UIDS.has(ref.uid) && !uids.has(ref.uid)) {
      errors.push(`datasource uid ${JSON.stringify(ref.uid)} is not among the rendered datasources`);
    } else if (!BUILTIN_UIDS.has(ref.uid) && datasources.find((d) => d.uid === ref.uid)!.kind !== ref.type) {
      errors.push(`datasource uid ${JSON.stringify(ref.uid)} has type ${ref.type}, expected ${datasources.find((d) => d.uid === ref.uid)!.kind}`);
    }
  }
  for (const q of queries(json)) {
    const sub = substituteVariables(q.expr);
    const e = q.type === 'prometheus' ? promqlError(sub.text) : q.type === 'loki' ? logqlError(sub.text) : undefined;
    if (e) errors.push(`${q.where}: ${q.type} query does not parse at ${e.position}: ${q.expr}`);
  }
  return errors;
}

/** Every panel, rows' nested panels included. */
export function flatPanels(panels: any[]): any[] {
  return panels.flatMap((p) => [p, ...flatPanels(p.panels ?? [])]);
}

/** Every datasource reference anywhere in the dashboard. */
export function datasourceRefs(json: any): any[] {
  const out: any[] = [];
  const walk = (x: any) => {
    if (Array.isArray(x)) {x.forEach(walk);} else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'datasource' && v !== null && v !== undefined) out.push(v);
        else walk(v);
      }
    }
  };
  walk(json);
  return out;
}

/** Every query with the type of the datasource that runs it. */
export function queries(json: any): Array<{ where: string; type: string; expr: string }> {
  const out: Array<{ where: string; type: string; expr: string }> = [];
  for (const p of flatPanels(json.panels ?? [])) {
    for (const t of p.targets ?? []) {
      const ds = t.datasource ?? p.datasource;
      if (typeof t.expr === 'string') out.push({ where: `panel "${p.title}" target ${t.refId}`, type: ds?.type, expr: t.expr });
    }
  }
  return out;
}
