/**
 * Internal: the `DatasourceInfo` of a component, computed from the Service it emits (URL, Service name,
 * namespace and port always agree, because they come from one `ServiceRef` and one port). Not part of
 * the jsii API.
 */
import { DatasourceInfo, DatasourceKind } from './interfaces';
import { PortSpec, ServiceRef } from './kube';

/** What a datasource needs besides its Service. */
export interface ServiceDatasourceOptions {
  readonly kind: DatasourceKind;
  /** Display name, e.g. `Tempo`. */
  readonly name: string;
  /** Stable UID. */
  readonly uid: string;
  /** The Service port the datasource queries. */
  readonly port: PortSpec;
  /** Extra fields (tenant, implementation). */
  readonly tenantId?: string;
  readonly implementation?: string;
}

/** The datasource of `service` on `options.port`. */
export function serviceDatasource(service: ServiceRef, options: ServiceDatasourceOptions): DatasourceInfo {
  return {
    kind: options.kind,
    name: options.name,
    uid: options.uid,
    url: service.url(options.port.name),
    serviceName: service.name,
    serviceNamespace: service.namespace,
    servicePort: options.port.port,
    tenantId: options.tenantId,
    implementation: options.implementation,
  };
}
