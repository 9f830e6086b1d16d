/**
 * Checks a rendered `alertmanager.yaml` the way Alertmanager loads it (`config/config.go` and
 * `config/notifiers.go` of prometheus/alertmanager v0.33.1, classic label-name mode): Alertmanager
 * refuses the whole file when one of these fails, and the operator then keeps the old configuration
 * (or none) without a word in the app. The check runs on the rendered structure, so it holds for every
 * construct that renders an Alertmanager configuration.
 */
import { LgtmErrorDetails, show } from '../errors';
import { re2Error } from '../re2';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^\s:/]+):(\d{1,5})$/;
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*|"[^"]*")\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

function durationMs(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DURATION.exec(s);
  if (!m || s === '') return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return ((((n(2) * 365 + n(4) * 7 + n(6)) * 24 + n(8)) * 60 + n(10)) * 60 + n(12)) * 1000 + n(14);
}

function unquoteMatcherValue(v: string): string {
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    try {
      return JSON.parse(v);
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}

/** Every reason Alertmanager would refuse this configuration (empty when it loads). */
export function alertmanagerConfigErrors(cfg: any): LgtmErrorDetails[] {
  const out: LgtmErrorDetails[] = [];
  const err = (problem: string, received: unknown, expected: string, fix: string) => out.push({ problem: `alertmanager.yaml: ${problem}`, received: typeof received === 'string' ? received : show(received), expected, fix });
  if (!cfg || typeof cfg !== 'object') {
    err('the configuration is empty', cfg, 'a mapping with route and receivers', 'render a route and at least one receiver');
    return out;
  }
  const receivers: any[] = Array.isArray(cfg.receivers) ? cfg.receivers : [];
  const names = new Set<string>();
  for (const r of receivers) {
    if (!r?.name) err('a receiver has no name (missing name in receiver)', r, 'every receiver named', 'name the receiver');
    else if (names.has(r.name)) err(`notification config name "${r.name}" is not unique`, r.name, 'unique receiver names', 'rename one of the receivers');
    else names.add(r.name);
    checkIntegrations(r, cfg.global ?? {}, err);
  }
  const root = cfg.route;
  if (!root) {
    err('no route provided in config', cfg, 'a root route', 'set a default receiver');
    return out;
  }
  if (!root.receiver) err('root route must specify a default receiver', root, 'route.receiver set', 'set the default receiver');
  if (root.matchers || root.match || root.match_re) err('root route must not have any matchers', root.matchers ?? root.match, 'a root route without matchers', 'move the matchers into a child route');
  if (root.continue) err('cannot have continue in root route', root, 'continue only on child routes', 'remove continue from the root route');
  const walk = (r: any, where: string, inherited: { gi?: number; ri?: number }) => {
    if (r.receiver !== undefined && !names.has(r.receiver)) {
      err(`undefined receiver "${r.receiver}" used in route (${where})`, r.receiver, `one of the receivers: ${[...names].map((n) => show(n)).join(', ') || '(none)'}`, `define a receiver named ${show(r.receiver)} or route to an existing one`);
    }
    const groupBy: unknown[] = Array.isArray(r.group_by) ? r.group_by : [];
    const seen = new Set<string>();
    for (const l of groupBy) {
      if (l === '...') continue;
      if (typeof l !== 'string' || !LABEL_NAME.test(l)) {
        err(`invalid label name ${show(l)} in group_by list (${where})`, l, 'label names matching [a-zA-Z_][a-zA-Z0-9_]* (Alertmanager\'s classic label names: no "-", no ".")', `use the label as Prometheus stores it, e.g. ${show(String(l).replace(/[^a-zA-Z0-9_]/g, '_'))}`);
      }
      if (seen.has(String(l))) err(`duplicated label ${show(l)} in group_by (${where})`, groupBy, 'each label once', 'remove the duplicate');
      seen.add(String(l));
    }
    if (groupBy.includes('...') && groupBy.length > 1) err(`cannot have wildcard group_by (\`...\`) and other labels at the same time (${where})`, groupBy, "['...'] alone, or a list of labels", "remove '...' or the other labels");
    for (const m of Array.isArray(r.matchers) ? r.matchers : []) checkMatcher(m, where, err);
    const gi = r.group_interval !== undefined ? durationMs(r.group_interval) : inherited.gi;
    const ri = r.repeat_interval !== undefined ? durationMs(r.repeat_interval) : inherited.ri;
    for (const [k, v] of [['group_wait', r.group_wait], ['group_interval', r.group_interval], ['repeat_interval', r.repeat_interval]] as const) {
      if (v === undefined) continue;
      const ms = durationMs(v);
      if (ms === undefined) err(`${k} ${show(v)} is not a duration (${where})`, v, 'a Prometheus duration such as 5m', `write ${k} like 5m or 4h`);
      else if (ms === 0 && k !== 'group_wait') err(`${k} cannot be zero (${where})`, v, `a positive ${k}`, `set ${k} to a positive duration`);
    }
    if ((r.group_interval !== undefined || r.repeat_interval !== undefined) && gi !== undefined && ri !== undefined && ri < gi) {
      err(`repeat_interval is shorter than group_interval (${where}): Alertmanager only sends at group_interval ticks, so the repeat is silently stretched`, `group_interval ${r.group_interval ?? '(inherited)'}, repeat_interval ${r.repeat_interval ?? '(inherited)'}`, 'repeat_interval at least group_interval', 'raise repeatInterval to at least groupInterval (the defaults are 5m and 4h)');
    }
    (Array.isArray(r.routes) ? r.routes : []).forEach((c: any, i: number) => walk(c, `${where}.routes[${i}]`, { gi, ri }));
  };
  walk(root, 'route', { gi: durationMs('5m'), ri: durationMs('4h') });
  for (const [i, ir] of (Array.isArray(cfg.inhibit_rules) ? cfg.inhibit_rules : []).entries()) {
    for (const m of [...(ir.source_matchers ?? []), ...(ir.target_matchers ?? [])]) checkMatcher(m, `inhibit_rules[${i}]`, err);
    for (const l of ir.equal ?? []) if (!LABEL_NAME.test(l)) err(`invalid label name ${show(l)} in inhibit_rules[${i}].equal`, l, 'label names matching [a-zA-Z_][a-zA-Z0-9_]*', 'use the label as Prometheus stores it');
  }
  return out;
}

type Err = (problem: string, received: unknown, expected: string, fix: string) => void;

function checkMatcher(m: unknown, where: string, err: Err): void {
  if (typeof m !== 'string') return;
  const x = MATCHER.exec(m);
  if (!x) {
    err(`bad matcher format ${show(m)} (${where})`, m, 'label=value, label!=value, label=~regex or label!~regex', 'write the matcher as label="value"');
    return;
  }
  if (x[2] === '=~' || x[2] === '!~') {
    const e = re2Error(unquoteMatcherValue(x[3]));
    if (e) err(`the regular expression of matcher ${show(m)} does not compile as RE2 (${where}): ${e}`, m, 'an RE2 regular expression (no lookaround, no backreferences)', 'rewrite the regex, or use several matchers');
  }
}

function checkIntegrations(r: any, global: any, err: Err): void {
  const name = r?.name ?? '?';
  for (const ec of r?.email_configs ?? []) {
    if (!ec?.to) err(`receiver ${show(name)}: missing to address in email config`, ec, 'to: the recipient address', 'set the recipient (to)');
    const smarthost = ec?.smarthost ?? global.smtp_smarthost;
    if (!smarthost) err(`receiver ${show(name)}: no global SMTP smarthost set`, ec, 'smarthost host:port on the email config (or global.smtp_smarthost)', 'set the SMTP relay, e.g. smarthost: smtp.example.com:587');
    else if (!HOST_PORT.test(String(smarthost)) || Number(HOST_PORT.exec(String(smarthost))![2]) > 65535) err(`receiver ${show(name)}: smarthost ${show(smarthost)} is not host:port (port cannot be empty)`, smarthost, 'host:port, e.g. smtp.example.com:587', 'add the port to the smarthost');
    if (!(ec?.from ?? global.smtp_from)) err(`receiver ${show(name)}: no global SMTP from set`, ec, 'from: the sender address', 'set the sender');
  }
  for (const sc of r?.slack_configs ?? []) {
    if (!sc?.api_url && !sc?.api_url_file && !global.slack_api_url && !global.slack_api_url_file && !sc?.app_token && !sc?.app_token_file) {
      err(`receiver ${show(name)}: no Slack API URL nor App token set either inline or in a file`, sc, 'api_url_file (from a Secret)', 'reference the webhook URL Secret');
    }
  }
  for (const wc of r?.webhook_configs ?? []) {
    if (!wc?.url && !wc?.url_file) err(`receiver ${show(name)}: one of url or url_file must be configured`, wc, 'url_file (from a Secret) or url', 'reference the webhook URL');
  }
  for (const pc of r?.pagerduty_configs ?? []) {
    if (!pc?.routing_key && !pc?.routing_key_file && !pc?.service_key && !pc?.service_key_file) err(`receiver ${show(name)}: missing service or routing key in PagerDuty config`, pc, 'routing_key_file (from a Secret)', 'reference the routing key Secret');
  }
}
