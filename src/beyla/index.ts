export { Beyla, BeylaProps } from './beyla';
