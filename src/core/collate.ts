/**
 * `a.localeCompare(b, 'en-US')` without loading ICU's collator: the first `localeCompare` of a process
 * costs about 10 ms (the collation data), more than the sorts of a whole synth. Unlike a bare
 * `localeCompare`, it does not depend on the locale of the process. For printable ASCII this is the
 * order of the root (en-US) collation: whitespace, punctuation and symbols in ICU's order,
 * then digits, then letters with case as a tie-break (`a` < `A` < `b`), primary weights compared over the
 * whole string before case. Any other character (accents, expansions, control characters) falls back to
 * `localeCompare(b, 'en-US')`. `test/core/collate.test.ts` checks it against `localeCompare`.
 */
const ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ';

const PRIMARY = new Int16Array(128).fill(-1);
const UPPER = new Uint8Array(128);
{
  let rank = 0;
  for (const ch of ORDER) {
    const code = ch.charCodeAt(0);
    const lower = ch.toLowerCase();
    if (ch !== lower) { // an upper-case letter: the weight of its lower case, after it on case
      PRIMARY[code] = PRIMARY[lower.charCodeAt(0)];
      UPPER[code] = 1;
    } else {
      PRIMARY[code] = rank++;
    }
  }
}

function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || PRIMARY[c] < 0) return false;
  }
  return true;
}

/** The sign of `a.localeCompare(b, 'en-US')` (-1, 0 or 1), computed without ICU for printable ASCII. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!plain(a) || !plain(b)) return Math.sign(a.localeCompare(b, 'en-US'));
  const n = Math.min(a.length, b.length);
  let caseOrder = 0;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const pa = PRIMARY[ca];
    const pb = PRIMARY[cb];
    if (pa !== pb) return pa < pb ? -1 : 1;
    if (caseOrder === 0) caseOrder = UPPER[ca] < UPPER[cb] ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return caseOrder;
}
