// Public API of the promtail module (deprecated: Promtail reached end of life on 2026-03-02).
export { Promtail, PromtailProps, PromtailStage, PromtailStaticTarget } from './promtail';
