export * from './tempo';
