import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { AlertPack, AlertPackOptions } from './pack';
import { positive, ratio } from './pack-definition';
import { quote, requireMatchers, requireMetricName, series } from './promql';
import { requirePositive } from '../core/duration';
import { fail, show } from '../core/errors';
import { declareMetricPack, declareProducedMetrics } from '../core/provenance/registry';

/** Properties for `GoldenSignalsRules`. */
export interface GoldenSignalsRulesProps extends AlertPackOptions {
  /** The service, e.g. `frontend`: the `service` label of the recorded series and of the alerts. */
  readonly serviceName: string;
  /** The request counter, e.g. `frontend_requests_total`. */
  readonly requestsMetric: string;
  /** The `_bucket` series of the request-latency histogram, e.g. `frontend_request_duration_seconds_bucket`. */
  readonly latencyBucketMetric: string;
  /**
   * Label matchers that select the service's series (without braces).
   * @default - `job="<serviceName>"` (the job label a ServiceMonitor gives a Service of that name)
   */
  readonly selector?: string;
  /**
   * Label matchers that select failed requests among `requestsMetric`.
   * @default 'code=~"5.."'
   */
  readonly errorMatcher?: string;
  /**
   * Error ratio above which `HighErrorRate` fires (0 < x < 1).
   * @default 0.05
   */
  readonly errorRatioThreshold?: number;
  /**
   * p99 latency above which `HighLatency` fires.
   * @default Duration.millis(500)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Default pending period of both alerts (each can be changed with `alertOverrides` / `overrideAlert`).
   * @default Duration.minutes(5)
   */
  readonly pendingFor?: Duration;
  /**
   * Severity of `HighErrorRate`.
   * @default AlertSeverity.CRITICAL
   */
  readonly errorRateSeverity?: AlertSeverity;
  /**
   * Severity of `HighLatency`.
   * @default AlertSeverity.WARNING
   */
  readonly latencySeverity?: AlertSeverity;
}

/**
 * Golden signals (RED) for one HTTP service, switched on with one call: recording rules for the request
 * rate, the error ratio and the p99 latency (over 5 minutes), and the alerts `HighErrorRate` and
 * `HighLatency` on top of them.
 *
 * The public fields name every metric, matcher and recorded series, so a dashboard generator can plot
 * exactly what the alerts evaluate.
 */
export class GoldenSignalsRules extends AlertPack {
  /** The `service` label value. */
  public readonly serviceName: string;
  /** The request counter. */
  public readonly requestsMetric: string;
  /** The latency histogram's `_bucket` series. */
  public readonly latencyBucketMetric: string;
  /** Label matchers selecting the service's raw series, e.g. `job="frontend"`. */
  public readonly selector: string;
  /** Label matchers selecting failed requests, e.g. `code=~"5.."`. */
  public readonly errorMatcher: string;
  /** Matcher selecting this service's recorded series: `service="frontend"`. */
  public readonly recordedSelector: string;
  /** Recording rule: requests per second over 5m. */
  public readonly recordedRequestRate: string;
  /** Recording rule: failed / all requests over 5m (0..1). */
  public readonly recordedErrorRatio: string;
  /** Recording rule: p99 request latency in seconds over 5m. */
  public readonly recordedLatencyP99: string;
  /** The `HighErrorRate` threshold as rendered (exact decimal). */
  public readonly errorRatioThreshold: string;
  /** The `HighLatency` threshold in seconds as rendered (exact decimal). */
  public readonly latencyThresholdSeconds: string;

