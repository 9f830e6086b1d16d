/** The metric names one exporter or component produces at its pinned version, and where they come from. */
export type MetricSourceData = {
  /** Stable id, e.g. `kube-state-metrics`. */
  readonly id: string;
  /** The upstream version the names were read from. */
  readonly version: string;
  /** The upstream file or document the names were read from. */
  readonly url: string;
  /** How the names were read (which files, what was left out). */
  readonly method: string;
  /** Every metric name, histograms expanded to `_bucket`, `_sum` and `_count`. */
  readonly metrics: string[];
};
