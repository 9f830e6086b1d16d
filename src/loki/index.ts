// Public API of the loki module (filled in by its issue).
export {};
