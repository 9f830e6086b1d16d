export * from './tempo';
export * from './sizing';
