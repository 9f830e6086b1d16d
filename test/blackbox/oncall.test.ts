import { Chart, Testing } from 'cdk8s';
import { GrafanaOnCall } from '../../src';

test('GrafanaOnCall fails with the archived notice and the supported alternatives (five parts)', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'monitoring' });
  expect(() => new GrafanaOnCall(chart, 'OnCall')).toThrow(
    /\[c\/OnCall\] GrafanaOnCall is not rendered: Grafana OnCall OSS .* archived on 2026-03-24.*\. Received: .*; expected: .*\. Fix: route alerts to Grafana IRM: AlertReceiver\.webhook.*GrafanaContactPoint\.onCall/);
});
