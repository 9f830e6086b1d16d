/**
 * The Prometheus Operator, built at the version of the operator image we ship, run against the test's API
 * server. It reconciles the folder's Prometheus and Alertmanager resources; this module then proves, from
 * what the real selector code produced, that every ServiceMonitor, PodMonitor and Probe of the folder has a scrape
 * job and every PrometheusRule a rule file, and that promtool accepts the generated config and rules.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as YAML from 'yaml';
import { Images } from '../../src/core/images';
import { engineBinary } from '../engines';
import { objectId, RenderedObject } from './apply';
import { ControlPlane, freePort, pinnedModuleVersion } from './cluster';

/** The operator release (engines/prometheus-operator/go.mod); a test pins it to the shipped image's tag. */
export const OPERATOR_VERSION = pinnedModuleVersion('prometheus-operator', 'github.com/prometheus-operator/prometheus-operator');
/** Prometheus as shipped (the tag of `Images.PROMETHEUS`). */
export const PROMETHEUS_VERSION = Images.PROMETHEUS.split(':')[1];

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * promtool at the shipped Prometheus version from engines/prometheus when that engine exists in the tree
 * (it fails with the build command when not built); Debian's promtool otherwise, said in `note`.
 */
export function promtool(): { bin: string; note: string } {
  if (fs.existsSync(path.join(ROOT, 'engines', 'prometheus', 'build.sh'))) {
    return { bin: engineBinary('prometheus', 'promtool', PROMETHEUS_VERSION), note: `promtool ${PROMETHEUS_VERSION} (engines/prometheus)` };
  }
  try {
    const v = execFileSync('promtool', ['--version'], { encoding: 'utf8', timeout: 30_000 }).split('\n')[0];
    return { bin: 'promtool', note: `Debian's ${v} (engines/prometheus is not in this tree yet)` };
  } catch {
    throw new Error('promtool is missing: install it with `bash scripts/ensure-tools.sh` (Debian prometheus), or build engines/prometheus');
  }
}

/** Starts the operator with the test's kubeconfig, watching every namespace as the shipped Deployment does. */
export async function startOperator(cp: ControlPlane, deadline: number): Promise<void> {
  const bin = engineBinary('prometheus-operator', 'prometheus-operator', OPERATOR_VERSION);
  const port = await freePort();
  const op = cp.procs.start('prometheus-operator', bin, [
    `--web.listen-address=127.0.0.1:${port}`, '--log-level=info', '--log-format=logfmt',
    `--prometheus-config-reloader=${Images.PROMETHEUS_CONFIG_RELOADER}`,
  ], { ...process.env, KUBECONFIG: cp.kubeconfig });
  await cp.procs.waitReady(op, 'the operator to serve /healthz', deadline, async () => {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return r.ok ? true : undefined;
  });
}

/** What the operator check found. */
export interface OperatorReport {
  readonly problems: string[];
  /** Scrape job names by Prometheus (`namespace/name`). */
  readonly jobs: Map<string, string[]>;
  /** Rule file keys by Prometheus. */
  readonly ruleFiles: Map<string, string[]>;
  /** The generated scrape configs by job name (of every Prometheus of the folder). */
  readonly scrapeConfigs: Map<string, any>;
  readonly promtool: string;
}

