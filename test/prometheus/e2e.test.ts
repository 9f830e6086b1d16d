/**
 * Live end-to-end test on the pinned engines: Prometheus and Alertmanager at the versions we ship, built from
 * their Go modules (engines/prometheus, engines/alertmanager), run on 127.0.0.1 with a rule file taken from a
 * `PrometheusRule` construct (its `spec.groups` is the rule-file format) and the Alertmanager config our
 * `Alertmanager` construct renders, as rendered; a firing alert must reach a local webhook.
 *
 * The config reads the webhook URL with `url_file` from where the Operator mounts `spec.secrets`
 * (/etc/alertmanager/secrets/<secret>/<key>). Alertmanager runs in a private mount namespace (`unshare -m`,
 * as root, like CI) whose /etc is an overlay with the Secret's file bind-mounted there; the host is untouched.
 *
 * Bounded: every wait polls against a deadline (<= 60 s in total); processes are stopped by PID (SIGTERM,
 * then SIGKILL) in afterAll; storage lives in a temp dir that is removed.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { Alertmanager, AlertMatcher, AlertReceiver } from '../../src/prometheus';
import { AlertSeverity, PrometheusRule } from '../../src/rules';
import { EngineProcesses, engineBinary } from '../engines';
import { YAML } from '../harness';
import { PROMETHEUS_VERSION } from '../rules/promtool';
import { ALERTMANAGER_VERSION, alertmanagerBinary } from './amtool';

const DEADLINE_MS = 60_000;

jest.setTimeout(90_000);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

const ready = (url: string) => async () => ((await get(url)) !== undefined ? true : undefined);

/**
 * `sh -c` body that mounts $LGTM_SECRETS at $LGTM_MOUNT in the private mount namespace `unshare -m` made
 * (over an overlay of /etc, so no directory is created on the host), then execs the engine (same PID).
 */
const WITH_SECRETS = `set -e
mount -t tmpfs tmpfs "$LGTM_OV"
mkdir -p "$LGTM_OV/upper" "$LGTM_OV/work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$LGTM_OV/upper,workdir=$LGTM_OV/work" /etc
mkdir -p "$LGTM_MOUNT"
mount --bind "$LGTM_SECRETS" "$LGTM_MOUNT"
exec "$@"`;

const engines = new EngineProcesses();
const tmps: string[] = [];
let server: http.Server | undefined;

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-e2e-'));
  tmps.push(d);
  return d;
}

afterAll(async () => {
  await engines.stopAll();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const d of tmps) fs.rmSync(d, { recursive: true, force: true });
});

