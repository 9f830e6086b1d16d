// Public API of cdk8s-lgtm (jsii). Internal helpers live in ./core and are imported by path.
// Interfaces are re-exported with `export type` (ts-node and ts-jest compile files in isolation).
export { Images } from './core/images';
export { ResourcePreset } from './core/resources';
export type { ResourceSpec } from './core/resources';
export { DatasourceKind } from './core/interfaces';
export type { DatasourceInfo, IDatasourceProvider, ILogsBackend, IRemoteWriteTarget, IDashboard } from './core/interfaces';
export { ServiceRef } from './core/kube';
export type { PortSpec } from './core/kube';
export { Component } from './core/component';
export type { ComponentProps, ComponentDefaults } from './core/component';
export type { StorageOptions } from './core/storage';
export { Namespace } from './core/namespace';
export type { NamespaceProps, NodeAgentsNamespaceProps } from './core/namespace';
export { PodSecurityLevel } from './core/pod-security';
export { TolerationOperator, TaintEffect } from './core/scheduling';
export type { Toleration } from './core/scheduling';
export { ConfigFiles, ConfigFilesKind } from './core/config';
export type { ConfigFilesOptions } from './core/config';
export { PromDuration } from './core/prom-duration';
export * from './prometheus';
export * from './rules';
export * from './storage';
export * from './loki';
export * from './alloy';
export * from './promtail';
export * from './grafana';
export * from './dashboards';
