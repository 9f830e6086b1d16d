// Public API of cdk8s-lgtm (jsii). Internal helpers live in ./core and are imported by path.
export { Images } from './core/images';
export { ResourcePreset, ResourceSpec } from './core/resources';
export { DatasourceKind, DatasourceInfo, IDatasourceProvider, ILogsBackend, IRemoteWriteTarget, IDashboard } from './core/interfaces';
export { ServiceRef, PortSpec } from './core/kube';
export { Component, ComponentProps, ComponentDefaults } from './core/component';
export { StorageOptions } from './core/storage';
export { Toleration, TolerationOperator, TaintEffect } from './core/scheduling';
export { ConfigFiles, ConfigFilesOptions, ConfigFilesKind } from './core/config';
export { PromDuration } from './core/prom-duration';
export * from './prometheus';
export * from './rules';
export * from './storage';
export * from './loki';
export * from './alloy';
export * from './promtail';
export * from './grafana';
export * from './dashboards';
