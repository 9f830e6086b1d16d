import { Construct, IConstruct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { GoldenSignalsRules } from './golden-signals';
import { PrometheusRule, PrometheusRuleOptions } from './prometheus-rule';
import { quote, requireMatchers, requireMetricName, series } from './promql';
import { fail, show } from '../core/errors';
import { promqlError } from '../core/query';

/** A request-based SLI: failed requests among all requests of one counter. */
export interface RequestRatioIndicatorOptions {
  /** The request counter, e.g. `frontend_requests_total`. */
  readonly requestsMetric: string;
  /** Label matchers selecting the service's requests, e.g. `job="frontend"` (without braces). */
  readonly selector: string;
  /**
   * Label matchers selecting failed requests.
   * @default 'code=~"5.."'
   */
  readonly errorMatcher?: string;
}

/** An SLI given as two PromQL queries containing the placeholder `{{window}}` for the range. */
export interface QueryRatioIndicatorOptions {
  /** Rate of bad events, e.g. `sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))`. */
  readonly errorQuery: string;
  /** Rate of all events, e.g. `sum(rate(http_requests_total{job="api"}[{{window}}]))`. */
  readonly totalQuery: string;
}

/** What an `Slo` measures: the ratio of bad events to all events over a window. */
export class SloIndicator {
  /** Failed requests among all requests of one counter (no error series yet counts as 0 errors). */
  public static requestRatio(options: RequestRatioIndicatorOptions): SloIndicator {
    return new SloIndicator('requestRatio', options.requestsMetric, options.selector, options.errorMatcher ?? 'code=~"5.."');
  }

  /** The request counter, selector and error matcher of a `GoldenSignalsRules` pack. */
  public static fromGoldenSignals(rules: GoldenSignalsRules): SloIndicator {
    return SloIndicator.requestRatio({ requestsMetric: rules.requestsMetric, selector: rules.selector, errorMatcher: rules.errorMatcher });
  }

  /** Two queries with a `{{window}}` placeholder (for latency SLIs from histogram buckets, or any ratio). */
  public static queryRatio(options: QueryRatioIndicatorOptions): SloIndicator {
    return new SloIndicator('queryRatio', options.errorQuery, options.totalQuery);
  }

  private constructor(private readonly kind: string, private readonly a: string, private readonly b: string, private readonly c?: string) {}

  /**
   * The error-ratio expression for one window, validated against `scope`.
   * @internal
   */
  public _errorRatio(scope: IConstruct, window: string): string {
    if (this.kind === 'requestRatio') {
      const metric = requireMetricName(scope, 'indicator.requestsMetric', this.a);
      const sel = requireMatchers(scope, 'indicator.selector', this.b);
      const err = requireMatchers(scope, 'indicator.errorMatcher', this.c);
      if (err.length === 0) {
        fail(scope, {
          problem: "'indicator.errorMatcher' is empty",
          received: show(this.c),
          expected: 'matchers selecting failed requests, e.g. code=~"5.."',
          fix: "set 'errorMatcher' or leave it unset",
        });
      }
      return `(sum(rate(${series(metric, sel, err)}[${window}])) or vector(0))\n/\nsum(rate(${series(metric, sel)}[${window}]))`;
    }
    const q = (prop: string, query: string) => {
      if (!/\{\{\s*\.?window\s*\}\}/.test(query)) {
        fail(scope, {
          problem: `'indicator.${prop}' has no {{window}} placeholder`,
          received: show(query),
          expected: 'a query whose range is the placeholder, e.g. sum(rate(x_total{job="a"}[{{window}}]))',
          fix: 'replace the fixed range, e.g. [5m], with [{{window}}]',
        });
      }
      const out = query.replace(/\{\{\s*\.?window\s*\}\}/g, window);
      const e = promqlError(out);
      if (e) {
        fail(scope, {
          problem: `'indicator.${prop}': invalid PromQL at position ${e.position} (with the window ${window} substituted)`,
          received: `\n${e.pointer}\n`,
          expected: 'a PromQL expression that Prometheus can parse',
          fix: 'correct the query at the marked position',
        });
      }
      return out;
    };
    return `(${q('errorQuery', this.a)})\n/\n(${q('totalQuery', this.b)})`;
  }
}

/** Properties for `Slo`. */
export interface SloProps extends PrometheusRuleOptions {
  /** The service, e.g. `frontend` (label `service`). */
  readonly service: string;
  /**
   * Name of the SLO within the service (label `slo`).
   * @default 'availability'
   */
  readonly sloName?: string;
  /**
   * The objective over a 30-day window, strictly between 0 and 1, e.g. 0.999 for 99.9 %.
   */
  readonly objective: number;
  /** What the SLO measures. */
  readonly indicator: SloIndicator;
  /**
   * Name of both burn-rate alerts (the page alert has severity critical, the ticket alert warning).
   * @default 'ErrorBudgetBurn'
   */
  readonly alertName?: string;
  /**
   * Runbook of the burn-rate alerts.
   * @default - none
   */
  readonly runbookUrl?: string;
}

/** One multi-window burn-rate condition. */
interface BurnWindow {
  readonly burnRate: number;
  readonly long: string;
  readonly short: string;
}

/** SLI windows recorded from the raw series, in evaluation order. */
const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
/** Google SRE workbook, table 5-8, for a 30-day SLO window. */
const PAGE: BurnWindow[] = [{ burnRate: 14.4, long: '1h', short: '5m' }, { burnRate: 6, long: '6h', short: '30m' }];
const TICKET: BurnWindow[] = [{ burnRate: 3, long: '1d', short: '2h' }, { burnRate: 1, long: '3d', short: '6h' }];

/**
 * A service-level objective over a 30-day window with multi-window, multi-burn-rate alerts (Google SRE
 * workbook, chapter 5):
 *
 * - SLI recording rules `slo:sli_error:ratio_rate<w>` for 5m, 30m, 1h, 2h, 6h, 1d, 3d and 30d, plus
 *   `slo:objective:ratio`, `slo:error_budget:ratio` and `slo:error_budget_remaining:ratio`
 *   (labels `service` and `slo`);
 * - a page alert (critical) when the error ratio exceeds 14.4 × budget over 1h and 5m, or 6 × budget over
 *   6h and 30m; a ticket alert (warning) for 3 × budget over 1d and 2h, or 1 × budget over 3d and 6h.
 *
 * Thresholds are computed in exact decimal arithmetic: objective 0.999 gives `0.0144`, `0.006`, `0.003`,
 * `0.001`, never `0.0009999999999999432`.
 */
export class Slo extends PrometheusRule {
  /** The `service` label. */
  public readonly service: string;
  /** The `slo` label. */
  public readonly sloName: string;
  /** The objective, e.g. 0.999. */
  public readonly objective: number;
  /** The error budget `1 - objective` as an exact decimal string, e.g. `0.001`. */
  public readonly errorBudget: string;
  /** Matchers selecting this SLO's recorded series: `service="frontend", slo="availability"`. */
  public readonly recordedSelector: string;

  constructor(scope: Construct, id: string, props: SloProps) {
    const sloName = props.sloName ?? 'availability';
    super(scope, id, { ...props, name: props.name ?? `${props.service}-${sloName}-slo` });
    this.service = props.service;
    this.sloName = sloName;
    for (const [prop, v] of [['service', props.service], ['sloName', sloName]]) {
      if (!/^[a-zA-Z0-9_.:-]+$/.test(v ?? '')) {
        fail(this, {
          problem: `'${prop}' must be a simple name`,
          received: show(v),
          expected: 'letters, digits, "_", ".", ":" or "-", e.g. "frontend"',
          fix: `pass a plain name for '${prop}'`,
        });
      }
    }
    const objective = props.objective;
    if (typeof objective !== 'number' || !(objective > 0 && objective < 1)) {
      fail(this, {
        problem: "SLO 'objective' must be strictly between 0 and 1",
        received: show(objective),
        expected: 'a ratio such as 0.999 (99.9 % of events good over 30 days); 0 and 1 leave no meaningful error budget',
        fix: 'pass a ratio, not a percentage: 99.9 % is 0.999',
      });
    }
    this.objective = objective;
    const budget = Decimal.parse('1').sub(Decimal.of(objective));
    this.errorBudget = budget.toString();
    this.recordedSelector = `service=${quote(this.service)}, slo=${quote(this.sloName)}`;
    const labels = { service: this.service, slo: this.sloName };
    const sli = (w: string) => series(`slo:sli_error:ratio_rate${w}`, this.recordedSelector);

    const records = this.addGroup({ name: `${this.service}-${this.sloName}.slo.sli` });
    for (const w of SLI_WINDOWS) {
      records.addRecord({ record: `slo:sli_error:ratio_rate${w}`, expr: props.indicator._errorRatio(this, w), labels });
    }
    records
      // The 30-day ratio averages the 5m ratio (as Sloth does): cheap to evaluate, exact for steady traffic.
      .addRecord({ record: 'slo:sli_error:ratio_rate30d', expr: `avg_over_time(${sli('5m')}[30d])`, labels })
      .addRecord({ record: 'slo:objective:ratio', expr: `vector(${Decimal.of(objective).toString()})`, labels })
      .addRecord({ record: 'slo:error_budget:ratio', expr: `vector(${this.errorBudget})`, labels })
      .addRecord({ record: 'slo:error_budget_remaining:ratio', expr: `1 - ${sli('30d')} / ${this.errorBudget}`, labels });

    const condition = (windows: BurnWindow[]) => windows
      .map((b) => {
        const t = this.threshold(b.burnRate);
        return `(${sli(b.long)} > ${t}\nand\n${sli(b.short)} > ${t})`;
      })
      .join('\nor\n');
    const describe = (windows: BurnWindow[]) => windows.map((b) => `${b.burnRate}x over ${b.long} and ${b.short} (error ratio > ${this.threshold(b.burnRate)})`).join(', or ');
    const alertName = props.alertName ?? 'ErrorBudgetBurn';
    const pct = Decimal.of(objective).mul(Decimal.parse('100')).toString();
    const alerts = this.addGroup({ name: `${this.service}-${this.sloName}.slo.alerts` });
    for (const [windows, severity, what] of [[PAGE, AlertSeverity.CRITICAL, 'page'], [TICKET, AlertSeverity.WARNING, 'ticket']] as const) {
      alerts.addAlert({
        alert: alertName,
        expr: condition(windows as BurnWindow[]),
        severity,
        labels: { ...labels, slo_alert: what },
        summary: `${this.service} ${this.sloName}: error budget burning too fast (${what})`,
        description: `The ${this.sloName} SLO of ${this.service} (${pct} % over 30 days, error budget ${this.errorBudget}) burns its budget at ${describe(windows as BurnWindow[])}.`,
        runbookUrl: props.runbookUrl,
      });
    }
  }

  /** The error-ratio threshold for a burn rate, exact: `burnRate × (1 − objective)`, e.g. 14.4 → `0.0144`. */
  public threshold(burnRate: number): string {
    return Decimal.of(burnRate).mul(Decimal.parse('1').sub(Decimal.of(this.objective))).toString();
  }
}
