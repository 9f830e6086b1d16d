/** The generated data shipped in src/ is fresh. */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Images } from '../../src';
import { LOKI_KEYS_VERSION } from '../../src/core/config-keys/loki.generated';
import { PROMQL_FUNCTIONS, PROMQL_FUNCTIONS_VERSION } from '../../src/core/promql-functions.generated';

test('the prop type table matches the public structs (node scripts/gen-prop-types.js --check)', () => {
  execFileSync('node', [path.join(__dirname, '..', '..', 'scripts', 'gen-prop-types.js'), '--check'], { stdio: 'pipe' });
});

test('the PromQL function table is the one of the pinned Prometheus', () => {
  expect(Images.PROMETHEUS.endsWith(`:${PROMQL_FUNCTIONS_VERSION}`)).toBe(true);
  expect(PROMQL_FUNCTIONS.rate).toEqual({ args: ['matrix'], variadic: 0, returns: 'vector' });
  expect(Object.keys(PROMQL_FUNCTIONS).length).toBeGreaterThan(80);
});

test('the Loki key list is the one of the pinned Loki', () => {
  expect(Images.LOKI.endsWith(`:${LOKI_KEYS_VERSION}`)).toBe(true);
});
