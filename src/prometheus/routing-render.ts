/**
 * Checks and rendering of the routing vocabulary (routing.ts), shared by `Alertmanager` and Grafana
 * alerting. Internal: not part of the jsii API.
 */
import { IConstruct } from 'constructs';
import { AlertMatcher, AlertReceiverKind, IAlertReceiver, NotificationRoute, RouteTiming } from './routing';
import { promDuration, requirePositive } from '../core/duration';
import { fail, LgtmErrorDetails, show } from '../core/errors';

/** Prometheus label names (what both Alertmanager and Grafana group and match on). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** How matchers are written in the target file. */
export enum MatcherStyle {
  /** `matchers: ['severity="critical"']` (alertmanager.yaml). */
  ALERTMANAGER = 'alertmanager',
  /** `object_matchers: [['severity', '=', 'critical']]` (Grafana provisioning). */
  GRAFANA = 'grafana',
}

/** A receiver reached from a route tree, with where it was reached from. */
export interface ReachedReceiver {
  readonly receiver: IAlertReceiver;
  readonly where: string;
}

/** Fails (thrown) on a malformed route: durations, matcher label names, unreachable siblings. */
export function checkRoutes(scope: IConstruct, routes: NotificationRoute[], where: string): void {
  routes.forEach((route, i) => {
    const at = `${where}[${i}]`;
    if (!route || typeof route !== 'object' || !route.receiver || typeof route.receiver !== 'object') {
      fail(scope, {
        problem: `${at} has no receiver object`,
        received: show(route?.receiver),
        expected: 'receiver: an AlertReceiver (Alertmanager) or a GrafanaContactPoint (Grafana), not a name',
        fix: "pass the receiver object itself, e.g. { receiver: slack, matchers: [AlertMatcher.eq('severity', 'critical')] }",
      });
    }
    checkTiming(scope, route, at);
    checkMatchers(scope, route.matchers ?? [], at);
    const catchAll = (route.matchers ?? []).length === 0 && !route.continueMatching;
    if (catchAll && i < routes.length - 1) {
      fail(scope, {
        problem: `${at} (to '${route.receiver.name}') has no matchers and does not continue, so the ${routes.length - 1 - i} route(s) after it are never reached`,
        received: show({ matchers: route.matchers ?? [], continueMatching: route.continueMatching ?? false }),
        expected: 'matchers on every route but the last, or continueMatching: true on a catch-all route',
        fix: "add matchers, e.g. [AlertMatcher.eq('severity', 'critical')], set continueMatching: true, or move the route last",
      });
    }
    checkRoutes(scope, route.routes ?? [], `${at}.routes`);
  });
}

/** Fails on a non-positive duration or an invalid `groupBy` label. */
export function checkTiming(scope: IConstruct, t: RouteTiming, where: string): void {
  requirePositive(scope, `${where}.groupWait`, t.groupWait);
  requirePositive(scope, `${where}.groupInterval`, t.groupInterval);
  requirePositive(scope, `${where}.repeatInterval`, t.repeatInterval);
  for (const l of t.groupBy ?? []) {
    if (l !== '...' && !LABEL_NAME.test(l)) {
      fail(scope, {
        problem: `${where}.groupBy has an invalid label name`,
        received: show(l),
        expected: "Prometheus label names [a-zA-Z_][a-zA-Z0-9_]*, or '...' to group by every label",
        fix: `rename ${show(l)}, e.g. ${show(l.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1'))}`,
      });
    }
  }
}

/** Fails on a matcher that is not an `AlertMatcher` or has an invalid label name. */
export function checkMatchers(scope: IConstruct, matchers: AlertMatcher[], where: string): void {
  for (const m of matchers) {
    if (!(m instanceof AlertMatcher)) {
      fail(scope, {
        problem: `${where}: a matcher is not an AlertMatcher`,
        received: show(m),
        expected: "AlertMatcher.eq('severity', 'critical') (or notEq, regex, notRegex)",
        fix: 'build matchers with the AlertMatcher factories',
      });
    }
    if (!LABEL_NAME.test(m.label)) {
      fail(scope, {
        problem: `${where}: invalid label name in a matcher`,
        received: show(m.label),
        expected: 'a Prometheus label name [a-zA-Z_][a-zA-Z0-9_]*',
        fix: 'fix the label name',
      });
    }
  }
}

