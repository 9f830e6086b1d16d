/**
 * Where each pinned image tag was seen upstream: the release tag (with its commit and date) in the
 * project's repository, or the registry that publishes the release in lockstep. Images are built from
 * these release tags by the projects' release pipelines. A test fails when an entry of `Images` has no
 * source here, or when a source names another tag than the pin.
 */

/** Evidence for one pinned image tag. */
export interface ImageSource {
  /** The exact tag. */
  readonly tag: string;
  /** Where the tag was seen (repository and tag, with the commit). */
  readonly seen: string;
  /** Date of the release tag (YYYY-MM-DD). */
  readonly date: string;
}

/** Evidence by `Images` member. */
export const IMAGE_SOURCES: { readonly [member: string]: ImageSource } = {
  PROMETHEUS: { tag: 'v3.13.2', seen: 'github.com/prometheus/prometheus tag v3.13.2 (commit d08db18ac8)', date: '2026-07-30' },
  ALERTMANAGER: { tag: 'v0.33.1', seen: 'github.com/prometheus/alertmanager tag v0.33.1 (commit baca8cf2c)', date: '2026-07-04' },
  PROMETHEUS_OPERATOR: {
    tag: 'v0.93.1',
    seen: 'github.com/prometheus-operator/prometheus-operator tag v0.93.1 (commit 51cc33a31b), as served by the Go module proxy for the root module; the repository snapshot read in Aug 2026 ended at v0.93.0 (2026-07-28, commit b9090747e)',
    date: '2026-08-10',
  },
  PROMETHEUS_CONFIG_RELOADER: {
    tag: 'v0.93.1',
    seen: 'github.com/prometheus-operator/prometheus-operator tag v0.93.1 (commit 51cc33a31b): the reloader is released from the operator repository with the same tag',
    date: '2026-08-10',
  },
  NODE_EXPORTER: { tag: 'v1.12.1', seen: 'github.com/prometheus/node_exporter tag v1.12.1 (commit fc12f2c0)', date: '2026-07-14' },
  KUBE_STATE_METRICS: { tag: 'v2.19.1', seen: 'github.com/kubernetes/kube-state-metrics tag v2.19.1 (commit 45e1513e)', date: '2026-06-11' },
  GRAFANA: {
    tag: '13.1.3',
    seen: 'npm @grafana/data 13.1.3, published with the Grafana 13.1.3 release (the grafana/grafana repository is too large to mirror here)',
    date: '2026-08-17',
  },
  LOKI: { tag: '3.7.6', seen: 'github.com/grafana/loki tag v3.7.6 (commit 5003600d7c)', date: '2026-08-05' },
  ALLOY: { tag: 'v1.18.1', seen: 'github.com/grafana/alloy tag v1.18.1 (commit 6012ec4ac6)', date: '2026-08-06' },
  PROMTAIL: { tag: '3.6.11', seen: 'github.com/grafana/loki tag v3.6.11 (commit f7a4aa99e1), the last release line that ships promtail', date: '2026-05-13' },
  SEAWEEDFS: {
    tag: '4.44',
    seen: 'github.com/seaweedfs/seaweedfs tag 4.44 (commit 3563738699), the newest tag of the repository snapshot of 2026-08-22; 4.47 could not be confirmed',
    date: '2026-08-22',
  },
  TEMPO: {
    tag: '2.10.8',
    seen: 'github.com/grafana/tempo annotated tag v2.10.8 (commit f0f3ed5919, CHANGELOG section v2.10.8), read from the repository snapshot of 2026-08-21; .github/workflows/docker.yml builds grafana/tempo from the tag, refusing tags that do not match the VERSION file',
    date: '2026-08-13',
  },
  OTEL_COLLECTOR_CONTRIB: { tag: '0.155.0', seen: 'open-telemetry/opentelemetry-collector-contrib release v0.155.0: its modules (e.g. exporter/prometheusexporter v0.155.0) on the Go module proxy, which engines/otelcol builds', date: '2026-06-23' },
  PYROSCOPE: {
    tag: '1.18.0',
    seen: 'github.com/grafana/pyroscope tag v1.18.0 (commit e542ef3a68), read from the repository snapshot of 2026-08-21; its .github/workflows/release.yml sets IMAGE_TAG to the tag without "v" and .goreleaser.yaml publishes grafana/pyroscope:<IMAGE_TAG>',
    date: '2026-01-16',
  },
  OPENCOST: { tag: '1.112.0', seen: 'github.com/opencost/opencost tag v1.112.0 (commit 2ea71a15); .github/workflows/build-and-publish-release.yml tags ghcr.io/opencost/opencost with the version without "v"', date: '2024-09-26' },
  KEPLER: { tag: 'v0.11.4', seen: 'github.com/sustainable-computing-io/kepler tag v0.11.4 (commit cdef4739); .github/workflows/release.yaml runs `make image VERSION=<tag>` into quay.io/sustainable_computing_io', date: '2026-02-16' },
  BEYLA: {
    tag: '3.33.0',
    seen: 'github.com/grafana/beyla tag v3.33.0 (commit 1ee5780a2), the newest tag of the repository snapshot of 2026-08-21; its .github/workflows/publish_gar_release.yml tags the beyla image with the semver without "v". The rendered beyla-config.yml validates against that tag\'s docs/config-schema.json. (3.40.0, named by a later Alloy reference, could not be confirmed upstream)',
    date: '2026-08-20',
  },
  BLACKBOX_EXPORTER: { tag: 'v0.28.0', seen: 'github.com/prometheus/blackbox_exporter tag v0.28.0 (commit 5a059bee8d, VERSION 0.28.0); the newest tag of a snapshot whose master reaches 2026-07-24; CHANGELOG "0.28.0 / 2025-12-04"; its README and Makefile (DOCKER_IMAGE_NAME blackbox-exporter) name quay.io/prometheus/blackbox-exporter', date: '2025-12-04' },
  MIMIR: {
    tag: '3.1.1',
    seen: 'grafana/mimir CHANGELOG.md on main (commit 00135b60) lists the released sections 3.1.0 and 3.1.1 above main/unreleased; the image is published as grafana/mimir:<version> by the release pipeline (tag mimir-3.1.1). Later 3.1.x patch tags were not confirmed upstream',
    date: '2026-06-01',
  },
  GRAFANA_ONCALL: {
    tag: 'v1.16.9',
    seen: 'github.com/grafana/oncall tag v1.16.9 (merge commit 1f4eb06e65, "Merge pull request #5618 from grafana/dev"), the newest tag of the repository snapshot whose dev branch ends at 3666186a (2026-01-05); .github/workflows/on-release-published.yml pushes grafana/oncall:<tag> (type=raw,value=${{ github.ref_name }}) and publishes the grafana-oncall-app plugin with the same version. The README announces maintenance mode from 2025-03-11 and archival on 2026-03-24',
    date: '2026-01-08',
  },
  REDIS: {
    tag: '8.10.2-alpine',
    seen: 'docker-library/official-images library/redis (master, stored copy read 2026-12-02): "Tags: 8.10.2-alpine, 8.10-alpine, 8-alpine, 8.10.2-alpine3.23", GitRepo https://github.com/redis/docker-library-redis.git, GitFetch refs/tags/v8.10.2, GitCommit 8104e63b59; a dependabot bump to 8.8.0-alpine dated 2026-05-27 (roncli/roncli.com#1899) dates the 8.8 line before it. The exact publication date of 8.10.2 was not confirmed (no snapshot of redis/docker-library-redis newer than 2024-10)',
    date: '2026-12-02',
  },
};
