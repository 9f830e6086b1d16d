import { Construct } from 'constructs';
import { GrafanaDashboard } from './grafana-dashboard';
import { ShippedDashboardOptions } from './platform-overview';
import { dsRef, finish, newDashboard, requireMetricName, row, statPanel, timeseriesPanel } from './sdk';
import { fail, show } from '../core/errors';
import { DatasourceKind } from '../core/interfaces';
import { declareMetricPack, declareProducedMetrics } from '../core/provenance/registry';
import { validateSharedPropsAt } from '../core/validation';

/**
 * What a golden-signals dashboard needs to know about a service. `GoldenSignalsRules` (the golden-signals
 * rule pack in src/rules) has these public fields, so a pack can be passed as is.
 */
export interface GoldenSignalsSource {
  /** Service name (dashboard title and default uid). */
  readonly serviceName: string;
  /** Request counter, e.g. `http_requests_total`. */
  readonly requestsMetric: string;
  /** Request-duration histogram buckets, e.g. `http_request_duration_seconds_bucket`. */
  readonly latencyBucketMetric: string;
  /** PromQL label matchers selecting the service's series, e.g. `job="frontend"`. */
  readonly selector: string;
  /** Matcher selecting failed requests, e.g. `code=~"5.."`. */
  readonly errorMatcher: string;
  /**
   * Matchers selecting the service's recorded series, e.g. `service="frontend"` (the recording rules
   * aggregate the raw series away and label the result with the service).
   * @default - recorded series are not used: the headline stats compute from the raw metrics
   */
  readonly recordedSelector?: string;
  /**
   * Recorded request rate (requests/s). With `recordedSelector`, the headline stats read the recorded
   * series: cheap, and the very numbers the alerts evaluate.
   * @default - computed from `requestsMetric`
   */
  readonly recordedRequestRate?: string;
  /**
   * Recorded error ratio (0-1).
   * @default - computed from `requestsMetric` and `errorMatcher`
   */
  readonly recordedErrorRatio?: string;
  /**
   * Recorded p99 latency in seconds.
   * @default - computed from `latencyBucketMetric`
   */
  readonly recordedLatencyP99?: string;
}

/** Properties for `GoldenSignalsDashboard`. */
export interface GoldenSignalsDashboardProps extends ShippedDashboardOptions {
  /** Service name (dashboard title and default uid `golden-<service>`). */
  readonly serviceName: string;
  /**
   * Request counter.
   * @default 'http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Request-duration histogram buckets.
   * @default 'http_request_duration_seconds_bucket'
   */
  readonly latencyBucketMetric?: string;
  /**
   * PromQL label matchers selecting the service's series.
   * @default - `job="<serviceName>"`
   */
  readonly selector?: string;
  /**
   * Matcher selecting failed requests; its label also splits the traffic panel.
   * @default 'code=~"5.."'
   */
  readonly errorMatcher?: string;
  /**
   * Matchers selecting the service's recorded series (e.g. `service="frontend"`); the `recorded*`
   * names are only used together with it.
   * @default - recorded series are not used
   */
  readonly recordedSelector?: string;
  /**
   * Recorded request rate to read in the headline stat (with `recordedSelector`).
   * @default - computed from `requestsMetric`
   */
  readonly recordedRequestRate?: string;
  /**
   * Recorded error ratio (0-1) to read in the headline stat.
   * @default - computed from `requestsMetric` and `errorMatcher`
   */
  readonly recordedErrorRatio?: string;
  /**
   * Recorded p99 latency (seconds) to read in the headline stat.
   * @default - computed from `latencyBucketMetric`
   */
  readonly recordedLatencyP99?: string;
  /**
   * Error-ratio thresholds in percent: yellow from the first, red from the second.
   * @default [1, 5]
   */
  readonly errorThresholdsPercent?: number[];
}

/**
 * The four golden signals of one service (traffic, errors, latency, saturation), built with the Grafana
 * Foundation SDK. `GoldenSignalsDashboard.forRulePack(this, 'Frontend', pack)` generates it for a service
 * that uses the golden-signals rule pack; the constructor takes metric names directly.
 */
export class GoldenSignalsDashboard extends GrafanaDashboard {
  /** The dashboard for a service that uses the golden-signals rule pack (reads the pack's public fields). */
  public static forRulePack(scope: Construct, id: string, pack: GoldenSignalsSource, options: ShippedDashboardOptions = {}): GoldenSignalsDashboard {
    return new GoldenSignalsDashboard(scope, id, {
      ...options,
      serviceName: pack.serviceName,
      requestsMetric: pack.requestsMetric,
      latencyBucketMetric: pack.latencyBucketMetric,
      selector: pack.selector,
      errorMatcher: pack.errorMatcher,
      recordedSelector: pack.recordedSelector,
      recordedRequestRate: pack.recordedRequestRate,
      recordedErrorRatio: pack.recordedErrorRatio,
      recordedLatencyP99: pack.recordedLatencyP99,
    });
  }

