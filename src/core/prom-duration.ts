import { Duration } from 'cdk8s';
import { goDuration, promDuration } from './duration';

/** Duration formatting for Prometheus-family configs (jsii-friendly wrapper of the internal helpers). */
export class PromDuration {
  /** `Duration.minutes(90)` → `1h30m`; `Duration.days(7)` → `1w`. */
  public static format(d: Duration): string {
    return promDuration(d);
  }
  /** Go `time.Duration` syntax (h/m/s/ms only): `Duration.days(7)` → `168h`. */
  public static formatGo(d: Duration): string {
    return goDuration(d);
  }
  private constructor() {}
}
