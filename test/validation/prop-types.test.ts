/**
 * The runtime type table is keyed by struct and prop (scripts/gen-prop-types.js): a prop name that has
 * different types in different structs (`port` is a number in one and a port name in another, `url` a
 * string or a Secret reference) is checked by its own struct's type, also in nested structs.
 */
import { App, Chart, Duration } from 'cdk8s';
import { PodMonitor, Prometheus, ServiceMonitor, Tempo } from '../../src';
import * as v from '../../src/core/validation';
import { CONSTRUCT_PROPS, PROP_TYPES, STRUCT_PROP_TYPES } from '../../src/core/validation/prop-types.generated';

const FIVE_PARTS = /^\[[^\]]*\] .+\. Received:[\s\S]+; expected: [\s\S]+\. Fix: [\s\S]+/m;

function expectFail(f: () => unknown, re: RegExp): void {
  let msg: string | undefined;
  try {
    f();
  } catch (e) {
    msg = (e as Error).message;
  }
  if (msg === undefined) throw new Error(`expected a failure matching ${re}, but nothing failed`);
  expect(msg).toMatch(re);
  expect(msg).toMatch(FIVE_PARTS);
}

const chart = () => new Chart(new App(), 'c', { namespace: 'monitoring' });
const endpoint = (e: Record<string, unknown>) => ({ name: 'x', selector: { app: 'x' }, endpoints: [{ port: 'http', ...e } as any] });

describe('the table', () => {
  test('is keyed by struct, with inherited props, and knows where each construct starts', () => {
    expect(STRUCT_PROP_TYPES.ScrapeEndpoint).toMatchObject({ interval: 'Duration', scrapeTimeout: 'Duration', port: 'string' });
    expect(STRUCT_PROP_TYPES.ServiceMonitorProps).toMatchObject({ endpoints: 'struct:ScrapeEndpoint', name: 'string' });
    expect(STRUCT_PROP_TYPES.TempoProps).toMatchObject({ retention: 'Duration', metricsGenerator: 'struct:TempoMetricsGeneratorOptions', name: 'string' });
    expect(CONSTRUCT_PROPS).toMatchObject({ ServiceMonitor: 'ServiceMonitorProps', PodMonitor: 'PodMonitorProps', Tempo: 'TempoProps', Component: 'ComponentProps' });
  });
  test('a name with different types in different structs is left out of the name-only fallback', () => {
    expect(STRUCT_PROP_TYPES.PortSpec.port).toBe('number');
    expect(PROP_TYPES.port).toBeUndefined();
  });
});

describe('bad input, by struct and prop', () => {
  test("a string '30s' for a nested Duration (ServiceMonitor endpoint interval)", () => {
    expectFail(() => new ServiceMonitor(chart(), 'sm', endpoint({ interval: '30s' })), /'endpoints\[0\]\.interval' must be a Duration.*Fix: pass Duration\.seconds\(30\)/);
  });
  test('a number for a nested Duration (PodMonitor endpoint scrapeTimeout)', () => {
    expectFail(() => new PodMonitor(chart(), 'pm', endpoint({ scrapeTimeout: 10 })), /'endpoints\[0\]\.scrapeTimeout' must be a Duration/);
  });
  test('a number where the struct wants a port name (a conflicting name: port is a number elsewhere)', () => {
    expectFail(() => new ServiceMonitor(chart(), 'sm', endpoint({ port: 8080 })), /'endpoints\[0\]\.port' must be a string.*Received: 8080 \(number\)/);
  });
  test('a string for a boolean two structs deep (Tempo metricsGenerator.sendExemplars)', () => {
    const c = chart();
    const prometheus = new Prometheus(c, 'p');
    expectFail(() => new Tempo(c, 't', { metricsGenerator: { remoteWriteTarget: prometheus, sendExemplars: 'true' as any } }),
      /'metricsGenerator\.sendExemplars' must be a boolean.*Fix: pass true without quotes/);
  });
  test('a string for a Duration on a component (Tempo retention)', () => {
    expectFail(() => new Tempo(chart(), 't', { retention: '14d' as any }), /'retention' must be a Duration/);
  });
  test('checkPropTypes with an explicit struct', () => {
    expectFail(() => v.checkPropTypes(chart(), { endpoints: [{ port: 'http', interval: '1m' }] }, '', 'ServiceMonitorProps'), /'endpoints\[0\]\.interval' must be a Duration.*Duration\.minutes\(1\)/);
  });
  test('good input passes', () => {
    expect(() => new ServiceMonitor(chart(), 'sm', endpoint({ interval: Duration.seconds(30) }))).not.toThrow();
  });
});
