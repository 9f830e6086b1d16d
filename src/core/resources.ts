import { Size } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/** CPU and memory for one container: requests always, limits where they make sense. */
export interface ResourceSpec {
  /** CPU request in millicores. */
  readonly cpuMillis: number;
  /** Memory request. */
  readonly memory: Size;
  /**
   * CPU limit in millicores.
   * @default - no CPU limit (throttling hurts latency more than it protects; Mimir's sizing guidance)
   */
  readonly cpuLimitMillis?: number;
  /**
   * Memory limit.
   * @default - the memory request (memory is not compressible: a limit above the request invites OOM kills of neighbours)
   */
  readonly memoryLimit?: Size;
}

/**
 * Resource presets. Components pick a preset per sizing profile; users pass `ResourcePreset.custom()` to
 * override. Every container we emit has requests (never `resources: {}`).
 */
export class ResourcePreset {
  /** Tiny: sidecars and exporters (50m / 64Mi). */
  public static readonly NANO = new ResourcePreset({ cpuMillis: 50, memory: Size.mebibytes(64) });
  /** Small: operators, collectors on small clusters (100m / 128Mi). */
  public static readonly MICRO = new ResourcePreset({ cpuMillis: 100, memory: Size.mebibytes(128) });
  /** Development clusters (100m / 256Mi). */
  public static readonly SMALL = new ResourcePreset({ cpuMillis: 100, memory: Size.mebibytes(256) });
  /** A small production server (500m / 1Gi). */
  public static readonly MEDIUM = new ResourcePreset({ cpuMillis: 500, memory: Size.gibibytes(1) });
  /** A production server (1 CPU / 4Gi). */
  public static readonly LARGE = new ResourcePreset({ cpuMillis: 1000, memory: Size.gibibytes(4) });

  /** Any other size. */
  public static custom(spec: ResourceSpec): ResourcePreset {
    return new ResourcePreset(spec);
  }

  private constructor(public readonly spec: ResourceSpec) {}

  /**
   * The Kubernetes `resources` block.
   * @internal
   */
  public _toKube(): { requests: Record<string, string>; limits: Record<string, string> } {
    const mem = this.spec.memoryLimit ?? this.spec.memory;
    const limits: Record<string, string> = { memory: `${Math.round(mem.toMebibytes())}Mi` };
    if (this.spec.cpuLimitMillis !== undefined) limits.cpu = `${this.spec.cpuLimitMillis}m`;
    return {
      requests: { cpu: `${this.spec.cpuMillis}m`, memory: `${Math.round(this.spec.memory.toMebibytes())}Mi` },
      limits,
    };
  }

  /**
   * The typed Kubernetes `resources` block.
   * @internal
   */
  public _toK8s(): k8s.ResourceRequirements {
    const r = this._toKube();
    const q = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
    return { requests: q(r.requests), limits: q(r.limits) };
  }
}