  constructor(scope: Construct, id: string, props: GoldenSignalsRulesProps) {
    super(scope, id, { ...props, name: props.name ?? `${props.serviceName}-golden-signals` });
    declareMetricPack(this);
    if (!props.serviceName || /["\\\n]/.test(props.serviceName)) {
      fail(this, {
        problem: "'serviceName' must be a non-empty name",
        received: show(props.serviceName),
        expected: 'the service name, e.g. "frontend"',
        fix: "pass 'serviceName'",
      });
    }
    this.serviceName = props.serviceName;
    this.requestsMetric = requireMetricName(this, 'requestsMetric', props.requestsMetric);
    this.latencyBucketMetric = requireMetricName(this, 'latencyBucketMetric', props.latencyBucketMetric, '_bucket');
    // the service's own metrics: produced by the application the pack watches
    const histogram = this.latencyBucketMetric.replace(/_bucket$/, '');
    declareProducedMetrics(this, [this.requestsMetric, this.latencyBucketMetric, `${histogram}_sum`, `${histogram}_count`]);
    this.selector = requireMatchers(this, 'selector', props.selector ?? `job=${quote(props.serviceName)}`);
    this.errorMatcher = requireMatchers(this, 'errorMatcher', props.errorMatcher ?? 'code=~"5.."');
    if (this.errorMatcher.length === 0) {
      fail(this, {
        problem: "'errorMatcher' is empty",
        received: show(props.errorMatcher),
        expected: 'matchers that select failed requests, e.g. code=~"5.."',
        fix: "set 'errorMatcher' or leave it unset for the default",
      });
    }
    const ratio_ = props.errorRatioThreshold ?? 0.05;
    if (typeof ratio_ !== 'number' || !(ratio_ > 0 && ratio_ < 1)) {
      fail(this, {
        problem: "'errorRatioThreshold' must be between 0 and 1 (exclusive)",
        received: show(ratio_),
        expected: 'a ratio such as 0.05 (5 % of requests failing)',
        fix: 'pass a ratio, not a percentage: 5 % is 0.05',
      });
    }
    const latency = props.latencyThreshold ?? Duration.millis(500);
    requirePositive(this, 'latencyThreshold', latency);
    requirePositive(this, 'pendingFor', props.pendingFor);
    const pendingFor = props.pendingFor ?? Duration.minutes(5);
    this.errorRatioThreshold = Decimal.of(ratio_).toString();
    this.latencyThresholdSeconds = Decimal.of(latency.toMilliseconds()).mul(Decimal.parse('0.001')).toString();

    const requestBase = this.requestsMetric.replace(/_total$/, '');
    const latencyBase = this.latencyBucketMetric.replace(/_bucket$/, '');
    this.recordedRequestRate = `service:${requestBase}:rate5m`;
    this.recordedErrorRatio = `service:${requestBase}_errors:ratio_rate5m`;
    this.recordedLatencyP99 = `service:${latencyBase}:p99_5m`;
    this.recordedSelector = `service=${quote(this.serviceName)}`;
    const labels = { service: this.serviceName };
    this._packGroup(`${this.serviceName}.golden-signals`)
      .addRecord({
        record: this.recordedRequestRate,
        expr: `sum(rate(${series(this.requestsMetric, this.selector)}[5m]))`,
        labels,
      })
      .addRecord({
        record: this.recordedErrorRatio,
        expr: `sum(rate(${series(this.requestsMetric, this.selector, this.errorMatcher)}[5m]))\n/\nsum(rate(${series(this.requestsMetric, this.selector)}[5m]))`,
        labels,
      })
      .addRecord({
        record: this.recordedLatencyP99,
        expr: `histogram_quantile(0.99, sum by (le) (rate(${series(this.latencyBucketMetric, this.selector)}[5m])))`,
        labels,
      })
    ;
    const group = `${this.serviceName}.golden-signals`;
    this._defineAlert({
      group,
      alert: 'HighErrorRate',
      thresholds: [ratio('errorRatio', ratio_, 'ratio of failed requests over 5m')],
      query: (t) => `${series(this.recordedErrorRatio, this.recordedSelector)} > ${t.errorRatio}`,
      pendingFor,
      severity: props.errorRateSeverity ?? AlertSeverity.CRITICAL,
      labels,
      summary: `${this.serviceName}: {{ $value | humanizePercentage }} of requests fail`,
      details: (t, p) => `More than ${Decimal.parse(t.errorRatio).mul(Decimal.parse('100')).toString()} % of the requests of ${this.serviceName} (${this.errorMatcher}) failed over 5m${p ? ` for ${p}` : ''}.`,
      metrics: [this.recordedErrorRatio],
    });
    this._defineAlert({
      group,
      alert: 'HighLatency',
      thresholds: [positive('latencySeconds', Number(this.latencyThresholdSeconds), 'p99 latency in seconds over 5m')],
      query: (t) => `${series(this.recordedLatencyP99, this.recordedSelector)} > ${t.latencySeconds}`,
      pendingFor,
      severity: props.latencySeverity ?? AlertSeverity.WARNING,
      labels,
      summary: `${this.serviceName}: p99 latency is {{ $value | humanizeDuration }}`,
      details: (t, p) => `The 99th percentile of ${this.serviceName}'s request latency exceeded ${t.latencySeconds}s over 5m${p ? ` for ${p}` : ''}.`,
      metrics: [this.recordedLatencyP99],
    });
    this._applyOverrides(props);
  }
}
