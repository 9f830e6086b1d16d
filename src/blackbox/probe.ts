import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BlackboxExporter } from './blackbox';
import { BlackboxProber } from './config';
import { apiObjectsOf } from '../core/app-checks';
import { nearest } from '../core/config-keys/check';
import { promDuration, requirePositive } from '../core/duration';
import { addLgtmValidation, fail, LgtmErrorDetails, show } from '../core/errors';
import { nameFromId, resolveNamespace } from '../core/names';
import { objectMeta } from '../core/objects';
import { CR_ANNOTATIONS } from '../core/prometheus-operator';
import { validateLabelMap } from '../core/props';
import { validateSharedProps } from '../core/validation';
import { requireHostname, requireHostPort, requireUrl } from '../core/validation/k8s';
import * as crd from '../imports/monitoring-probes-monitoring.coreos.com';

/** Properties of a {@link Probe}. */
export interface ProbeProps {
  /** The blackbox exporter that runs the checks (its Service and port become `spec.prober`). */
  readonly exporter: BlackboxExporter;
  /**
   * Targets: URLs for an http module (`https://example.com/healthz`), `host:port` for a tcp module,
   * host names or IP addresses for icmp. In-cluster targets name a Service of the app
   * (`http://grafana.monitoring.svc:3000/api/health`) and one of its ports. At least one, no duplicates.
   */
  readonly targets: string[];
  /**
   * The exporter module the targets are probed with (one of `exporter.moduleNames`).
   * @default 'http_2xx'
   */
  readonly module?: string;
  /** Stable object name. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Probe object. @default - the Chart's namespace, else 'monitoring' */
  readonly namespace?: string;
  /** Labels of the Probe object (what a Prometheus `monitorSelector` matches). @default - none */
  readonly labels?: { [key: string]: string };
  /**
   * Labels added to every series of these targets (e.g. `{ team: 'web' }`): Prometheus label names, not
   * `job`, `instance` or `__*` (Prometheus sets those).
   * @default - none
   */
  readonly targetLabels?: { [key: string]: string };
  /**
   * How often each target is probed; at most 5m (Prometheus' staleness window).
   * @default - the Prometheus `scrapeInterval`
   */
  readonly interval?: Duration;
  /**
   * Scrape timeout; at most `interval`, and long enough for the module's timeout plus the exporter's
   * half-second margin.
   * @default - Prometheus' default (10s, capped at the interval)
   */
  readonly scrapeTimeout?: Duration;
}

/** The exporter subtracts this from Prometheus' scrape timeout (`--timeout-offset`, default 0.5s). */
const TIMEOUT_OFFSET_MS = 500;
/** Prometheus' default scrape timeout. */
const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
const STALENESS_MS = 5 * 60 * 1000;
/** `<service>.<namespace>.svc[.cluster.local]` */
const IN_CLUSTER = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;
const IPV6 = /^[0-9a-fA-F:]+$/;

/** One target after validation: its host, port (undefined for icmp, or the scheme's default for a URL). */
interface CheckedTarget {
  readonly target: string;
  readonly host: string;
  readonly port?: number;
}

/**
 * A `monitoring.coreos.com/v1` Probe: Prometheus asks a `BlackboxExporter` to check each target with one
 * module, every `interval`, and stores the result (`probe_success`, `probe_duration_seconds`,
 * `probe_ssl_earliest_cert_expiry`, ...) under `job` = the Probe's name and `instance` = the target.
 *
 * Checked where the props enter: the module exists on the exporter (the fix names the nearest one); each
 * target is what the module's prober takes (a URL, `host:port`, or a host), at least one and no
 * duplicates; interval at most 5m; timeout at most the interval and longer than the module's timeout plus
 * the exporter's margin. Checked at synth: the exporter is in the same app; an in-cluster target names a
 * Service of the app and one of its ports; a Prometheus of the app selects the Probe (`app-checks.ts`).
 */