/** Every receiver a route tree sends to, depth first. */
export function reachedReceivers(routes: NotificationRoute[], where: string): ReachedReceiver[] {
  const out: ReachedReceiver[] = [];
  routes.forEach((r, i) => {
    out.push({ receiver: r.receiver, where: `${where}[${i}]` });
    out.push(...reachedReceivers(r.routes ?? [], `${where}[${i}].routes`));
  });
  return out;
}

/**
 * Synth-time check that every receiver a tree reaches is of `kind` and registered in `registered`
 * (by identity). `owner` names the system in the message, `howToAdd` the registration call.
 */
export function unregisteredReceivers(
  reached: ReachedReceiver[], registered: IAlertReceiver[], kind: AlertReceiverKind, owner: string, howToAdd: string,
): LgtmErrorDetails[] {
  const known = registered.length > 0 ? registered.map((r) => show(r.name)).join(', ') : '(none)';
  const out: LgtmErrorDetails[] = [];
  for (const { receiver, where } of reached) {
    if (receiver.receiverKind !== kind) {
      out.push({
        problem: `${where} sends alerts to '${receiver.name}', a receiver of ${receiver.receiverKind === AlertReceiverKind.GRAFANA ? 'Grafana alerting' : 'an Alertmanager'}, which ${owner} cannot use`,
        received: `a ${receiver.receiverKind} receiver`,
        expected: `a ${kind} receiver (${kind === AlertReceiverKind.GRAFANA ? 'GrafanaContactPoint' : 'AlertReceiver'}) registered on ${owner}`,
        fix: `create the receiver for ${owner} and ${howToAdd}`,
      });
    } else if (!registered.includes(receiver)) {
      const twin = registered.find((r) => r.name === receiver.name);
      out.push({
        problem: twin
          ? `${where} sends alerts to a receiver object named '${receiver.name}' that is not the one registered on ${owner} under that name`
          : `${where} sends alerts to receiver '${receiver.name}', which is not registered on ${owner}`,
        received: show(receiver.name),
        expected: `one of the registered receivers: ${known}`,
        fix: twin ? 'route to the registered receiver object (build each receiver once and reuse it)' : howToAdd,
      });
    }
  }
  return out;
}

/** Renders the timing fields that are set. */
export function renderTiming(t: RouteTiming): Record<string, unknown> {
  return {
    ...(t.groupBy ? { group_by: t.groupBy } : {}),
    ...(t.groupWait ? { group_wait: promDuration(t.groupWait) } : {}),
    ...(t.groupInterval ? { group_interval: promDuration(t.groupInterval) } : {}),
    ...(t.repeatInterval ? { repeat_interval: promDuration(t.repeatInterval) } : {}),
  };
}

/** A rendered route of alertmanager.yaml or Grafana's policy file (snake_case upstream keys). */
export interface RenderedRoute {
  readonly [key: string]: unknown;
}

/** Renders one route and its children (the same tree for both systems; only the matcher form differs). */
export function renderRoute(r: NotificationRoute, style: MatcherStyle): RenderedRoute {
  const matchers = r.matchers ?? [];
  return {
    receiver: r.receiver.name,
    ...(matchers.length > 0
      ? style === MatcherStyle.ALERTMANAGER
        ? { matchers: matchers.map((m) => m.render()) }
        : { object_matchers: matchers.map((m) => [m.label, m.operator, m.value]) }
      : {}),
    ...renderTiming(r),
    ...(r.continueMatching ? { continue: true } : {}),
    ...(r.routes && r.routes.length > 0 ? { routes: r.routes.map((c) => renderRoute(c, style)) } : {}),
  };
}
