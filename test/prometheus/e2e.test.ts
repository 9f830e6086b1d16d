/**
 * Live end-to-end test: Debian's Prometheus (2.42) and Alertmanager (0.25) run on 127.0.0.1 with a rule
 * file taken from a `PrometheusRule` construct (its `spec.groups` is the rule-file format) and the
 * Alertmanager config our `Alertmanager` construct renders; a firing alert must reach a local webhook.
 *
 * Bounded: every wait polls against a deadline (<= 60 s in total); processes are stopped by PID in
 * afterAll; storage lives in a temp dir that is removed.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { Alertmanager, AlertMatcher, AlertReceiver } from '../../src/prometheus';
import { AlertSeverity, PrometheusRule } from '../../src/rules';
import { YAML } from '../harness';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
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

async function waitFor<T>(what: string, deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`e2e: timed out waiting for ${what}`);
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

const procs: ChildProcess[] = [];
const logs: Record<string, string> = {};
let tmp: string;
let server: http.Server | undefined;

function start(name: string, bin: string, args: string[]): ChildProcess {
  const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  logs[name] = '';
  p.stdout!.on('data', (c) => (logs[name] += c));
  p.stderr!.on('data', (c) => (logs[name] += c));
  procs.push(p);
  return p;
}

afterAll(async () => {
  for (const p of procs) {
    if (p.pid !== undefined && p.exitCode === null) {
      try { process.kill(p.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  }
  await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const t = setTimeout(() => { try { process.kill(p.pid!, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 5000);
    p.once('exit', () => { clearTimeout(t); resolve(); });
  })));
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('a rule rendered by PrometheusRule fires in Prometheus and reaches a webhook through the rendered Alertmanager config', async () => {
  for (const bin of [PROMETHEUS, ALERTMANAGER]) {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run scripts/ensure-tools.sh (installs Debian prometheus and prometheus-alertmanager; CI runs it)`);
  }
  const deadline = Date.now() + DEADLINE_MS;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-e2e-'));

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
  const oncall = AlertReceiver.webhook('oncall', { url: { secretName: 'oncall', key: 'url' } });
  const am = new Alertmanager(chart, 'am', {
    replicas: 1,
    defaultReceiver: oncall,
    groupWait: Duration.seconds(1),
    groupInterval: Duration.seconds(1),
    routes: [{ receiver: oncall, matchers: [AlertMatcher.eq('severity', 'critical')], groupWait: Duration.seconds(1) }],
  });
  const ruleObj = (Testing.synth(chart) as any[]).find((o) => o.kind === 'PrometheusRule');
  fs.writeFileSync(path.join(tmp, 'rules.yml'), YAML.stringify({ groups: ruleObj.spec.groups }));
  // Alertmanager 0.25 has no webhook `url_file` (0.26+): the test copy inlines the URL the Secret would hold.
  const amConfig = am.renderConfigYaml();
  expect(amConfig).toContain('url_file: /etc/alertmanager/secrets/oncall/url');
  fs.writeFileSync(path.join(tmp, 'alertmanager.yml'), amConfig.replace(/url_file: \S+/, `url: http://127.0.0.1:${hookPort}/hook`));

  const amPort = await freePort();
  const promPort = await freePort();
  fs.writeFileSync(path.join(tmp, 'prometheus.yml'), YAML.stringify({
    global: { evaluation_interval: '1s', scrape_interval: '15s' },
    rule_files: [path.join(tmp, 'rules.yml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
  }));

  // 3. run both
  start('alertmanager', ALERTMANAGER, [
    `--config.file=${path.join(tmp, 'alertmanager.yml')}`, `--web.listen-address=127.0.0.1:${amPort}`,
    `--storage.path=${path.join(tmp, 'am')}`, '--cluster.listen-address=',
  ]);
  start('prometheus', PROMETHEUS, [
    `--config.file=${path.join(tmp, 'prometheus.yml')}`, `--web.listen-address=127.0.0.1:${promPort}`,
    `--storage.tsdb.path=${path.join(tmp, 'prom')}`,
    // the first notification can go out before the Alertmanager is discovered (and is dropped); resend fast
    '--rules.alert.resend-delay=1s',
  ]);

  try {
    await waitFor('Alertmanager ready', deadline, async () => ((await get(`http://127.0.0.1:${amPort}/-/ready`)) !== undefined ? true : undefined));
    await waitFor('Prometheus ready', deadline, async () => ((await get(`http://127.0.0.1:${promPort}/-/ready`)) !== undefined ? true : undefined));
    const firing = await waitFor('the alert to fire in Prometheus', deadline, async () => {
      const r = JSON.parse(await get(`http://127.0.0.1:${promPort}/api/v1/alerts`));
      return r.data.alerts.find((a: any) => a.labels.alertname === 'E2EAlwaysFiring' && a.state === 'firing');
    });
    expect(firing.labels.severity).toBe('critical');
    const msg = await waitFor('the webhook notification', deadline, async () => received.find((m) => m.alerts?.some((a: any) => a.labels.alertname === 'E2EAlwaysFiring')));
    expect(msg.receiver).toBe('oncall');
    expect(msg.status).toBe('firing');
    expect(msg.alerts[0].annotations.summary).toBe('always firing (end-to-end test)');
  } catch (e) {
    const amAlerts = await get(`http://127.0.0.1:${amPort}/api/v2/alerts`).catch((x) => String(x));
    const cfgText = fs.readFileSync(path.join(tmp, 'alertmanager.yml'), 'utf8');
    throw new Error(`${(e as Error).message}\n--- alertmanager alerts ---\n${amAlerts}\n--- alertmanager.yml ---\n${cfgText}\n--- alertmanager log ---\n${logs.alertmanager?.slice(-2000)}\n--- prometheus log ---\n${logs.prometheus?.slice(-2000)}`);
  }
});
