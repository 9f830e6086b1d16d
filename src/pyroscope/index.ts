export { Pyroscope, PyroscopeProps } from './pyroscope';
