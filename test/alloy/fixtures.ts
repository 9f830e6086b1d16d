import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ILogsBackend } from '../../src/core/interfaces';
import { kubeService, ServiceRef } from '../../src/core/kube';

/**
 * A stand-in logs backend for unit tests that need a push target with custom properties (tenant names
 * Loki would reject, a URL that is not a URL). It emits a real Service so `urlResolution` can check the
 * push URL against it. Wiring tests use the real `Loki` construct (test/alloy/loki-wiring.test.ts).
 */
export class FakeLogsBackend extends Construct implements ILogsBackend {
  public readonly service: ServiceRef;
  public readonly tenantId?: string;
  private readonly url?: string;

  constructor(scope: Chart, id: string, opts: { name?: string; namespace?: string; tenantId?: string; url?: string } = {}) {
    super(scope, id);
    this.tenantId = opts.tenantId;
    this.url = opts.url;
    this.service = kubeService(this, 'Service', {
      name: opts.name ?? 'fake-loki',
      namespace: opts.namespace ?? 'monitoring',
      selector: { app: 'fake-loki' },
      ports: [{ name: 'http', port: 3100 }],
    });
  }

  public get pushUrl(): string {
    return this.url ?? this.service.url('http', 'http', '/loki/api/v1/push');
  }
}

/**
 * The Pod Security "restricted" violations of the Alloy log DaemonSet (default name, namespace
 * monitoring-agents): exactly the exceptions listed in docs/components/alloy.md ("Pod Security exceptions").
 */
export const ALLOY_DOCUMENTED_EXCEPTIONS = [
  'DaemonSet/monitoring-agents/alloy-logs: volume storage uses hostPath',
  'DaemonSet/monitoring-agents/alloy-logs: init-storage: adds capabilities CHOWN',
  'DaemonSet/monitoring-agents/alloy-logs: init-storage: runAsNonRoot must be true',
  'DaemonSet/monitoring-agents/alloy-logs: init-storage: runAsUser 0',
];