  /** The service this dashboard shows. */
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: GoldenSignalsDashboardProps) {
    validateSharedPropsAt(scope, id, 'GoldenSignalsDashboardProps', props, { required: true });
    const uid = props.uid ?? defaultUid(props.serviceName);
    super(scope, id, {
      uid,
      title: props.title ?? `Golden signals: ${props.serviceName}`,
      folder: props.folder ?? 'Services',
      json: buildGoldenSignals(props, uid),
    });
    this.serviceName = props.serviceName;
    declareMetricPack(this);
    if (typeof props.serviceName !== 'string' || props.serviceName.trim() === '') {
      fail(this, {
        problem: "'serviceName' is empty",
        received: show(props.serviceName),
        expected: 'the name of the service, e.g. frontend',
        fix: "set 'serviceName'",
      });
    }
    const requests = requireMetricName(this, 'requestsMetric', props.requestsMetric ?? 'http_requests_total');
    const buckets = requireMetricName(this, 'latencyBucketMetric', props.latencyBucketMetric ?? 'http_request_duration_seconds_bucket');
    // the service's own metrics, named by the user: produced by the application the dashboard is for,
    // which may be scraped by another app's monitor (as with GoldenSignalsRules)
    const histogram = String(buckets).replace(/_bucket$/, '');
    declareProducedMetrics(this, [requests, buckets, `${histogram}_sum`, `${histogram}_count`].map(String));
    for (const k of ['recordedRequestRate', 'recordedErrorRatio', 'recordedLatencyP99'] as const) {
      if (props[k] !== undefined) requireMetricName(this, k, props[k]!);
    }
    const t = props.errorThresholdsPercent;
    if (t !== undefined && (t.length !== 2 || !(t[0] > 0 && t[1] > t[0]))) {
      fail(this, {
        problem: "'errorThresholdsPercent' must be two increasing positive percentages",
        received: show(t),
        expected: '[yellowFrom, redFrom], e.g. [1, 5]',
        fix: 'pass two numbers, the second larger than the first',
      });
    }
  }
}

function defaultUid(service: string): string {
  const slug = String(service ?? '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return `golden-${slug}`.slice(0, 40);
}

function buildGoldenSignals(p: GoldenSignalsDashboardProps, uid: string): { [key: string]: any } {
  const prom = dsRef(DatasourceKind.PROMETHEUS, p.metricsDatasourceUid);
  const requests = p.requestsMetric ?? 'http_requests_total';
  const buckets = p.latencyBucketMetric ?? 'http_request_duration_seconds_bucket';
  const sel = p.selector ?? `job="${p.serviceName}"`;
  const errorMatcher = p.errorMatcher ?? 'code=~"5.."';
  const statusLabel = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)/.exec(errorMatcher)?.[1] ?? 'code';
  const [yellow, red] = p.errorThresholdsPercent ?? [1, 5];
  const rate = (metric: string, extra?: string) => `rate(${metric}{${[sel, extra].filter((x) => x).join(', ')}}[$__rate_interval])`;
  const errorRatio = `(sum(${rate(requests, errorMatcher)}) or vector(0)) / sum(${rate(requests)})`;
  const quantile = (q: number) => `histogram_quantile(${q}, sum by (le) (${rate(buckets)}))`;
  // Recorded series carry the pack's `recordedSelector` (e.g. service="frontend"), not the raw selector.
  const recorded = (agg: string, name: string | undefined) => (name && p.recordedSelector ? `${agg}(${name}{${p.recordedSelector}})` : undefined);

  const b = newDashboard(p.title ?? `Golden signals: ${p.serviceName}`, uid, ['golden-signals', p.serviceName],
    `Traffic, errors, latency and saturation of ${p.serviceName} (${sel}).`)
    .withRow(row('Now'))
    .withPanel(statPanel(prom, {
      title: 'Traffic',
      unit: 'reqps',
      queries: [{ expr: recorded('sum', p.recordedRequestRate) ?? `sum(${rate(requests)})`, legend: 'requests/s' }],
    }))
    .withPanel(statPanel(prom, {
      title: 'Error rate %',
      unit: 'percent',
      decimals: 2,
      thresholds: [{ color: 'green' }, { value: yellow, color: 'yellow' }, { value: red, color: 'red' }],
      queries: [{ expr: `100 * ${recorded('max', p.recordedErrorRatio) ?? `(${errorRatio})`}`, legend: 'errors %' }],
    }))
    .withPanel(statPanel(prom, {
      title: 'p99 latency',
      unit: 's',
      queries: [{ expr: recorded('max', p.recordedLatencyP99) ?? quantile(0.99), legend: 'p99' }],
    }))
    .withPanel(statPanel(prom, {
      title: 'Instances up',
      unit: 'short',
      thresholds: [{ color: 'red' }, { value: 1, color: 'green' }],
      queries: [{ expr: `sum(up{${sel}})`, legend: 'up', instant: true }],
    }))
    .withRow(row('Traffic and errors'))
    .withPanel(timeseriesPanel(prom, {
      title: `Requests per second by ${statusLabel}`,
      unit: 'reqps',
      min: 0,
      stack: true,
      queries: [{ expr: `sum by (${statusLabel}) (${rate(requests)})`, legend: `{{${statusLabel}}}` }],
    }))
    .withPanel(timeseriesPanel(prom, {
      title: 'Error rate %',
      unit: 'percent',
      min: 0,
      queries: [{ expr: `100 * ${errorRatio}`, legend: `errors (${errorMatcher})` }],
    }))
    .withRow(row('Latency and saturation'))
    .withPanel(timeseriesPanel(prom, {
      title: 'Latency percentiles',
      unit: 's',
      min: 0,
      queries: [
        { expr: quantile(0.5), legend: 'p50' },
        { expr: quantile(0.9), legend: 'p90' },
        { expr: quantile(0.99), legend: 'p99' },
      ],
    }))
    .withPanel(timeseriesPanel(prom, {
      title: 'Saturation: CPU and memory per instance',
      description: 'Process metrics of the scraped instances (client libraries export them on the same endpoint).',
      unit: 'short',
      min: 0,
      queries: [
        { expr: `sum by (instance) (${rate('process_cpu_seconds_total')})`, legend: 'CPU cores {{instance}}' },
        { expr: `sum by (instance) (process_resident_memory_bytes{${sel}}) / 2^30`, legend: 'memory GiB {{instance}}' },
      ],
    }));
  return finish(b);
}
