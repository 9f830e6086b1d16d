/**
 * The control-plane presets of `KubernetesSystemRules`: each row of the "Control-plane presets" table of
 * docs/ALERTS.md (EKS, GKE, AKS, minikube, self-managed, none) is what the pack renders, a group prop wins
 * over the preset, and an alert the preset leaves off can be switched on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { KubernetesDistribution, KubernetesSystemRules } from '../../src/rules';

const DOC = path.join(__dirname, '..', '..', 'docs', 'ALERTS.md');
const GROUPS = ['kubernetes-system.apiserver', 'kubernetes-system.scheduler', 'kubernetes-system.controller-manager', 'kubernetes-system.kube-proxy'];

function pack(props: ConstructorParameters<typeof KubernetesSystemRules>[2] = {}): KubernetesSystemRules {
  return new KubernetesSystemRules(new Chart(Testing.app(), 'c', { namespace: 'monitoring' }), 'System', props);
}

const rendered = (p: KubernetesSystemRules) => p.toRuleFile().groups.map((g: any) => g.name as string);

/** The preset table: distribution cell → [nodes, apiserver, scheduler, controller-manager, kube-proxy] on/off. */
function presetTable(): Array<[string, boolean[]]> {
  const text = fs.readFileSync(DOC, 'utf8');
  const start = text.indexOf('## Control-plane presets');
  const section = text.slice(start, text.indexOf('\n## ', start + 5));
  const rows: Array<[string, boolean[]]> = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).slice(1, -1);
    if (cells.length !== 6 || !cells.slice(1).every((c) => c === 'on' || c === 'off')) continue;
    rows.push([cells[0], cells.slice(1).map((c) => c === 'on')]);
  }
  return rows;
}

const BY_CELL: { [cell: string]: KubernetesDistribution | undefined } = {
  'none (default)': undefined,
  '`EKS`': KubernetesDistribution.EKS,
  '`GKE`': KubernetesDistribution.GKE,
  '`AKS`': KubernetesDistribution.AKS,
  '`MINIKUBE`': KubernetesDistribution.MINIKUBE,
  '`SELF_MANAGED`': KubernetesDistribution.SELF_MANAGED,
};

describe('KubernetesSystemRules presets', () => {
  const table = presetTable();

  test('the table has a row for every distribution and the default', () => {
    expect(table.map(([c]) => c).sort()).toEqual(Object.keys(BY_CELL).sort());
  });

  test.each(table)('%s renders the groups its row switches on', (cell, on) => {
    const groups = rendered(pack({ distribution: BY_CELL[cell] }));
    expect(groups).toEqual(expect.arrayContaining(['kubernetes-system.nodes', 'kubernetes-system.kubelet']));
    expect(on[0]).toBe(true);
    expect(GROUPS.filter((_g, i) => on[i + 1])).toEqual(GROUPS.filter((g) => groups.includes(g)));
  });

  test('managed control planes hide the scheduler and controller-manager; minikube shows them', () => {
    for (const d of [KubernetesDistribution.EKS, KubernetesDistribution.GKE, KubernetesDistribution.AKS]) {
      const p = pack({ distribution: d });
      expect([p.apiServer, p.scheduler, p.controllerManager]).toEqual([true, false, false]);
      expect(p.describeAlerts().filter((a) => a.enabled).map((a) => a.alert)).not.toContain('KubeSchedulerDown');
    }
    const m = pack({ distribution: KubernetesDistribution.MINIKUBE });
    expect([m.apiServer, m.scheduler, m.controllerManager, m.kubeProxy]).toEqual([true, true, true, true]);
  });

  test('a group prop wins over the preset, and enableAlert switches on an alert the preset left off', () => {
    const eks = pack({ distribution: KubernetesDistribution.EKS, apiServer: false, kubeProxy: true });
    expect(rendered(eks)).not.toContain('kubernetes-system.apiserver');
    expect(rendered(eks)).toContain('kubernetes-system.kube-proxy');
    const gke = pack({ distribution: KubernetesDistribution.GKE });
    gke.enableAlert('KubeSchedulerDown');
    expect(rendered(gke)).toContain('kubernetes-system.scheduler');
    const mini = pack({ distribution: KubernetesDistribution.MINIKUBE });
    mini.disableAlert('KubeProxyDown');
    expect(rendered(mini)).not.toContain('kubernetes-system.kube-proxy');
  });
});
