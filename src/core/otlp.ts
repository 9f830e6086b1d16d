/**
 * Internal: what every OTLP-receiving component (Tempo, the collectors) shares: the OTLP ports on its
 * Service, the `ITracesBackend` endpoints computed from that Service, and the rule that writing into a
 * Prometheus of this app turns that Prometheus' remote-write receiver on. Not part of the jsii API (no
 * public base class: each component keeps its own place in the construct hierarchy).
 */
import { IRemoteWriteTarget } from './interfaces';
import { PortSpec, ServiceRef } from './kube';

/** The OTLP/gRPC port (4317) as it is named on Services and containers. */
export const OTLP_GRPC_PORT: PortSpec = { name: 'otlp-grpc', port: 4317, appProtocol: 'grpc' };
/** The OTLP/HTTP port (4318) as it is named on Services and containers. */
export const OTLP_HTTP_PORT: PortSpec = { name: 'otlp-http', port: 4318 };

/** The `ITracesBackend` endpoints of a Service that carries the OTLP ports. */
export interface OtlpEndpoints {
  /** OTLP/gRPC `host:port`. */
  readonly otlpGrpcAddress: string;
  /** OTLP/HTTP base URL. */
  readonly otlpHttpUrl: string;
}

/** The OTLP endpoints of `service` (its `otlp-grpc` and `otlp-http` ports). */
export function otlpEndpoints(service: ServiceRef): OtlpEndpoints {
  return { otlpGrpcAddress: service.address(OTLP_GRPC_PORT.name), otlpHttpUrl: service.url(OTLP_HTTP_PORT.name) };
}

/** A remote-write target whose receiver is off until a writer turns it on (the library's `Prometheus`). */
interface RemoteWriteReceiverSwitch {
  acceptRemoteWrites(): void;
}

function hasReceiverSwitch(target: IRemoteWriteTarget): target is IRemoteWriteTarget & RemoteWriteReceiverSwitch {
  return typeof (target as Partial<RemoteWriteReceiverSwitch>).acceptRemoteWrites === 'function';
}

/**
 * A component that writes into `target` turns the target's remote-write receiver on when it has one to
 * turn on (the library's `Prometheus`; Mimir and external targets always receive). Enabling the writer
 * thus enables the receiver: one switch, never two.
 */
export function enableRemoteWriteReceiver(target: IRemoteWriteTarget | undefined): void {
  if (target && hasReceiverSwitch(target)) target.acceptRemoteWrites();
}
