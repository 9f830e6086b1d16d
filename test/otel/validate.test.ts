/**
 * Every collector config the library renders passes `otelcol validate` on a collector built from the
 * pinned release with exactly our components (engines/otelcol). A missing binary fails with the build
 * command (test/engines.ts), never skips.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collectorConfigs, hub } from './fixtures';
import { RENDERED_APPS } from '../../examples/apps';
import { OTELCOL_VERSION } from '../../src/otel/constants';
import { engineBinary } from '../engines';
import { readYamlDir } from '../harness';

function validate(raw: string): { ok: boolean; output: string } {
  const bin = engineBinary('otelcol', 'otelcol-lgtm', OTELCOL_VERSION);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-otelcol-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, raw);
  try {
    // k8sattributes builds its Kubernetes client at start, not at validate: no cluster is needed
    const out = execFileSync(bin, ['validate', `--config=${file}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('otelcol validate', () => {
  test.each([
    ['hub with every destination', {}],
    ['no k8s attributes, no Prometheus exporter', { k8sAttributes: false, prometheusExporter: false }],
  ])('accepts the rendered config: %s', (_name, extra) => {
    for (const c of collectorConfigs(hub(extra).objs)) expect(validate(c.raw)).toEqual({ ok: true, output: expect.any(String) });
  });

  test('accepts every collector config in dist/', () => {
    const configs = RENDERED_APPS.flatMap((a) => collectorConfigs(readYamlDir(path.join(__dirname, '..', '..', 'dist', a.name))));
    expect(configs.length).toBeGreaterThan(0);
    for (const c of configs) expect({ name: c.name, ...validate(c.raw) }).toEqual({ name: c.name, ok: true, output: expect.any(String) });
  });

  test('rejects a config with an unknown exporter (the check is real)', () => {
    const [c] = collectorConfigs(hub().objs);
    const broken = c.raw.replace('exporters: [otlp/traces]', 'exporters: [loki]').replace(/- otlp\/traces/, '- loki');
    const r = validate(broken);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/loki/);
  });
});
