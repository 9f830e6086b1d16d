import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigFiles, renderYaml } from '../../src/core/config';
import { goDuration, promDuration, requirePositive } from '../../src/core/duration';
import { fail, LgtmValidationError, addLgtmValidation } from '../../src/core/errors';
import { imageVersion, Images } from '../../src/core/images';
import { selectorLabels, standardLabels } from '../../src/core/labels';
import { validateName } from '../../src/core/names';
import { logqlError, promqlError, requireValidPromQL } from '../../src/core/query';
import { ResourcePreset } from '../../src/core/resources';
import { synthApp } from '../harness';

describe('promDuration', () => {
  test.each([
    [Duration.seconds(15), '15s'],
    [Duration.minutes(90), '1h30m'],
    [Duration.days(7), '1w'],
    [Duration.days(30), '4w2d'],
    [Duration.hours(24), '1d'],
    [Duration.millis(500), '500ms'],
    [Duration.seconds(0), '0s'],
  ])('%s → %s', (d, s) => expect(promDuration(d)).toBe(s));

  test('goDuration only uses h/m/s/ms', () => {
    expect(goDuration(Duration.days(7))).toBe('168h');
    expect(goDuration(Duration.minutes(90))).toBe('1h30m');
  });

  test('fails on zero and negative durations with the prop name and value', () => {
    const chart = Testing.chart();
    expect(() => requirePositive(chart, 'interval', Duration.seconds(0))).toThrow(
      /'interval' must be a positive duration\. Received: 0ms; expected: a duration greater than zero/,
    );
  });
});

describe('labels', () => {
  test('selector labels exclude the version so upgrades never change an immutable selector', () => {
    const id = { name: 'loki', instance: 'loki', component: 'ingester', version: '3.7.6' };
    expect(selectorLabels(id)).toEqual({
      'app.kubernetes.io/name': 'loki',
      'app.kubernetes.io/instance': 'loki',
      'app.kubernetes.io/component': 'ingester',
    });
    expect(standardLabels(id)['app.kubernetes.io/version']).toBe('3.7.6');
    expect(standardLabels(id)['app.kubernetes.io/part-of']).toBe('cdk8s-lgtm');
  });
});

describe('images', () => {
  test('every image is pinned by exact version, never latest', () => {
    for (const [k, v] of Object.entries(Images)) {
      if (typeof v !== 'string') continue;
      expect(`${k}=${v}`).toMatch(/:v?\d+\.\d+(\.\d+)?([-.+][\w.]+)?$/);
      expect(v).not.toMatch(/:latest$/);
      expect(imageVersion(v)).not.toBe('unknown');
    }
  });
});

describe('resources', () => {
  test('presets always carry requests and a memory limit', () => {
    expect(ResourcePreset.SMALL._toKube()).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    const custom = ResourcePreset.custom({ cpuMillis: 250, memory: Size.gibibytes(1), cpuLimitMillis: 500, memoryLimit: Size.gibibytes(2) });
    expect(custom._toKube()).toEqual({
      requests: { cpu: '250m', memory: '1024Mi' },
      limits: { cpu: '500m', memory: '2048Mi' },
    });
  });
});

describe('error helper', () => {
  test('message carries problem, received, expected, fix and the construct path', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'stack');
    const c = new Construct(chart, 'Loki');
    try {
      fail(c, { problem: "'replicas' must be at least 1", received: '0', expected: 'an integer >= 1', fix: 'set replicas to 1 or more' });
      throw new Error('unreachable');
    } catch (e) {
      expect(e).toBeInstanceOf(LgtmValidationError);
      expect((e as Error).message).toBe(
        "[stack/Loki] 'replicas' must be at least 1. Received: 0; expected: an integer >= 1. Fix: set replicas to 1 or more",
      );
    }
  });

  test('validation errors surface at synth and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-fail-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'stack');
    new ConfigFiles(chart, 'Cfg', { name: 'cfg', namespace: 'ns', labels: {} });
    addLgtmValidation(chart, () => [{ problem: 'wiring broken', received: 'x', expected: 'y', fix: 'z' }]);
    expect(() => app.synth()).toThrow(/\[stack\] wiring broken\. Received: x; expected: y\. Fix: z/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('names must be DNS-1123 labels', () => {
    const chart = Testing.chart();
    expect(() => validateName(chart, 'name', 'My_Loki')).toThrow(/'name' is not a valid Kubernetes object name\. Received: "My_Loki".*Fix: choose a name like "my-loki"/);
    expect(validateName(chart, 'name', 'loki')).toBe('loki');
  });
});

describe('typed config files', () => {
  test('rendered lazily, checksum on the pod template changes with the content', () => {
    const render = (retention: string) => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const files = new ConfigFiles(chart, 'Cfg', { name: 'cfg', namespace: 'ns', labels: { a: 'b' } });
      const state: any = { limits_config: {} };
      files._addYaml('x.yaml', () => state);
      // a change after construction still reaches the file
      state.limits_config.retention_period = retention;
      new ApiObject(chart, 'Pod', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', annotations: { 'checksum/config': files.checksum } } });
      return synthApp(app);
    };
    const a = render('7d');
    const b = render('14d');
    expect(a[0].data['x.yaml']).toBe('limits_config:\n  retention_period: 7d\n');
    expect(a[1].metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(a[1].metadata.annotations['checksum/config']).not.toBe(b[1].metadata.annotations['checksum/config']);
  });

  test('renderYaml drops undefined fields and keeps insertion order', () => {
    expect(renderYaml({ b: 1, a: undefined, c: { d: undefined, e: 'x' } })).toBe('b: 1\nc:\n  e: x\n');
  });
});

describe('query parsing', () => {
  test('PromQL errors carry the position', () => {
    expect(promqlError('sum(rate(http_requests_total[5m])) by (job)')).toBeUndefined();
    expect(promqlError('sum(rate(x[5m]) by')?.position).toBe(16);
    const chart = Testing.chart();
    expect(() => requireValidPromQL(chart, "rule 'HighErrorRate'", 'rate(x[5m]) >')).toThrow(/rule 'HighErrorRate': invalid PromQL at position/);
  });
  test('LogQL errors carry the position', () => {
    expect(logqlError('{app="web"} |= "error" | json | level="error"')).toBeUndefined();
    expect(logqlError('{app="web" |= "e"')?.position).toBeGreaterThan(0);
  });
});
