// Public API of the alloy module: the typed Alloy syntax tree (shared with the traces pipeline) and the
// log-collection DaemonSet. (./syntax-internal and ./host-path are internal.)
export * from './syntax';
export * from './logs';
export * from './collector';
export * from './collection';
export * from './sizing';
