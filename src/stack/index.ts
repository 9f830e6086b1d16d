export { LgtmStack } from './stack';
export type { LgtmStackProps, StackComponents, StackBeylaOptions, IMetricsStore } from './stack';
export { StackProfile, StackProfileKind } from './profile';
