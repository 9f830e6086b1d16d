export * from './beyla';
