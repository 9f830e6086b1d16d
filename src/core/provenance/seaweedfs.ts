// Kept by hand: the collectors of SeaweedFS's own registry (`stats.Gather`) that the library reads or that
// a SeaweedFS dashboard would, read from weed/stats/metrics.go of seaweedfs/seaweedfs (commit 8eab76c5, a
// 4.x snapshot; `S3RequestCounter`, `FilerRequestCounter` and `VolumeServerRequestCounter` keep their names
// and labels across 4.x). Namespace `SeaweedFS`, histograms expanded. The Go runtime and process collectors
// of the same registry are the `go-runtime` list.
import { MetricSourceData } from './types';

const histogram = (n: string) => [`${n}_bucket`, `${n}_sum`, `${n}_count`];

/** Metric names `weed server -s3 -metricsPort` exposes (the `SeaweedFs` component). */
export const SEAWEEDFS: MetricSourceData = {
  id: 'seaweedfs',
  version: '4.44',
  url: 'https://github.com/seaweedfs/seaweedfs/blob/8eab76c5db2526230c1f07f406583a6b063109ec/weed/stats/metrics.go',
  method: 'kept by hand from the collectors registered on stats.Gather in weed/stats/metrics.go (build, master, filer, volume server, S3)',
  metrics: [
    'SeaweedFS_build_info',
    'SeaweedFS_master_is_leader', 'SeaweedFS_master_received_heartbeats', 'SeaweedFS_master_volume_layout_writable',
    'SeaweedFS_master_under_replicated_volumes', 'SeaweedFS_master_pick_for_write_error',
    'SeaweedFS_filer_request_total', ...histogram('SeaweedFS_filer_request_seconds'), 'SeaweedFS_filer_in_flight_requests',
    'SeaweedFS_filerStore_request_total', ...histogram('SeaweedFS_filerStore_request_seconds'),
    'SeaweedFS_volumeServer_request_total', ...histogram('SeaweedFS_volumeServer_request_seconds'),
    'SeaweedFS_volumeServer_volumes', 'SeaweedFS_volumeServer_read_only_volumes', 'SeaweedFS_volumeServer_max_volumes',
    'SeaweedFS_volumeServer_total_disk_size', 'SeaweedFS_volumeServer_disk_error_status',
    'SeaweedFS_volumeServer_file_read_failures', 'SeaweedFS_volumeServer_file_write_failures',
    'SeaweedFS_s3_request_total', 'SeaweedFS_s3_handler_total', ...histogram('SeaweedFS_s3_request_seconds'),
    'SeaweedFS_s3_in_flight_requests', 'SeaweedFS_s3_bucket_size_bytes', 'SeaweedFS_s3_bucket_object_count',
    'SeaweedFS_upload_error_total',
  ],
};
