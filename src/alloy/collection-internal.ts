/**
 * Builders of the collection features of the central Alloy collector (internal): each adds typed blocks
 * to the collector's `AlloyConfig`.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  AnnotationAutodiscoveryOptions, AutodiscoveryAnnotations, ClusterEventsOptions, LogsAutodiscoveryOptions, PodLogsDiscovery,
  ProfilesAutodiscoveryOptions, ProfileType,
} from './collection';
import { AlloyBlock, AlloyConfig, AlloyValue } from './syntax';
import { compareText } from '../core/collate';
import { fail, show } from '../core/errors';
import { validateNamespace } from '../core/names';
import { qualifiedNameError } from '../core/validation/k8s';

/** The resolved annotation names. */
interface Annotations { scrape: string; port: string; path: string; scheme: string; interval: string }

const DEFAULT_ANNOTATIONS: Annotations = {
  scrape: 'k8s.grafana.com/scrape',
  port: 'k8s.grafana.com/metrics.portNumber',
  path: 'k8s.grafana.com/metrics.path',
  scheme: 'k8s.grafana.com/metrics.scheme',
  interval: 'k8s.grafana.com/metrics.scrapeInterval',
};

/** Is `key` a valid Kubernetes annotation key (`[DNS-subdomain prefix/]name`, name at most 63 characters)? */
export function isAnnotationKey(key: string): boolean {
  return qualifiedNameError(key) === undefined;
}

/** The value received, with why it is not an annotation key. */
function receivedKey(v: unknown): string {
  return typeof v === 'string' ? `${show(v)} (${qualifiedNameError(v)})` : show(v);
}

/** Validates and resolves the annotation names (internal). */
export function resolveAnnotations(scope: IConstruct, given: AutodiscoveryAnnotations = {}): Annotations {
  const out: Annotations = { ...DEFAULT_ANNOTATIONS };
  for (const k of Object.keys(DEFAULT_ANNOTATIONS) as Array<keyof Annotations>) {
    const prop = `${k}Annotation` as keyof AutodiscoveryAnnotations;
    const v = given[prop];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !isAnnotationKey(v)) {
      fail(scope, {
        problem: `'autodiscovery.annotations.${prop}' is not a valid Kubernetes annotation key`,
        received: receivedKey(v),
        expected: 'an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or "." starting and ending with a letter or digit, e.g. "example.com/scrape"',
        fix: `use e.g. ${show(DEFAULT_ANNOTATIONS[k])}, or remove it to use the default`,
      });
    }
    out[k] = v;
  }
  const names = Object.values(out);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    fail(scope, {
      problem: 'two autodiscovery annotations have the same name',
      received: show(dup),
      expected: 'a distinct annotation for scrape, port, path, scheme and interval',
      fix: 'give each annotation its own name',
    });
  }
  return out;
}

/** Validates a namespace list (internal). */
export function validateNamespaceList(scope: IConstruct, prop: string, namespaces: string[] | undefined): void {
  if (namespaces === undefined) return;
  if (namespaces.length === 0) {
    fail(scope, { problem: `'${prop}' is an empty list`, received: '[]', expected: 'one or more namespace names', fix: `remove '${prop}' to cover every namespace` });
  }
  for (const ns of namespaces) validateNamespace(scope, `${prop}[]`, ns);
}

