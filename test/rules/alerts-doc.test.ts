/**
 * docs/ALERTS.md: the per-alert tables are generated from the packs (`LGTM_UPDATE_ALERTS_DOC=1` rewrites
 * them), and every alert the mixin-coverage table names as ours exists in a pack.
 */
import * as fs from 'fs';
import * as path from 'path';
import { allPacks, renderAlertTables } from './alert-catalog';

const DOC = path.join(__dirname, '..', '..', 'docs', 'ALERTS.md');
const BEGIN = '<!-- BEGIN GENERATED ALERT TABLES -->';
const END = '<!-- END GENERATED ALERT TABLES -->';

test('the per-alert tables of docs/ALERTS.md are up to date', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  expect(i).toBeGreaterThan(0);
  const generated = `${BEGIN}\n\n${renderAlertTables()}\n${END}`;
  if (process.env.LGTM_UPDATE_ALERTS_DOC) fs.writeFileSync(DOC, text.slice(0, i) + generated + text.slice(j + END.length));
  else expect(text.slice(i, j + END.length)).toBe(generated);
});

test('every alert the coverage table names as ours exists in the packs', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Coverage of the kube-prometheus mixins'), text.indexOf(BEGIN));
  const ours = new Set(allPacks().flatMap((p) => p.alertNames));
  const named: string[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !/^`/.test(cells[1] ?? '')) continue;
    for (const m of (cells[2] ?? '').matchAll(/`([A-Za-z]+)`/g)) named.push(m[1]);
  }
  expect(named.length).toBeGreaterThan(60);
  expect(named.filter((n) => !ours.has(n))).toEqual([]);
});
