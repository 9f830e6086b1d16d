/**
 * Checks a rendered Alloy file against the Alloy 1.18.1 component reference in
 * ../shared/config-reference/alloy-components.json (built from grafana/alloy@v1.18.1 docs): every
 * component must be in the reference, every argument and nested block must exist for that component
 * (at that nesting level), every required argument and block must be present, and literal values must
 * have the documented type.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAlloy, ParsedBlock, PlainValue } from './alloy-parse';

interface RefArg { name: string; type: string; required: boolean }
interface RefBlock { name: string; required?: boolean; arguments?: RefArg[]; blocks?: RefBlock[] }

const REF_FILE = path.join(__dirname, '..', '..', '..', 'shared', 'config-reference', 'alloy-components.json');
/**
 * Components the shared reference does not transcribe (kubernetes_events, journal, loki.relabel, PodMonitors,
 * otelcol.exporter.prometheus),
 * transcribed the same way from the same tag's docs (source and commit in the file).
 */
const EXTRA_FILE = path.join(__dirname, 'alloy-components-extra.json');

let cache: any;
export function alloyReference(): { version: string; components: Record<string, RefBlock> } {
  if (!cache) {
    const shared = JSON.parse(fs.readFileSync(REF_FILE, 'utf8'));
    const extra = JSON.parse(fs.readFileSync(EXTRA_FILE, 'utf8'));
    if (extra.version !== shared.version) throw new Error(`alloy-components-extra.json is for Alloy ${extra.version}, the shared reference for ${shared.version}`);
    cache = { ...shared, components: { ...extra.components, ...shared.components } };
  }
  return cache;
}

function typeOk(type: string, v: PlainValue): boolean {
  // expressions (references, calls, concatenations) are typed at run time by Alloy
  if (v.t === 'ref' || v.t === 'call') return true;
  if (type === 'string' || type === 'secret' || type === 'duration') return v.t === 'string' || v.t === 'concat';
  if (type === 'bool') return v.t === 'bool';
  if (['number', 'int', 'uint', 'float'].includes(type)) return v.t === 'number';
  if (type.startsWith('list(')) return v.t === 'array';
  if (type.startsWith('map(')) return v.t === 'object';
  return true;
}

function checkBlock(where: string, b: ParsedBlock, ref: RefBlock, out: string[]): void {
  const args = ref.arguments ?? [];
  const blocks = ref.blocks ?? [];
  for (const a of b.attrs) {
    const r = args.find((x) => x.name === a.name);
    if (!r) out.push(`${where}: argument '${a.name}' is not in the reference (known: ${args.map((x) => x.name).join(', ') || 'none'})`);
    else if (!typeOk(r.type, a.value)) out.push(`${where}: argument '${a.name}' has a ${a.value.t} value, the reference type is ${r.type}`);
  }
  for (const r of args.filter((x) => x.required)) {
    if (!b.attrs.some((a) => a.name === r.name)) out.push(`${where}: required argument '${r.name}' is missing`);
  }
  for (const nb of b.blocks) {
    const r = blocks.find((x) => x.name === nb.name);
    if (!r) out.push(`${where}: block '${nb.name}' is not in the reference (known: ${blocks.map((x) => x.name).join(', ') || 'none'})`);
    else checkBlock(`${where} > ${nb.name}`, nb, r, out);
  }
  for (const r of blocks.filter((x) => x.required)) {
    if (!b.blocks.some((x) => x.name === r.name)) out.push(`${where}: required block '${r.name}' is missing`);
  }
}

/** Reference errors of a rendered Alloy config (empty when every component, argument and block is known). */
export function alloyReferenceErrors(rendered: string): string[] {
  const ref = alloyReference();
  const out: string[] = [];
  for (const b of parseAlloy(rendered)) {
    const where = `${b.name}${b.label !== undefined ? ` "${b.label}"` : ''}`;
    const comp = ref.components[b.name];
    if (!comp) {
      out.push(`${where}: component '${b.name}' is not in the Alloy ${ref.version} reference`);
      continue;
    }
    if (b.label === undefined) out.push(`${where}: a component needs a label`);
    checkBlock(where, b, comp, out);
  }
  return out;
}
