import * as fs from 'fs';
import { Construct } from 'constructs';
import { DashboardRenderer, promQueriesOf, requireConsistentVariables, requireDashboardUid } from './model';
import { fail, show } from '../core/errors';
import { DatasourceInfo, IDashboard } from '../core/interfaces';
import { registerMetricQueries } from '../core/provenance/registry';
import { validateSharedProps } from '../core/validation';

/** Options shared by every way of creating a `GrafanaDashboard`. */
export interface GrafanaDashboardOptions {
  /**
   * Stable dashboard UID (1-40 characters from `[a-zA-Z0-9_-]`). Links, bookmarks and alert rules refer
   * to it, so it must not change between renders.
   * @default - the `uid` of the JSON model (required there when not given here)
   */
  readonly uid?: string;
  /**
   * Title.
   * @default - the `title` of the JSON model
   */
  readonly title?: string;
  /**
   * Grafana folder the dashboard is provisioned into (a folder title).
   * @default 'Dashboards'
   */
  readonly folder?: string;
}

/** Properties for `GrafanaDashboard`. */
export interface GrafanaDashboardProps extends GrafanaDashboardOptions {
  /**
   * The dashboard JSON model (classic model, as Grafana's "Export" > "Export as JSON" writes it; the
   * "export for sharing externally" form with `__inputs` and `${DS_...}` placeholders is accepted too).
   * Datasource references are resolved when the dashboard is rendered for a Grafana.
   */
  readonly json: { [key: string]: any };
}

/** Default folder for user dashboards. */
const DEFAULT_FOLDER = 'Dashboards';

/**
 * A Grafana dashboard as code, provisioned by `grafana.addDashboard(dashboard)`.
 *
 * The JSON model is kept as given; when the Grafana renders its provisioning files, every datasource
 * reference (in panels, targets, template variables and annotations) is resolved to the stable UID of
 * one of that Grafana's datasources, and every PromQL and LogQL query is parsed. A reference that
 * matches no datasource, or a query that does not parse, fails the synth with the panel named.
 *
 * Accepted references: `{ "type": "prometheus", "uid": "<known uid>" }`; `{ "type": "prometheus" }` or
 * a `${DS_PROMETHEUS}` placeholder (resolved by kind when the Grafana has exactly one datasource of that
 * kind); a legacy datasource name; a datasource template variable (`${datasource}`, kept dynamic);
 * Grafana's built-ins (`-- Grafana --`, `-- Mixed --`, `-- Dashboard --`, expressions).
 */
export class GrafanaDashboard extends Construct implements IDashboard {
  /** A dashboard from its JSON model (an object). */
  public static fromJson(scope: Construct, id: string, props: GrafanaDashboardProps): GrafanaDashboard {
    return new GrafanaDashboard(scope, id, props);
  }

  /** A dashboard from its JSON model as text (e.g. pasted from Grafana's JSON Model view). */
  public static fromJsonString(scope: Construct, id: string, json: string, options: GrafanaDashboardOptions = {}): GrafanaDashboard {
    return new GrafanaDashboard(scope, id, { ...options, json: parseJson(scope, id, json, 'the JSON string') });
  }

  /** A dashboard from a JSON file exported from Grafana (read at synth time, path relative to the working directory). */
  public static fromFile(scope: Construct, id: string, path: string, options: GrafanaDashboardOptions = {}): GrafanaDashboard {
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (e) {
      const probe = new Construct(scope, id);
      return fail(probe, {
        problem: 'the dashboard file cannot be read',
        received: `${show(path)} (${(e as Error).message})`,
        expected: 'a readable JSON file exported from Grafana',
        fix: 'check the path (relative paths are resolved from the directory synth runs in; use path.join(__dirname, ...))',
      });
    }
    return new GrafanaDashboard(scope, id, { ...options, json: parseJson(scope, id, text, show(path)) });
  }

  /** Stable dashboard UID. */
  public readonly uid: string;
  /** Title. */
  public readonly title: string;
  /** Folder it is provisioned into. */
  public readonly folder: string;
  private readonly model: { [key: string]: any };

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    // the props given to this base class (a subclass's own props are checked by the subclass)
    validateSharedProps(this, props, { required: true, struct: 'GrafanaDashboardProps' });
    let json: any = props.json;
    if (typeof json === 'string') json = parseJson(this, undefined, json, "'json'");
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      fail(this, {
        problem: "'json' is not a dashboard JSON model",
        received: show(json),
        expected: 'an object with at least "title", "uid" and "panels"',
        fix: 'pass the dashboard JSON object (JSON.parse of the exported file) or use GrafanaDashboard.fromFile(...)',
      });
    }
    if (json.spec && json.apiVersion && json.kind === 'Dashboard') {
      fail(this, {
        problem: 'the JSON is a Kubernetes-style dashboard resource (V1/V2 resource model), not the classic model file provisioning reads',
        received: `apiVersion ${show(json.apiVersion)}, kind ${show(json.kind)}`,
        expected: 'the classic dashboard JSON model (schemaVersion, panels, templating)',
        fix: 'export the dashboard with "Export as JSON" in the classic format, or pass its "spec" for a v1 resource',
      });
    }
    this.uid = requireDashboardUid(this, props.uid ?? json.uid, props.uid !== undefined ? "'uid'" : 'the "uid" of the JSON model');
    const title = props.title ?? json.title;
    if (typeof title !== 'string' || title.trim() === '') {
      fail(this, {
        problem: 'the dashboard has no title',
        received: show(title),
        expected: "a non-empty 'title' prop or \"title\" in the JSON model",
        fix: "set 'title'",
      });
    }
    this.title = title;
    this.folder = props.folder ?? DEFAULT_FOLDER;
    if (this.folder.trim() === '' || /[\/\\]/.test(this.folder) || this.folder.length > 100) {
      fail(this, {
        problem: "'folder' is not a usable folder title",
        received: show(this.folder),
        expected: 'a non-empty folder title without slashes, at most 100 characters',
        fix: "use a plain title such as 'Platform'",
      });
    }
    // Keep a private copy: later mutation of the caller's object does not change what we render.
    this.model = JSON.parse(JSON.stringify({ ...json, uid: this.uid, title: this.title }));
    requireConsistentVariables(this, this.uid, this.model);
    // the metric-provenance check reads the PromQL queries (every metric must have a source in the app)
    registerMetricQueries(this, () => promQueriesOf(this.model));
  }

  /**
   * The dashboard JSON with every datasource reference resolved to one of `datasources` and every query
   * parsed. Fails (with the dashboard, panel and position named) on an unknown reference or a bad query.
   */
  public renderJson(datasources: DatasourceInfo[]): string {
    return JSON.stringify(this.renderModel(datasources), null, 2) + '\n';
  }

  /** Like `renderJson`, returning the object. */
  public renderModel(datasources: DatasourceInfo[]): { [key: string]: any } {
    return new DashboardRenderer(this, this.uid, datasources).render(this.model);
  }
}

function parseJson(scope: Construct, id: string | undefined, text: string, what: string): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = id !== undefined ? (scope.node.tryFindChild(id) ?? new Construct(scope, id)) : scope;
    return fail(at, {
      problem: `${what} is not valid JSON`,
      received: (e as Error).message,
      expected: 'a dashboard JSON model',
      fix: 'export the dashboard again from Grafana (Share > Export > Export as JSON) or fix the syntax',
    });
  }
}