test('a rule rendered by PrometheusRule fires in Prometheus and reaches a webhook through the rendered Alertmanager config', async () => {
  const PROMETHEUS = engineBinary('prometheus', 'prometheus', PROMETHEUS_VERSION);
  const ALERTMANAGER = alertmanagerBinary();
  const deadline = Date.now() + DEADLINE_MS;
  const tmp = tmpDir();

  // 1. the webhook receiver
  const received: any[] = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try { received.push(JSON.parse(body)); } catch { /* ignore */ }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const hookPort = (server.address() as net.AddressInfo).port;

  // 2. rules and routing from our constructs
  const chart = Testing.chart();
  new PrometheusRule(chart, 'rules', {
    name: 'e2e',
    namespace: 'monitoring',
    groups: [{
      name: 'e2e',
      interval: Duration.seconds(1),
      alerts: [{ alert: 'E2EAlwaysFiring', expr: 'vector(1)', severity: AlertSeverity.CRITICAL, summary: 'always firing (end-to-end test)' }],
    }],
  });
  const am = new Alertmanager(chart, 'am', {
    replicas: 1,
    defaultReceiver: 'oncall',
    groupWait: Duration.seconds(1),
    groupInterval: Duration.seconds(1),
    receivers: [AlertReceiver.webhook('oncall', { url: { secretName: 'oncall', key: 'url' } })],
    routes: [{ receiver: 'oncall', matchers: [AlertMatcher.eq('severity', 'critical')], groupWait: Duration.seconds(1) }],
  });
  const ruleObj = (Testing.synth(chart) as any[]).find((o) => o.kind === 'PrometheusRule');
  fs.writeFileSync(path.join(tmp, 'rules.yml'), YAML.stringify({ groups: ruleObj.spec.groups }));
  // the config exactly as rendered; the Secret `oncall` (key `url`) holds the webhook URL, as a user creates it
  const amConfig = am.renderConfigYaml();
  expect(amConfig).toContain(`url_file: ${Alertmanager.SECRETS_DIRECTORY}/oncall/url`);
  fs.writeFileSync(path.join(tmp, 'alertmanager.yml'), amConfig);
  fs.mkdirSync(path.join(tmp, 'secrets', 'oncall'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'secrets', 'oncall', 'url'), `http://127.0.0.1:${hookPort}/hook`);
  fs.mkdirSync(path.join(tmp, 'ov'));

  const amPort = await freePort();
  const promPort = await freePort();
  fs.writeFileSync(path.join(tmp, 'prometheus.yml'), YAML.stringify({
    global: { evaluation_interval: '1s', scrape_interval: '15s' },
    rule_files: [path.join(tmp, 'rules.yml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
  }));

  // 3. run both
  const amProc = engines.start('alertmanager', 'unshare', [
    '-m', '--propagation', 'private', 'sh', '-c', WITH_SECRETS, 'with-secrets', ALERTMANAGER,
    `--config.file=${path.join(tmp, 'alertmanager.yml')}`, `--web.listen-address=127.0.0.1:${amPort}`,
    `--storage.path=${path.join(tmp, 'am')}`, '--cluster.listen-address=',
  ], { ...process.env, LGTM_OV: path.join(tmp, 'ov'), LGTM_SECRETS: path.join(tmp, 'secrets'), LGTM_MOUNT: Alertmanager.SECRETS_DIRECTORY });
  const promProc = engines.start('prometheus', PROMETHEUS, [
    `--config.file=${path.join(tmp, 'prometheus.yml')}`, `--web.listen-address=127.0.0.1:${promPort}`,
    `--storage.tsdb.path=${path.join(tmp, 'prom')}`,
    // the first notification can go out before the Alertmanager is discovered (and is dropped); resend fast
    '--rules.alert.resend-delay=1s',
  ]);

  try {
    await engines.waitReady(amProc, 'Alertmanager ready', deadline, ready(`http://127.0.0.1:${amPort}/-/ready`));
    await engines.waitReady(promProc, 'Prometheus ready', deadline, ready(`http://127.0.0.1:${promPort}/-/ready`));
    // the servers running are the pinned versions
    expect(JSON.parse(await get(`http://127.0.0.1:${amPort}/api/v2/status`)).versionInfo.version).toBe(ALERTMANAGER_VERSION);
    expect(JSON.parse(await get(`http://127.0.0.1:${promPort}/api/v1/status/buildinfo`)).data.version).toBe(PROMETHEUS_VERSION);
    const firing = await engines.waitReady(promProc, 'the alert to fire in Prometheus', deadline, async () => {
      const r = JSON.parse(await get(`http://127.0.0.1:${promPort}/api/v1/alerts`));
      return r.data.alerts.find((a: any) => a.labels.alertname === 'E2EAlwaysFiring' && a.state === 'firing');
    });
    expect(firing.labels.severity).toBe('critical');
    const msg = await engines.waitReady(amProc, 'the webhook notification', deadline, async () => received.find((m) => m.alerts?.some((a: any) => a.labels.alertname === 'E2EAlwaysFiring')));
    expect(msg.receiver).toBe('oncall');
    expect(msg.status).toBe('firing');
    expect(msg.alerts[0].annotations.summary).toBe('always firing (end-to-end test)');
  } catch (e) {
    const amAlerts = await get(`http://127.0.0.1:${amPort}/api/v2/alerts`).catch((x) => String(x));
    throw new Error(`${(e as Error).message}\n--- alertmanager alerts ---\n${amAlerts}\n--- alertmanager.yml ---\n${amConfig}\n${engines.logs(2000)}`);
  }
});

test('an engine that fails to start: the error carries its log tail, and the other engines are stopped by PID', async () => {
  const own = new EngineProcesses();
  const tmp = tmpDir();
  const deadline = Date.now() + 30_000;
  // a healthy Alertmanager, then a Prometheus whose config does not load
  const amPort = await freePort();
  fs.writeFileSync(path.join(tmp, 'am.yml'), 'route:\n  receiver: x\nreceivers:\n  - name: x\n');
  const amProc = own.start('alertmanager', alertmanagerBinary(), [
    `--config.file=${path.join(tmp, 'am.yml')}`, `--web.listen-address=127.0.0.1:${amPort}`,
    `--storage.path=${path.join(tmp, 'am')}`, '--cluster.listen-address=',
  ]);
  fs.writeFileSync(path.join(tmp, 'prometheus.yml'), 'global:\n  scrape_interval: often\n');
  const promPort = await freePort();
  try {
    await own.waitReady(amProc, 'Alertmanager ready', deadline, ready(`http://127.0.0.1:${amPort}/-/ready`));
    const promProc = own.start('prometheus', engineBinary('prometheus', 'prometheus', PROMETHEUS_VERSION), [
      `--config.file=${path.join(tmp, 'prometheus.yml')}`, `--web.listen-address=127.0.0.1:${promPort}`,
      `--storage.tsdb.path=${path.join(tmp, 'prom')}`,
    ]);
    let err: Error | undefined;
    try {
      await own.waitReady(promProc, 'Prometheus ready', deadline, ready(`http://127.0.0.1:${promPort}/-/ready`));
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/^engine prometheus exited \(1\) before Prometheus ready/);
    expect(err?.message).toContain('--- prometheus log (tail) ---');
    expect(err?.message).toMatch(/often/); // Prometheus' own words about the bad duration
    expect(own.running()).toEqual([amProc.child.pid]);
  } finally {
    await own.stopAll(2000);
  }
  expect(own.running()).toEqual([]);
  expect(amProc.child.exitCode !== null || amProc.child.signalCode !== null).toBe(true);
});
