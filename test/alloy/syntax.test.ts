import { expectAlloySyntaxAccepts } from './alloy-engine';
import { parseAlloy, PlainValue } from './alloy-parse';
import { alloyReferenceErrors } from './alloy-reference';
import { AlloyBlock, AlloyConfig, AlloyValue, AlloyValueKind } from '../../src/alloy';
import { quoteAlloyString, toIdentifier } from '../../src/alloy/syntax-internal';

/** The parsed form of an AlloyValue, for round-trip comparisons. */
function plain(v: AlloyValue): PlainValue {
  switch (v.kind) {
    case AlloyValueKind.STRING: return { t: 'string', v: v.text! };
    case AlloyValueKind.REFERENCE: return { t: 'ref', v: v.text! };
    case AlloyValueKind.ARRAY: return { t: 'array', v: v.elements!.map(plain) };
    case AlloyValueKind.CONCAT: return { t: 'concat', v: v.elements!.map(plain) };
    case AlloyValueKind.OBJECT: return { t: 'object', v: Object.entries(v.entries!).map(([k, x]) => [k, plain(x)] as [string, PlainValue]) };
    default: return parseAlloy(`x "y" {\n  v = ${v.render()}\n}\n`)[0].attrs[0].value;
  }
}

function roundTrip(v: AlloyValue): PlainValue {
  const text = new AlloyBlock('test.component', 'x').addAttribute('v', v).render();
  return parseAlloy(text)[0].attrs[0].value;
}

