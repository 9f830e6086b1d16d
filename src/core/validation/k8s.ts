/**
 * Validators for the values that reach Kubernetes objects, each failing with the five-part message
 * (`fail()` in `../errors`). The rules are Kubernetes' own (`k8s.io/apimachinery/pkg/util/validation`):
 * what the API server would reject at apply time is rejected here at synth time instead.
 */
import { IConstruct } from 'constructs';
import { fail, show } from '../errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

function suggestLabel(v: string, max = 63): string {
  return v.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'my-name';
}

function requireString(scope: IConstruct, prop: string, value: unknown, expected: string): string {
  if (typeof value !== 'string') {
    fail(scope, {
      problem: `'${prop}' must be a string`,
      received: `${show(value)} (${value === null ? 'null' : typeof value})`,
      expected,
      fix: `pass '${prop}' as a string`,
    });
  }
  return value;
}

/**
 * A DNS-1123 label (Services, Namespaces, most object names): at most 63 characters of `[a-z0-9-]`,
 * alphanumeric at both ends. `derived` lists the names built from this one (e.g. `<name>-headless`,
 * `<name>-0` for a StatefulSet pod): each must be a valid label too, so the check covers them.
 */
export function requireDnsLabel(scope: IConstruct, prop: string, value: string, derived: string[] = []): string {
  requireString(scope, prop, value, 'a DNS-1123 label');
  if (!DNS1123_LABEL.test(value) || value.length > 63) {
    fail(scope, {
      problem: `'${prop}' is not a valid Kubernetes name (DNS-1123 label)`,
      received: `${show(value)} (${value.length} characters)`,
      expected: 'at most 63 characters of lowercase letters, digits and \'-\', starting and ending with a letter or digit',
      fix: `use a name like ${show(suggestLabel(value))}`,
    });
  }
  for (const d of derived) {
    if (!DNS1123_LABEL.test(d) || d.length > 63) {
      fail(scope, {
        problem: `'${prop}' is too long: the derived name ${show(d)} is not a valid DNS-1123 label`,
        received: `${show(value)} (${value.length} characters; ${show(d)} has ${d.length})`,
        expected: `a name of at most ${Math.max(1, 63 - (d.length - value.length))} characters, so that every derived name (${derived.map((x) => show(x)).join(', ')}) fits in 63`,
        fix: `shorten '${prop}' to ${show(value.slice(0, Math.max(1, 63 - (d.length - value.length))).replace(/-+$/, ''))} or less`,
      });
    }
  }
  return value;
}

/** A DNS-1123 subdomain (Secrets, ConfigMaps, StorageClasses, ServiceAccounts): at most 253 characters. */
export function requireDnsSubdomain(scope: IConstruct, prop: string, value: string, what = 'Kubernetes object name'): string {
  requireString(scope, prop, value, `a ${what} (DNS-1123 subdomain)`);
  if (!DNS1123_SUBDOMAIN.test(value) || value.length > 253) {
    fail(scope, {
      problem: `'${prop}' is not a valid ${what} (DNS-1123 subdomain)`,
      received: show(value),
      expected: 'at most 253 characters of lowercase letters, digits, \'-\' and \'.\', each dot-separated part starting and ending with a letter or digit',
      fix: `use a name like ${show(value.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'my-name')}`,
    });
  }
  return value;
}

/** A Secret name. */
export function requireSecretName(scope: IConstruct, prop: string, value: string): string {
  return requireDnsSubdomain(scope, prop, value, 'Secret name');
}

/** A StorageClass name (`storageClassName`). */
export function requireStorageClassName(scope: IConstruct, prop: string, value: string): string {
  return requireDnsSubdomain(scope, prop, value, 'StorageClass name');
}

/** A key of a Secret or ConfigMap (`[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`). */
export function requireSecretKey(scope: IConstruct, prop: string, value: string): string {
  requireString(scope, prop, value, 'a Secret key');
  if (!CONFIG_KEY.test(value) || value.length > 253 || value === '.' || value === '..') {
    fail(scope, {
      problem: `'${prop}' is not a valid Secret key`,
      received: show(value),
      expected: 'at most 253 characters of letters, digits, \'-\', \'_\' and \'.\' (no \'/\', no spaces), and not "." or ".."',
      fix: `use a key like ${show(value.replace(/[^-._a-zA-Z0-9]/g, '-').replace(/^\.+$/, 'key') || 'key')}`,
    });
  }
  return value;
}

