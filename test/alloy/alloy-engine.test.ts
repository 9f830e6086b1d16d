/**
 * Every Alloy config the library renders goes through Alloy's own parser and printer (engines/alloy-syntax):
 * the ones committed under dist/, here, and the ones the Alloy tests render (test/alloy/logs.test.ts,
 * example.test.ts). A broken or misformatted config fails with Alloy's message. Every config under dist/ is
 * also checked against the Alloy 1.18.1 component reference (alloy-reference.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AlloyBlock, AlloyConfig, AlloyValue } from '../../src/alloy';
import { listFiles, parseYamlDocs } from '../harness';
import { ALLOY_SYNTAX_VERSION, alloySyntaxBinary, alloySyntaxCheck } from './alloy-engine';
import { alloyReference, alloyReferenceErrors } from './alloy-reference';

const DIST = path.join(__dirname, '..', '..', 'dist');

/** Every `*.alloy` entry of every ConfigMap under dist/ (folder/file-less id → text). */
function distAlloyConfigs(): Record<string, string> {
  const out: Record<string, string> = {};
  // only files that hold an Alloy config are parsed (dist/ also holds the large CRD files)
  const texts = listFiles(DIST).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(f, 'utf8')).filter((t) => t.includes('.alloy:'));
  for (const o of texts.flatMap(parseYamlDocs)) {
    if (o?.kind !== 'ConfigMap') continue;
    for (const [k, v] of Object.entries<string>(o.data ?? {})) {
      if (k.endsWith('.alloy')) out[`${o.metadata.namespace}_${o.metadata.name}_${k}`] = v;
    }
  }
  return out;
}

test('alloy-syntax is built from the syntax module Alloy v1.18.1 requires', () => {
  const v = execFileSync(alloySyntaxBinary(), ['--version'], { encoding: 'utf8' }).trim();
  console.log(`alloy-syntax --version: ${v}`);
  expect(v).toBe(`alloy-syntax, version ${ALLOY_SYNTAX_VERSION} (github.com/grafana/alloy/syntax)`);
});

test('every Alloy config under dist/ parses with Alloy and is formatted as `alloy fmt` prints it', () => {
  const configs = distAlloyConfigs();
  expect(Object.keys(configs).length).toBeGreaterThanOrEqual(1);
  const res = alloySyntaxCheck(configs);
  if (!res.ok) throw new Error(res.output);
  expect(res.output).toContain(`${Object.keys(configs).length} files parse and are formatted`);
});

test('every Alloy config under dist/ uses only components, arguments and blocks of the Alloy 1.18.1 reference', () => {
  expect(alloyReference().version).toBe('1.18.1');
  const configs = distAlloyConfigs();
  // each stack of dist/ renders its node agent and its central collector
  for (const ns of ['lgtm', 'lgtm-prod', 'k8s-mon']) expect(Object.keys(configs)).toContain(`${ns}_alloy-collector_config.alloy`);
  const errors = Object.entries(configs).flatMap(([id, text]) => alloyReferenceErrors(text).map((e) => `${id}: ${e}`));
  expect(errors).toEqual([]);
});

test('a config built with AlloyConfig from every value kind is accepted as rendered', () => {
  const cfg = new AlloyConfig();
  cfg.addBlock(new AlloyBlock('discovery.kubernetes', 'pods')
    .addAttribute('role', AlloyValue.string('pod'))
    .addAttribute('namespaces_all', AlloyValue.bool(true))
    .addAttribute('limit', AlloyValue.number(-0.5))
    .addAttribute('selectors', AlloyValue.array([AlloyValue.object({ role: AlloyValue.string('pod'), field: AlloyValue.concat([AlloyValue.string('spec.nodeName='), AlloyValue.env('HOSTNAME')]) })]))
    .addAttribute('labels', AlloyValue.stringList(['a "quoted" \\ value', 'naïve ✓', 'line\nbreak']))
    .addAttribute('nothing', AlloyValue.nullValue())
    .addAttribute('forward_to', AlloyValue.array([AlloyValue.ref('loki.write.default.receiver')]))
    .addBlock(new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string('http://loki:3100/loki/api/v1/push')).addBlock(new AlloyBlock('basic_auth')))
    .addAttribute('after_block', AlloyValue.call('string.join', [AlloyValue.stringList(['a', 'b']), AlloyValue.string(',')])));
  cfg.addBlock(new AlloyBlock('loki.write', 'default').addBlock(new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string('http://x'))));
  const res = alloySyntaxCheck({ 'built.alloy': cfg.render() });
  if (!res.ok) throw new Error(res.output);
});

describe('bad input: a broken config fails with the parser\'s message', () => {
  test.each([
    ['an unclosed block', 'loki.write "default" {\n  endpoint {\n    url = "http://x"\n  }\n', /parse error: .*expected/],
    ['a missing comma between elements', 'x "y" {\n  v = ["a" "b"]\n}\n', /parse error: /],
    ['an unterminated string', 'x "y" {\n  v = "abc\n}\n', /parse error: /],
    ['an unquoted label', 'x y {\n}\n', /parse error: /],
  ])('%s', (_name, text, message) => {
    const res = alloySyntaxCheck({ 'broken.alloy': text as string });
    expect(res.ok).toBe(false);
    expect(res.output).toMatch(message as RegExp);
    expect(res.output).toContain('broken.alloy');
  });

  test('a config that parses but is not formatted as Alloy prints it fails and names the line', () => {
    const res = alloySyntaxCheck({ 'ugly.alloy': 'x "y" {\n  a = 1\n  bbb = 2\n}\n' });
    expect(res.ok).toBe(false);
    expect(res.output).toMatch(/ugly\.alloy: not formatted as `alloy fmt` prints it: line 2 is "  a = 1", expected "\\ta   = 1"/);
  });

  test('one bad file among good ones fails the run and names only that file', () => {
    const res = alloySyntaxCheck({ 'good.alloy': 'x "y" {\n\ta = 1\n}\n', 'bad.alloy': 'x "y" {\n' });
    expect(res.ok).toBe(false);
    expect(res.output).toContain('bad.alloy');
    expect(res.output).not.toContain('good.alloy');
    expect(res.output).toContain('1 of 2 files failed');
  });
});

test('dist/ exists (the drift test renders it)', () => {
  expect(fs.existsSync(DIST)).toBe(true);
});
