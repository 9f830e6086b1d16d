// Public API of the prometheus module: operator, CRDs, Prometheus, Alertmanager, exporters, monitors.
export * from './secret';
export * from './crds';
export * from './operator';
export * from './monitors';
export * from './prometheus';
export * from './alertmanager';
export * from './exporters';
export * from './kubelet';
