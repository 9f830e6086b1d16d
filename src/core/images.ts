/**
 * Every container image the library runs, pinned by exact version in this one place (the upstream
 * evidence for each tag is in `image-sources.ts`; a test fails when a pin has none)
 * (kube-prometheus keeps a `versions.json` for the same reason). Never `:latest`.
 *
 * Versions were checked against the upstream release notes in `../shared/REFERENCE.md` (Aug 2026).
 * Each component accepts an `image` prop to override its entry, e.g. for a registry mirror.
 */
export class Images {
  /** Prometheus server. */
  public static readonly PROMETHEUS = 'quay.io/prometheus/prometheus:v3.13.2';
  /** Alertmanager. */
  public static readonly ALERTMANAGER = 'quay.io/prometheus/alertmanager:v0.33.1';
  /**
   * Prometheus Operator. 0.93.1 is a patch release of the 0.93 line whose CRDs are vendored (`crds/`,
   * 0.93.0, the same schema); its tag is recorded in `IMAGE_SOURCES`.
   */
  public static readonly PROMETHEUS_OPERATOR = 'quay.io/prometheus-operator/prometheus-operator:v0.93.1';
  /** The config reloader sidecar the operator injects; same release as the operator. */
  public static readonly PROMETHEUS_CONFIG_RELOADER = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1';
  /** node-exporter. */
  public static readonly NODE_EXPORTER = 'quay.io/prometheus/node-exporter:v1.12.1';
  /** kube-state-metrics. */
  public static readonly KUBE_STATE_METRICS = 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.1';
  /** Grafana (OSS). */
  public static readonly GRAFANA = 'docker.io/grafana/grafana:13.1.3';
  /** Loki; the config we render is checked against the 3.7.6 reference. */
  public static readonly LOKI = 'docker.io/grafana/loki:3.7.6';
  /**
   * Grafana Alloy 1.18.1 (tag `v1.18.1`, commit 6012ec4a); its config is checked against the 1.18.1
   * component reference (`../shared/config-reference/alloy-components.json`). Newer 1.x releases exist:
   * move this pin and the reference together.
   */
  public static readonly ALLOY = 'docker.io/grafana/alloy:v1.18.1';
  /**
   * Promtail, deprecated (end of life 2026-03-02). Its code was removed from the Loki repository for
   * 3.7 (grafana/loki#21245) and no 3.7.x promtail image was published; 3.6.11 is the last tag released.
   */
  public static readonly PROMTAIL = 'docker.io/grafana/promtail:3.6.11';
  /**
   * In-cluster S3-compatible object store for development and small clusters (SeaweedFS, Apache-2.0;
   * replaces MinIO, archived 2026-04-25). 4.44 is the newest upstream release tag we could confirm
   * (see `IMAGE_SOURCES`); the `weed server` flags we pass exist in `weed/command/*.go` at that tag.
   */
  public static readonly SEAWEEDFS = 'docker.io/chrislusf/seaweedfs:4.44';

  /**
   * Grafana Tempo 2.10.8 (monolithic and scalable-single-binary; the classic architecture without
   * Kafka). Its config is checked against the 2.10.8 reference (`../shared/config-reference/tempo-keys.json`,
   * from grafana/tempo tag v2.10.8, commit f0f3ed59). Source: the tempo 2.2.4 chart's appVersion 2.10.8
   * (`../shared/REFERENCE.md`, Aug 2026).
   */
  public static readonly TEMPO = 'docker.io/grafana/tempo:2.10.8';
  /**
   * OpenTelemetry Collector, contrib distribution 0.155.0: the release the test-suite's collector is
   * built from (engines/otelcol, every rendered config passes its `otelcol validate`). Newer releases
   * exist (0.158.0 is named in `../shared/REFERENCE.md`, Aug 2026; the Go module proxy lists contrib
   * modules up to v0.165.1, 2026-12-01), but 0.156 to 0.164 lack the prometheus exporter module and
   * 0.165's k8sattributes processor does not resolve here; move this pin and the engine together.
   */
  public static readonly OTEL_COLLECTOR_CONTRIB = 'docker.io/otel/opentelemetry-collector-contrib:0.155.0';

  /**
   * Grafana Pyroscope 1.18.0, single binary (`-target=all`). Source: the grafana/pyroscope release tag
   * v1.18.0 (2026-01-16; see image-sources.ts). 2.0 (April 2026) re-architected storage around a
   * Raft metastore; its single-node config is not pinned here yet.
   */
  public static readonly PYROSCOPE = 'docker.io/grafana/pyroscope:1.18.0';

  /**
   * Grafana Beyla 3.33.0 (eBPF auto-instrumentation). Source: the grafana/beyla release tag v3.33.0
   * (2026-08-20; see image-sources.ts). OpenTelemetry's OBI image can be passed through the `image` prop
   * instead.
   */
  public static readonly BEYLA = 'docker.io/grafana/beyla:3.33.0';

  /**
   * Grafana Mimir 3.1.1 (monolithic and the classic distributed architecture, without Kafka). Its config
   * is checked against the 3.0-era reference (`../shared/config-reference/mimir-keys.json`), and none of
   * the keys it renders is among those 3.1.0 removed or renamed.
   */
  public static readonly MIMIR = 'docker.io/grafana/mimir:3.1.1';

  /**
   * OpenCost 1.112.0 (cost allocation exporter). Source: opencost/opencost tag v1.112.0 (commit 2ea71a15,
   * 2024-09-26), the newest release tag of the repository snapshot read here; its release workflow
   * publishes `ghcr.io/opencost/opencost:<version without v>`. Newer releases may exist.
   */
  public static readonly OPENCOST = 'ghcr.io/opencost/opencost:1.112.0';

  /**
   * Kepler v0.11.4 (energy exporter, the rewritten architecture reading RAPL through powercap sysfs).
   * Source: sustainable-computing-io/kepler tag v0.11.4 (commit cdef4739, 2026-02-16); its release
   * workflow builds `quay.io/sustainable_computing_io/kepler:<tag>`.
   */
  public static readonly KEPLER = 'quay.io/sustainable_computing_io/kepler:v0.11.4';

  /**
   * Prometheus blackbox exporter v0.28.0 (HTTP, TCP and ICMP probes behind `Probe` objects). Source:
   * prometheus/blackbox_exporter tag v0.28.0 (commit 5a059bee, 2025-12-04), the newest release tag of the
   * repository snapshot read here (master up to 2026-07-24 has no later tag); released as
   * `quay.io/prometheus/blackbox-exporter:<tag>` like every Prometheus exporter.
   */
  public static readonly BLACKBOX_EXPORTER = 'quay.io/prometheus/blackbox-exporter:v0.28.0';

  /**
   * Grafana OnCall OSS engine (uwsgi and celery share the image). v1.16.9 is the last release: the
   * project entered maintenance mode on 2025-03-11 and was archived on 2026-03-24 (`GrafanaOnCall`
   * warns at synth). Runs as uid 1000, gid 2000 (engine/Dockerfile).
   */
  public static readonly GRAFANA_ONCALL = 'docker.io/grafana/oncall:v1.16.9';

  /** Redis, the broker and cache of `GrafanaOnCall` (the official image, alpine variant; uid 999). */
  public static readonly REDIS = 'docker.io/library/redis:8.10.2-alpine';

  private constructor() {}
}

/** Returns the version part of an image reference (after the last ':'), without a leading 'v'. */
export function imageVersion(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.lastIndexOf('/') > colon) return 'unknown';
  return ref.slice(colon + 1).replace(/^v/, '');
}