/** Why `key` is not a label or annotation key (`[prefix/]name`), or undefined when it is one. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'more than one \'/\'';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) return 'an empty prefix before \'/\'';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `the prefix ${show(prefix)} is not a DNS-1123 subdomain`;
  }
  if (name.length === 0) return 'an empty name';
  if (name.length > 63) return `the name part has ${name.length} characters (at most 63)`;
  if (!QUALIFIED_NAME.test(name)) return `the name part ${show(name)} has characters other than letters, digits, '-', '_' and '.', or does not start and end alphanumeric`;
  return undefined;
}

/** A label key or annotation key: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function requireQualifiedKey(scope: IConstruct, prop: string, key: string, what: 'label' | 'annotation' = 'label'): string {
  requireString(scope, prop, key, `a ${what} key`);
  const why = qualifiedNameError(key);
  if (why) {
    fail(scope, {
      problem: `'${prop}' has an invalid ${what} key (${why})`,
      received: show(key),
      expected: `a ${what} key [prefix/]name: an optional DNS-1123 subdomain prefix and one '/', then at most 63 characters of letters, digits, '-', '_' and '.', alphanumeric at both ends (e.g. "app.kubernetes.io/name")`,
      fix: `use a key like ${show(key.split('/').slice(-1)[0].replace(/[^-A-Za-z0-9_.]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63) || 'example.com/key')}`,
    });
  }
  return key;
}

/** A label value: at most 63 characters of `[A-Za-z0-9_.-]`, alphanumeric at both ends, or empty. */
export function requireLabelValue(scope: IConstruct, prop: string, value: string): string {
  requireString(scope, prop, value, 'a label value');
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    fail(scope, {
      problem: `'${prop}' has an invalid label value`,
      received: `${show(value)} (${value.length} characters)`,
      expected: 'at most 63 characters of letters, digits, \'-\', \'_\' and \'.\', starting and ending alphanumeric (or empty)',
      fix: `use a value like ${show(value.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63))}`,
    });
  }
  return value;
}

/** Labels: every key and value. */
export function requireLabels(scope: IConstruct, prop: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  requireMap(scope, prop, labels);
  for (const [k, v] of Object.entries(labels)) {
    requireQualifiedKey(scope, `${prop}`, k, 'label');
    requireLabelValue(scope, `${prop}.${k}`, v);
  }
  return labels;
}

/** Annotations: every key (values are free text, but must be strings; at most 256 KiB in total). */
export function requireAnnotations(
  scope: IConstruct, prop: string, annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (annotations === undefined) return undefined;
  requireMap(scope, prop, annotations);
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    requireQualifiedKey(scope, prop, k, 'annotation');
    requireString(scope, `${prop}.${k}`, v, 'an annotation value (a string)');
    total += k.length + v.length;
  }
  if (total > 256 * 1024) {
    fail(scope, {
      problem: `'${prop}' is too large for Kubernetes annotations`,
      received: `${total} bytes`,
      expected: 'at most 262144 bytes of annotation keys and values on one object',
      fix: 'move large content into a ConfigMap',
    });
  }
  return annotations;
}

/** Fails unless `value` is a plain object (a map of strings: labels, annotations, external labels). */
export function requireMap(scope: IConstruct, prop: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(scope, {
      problem: `'${prop}' must be a map of strings`,
      received: show(value),
      expected: 'an object such as { "team": "platform" }',
      fix: `pass '${prop}' as an object of string keys and values`,
    });
  }
}

/** A port number (1-65535, an integer). */
export function requirePort(scope: IConstruct, prop: string, port: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    fail(scope, {
      problem: `'${prop}' is not a valid port`,
      received: `${show(port)} (${typeof port})`,
      expected: 'an integer port number from 1 to 65535',
      fix: `pass a number such as ${typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : 8080}`,
    });
  }
  return port;
}

/** A port name (IANA_SVC_NAME): at most 15 characters of `[a-z0-9-]`, at least one letter, no `--`. */
export function requirePortName(scope: IConstruct, prop: string, name: string): string {
  requireString(scope, prop, name, 'a port name');
  if (!IANA_SVC_NAME.test(name) || name.length > 15 || !/[a-z]/.test(name) || name.includes('--')) {
    fail(scope, {
      problem: `'${prop}' is not a valid port name`,
      received: show(name),
      expected: 'at most 15 characters of lowercase letters, digits and \'-\', with at least one letter, no "--", alphanumeric at both ends (IANA_SVC_NAME)',
      fix: `use a name like ${show(suggestLabel(name, 15).replace(/--+/g, '-') || 'http')}`,
    });
  }
  return name;
}

/** The value of a Kubernetes quantity in base units (cores, bytes), or undefined when it does not parse. */
export function parseQuantity(q: string): number | undefined {
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const num = Number(q.slice(0, q.length - (m[3]?.length ?? 0)));
  const suffix = m[3] ?? '';
  const bin: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const dec: Record<string, number> = { 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18 };
  if (suffix in bin) return num * bin[suffix];
  if (suffix in dec) return num * dec[suffix];
  return num * Math.pow(10, Number(suffix.slice(1)));
}

