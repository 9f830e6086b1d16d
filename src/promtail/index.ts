// Public API of the promtail module (filled in by its issue).
export {};
