import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { objectMeta } from './objects';

/**
 * Low-level helpers that emit plain Kubernetes objects with exact control over every field (Pod Security
 * "restricted" needs `seccompProfile` and `capabilities.drop`, which cdk8s-plus does not set). Every
 * object gets an explicit, stable `metadata.name` and `metadata.namespace`.
 */
export interface ObjectMeta {
  /** Stable name. */
  readonly name: string;
  /** Namespace (omitted for cluster-scoped objects). */
  readonly namespace?: string;
  /** Labels. */
  readonly labels?: Record<string, string>;
  /** Annotations. */
  readonly annotations?: Record<string, string>;
}

/** A port of a Service (and the matching container port). */
export interface PortSpec {
  /** Port name (IANA_SVC_NAME: at most 15 chars, lowercase). */
  readonly name: string;
  /** Service and container port. */
  readonly port: number;
  /** Container port, when it differs from `port`. @default port */
  readonly targetPort?: number;
  /** @default 'TCP' */
  readonly protocol?: string;
  /** @default - none */
  readonly appProtocol?: string;
}

/** Description of an emitted Service, used to compute URLs and to check wiring. */
export class ServiceRef {
  constructor(
    /** Service name. */
    public readonly name: string,
    /** Namespace. */
    public readonly namespace: string,
    /** Ports. */
    public readonly ports: PortSpec[],
    /** The Service object. */
    public readonly apiObject: ApiObject,
  ) {}

  /** In-cluster DNS name (`name.namespace.svc`; resolvable from any namespace through the search path). */
  public get host(): string {
    return `${this.name}.${this.namespace}.svc`;
  }

  /** The port with this name; throws if the service has none. */
  public port(name: string): PortSpec {
    const p = this.ports.find((x) => x.name === name);
    if (!p) throw new Error(`Service ${this.namespace}/${this.name} has no port named '${name}' (ports: ${this.ports.map((x) => x.name).join(', ')})`);
    return p;
  }

  /** URL for a named port, e.g. `http://loki.monitoring.svc:3100`. */
  public url(portName: string, scheme: string = 'http', path: string = ''): string {
    return `${scheme}://${this.host}:${this.port(portName).port}${path}`;
  }

  /** `host:port` for a named port (gRPC clients, memberlist). */
  public address(portName: string): string {
    return `${this.host}:${this.port(portName).port}`;
  }
}

/** Options for {@link kubeService}. */
export interface ServiceOptions extends ObjectMeta {
  /** Pod selector. */
  readonly selector: Record<string, string>;
  /** Ports. */
  readonly ports: PortSpec[];
  /** Headless (`clusterIP: None`), for StatefulSet DNS and memberlist. */
  readonly headless?: boolean;
  /** Publish not-ready addresses (memberlist join during start-up). */
  readonly publishNotReadyAddresses?: boolean;
}

/** Emits a Service (typed `k8s.KubeService`) and returns a {@link ServiceRef}. */
export function kubeService(scope: Construct, id: string, o: ServiceOptions): ServiceRef {
  const obj = new k8s.KubeService(scope, id, {
    metadata: objectMeta(o),
    spec: {
      clusterIp: o.headless ? 'None' : undefined,
      type: o.headless ? undefined : 'ClusterIP',
      publishNotReadyAddresses: o.publishNotReadyAddresses ? true : undefined,
      selector: o.selector,
      ports: o.ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: k8s.IntOrString.fromNumber(p.targetPort ?? p.port),
        protocol: p.protocol ?? 'TCP',
        appProtocol: p.appProtocol,
      })),
    },
  });
  return new ServiceRef(o.name, o.namespace!, o.ports, obj);
}