/** A Kubernetes quantity string (`500m`, `1Gi`, `1.5`). */
export function requireQuantity(scope: IConstruct, prop: string, q: string): string {
  requireString(scope, prop, q, 'a Kubernetes quantity');
  const v = parseQuantity(q);
  if (v === undefined || v < 0) {
    fail(scope, {
      problem: `'${prop}' is not a valid Kubernetes quantity`,
      received: show(q),
      expected: 'a non-negative number with an optional suffix: Ki, Mi, Gi, Ti (binary), m, k, M, G, T (decimal), e.g. "500m" or "2Gi"',
      fix: `write it as Kubernetes does, e.g. ${show(q.replace(/\s+/g, '').replace(/([KMGTPE])i?B$/i, (_s, p: string) => `${p.toUpperCase()}i`).replace(/^(\d+)mb$/i, '$1Mi'))}`,
    });
  }
  return q;
}

/**
 * A `resources` block: every quantity valid, and each request at most its limit (the API server rejects
 * a container whose request exceeds its limit).
 */
export function requireResourceBlock(
  scope: IConstruct, prop: string, r: { requests?: Record<string, string>; limits?: Record<string, string> },
): void {
  for (const [k, v] of Object.entries(r.requests ?? {})) requireQuantity(scope, `${prop}.requests.${k}`, v);
  for (const [k, v] of Object.entries(r.limits ?? {})) requireQuantity(scope, `${prop}.limits.${k}`, v);
  for (const [k, req] of Object.entries(r.requests ?? {})) {
    const lim = r.limits?.[k];
    if (lim === undefined) continue;
    if (parseQuantity(req)! > parseQuantity(lim)!) {
      fail(scope, {
        problem: `'${prop}': the ${k} request is above its limit`,
        received: `requests.${k}=${req}, limits.${k}=${lim}`,
        expected: `requests.${k} at most limits.${k} (Kubernetes rejects the pod otherwise)`,
        fix: `raise the ${k} limit to at least ${req}, or lower the request to ${lim} or less`,
      });
    }
  }
}

/** A non-negative integer count (replicas, shards). */
export function requireCount(scope: IConstruct, prop: string, n: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    fail(scope, {
      problem: `'${prop}' must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`,
      received: `${show(n)} (${typeof n})`,
      expected: `an integer >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ''}`,
      fix: `pass a whole number${typeof n === 'string' && /^\d+$/.test(n) ? ` (${Number(n)}, not the string ${show(n)})` : ''}`,
    });
  }
  return n;
}

/** A hostname (DNS-1123 subdomain, e.g. `smtp.example.com`) or an IPv4 address. */
export function requireHostname(scope: IConstruct, prop: string, host: string): string {
  requireString(scope, prop, host, 'a hostname');
  const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
  const dns = host.length <= 253 && host.split('.').every((l) => l.length <= 63) && DNS1123_SUBDOMAIN.test(host.toLowerCase());
  if (!ipv4 && !dns) {
    fail(scope, {
      problem: `'${prop}' is not a valid hostname`,
      received: show(host),
      expected: 'a DNS name such as "smtp.example.com" (letters, digits, \'-\' and \'.\', at most 253 characters) or an IPv4 address, without scheme, port or path',
      fix: `pass the host name only, e.g. ${show(host.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '') || 'smtp.example.com')}`,
    });
  }
  return host;
}

/** `host:port`, as SMTP smarthosts and gRPC addresses are written. */
export function requireHostPort(scope: IConstruct, prop: string, hp: string): string {
  requireString(scope, prop, hp, 'host:port');
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d+)$/.exec(hp);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    fail(scope, {
      problem: `'${prop}' must be host:port`,
      received: show(hp),
      expected: 'a host and a port separated by \':\', e.g. "smtp.example.com:587"',
      fix: `add the port, e.g. ${show(`${hp.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '') || 'smtp.example.com'}:587`)}`,
    });
  }
  if (!m[1].startsWith('[')) requireHostname(scope, prop, m[1]);
  return hp;
}

/** An absolute URL with one of `schemes` (default http and https) and a valid host. */
export function requireUrl(scope: IConstruct, prop: string, url: string, schemes: string[] = ['http', 'https']): string {
  requireString(scope, prop, url, 'a URL');
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const scheme = parsed?.protocol.replace(/:$/, '');
  if (!parsed || !scheme || !schemes.includes(scheme) || parsed.hostname.length === 0 || /\s/.test(url)) {
    fail(scope, {
      problem: `'${prop}' is not a valid ${schemes.join('/')} URL`,
      received: show(url),
      expected: `an absolute URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}, with a host, e.g. "https://example.com/path"`,
      fix: /^[a-z0-9.-]+(:\d+)?(\/|$)/i.test(url) ? `add the scheme: ${show(`${schemes[schemes.length - 1]}://${url}`)}` : 'write the full URL, including scheme and host',
    });
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!host.includes(':')) requireHostname(scope, `${prop} (host)`, host);
  return url;
}