async function poll<T>(deadline: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  while (true) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function run(bin: string, args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync(bin, args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e: any) {
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.stdout || e.stderr ? '' : e.message}` };
  }
}

const reconciled = (o: any) => (o?.status?.conditions ?? []).find((c: any) => c.type === 'Reconciled');

/**
 * Waits for the operator to reconcile the folder's Prometheus and Alertmanager resources into StatefulSets
 * and config Secrets, then checks the selection: a scrape job per ServiceMonitor endpoint and PodMonitor
 * endpoint, a rule file per PrometheusRule, and promtool's verdict on the config and every rule file.
 */
export async function checkOperator(
  cp: ControlPlane, objects: RenderedObject[], workDir: string, deadlineMs: number = 90_000,
): Promise<OperatorReport> {
  const deadline = Date.now() + deadlineMs;
  const problems: string[] = [];
  const jobs = new Map<string, string[]>();
  const ruleFiles = new Map<string, string[]>();
  const tool = promtool();
  const of = (kind: string) => objects.map((o) => o.obj).filter((o) => o.kind === kind && o.apiVersion === 'monitoring.coreos.com/v1');
  const configs = new Map<string, any>();
  const scrapeConfigs = new Map<string, any>();

  for (const p of of('Prometheus')) {
    const ns = p.metadata.namespace;
    const name = p.metadata.name;
    const id = `${ns}/${name}`;
    const crPath = `/apis/monitoring.coreos.com/v1/namespaces/${ns}/prometheuses/${name}`;
    const done = await poll(deadline, async () => {
      const [cr, sec, sts] = await Promise.all([
        cp.request('GET', crPath), cp.request('GET', `/api/v1/namespaces/${ns}/secrets/prometheus-${name}`),
        cp.request('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets/prometheus-${name}`),
      ]);
      const c = reconciled(cr.body);
      if (c?.status === 'False') return { failed: `${c.reason}: ${c.message}` };
      return c?.status === 'True' && sec.status === 200 && sec.body.data?.['prometheus.yaml.gz'] && sts.status === 200 ? { secret: sec.body } : undefined;
    });
    if (!done || 'failed' in done) {
      const cr = await cp.request('GET', crPath);
      problems.push(`Prometheus ${id}: not reconciled into StatefulSet prometheus-${name} and Secret prometheus-${name}`
        + ` (${done && 'failed' in done ? done.failed : `status: ${JSON.stringify(cr.body?.status?.conditions ?? 'none')}`})`);
      continue;
    }
    const text = zlib.gunzipSync(Buffer.from(done.secret.data['prometheus.yaml.gz'], 'base64')).toString('utf8');
    const cfg = YAML.parse(text);
    configs.set(id, cfg);
    jobs.set(id, (cfg.scrape_configs ?? []).map((s: any) => s.job_name));
    for (const sc of cfg.scrape_configs ?? []) {
      scrapeConfigs.set(sc.job_name, sc);
      // the deprecated field: monitors take the ServiceAccount token from a scrape class instead
      if (sc.bearer_token_file) problems.push(`Prometheus ${id}: job ${sc.job_name} uses the deprecated bearer_token_file`);
    }
    const cfgFile = path.join(workDir, `prometheus-${ns}-${name}.yaml`);
    fs.writeFileSync(cfgFile, text);
    // The config's file references (the service-account token, TLS assets, rule files) exist only inside the
    // Prometheus Pod, so promtool checks syntax and semantics without opening them.
    const checked = run(tool.bin, ['check', 'config', '--syntax-only', cfgFile]);
    if (!checked.ok) problems.push(`Prometheus ${id}: promtool check config rejects the generated config: ${checked.out.trim()}`);

    // Rule ConfigMaps prometheus-<name>-rulefiles-<n>, and the rule_files globs that load them.
    const keys: string[] = [];
    for (let i = 0; ; i++) {
      const cm = await cp.request('GET', `/api/v1/namespaces/${ns}/configmaps/prometheus-${name}-rulefiles-${i}`);
      if (cm.status !== 200) break;
      const dir = `/etc/prometheus/rules/prometheus-${name}-rulefiles-${i}/`;
      const globbed = (cfg.rule_files ?? []).some((g: string) => g === `${dir}*.yaml`);
      for (const [key, body] of Object.entries<string>(cm.body.data ?? {})) {
        keys.push(key);
        if (!globbed) problems.push(`Prometheus ${id}: rule file ${key} is in ConfigMap prometheus-${name}-rulefiles-${i}, which rule_files does not load`);
        const ruleFile = path.join(workDir, key);
        fs.writeFileSync(ruleFile, body);
        const r = run(tool.bin, ['check', 'rules', ruleFile]);
        if (!r.ok) problems.push(`Prometheus ${id}: promtool check rules rejects ${key}: ${r.out.trim()}`);
      }
    }
    ruleFiles.set(id, keys);
  }

  for (const a of of('Alertmanager')) {
    const ns = a.metadata.namespace;
    const name = a.metadata.name;
    const crPath = `/apis/monitoring.coreos.com/v1/namespaces/${ns}/alertmanagers/${name}`;
    const done = await poll(deadline, async () => {
      const [cr, sec, sts] = await Promise.all([
        cp.request('GET', crPath), cp.request('GET', `/api/v1/namespaces/${ns}/secrets/alertmanager-${name}-generated`),
        cp.request('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets/alertmanager-${name}`),
      ]);
      const c = reconciled(cr.body);
      if (c?.status === 'False') return { failed: `${c.reason}: ${c.message}` };
      return c?.status === 'True' && sec.status === 200 && sts.status === 200 ? true : undefined;
    });
    if (done !== true) {
      const cr = await cp.request('GET', crPath);
      problems.push(`Alertmanager ${ns}/${name}: not reconciled into StatefulSet alertmanager-${name} and Secret alertmanager-${name}-generated`
        + ` (${done && typeof done === 'object' ? done.failed : `status: ${JSON.stringify(cr.body?.status?.conditions ?? 'none')}`})`);
    }
  }

  // The selection proof: every monitor has its job, every rule its file, in some Prometheus of the folder.
  const allJobs = new Map<string, string>();
  for (const [p, js] of jobs) for (const j of js) allJobs.set(j, p);
  const proms = [...configs.keys()].join(', ') || 'none reconciled';
  for (const [kind, prefix, endpoints] of [['ServiceMonitor', 'serviceMonitor', 'endpoints'], ['PodMonitor', 'podMonitor', 'podMetricsEndpoints']] as const) {
    for (const m of of(kind)) {
      const eps: unknown[] = m.spec?.[endpoints] ?? [];
      if (eps.length === 0) problems.push(`${objectId(m)}: has no ${endpoints}, so no Prometheus scrapes it`);
      eps.forEach((_, i) => {
        const job = `${prefix}/${m.metadata.namespace}/${m.metadata.name}/${i}`;
        if (!allJobs.has(job)) problems.push(`${objectId(m)}: not selected: no scrape job ${job} in the config of any Prometheus (${proms})`);
      });
    }
  }
  // a Probe becomes one job probe/<namespace>/<name> (static targets)
  for (const pr of of('Probe')) {
    const job = `probe/${pr.metadata.namespace}/${pr.metadata.name}`;
    if (!allJobs.has(job)) problems.push(`${objectId(pr)}: not selected: no scrape job ${job} in the config of any Prometheus (${proms})`);
  }
  // A monitor naming a scrape class gets the class's credentials and CA file in its jobs.
  for (const [kind, prefix, endpoints] of [['ServiceMonitor', 'serviceMonitor', 'endpoints'], ['PodMonitor', 'podMonitor', 'podMetricsEndpoints']] as const) {
    for (const m of of(kind).filter((x) => x.spec?.scrapeClass)) {
      (m.spec?.[endpoints] ?? []).forEach((_: unknown, i: number) => {
        const job = `${prefix}/${m.metadata.namespace}/${m.metadata.name}/${i}`;
        const prom = allJobs.get(job);
        const cfg = scrapeConfigs.get(job);
        if (!prom || !cfg) return; // reported above
        const p = of('Prometheus').find((x) => `${x.metadata.namespace}/${x.metadata.name}` === prom);
        const sc = (p?.spec?.scrapeClasses ?? []).find((c: any) => c.name === m.spec.scrapeClass);
        if (!sc) {
          problems.push(`${objectId(m)}: scrape class ${m.spec.scrapeClass} is not defined by Prometheus ${prom}, yet job ${job} exists`);
          return;
        }
        const wantToken = sc.authorization?.credentialsFile;
        if (wantToken && cfg.authorization?.credentials_file !== wantToken) {
          problems.push(`${objectId(m)}: job ${job} lacks authorization.credentials_file ${wantToken} of scrape class ${sc.name}: ${JSON.stringify(cfg.authorization ?? null)}`);
        }
        const wantCa = sc.tlsConfig?.caFile;
        if (wantCa && cfg.tls_config?.ca_file !== wantCa) {
          problems.push(`${objectId(m)}: job ${job} lacks tls_config.ca_file ${wantCa} of scrape class ${sc.name}: ${JSON.stringify(cfg.tls_config ?? null)}`);
        }
      });
    }
  }
  for (const r of of('PrometheusRule')) {
    const live = await cp.request('GET', `/apis/monitoring.coreos.com/v1/namespaces/${r.metadata.namespace}/prometheusrules/${r.metadata.name}`);
    const key = `${r.metadata.namespace}-${r.metadata.name}-${live.body?.metadata?.uid}.yaml`;
    if (![...ruleFiles.values()].some((ks) => ks.includes(key))) {
      problems.push(`${objectId(r)}: not selected: no rule file ${key} in the rule ConfigMaps of any Prometheus (${proms})`);
    }
  }
  return { problems, jobs, ruleFiles, scrapeConfigs, promtool: tool.note };
}
