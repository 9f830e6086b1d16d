/**
 * `otelcol validate` of the OpenTelemetry Collector built from engines/otelcol/manifest.yaml (the collector
 * builder, exactly the components the library renders, one collector release). It accepts the committed
 * config holding every component (collector.yaml) and rejects broken ones with the collector's message.
 * Once the library renders collector configs, each goes through `otelcolValidate` too.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { engineBinary } from '../engines';

/** The collector release of engines/otelcol/manifest.yaml. */
export const OTELCOL_VERSION = '0.155.0';
const CONFIG = path.join(__dirname, 'collector.yaml');

function otelcol(): string {
  return engineBinary('otelcol', 'otelcol-lgtm', OTELCOL_VERSION);
}

/** Runs `otelcol-lgtm validate --config=<file>` on a config text. */
function otelcolValidate(text: string): { ok: boolean; output: string } {
  const bin = otelcol();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgtm-otelcol-'));
  try {
    const f = path.join(dir, 'config.yaml');
    fs.writeFileSync(f, text);
    const out = execFileSync(bin, ['validate', `--config=${f}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function edited(edit: (cfg: any) => void): string {
  const cfg = YAML.parse(fs.readFileSync(CONFIG, 'utf8'));
  edit(cfg);
  return YAML.stringify(cfg);
}

test('otelcol is the collector built from the manifest, at its release', () => {
  const v = execFileSync(otelcol(), ['--version'], { encoding: 'utf8' }).trim();
  console.log(`otelcol-lgtm --version: ${v}`);
  expect(v).toBe(`otelcol-lgtm version ${OTELCOL_VERSION}`);
  const components = execFileSync(otelcol(), ['components'], { encoding: 'utf8' });
  for (const c of ['otlp', 'batch', 'memory_limiter', 'k8sattributes', 'resource', 'otlphttp', 'prometheus', 'prometheusremotewrite', 'health_check']) {
    expect(components).toMatch(new RegExp(`name: ${c}\\n`));
  }
});

test('otelcol validate accepts the committed config with every component', () => {
  const res = otelcolValidate(fs.readFileSync(CONFIG, 'utf8'));
  if (!res.ok) throw new Error(res.output);
});

describe('bad input: otelcol validate rejects a broken config with the collector\'s message', () => {
  test.each([
    ['an unknown key in a processor', (c: any) => { c.processors.batch.send_batch_sizes = 1; }, /'send_batch_sizes'|send_batch_sizes/],
    ['a pipeline naming an exporter that is not defined', (c: any) => { c.service.pipelines.traces.exporters = ['otlp/nowhere']; }, /otlp\/nowhere/],
    ['a component the distribution does not hold', (c: any) => { c.exporters.debug = {}; c.service.pipelines.logs.exporters.push('debug'); }, /debug/],
    ['an invalid value', (c: any) => { c.processors.memory_limiter.limit_percentage = 180; }, /memory_limiter|limit_percentage|percentage/],
  ])('%s', (_name, edit, message) => {
    const res = otelcolValidate(edited(edit as (c: any) => void));
    expect(res.ok).toBe(false);
    expect(res.output).toMatch(message as RegExp);
  });
});
