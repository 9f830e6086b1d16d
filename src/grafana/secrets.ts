import { IConstruct } from 'constructs';
import { sha256 } from '../core/config';
import { fail, show } from '../core/errors';
import { SecretKeyReference } from '../prometheus/common';

const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Fails unless `ref` names a Secret and a key. `what` names the prop in the message. */
export function requireSecretKey(scope: IConstruct, what: string, ref: SecretKeyReference | undefined): SecretKeyReference {
  if (!ref || typeof ref !== 'object') {
    fail(scope, {
      problem: `${what} has no credential reference`,
      received: show(ref),
      expected: "a reference to a key of an existing Secret, e.g. { secretName: 'slack-webhook', key: 'url' }",
      fix: `create the Secret (kubectl create secret generic <name> -n <namespace> --from-literal=<key>=...) and pass { secretName, key } for ${what}; credentials are never inlined in the YAML`,
    });
  }
  if (!ref.secretName || !SECRET_NAME.test(ref.secretName) || ref.secretName.length > 253) {
    fail(scope, {
      problem: `${what}: the Secret name is missing or invalid`,
      received: show(ref),
      expected: 'a DNS-1123 subdomain, e.g. "slack-webhook"',
      fix: `set 'secretName' of ${what} to the name of the existing Secret`,
    });
  }
  if (!ref.key || !SECRET_KEY.test(ref.key)) {
    fail(scope, {
      problem: `${what}: no key of Secret '${ref.secretName}' is named`,
      received: show(ref),
      expected: "the key inside the Secret that holds the value, e.g. { secretName: 'slack-webhook', key: 'url' }",
      fix: `set 'key' of ${what} (letters, digits, '-', '_' and '.')`,
    });
  }
  return ref;
}

/** Marker used inside rendered provisioning files where an environment variable reference goes. */
const MARK_OPEN = '@@LGTM_ENV:';
const MARK_CLOSE = '@@';

/**
 * Collects the Secret keys a Grafana needs as environment variables and hands out
 * `${VAR}` references for the provisioning files (Grafana interpolates environment variables in every
 * provisioning file). Variable names do not start with `GF_`, so Grafana never mistakes them for
 * configuration overrides.
 */
export class SecretEnv {
  private readonly vars = new Map<string, SecretKeyReference>();

  /** Registers a Secret key and returns the marker that `escapeProvisioning` turns into `${VAR}`. */
  public ref(ref: SecretKeyReference): string {
    return `${MARK_OPEN}${this.varName(ref)}${MARK_CLOSE}`;
  }

  /** Registers a Secret key and returns its environment variable name. */
  public varName(ref: SecretKeyReference): string {
    const base = `LGTM_SECRET_${`${ref.secretName}_${ref.key}`.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    let name = base;
    const existing = this.vars.get(name);
    if (existing && (existing.secretName !== ref.secretName || existing.key !== ref.key)) {
      name = `${base}_${sha256(`${ref.secretName}/${ref.key}`).slice(0, 8).toUpperCase()}`;
    }
    this.vars.set(name, { secretName: ref.secretName, key: ref.key });
    return name;
  }

  /** The container `env` entries, sorted by name. */
  public env(): Array<{ name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }> {
    return [...this.vars.keys()].sort().map((n) => {
      const r = this.vars.get(n)!;
      return { name: n, valueFrom: { secretKeyRef: { name: r.secretName, key: r.key } } };
    });
  }
}

/**
 * Makes a rendered provisioning file safe for Grafana's environment variable interpolation: every
 * literal `$` becomes `$$` (Grafana's escape), then the library's markers become `${VAR}`.
 * For files where Grafana interpolates every value (datasources, dashboard providers).
 */
export function escapeProvisioning(rendered: string): string {
  return resolveEnvMarkers(rendered.replace(/\$/g, '$$$$'));
}

/**
 * Escapes `$` as `$$` in every string of `value`, except below the keys in `raw` (fields Grafana does
 * not interpolate: alert-rule `model` and `annotations`, where `$$` would stay literal).
 */
export function escapeValues(value: any, raw: string[]): any {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map((v) => escapeValues(v, raw));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = raw.includes(k) ? v : escapeValues(v, raw);
    return out;
  }
  return value;
}

/** Turns the library's markers into `${VAR}` references. */
export function resolveEnvMarkers(rendered: string): string {
  return rendered.replace(new RegExp(`${MARK_OPEN}([A-Z0-9_]+)${MARK_CLOSE}`, 'g'), (_m, v) => `\${${v}}`);
}
