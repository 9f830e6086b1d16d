// Public API of the alloy module: the typed Alloy syntax tree (shared with the traces pipeline) and the
// log-collection DaemonSet.
export { AlloyValue, AlloyValueKind, AlloyAttribute, AlloyBlock, AlloyConfig } from './syntax';
export { AlloyLogs, AlloyLogsProps } from './logs';