describe('string escaping (Go-style, as Alloy reads it)', () => {
  test.each([
    ['plain', 'hello', '"hello"'],
    ['quote and backslash', 'say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['newline, tab, CR', 'a\nb\tc\rd', '"a\\nb\\tc\\rd"'],
    ['C escapes', '\x07\b\f\v', '"\\a\\b\\f\\v"'],
    ['other control bytes', '\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['line separator', 'a\u2028b', '"a\\u2028b"'],
    ['printable unicode kept', 'naïve ✓ 日本', '"naïve ✓ 日本"'],
    ['regex backslashes', '^;*([^;]+)(;.*)?$\\d', '"^;*([^;]+)(;.*)?$\\\\d"'],
    ['LogQL selector', '{app="web"} |= "error"', '"{app=\\"web\\"} |= \\"error\\""'],
  ])('%s', (_name, input, expected) => {
    expect(quoteAlloyString(input)).toBe(expected);
    expect(roundTrip(AlloyValue.string(input))).toEqual({ t: 'string', v: input });
  });
});

describe('values', () => {
  test('scalars', () => {
    expect(AlloyValue.number(42).render()).toBe('42');
    expect(AlloyValue.number(-0.5).render()).toBe('-0.5');
    expect(AlloyValue.bool(true).render()).toBe('true');
    expect(AlloyValue.bool(false).render()).toBe('false');
    expect(AlloyValue.nullValue().render()).toBe('null');
  });

  test('references, calls and concatenation', () => {
    expect(AlloyValue.ref('loki.write.default.receiver').render()).toBe('loki.write.default.receiver');
    expect(AlloyValue.env('HOSTNAME').render()).toBe('sys.env("HOSTNAME")');
    expect(AlloyValue.concat([AlloyValue.string('spec.nodeName='), AlloyValue.env('HOSTNAME')]).render())
      .toBe('"spec.nodeName=" + sys.env("HOSTNAME")');
    expect(AlloyValue.call('string.join', [AlloyValue.stringList(['a', 'b']), AlloyValue.string(',')]).render())
      .toBe('string.join(["a", "b"], ",")');
  });

  test('short arrays render inline, long ones one element per line with a trailing comma', () => {
    expect(AlloyValue.array([]).render()).toBe('[]');
    expect(AlloyValue.stringList(['a', 'b']).render()).toBe('["a", "b"]');
    const long = AlloyValue.stringList(Array.from({ length: 12 }, (_, i) => `element-number-${i}`));
    const text = long.render(2);
    expect(text.split('\n')).toHaveLength(14);
    expect(text).toMatch(/^\[\n\t{2}"element-number-0",\n/);
    expect(text).toMatch(/"element-number-11",\n\t\]$/);
    expect(roundTrip(long)).toEqual(plain(long));
  });

  test('objects: sorted keys, aligned, quoted when not identifiers, trailing commas', () => {
    const o = AlloyValue.object({ 'zeta': AlloyValue.number(1), 'app.kubernetes.io/name': AlloyValue.string('web'), 'a': AlloyValue.bool(true) });
    expect(o.render()).toBe([
      '{',
      '\ta                        = true,',
      '\t"app.kubernetes.io/name" = "web",',
      '\tzeta                     = 1,',
      '}',
    ].join('\n'));
    expect(AlloyValue.object({}).render()).toBe('{}');
    expect(roundTrip(o)).toEqual(plain(o));
  });

  test('arrays of objects and nested objects round-trip', () => {
    const v = AlloyValue.array([
      AlloyValue.stringMap({ __path__: '/var/log/app/*.log', job: 'backend' }),
      AlloyValue.object({ nested: AlloyValue.object({ list: AlloyValue.array([AlloyValue.number(1), AlloyValue.nullValue()]) }) }),
    ]);
    expect(roundTrip(v)).toEqual(plain(v));
  });
});

describe('blocks and configs', () => {
  function sample(): AlloyConfig {
    const cfg = new AlloyConfig();
    const write = AlloyBlock.component('loki.write', 'default')
      .addBlock(new AlloyBlock('endpoint')
        .addAttribute('url', AlloyValue.string('http://loki.monitoring.svc:3100/loki/api/v1/push'))
        .addAttribute('tenant_id', AlloyValue.string('team-a')));
    cfg.addBlock(AlloyBlock.component('discovery.kubernetes', 'pods')
      .addAttribute('role', AlloyValue.string('pod'))
      .addBlock(new AlloyBlock('selectors')
        .addAttribute('role', AlloyValue.string('pod'))
        .addAttribute('field', AlloyValue.concat([AlloyValue.string('spec.nodeName='), AlloyValue.env('HOSTNAME')]))));
    cfg.addBlock(AlloyBlock.component('loki.process', 'pods')
      .addAttribute('forward_to', AlloyValue.array([write.exportRef('receiver')]))
      .addBlock(new AlloyBlock('stage.json').addAttribute('expressions', AlloyValue.stringMap({ level: 'level' }))));
    cfg.addBlock(write);
    return cfg;
  }

  test('renders as `alloy fmt` prints it: tab indentation, aligned attributes, quoted labels (Alloy\'s printer agrees)', () => {
    expect(sample().render()).toBe([
      'discovery.kubernetes "pods" {',
      '\trole = "pod"',
      '',
      '\tselectors {',
      '\t\trole  = "pod"',
      '\t\tfield = "spec.nodeName=" + sys.env("HOSTNAME")',
      '\t}',
      '}',
      '',
      'loki.process "pods" {',
      '\tforward_to = [loki.write.default.receiver]',
      '',
      '\tstage.json {',
      '\t\texpressions = {',
      '\t\t\tlevel = "level",',
      '\t\t}',
      '\t}',
      '}',
      '',
      'loki.write "default" {',
      '\tendpoint {',
      '\t\turl       = "http://loki.monitoring.svc:3100/loki/api/v1/push"',
      '\t\ttenant_id = "team-a"',
      '\t}',
      '}',
      '',
    ].join('\n'));
    expectAlloySyntaxAccepts({ 'sample.alloy': sample().render() });
  });

  test('rendering is deterministic and parses back to the same tree', () => {
    const a = sample().render();
    expect(sample().render()).toBe(a);
    expect(sample().render()).toBe(sample().render());
    const parsed = parseAlloy(a);
    expect(parsed.map((b) => `${b.name}.${b.label}`)).toEqual(['discovery.kubernetes.pods', 'loki.process.pods', 'loki.write.default']);
    expect(parsed[0].blocks[0].attrs[1].value).toEqual({
      t: 'concat', v: [{ t: 'string', v: 'spec.nodeName=' }, { t: 'call', fn: 'sys.env', args: [{ t: 'string', v: 'HOSTNAME' }] }],
    });
  });

  test('an empty block renders as name { }, as Alloy prints it', () => {
    expect(new AlloyBlock('stage.cri').render(2)).toBe('\tstage.cri { }\n');
  });

  test('toIdentifier makes any string a valid identifier', () => {
    expect(toIdentifier('Loki')).toBe('loki');
    expect(toIdentifier('my-loki.prod')).toBe('my_loki_prod');
    expect(toIdentifier('3rd')).toBe('_3rd');
    expect(toIdentifier('null')).toBe('_null');
  });
});

describe('bad input fails loudly', () => {
  test('fails when a label is not an identifier', () => {
    expect(() => AlloyBlock.component('loki.write', 'my-loki')).toThrow(/label of block 'loki.write' is not a valid Alloy identifier\. Received: "my-loki".*Fix: use "my_loki"/);
    expect(() => AlloyBlock.component('loki.write', '1st')).toThrow(/not a valid Alloy identifier/);
    expect(() => AlloyBlock.component('loki.write', '')).toThrow(/not a valid Alloy identifier/);
  });

  test('fails when a block name is not dotted identifiers', () => {
    expect(() => new AlloyBlock('loki..write')).toThrow(/block name is not a valid Alloy name\. Received: "loki\.\.write"/);
    expect(() => new AlloyBlock('loki.write-x')).toThrow(/block name is not a valid Alloy name/);
    expect(() => new AlloyBlock('')).toThrow(/block name is not a valid Alloy name/);
  });

  test('fails when an attribute name is invalid, reserved or set twice', () => {
    expect(() => new AlloyBlock('endpoint').addAttribute('tenant-id', AlloyValue.string('x'))).toThrow(/attribute name in block 'endpoint' is not a valid Alloy identifier/);
    expect(() => new AlloyBlock('endpoint').addAttribute('true', AlloyValue.string('x'))).toThrow(/not a valid Alloy identifier/);
    expect(() => new AlloyBlock('endpoint').addAttribute('url', AlloyValue.string('a')).addAttribute('url', AlloyValue.string('b')))
      .toThrow(/attribute 'url' is set twice in block 'endpoint'/);
  });

  test('fails when a reference or function name is invalid', () => {
    expect(() => AlloyValue.ref('loki.write.default.receiver[0]')).toThrow(/reference is not a valid Alloy name/);
    expect(() => AlloyValue.ref('"quoted"')).toThrow(/reference is not a valid Alloy name/);
    expect(() => AlloyValue.call('sys.env()', [])).toThrow(/function name is not a valid Alloy name/);
  });

  test('fails on non-finite numbers and one-part concatenations', () => {
    expect(() => AlloyValue.number(NaN)).toThrow(/a number value is not finite\. Received: NaN/);
    expect(() => AlloyValue.number(Infinity)).toThrow(/not finite/);
    expect(() => AlloyValue.concat([AlloyValue.string('a')])).toThrow(/concat needs at least two parts/);
  });

  test('fails when a component is defined twice', () => {
    const cfg = new AlloyConfig();
    cfg.addBlock(AlloyBlock.component('loki.write', 'default'));
    expect(() => cfg.addBlock(AlloyBlock.component('loki.write', 'default'))).toThrow(/component 'loki.write.default' is defined twice/);
    expect(() => cfg.addBlock(AlloyBlock.component('loki.process', 'default'))).not.toThrow();
  });

  test('the test parser rejects what Alloy rejects', () => {
    expect(() => parseAlloy('a "b" {\n  x = [\n    1\n  ]\n}\n')).toThrow(/missing trailing comma/);
    expect(() => parseAlloy('a "b" {\n  x = "\\q"\n}\n')).toThrow(/unknown escape/);
    expect(() => parseAlloy('a "b" {\n  x = 1\n')).toThrow(/unexpected end of file/);
    expect(() => parseAlloy('x = 1\n')).toThrow(/attribute 'x' at the top level/);
  });
});

describe('general enough for the traces pipeline (OTel components)', () => {
  test('an OTLP receiver → exporter config renders, parses and passes the reference check', () => {
    const cfg = new AlloyConfig();
    const exporter = AlloyBlock.component('otelcol.exporter.otlp', 'tempo')
      .addBlock(new AlloyBlock('client')
        .addAttribute('endpoint', AlloyValue.string('tempo.monitoring.svc:4317'))
        .addBlock(new AlloyBlock('tls').addAttribute('insecure', AlloyValue.bool(true))));
    cfg.addBlock(AlloyBlock.component('otelcol.receiver.otlp', 'default')
      .addBlock(new AlloyBlock('grpc').addAttribute('endpoint', AlloyValue.string('0.0.0.0:4317')))
      .addBlock(new AlloyBlock('http').addAttribute('endpoint', AlloyValue.string('0.0.0.0:4318')))
      .addBlock(new AlloyBlock('output').addAttribute('traces', AlloyValue.array([exporter.exportRef('input')]))));
    cfg.addBlock(exporter);
    const text = cfg.render();
    expect(parseAlloy(text).map((b) => b.name)).toEqual(['otelcol.receiver.otlp', 'otelcol.exporter.otlp']);
    expect(alloyReferenceErrors(text)).toEqual([]);
    // and the check notices a required block that is missing (otelcol.receiver.otlp needs `output`)
    expect(alloyReferenceErrors('otelcol.receiver.otlp "x" {\n}\n')).toEqual(['otelcol.receiver.otlp "x": required block \'output\' is missing']);
  });
});
