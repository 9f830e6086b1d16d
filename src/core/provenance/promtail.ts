// Kept by hand: the Loki client metrics of Promtail (namespace `promtail`, histograms expanded), read from
// clients/pkg/promtail/client/metrics.go of grafana/loki (the same names and labels since Loki 2.x; Promtail
// is deprecated, see src/promtail/deprecation.ts). Promtail's Go runtime metrics are the `go-runtime` list.
import { MetricSourceData } from './types';

const histogram = (n: string) => [`${n}_bucket`, `${n}_sum`, `${n}_count`];

/** Metric names Promtail exposes on its HTTP port (the `Promtail` component). */
export const PROMTAIL: MetricSourceData = {
  id: 'promtail',
  version: '3.6.11',
  url: 'https://github.com/grafana/loki/blob/v3.6.11/clients/pkg/promtail/client/metrics.go',
  method: 'kept by hand from the client metrics Promtail registers (encoded, sent and dropped bytes and entries, request duration, batch retries)',
  metrics: [
    'promtail_encoded_bytes_total', 'promtail_sent_bytes_total', 'promtail_dropped_bytes_total',
    'promtail_sent_entries_total', 'promtail_dropped_entries_total', ...histogram('promtail_request_duration_seconds'),
    'promtail_batch_retries_total',
  ],
};
