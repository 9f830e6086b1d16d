/**
 * A real Kubernetes control plane on 127.0.0.1 for tests: etcd, kube-apiserver (admission on, PodSecurity
 * enforcing the namespace labels) and, when asked, kube-controller-manager, so that Deployments,
 * StatefulSets and DaemonSets create real Pods that admission judges. There is no scheduler and no kubelet:
 * Pods stay Pending, which is all the admission checks need.
 *
 * Every engine comes from `.engines/bin` (built by `scripts/ensure-engines.sh`) through `engineBinary`, which
 * fails with the build command when one is missing or at another version. Every wait has a deadline; `stop`
 * ends every process by PID and removes the temporary folder.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { engineBinary, EngineProcesses } from '../engines';

const ENGINES_DIR = path.resolve(__dirname, '..', '..', 'engines');

/** The version a wrapper module under engines/ pins for `modulePath` (read from its go.mod). */
export function pinnedModuleVersion(engine: string, modulePath: string): string {
  const gomod = fs.readFileSync(path.join(ENGINES_DIR, engine, 'go.mod'), 'utf8');
  const line = gomod.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[0] === modulePath && /^v\d/.test(f[1] ?? ''));
  if (!line) throw new Error(`engines/${engine}/go.mod does not require ${modulePath}`);
  return line[1];
}

/** The Kubernetes release of kube-apiserver and kube-controller-manager (engines/kube-apiserver/go.mod). */
export const KUBERNETES_VERSION = pinnedModuleVersion('kube-apiserver', 'k8s.io/kubernetes');
/** The etcd release (engines/etcd/go.mod). */
export const ETCD_VERSION = pinnedModuleVersion('etcd', 'go.etcd.io/etcd/server/v3');

/** A fake Node that DaemonSets target, so that their Pods are created too (nothing runs them). */
export const FAKE_NODE = 'control-plane-test-node';

/** One answer of the API server. */
export interface ApiResponse {
  readonly status: number;
  readonly body: any;
  /** The `Warning` headers, text only (RFC 7234 299 warnings, as kubectl prints them). */
  readonly warnings: string[];
}

/** Options of `ControlPlane.start`. */
export interface ControlPlaneOptions {
  /** Also run kube-controller-manager (default true). */
  readonly controllerManager?: boolean;
  /** Extra kube-apiserver flags (tests use this to make it fail). */
  readonly extraApiserverArgs?: string[];
  /** Deadline for every engine to become ready, in ms from now (default 90 s). */
  readonly readyWithinMs?: number;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the listener is closed before the engine binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Parses `299 - "text" "date"` warning headers (one or more per header line). */
export function parseWarnings(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const re = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
    let m: RegExpExecArray | null;
    let any = false;
    while ((m = re.exec(v)) !== null) {
      out.push(m[1].replace(/\\(.)/g, '$1'));
      any = true;
    }
    if (!any) out.push(v);
  }
  return out;
}

export class ControlPlane {
  /** Starts etcd, kube-apiserver and (by default) kube-controller-manager; on any failure stops them all. */
  public static async start(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const cp = new ControlPlane();
    try {
      await cp.boot(options);
    } catch (e: any) {
      const pids = cp.procs.running();
      await cp.stop();
      const err = new Error(`${e.message}\n(stopped the other engines by PID: ${pids.join(', ') || 'none running'})`);
      (err as any).stoppedPids = pids;
      throw err;
    }
    return cp;
  }

  /** The REST path of a collection or object. */
  public static objectPath(apiVersion: string, plural: string, namespace: string | undefined, name?: string): string {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
  }

  public readonly procs = new EngineProcesses();
  public readonly dir: string;
  public readonly token = crypto.randomBytes(24).toString('hex');
  public url = '';
  public kubeconfig = '';
  private ca: Buffer = Buffer.alloc(0);
  private readonly discovery = new Map<string, Map<string, { plural: string; namespaced: boolean }>>();

