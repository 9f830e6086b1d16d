// Public API of the promtail module (deprecated: Promtail reached end of life on 2026-03-02).
// (./deprecation is internal.)
export * from './promtail';
