/** `compareText`: the sign of `localeCompare`, without loading ICU's collator for printable ASCII. */
import * as fs from 'fs';
import * as path from 'path';
import { compareText } from '../../src/core/collate';
import { wiringGraph } from '../../src/core/wiring';
import { random } from '../random';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

function mismatches(pairs: Iterable<[string, string]>): string[] {
  const out: string[] = [];
  for (const [a, b] of pairs) {
    if (compareText(a, b) !== sign(a.localeCompare(b, 'en-US'))) out.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    if (out.length >= 10) break;
  }
  return out;
}

test('every pair of printable characters, and of two-character strings over a mixed alphabet', () => {
  function* pairs(): Generator<[string, string]> {
    for (const a of PRINTABLE) for (const b of PRINTABLE) yield [a, b];
    const alphabet = [' ', '-', '/', '.', '_', ':', '0', '9', 'a', 'A', 'b', 'B', 'z', 'Z'];
    const two = alphabet.flatMap((x) => alphabet.map((y) => x + y));
    for (const a of [...two, ...alphabet, '']) for (const b of [...two, ...alphabet, '']) yield [a, b];
  }
  expect(mismatches(pairs())).toEqual([]);
});

test('random strings (case, punctuation and prefixes mixed), and non-ASCII text falls back to localeCompare', () => {
  const next = random(14);
  const alphabet = 'aAbBmMzZ09 -/._:$~()'.split('');
  const word = () => Array.from({ length: Math.floor(next() * 10) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  function* pairs(): Generator<[string, string]> {
    for (let i = 0; i < 20000; i++) {
      const a = word();
      // often a shared prefix: the decision then falls on a later character, the case, or the length
      const b = next() < 0.5 ? a.slice(0, Math.floor(next() * (a.length + 1))) + word() : word();
      yield [a, b];
      yield [a.toUpperCase(), b];
    }
    for (const [a, b] of [['é', 'e'], ['straße', 'strasse'], ['a\u0000b', 'ab'], ['Ä', 'b'], ['日本', 'abc']] as Array<[string, string]>) yield [a, b];
  }
  expect(mismatches(pairs())).toEqual([]);
});

test('the wiring edges of every dist/ folder sort as with localeCompare', () => {
  const dist = path.join(__dirname, '..', '..', 'dist');
  const YAML = require('yaml'); // eslint-disable-line @typescript-eslint/no-require-imports
  const keys: string[] = [];
  for (const folder of fs.readdirSync(dist)) {
    const dir = path.join(dist, folder);
    if (!fs.statSync(dir).isDirectory()) continue;
    const objs = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d: any) => d.toJSON()).filter((o: any) => o));
    for (const e of wiringGraph(objs)) keys.push(`${e.from.name} ${e.to.name} ${e.port}`, e.to.name, e.from.namespace);
  }
  expect(keys.length).toBeGreaterThan(100);
  expect([...keys].sort(compareText)).toEqual([...keys].sort((a, b) => a.localeCompare(b, 'en-US')));
});