  private constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-control-plane-'));
  }

  private async boot(options: ControlPlaneOptions): Promise<void> {
    const deadline = Date.now() + (options.readyWithinMs ?? 90_000);
    const etcdBin = engineBinary('etcd', 'etcd', ETCD_VERSION);
    const apiserverBin = engineBinary('kube-apiserver', 'kube-apiserver', KUBERNETES_VERSION);
    const kcmBin = options.controllerManager === false ? undefined
      : engineBinary('kube-controller-manager', 'kube-controller-manager', KUBERNETES_VERSION);

    // etcd: one member, data in the temp folder, plain HTTP on loopback only.
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcd = this.procs.start('etcd', etcdBin, [
      '--name=test', `--data-dir=${path.join(this.dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`, '--log-level=warn', '--quota-backend-bytes=1073741824',
    ]);
    await this.procs.waitReady(etcd, 'etcd /health', deadline, async () => {
      const r = await fetch(`http://127.0.0.1:${etcdClient}/health`);
      return r.ok ? true : undefined;
    });

    // Credentials: a static token in system:masters for the test client and the controller manager, and a
    // service-account signing key. The API server makes its own self-signed serving certificate in cert-dir.
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = path.join(this.dir, 'sa.key');
    const saPub = path.join(this.dir, 'sa.pub');
    fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const tokens = path.join(this.dir, 'tokens.csv');
    fs.writeFileSync(tokens, `${this.token},control-plane-test,control-plane-test,"system:masters"\n`);
    const certDir = path.join(this.dir, 'apiserver-certs');

    const apiserver = this.procs.start('kube-apiserver', apiserverBin, [
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`, `--cert-dir=${certDir}`,
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      `--token-auth-file=${tokens}`, '--authorization-mode=RBAC', '--anonymous-auth=false',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`, `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // loopback cannot back the default/kubernetes Endpoints; nothing here needs that Service's endpoints
      '--endpoint-reconciler-type=none',
      // The default admission chain (NamespaceLifecycle, ServiceAccount, PodSecurity, ...), PodSecurity named
      // so that a change of defaults cannot drop it silently.
      '--enable-admission-plugins=PodSecurity,NamespaceLifecycle,ServiceAccount,LimitRanger,ResourceQuota',
      // As on every real cluster that runs node agents (kubeadm sets it too).
      '--allow-privileged=true',
      '--profiling=false', '--v=0',
      ...(options.extraApiserverArgs ?? []),
    ]);
    this.url = `https://127.0.0.1:${apiPort}`;
    await this.procs.waitReady(apiserver, 'kube-apiserver /readyz', deadline, async () => {
      const crt = path.join(certDir, 'apiserver.crt');
      if (!fs.existsSync(crt)) return undefined;
      this.ca = fs.readFileSync(crt);
      const r = await this.request('GET', '/readyz');
      return r.status === 200 ? true : undefined;
    });
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, JSON.stringify({
      'apiVersion': 'v1',
      'kind': 'Config',
      'current-context': 'test',
      'clusters': [{ name: 'test', cluster: { 'server': this.url, 'certificate-authority-data': this.ca.toString('base64') } }],
      'users': [{ name: 'test', user: { token: this.token } }],
      'contexts': [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
    }));

    if (kcmBin) {
      const kcm = this.procs.start('kube-controller-manager', kcmBin, [
        `--kubeconfig=${this.kubeconfig}`, '--leader-elect=false', '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`,
        `--service-account-private-key-file=${saKey}`, `--root-ca-file=${path.join(certDir, 'apiserver.crt')}`,
        // The controllers that turn workloads into Pods, plus the ones those Pods need (service accounts and
        // their tokens, namespaces, garbage collection). No node lifecycle: the fake node stays untainted.
        '--controllers=deployment-controller,replicaset-controller,statefulset-controller,daemonset-controller,'
          + 'serviceaccount-controller,serviceaccount-token-controller,namespace-controller,garbage-collector-controller,'
          + 'job-controller,cronjob-controller,endpointslice-controller',
        '--concurrent-deployment-syncs=10', '--concurrent-replicaset-syncs=10', '--concurrent-statefulset-syncs=10',
        '--v=0',
      ]);
      await this.procs.waitReady(kcm, 'kube-controller-manager to create the default ServiceAccount', deadline, async () => {
        const r = await this.request('GET', '/api/v1/namespaces/default/serviceaccounts/default');
        return r.status === 200 ? true : undefined;
      });
      const node = await this.request('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: FAKE_NODE, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': FAKE_NODE } },
      });
      if (node.status !== 201) throw new Error(`could not register the fake node: ${node.status} ${JSON.stringify(node.body)}`);
    }
  }

  /** One HTTPS request to the API server as the test user (system:masters). Times out after 30 s. */
  public request(method: string, urlPath: string, body?: unknown, contentType: string = 'application/json'): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body));
      const req = https.request(`${this.url}${urlPath}`, {
        method,
        ca: this.ca,
        timeout: 30_000,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try { parsed = JSON.parse(text); } catch { /* plain text, e.g. /readyz */ }
          const raw: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i].toLowerCase() === 'warning') raw.push(res.rawHeaders[i + 1]);
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings: parseWarnings(raw) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer in 30 s`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** GET that must succeed. */
  public async get(urlPath: string): Promise<any> {
    const r = await this.request('GET', urlPath);
    if (r.status !== 200) throw new Error(`GET ${urlPath}: ${r.status} ${typeof r.body === 'string' ? r.body : r.body?.message}`);
    return r.body;
  }

  /** The resource (plural, scope) of apiVersion/kind, from discovery; undefined when the server does not serve it. */
  public async resourceFor(apiVersion: string, kind: string, refresh: boolean = false): Promise<{ plural: string; namespaced: boolean } | undefined> {
    let kinds = refresh ? undefined : this.discovery.get(apiVersion);
    if (!kinds) {
      const r = await this.request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      if (r.status !== 200) return undefined;
      kinds = new Map();
      for (const res of r.body.resources ?? []) {
        if (!String(res.name).includes('/')) kinds.set(res.kind, { plural: res.name, namespaced: res.namespaced });
      }
      this.discovery.set(apiVersion, kinds);
    }
    return kinds.get(kind);
  }

  /**
   * Stops every engine by PID (SIGTERM, SIGKILL after 1 s) and removes the temporary folder. The state is
   * thrown away, so no graceful shutdown is owed: kube-apiserver drains its watches for well over 5 s and
   * etcd waits for it, which cost every folder about 5 s of idle waiting.
   */
  public async stop(): Promise<void> {
    await this.procs.stopAll(1000);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
