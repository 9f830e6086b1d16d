/** One `dist/` folder through a fresh control plane: apply, admission of the real Pods, the Operator's proof. */
import * as path from 'path';
import { applyFolder, checkWorkloadPods, RenderedObject } from './apply';
import { ControlPlane, ControlPlaneOptions } from './cluster';
import { checkOperator, startOperator } from './operator';

/** Everything one run found; `problems` empty means the folder passed. */
export interface FolderReport {
  readonly problems: string[];
  readonly allowedWarnings: string[];
  readonly prerequisites: string[];
  readonly pods: Map<string, string[]>;
  readonly jobs: Map<string, string[]>;
  readonly ruleFiles: Map<string, string[]>;
  /** Generated scrape configs by job name. */
  readonly scrapeConfigs: Map<string, any>;
  readonly promtool?: string;
}

const OPERATOR_KINDS = new Set(['Prometheus', 'Alertmanager', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe']);

/** Starts a control plane, runs the checks on `objects` (as rendered into dist/<folder>), stops it. */
export async function checkFolder(folder: string, objects: RenderedObject[], options: ControlPlaneOptions = {}): Promise<FolderReport> {
  const cp = await ControlPlane.start(options);
  try {
    const applied = await applyFolder(cp, folder, objects);
    const problems = [...applied.problems];
    let op: Awaited<ReturnType<typeof checkOperator>> | undefined;
    if (objects.some((o) => OPERATOR_KINDS.has(o.obj.kind))) {
      await startOperator(cp, Date.now() + 60_000);
      op = await checkOperator(cp, objects, cp.dir);
      problems.push(...op.problems);
    }
    // After the operator, so that its StatefulSets' Pods face admission too.
    const pods = options.controllerManager === false ? { problems: [], pods: new Map() } : await checkWorkloadPods(cp);
    problems.push(...pods.problems);
    return {
      problems,
      allowedWarnings: applied.allowedWarnings,
      prerequisites: applied.prerequisites,
      pods: pods.pods,
      jobs: op?.jobs ?? new Map(),
      ruleFiles: op?.ruleFiles ?? new Map(),
      scrapeConfigs: op?.scrapeConfigs ?? new Map(),
      promtool: op?.promtool,
    };
  } catch (e: any) {
    throw new Error(`${e.message}\n${cp.procs.logs(2000)}`);
  } finally {
    await cp.stop();
  }
}

/** A short account of a report, printed by the tests so that a green run still shows what it proved. */
export function summary(folder: string, r: FolderReport): string {
  const lines = [`dist/${folder}: ${r.problems.length} problem(s)`];
  if (r.prerequisites.length) lines.push(`  installed first: ${r.prerequisites.join('; ')}`);
  for (const w of r.allowedWarnings) lines.push(`  allowed warning: ${w}`);
  for (const [w, p] of r.pods) lines.push(`  ${w} -> pods ${p.join(', ') || '(none)'}`);
  for (const [p, j] of r.jobs) lines.push(`  Prometheus ${p}: ${j.length} scrape jobs, ${(r.ruleFiles.get(p) ?? []).length} rule files (${r.promtool})`);
  for (const p of r.problems) lines.push(`  PROBLEM ${p}`);
  return lines.join('\n');
}

export const folderPath = (dist: string, folder: string) => path.join(dist, folder);
