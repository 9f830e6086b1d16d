/**
 * The upstream shape of `beyla-config.yml` for **Beyla 3.33.0** (`Images.BEYLA`), as far as the library
 * renders it. Field names are the upstream keys of Beyla's configuration reference
 * (grafana.com/docs/beyla, "Configure": service-discovery for `discovery.instrument[]`, metrics-attributes
 * for `attributes.kubernetes.enable`, export-data for `otel_traces_export` / `otel_metrics_export`,
 * tune-performance for `ebpf.context_propagation`), so a misspelt key is a compile error. There is no
 * machine-readable key list for Beyla in `../shared/config-reference`; the keys were read from those
 * pages, and the rendered file was checked against `docs/config-schema.json` of grafana/beyla v3.33.0. Optional fields left `undefined` are not
 * written. Internal: not part of the jsii API.
 */

/** The pinned Beyla version this shape is written against. */
export const BEYLA_CONFIG_VERSION = '3.33.0';

/** One `discovery.instrument[]` selector (a process matches when every field set matches). */
export interface BeylaSelectorYaml {
  /** A namespace glob (`k8s_namespace`). */
  readonly k8s_namespace?: string;
  /** Ports and port ranges the process listens on, comma separated (`open_ports`). */
  readonly open_ports?: string;
}

/** An OTLP exporter block (`otel_traces_export`, `otel_metrics_export`). */
export interface BeylaOtlpExportYaml {
  readonly endpoint: string;
  /** `http/protobuf` or `grpc`. */
  readonly protocol: string;
  /** Metric families (`application`, `application_span`, `network`, ...): metrics export only. */
  readonly features?: string[];
}

/** The whole `beyla-config.yml`. */
export interface BeylaYaml {
  readonly discovery: { readonly instrument: BeylaSelectorYaml[]; readonly exclude_otel_instrumented_services: boolean };
  readonly attributes: { readonly kubernetes: { readonly enable: boolean } };
  /** `all` or `disabled` (context propagation between services). */
  readonly ebpf: { readonly context_propagation: string };
  readonly otel_traces_export: BeylaOtlpExportYaml;
  readonly otel_metrics_export: BeylaOtlpExportYaml;
}

/** What the file is rendered from. */
export interface BeylaConfigModel {
  readonly namespaces: string[];
  readonly ports: number[];
  readonly contextPropagation: boolean;
  /** OTLP/HTTP base URL of the collector. */
  readonly otlpHttpUrl: string;
}

/** Maps the model to the upstream `beyla-config.yml` structure. */
export function renderBeylaConfig(m: BeylaConfigModel): BeylaYaml {
  const instrument: BeylaSelectorYaml[] = [
    ...m.namespaces.map((n) => ({ k8s_namespace: n })),
    ...m.ports.length > 0 ? [{ open_ports: [...m.ports].sort((a, b) => a - b).join(',') }] : [],
  ];
  const endpoint = m.otlpHttpUrl;
  return {
    discovery: { instrument, exclude_otel_instrumented_services: true },
    attributes: { kubernetes: { enable: true } },
    ebpf: { context_propagation: m.contextPropagation ? 'all' : 'disabled' },
    otel_traces_export: { endpoint, protocol: 'http/protobuf' },
    otel_metrics_export: { endpoint, protocol: 'http/protobuf', features: ['application'] },
  };
}