/** `__meta_kubernetes_<role>_annotation_<sanitised key>`, as Prometheus service discovery names them. */
function metaName(role: 'pod' | 'service', kind: 'annotation' | 'label', key: string): string {
  return `__meta_kubernetes_${role}_${kind}_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Escapes a literal for an RE2 regex. */
function reEscape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

function rule(attrs: { [k: string]: AlloyValue }): AlloyBlock {
  const r = new AlloyBlock('rule');
  for (const [k, v] of Object.entries(attrs)) r.addAttribute(k, v);
  return r;
}

const s = AlloyValue.string;
const list = AlloyValue.stringList;

/** A selection of objects by namespace and labels (from a monitor of the app). */
interface Selection { namespaces: string[]; labels: Record<string, string>; what: string }

/**
 * What the ServiceMonitors and PodMonitors of the app select, as pod-label and service-label selections
 * (read from the rendered objects, so every monitor construct is covered).
 */
function monitorSelections(root: IConstruct): { pods: Selection[]; services: Selection[] } {
  const objs: any[] = [];
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    if (!['ServiceMonitor', 'PodMonitor', 'Service'].includes(c.kind)) continue;
    try {
      objs.push(c.toJson());
    } catch {
      // its own validation reports why it cannot render
    }
  }
  const pods: Selection[] = [];
  const services: Selection[] = [];
  const scope = (m: any): string[] => m.spec?.namespaceSelector?.matchNames ?? [m.metadata?.namespace ?? 'default'];
  for (const m of objs) {
    const matchLabels: Record<string, string> | undefined = m.spec?.selector?.matchLabels;
    if (!matchLabels || Object.keys(matchLabels).length === 0) continue;
    const namespaces = scope(m);
    const what = `${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}`;
    if (m.kind === 'PodMonitor') pods.push({ namespaces, labels: matchLabels, what });
    if (m.kind !== 'ServiceMonitor') continue;
    services.push({ namespaces, labels: matchLabels, what });
    // the Pods behind the Services it selects
    for (const svc of objs.filter((o) => o.kind === 'Service')) {
      const ns = svc.metadata?.namespace ?? 'default';
      const labels = svc.metadata?.labels ?? {};
      const podSelector: Record<string, string> | undefined = svc.spec?.selector;
      if (!namespaces.includes(ns) || !podSelector || Object.keys(podSelector).length === 0) continue;
      if (Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
        pods.push({ namespaces: [ns], labels: podSelector, what: `${what} (Service ${ns}/${svc.metadata?.name})` });
      }
    }
  }
  return { pods, services };
}

/** A `drop` rule for the targets in a selection (namespace and every selector label must match). */
function dropSelection(role: 'pod' | 'service', sel: Selection): AlloyBlock {
  const keys = Object.keys(sel.labels).sort();
  return rule({
    source_labels: list(['__meta_kubernetes_namespace', ...keys.map((k) => metaName(role, 'label', k))]),
    separator: s(';'),
    regex: s([`(${sel.namespaces.map(reEscape).join('|')})`, ...keys.map((k) => reEscape(sel.labels[k]))].join(';')),
    action: s('drop'),
  });
}

/** The port, path, scheme and interval rules of one role. */
function scrapeSettingRules(role: 'pod' | 'service', a: Annotations): AlloyBlock[] {
  return [
    rule({
      source_labels: list(['__address__', metaName(role, 'annotation', a.port)]),
      regex: s('([^:]+)(?::\\d+)?;(\\d+)'),
      replacement: s('$1:$2'),
      target_label: s('__address__'),
    }),
    rule({ source_labels: list([metaName(role, 'annotation', a.path)]), regex: s('(.+)'), target_label: s('__metrics_path__') }),
    rule({ source_labels: list([metaName(role, 'annotation', a.scheme)]), regex: s('(https?)'), target_label: s('__scheme__') }),
    rule({ source_labels: list([metaName(role, 'annotation', a.interval)]), regex: s('(([0-9]+(ms|s|m|h))+)'), target_label: s('__scrape_interval__') }),
  ];
}

/**
 * Adds annotation autodiscovery to `cfg`: `discovery.kubernetes` (pods, and endpoint slices of
 * Services), `discovery.relabel` with the opt-in, the in-app monitor exclusions and the annotated scrape
 * settings, and `prometheus.scrape` (clustered) into `receiver` (internal).
 */
export function addAutodiscovery(scope: IConstruct, cfg: AlloyConfig, opts: AnnotationAutodiscoveryOptions, receiver: AlloyValue): void {
  const a = resolveAnnotations(scope, opts.annotations);
  const selections = monitorSelections(scope.node.root);
  const discovery = (label: string, role: string) => {
    const d = AlloyBlock.component('discovery.kubernetes', label).addAttribute('role', s(role));
    if (opts.namespaces) d.addBlock(new AlloyBlock('namespaces').addAttribute('names', list(opts.namespaces)));
    return cfg.addBlock(d);
  };
  const scrape = (label: string, targets: AlloyValue) => cfg.addBlock(AlloyBlock.component('prometheus.scrape', label)
    .addAttribute('targets', targets)
    .addAttribute('forward_to', AlloyValue.array([receiver]))
    .addBlock(new AlloyBlock('clustering').addAttribute('enabled', AlloyValue.bool(true))));

  // Pods that opt in themselves
  const pods = discovery('autodiscovery_pods', 'pod');
  const podRelabel = AlloyBlock.component('discovery.relabel', 'autodiscovery_pods')
    .addAttribute('targets', pods.exportRef('targets'))
    .addBlock(rule({ source_labels: list([metaName('pod', 'annotation', a.scrape)]), regex: s('true'), action: s('keep') }))
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_phase']), regex: s('Pending|Succeeded|Failed'), action: s('drop') }));
  // the Pods a ServiceMonitor or PodMonitor of this app already selects
  for (const sel of selections.pods) podRelabel.addBlock(dropSelection('pod', sel));
  for (const r of scrapeSettingRules('pod', a)) podRelabel.addBlock(r);
  podRelabel
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace']), target_label: s('namespace') }))
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_name']), target_label: s('pod') }))
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace', '__meta_kubernetes_pod_controller_name']), separator: s('/'), target_label: s('job') }))
    .addBlock(rule({
      source_labels: list(['__meta_kubernetes_namespace', metaName('pod', 'label', 'app.kubernetes.io/name')]),
      regex: s('(.+);(.+)'),
      replacement: s('$1/$2'),
      target_label: s('job'),
    }));
  cfg.addBlock(podRelabel);
  scrape('autodiscovery_pods', podRelabel.exportRef('output'));

  if (opts.services ?? true) {
    const eps = discovery('autodiscovery_services', 'endpointslice');
    const svcRelabel = AlloyBlock.component('discovery.relabel', 'autodiscovery_services')
      .addAttribute('targets', eps.exportRef('targets'))
      .addBlock(rule({ source_labels: list([metaName('service', 'annotation', a.scrape)]), regex: s('true'), action: s('keep') }))
      // a Pod that opts in itself is scraped through the Pod discovery only
      .addBlock(rule({ source_labels: list([metaName('pod', 'annotation', a.scrape)]), regex: s('true'), action: s('drop') }));
    for (const sel of selections.services) svcRelabel.addBlock(dropSelection('service', sel));
    for (const sel of selections.pods) svcRelabel.addBlock(dropSelection('pod', sel));
    for (const r of scrapeSettingRules('service', a)) svcRelabel.addBlock(r);
    svcRelabel
      .addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace']), target_label: s('namespace') }))
      .addBlock(rule({ source_labels: list(['__meta_kubernetes_service_name']), target_label: s('service') }))
      .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_name']), target_label: s('pod') }))
      .addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace', '__meta_kubernetes_service_name']), separator: s('/'), target_label: s('job') }));
    cfg.addBlock(svcRelabel);
    scrape('autodiscovery_services', svcRelabel.exportRef('output'));
  }
}

/**
 * Adds the cluster-events pipeline: `loki.source.kubernetes_events` (clustered: one member owns each
 * watched namespace, and the "all namespaces" watch has exactly one owner), `loki.process` lifting
 * `kind`, `name` and `reason` from the logfmt line to labels, into `writer` (internal).
 */
export function addClusterEvents(cfg: AlloyConfig, opts: ClusterEventsOptions, writer: AlloyBlock): void {
  const process = AlloyBlock.component('loki.process', 'cluster_events')
    .addAttribute('forward_to', AlloyValue.array([writer.exportRef('receiver')]))
    .addBlock(new AlloyBlock('stage.logfmt').addAttribute('mapping', AlloyValue.stringMap({ kind: '', name: '', reason: '' })))
    .addBlock(new AlloyBlock('stage.labels').addAttribute('values', AlloyValue.stringMap({ kind: '', name: '', reason: '' })));
  const source = AlloyBlock.component('loki.source.kubernetes_events', 'cluster_events')
    .addAttribute('job_name', s(opts.jobName ?? 'integrations/kubernetes/eventhandler'))
    .addAttribute('log_format', s('logfmt'));
  if (opts.namespaces) source.addAttribute('namespaces', list(opts.namespaces));
  source
    .addAttribute('forward_to', AlloyValue.array([process.exportRef('receiver')]))
    .addBlock(new AlloyBlock('clustering').addAttribute('enabled', AlloyValue.bool(true)));
  cfg.addBlock(source);
  cfg.addBlock(process);
}

/** A namespace exclusion list that does not contradict the included namespaces (internal). */
function validateExclusions(scope: IConstruct, prop: string, excluded: string[] | undefined, included: string[] | undefined, what: string): void {
  validateNamespaceList(scope, prop, excluded);
  const both = (excluded ?? []).filter((ns) => (included ?? []).includes(ns));
  if (both.length > 0) {
    fail(scope, {
      problem: `'${prop}' excludes namespaces that are also the only ones included: ${what} would never come from them`,
      received: `excluded ${show(both)}, included ${show(included)}`,
      expected: 'excluded namespaces outside the included list (or no included list: every namespace)',
      fix: `remove ${show(both)} from one of the two lists`,
    });
  }
}

/** An annotation key given as an option, checked (internal). */
function annotationOption(scope: IConstruct, prop: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !isAnnotationKey(value)) {
    fail(scope, {
      problem: `'${prop}' is not a valid Kubernetes annotation key`,
      received: receivedKey(value),
      expected: 'an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or "." starting and ending with a letter or digit, e.g. "example.com/team"',
      fix: `use e.g. ${show(fallback)}, or remove it to use the default`,
    });
  }
  return value;
}

/** Labels logs autodiscovery must not overwrite: they identify the stream, or have their own option. */
const LOG_STREAM_LABELS = ['namespace', 'pod', 'container', 'app', 'job', 'level', 'node', 'unit'];

/** The validated options of logs autodiscovery (internal). */
interface LogsDiscovery {
  readonly gather: string;
  readonly job: string;
  readonly mode: PodLogsDiscovery;
  readonly labels: Array<[string, string]>;
  readonly exclude: string[];
}

/** Validates the logs autodiscovery options of a node agent collecting from `namespaces` (internal). */
export function resolveLogsAutodiscovery(scope: IConstruct, opts: LogsAutodiscoveryOptions, namespaces: string[] | undefined): LogsDiscovery {
  const gather = annotationOption(scope, 'autodiscovery.annotations.gatherAnnotation', opts.annotations?.gatherAnnotation, 'k8s.grafana.com/logs.autogather');
  const job = annotationOption(scope, 'autodiscovery.annotations.jobAnnotation', opts.annotations?.jobAnnotation, 'k8s.grafana.com/logs.job');
  const mode = opts.discovery ?? PodLogsDiscovery.ALL;
  if (!Object.values(PodLogsDiscovery).includes(mode)) {
    fail(scope, {
      problem: "'autodiscovery.discovery' is not a PodLogsDiscovery",
      received: show(mode),
      expected: `one of ${show(Object.values(PodLogsDiscovery))}`,
      fix: 'pass PodLogsDiscovery.ALL or PodLogsDiscovery.ANNOTATED',
    });
  }
  const labels = Object.entries(opts.labelsFromAnnotations ?? {});
  const used = new Map<string, string>([[gather, 'gatherAnnotation'], [job, 'jobAnnotation']]);
  if (gather === job) {
    fail(scope, { problem: 'the gather and job annotations of logs autodiscovery have the same name', received: show(gather), expected: 'two distinct annotation keys', fix: 'give each annotation its own name' });
  }
  for (const [label, annotation] of labels) {
    const prop = `autodiscovery.labelsFromAnnotations.${label}`;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label) || label.startsWith('__')) {
      fail(scope, {
        problem: `'autodiscovery.labelsFromAnnotations' has the key ${show(label)}, which is not a Loki label name`,
        received: show(label),
        expected: 'a label name: letters, digits and "_", not starting with a digit or "__"',
        fix: `rename it, e.g. ${show(label.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(__|[0-9])/, '_'))}`,
      });
    }
    if (LOG_STREAM_LABELS.includes(label)) {
      fail(scope, {
        problem: `'autodiscovery.labelsFromAnnotations' would overwrite the ${show(label)} label the agent sets on every line`,
        received: `${label}: ${show(annotation)}`,
        expected: `a label other than ${show(LOG_STREAM_LABELS)}`,
        fix: label === 'job' ? "set the job through 'autodiscovery.annotations.jobAnnotation'" : 'pick another label name',
      });
    }
    annotationOption(scope, prop, annotation, 'example.com/team');
    if (used.has(annotation)) {
      fail(scope, {
        problem: `'${prop}' reads the annotation ${show(annotation)}, which is already the ${used.get(annotation)}`,
        received: show(annotation),
        expected: 'an annotation of its own',
        fix: 'read another annotation, or drop the label',
      });
    }
    used.set(annotation, prop);
  }
  validateExclusions(scope, 'autodiscovery.excludeNamespaces', opts.excludeNamespaces, namespaces, 'logs');
  return { gather, job, mode, labels: labels.sort(([a], [b]) => compareText(a, b)), exclude: opts.excludeNamespaces ?? [] };
}

/**
 * Adds the logs autodiscovery stage after the node agent's pod relabelling: a `discovery.relabel` that
 * drops excluded namespaces, applies the opt-in or opt-out annotation, and sets `job` and the
 * annotation labels. Returns the component whose `output` the log source reads (internal).
 */
export function addLogsAutodiscovery(cfg: AlloyConfig, d: LogsDiscovery, targets: AlloyValue): AlloyBlock {
  const b = AlloyBlock.component('discovery.relabel', 'pod_logs').addAttribute('targets', targets);
  if (d.exclude.length > 0) {
    b.addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace']), regex: s(d.exclude.map(reEscape).join('|')), action: s('drop') }));
  }
  const gather = metaName('pod', 'annotation', d.gather);
  b.addBlock(d.mode === PodLogsDiscovery.ANNOTATED
    ? rule({ source_labels: list([gather]), regex: s('true'), action: s('keep') })
    : rule({ source_labels: list([gather]), regex: s('false'), action: s('drop') }));
  b.addBlock(rule({ source_labels: list([metaName('pod', 'annotation', d.job)]), regex: s('(.+)'), target_label: s('job') }));
  for (const [label, annotation] of d.labels) {
    b.addBlock(rule({ source_labels: list([metaName('pod', 'annotation', annotation)]), regex: s('(.+)'), target_label: s(label) }));
  }
  return cfg.addBlock(b);
}

/** The Alloy `profiling_config` block of each profile type. */
const PROFILE_BLOCKS: ReadonlyArray<[ProfileType, string]> = [
  [ProfileType.CPU, 'profile.process_cpu'],
  [ProfileType.MEMORY, 'profile.memory'],
  [ProfileType.BLOCK, 'profile.block'],
  [ProfileType.MUTEX, 'profile.mutex'],
  [ProfileType.GOROUTINE, 'profile.goroutine'],
  [ProfileType.FGPROF, 'profile.fgprof'],
  [ProfileType.GODELTAPROF_MEMORY, 'profile.godeltaprof_memory'],
  [ProfileType.GODELTAPROF_MUTEX, 'profile.godeltaprof_mutex'],
  [ProfileType.GODELTAPROF_BLOCK, 'profile.godeltaprof_block'],
];

/** The validated options of profiles autodiscovery (internal). */
interface ProfilesDiscovery {
  readonly prefix: string;
  readonly types: ProfileType[];
  readonly namespaces?: string[];
  readonly exclude: string[];
}

/** Validates the profiles autodiscovery options (internal). */
export function resolveProfilesAutodiscovery(scope: IConstruct, opts: ProfilesAutodiscoveryOptions): ProfilesDiscovery {
  const prefix = opts.annotationPrefix ?? 'profiles.grafana.com';
  // an annotation prefix is the prefix of an annotation key: the shared key rule decides
  if (typeof prefix !== 'string' || prefix.length === 0 || qualifiedNameError(`${prefix}/x`) !== undefined) {
    fail(scope, {
      problem: "'profilesAutodiscovery.annotationPrefix' is not an annotation prefix (a DNS subdomain)",
      received: show(prefix),
      expected: 'lowercase DNS labels separated by ".", e.g. "profiles.example.com"',
      fix: "use e.g. 'profiles.grafana.com', or remove it to use the default",
    });
  }
  const types = opts.types ?? [ProfileType.CPU, ProfileType.MEMORY];
  const known = PROFILE_BLOCKS.map(([t]) => t as string);
  if (!Array.isArray(types) || types.length === 0) {
    fail(scope, {
      problem: "'profilesAutodiscovery.types' is empty: nothing would be profiled",
      received: show(types),
      expected: `one or more of ${show(known)}`,
      fix: "list the profile types, or remove 'types' to profile cpu and memory",
    });
  }
  types.forEach((t, i) => {
    if (!known.includes(t)) {
      fail(scope, { problem: `'profilesAutodiscovery.types[${i}]' is not a ProfileType`, received: show(t), expected: `one of ${show(known)}`, fix: 'pass a ProfileType member, e.g. ProfileType.CPU' });
    }
    if (types.indexOf(t) !== i) {
      fail(scope, { problem: `'profilesAutodiscovery.types' lists ${show(t)} twice: it would be scraped twice`, received: show(types), expected: 'each type once', fix: `remove the second ${show(t)}` });
    }
  });
  validateNamespaceList(scope, 'profilesAutodiscovery.namespaces', opts.namespaces);
  validateExclusions(scope, 'profilesAutodiscovery.excludeNamespaces', opts.excludeNamespaces, opts.namespaces, 'profiles');
  return { prefix, types: [...types], namespaces: opts.namespaces, exclude: opts.excludeNamespaces ?? [] };
}

/**
 * Adds profiles autodiscovery: `discovery.kubernetes` of Pods, a base `discovery.relabel` (running Pods,
 * exclusions, namespace/pod/container labels), and per type: the container port chosen by number or by
 * name (`keepequal` against the annotation, so each Pod is scraped once per type), scheme and path, and a
 * `pyroscope.scrape` with only that type enabled (clustered) into `receiver` (internal).
 */
export function addProfilesAutodiscovery(cfg: AlloyConfig, d: ProfilesDiscovery, receiver: AlloyValue): void {
  const pods = AlloyBlock.component('discovery.kubernetes', 'profile_pods').addAttribute('role', s('pod'));
  if (d.namespaces) pods.addBlock(new AlloyBlock('namespaces').addAttribute('names', list(d.namespaces)));
  cfg.addBlock(pods);
  const base = AlloyBlock.component('discovery.relabel', 'profile_pods')
    .addAttribute('targets', pods.exportRef('targets'))
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_phase']), regex: s('Pending|Succeeded|Failed|Completed'), action: s('drop') }));
  if (d.exclude.length > 0) base.addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace']), regex: s(d.exclude.map(reEscape).join('|')), action: s('drop') }));
  base
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_namespace']), target_label: s('namespace') }))
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_name']), target_label: s('pod') }))
    .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_container_name']), target_label: s('container') }));
  cfg.addBlock(base);

  for (const type of d.types) {
    const ann = (k: string) => metaName('pod', 'annotation', `${d.prefix}/${type}.${k}`);
    const keepScrape = () => rule({ source_labels: list([ann('scrape')]), regex: s('true'), action: s('keep') });
    const byNumber = cfg.addBlock(AlloyBlock.component('discovery.relabel', `profile_${type}_port_number`)
      .addAttribute('targets', base.exportRef('output'))
      .addBlock(keepScrape())
      .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_container_port_number']), target_label: s(ann('port')), action: s('keepequal') })));
    const byName = cfg.addBlock(AlloyBlock.component('discovery.relabel', `profile_${type}_port_name`)
      .addAttribute('targets', base.exportRef('output'))
      .addBlock(keepScrape())
      // the port number wins when both are set; no name annotation, no match (unnamed ports have an empty name)
      .addBlock(rule({ source_labels: list([ann('port')]), regex: s('.+'), action: s('drop') }))
      .addBlock(rule({ source_labels: list([ann('port_name')]), regex: s(''), action: s('drop') }))
      .addBlock(rule({ source_labels: list(['__meta_kubernetes_pod_container_port_name']), target_label: s(ann('port_name')), action: s('keepequal') })));
    const settings = cfg.addBlock(AlloyBlock.component('discovery.relabel', `profile_${type}`)
      .addAttribute('targets', AlloyValue.call('array.concat', [byNumber.exportRef('output'), byName.exportRef('output')]))
      .addBlock(rule({ source_labels: list([ann('scheme')]), regex: s('(https?)'), target_label: s('__scheme__') }))
      .addBlock(rule({ source_labels: list([ann('path')]), regex: s('(/.*)'), target_label: s('__profile_path__') })));
    const profiling = new AlloyBlock('profiling_config');
    // every type explicitly: Alloy enables several by default, and each scrape must fetch its own type only
    for (const [t, block] of PROFILE_BLOCKS) profiling.addBlock(new AlloyBlock(block).addAttribute('enabled', AlloyValue.bool(t === type)));
    cfg.addBlock(AlloyBlock.component('pyroscope.scrape', `profile_${type}`)
      .addAttribute('targets', settings.exportRef('output'))
      .addAttribute('forward_to', AlloyValue.array([receiver]))
      .addBlock(new AlloyBlock('clustering').addAttribute('enabled', AlloyValue.bool(true)))
      .addBlock(profiling));
  }
}
