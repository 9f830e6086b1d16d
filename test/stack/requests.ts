/**
 * Sums the memory and CPU requests of a rendered output, per pod and in total, the way the scheduler
 * reserves them on a one-node cluster: every replica of every Deployment/StatefulSet, one pod per
 * DaemonSet, and the pods the Prometheus Operator creates from Prometheus and Alertmanager resources
 * (the main container from `spec.resources`, plus the config-reloader sidecar it injects, sized by the
 * operator's `--config-reloader-*-request` flags or the operator's defaults, 10m and 50Mi).
 * A pod's request is max(largest init container, sum of containers), as Kubernetes computes it.
 */
import { K8sObject } from '../harness';

/** prometheus-operator's config-reloader defaults. */
const RELOADER_DEFAULT = { cpuMillis: 10, memoryMi: 50 };

export interface RequestRow {
  readonly workload: string;
  readonly pods: number;
  /** Per pod. */
  readonly memoryMi: number;
  readonly cpuMillis: number;
}

export function memoryMi(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|)?$/.exec(s);
  if (!m) throw new Error(`unparsed memory quantity ${s}`);
  const n = Number(m[1]);
  const f: Record<string, number> = { 'Ki': 1 / 1024, 'Mi': 1, 'Gi': 1024, 'Ti': 1024 * 1024, 'k': 1000 / 1048576, 'M': 1e6 / 1048576, 'G': 1e9 / 1048576, '': 1 / 1048576 };
  return n * f[m[2] ?? ''];
}

export function cpuMillis(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000;
}

const req = (c: any) => ({ memoryMi: memoryMi(c?.resources?.requests?.memory), cpuMillis: cpuMillis(c?.resources?.requests?.cpu) });

function podRequest(containers: any[], inits: any[]): { memoryMi: number; cpuMillis: number } {
  const sum = { memoryMi: 0, cpuMillis: 0 };
  for (const c of containers.map(req)) {
    sum.memoryMi += c.memoryMi;
    sum.cpuMillis += c.cpuMillis;
  }
  for (const i of inits.map(req)) {
    sum.memoryMi = Math.max(sum.memoryMi, i.memoryMi);
    sum.cpuMillis = Math.max(sum.cpuMillis, i.cpuMillis);
  }
  return sum;
}

export function requestRows(objs: K8sObject[]): RequestRow[] {
  const operator = objs.find((o) => o.kind === 'Deployment' && (o.spec.template.spec.containers ?? []).some((c: any) => (c.args ?? []).some((a: string) => a.startsWith('--prometheus-config-reloader='))));
  const args: string[] = operator ? operator.spec.template.spec.containers[0].args : [];
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const reloader = {
    resources: {
      requests: {
        memory: flag('config-reloader-memory-request') ?? `${RELOADER_DEFAULT.memoryMi}Mi`,
        cpu: flag('config-reloader-cpu-request') ?? `${RELOADER_DEFAULT.cpuMillis}m`,
      },
    },
  };
  const rows: RequestRow[] = [];
  for (const o of objs) {
    const id = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet') {
      const s = o.spec.template.spec;
      rows.push({ workload: id, pods: o.kind === 'DaemonSet' ? 1 : (o.spec.replicas ?? 1), ...podRequest(s.containers ?? [], s.initContainers ?? []) });
    } else if (o.kind === 'Prometheus' || o.kind === 'Alertmanager') {
      rows.push({ workload: id, pods: o.spec.replicas ?? 1, ...podRequest([{ resources: o.spec.resources }, reloader], [reloader]) });
    }
  }
  return rows;
}

export function totals(rows: RequestRow[]): { memoryMi: number; cpuMillis: number } {
  const t = { memoryMi: 0, cpuMillis: 0 };
  for (const r of rows) {
    t.memoryMi += r.pods * r.memoryMi;
    t.cpuMillis += r.pods * r.cpuMillis;
  }
  return t;
}
