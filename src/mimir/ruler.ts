/**
 * Mimir's ruler and Alertmanager (Mimir 3.1.1).
 *
 * Rules are GitOps objects: every rule group is validated when it is added (PromQL parsed and
 * type-checked, names, durations, duplicates: the `RuleGroup` of `PrometheusRule`) and rendered at synth
 * into one ConfigMap per tenant, mounted at `<rules dir>/<tenant>/` and read by the ruler with
 * `ruler_storage.backend: local` (Mimir's local rule store reads `<dir>/<tenant>/<namespace file>`; it is
 * read-only, so the rules in Git are the only rules). No PrometheusRule object is emitted for them, so
 * the in-cluster Prometheus never evaluates a rule meant for Mimir. The ruler re-reads the files every
 * `ruler.poll_interval` (1m here): a rule change reaches the ruler without restarting Mimir.
 */
import { Duration, Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { MimirTenancy, validateMimirTenantId } from './tenancy';
import { prune, renderYaml, ConfigFiles } from '../core/config';
import { addLgtmValidation, fail, show } from '../core/errors';
import { StorageOptions } from '../core/storage';
import { AlertReceiver } from '../prometheus/alertmanager';
import { IAlertmanager } from '../prometheus/routing';
import { RuleGroup, RuleGroupProps } from '../rules/prometheus-rule';

/** Options of Mimir's ruler (`MimirProps.ruler`). */
export interface MimirRulerOptions {
  /**
   * Tenants the ruler evaluates rules for (multi-tenancy only; each gets its own rule directory).
   * @default - the default tenant of `tenancy` (`anonymous`, Mimir's tenant, when tenancy is off)
   */
  readonly tenants?: string[];
  /**
   * The Alertmanager the ruler's alerts go to (its Service URL is read from it), e.g. the operator's
   * `Alertmanager`.
   * @default - Mimir's own Alertmanager when `MimirProps.alertmanager` is set; without either, an alerting rule fails at synth
   */
  readonly alertmanager?: IAlertmanager;
  /**
   * Ruler pods (Distributed mode; Monolithic runs the ruler in its one pod).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Default evaluation interval of the rule groups (`ruler.evaluation_interval`).
   * @default Duration.minutes(1)
   */
  readonly evaluationInterval?: Duration;
}

/** Options of Mimir's own multi-tenant Alertmanager (`MimirProps.alertmanager`). */
export interface MimirAlertmanagerOptions {
  /**
   * Receiver of every alert of a tenant that has no Alertmanager config of its own (Mimir's fallback
   * config). Required: there is no silent `null` default. Its credential Secrets are mounted into the
   * Alertmanager pods, where the receiver reads them (`*_file`). Tenants may load their own config with
   * `mimirtool alertmanager load` (kept in `alertmanager_storage`).
   */
  readonly defaultReceiver: AlertReceiver;
  /** Root `group_by` of the fallback config. @default ['alertname', 'namespace'] */
  readonly groupBy?: string[];
  /**
   * Alertmanager pods (Distributed mode; they replicate alerts, silences and notification state).
   * @default 3
   */
  readonly replicas?: number;
  /**
   * The PVC of each Alertmanager pod (Distributed mode; silences and notification log).
   * @default - 1 GiB, the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;
}

/** A rule group evaluated by Mimir's ruler for one tenant (`mimir.addRuleGroup`). */
export interface MimirRuleGroupProps extends RuleGroupProps {
  /**
   * The tenant whose series the rules query and into which recording rules write.
   * @default - the default tenant (`tenancy`'s, or `anonymous` when tenancy is off)
   */
  readonly tenant?: string;
  /**
   * The ruler namespace (Mimir groups rule groups in namespaces; here one file per namespace).
   * @default 'default'
   */
  readonly ruleNamespace?: string;
}

/** Mimir's tenant when `multitenancy_enabled` is false (`-auth.no-auth-tenant`). */
export const MIMIR_NO_AUTH_TENANT = 'anonymous';
/** Where the rule ConfigMaps are mounted (one sub-directory per tenant). */
export const MIMIR_RULES_DIR = '/etc/mimir-rules';
/** Mimir's Alertmanager API prefix (`-http.alertmanager-http-prefix`). */
export const MIMIR_ALERTMANAGER_PREFIX = '/alertmanager';
/** The fallback Alertmanager config file (in the `mimir` ConfigMap). */
export const MIMIR_ALERTMANAGER_FALLBACK = 'alertmanager-fallback.yaml';

const RULE_NAMESPACE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The rules of one tenant: one ConfigMap, one file per ruler namespace. */
interface TenantRules {
  readonly tenant: string;
  readonly files: ConfigFiles;
  readonly volumeName: string;
  readonly namespaces: Map<string, RuleGroup[]>;
}

/** The ruler of one Mimir: tenants, rule ConfigMaps and their mounts. Internal. */
export class MimirRulerSetup {
  public readonly tenants: string[];
  public readonly evaluationInterval: Duration;
  private readonly rules = new Map<string, TenantRules>();
  private readonly defaultTenant: string;

  constructor(
    private readonly scope: Construct,
    private readonly options: MimirRulerOptions,
    tenancy: MimirTenancy,
    names: { name: string; namespace: string; labels: Record<string, string> },
    private readonly alertmanagerUrl: () => string | undefined,
  ) {
    this.defaultTenant = tenancy.tenantId ?? MIMIR_NO_AUTH_TENANT;
    this.tenants = this.resolveTenants(tenancy);
    this.evaluationInterval = options.evaluationInterval ?? Duration.minutes(1);
    if (!(this.evaluationInterval.toMilliseconds() >= 1000)) {
      fail(scope, {
        problem: "'ruler.evaluationInterval' must be at least 1s",
        received: `${this.evaluationInterval.toMilliseconds()}ms`,
        expected: 'a Duration of 1s or more, e.g. Duration.minutes(1)',
        fix: 'pass a longer evaluationInterval, or leave it unset (1m)',
      });
    }
    if (options.alertmanager !== undefined && typeof (options.alertmanager as any).alertmanagerUrl !== 'string') {
      fail(scope, {
        problem: "'ruler.alertmanager' is not an Alertmanager",
        received: show((options.alertmanager as any)?.node?.path ?? options.alertmanager),
        expected: 'an IAlertmanager, e.g. the Alertmanager construct of the prometheus module',
        fix: "pass the Alertmanager the ruler's alerts go to, or set MimirProps.alertmanager to run Mimir's own",
      });
    }
    this.tenants.forEach((tenant, i) => {
      const slug = tenant.toLowerCase();
      const suffix = DNS_LABEL.test(slug) && slug.length <= 20 && !this.tenants.some((t, j) => j !== i && t.toLowerCase() === slug) ? slug : `t${i}`;
      const files = new ConfigFiles(scope, `Rules-${i}`, { name: `${names.name}-rules-${suffix}`, namespace: names.namespace, labels: names.labels });
      this.rules.set(tenant, { tenant, files, volumeName: `rules-${i}`, namespaces: new Map() });
    });
    addLgtmValidation(scope, () => {
      const empty = [...this.rules.values()].flatMap((t) => [...t.namespaces.entries()]
        .flatMap(([ns, groups]) => groups.filter((g) => g._render().rules.length === 0).map((g) => `${t.tenant}/${ns}/${g.name}`)));
      return empty.length === 0 ? [] : [{
        problem: 'Mimir rule groups without rules',
        received: show(empty),
        expected: 'every group to hold at least one alerting or recording rule',
        fix: 'add rules to the groups (alerts, recordingRules, or addAlert/addRecord on the returned group), or do not create them',
      }];
    });
    addLgtmValidation(scope, () => {
      const alerts = this.alertNames();
      return alerts.length === 0 || this.alertmanagerUrl() ? [] : [{
        problem: `the Mimir ruler has ${alerts.length} alerting rule(s) but no Alertmanager to send them to`,
        received: alerts.slice(0, 5).join(', ') + (alerts.length > 5 ? ', ...' : ''),
        expected: "an Alertmanager: MimirProps.alertmanager (Mimir's own) or ruler.alertmanager (e.g. the operator's Alertmanager)",
        fix: 'set alertmanager: { defaultReceiver } in MimirProps, or ruler: { alertmanager: myAlertmanager }',
      }];
    });
  }

  /** Adds a rule group for a tenant (validated like every PrometheusRule group). */
  public addGroup(props: MimirRuleGroupProps): RuleGroup {
    const tenant = props.tenant ?? this.defaultTenant;
    const t = this.rules.get(tenant);
    if (!t) {
      fail(this.scope, {
        problem: `rule group '${props.name}' targets tenant ${show(tenant)}, which the Mimir ruler does not evaluate rules for`,
        received: show(tenant),
        expected: `one of the ruler's tenants: ${show(this.tenants)}`,
        fix: this.tenants.length === 1 && this.tenants[0] === MIMIR_NO_AUTH_TENANT
          ? `tenancy is off, so every series belongs to '${MIMIR_NO_AUTH_TENANT}': drop 'tenant', or turn on tenancy: MimirTenancy.multi(...)`
          : "add the tenant to 'ruler.tenants', or drop 'tenant' to use the default tenant",
      });
    }
    const ns = props.ruleNamespace ?? 'default';
    if (typeof ns !== 'string' || !RULE_NAMESPACE.test(ns)) {
      fail(this.scope, {
        problem: `rule group '${props.name}': 'ruleNamespace' is not a valid ruler namespace here`,
        received: show(ns),
        expected: 'letters, digits, -, _ and ., starting and ending with a letter or digit, at most 63 characters (it names the rule file)',
        fix: "use a name such as 'team-a' or 'slo'",
      });
    }
    const groups = t.namespaces.get(ns) ?? [];
    if (groups.some((g) => g.name === props.name)) {
      fail(this.scope, {
        problem: `duplicate rule group name '${props.name}' in ruler namespace '${ns}' of tenant ${show(tenant)}`,
        received: show(props.name),
        expected: 'group names unique within a ruler namespace (Mimir refuses a rule file with repeated group names)',
        fix: "rename the group, or put it in another 'ruleNamespace'",
      });
    }
    const group = new RuleGroup(this.scope, props);
    for (const r of props.recordingRules ?? []) group.addRecord(r);
    for (const a of props.alerts ?? []) group.addAlert(a);
    if (!t.namespaces.has(ns)) {
      t.namespaces.set(ns, groups);
      t.files._addFile(`${ns}.yaml`, () => this.renderFile(tenant, ns));
    }
    groups.push(group);
    return group;
  }

  /** The rule file of one tenant and namespace, as Mimir's local rule store reads it. */
  public ruleFile(tenant: string, ruleNamespace: string): any {
    const groups = this.rules.get(tenant)?.namespaces.get(ruleNamespace) ?? [];
    return { groups: groups.map((g) => prune(g._render())) };
  }

  /** The rule ConfigMaps, by tenant. */
  public get configMaps(): { [tenant: string]: ConfigFiles } {
    const out: Record<string, ConfigFiles> = {};
    for (const t of this.rules.values()) out[t.tenant] = t.files;
    return out;
  }

  /** The volumes of the pods that run the ruler (one ConfigMap per tenant). */
  public volumes(): k8s.Volume[] {
    return [...this.rules.values()].map((t) => ({ name: t.volumeName, configMap: { name: t.files.name } }));
  }

  /** The mounts: `<rules dir>/<tenant>/<namespace>.yaml`. */
  public volumeMounts(): k8s.VolumeMount[] {
    return [...this.rules.values()].map((t) => ({ name: t.volumeName, mountPath: `${MIMIR_RULES_DIR}/${t.tenant}`, readOnly: true }));
  }

  /** Names of every alerting rule (`tenant/group/alert`). */
  public alertNames(): string[] {
    const out: string[] = [];
    for (const t of this.rules.values()) {
      for (const groups of t.namespaces.values()) {
        for (const g of groups) {
          for (const r of g._render().rules) if ('alert' in r) out.push(`${t.tenant}/${g.name}/${(r as any).alert}`);
        }
      }
    }
    return out;
  }

  private renderFile(tenant: string, ns: string): string {
    return renderYaml(this.ruleFile(tenant, ns));
  }

  private resolveTenants(tenancy: MimirTenancy): string[] {
    const given = this.options.tenants;
    if (given === undefined) return [this.defaultTenant];
    if (!tenancy.multitenancyEnabled) {
      fail(this.scope, {
        problem: "'ruler.tenants' needs multi-tenancy: with tenancy off every series belongs to one tenant",
        received: show(given),
        expected: `tenancy: MimirTenancy.multi(...), or no 'ruler.tenants' (rules run as '${MIMIR_NO_AUTH_TENANT}')`,
        fix: "drop 'ruler.tenants', or turn on tenancy: MimirTenancy.multi('team-a')",
      });
    }
    if (!Array.isArray(given) || given.length === 0 || new Set(given).size !== given.length) {
      fail(this.scope, {
        problem: "'ruler.tenants' must list distinct tenants, at least one",
        received: show(given),
        expected: "e.g. ['team-a', 'team-b']",
        fix: "remove the repeated tenant, or leave 'ruler.tenants' unset (the default tenant)",
      });
    }
    for (const t of given) validateMimirTenantId(this.scope, 'ruler.tenants', t);
    return [...given];
  }
}

/** Validates a replica count of an optional target. */
export function optionalTargetReplicas(scope: IConstruct, prop: string, value: number | undefined, fallback: number, distributed: boolean): number {
  if (value !== undefined && !distributed) {
    fail(scope, {
      problem: `'${prop}' needs Distributed mode (Monolithic runs every target in its one pod)`,
      received: show(value),
      expected: 'mode: MimirMode.DISTRIBUTED',
      fix: `drop '${prop}', or use mode: MimirMode.DISTRIBUTED with object storage`,
    });
  }
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1) {
    fail(scope, {
      problem: `'${prop}' must be a positive integer`,
      received: show(n),
      expected: 'an integer >= 1',
      fix: `set '${prop}' to 1 or more, or leave it unset (${fallback})`,
    });
  }
  return n;
}

/** The default PVC of a Mimir Alertmanager pod. */
export const MIMIR_ALERTMANAGER_VOLUME = Size.gibibytes(1);

/** The upstream shape of Mimir's fallback Alertmanager config (used by every tenant without its own). */
export interface MimirAlertmanagerFallbackYaml {
  readonly route: { readonly receiver: string; readonly group_by: string[] };
  readonly receivers: Array<Record<string, unknown>>;
}

/** Where the receivers' credential Secrets are mounted (the paths `AlertReceiver` renders). */
export const MIMIR_ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** The fallback config every tenant without its own gets: everything to `defaultReceiver`. */
export function mimirAlertmanagerFallback(options: MimirAlertmanagerOptions): MimirAlertmanagerFallbackYaml {
  return {
    route: { receiver: options.defaultReceiver.name, group_by: options.groupBy ?? ['alertname', 'namespace'] },
    receivers: [options.defaultReceiver._render()],
  };
}

/** Validates the default receiver; returns the Secret volumes and mounts its credentials need. */
export function mimirAlertmanagerSecrets(
  scope: IConstruct, options: MimirAlertmanagerOptions,
): { volumes: k8s.Volume[]; volumeMounts: k8s.VolumeMount[] } {
  const r = options.defaultReceiver;
  if (!(r instanceof AlertReceiver)) {
    fail(scope, {
      problem: "'alertmanager.defaultReceiver' must be an AlertReceiver",
      received: show(r),
      expected: "an AlertReceiver object, e.g. AlertReceiver.webhook('oncall', { url: { secretName, key } })",
      fix: "route the alerts of Mimir's Alertmanager somewhere a human looks (never a silent null receiver)",
    });
  }
  const secrets = [...new Set(r._check(scope).map((ref) => ref.secretName))].sort();
  return {
    volumes: secrets.map((name, i) => ({ name: `am-secret-${i}`, secret: { secretName: name } })),
    volumeMounts: secrets.map((name, i) => ({ name: `am-secret-${i}`, mountPath: `${MIMIR_ALERTMANAGER_SECRETS_DIR}/${name}`, readOnly: true })),
  };
}
