import { App, Chart } from 'cdk8s';
import { requireValidTraceQL, traceqlError } from '../../src/core/query';

describe('TraceQL parsing (@grafana/lezer-traceql 1.0)', () => {
  test.each([
    '{ resource.service.name = "checkout" && span.http.status_code >= 500 }',
    '{ .db.system = "postgresql" } | rate() by (resource.service.name)',
    '{ duration > 2s } && { status = error }',
  ])('accepts %s', (q) => {
    expect(traceqlError(q)).toBeUndefined();
  });

  test('invalid TraceQL fails with the position, a caret line and the five parts', () => {
    const chart = new Chart(new App(), 'c');
    expect(() => requireValidTraceQL(chart, 'example query', '{ span.http.status_code >= }')).toThrow(
      /^\[c\] example query: invalid TraceQL at position 27\. Received: \n\{ span\.http\.status_code >= \}\n {27}\^\n; expected: a TraceQL query .*\. Fix: /,
    );
    expect(traceqlError('')).toEqual({ position: 0, pointer: '^ (empty query)' });
    expect(traceqlError('{ .a = "x" ')).toBeDefined();
  });
});
