/** Internal: the error of the collector config model (not part of the jsii API). */
/** Error thrown when a collector component would render an invalid config (five-part message). */
export class OtelConfigError extends Error {
  constructor(problem: string, received: string, expected: string, fix: string) {
    super(`[otel collector config] ${problem}. Received: ${received}; expected: ${expected}. Fix: ${fix}`);
    this.name = 'OtelConfigError';
  }
}
