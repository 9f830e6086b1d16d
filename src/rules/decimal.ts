/**
 * Exact decimal arithmetic for rule thresholds (internal).
 *
 * Binary floating point turns `14.4 * (1 - 0.999)` into `0.014400000000000015`; Sloth's rules show the
 * same noise (`0.0009999999999999432`). Thresholds here are computed on scaled integers instead: every
 * number is read from its shortest round-trip decimal form (`String(0.999)` is `"0.999"`), held as a
 * `bigint` mantissa and a power-of-ten scale, multiplied/subtracted exactly, and printed with the minimal
 * number of digits.
 */
export class Decimal {
  /** Reads a finite JS number via its shortest decimal representation (handles `1e-7` notation). */
  public static of(n: number): Decimal {
    if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
    return Decimal.parse(String(n));
  }

  /** Parses a decimal literal such as `0.999`, `-14.4`, `1e-7`, `2.5E+3`. */
  public static parse(s: string): Decimal {
    const m = /^(-)?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
    if (!m) throw new Error(`not a decimal number: ${s}`);
    const [, sign, int, frac = '', exp = '0'] = m;
    let mantissa = BigInt(int + frac);
    let scale = frac.length - Number(exp);
    if (scale < 0) {
      mantissa *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(sign ? -mantissa : mantissa, scale);
  }

  private constructor(private readonly mantissa: bigint, private readonly scale: number) {}

  public mul(o: Decimal): Decimal {
    return new Decimal(this.mantissa * o.mantissa, this.scale + o.scale);
  }

  public sub(o: Decimal): Decimal {
    const s = Math.max(this.scale, o.scale);
    return new Decimal(this.align(s) - o.align(s), s);
  }

  public compare(o: Decimal): number {
    const s = Math.max(this.scale, o.scale);
    const a = this.align(s);
    const b = o.align(s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Minimal decimal digits, never exponent notation: `0.0144`, `6`, `0.006`. */
  public toString(): string {
    let m = this.mantissa;
    let s = this.scale;
    while (s > 0 && m % 10n === 0n) {
      m /= 10n;
      s--;
    }
    const neg = m < 0n;
    let digits = (neg ? -m : m).toString();
    if (s > 0) {
      digits = digits.padStart(s + 1, '0');
      digits = `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
    }
    return `${neg ? '-' : ''}${digits}`;
  }

  private align(s: number): bigint {
    return this.mantissa * 10n ** BigInt(s - this.scale);
  }
}

/** The decimal form of a number, exact and without exponent notation (`1e-7` → `0.0000001`). */
export function decimalString(n: number): string {
  return Decimal.of(n).toString();
}
