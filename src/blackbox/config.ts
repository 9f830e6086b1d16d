/**
 * The typed structure of blackbox_exporter's configuration file (`blackbox.yml`, the `Config` and
 * `Module` structs of config/config.go at v0.28.0), rendered at synth. Only the fields the library sets
 * are declared; the rendered file is YAML of this structure, never a string template.
 */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { goDuration, requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';

/** The prober a blackbox module runs. */
export enum BlackboxProber {
  /** HTTP(S) request; targets are URLs. */
  HTTP = 'http',
  /** TCP connect; targets are `host:port`. */
  TCP = 'tcp',
  /**
   * ICMP echo; targets are host names or IP addresses. Runs with unprivileged ICMP sockets (the pod sets
   * the namespaced, "safe" sysctl `net.ipv4.ping_group_range` to its own group): no capability is added.
   */
  ICMP = 'icmp',
}

/** IP protocol a module prefers when a name resolves to both. */
export enum BlackboxIpProtocol {
  /** IPv4 first (most clusters). */
  IP4 = 'ip4',
  /** IPv6 first. */
  IP6 = 'ip6',
}

/** One module of the exporter (a named probe configuration that a `Probe` refers to). */
export interface BlackboxModule {
  /** Module name, e.g. `http_2xx_post` (letters, digits and `_`). */
  readonly name: string;
  /** The prober. */
  readonly prober: BlackboxProber;
  /**
   * Timeout of one probe; Prometheus' scrape timeout caps it as well (minus half a second).
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
  /**
   * IP protocol tried first (the other is the fallback).
   * @default BlackboxIpProtocol.IP4
   */
  readonly preferredIpProtocol?: BlackboxIpProtocol;
  /**
   * HTTP only: status codes that count as success.
   * @default - any 2xx
   */
  readonly validStatusCodes?: number[];
  /**
   * HTTP only: request method.
   * @default 'GET'
   */
  readonly httpMethod?: string;
  /**
   * HTTP only: fail unless the final response came over TLS.
   * @default false
   */
  readonly failIfNotSsl?: boolean;
  /**
   * HTTP only: follow redirects.
   * @default true
   */
  readonly followRedirects?: boolean;
}

/** `http` section of a module (config.HTTPProbe). */
export interface BlackboxHttpProbeFile {
  readonly preferred_ip_protocol: string;
  readonly ip_protocol_fallback: boolean;
  readonly valid_status_codes?: number[];
  readonly method?: string;
  readonly fail_if_not_ssl?: boolean;
  readonly follow_redirects?: boolean;
}

/** `tcp` / `icmp` section of a module (config.TCPProbe, config.ICMPProbe). */
export interface BlackboxIpProbeFile {
  readonly preferred_ip_protocol: string;
  readonly ip_protocol_fallback: boolean;
}

/** One module as the file spells it (config.Module). */
export interface BlackboxModuleFile {
  readonly prober: string;
  readonly timeout: string;
  readonly http?: BlackboxHttpProbeFile;
  readonly tcp?: BlackboxIpProbeFile;
  readonly icmp?: BlackboxIpProbeFile;
}

/** The whole file (config.Config). */
export interface BlackboxConfigFile {
  readonly modules: { [name: string]: BlackboxModuleFile };
}

/** The modules every exporter has. */
export const DEFAULT_BLACKBOX_MODULES: BlackboxModule[] = [
  { name: 'http_2xx', prober: BlackboxProber.HTTP },
  { name: 'tcp_connect', prober: BlackboxProber.TCP },
  { name: 'icmp', prober: BlackboxProber.ICMP },
];

const MODULE_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const HTTP_METHOD = /^[A-Z]+$/;

/** Validates one module (where it enters). */
export function checkModule(scope: IConstruct, m: BlackboxModule, i: number): void {
  const where = `modules[${i}]`;
  if (typeof m?.name !== 'string' || !MODULE_NAME.test(m.name)) {
    fail(scope, { problem: `${where}.name is not a valid module name`, received: show(m?.name), expected: 'a letter, then letters, digits and "_" (at most 63), e.g. "http_2xx_post"', fix: 'rename the module' });
  }
  if (!Object.values(BlackboxProber).includes(m.prober)) {
    fail(scope, { problem: `${where} (${m.name}) has an unknown prober`, received: show(m.prober), expected: `one of ${Object.values(BlackboxProber).map((p) => show(p)).join(', ')}`, fix: 'use BlackboxProber.HTTP, TCP or ICMP' });
  }
  requirePositive(scope, `${where}.timeout`, m.timeout);
  if (m.preferredIpProtocol !== undefined && !Object.values(BlackboxIpProtocol).includes(m.preferredIpProtocol)) {
    fail(scope, { problem: `${where}.preferredIpProtocol is unknown`, received: show(m.preferredIpProtocol), expected: '"ip4" or "ip6"', fix: 'use BlackboxIpProtocol.IP4 or IP6' });
  }
  const httpOnly = {
    validStatusCodes: m.validStatusCodes, httpMethod: m.httpMethod, failIfNotSsl: m.failIfNotSsl, followRedirects: m.followRedirects,
  };
  if (m.prober !== BlackboxProber.HTTP) {
    for (const [k, v] of Object.entries(httpOnly)) {
      if (v === undefined) continue;
      fail(scope, {
        problem: `${where} (${m.name}): '${k}' applies to the http prober only`,
        received: `prober ${show(m.prober)}, ${k} ${show(v)}`,
        expected: `no '${k}' on a ${m.prober} module`,
        fix: `remove '${k}', or use prober BlackboxProber.HTTP`,
      });
    }
  }
  (m.validStatusCodes ?? []).forEach((c, j) => {
    if (!Number.isInteger(c) || c < 100 || c > 599) {
      fail(scope, { problem: `${where}.validStatusCodes[${j}] is not an HTTP status code`, received: show(c), expected: 'an integer from 100 to 599', fix: 'list codes such as 200, 204 or 301' });
    }
  });
  if (m.validStatusCodes !== undefined && m.validStatusCodes.length === 0) {
    fail(scope, { problem: `${where}.validStatusCodes is empty`, received: '[]', expected: 'at least one status code (leave it unset for any 2xx)', fix: "remove 'validStatusCodes' or list the codes" });
  }
  if (m.httpMethod !== undefined && !HTTP_METHOD.test(m.httpMethod)) {
    fail(scope, { problem: `${where}.httpMethod is not an HTTP method`, received: show(m.httpMethod), expected: 'an upper-case method such as "GET", "HEAD" or "POST"', fix: `use ${show(String(m.httpMethod).toUpperCase().replace(/[^A-Z]/g, '') || 'GET')}` });
  }
}

/** The file section of one module. */
export function moduleFile(m: BlackboxModule): BlackboxModuleFile {
  const ip = { preferred_ip_protocol: m.preferredIpProtocol ?? BlackboxIpProtocol.IP4, ip_protocol_fallback: true };
  return {
    prober: m.prober,
    timeout: goDuration(m.timeout ?? Duration.seconds(5)),
    http: m.prober === BlackboxProber.HTTP
      ? { ...ip, valid_status_codes: m.validStatusCodes, method: m.httpMethod, fail_if_not_ssl: m.failIfNotSsl, follow_redirects: m.followRedirects }
      : undefined,
    tcp: m.prober === BlackboxProber.TCP ? ip : undefined,
    icmp: m.prober === BlackboxProber.ICMP ? ip : undefined,
  };
}
