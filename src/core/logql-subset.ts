/**
 * The plainest LogQL log queries, recognized without loading `@grafana/lezer-logql` (0.3.0; with the
 * `@lezer/lr` runtime about 180 KB of modules): a stream selector and line filters,
 *
 *     {label op "value", ...} |= "text" != "text" |~ "regex" !~ "regex"
 *
 * with `=`, `!=`, `=~`, `!~`, double-quoted (escapes, one line) or backquoted strings, and whitespace.
 * `true` means lezer parses the query without an error; `false` decides nothing (the caller asks
 * lezer, which also reports every error). Label names are `[a-zA-Z_][a-zA-Z0-9_]*` other than the
 * grammar's keywords. RE2 checks of the regular expressions are the caller's, as before.
 * test/core/logql-subset.test.ts compares it with lezer on generated queries.
 */

/** Words the grammar tokenizes as keywords (case-insensitive): not taken as label names here. */
const KEYWORDS = new Set([
  'json', 'logfmt', 'unpack', 'pattern', 'regexp', 'label_format', 'line_format', 'label_replace', 'vector', 'offset',
  'bool', 'on', 'ignoring', 'group_left', 'group_right', 'unwrap', 'decolorize', 'drop', 'keep', 'by', 'without', 'and',
  'or', 'unless', 'sum', 'avg', 'count', 'max', 'min', 'stddev', 'stdvar', 'bottomk', 'topk', 'sort', 'sort_desc', 'ip',
  'count_over_time', 'rate', 'rate_counter', 'bytes_over_time', 'bytes_rate', 'avg_over_time', 'sum_over_time',
  'min_over_time', 'max_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'first_over_time',
  'last_over_time', 'absent_over_time', 'bytes', 'duration', 'duration_seconds',
]);

const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const SPACE = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\\n]|\\[^\n])*"|`[^`]*`/y;
const MATCH_OP = /=~|!~|!=|=/y;
const FILTER_OP = /\|=|!=|\|~|!~/y;

/** Whether `expr` is a stream selector with line filters that lezer parses without an error. */
export function inLogqlSubset(expr: string): boolean {
  let p = 0;
  const take = (re: RegExp): string | undefined => {
    re.lastIndex = p;
    const m = re.exec(expr);
    if (m === null) return undefined;
    p = re.lastIndex;
    return m[0];
  };
  const space = () => take(SPACE);
  space();
  if (expr[p] !== '{') return false;
  p++;
  for (;;) {
    space();
    const label = take(LABEL);
    if (label === undefined || KEYWORDS.has(label.toLowerCase()) || /[:.]/.test(expr[p] ?? '')) return false;
    space();
    if (take(MATCH_OP) === undefined) return false;
    space();
    if (take(STRING) === undefined) return false;
    space();
    const c = expr[p++];
    if (c === '}') break;
    if (c !== ',') return false;
  }
  for (;;) {
    space();
    if (p === expr.length) return true;
    if (take(FILTER_OP) === undefined) return false;
    space();
    if (take(STRING) === undefined) return false;
  }
}
