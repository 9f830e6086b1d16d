import { Duration, Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { GrafanaFolders, slug } from './folders';
import type { Grafana } from './grafana';
import { fail, show } from '../core/errors';
import { IDashboard } from '../core/interfaces';
import { standardLabels } from '../core/labels';

/** Where the dashboard ConfigMaps are mounted (one directory per folder). */
const DASHBOARDS_DIR = '/var/lib/grafana/dashboards';
/** ConfigMap data limit is 1 MiB; leave room for metadata. */
const CONFIGMAP_MAX_BYTES = 1_000_000;

interface DashboardEntry {
  readonly dashboard: IDashboard;
  readonly configMapName: string;
  readonly folderSlug: string;
}

/** One file provider of dashboards.yaml. */
interface DashboardProvider {
  readonly name: string;
  readonly orgId: number;
  readonly type: 'file';
  readonly folder: string;
  readonly disableDeletion: boolean;
  readonly allowUiUpdates: boolean;
  readonly updateIntervalSeconds: number;
  readonly options: { readonly path: string; readonly foldersFromFilesStructure: boolean };
}

/**
 * The dashboards of a Grafana (`grafana.dashboards`), provisioned from files. Each dashboard gets its
 * own ConfigMap (key `<uid>.json`, so no folder can hit the 1 MiB ConfigMap limit); the ConfigMaps of
 * a folder are projected into /var/lib/grafana/dashboards/<folder> and read by one file provider per
 * folder. The JSON is rendered at synth with the Grafana's datasources.
 */
export class GrafanaDashboards {
  /** @internal */
  public static _create(grafana: Grafana, folders: GrafanaFolders, updateInterval: Duration): GrafanaDashboards {
    return new GrafanaDashboards(grafana, folders, updateInterval);
  }

  private readonly entries: DashboardEntry[] = [];
  private readonly json = new Map<IDashboard, string>();

  private constructor(private readonly grafana: Grafana, private readonly folders: GrafanaFolders, private readonly updateInterval: Duration) {}

  /** Provisions a dashboard (fails on an invalid or duplicate UID). */
  public add(d: IDashboard): void {
    const g = this.grafana;
    if (!d.uid || !/^[a-zA-Z0-9_-]{1,40}$/.test(d.uid)) {
      fail(g, { problem: 'dashboard has an invalid UID', received: show(d.uid), expected: "at most 40 letters, digits, '-' or '_'", fix: 'set a stable uid on the dashboard' });
    }
    if (this.entries.some((x) => x.dashboard.uid === d.uid)) {
      fail(g, { problem: `duplicate dashboard UID '${d.uid}'`, received: show(d.title), expected: 'unique dashboard UIDs', fix: 'give the dashboard another uid' });
    }
    const folderSlug = this.folders.register(d.folder || 'General');
    const configMapName = `${g.name}-dashboard-${slug(d.uid, 200)}`;
    if (this.entries.some((x) => x.configMapName === configMapName)) {
      fail(g, { problem: `dashboard UIDs collide after lowercasing: '${d.uid}'`, received: configMapName, expected: 'UIDs that differ in more than case or punctuation', fix: 'give the dashboard another uid' });
    }
    const labels = { ...standardLabels({ name: 'grafana', instance: g.name, component: 'dashboard' }), 'grafana.cdk8s-lgtm.dev/folder': folderSlug };
    new k8s.KubeConfigMap(g, `Dashboard-${d.uid}`, {
      metadata: {
        name: configMapName,
        namespace: g.namespace,
        labels,
        // Dashboards can exceed the 256 KiB last-applied annotation of client-side apply.
        annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' },
      },
      data: Lazy.any({ produce: () => ({ [`${d.uid}.json`]: this._render(d) }) }) as unknown as { [key: string]: string },
    });
    this.entries.push({ dashboard: d, configMapName, folderSlug });
  }

  /** Every dashboard added, in order. */
  public get all(): IDashboard[] {
    return this.entries.map((e) => e.dashboard);
  }

  /** @internal The dashboard JSON (rendered once, size-checked). */
  public _render(d: IDashboard): string {
    let json = this.json.get(d);
    if (json === undefined) {
      json = d.renderJson(this.grafana.datasources.all);
      const bytes = Buffer.byteLength(json, 'utf8');
      if (bytes > CONFIGMAP_MAX_BYTES) {
        fail(this.grafana, {
          problem: `dashboard '${d.uid}' is too large for a ConfigMap`,
          received: `${bytes} bytes`,
          expected: `at most ${CONFIGMAP_MAX_BYTES} bytes (ConfigMaps hold 1 MiB)`,
          fix: 'split the dashboard into several dashboards',
        });
      }
      this.json.set(d, json);
    }
    return json;
  }

  /** @internal `[uid, json]` of every dashboard, for the pod's checksum annotation. */
  public _checksumInput(): Array<[string, string]> {
    return this.entries.map((e) => [e.dashboard.uid, this._render(e.dashboard)]);
  }

  /** @internal dashboards.yaml: one file provider per folder, addressed by title (see GrafanaFolders). */
  public _providersFile(): { apiVersion: number; providers: DashboardProvider[] } {
    return {
      apiVersion: 1,
      providers: this.slugs().map((s) => ({
        name: `lgtm-${s}`,
        orgId: 1,
        type: 'file',
        folder: this.folders.title(s),
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: Math.round(this.updateInterval.toSeconds()),
        options: { path: `${DASHBOARDS_DIR}/${s}`, foldersFromFilesStructure: false },
      })),
    };
  }

  /** @internal One projected volume per folder. */
  public _volumes(): k8s.Volume[] {
    return this.slugs().map((s) => ({
      name: volumeName(s),
      projected: { sources: this.entries.filter((d) => d.folderSlug === s).map((d) => ({ configMap: { name: d.configMapName } })) },
    }));
  }

  /** @internal The mounts of those volumes. */
  public _mounts(): k8s.VolumeMount[] {
    return this.slugs().map((s) => ({ name: volumeName(s), mountPath: `${DASHBOARDS_DIR}/${s}`, readOnly: true }));
  }

  private slugs(): string[] {
    return [...new Set(this.entries.map((e) => e.folderSlug))].sort();
  }
}

function volumeName(s: string): string {
  return `dashboards-${s}`.slice(0, 63).replace(/-+$/, '');
}
