/**
 * The minikube stack: the whole LGTM stack on a laptop cluster through `LgtmStack` with the minikube
 * profile (Prometheus with 2 h retention and 256Mi/50m, Grafana 128Mi/50m, Alertmanager 64Mi,
 * node-exporter 32Mi, kube-state-metrics 64Mi, as in the minikube guide, plus Loki, Tempo, the Alloy log
 * DaemonSet and collector): about 1 GiB of memory requests in all (docs/PROFILES.md has the figures).
 *
 * Rendered into dist/minikube/, self-contained in namespaces `lgtm` (restricted) and `lgtm-agents`
 * (privileged, for node-exporter and the log DaemonSet). Prometheus watches every namespace, so
 * applications deployed later (dist/app-instrumentation/) are scraped without touching the stack; the
 * dashboard of that demo application is provisioned here, by the stack's Grafana, since Grafana mounts
 * its dashboards. Secrets created out of band: `grafana-admin` (keys `admin-user`, `admin-password`) and
 * `alertmanager-slack` (key `webhook-url`), both in `lgtm` (see PREREQUISITES.md).
 *
 * The prometheus-operator CRDs come from dist/reference/00-crds.yaml (CRDs are cluster-wide; one folder
 * defines them). The stack runs its own operator: dist/minikube and dist/reference are alternative stacks
 * for one cluster (each operator reconciles every namespace), not meant to run side by side.
 */
import { App } from 'cdk8s';
import { addDemoDashboard } from './app-instrumentation';
import { AlertReceiver, LgtmStack, StackProfile } from '../src';

export const MINIKUBE_NAMESPACE = 'lgtm';
export const MINIKUBE_AGENTS_NAMESPACE = 'lgtm-agents';

export function buildMinikubeStack(app: App): LgtmStack {
  const slack = AlertReceiver.slack('slack', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#alerts' });
  const stack = new LgtmStack(app, 'lgtm', {
    profile: StackProfile.MINIKUBE,
    namespace: MINIKUBE_NAMESPACE,
    agentsNamespace: MINIKUBE_AGENTS_NAMESPACE,
    clusterName: 'minikube',
    // CRDs are cluster-wide: dist/reference/00-crds.yaml defines them for every example (apply it first,
    // server-side), so that no object is defined by two dist/ folders. A stack of your own keeps the default
    // (crds on) and gets them in its first file.
    components: { crds: false },
    alertmanager: {
      defaultReceiver: slack, // every severity to Slack (no severity routes: the default receiver takes them all)
    },
    grafana: { adminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } },
  });
  addDemoDashboard(stack);
  return stack;
}

export function buildMinikube(app: App): void {
  buildMinikubeStack(app);
}
