/**
 * App plugins provisioned in a Grafana by the constructs that need them (today `GrafanaOnCall` with
 * `grafana-oncall-app`): Grafana installs each at startup from grafana.com (`[plugins] preinstall_sync
 * = <id>@<version>`, Grafana 12.1+) and enables it from `provisioning/plugins/plugins.yaml` (the app
 * plugin provisioning format of Grafana 13.1: `apiVersion: 1`, `apps: [{ type, org_id, disabled,
 * jsonData }]`). Internal: not part of the jsii API.
 */
import { IConstruct } from 'constructs';
import { IniSections } from './ini';
import { fail, show } from '../core/errors';

/** One app plugin to install and enable. */
export interface AppPluginProvisioning {
  /** Plugin id, e.g. `grafana-oncall-app`. */
  readonly type: string;
  /** Exact version installed from grafana.com, e.g. `1.16.9`. */
  readonly version: string;
  /** The plugin's `jsonData` (e.g. `onCallApiUrl`, computed from an emitted Service). */
  readonly jsonData: Record<string, string | number | boolean>;
  /** grafana.ini settings the plugin needs (feature toggles, service accounts), merged under the user's `ini`. */
  readonly ini?: IniSections;
  /** The construct that asked for it (named in messages). */
  readonly requestedBy: IConstruct;
}

/** The typed `provisioning/plugins/plugins.yaml`. */
export interface PluginsProvisioningFile {
  readonly apiVersion: 1;
  readonly apps: Array<{
    readonly type: string;
    readonly org_id: number;
    readonly disabled: boolean;
    readonly jsonData: Record<string, string | number | boolean>;
  }>;
}

/** The app plugins of one Grafana. */
export class GrafanaAppPlugins {
  private readonly plugins: AppPluginProvisioning[] = [];

  constructor(private readonly grafana: IConstruct) {}

  /** Registers a plugin; the same id twice fails. Returns true for the first plugin (the file is added then). */
  public add(p: AppPluginProvisioning): boolean {
    const other = this.plugins.find((x) => x.type === p.type);
    if (other) {
      fail(this.grafana, {
        problem: `app plugin '${p.type}' is provisioned twice in this Grafana`,
        received: `${other.requestedBy.node.path} and ${p.requestedBy.node.path}`,
        expected: 'one construct per app plugin and Grafana',
        fix: `keep one of them: ${p.type === 'grafana-oncall-app' ? 'the OnCall plugin talks to one engine only' : 'a plugin has one configuration per organization'}`,
      });
    }
    if (!/^[a-z0-9][-a-z0-9]*$/.test(p.type) || !/^\d+\.\d+\.\d+$/.test(p.version)) {
      fail(this.grafana, {
        problem: 'an app plugin needs an id and an exact version',
        received: show({ type: p.type, version: p.version }),
        expected: "an id such as 'grafana-oncall-app' and a version such as '1.16.9'",
        fix: 'pin the plugin version',
      });
    }
    this.plugins.push(p);
    return this.plugins.length === 1;
  }

  /** True when a plugin is registered. */
  public get any(): boolean {
    return this.plugins.length > 0;
  }

  /** `[plugins] preinstall_sync` and the plugins' own settings. */
  public ini(): IniSections {
    if (this.plugins.length === 0) return {};
    let out: IniSections = { plugins: { preinstall_sync: this.plugins.map((p) => `${p.type}@${p.version}`).join(',') } };
    for (const p of this.plugins) {
      for (const [s, keys] of Object.entries(p.ini ?? {})) out = { ...out, [s]: { ...(out[s] ?? {}), ...keys } };
    }
    return out;
  }

  /** The provisioning file. */
  public file(): PluginsProvisioningFile {
    return {
      apiVersion: 1,
      apps: this.plugins.map((p) => ({ type: p.type, org_id: 1, disabled: false, jsonData: p.jsonData })),
    };
  }
}
