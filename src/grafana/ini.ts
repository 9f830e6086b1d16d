import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';

/** A grafana.ini value. */
export type IniValue = string | number | boolean;
/** grafana.ini as sections of keys (insertion order is the rendered order). */
export type IniSections = Record<string, Record<string, IniValue>>;

/** Merges `override` into `base` (section by section, key by key; later wins). */
export function mergeIni(base: IniSections, override: IniSections | undefined): IniSections {
  const out: IniSections = {};
  for (const [s, keys] of Object.entries(base)) out[s] = { ...keys };
  for (const [s, keys] of Object.entries(override ?? {})) out[s] = { ...(out[s] ?? {}), ...keys };
  return out;
}

/** Section and key names of grafana.ini (`[grafana-apiserver]`, `[plugin.grafana-image-renderer]`, header names). */
const SECTION = /^[a-zA-Z0-9_.-]+$/;
const KEY = /^[a-zA-Z0-9_.-]+$/;

/**
 * Renders grafana.ini deterministically: sections and keys in insertion order, one `key = value` per
 * line, booleans as `true`/`false`. Fails on names or values that would break the file (newlines,
 * brackets in section names).
 */
export function renderIni(scope: IConstruct, sections: IniSections): string {
  const lines: string[] = ['# Rendered by cdk8s-lgtm. Do not edit: change the Grafana construct props instead.'];
  for (const [section, keys] of Object.entries(sections)) {
    if (!SECTION.test(section)) {
      fail(scope, {
        problem: 'invalid grafana.ini section name',
        received: show(section),
        expected: 'letters, digits, "_", "-" and "." (e.g. "auth.anonymous")',
        fix: 'correct the section name in the `ini` prop',
      });
    }
    const entries = Object.entries(keys).filter(([, v]) => v !== undefined);
    if (entries.length === 0) continue;
    lines.push('', `[${section}]`);
    for (const [k, v] of entries) {
      if (!KEY.test(k)) {
        fail(scope, {
          problem: `invalid grafana.ini key in section [${section}]`,
          received: show(k),
          expected: 'letters, digits, "_", "-" and "."',
          fix: 'correct the key in the `ini` prop',
        });
      }
      const s = String(v);
      if (/[\r\n]/.test(s)) {
        fail(scope, {
          problem: `grafana.ini value [${section}] ${k} spans several lines`,
          received: show(s),
          expected: 'a single-line value',
          fix: 'remove the line breaks',
        });
      }
      lines.push(`${k} = ${s}`);
    }
  }
  return lines.join('\n') + '\n';
}
