// Public API of cdk8s-lgtm (jsii). Internal helpers live in ./core and are imported by path.
export { Images } from './core/images';
export { ResourcePreset, ResourceSpec } from './core/resources';
export { DatasourceKind, DatasourceInfo, IDatasourceProvider, ILogsBackend, IRemoteWriteTarget } from './core/interfaces';
export { ServiceRef, PortSpec } from './core/kube';
export { PromDuration } from './core/prom-duration';