export class Probe extends Construct {
  /** The Probe object. */
  public readonly apiObject: ApiObject;
  /** Object name (the `job` label of its series). */
  public readonly name: string;
  /** Namespace of the Probe object. */
  public readonly namespace: string;
  /** Labels of the Probe object. */
  public readonly labels: { [key: string]: string };
  /** The module the targets are probed with. */
  public readonly module: string;
  /** The targets. */
  public readonly targets: string[];
  private readonly exporter: BlackboxExporter;
  private readonly checked: CheckedTarget[];

  constructor(scope: Construct, id: string, props: ProbeProps) {
    super(scope, id);
    validateSharedProps(this, props, { required: true });
    const exporter = props.exporter as BlackboxExporter | undefined;
    if (!exporter || typeof (exporter as any).proberOf !== 'function') {
      fail(this, {
        problem: "'exporter' is not a BlackboxExporter",
        received: exporter ? `${(exporter as any)?.node?.path ?? show(exporter)}` : 'undefined',
        expected: 'a BlackboxExporter of the same app (its Service becomes the prober)',
        fix: "create `new BlackboxExporter(chart, 'Blackbox')` and pass it as 'exporter'",
      });
    }
    this.exporter = exporter;
    this.name = nameFromId(this, 'name', props.name, 63);
    this.namespace = resolveNamespace(this, props.namespace);
    validateLabelMap(this, 'labels', props.labels);
    for (const [k, v] of Object.entries(props.targetLabels ?? {})) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) {
        fail(this, {
          problem: "'targetLabels' has a key that is not a Prometheus label name",
          received: show(k),
          expected: 'a label name matching [a-zA-Z_][a-zA-Z0-9_]* (no "-", "." or "/")',
          fix: `rename it, e.g. ${show(k.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1'))}`,
        });
      }
      if (typeof v !== 'string') {
        fail(this, { problem: `'targetLabels' value of ${show(k)} is not a string`, received: `${show(v)} (${typeof v})`, expected: 'a string', fix: `pass ${show(String(v))}` });
      }
      if (k === 'job' || k === 'instance' || k.startsWith('__')) {
        fail(this, {
          problem: `'targetLabels' sets ${show(k)}, which Prometheus sets on every probe series itself`,
          received: show(k),
          expected: k.startsWith('__') ? 'no "__" label (internal to relabeling, dropped before storage)' : `no "${k}" (job is the Probe's name, instance the target)`,
          fix: k === 'job' ? "rename the Probe ('name') to change the job label" : 'use another label name, e.g. "probe_group"',
        });
      }
    }
    this.labels = { ...(props.labels ?? {}) };
    this.module = props.module ?? 'http_2xx';
    const prober = exporter.proberOf(this.module);
    if (prober === undefined) {
      const near = nearest(String(this.module), exporter.moduleNames);
      fail(this, {
        problem: `module '${this.module}' is not a module of BlackboxExporter ${exporter.node.path}`,
        received: show(this.module),
        expected: `one of ${exporter.moduleNames.map((m) => show(m)).join(', ')}`,
        fix: near ? `use module: '${near}'` : "add it to the exporter's 'modules', or use one of those",
      });
    }
    this.targets = this.checkTargetList(props.targets);
    this.checked = this.targets.map((t, i) => this.checkTarget(prober, t, i));
    this.checkTiming(props, exporter, prober);

    this.apiObject = new crd.Probe(this, 'Resource', {
      metadata: objectMeta({ name: this.name, namespace: this.namespace, labels: this.labels, annotations: CR_ANNOTATIONS }),
      spec: {
        jobName: this.name,
        module: this.module,
        interval: props.interval ? promDuration(props.interval) : undefined,
        scrapeTimeout: props.scrapeTimeout ? promDuration(props.scrapeTimeout) : undefined,
        prober: { url: exporter.proberAddress, scheme: crd.ProbeSpecProberScheme.HTTP, path: '/probe' },
        targets: {
          staticConfig: {
            static: [...this.targets],
            labels: props.targetLabels && Object.keys(props.targetLabels).length > 0 ? { ...props.targetLabels } : undefined,
          },
        },
      },
    });
    addLgtmValidation(this, () => this.appErrors());
  }

  private checkTargetList(targets: string[] | undefined): string[] {
    if (targets !== undefined && !Array.isArray(targets)) {
      fail(this, {
        problem: `Probe '${this.name}': 'targets' must be a list`,
        received: `${show(targets)} (${typeof targets})`,
        expected: 'an array of targets',
        fix: `pass targets: [${show(targets)}]`,
      });
    }
    if (!Array.isArray(targets) || targets.length === 0) {
      fail(this, {
        problem: `Probe '${this.name}' has no targets: it would probe nothing`,
        received: show(targets),
        expected: 'at least one target (a URL, host:port or host, as the module takes)',
        fix: "pass e.g. targets: ['https://example.com/healthz']",
      });
    }
    const seen = new Set<string>();
    targets.forEach((t, i) => {
      if (seen.has(t)) {
        fail(this, { problem: `targets[${i}] repeats ${show(t)}`, received: show(targets), expected: 'each target once (a duplicate gives two identical series, which Prometheus drops as a duplicate target)', fix: 'remove the duplicate' });
      }
      seen.add(t);
    });
    return [...targets];
  }

  private checkTarget(prober: BlackboxProber, t: string, i: number): CheckedTarget {
    const prop = `targets[${i}]`;
    if (typeof t !== 'string') {
      fail(this, { problem: `${prop} is not a string`, received: `${show(t)} (${typeof t})`, expected: 'a URL, host:port or host as a string', fix: `pass ${show(String(t))}` });
    }
    if (t.trim() !== t || t === '') {
      fail(this, { problem: `${prop} is empty or has surrounding spaces`, received: show(t), expected: 'a target without spaces', fix: 'trim the target' });
    }
    switch (prober) {
      case BlackboxProber.HTTP: {
        requireUrl(this, prop, t);
        const u = new URL(t);
        if (u.username || u.password) {
          fail(this, { problem: `${prop} carries credentials in the URL`, received: show(t.replace(/\/\/[^@]*@/, '//***@')), expected: 'a URL without user:password (it would be stored in the Probe object and in the series labels)', fix: 'probe an endpoint that needs no credentials, or a health path' });
        }
        const host = u.hostname.replace(/^\[|\]$/g, '');
        return { target: t, host, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
      }
      case BlackboxProber.TCP: {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
          fail(this, { problem: `${prop} is a URL, but module '${this.module}' runs the tcp prober`, received: show(t), expected: 'host:port, e.g. "db.example.com:5432"', fix: `pass ${show(t.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, ''))}, or use an http module` });
        }
        requireHostPort(this, prop, t);
        const at = t.lastIndexOf(':');
        return { target: t, host: t.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(t.slice(at + 1)) };
      }
      default: {
        if (!IPV6.test(t) || !t.includes(':')) {
          if (/[:/]/.test(t)) {
            fail(this, { problem: `${prop} is not a host: module '${this.module}' runs the icmp prober, which takes no scheme, port or path`, received: show(t), expected: 'a host name or IP address, e.g. "gateway.example.com" or "10.0.0.1"', fix: `pass ${show(t.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[:/].*$/, '') || 'gateway.example.com')}` });
          }
          requireHostname(this, prop, t);
        }
        return { target: t, host: t };
      }
    }
  }

  private checkTiming(props: ProbeProps, exporter: BlackboxExporter, prober: BlackboxProber): void {
    requirePositive(this, 'interval', props.interval);
    requirePositive(this, 'scrapeTimeout', props.scrapeTimeout);
    const i = props.interval?.toMilliseconds();
    const t = props.scrapeTimeout?.toMilliseconds();
    if (i !== undefined && i > STALENESS_MS) {
      fail(this, { problem: `'interval' (${promDuration(props.interval!)}) is longer than Prometheus' 5m staleness window`, received: promDuration(props.interval!), expected: 'at most 5m (the probe series would go stale between two probes, and probe_success would read as absent)', fix: 'probe at most every 5m, e.g. Duration.minutes(1)' });
    }
    if (i !== undefined && t !== undefined && t > i) {
      fail(this, { problem: `'scrapeTimeout' (${promDuration(props.scrapeTimeout!)}) must not be greater than 'interval' (${promDuration(props.interval!)})`, received: `scrapeTimeout ${promDuration(props.scrapeTimeout!)}, interval ${promDuration(props.interval!)}`, expected: 'scrapeTimeout <= interval (Prometheus rejects the scrape config otherwise)', fix: `lower 'scrapeTimeout' to ${promDuration(props.interval!)} or less, or raise 'interval'` });
    }
    // what the exporter gets: the scrape timeout (Prometheus: 10s capped at the interval) minus its margin
    const effective = t ?? Math.min(DEFAULT_SCRAPE_TIMEOUT_MS, i ?? DEFAULT_SCRAPE_TIMEOUT_MS);
    const moduleTimeout = exporter._moduleTimeoutMs(this.module);
    if (effective - TIMEOUT_OFFSET_MS < moduleTimeout) {
      fail(this, {
        problem: `the scrape timeout (${effective / 1000}s${t === undefined ? `, Prometheus' default${i !== undefined ? ' capped at the interval' : ''}` : ''}) leaves the ${prober} module '${this.module}' less than its own timeout (${moduleTimeout / 1000}s)`,
        received: `scrape timeout ${effective / 1000}s, module timeout ${moduleTimeout / 1000}s, exporter margin 0.5s`,
        expected: `a scrape timeout of at least ${(moduleTimeout + TIMEOUT_OFFSET_MS) / 1000}s (the exporter cuts each probe to the scrape timeout minus 0.5s)`,
        fix: `set scrapeTimeout: Duration.millis(${moduleTimeout + TIMEOUT_OFFSET_MS}) or more (and an interval at least as long), or lower the module's 'timeout'`,
      });
    }
  }

  private appErrors(): LgtmErrorDetails[] {
    const errors: LgtmErrorDetails[] = [];
    if (this.exporter.node.root !== this.node.root) {
      errors.push({
        problem: `Probe ${this.namespace}/${this.name}: 'exporter' is a construct of another app`,
        received: this.exporter.node.path || '<root>',
        expected: 'a BlackboxExporter of the same cdk8s App (its Service is emitted with the Probe)',
        fix: 'create the BlackboxExporter in this App',
      });
      return errors;
    }
    const services = servicesOf(this.node.root);
    this.checked.forEach((c, i) => {
      const m = IN_CLUSTER.exec(c.host);
      if (!m) return;
      const svc = services.get(`${m[3]}/${m[1]}`);
      if (!svc) {
        errors.push({
          problem: `Probe ${this.namespace}/${this.name}: targets[${i}] names Service ${m[3]}/${m[1]}, which the app does not emit`,
          received: show(c.target),
          expected: `a Service of the app (${[...services.keys()].filter((k) => k.startsWith(`${m[3]}/`)).slice(0, 8).join(', ') || `none in namespace ${m[3]}`})`,
          fix: 'correct the Service name or namespace (use the component\'s `service.url(port)`), or probe the external URL',
        });
        return;
      }
      if (c.port !== undefined && !svc.ports.includes(c.port)) {
        errors.push({
          problem: `Probe ${this.namespace}/${this.name}: targets[${i}] uses port ${c.port}, which Service ${m[3]}/${m[1]} does not have`,
          received: show(c.target),
          expected: `one of its ports: ${svc.ports.join(', ')}`,
          fix: `use e.g. ${show(c.target.replace(`:${c.port}`, `:${svc.ports[0]}`))} (the component's \`service.url(port)\` spells it)`,
        });
      }
    });
    return errors;
  }
}

/** Services of the app by `namespace/name`, with their port numbers. */
function servicesOf(root: IConstruct): Map<string, { ports: number[] }> {
  const out = new Map<string, { ports: number[] }>();
  for (const o of apiObjectsOf(root)) {
    if (o.kind !== 'Service' || o.apiVersion !== 'v1') continue;
    let m: any;
    try {
      m = o.toJson();
    } catch {
      continue; // its own check reports it
    }
    const ns = m.metadata?.namespace;
    if (!ns || !m.metadata?.name) continue;
    out.set(`${ns}/${m.metadata.name}`, { ports: (m.spec?.ports ?? []).map((p: any) => Number(p.port)) });
  }
  return out;
}
