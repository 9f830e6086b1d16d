import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSeverity } from './alert-rule';
import { Decimal } from './decimal';
import { AlertPack, AlertPackOptions } from './pack';
import { PackAlertDefinition, positive } from './pack-definition';
import { quote, requireMatchers, series } from './promql';
import { declareMetricPack } from '../core/provenance/registry';

/** Properties for `ProbeRules`. */
export interface ProbeRulesProps extends AlertPackOptions {
  /**
   * Label matchers selecting the probe series (`probe_success`, ...), e.g. `job=~"web-.*"` for some
   * Probes only (a Probe's series carry `job` = its name and `instance` = the target).
   * @default - every probe series
   */
  readonly probeSelector?: string;
  /**
   * Label matchers selecting the exporter's own series (its ServiceMonitor's `job` is its Service name).
   * @default 'job="blackbox-exporter"'
   */
  readonly exporterSelector?: string;
}

/**
 * Alerts on the results of `Probe`s run by a `BlackboxExporter`: a target failing its check, a slow
 * check, a TLS certificate expiring soon or expired; and on the exporter itself: down or absent, a
 * configuration that failed to load, probes for a module it does not have.
 *
 * The certificate alerts read `probe_ssl_earliest_cert_expiry`, which an http module reports for https
 * targets whose handshake succeeded: an expired certificate usually fails the probe first (then
 * `ProbeFailed` fires), and `ProbeSslCertificateExpired` catches modules that skip verification.
 */
export class ProbeRules extends AlertPack {
  /** The matchers selecting the probe series. */
  public readonly probeSelector: string;
  /** The matchers selecting the exporter's own series. */
  public readonly exporterSelector: string;

  constructor(scope: Construct, id: string, props: ProbeRulesProps = {}) {
    super(scope, id, { ...props, name: props.name ?? 'blackbox-probes' });
    declareMetricPack(this);
    const p = (this.probeSelector = requireMatchers(this, 'probeSelector', props.probeSelector ?? ''));
    const ex = (this.exporterSelector = requireMatchers(this, 'exporterSelector', props.exporterSelector ?? `job=${quote('blackbox-exporter')}`));
    const def = (group: string, d: Omit<PackAlertDefinition, 'group'>) => this._defineAlert({ group, ...d });
    const days = (t: string) => Decimal.parse(t).mul(Decimal.parse('86400')).toString();

    const g = 'blackbox-probes';
    def(g, {
      alert: 'ProbeFailed',
      query: () => `${series('probe_success', p)} == 0`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'Probe {{ $labels.job }} fails for {{ $labels.instance }}',
      details: (_t, pending) => `The blackbox check of {{ $labels.instance }} has failed${pending ? ` for ${pending}` : ''}: the endpoint is down, refuses the connection, times out or answers with an unexpected status.`,
      metrics: ['probe_success'],
    });
    def(g, {
      alert: 'ProbeSlow',
      thresholds: [positive('seconds', 1, 'average probe duration in seconds over 5m')],
      query: (t) => `avg_over_time(${series('probe_duration_seconds', p)}[5m]) > ${t.seconds}`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'Probe {{ $labels.job }} of {{ $labels.instance }} takes {{ $value | humanizeDuration }}',
      details: (t) => `The check of {{ $labels.instance }} has averaged more than ${t.seconds}s over 5 minutes (DNS, connect, TLS and the response together).`,
      metrics: ['probe_duration_seconds'],
    });
    def(g, {
      alert: 'ProbeSslCertificateExpiringSoon',
      thresholds: [positive('days', 14, 'days left before the earliest certificate of the chain expires')],
      query: (t) => `(${series('probe_ssl_earliest_cert_expiry', p)} - time() < ${days(t.days)})\nand\n(${series('probe_ssl_earliest_cert_expiry', p)} - time() > 0)`,
      pendingFor: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The TLS certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}',
      details: (t) => `A certificate of the chain served by {{ $labels.instance }} expires in less than ${t.days} days: renew it (or check that cert-manager renews it).`,
      metrics: ['probe_ssl_earliest_cert_expiry'],
    });
    def(g, {
      alert: 'ProbeSslCertificateExpired',
      query: () => `${series('probe_ssl_earliest_cert_expiry', p)} - time() <= 0`,
      severity: AlertSeverity.CRITICAL,
      summary: 'The TLS certificate of {{ $labels.instance }} has expired',
      details: 'A certificate of the chain served by {{ $labels.instance }} is past its expiry date: clients that verify it refuse the connection.',
      metrics: ['probe_ssl_earliest_cert_expiry'],
    });

    const e = 'blackbox-exporter';
    def(e, {
      alert: 'BlackboxExporterDown',
      query: () => `(${series('up', ex)} == 0)\nor\nabsent(${series('up', ex)})`,
      pendingFor: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: 'The blackbox exporter is down or not scraped',
      details: 'No probe runs while the exporter is down: every ProbeFailed alert goes silent (its series are absent, not failing).',
      metrics: ['up'],
    });
    def(e, {
      alert: 'BlackboxExporterConfigReloadFailed',
      query: () => `${series('blackbox_exporter_config_last_reload_successful', ex)} == 0`,
      pendingFor: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The blackbox exporter {{ $labels.instance }} failed to load its configuration',
      details: 'The exporter keeps running with its previous modules; the rendered blackbox.yml was refused.',
      metrics: ['blackbox_exporter_config_last_reload_successful'],
    });
    def(e, {
      alert: 'BlackboxModuleUnknown',
      query: () => `increase(${series('blackbox_module_unknown_total', ex)}[10m]) > 0`,
      severity: AlertSeverity.WARNING,
      summary: 'Probes ask the blackbox exporter {{ $labels.instance }} for a module it does not have',
      details: 'A Probe (or scrape config) names a module missing from blackbox.yml: those targets are never checked.',
      metrics: ['blackbox_module_unknown_total'],
    });
    this._applyOverrides(props);
  }
}
