export { LgtmStack } from './stack';
export type { LgtmStackProps, StackComponents, StackBeylaOptions } from './stack';
export { StackProfile, StackProfileKind } from './profile';
